package org.crmanalytics.jobs.kpis;

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
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.kpis.KpiInputs;

/**
 * A small hand-made company as of 2025-03-15 in the contract's silver shape. Every KPI value the
 * tests expect is worked out by hand from these rows in the comments of the tests.
 *
 * <pre>
 * customers  C1 R1 field  North Metal | C2 R1 inside North Food | C3 R2 web South Metal
 *            C4 R2 field  South Food  | C5 (no rep, channel, region, industry)
 * products   P1 group A, P2 group B
 * </pre>
 */
final class KpiFixture {
  static final LocalDate AS_OF = LocalDate.of(2025, 3, 15);

  private KpiFixture() {}

  /** The company's silver tables, by contract name. */
  static Map<String, List<Row>> company() {
    Map<String, List<Row>> t = new LinkedHashMap<>();
    t.put(Contract.Customers.NAME, List.of(
        customer("C1", "R1", "field", "North", "Metal"),
        customer("C2", "R1", "inside", "North", "Food"),
        customer("C3", "R2", "web", "South", "Metal"),
        customer("C4", "R2", "field", "South", "Food"),
        customer("C5", null, null, null, null)));
    t.put(Contract.Products.NAME, List.of(product("P1", "A"), product("P2", "B")));
    t.put(Contract.Sales.NAME, List.of(
        // 2024: activity before the reporting months (churn look-back, first orders)
        sale("S01", 1, "C1", "2024-06-10", "P1", "100", "60", null, "order"),
        sale("S02", 1, "C2", "2024-11-05", "P1", "50", null, null, "order"),
        sale("S03", 1, "C3", "2024-12-20", "P2", "80", "50", null, "order"),
        sale("S04", 1, "C4", "2024-02-01", "P2", "40", "20", null, "order"),
        // 2025
        sale("S10", 1, "C1", "2025-01-10", "P1", "200", "120", "field", "order"),
        sale("S10", 2, "C1", "2025-01-10", "P2", "100", "70", "field", "order"),
        sale("S11", 1, "C2", "2025-02-15", "P2", "300", null, null, "order"),
        sale("G01", 1, "C1", "2025-02-20", "P1", "-50", "-30", null, "return"),
        sale("S12", 1, "C3", "2025-03-01", "P1", "400", "100", "partner", "order"),
        sale("S13", 1, "C5", "2025-03-10", "P1", "600", "300", "web", "order")));
    t.put(Contract.Activities.NAME, List.of(
        activity("A1", "C1", "R1", "visit", "2025-01-10 10:00"),
        activity("A2", "C2", null, "visit", "2025-01-20 10:00"),
        activity("A3", "C3", "R2", "visit", "2025-02-05 10:00"),
        activity("A4", "C3", "R2", "call", "2025-02-06 10:00"),
        activity("A5", "C4", "R1", "visit", "2025-03-01 10:00"),
        activity("A6", "C5", null, "visit", "2025-03-02 10:00")));
    t.put(Contract.Offers.NAME, List.of(
        offer("O1", "C1", "R1", "field", "2025-01-02 09:00", "2025-01-05 09:00", "2025-01-10 09:00", "won", "1000",
            "won", "2025-01-20 09:00"),
        offer("O2", "C2", null, null, "2025-01-03 00:00", "2025-01-04 12:00", "2025-01-08 12:00", "lost", "500",
            "lost", "2025-01-28 12:00"),
        offer("O3", "C3", "R2", "web", "2025-01-15 00:00", null, "2025-01-15 00:00", "lost", null,
            "lost", "2025-01-25 00:00"),
        offer("O4", "C4", "R2", "field", "2025-02-01 00:00", "2025-02-07 00:00", "2025-02-01 00:00", "qualified",
            null, "open", null),
        offer("O5", "C1", "R1", "field", "2025-02-10 00:00", "2025-02-11 00:00", "2025-02-14 00:00", "negotiation",
            "2000", "open", null),
        offer("O6", "C3", "R2", "web", "2025-02-20 00:00", "2025-02-22 00:00", "2025-02-25 00:00", "won", "800",
            "won", "2025-03-05 00:00"),
        offer("O7", "C2", "R1", "inside", null, null, "2025-03-02 00:00", "offer", "300", "open", null)));
    t.put(Contract.Tickets.NAME, List.of(
        ticket("T1", "C1", "complaint", "2025-01-05 10:00", "2025-01-15 10:00", "2025-01-10 10:00"),
        ticket("T2", "C2", "complaint", "2025-01-20 00:00", "2025-01-31 00:00", "2025-02-05 00:00"),
        ticket("T3", "C3", "complaint", "2025-02-10 00:00", "2025-02-20 00:00", null),
        ticket("T4", "C4", "complaint", "2025-03-01 00:00", "2025-03-31 00:00", null),
        ticket("T5", "C1", "request", "2025-03-01 00:00", "2025-03-10 00:00", null),
        ticket("T6", "C2", "complaint", "2025-03-05 00:00", "2025-03-15 12:00", null)));
    t.put(Contract.Campaigns.NAME, List.of(campaign("K1", "2024-12-01")));
    t.put(Contract.CampaignMembers.NAME, List.of(
        member("K1", "C3", "2024-12-05"),
        member("K1", "C4", null),
        member("K1", "C2", "2025-02-10")));
    t.put(Contract.SalesTargets.NAME, List.of(
        target("R1", "2025-Q1", "visits", "6"),
        target("R1", "2025-01", "revenue", "400"),
        target("R2", "2025-Q1", "new_customers", "2"),
        target("R1", "2025", "offers_won", "4"),
        target("R2", "2024-Q4", "revenue", "100"),
        target("R2", "2025-Q2", "revenue", "100"),
        target("R1", "2025-02", "calls", "10"),
        target("R1", "2025-Q1", "revenue", "1100"),
        target("R2", "2025-Q1", "revenue", "900"),
        target("R2", "2025-Q1", "visits", "4"),
        target("R1", "2025-Q1", "offer_success_rate", "50"),
        // Roll-ups: R2's offers won per month make a Q1 target; R2's visits per month do not
        // replace the Q1 target given; R2's won value per quarter makes a 2025 target.
        target("R2", "2025-01", "offers_won", "1"),
        target("R2", "2025-02", "offers_won", "2"),
        target("R2", "2025-03", "offers_won", "3"),
        target("R2", "2025-01", "visits", "1"),
        target("R2", "2025-02", "visits", "1"),
        target("R2", "2025-03", "visits", "1"),
        target("R2", "2025-Q1", "won_value", "10"),
        target("R2", "2025-Q2", "won_value", "20"),
        target("R2", "2025-Q3", "won_value", "30"),
        target("R2", "2025-Q4", "won_value", "40")));
    return t;
  }

