package org.crmanalytics.jobs.writeback;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.crmanalytics.models.scores.CustomerScores;
import org.crmanalytics.models.scores.CustomerScores.Reason;

/** customer_scores rows built from the production schema, for the write-back tests and benchmark. */
public final class ScoresFixture {
  private ScoresFixture() {}

  public static String customerId(int i) {
    return String.format("K%06d", i);
  }

  /**
   * Customer {@code i} of a run. Texts carry what breaks naive writers (';', quotes, tab, newline,
   * backslash, umlauts); every 7th customer has no CLV. {@code bump} shifts the churn probability,
   * so a later run can change some customers.
   */
  public static Row row(int i, LocalDate asOf, String runId, double bump) {
    String cls = String.valueOf("ABCDE".charAt(i % 5));
    double p = Math.min(1.0, (i * 37 % 100) / 100.0 + 0.0123 + bump);
    String band = p >= 0.6 ? "high" : p >= 0.3 ? "medium" : "low";
    Double clv = i % 7 == 0 ? null : 1234.5 + i * 10.25;
    Double pd = i % 4 == 0 ? null : p / 2;
    List<Row> reasons = List.of(
        RowFactory.create(1, Reason.RAISES, "orders_90d", 0.8123 + i / 1000.0, 1.0, 6.0,
            "orders in the last 90 days: 1 (typical: 6)", "Aufträge in 90 Tagen: 1 (üblich: 6); „stark“ gesunken"),
        RowFactory.create(1, Reason.LOWERS, "tenure_years", -0.25, 7.0, 3.0, "customer for 7 years",
            "Kunde seit 7 Jahren"));
    return RowFactory.create(customerId(i), Date.valueOf(asOf), runId, "R" + (i % 4), cls, 1.0 - i / 1000.0,
        "ABCDE".substring((i + 1) % 5, (i + 1) % 5 + 1), i % 3 == 0 ? "up" : "same",
        "revenue 12 months: " + (i * 100) + " EUR; top " + (i % 10) + "%",
        "Umsatz 12 Monate: " + (i * 100) + " €; \"Top\"-Kunde\tBereich C:\\Kunden\nzweite Zeile",
        clv, 24, 0.9 - i / 10000.0, i % 5 == 0 ? CustomerScores.ONE_TIME_BUYER : null, 3.5, 420.75, p, band, clv == null ? null : p * clv, i % 50 + 1,
        "orders in the last 90 days: 1 (typical: 6); customer for 7 years",
        "Aufträge in 90 Tagen: 1 (üblich: 6); Kunde seit 7 Jahren", reasons, "churn-2025-11", "clv-2025-10",
        CustomerScores.BASIS_MODEL,
        // payment risk: every 4th customer unscored (no receivables), as payment_risk leaves them
        pd, pd == null ? null : pd >= 0.3 ? "high" : "low", pd == null ? null : 5000.0 + i, pd == null ? null : 250.5,
        pd == null ? null : pd * (5000.0 + i), pd == null ? null : "call", pd == null ? null : "overdue over 30 days",
        pd == null ? null : "über 30 Tage überfällig", pd == null ? null : "overdue invoices: 2",
        pd == null ? null : "überfällige Rechnungen: 2", pd == null ? null : reasons,
        pd == null ? null : "payment-2025-11",
        // cross-sell: every 3rd customer without a recommendation (potential 0, no items), as cross_sell leaves them
        i % 3 == 0 ? 0.0 : 1500.0 + i, i % 3 == 0 ? null : "Hydraulik", i % 3 == 0 ? null : "Pneumatik; \"Druckluft\"",
        null, i % 3 == 0 ? null : "white_space");
  }

