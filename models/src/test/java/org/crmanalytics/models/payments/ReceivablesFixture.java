package org.crmanalytics.models.payments;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A hand-built company for the receivables tests, as of D = 2025-06-30. {@link #known} holds only
 * what is dated on or before D; {@link #withFuture} adds invoices, payments, reminders, write-offs,
 * orders and tickets dated after D (what the labels look at, and what the leak test adds).
 */
final class ReceivablesFixture {
  static final LocalDate D = LocalDate.parse("2025-06-30");

  private ReceivablesFixture() {}

  private static final List<String> INVOICES = List.of(
      "('I1', 'C1', 'O3', DATE'2025-01-01', DATE'2025-01-31', 300, 3, NULL)",
      "('I2', 'C1', 'O2', DATE'2025-05-01', DATE'2025-05-31', 200, 0, NULL)",
      "('I3', 'C1', 'O4', DATE'2025-06-10', DATE'2025-07-10', 150, 1, NULL)", // undated level 1: not due at D
      "('I4', 'C1', 'O5', DATE'2025-04-01', DATE'2025-05-15', 100, 2, NULL)",
      "('CN1', 'C1', NULL, DATE'2025-03-01', DATE'2025-03-01', -50, 0, NULL)",
      "('J1', 'C2', NULL, DATE'2025-02-01', DATE'2025-03-03', 100, 0, NULL)",
      "('J2', 'C2', NULL, DATE'2025-03-01', DATE'2025-03-31', 100, 0, NULL)",
      "('J3', 'C2', NULL, DATE'2025-06-01', DATE'2025-07-01', 60, 0, NULL)",
      "('CN3', 'C3', NULL, DATE'2025-02-01', DATE'2025-02-01', -40, 0, NULL)",
      "('K1', 'C4', NULL, DATE'2025-05-01', DATE'2025-06-01', 500, 0, DATE'2025-06-15')",
      "('L1', 'C5', NULL, DATE'2025-06-01', DATE'2025-07-01', 500, 0, NULL)",
      "('M1', 'C6', NULL, DATE'2025-06-01', DATE'2025-07-01', 500, 0, NULL)");
  private static final String N1_KNOWN = "('N1', 'C8', NULL, DATE'2025-05-01', DATE'2025-05-31', 80, 0, NULL)";
  private static final List<String> INVOICES_LATER = List.of(
      "('N1', 'C8', NULL, DATE'2025-05-01', DATE'2025-05-31', 80, 0, DATE'2025-08-15')", // written off after D
      "('I9', 'C1', 'O1', DATE'2025-07-15', DATE'2025-08-15', 999, 0, NULL)", // invoices open order O1
      "('Z1', 'C9', NULL, DATE'2025-07-20', DATE'2025-08-20', 300, 0, NULL)");

  private static final List<String> PAYMENTS = List.of(
      "('P1', 'I1', NULL, DATE'2025-02-10', 100)",
      "('P2', 'I2', NULL, DATE'2025-05-05', 200)",   // within 10 days: Skonto
      "('Q1', NULL, 'C2', DATE'2025-04-10', 150)",   // on account: J1 100, J2 50
      "('Q2', 'J3', NULL, DATE'2025-05-25', 80)");   // before J3's invoice date, and 20 too much
  private static final List<String> PAYMENTS_LATER = List.of(
      "('P8', 'I4', NULL, DATE'2025-07-02', 100)",
      "('P9', NULL, 'C1', DATE'2025-07-05', 1000)",
      "('M9', 'M1', NULL, DATE'2025-09-29', 450)");  // on M1's trigger day: 50 left

  private static final List<String> NOTICES = List.of(
      "('I1', 1, DATE'2025-02-15')", "('I1', 2, DATE'2025-03-15')", "('I4', 1, DATE'2025-05-25')");
  private static final List<String> NOTICES_LATER = List.of(
      "('I1', 3, DATE'2025-08-01')", "('I4', 2, DATE'2025-07-05')");

  private static final List<String> SALES = List.of(
      "('O1', 1, 'C1', DATE'2025-06-20', 80, 'order')",
      "('O2', 1, 'C1', DATE'2025-05-01', 200, 'order')",
      "('O3', 1, 'C1', DATE'2025-01-01', 300, 'order')",
      "('O4', 1, 'C1', DATE'2025-06-05', 150, 'order')",
      "('O5', 1, 'C1', DATE'2025-03-30', 100, 'order')");
  private static final List<String> SALES_LATER = List.of("('O9', 1, 'C1', DATE'2025-07-05', 500, 'order')");

  private static final List<String> TICKETS = List.of(
      "('T1', 'C1', 'Rechnung', TIMESTAMP'2025-03-01 10:00:00')",
      "('T2', 'C1', 'Lieferung', TIMESTAMP'2025-04-01 10:00:00')",
      "('T3', 'C1', 'billing', TIMESTAMP'2024-05-01 10:00:00')");
  private static final List<String> TICKETS_LATER = List.of("('T9', 'C1', 'Rechnung', TIMESTAMP'2025-07-10 10:00:00')");

  static Map<String, Dataset<Row>> known(SparkSession spark) {
    List<String> invoices = new ArrayList<>(INVOICES);
    invoices.add(N1_KNOWN);
    return silver(spark, invoices, PAYMENTS, NOTICES, SALES, TICKETS);
  }

  static Map<String, Dataset<Row>> withFuture(SparkSession spark) {
    return silver(spark, plus(INVOICES, INVOICES_LATER), plus(PAYMENTS, PAYMENTS_LATER), plus(NOTICES, NOTICES_LATER),
        plus(SALES, SALES_LATER), plus(TICKETS, TICKETS_LATER));
  }

  private static List<String> plus(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  static Dataset<Row> table(SparkSession spark, List<String> rows, String columns) {
    return spark.sql("SELECT * FROM VALUES " + String.join(", ", rows) + " AS t(" + columns + ")");
  }

  private static Map<String, Dataset<Row>> silver(SparkSession spark, List<String> invoices, List<String> payments,
      List<String> notices, List<String> sales, List<String> tickets) {
    Map<String, Dataset<Row>> m = new HashMap<>();
    m.put("invoices", table(spark, invoices,
        "invoice_id, customer_id, order_id, invoice_date, due_date, amount, dunning_level, written_off_at")
        .selectExpr("invoice_id", "customer_id", "CAST(order_id AS STRING) AS order_id", "invoice_date", "due_date",
            "CAST(amount AS DECIMAL(18,4)) AS amount", "CAST(dunning_level AS INT) AS dunning_level",
            "CAST(written_off_at AS DATE) AS written_off_at"));
    m.put("payments", table(spark, payments, "payment_id, invoice_id, customer_id, paid_at, amount")
        .selectExpr("payment_id", "CAST(invoice_id AS STRING) AS invoice_id", "CAST(customer_id AS STRING) AS customer_id",
            "paid_at", "CAST(amount AS DECIMAL(18,4)) AS amount"));
    m.put("dunning_notices", table(spark, notices, "invoice_id, level, sent_at"));
    m.put("sales", table(spark, sales, "order_id, line_no, customer_id, order_date, net_amount, line_type")
        .selectExpr("order_id", "line_no", "customer_id", "order_date", "CAST(net_amount AS DECIMAL(18,4)) AS net_amount",
            "line_type"));
    m.put("tickets", table(spark, tickets, "ticket_id, customer_id, category, created_at"));
    m.put("customers", table(spark, List.of("('C1', 1000)", "('C2', NULL)", "('C3', NULL)", "('C4', NULL)",
        "('C5', NULL)", "('C6', NULL)", "('C8', NULL)", "('C9', NULL)"), "customer_id, credit_limit")
        .selectExpr("customer_id", "CAST(credit_limit AS DECIMAL(18,4)) AS credit_limit"));
    return m;
  }
}
