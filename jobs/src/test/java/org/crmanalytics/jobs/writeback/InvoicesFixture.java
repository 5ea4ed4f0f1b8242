package org.crmanalytics.jobs.writeback;

import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.paymentrisk.OpenInvoices;

/** payment_risk/invoices rows built from the production schema (OpenInvoices.SCHEMA), for the write-back tests. */
final class InvoicesFixture {
  private InvoicesFixture() {}

  static String invoiceId(int i) {
    return String.format("RE-%05d", i);
  }

  /**
   * Open invoice {@code i} as of {@code asOf}; {@code paidSince} lowers its open amount (a partial
   * payment). Every 3rd invoice's customer is unscored (probability null); amounts have four decimals,
   * as the pipeline's money does.
   */
  static Row row(int i, LocalDate asOf, BigDecimal paidSince) {
    LocalDate invoiced = asOf.minusDays(10L + 7L * i);
    LocalDate due = invoiced.plusDays(30);
    int daysPastDue = (int) Math.max(0, asOf.toEpochDay() - due.toEpochDay());
    BigDecimal amount = new BigDecimal("1000.1234").add(BigDecimal.valueOf(i * 100L));
    BigDecimal open = amount.subtract(paidSince);
    Double probability = i % 3 == 0 ? null : 0.05 * i;
    boolean inDefault = i == 4;
    double effective = inDefault ? 1.0 : probability == null ? 0.0 : probability;
    return RowFactory.create(invoiceId(i), ScoresFixture.customerId(i % 3), Date.valueOf(invoiced), Date.valueOf(due),
        amount, open, daysPastDue, daysPastDue == 0 ? "not_due" : "1-30", i % 4, false, probability, inDefault,
        probability == null && !inDefault ? null : effective * open.doubleValue());
  }

  static Dataset<Row> frame(SparkSession spark, List<Row> rows) {
    return spark.createDataFrame(rows, OpenInvoices.SCHEMA).repartition(2);
  }
}