  /**
   * The same company as a later extract would show it: new rows dated after as_of, and states
   * reached after as_of (T3 resolved, O7 won) on existing rows.
   */
  static Map<String, List<Row>> companySeenLater() {
    Map<String, List<Row>> t = new LinkedHashMap<>();
    company().forEach((k, v) -> t.put(k, new ArrayList<>(v)));
    t.get(Contract.Sales.NAME).add(sale("S20", 1, "C4", "2025-03-16", "P1", "5000", "100", "web", "order"));
    t.get(Contract.Sales.NAME).add(sale("S21", 1, "C5", "2025-04-02", "P2", "700", "100", null, "order"));
    t.get(Contract.Activities.NAME).add(activity("A9", "C1", "R1", "visit", "2025-03-16 08:00"));
    t.get(Contract.Offers.NAME).removeIf(r -> r.getString(0).equals("O7"));
    t.get(Contract.Offers.NAME).add(
        offer("O7", "C2", "R1", "inside", null, null, "2025-03-02 00:00", "won", "300", "won", "2025-03-20 00:00"));
    t.get(Contract.Offers.NAME).add(
        offer("O9", "C4", "R2", "field", "2025-03-18 00:00", null, "2025-03-18 00:00", "lead", null, "open", null));
    t.get(Contract.Tickets.NAME).removeIf(r -> r.getString(0).equals("T3"));
    t.get(Contract.Tickets.NAME).add(
        ticket("T3", "C3", "complaint", "2025-02-10 00:00", "2025-02-20 00:00", "2025-03-20 00:00"));
    t.get(Contract.Tickets.NAME).add(
        ticket("T9", "C4", "complaint", "2025-03-16 00:00", "2025-03-16 08:00", null));
    t.get(Contract.CampaignMembers.NAME).add(member("K1", "C1", "2025-03-17"));
    t.get(Contract.SalesTargets.NAME).add(target("R1", "2025-04", "revenue", "500"));
    return t;
  }

  static Map<String, Dataset<Row>> frames(SparkSession spark, Map<String, List<Row>> rows) {
    Map<String, Dataset<Row>> out = new LinkedHashMap<>();
    rows.forEach((table, r) -> out.put(table,
        spark.createDataFrame(r, Contract.table(table).orElseThrow().schema())));
    return out;
  }

  static KpiInputs inputs(SparkSession spark, Map<String, List<Row>> rows) {
    return KpiInputs.of(frames(spark, rows));
  }

  // ---- rows in contract column order -----------------------------------------------------------

  static Row customer(String id, String rep, String channel, String region, String industry) {
    return RowFactory.create(id, "Firma " + id, industry, region, "DE", null, null, null, rep, channel, null, null);
  }

  static Row product(String id, String group) {
    return RowFactory.create(id, "Artikel " + id, group, null, null);
  }

  static Row sale(String order, int line, String customer, String date, String product, String net, String cost,
      String channel, String type) {
    return RowFactory.create(order, line, customer, day(date), product, null, money(net), money(cost), channel, type,
        null);
  }

  static Row activity(String id, String customer, String rep, String type, String at) {
    return RowFactory.create(id, customer, rep, type, time(at), null, "Notiz zum Besuch bei Herrn Müller");
  }

  static Row offer(String id, String customer, String rep, String channel, String lead, String qualified,
      String created, String stage, String amount, String status, String closed) {
    return RowFactory.create(id, customer, rep, channel, time(lead), time(qualified), time(created), stage,
        money(amount), status, time(closed), null);
  }

  static Row ticket(String id, String customer, String type, String created, String due, String resolved) {
    return RowFactory.create(id, customer, type, "Lieferung", "normal", time(created), time(due), time(resolved),
        "Kunde Müller verärgert, Tel. 0170 1234567");
  }

  static Row campaign(String id, String start) {
    return RowFactory.create(id, "Frühjahr", "mail", day(start), null);
  }

  static Row member(String campaign, String customer, String added) {
    return RowFactory.create(campaign, customer, day(added), null, null);
  }

  static Row target(String rep, String period, String kpi, String target) {
    return RowFactory.create(rep, period, kpi, money(target));
  }

  static Date day(String text) {
    return text == null ? null : Date.valueOf(text);
  }

  static Timestamp time(String text) {
    return text == null ? null : Timestamp.valueOf(text + ":00");
  }

  static BigDecimal money(String text) {
    return text == null ? null : new BigDecimal(text).setScale(4);
  }
}
