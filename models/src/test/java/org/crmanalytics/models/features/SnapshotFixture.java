package org.crmanalytics.models.features;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.ContractTable;

/**
 * A small hand-made company as of {@link #AS_OF} = 2025-06-30, built from the contract schemas.
 * CustomerSnapshotTest asserts the expected values, with the arithmetic beside each assertion.
 *
 * <p>C1 has a bit of everything, C2 nothing but a customer row, C3 was created after D, C4 has one
 * order (no cost), one campaign response and no invoices, C5 one order returned in full.
 */
public final class SnapshotFixture {
  public static final LocalDate AS_OF = LocalDate.of(2025, 6, 30);

  private final Map<String, List<Row>> rows = new LinkedHashMap<>();

  public SnapshotFixture() {
    for (ContractTable t : Contract.TABLES) {
      rows.put(t.name(), new ArrayList<>());
    }
  }

  /** The base company: every row known at D except those that test "known at D" on purpose. */
  public static SnapshotFixture base() {
    SnapshotFixture f = new SnapshotFixture();
    f.add("customers", "customer_id", "C1", "name", "Huber GmbH", "industry", "Maschinenbau", "region", "Bayern",
        "country", "DE", "employees", 120, "segment", "Mittelstand", "sales_rep_id", "R1", "channel", "field",
        "created_at", day("2020-01-15"), "credit_limit", money("10000"));
    f.add("customers", "customer_id", "C2");
    f.add("customers", "customer_id", "C3", "created_at", day("2025-07-15"));
    f.add("customers", "customer_id", "C4", "created_at", day("2024-11-01"));
    f.add("customers", "customer_id", "C5", "created_at", day("2024-01-01"));

    f.add("products", "product_id", "P1", "product_group", "A");
    f.add("products", "product_id", "P2", "product_group", "B");
    f.add("products", "product_id", "P3");

    f.sale("O1", 1, "C1", "2023-05-10", "P1", "100", "60", "order");
    f.sale("O2", 1, "C1", "2023-09-01", "P1", "200", "120", "order");
    f.sale("O3", 1, "C1", "2024-12-01", "P1", "300", "150", "order");
    f.sale("O3", 2, "C1", "2024-12-01", "P2", "100", null, "order");
    f.sale("O4", 1, "C1", "2025-05-01", "P2", "500", "300", "order");
    f.sale("R1", 1, "C1", "2025-05-20", "P2", "-50", "-30", "return");
    f.sale("O5", 1, "C1", "2025-06-30", "P3", "50", "20", "order");
    f.sale("O9", 1, "C4", "2025-01-10", "P1", "80", null, "order");
    f.sale("O11", 1, "C5", "2025-03-01", "P1", "50", "10", "order");
    f.sale("R3", 1, "C5", "2025-03-05", "P1", "-50", "-10", "return");

    f.activity("A1", "C1", "visit", "2025-06-20 10:00:00");
    f.activity("A2", "C1", "visit", "2025-01-15 09:00:00");
    f.activity("A3", "C1", "call", "2025-04-02 08:00:00");
    f.activity("A4", "C1", "call", "2025-04-01 23:59:59");
    f.activity("A5", "C1", "email", "2025-06-01 12:00:00");
    f.activity("A6", "C1", "visit", "2024-06-30 23:00:00");

    f.offer("F1", "C1", "2025-03-01 10:00:00", "1000", "open", null);
    f.offer("F2", "C1", "2025-01-01 10:00:00", "2000", "won", "2025-07-10 10:00:00");
    f.offer("F3", "C1", "2024-12-01 10:00:00", "500", "won", "2025-02-01 10:00:00");
    f.offer("F4", "C1", "2024-07-01 10:00:00", "700", "lost", "2024-08-01 10:00:00");
    f.offer("F5", "C1", "2024-03-01 10:00:00", "900", "lost", "2024-05-01 10:00:00");
    f.offer("F6", "C1", "2024-01-01 10:00:00", "300", "won", null);
    f.offer("F7", "C1", "2025-06-01 10:00:00", null, "open", null);

    f.ticket("T1", "C1", "complaint", "2025-06-01 10:00:00", "2025-06-10 00:00:00", null);
    f.ticket("T2", "C1", "complaint", "2025-05-01 08:00:00", "2025-07-05 00:00:00", "2025-07-02 09:00:00");
    f.ticket("T3", "C1", "request", "2025-03-01 00:00:00", "2025-03-02 00:00:00", "2025-03-03 12:00:00");
    f.ticket("T4", "C1", "complaint", "2024-01-01 00:00:00", null, "2024-01-05 00:00:00");
    f.ticket("T5", "C1", "request", "2025-06-25 00:00:00", null, "2025-06-26 12:00:00");
    f.ticket("T6", "C1", "request", "2025-06-20 00:00:00", "2025-06-30 10:00:00", null);

    f.invoice("I1", "C1", "2025-01-10", "2025-02-10", "1000", 0);
    f.payment("Y1", "I1", "2025-02-05", "600");
    f.payment("Y2", "I1", "2025-02-15", "400");
    f.invoice("I2", "C1", "2025-03-01", "2025-03-31", "500", 2);
    f.payment("Y3", "I2", "2025-03-20", "500");
    f.invoice("I3", "C1", "2025-05-01", "2025-05-31", "800", 1);
    f.payment("Y4", "I3", "2025-06-10", "300");
    f.payment("Y5", "I3", "2025-07-05", "500");
    f.invoice("I4", "C1", "2025-06-15", "2025-07-15", "200", 3);
    f.invoice("I5", "C1", "2023-12-01", "2024-01-01", "400", 1);
    f.payment("Y6", "I5", "2024-01-11", "400");
    f.invoice("I6", "C1", "2025-02-01", "2025-02-01", "-100", 0);

    f.add("campaigns", "campaign_id", "K1");
    f.add("campaign_members", "campaign_id", "K1", "customer_id", "C1", "responded_at", day("2025-05-01"));
    f.add("campaign_members", "campaign_id", "K2", "customer_id", "C1", "responded_at", day("2024-06-30"));
    f.add("campaign_members", "campaign_id", "K3", "customer_id", "C1");
    f.add("campaign_members", "campaign_id", "K1", "customer_id", "C4", "responded_at", day("2024-12-31"));
    return f;
  }