  public static List<Row> rows(int from, int to, LocalDate asOf, String runId) {
    List<Row> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(row(i, asOf, runId, 0));
    }
    return out;
  }

  public static Dataset<Row> frame(SparkSession spark, List<Row> rows) {
    return spark.createDataFrame(rows, CustomerScores.SCHEMA);
  }

  /**
   * {@code n} customers computed by Spark (for large loads), every column of the schema filled;
   * {@code shift} moves every churn probability, so that a later run changes every customer.
   */
  public static Dataset<Row> generated(SparkSession spark, long n, LocalDate asOf, String runId, int partitions,
      double shift) {
    Column i = col("id");
    Column p = pmod(i.multiply(37), lit(100)).divide(100.0).plus(0.0123 + shift);
    Column reason = struct(lit(1).as(Reason.RANK), lit(Reason.RAISES).as(Reason.DIRECTION),
        lit("orders_90d").as(Reason.FEATURE), p.as(Reason.CONTRIBUTION), lit(1.0).as(Reason.VALUE),
        lit(6.0).as(Reason.TYPICAL), lit("orders in the last 90 days: 1 (typical: 6)").as(Reason.TEXT_EN),
        lit("Aufträge in 90 Tagen: 1 (üblich: 6)").as(Reason.TEXT_DE));
    Dataset<Row> base = spark.range(0, n, 1, partitions).select(
        format_string("K%08d", i).as(CustomerScores.CUSTOMER_ID),
        lit(Date.valueOf(asOf)).as(CustomerScores.AS_OF),
        lit(runId).as(CustomerScores.RUN_ID),
        concat(lit("R"), pmod(i, lit(40)).cast("string")).as(CustomerScores.SALES_REP_ID),
        when(pmod(i, lit(5)).equalTo(0), "A").when(pmod(i, lit(5)).equalTo(1), "B").otherwise("C").as(CustomerScores.ABC_CLASS),
        pmod(i, lit(1000)).divide(1000.0).as(CustomerScores.ABC_SCORE),
        lit("B").as(CustomerScores.PREVIOUS_ABC_CLASS),
        lit("same").as(CustomerScores.ABC_TREND),
        lit("revenue 12 months in the top 20 %").as(CustomerScores.ABC_REASON_EN),
        lit("Umsatz der letzten 12 Monate in den oberen 20 %").as(CustomerScores.ABC_REASON_DE),
        i.multiply(1.25).plus(100).as(CustomerScores.CLV),
        lit(24).as(CustomerScores.CLV_HORIZON_MONTHS),
        lit(0.87).as(CustomerScores.P_ALIVE),
        lit(null).cast("string").as(CustomerScores.P_ALIVE_CAVEAT),
        lit(3.5).as(CustomerScores.EXPECTED_ORDERS),
        lit(420.75).as(CustomerScores.EXPECTED_ORDER_VALUE),
        p.as(CustomerScores.CHURN_PROBABILITY),
        when(p.geq(0.6), "high").when(p.geq(0.3), "medium").otherwise("low").as(CustomerScores.CHURN_BAND),
        p.multiply(i.multiply(1.25).plus(100)).as(CustomerScores.VALUE_AT_RISK),
        pmod(i, lit(50)).plus(1).cast("int").as(CustomerScores.RISK_RANK_IN_REP),
        lit("orders in the last 90 days: 1 (typical: 6)").as(CustomerScores.CHURN_REASONS_EN),
        lit("Aufträge in 90 Tagen: 1 (üblich: 6)").as(CustomerScores.CHURN_REASONS_DE),
        array(reason).as(CustomerScores.CHURN_REASONS),
        lit("churn-2025-11").as(CustomerScores.CHURN_MODEL_VERSION),
        lit("clv-2025-10").as(CustomerScores.CLV_MODEL_VERSION),
        lit(CustomerScores.BASIS_MODEL).as(CustomerScores.CHURN_BASIS),
        p.divide(2).as(CustomerScores.PAYMENT_DEFAULT_PROBABILITY),
        lit("low").as(CustomerScores.PAYMENT_RISK_BAND),
        lit(5000.0).as(CustomerScores.PAYMENT_EXPOSURE),
        lit(250.5).as(CustomerScores.PAYMENT_OVERDUE),
        p.multiply(2500.0).as(CustomerScores.PAYMENT_EXPECTED_LOSS),
        lit("call").as(CustomerScores.PAYMENT_ACTION),
        lit("overdue over 30 days").as(CustomerScores.PAYMENT_ACTION_REASON_EN),
        lit("über 30 Tage überfällig").as(CustomerScores.PAYMENT_ACTION_REASON_DE),
        lit("overdue invoices: 2").as(CustomerScores.PAYMENT_REASONS_EN),
        lit("überfällige Rechnungen: 2").as(CustomerScores.PAYMENT_REASONS_DE),
        array(reason).as(CustomerScores.PAYMENT_REASONS),
        lit("payment-2025-11").as(CustomerScores.PAYMENT_MODEL_VERSION),
        pmod(i, lit(3)).multiply(1500.0).as(CustomerScores.CROSS_SELL_POTENTIAL),
        lit("Hydraulik").as(CustomerScores.CROSS_SELL_ITEM_1),
        lit("Pneumatik").as(CustomerScores.CROSS_SELL_ITEM_2),
        lit(null).cast("string").as(CustomerScores.CROSS_SELL_ITEM_3),
        lit("white_space").as(CustomerScores.CROSS_SELL_METHOD));
    // Cast to the schema's exact types and nullability, as the scores stage writes them.
    List<Column> typed = new ArrayList<>();
    for (StructField f : CustomerScores.SCHEMA.fields()) {
      typed.add(col(f.name()).cast(f.dataType()).as(f.name()));
    }
    return base.select(typed.toArray(Column[]::new));
  }
}
