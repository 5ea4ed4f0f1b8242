package org.crmanalytics.models.paymentrisk;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.payments.PaymentDefaultLabels;
import org.crmanalytics.models.payments.Receivables;
import org.crmanalytics.models.scores.CustomerScores;

/**
 * The open invoices of payment_risk at as_of (payment_risk/invoices): the receivables per invoice
 * with the customer's default probability and the invoice's expected loss. Here rather than beside
 * the stage so that the write-back, which sends the list to the CRM, shares the schema.
 */
public final class OpenInvoices {
  public static final String EXPECTED_LOSS = "expected_loss";

  /** The columns in the order the payment_risk stage writes them. */
  public static final StructType SCHEMA = Receivables.INVOICE_SCHEMA
      .add(CustomerScores.PAYMENT_DEFAULT_PROBABILITY, DataTypes.DoubleType)
      .add(PaymentDefaultLabels.IN_DEFAULT, DataTypes.BooleanType)
      .add(EXPECTED_LOSS, DataTypes.DoubleType);

  private OpenInvoices() {}
}
