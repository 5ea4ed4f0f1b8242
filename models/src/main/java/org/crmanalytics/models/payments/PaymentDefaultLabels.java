package org.crmanalytics.models.payments;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.models.contract.Contract.Invoices;
import org.crmanalytics.models.contract.Contract.Payments;
import org.crmanalytics.models.contract.Money;

/**
 * The payment-default label ({@link PaymentDefaultDefinition}): who is in default at D, and who of
 * the rest falls into default within the horizon after D. docs/payment-risk.md states the rule.
 */
public final class PaymentDefaultLabels {
  /** The label column: 1.0 when the customer defaults within the horizon, else 0.0. */
  public static final String LABEL = "label";

  /** Whether the customer is in default at D already ({@link #populationAt}). */
  public static final String IN_DEFAULT = "in_default";

  private PaymentDefaultLabels() {}

  /**
   * customer_id and {@link #IN_DEFAULT} of every customer a payment-risk score is about at D: an
   * invoice issued in (D − 12 months, D], open receivables at D, or in default at D. Those in default
   * already are not scored (their default is a fact, not a risk) and not labelled.
   */
  public static Dataset<Row> populationAt(Map<String, Dataset<Row>> silver, LocalDate asOf,
      PaymentDefaultDefinition def) {
    Dataset<Row> state = Receivables.state(silver, asOf);
    Dataset<Row> already = inDefault(state, def).withColumn(IN_DEFAULT, lit(true));
    Dataset<Row> all = state
        .filter(col(Invoices.INVOICE_DATE).gt(lit(java.sql.Date.valueOf(asOf.minusMonths(12)))).or(col("_open").gt(0)))
        .select(col(Invoices.CUSTOMER_ID)).unionByName(already.select(col(Invoices.CUSTOMER_ID))).distinct();
    return all.join(already, new String[] {Invoices.CUSTOMER_ID}, "left")
        .select(col(Invoices.CUSTOMER_ID), coalesce(col(IN_DEFAULT), lit(false)).as(IN_DEFAULT));
  }

  /**
   * customer_id of every customer in default at the end of D: an invoice issued by D with days past
   * due at D of at least {@code daysPastDue} and more than {@code minOpenAmount} open, or an invoice
   * written off by D. Uses only what is dated by D.
   */
  public static Dataset<Row> inDefaultAt(Map<String, Dataset<Row>> silver, LocalDate asOf, PaymentDefaultDefinition def) {
    return inDefault(Receivables.state(silver, asOf), def);
  }

  /** The customers of {@code state} ({@link Receivables#state}) with an invoice in default. */
  private static Dataset<Row> inDefault(Dataset<Row> state, PaymentDefaultDefinition def) {
    Column defaulted = col(Receivables.DAYS_PAST_DUE).geq(def.daysPastDue()).and(col("_open").gt(minUnits(def)))
        .or(col(Receivables.WRITTEN_OFF));
    return state.filter(defaulted).select(col(Invoices.CUSTOMER_ID)).distinct();
  }

  private static long minUnits(PaymentDefaultDefinition def) {
    return def.minOpenAmount().movePointRight(4).setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
  }

  /**
   * customer_id and {@link #LABEL} for the population at D ({@link #populationAt}), less those in
   * default at D. The label is 1.0
   * when an invoice of the customer (issued at any time) reaches due_date + daysPastDue within
   * (D, D + horizon] with more than minOpenAmount open on that day (payments up to and including
   * that day), or is written off within (D, D + horizon]. The silver must reach D + horizon.
   */
  public static Dataset<Row> label(Map<String, Dataset<Row>> silver, LocalDate asOf, PaymentDefaultDefinition def) {
    Dataset<Row> invoices = Receivables.invoices(silver);
    Column d = lit(java.sql.Date.valueOf(asOf));
    LocalDate end = asOf.plusMonths(def.horizonMonths());
    Column horizonEnd = lit(java.sql.Date.valueOf(end));

    Dataset<Row> population = populationAt(silver, asOf, def).filter(col(IN_DEFAULT).equalTo(false))
        .select(col(Invoices.CUSTOMER_ID));

    boolean hasWriteOff = List.of(invoices.columns()).contains(Invoices.WRITTEN_OFF_AT);
    Dataset<Row> bills = invoices.filter(col(Invoices.AMOUNT).gt(0))
        .select(col(Invoices.INVOICE_ID), col(Invoices.CUSTOMER_ID).as("_cid"),
            date_add(col(Invoices.DUE_DATE), def.daysPastDue()).as("_trigger"),
            Money.units(col(Invoices.AMOUNT)).as("_billed"),
            hasWriteOff ? col(Invoices.WRITTEN_OFF_AT).as("_written_off_at") : lit(null).cast("date").as("_written_off_at"));
    Dataset<Row> paid = Receivables.invoicePayments(silver);
    Dataset<Row> atTrigger;
    if (paid == null) {
      atTrigger = bills.withColumn("_paid", lit(0L));
    } else {
      atTrigger = bills.join(paid, bills.col(Invoices.INVOICE_ID).equalTo(paid.col("_iid")), "left")
          .groupBy(col(Invoices.INVOICE_ID), col("_cid"), col("_trigger"), col("_billed"), col("_written_off_at"))
          .agg(coalesce(sum(when(col(Payments.PAID_AT).leq(col("_trigger")), Money.units(col("_pay")))), lit(0L))
              .as("_paid"));
    }
    Column triggered = col("_trigger").gt(d).and(col("_trigger").leq(horizonEnd))
        .and(col("_billed").minus(col("_paid")).gt(minUnits(def)));
    Column writtenOff = coalesce(col("_written_off_at").gt(d).and(col("_written_off_at").leq(horizonEnd)), lit(false));
    Dataset<Row> defaults = atTrigger.groupBy(col("_cid"))
        .agg(max(triggered.or(writtenOff)).as("_defaults"));
    return population.join(defaults, population.col(Invoices.CUSTOMER_ID).equalTo(defaults.col("_cid")), "left")
        .select(col(Invoices.CUSTOMER_ID),
            when(coalesce(col("_defaults"), lit(false)), lit(1.0)).otherwise(lit(0.0)).as(LABEL));
  }
}