  /**
   * The same company extracted later: new rows dated after D in every table, and state changes
   * after D on rows known at D (offers closed, tickets resolved, invoices paid after D). None of it
   * may change the snapshot as of D.
   */
  SnapshotFixture extractedLater() {
    sale("O7", 1, "C1", "2025-07-01", "P1", "999", "1", "order");
    sale("O8", 1, "C2", "2025-07-01", "P2", "999", "1", "order");
    sale("R2", 1, "C4", "2025-08-01", "P1", "-80", null, "return");
    sale("O10", 1, "C3", "2025-07-20", "P1", "10", "1", "order");
    activity("A7", "C1", "visit", "2025-07-01 00:00:00");
    activity("A8", "C4", "call", "2025-07-01 08:00:00");
    offer("F8", "C1", "2025-07-01 00:00:00", "5000", "open", null);
    offer("F9", "C4", "2025-07-02 00:00:00", "100", "won", "2025-07-03 00:00:00");
    remove("offers", "offer_id", "F1");
    offer("F1", "C1", "2025-03-01 10:00:00", "1000", "won", "2025-07-02 10:00:00");
    remove("offers", "offer_id", "F7");
    offer("F7", "C1", "2025-06-01 10:00:00", null, "lost", "2025-08-01 10:00:00");
    ticket("T7", "C1", "complaint", "2025-07-01 00:00:00", "2025-07-02 00:00:00", null);
    remove("tickets", "ticket_id", "T1");
    ticket("T1", "C1", "complaint", "2025-06-01 10:00:00", "2025-06-10 00:00:00", "2025-07-01 00:00:00");
    remove("tickets", "ticket_id", "T6");
    ticket("T6", "C1", "request", "2025-06-20 00:00:00", "2025-06-30 10:00:00", "2025-07-15 00:00:00");
    invoice("I7", "C1", "2025-07-01", "2025-07-31", "300", 4);
    payment("Y7", "I7", "2025-07-02", "300");
    payment("Y8", "I4", "2025-07-01", "200");
    add("campaign_members", "campaign_id", "K4", "customer_id", "C1", "responded_at", day("2025-07-01"));
    return this;
  }

