package org.crmanalytics.models.btyd;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.scores.CustomerScores;

/** {@code clv/customers}: one row per customer of the as_of, the CLV score and its BTYD inputs. */
public final class ClvOutput {
  public static final String CUSTOMER_ID = CustomerScores.CUSTOMER_ID;
  public static final String X = BtydSummary.X;
  public static final String T_X = BtydSummary.T_X;
  public static final String T = BtydSummary.T;
  public static final String MONETARY = BtydSummary.MONETARY;
  public static final String P_ALIVE = CustomerScores.P_ALIVE;
  public static final String EXPECTED_ORDERS = CustomerScores.EXPECTED_ORDERS;
  public static final String EXPECTED_ORDER_VALUE = CustomerScores.EXPECTED_ORDER_VALUE;
  public static final String CLV = CustomerScores.CLV;
  public static final String CLV_HORIZON_MONTHS = CustomerScores.CLV_HORIZON_MONTHS;
  public static final String MODEL_VERSION = "model_version";
  /** The purchase model used: bgnbd, paretonbd, or null when neither gave a usable fit. */
  public static final String CLV_MODEL = "clv_model";
  /** Which models gave the values and why, in words (a fallback names the model it replaced). */
  public static final String CLV_BASIS = "clv_basis";

  /** Nullable throughout, as Parquet reads it back; customers without an order up to as_of have nulls. */
  public static final StructType SCHEMA = new StructType()
      .add(CUSTOMER_ID, StringType, true)
      .add(X, LongType, true)
      .add(T_X, DoubleType, true)
      .add(T, DoubleType, true)
      .add(MONETARY, DoubleType, true)
      .add(P_ALIVE, DoubleType, true)
      .add(EXPECTED_ORDERS, DoubleType, true)
      .add(EXPECTED_ORDER_VALUE, DoubleType, true)
      .add(CLV, DoubleType, true)
      .add(CLV_HORIZON_MONTHS, IntegerType, true)
      .add(MODEL_VERSION, StringType, true)
      .add(CLV_MODEL, StringType, true)
      .add(CLV_BASIS, StringType, true);

  private ClvOutput() {}
}
