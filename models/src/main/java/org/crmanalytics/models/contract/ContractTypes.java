package org.crmanalytics.models.contract;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Types the contract's tables share. A class of its own so that loading one table class (say
 * {@code Contract.Sales}) does not start {@link Contract}'s initialisation half-way, which left
 * {@code Contract.TABLES} holding nulls.
 */
final class ContractTypes {
  /** Money and prices: exact decimals so that sums reconcile with the ERP to the cent. */
  static final DataType MONEY = DataTypes.createDecimalType(18, 4);
  /** Quantities may be fractional (hours, kilograms). */
  static final DataType QUANTITY = DataTypes.createDecimalType(18, 4);

  private ContractTypes() {}
}