  private void remove(String table, String idColumn, String id) {
    int i = Contract.table(table).orElseThrow().schema().fieldIndex(idColumn);
    if (!rows.get(table).removeIf(r -> id.equals(r.get(i)))) {
      throw new IllegalArgumentException(table + " has no row " + id);
    }
  }

  public void sale(String order, int line, String customer, String date, String product, String net, String cost,
      String type) {
    add("sales", "order_id", order, "line_no", line, "customer_id", customer, "order_date", day(date),
        "product_id", product, "net_amount", money(net), "cost_amount", cost == null ? null : money(cost),
        "line_type", type);
  }

  public void activity(String id, String customer, String type, String at) {
    add("activities", "activity_id", id, "customer_id", customer, "type", type, "occurred_at", time(at));
  }

  void offer(String id, String customer, String created, String amount, String status, String closed) {
    add("offers", "offer_id", id, "customer_id", customer, "created_at", time(created),
        "stage", status.equals("open") ? "offer" : status, "amount", amount == null ? null : money(amount),
        "status", status, "closed_at", closed == null ? null : time(closed));
  }

  void ticket(String id, String customer, String type, String created, String due, String resolved) {
    add("tickets", "ticket_id", id, "customer_id", customer, "type", type, "created_at", time(created),
        "due_at", due == null ? null : time(due), "resolved_at", resolved == null ? null : time(resolved));
  }

  void invoice(String id, String customer, String date, String due, String amount, int dunning) {
    add("invoices", "invoice_id", id, "customer_id", customer, "invoice_date", day(date), "due_date", day(due),
        "amount", money(amount), "dunning_level", dunning);
  }

  void payment(String id, String invoice, String paid, String amount) {
    add("payments", "payment_id", id, "invoice_id", invoice, "paid_at", day(paid), "amount", money(amount));
  }

  /** A payment on account: it names the customer, not an invoice. */
  void accountPayment(String id, String customer, String paid, String amount) {
    add("payments", "payment_id", id, "customer_id", customer, "paid_at", day(paid), "amount", money(amount));
  }

  /** One row of {@code table}, by column name; columns not named are null. */
  public void add(String table, Object... namesAndValues) {
    StructType schema = Contract.table(table).orElseThrow().schema();
    Object[] values = new Object[schema.size()];
    for (int i = 0; i < namesAndValues.length; i += 2) {
      values[schema.fieldIndex((String) namesAndValues[i])] = namesAndValues[i + 1];
    }
    rows.get(table).add(RowFactory.create(values));
  }

  /** The tables as Spark would read them from silver; {@code only} limits which tables are given. */
  public Map<String, Dataset<Row>> silver(SparkSession spark, List<String> only) {
    Map<String, Dataset<Row>> out = new LinkedHashMap<>();
    for (ContractTable t : Contract.TABLES) {
      if (only.isEmpty() || only.contains(t.name())) {
        out.put(t.name(), spark.createDataFrame(rows.get(t.name()), nullable(t.schema())));
      }
    }
    return out;
  }

  /** Silver read back from Parquet has nullable columns; the fixture does the same. */
  private static StructType nullable(StructType schema) {
    List<StructField> fields = new ArrayList<>();
    for (StructField f : schema.fields()) {
      fields.add(new StructField(f.name(), f.dataType(), true, f.metadata()));
    }
    return new StructType(fields.toArray(StructField[]::new));
  }

  public static Date day(String iso) {
    return Date.valueOf(iso);
  }

  static Timestamp time(String iso) {
    return Timestamp.valueOf(iso);
  }

  static BigDecimal money(String amount) {
    return new BigDecimal(amount).setScale(4);
  }
}
