package org.crmanalytics.models.features;

import static org.crmanalytics.models.features.CustomerSnapshot.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import scala.collection.JavaConverters;

/** Exact values of every feature on {@link SnapshotFixture}, point-in-time and absent-table rules. */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class CustomerSnapshotTest {
  private static final LocalDate D = SnapshotFixture.AS_OF;
  static final List<String> OPTIONAL_FEATURES = List.of(
      PRODUCT_GROUP_COUNT_12M, PRODUCT_GROUP_REVENUE_SHARE_12M, visits(90), visits(365), calls(90), calls(365),
      DAYS_SINCE_LAST_VISIT, OPEN_OFFERS, OPEN_OFFER_VALUE, OFFERS_WON_12M, OFFERS_LOST_12M, OFFER_WIN_RATE_12M,
      OPEN_COMPLAINTS, COMPLAINTS_12M, OVERDUE_TICKETS, MEAN_DAYS_TO_RESOLVE_12M, MEAN_DAYS_LATE_12M,
      MEAN_DAYS_LATE_PREV_12M, DAYS_LATE_TREND, SHARE_PAID_LATE_12M, MAX_DUNNING_LEVEL_12M, OPEN_RECEIVABLES,
      OVERDUE_RECEIVABLES, CREDIT_LIMIT_UTILISATION, CAMPAIGN_RESPONSES_12M);

  private static SparkSession spark;
  private static Map<String, Row> snapshot;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
    snapshot = byCustomer(CustomerSnapshot.transform(
        SnapshotFixture.base().silver(spark, List.of()), D, Settings.DEFAULTS));
  }

  static Map<String, Row> byCustomer(Dataset<Row> df) {
    Map<String, Row> out = new TreeMap<>();
    for (Row r : df.collectAsList()) {
      assertNull(out.put(r.getAs(CUSTOMER_ID), r), "one row per customer: " + r.getAs(CUSTOMER_ID));
    }
    return out;
  }

  private static Row c(String id) {
    Row r = snapshot.get(id);
    assertNotNull(r, "no snapshot row for " + id + " in " + snapshot.keySet());
    return r;
  }

  static void money(String expected, Row row, String column) {
    BigDecimal actual = row.getAs(column);
    assertNotNull(actual, row.getAs(CUSTOMER_ID) + "." + column + " is null, expected " + expected);
    assertEquals(0, new BigDecimal(expected).compareTo(actual),
        row.getAs(CUSTOMER_ID) + "." + column + ": expected " + expected + ", was " + actual);
  }

  static void number(double expected, Row row, String column) {
    Object actual = row.getAs(column);
    assertNotNull(actual, row.getAs(CUSTOMER_ID) + "." + column + " is null, expected " + expected);
    assertEquals(expected, ((Number) actual).doubleValue(), 1e-12, row.getAs(CUSTOMER_ID) + "." + column);
  }

  static void nul(Row row, String... columns) {
    for (String column : columns) {
      assertTrue(row.isNullAt(row.fieldIndex(column)),
          row.getAs(CUSTOMER_ID) + "." + column + " must be null, was " + row.getAs(column));
    }
  }

  private static Map<String, Double> shares(Row row) {
    scala.collection.Map<String, Double> m = row.getAs(PRODUCT_GROUP_REVENUE_SHARE_12M);
    return m == null ? null : new TreeMap<>(JavaConverters.mapAsJavaMap(m));
  }

  @Test
  void oneRowPerCustomerKnownAtTheDateWithTheDeclaredSchema() {
    assertEquals(List.of("C1", "C2", "C4", "C5"), new ArrayList<>(snapshot.keySet()),
        "C3 was created after D and is not known yet; C2 has no sales and still gets a row");
    Dataset<Row> df = CustomerSnapshot.transform(SnapshotFixture.base().silver(spark, List.of()), D, Settings.DEFAULTS);
    assertEquals(typesOf(SCHEMA), typesOf(df.schema()));
    for (Row r : snapshot.values()) {
      assertEquals(Date.valueOf(D), r.getAs(AS_OF));
    }
  }

  private static Map<String, String> typesOf(StructType schema) {
    Map<String, String> out = new LinkedHashMap<>();
    for (StructField f : schema.fields()) {
      out.put(f.name(), f.dataType().simpleString());
    }
    return out;
  }

  @Test
  void customerAttributesAreCopied() {
    Row c1 = c("C1");
    assertEquals("Maschinenbau", c1.getAs(INDUSTRY));
    assertEquals("Bayern", c1.getAs(REGION));
    assertEquals("DE", c1.getAs(COUNTRY));
    assertEquals("Mittelstand", c1.getAs(SEGMENT));
    assertEquals(120, (int) c1.getAs(EMPLOYEES));
    assertEquals("field", c1.getAs(CHANNEL));
    assertEquals("R1", c1.getAs(SALES_REP_ID));
    money("10000", c1, CREDIT_LIMIT);
    assertEquals(1993, (int) c1.getAs(CUSTOMER_AGE_DAYS), "2020-01-15 .. 2025-06-30");
    assertEquals(241, (int) c("C4").getAs(CUSTOMER_AGE_DAYS), "2024-11-01 .. 2025-06-30");
    nul(c("C2"), CUSTOMER_AGE_DAYS, INDUSTRY, CREDIT_LIMIT);
  }

  @Test
  void recencyFrequencyAndRevenuePerWindow() {
    Row c1 = c("C1");
    assertEquals(0, (int) c1.getAs(DAYS_SINCE_LAST_ORDER), "an order on D itself");
    assertEquals(782, (int) c1.getAs(DAYS_SINCE_FIRST_ORDER), "2023-05-10 .. 2025-06-30");
    // 90 d = (2025-04-01, 2025-06-30]: O4, the return R1 (no order) and O5.
    assertEquals(2L, (long) c1.getAs(orderCount(90)));
    money("500", c1, revenue(90));
    // 365 d = (2024-06-30, 2025-06-30]: O3 (two lines), O4, R1, O5.
    assertEquals(3L, (long) c1.getAs(orderCount(365)));
    money("900", c1, revenue(365));
    // 730 d = (2023-07-01, 2025-06-30]: adds O2, not O1 (2023-05-10).
    assertEquals(4L, (long) c1.getAs(orderCount(730)));
    money("1100", c1, revenue(730));
    Row c4 = c("C4");
    assertEquals(171, (int) c4.getAs(DAYS_SINCE_LAST_ORDER));
    assertEquals(171, (int) c4.getAs(DAYS_SINCE_FIRST_ORDER));
    assertEquals(0L, (long) c4.getAs(orderCount(90)));
    money("0", c4, revenue(90));
    assertEquals(1L, (long) c4.getAs(orderCount(365)));
    money("80", c4, revenue(365));
    Row c2 = c("C2");
    nul(c2, DAYS_SINCE_LAST_ORDER, DAYS_SINCE_FIRST_ORDER);
    for (int d : Settings.DEFAULTS.windowsDays()) {
      assertEquals(0L, (long) c2.getAs(orderCount(d)), "no sales: no orders");
      money("0", c2, revenue(d));
    }
  }

  @Test
  void revenueMarginAndTrendOverTwelveMonths() {
    Row c1 = c("C1");
    assertEquals(3L, (long) c1.getAs(ORDER_COUNT_12M));
    assertEquals(1L, (long) c1.getAs(ORDER_COUNT_PREV_12M), "O2; O1 lies before 2023-06-30");
    money("900", c1, REVENUE_12M);
    money("200", c1, REVENUE_PREV_12M);
    number(3.5, c1, REVENUE_TREND);
    // 150 + (O3 line 2 has no cost) + 200 + (-50 - -30) + 30
    money("360", c1, MARGIN_12M);
    money("80", c1, MARGIN_PREV_12M);
    number(3.5, c1, MARGIN_TREND);
    Row c4 = c("C4");
    money("80", c4, REVENUE_12M);
    money("0", c4, REVENUE_PREV_12M);
    nul(c4, REVENUE_TREND, MARGIN_12M, MARGIN_TREND);
    money("0", c4, MARGIN_PREV_12M);
    Row c2 = c("C2");
    money("0", c2, MARGIN_12M);
    money("0", c2, MARGIN_PREV_12M);
    nul(c2, REVENUE_TREND, MARGIN_TREND);
  }

  @Test
  void interPurchaseTime() {
    Row c1 = c("C1");
    // Order days 2023-05-10, 2023-09-01, 2024-12-01, 2025-05-01, 2025-06-30 (the return day is no order day).
    assertEquals(5L, (long) c1.getAs(ORDER_DAYS));
    number(782 / 4.0, c1, MEAN_ORDER_GAP_DAYS);
    assertEquals(60, (int) c1.getAs(LAST_ORDER_GAP_DAYS));
    number(60 / (782 / 4.0), c1, LAST_GAP_VS_MEAN_GAP);
    number(0.0, c1, RECENCY_VS_MEAN_GAP);
    assertEquals(1L, (long) c("C4").getAs(ORDER_DAYS));
    nul(c("C4"), MEAN_ORDER_GAP_DAYS, LAST_ORDER_GAP_DAYS, LAST_GAP_VS_MEAN_GAP, RECENCY_VS_MEAN_GAP);
    assertEquals(0L, (long) c("C2").getAs(ORDER_DAYS));
    nul(c("C2"), MEAN_ORDER_GAP_DAYS, LAST_ORDER_GAP_DAYS);
  }

  @Test
  void productGroupsAndReturns() {
    Row c1 = c("C1");
    assertEquals(2L, (long) c1.getAs(PRODUCT_GROUP_COUNT_12M), "A and B; P3 has no group");
    Map<String, Double> s = shares(c1);
    assertEquals(List.of("A", "B"), new ArrayList<>(s.keySet()));
    assertEquals(300 / 850.0, s.get("A"), 1e-12);
    assertEquals(550 / 850.0, s.get("B"), 1e-12, "100 + 500 - 50");
    number(50 / 950.0, c1, RETURN_SHARE_12M);
    assertEquals(1L, (long) c("C4").getAs(PRODUCT_GROUP_COUNT_12M));
    assertEquals(Map.of("A", 1.0), shares(c("C4")));
    number(0.0, c("C4"), RETURN_SHARE_12M);
    assertEquals(0L, (long) c("C2").getAs(PRODUCT_GROUP_COUNT_12M));
    Row c5 = c("C5"); // ordered 50 and returned it: no revenue to share out
    assertEquals(1L, (long) c5.getAs(PRODUCT_GROUP_COUNT_12M));
    nul(c5, PRODUCT_GROUP_REVENUE_SHARE_12M);
    number(1.0, c5, RETURN_SHARE_12M);
    money("0", c5, REVENUE_12M);
    money("0", c5, MARGIN_12M); // 40 and -40
    assertEquals(1L, (long) c5.getAs(ORDER_COUNT_12M));
    nul(c("C2"), PRODUCT_GROUP_REVENUE_SHARE_12M, RETURN_SHARE_12M);
  }

  @Test
  void visitsAndCalls() {
    Row c1 = c("C1");
    assertEquals(1L, (long) c1.getAs(visits(90)), "A1");
    assertEquals(2L, (long) c1.getAs(visits(365)), "A1, A2; A6 is on the excluded bound 2024-06-30");
    assertEquals(1L, (long) c1.getAs(calls(90)), "A3; A4 is on the excluded bound 2025-04-01");
    assertEquals(2L, (long) c1.getAs(calls(365)));
    assertEquals(10, (int) c1.getAs(DAYS_SINCE_LAST_VISIT));
    assertEquals(0L, (long) c("C4").getAs(visits(90)));
    assertEquals(0L, (long) c("C4").getAs(calls(365)));
    nul(c("C4"), DAYS_SINCE_LAST_VISIT);
  }

  @Test
  void offersAsKnownAtTheDate() {
    Row c1 = c("C1");
    assertEquals(3L, (long) c1.getAs(OPEN_OFFERS), "F1, F7 and F2, which was won only after D");
    money("3000", c1, OPEN_OFFER_VALUE);
    assertEquals(1L, (long) c1.getAs(OFFERS_WON_12M), "F3; F6 has no closing date");
    assertEquals(1L, (long) c1.getAs(OFFERS_LOST_12M), "F4; F5 was lost before the window");
    number(0.5, c1, OFFER_WIN_RATE_12M);
    assertEquals(0L, (long) c("C4").getAs(OPEN_OFFERS));
    money("0", c("C4"), OPEN_OFFER_VALUE);
    nul(c("C4"), OFFER_WIN_RATE_12M);
  }

  @Test
  void ticketsAsKnownAtTheDate() {
    Row c1 = c("C1");
    assertEquals(2L, (long) c1.getAs(OPEN_COMPLAINTS), "T1 and T2, resolved only after D");
    assertEquals(2L, (long) c1.getAs(COMPLAINTS_12M), "T1, T2; T4 is older");
    assertEquals(1L, (long) c1.getAs(OVERDUE_TICKETS), "T1; T6 is due on D itself, T2 after D");
    number(2.0, c1, MEAN_DAYS_TO_RESOLVE_12M);
    assertEquals(0L, (long) c("C4").getAs(OPEN_COMPLAINTS));
    nul(c("C4"), MEAN_DAYS_TO_RESOLVE_12M);
  }

  @Test
  void paymentBehaviourAsKnownAtTheDate() {
    Row c1 = c("C1");
    number(-3.0, c1, MEAN_DAYS_LATE_12M); // I1 settled 5 days late, I2 11 days early
    number(10.0, c1, MEAN_DAYS_LATE_PREV_12M); // I5
    number(-13.0, c1, DAYS_LATE_TREND);
    number(2 / 3.0, c1, SHARE_PAID_LATE_12M); // I1 late, I2 on time, I3 unpaid past due
    assertEquals(2, (int) c1.getAs(MAX_DUNNING_LEVEL_12M), "I4's level 3 is not counted: not yet due");
    money("700", c1, OPEN_RECEIVABLES); // I3 800 - 300 (500 paid after D) + I4 200
    money("500", c1, OVERDUE_RECEIVABLES);
    number(0.07, c1, CREDIT_LIMIT_UTILISATION);
    Row c4 = c("C4");
    assertEquals(0, (int) c4.getAs(MAX_DUNNING_LEVEL_12M));
    money("0", c4, OPEN_RECEIVABLES);
    money("0", c4, OVERDUE_RECEIVABLES);
    nul(c4, MEAN_DAYS_LATE_12M, MEAN_DAYS_LATE_PREV_12M, DAYS_LATE_TREND, SHARE_PAID_LATE_12M,
        CREDIT_LIMIT_UTILISATION);
  }

  @Test
  void paymentsOnAccountAreAllocatedToTheOldestOpenInvoices() {
    SnapshotFixture f = SnapshotFixture.base();
    f.invoice("IA", "C4", "2025-01-01", "2025-01-31", "100", 0);
    f.invoice("IB", "C4", "2025-03-01", "2025-03-31", "100", 0);
    f.accountPayment("PA", "C4", "2025-02-10", "150"); // IA in full (10 days late); IB not issued yet
    f.accountPayment("PB", "C4", "2025-04-05", "30");  // IB: 30 of 100, 5 days after its due date
    f.accountPayment("PC", "C4", "2025-07-15", "70");  // after D: not known at D
    Row c4 = byCustomer(CustomerSnapshot.transform(f.silver(spark, List.of()), D, Settings.DEFAULTS)).get("C4");
    number(10.0, c4, MEAN_DAYS_LATE_12M); // IA settled 10 days late; IB not settled
    number(1.0, c4, SHARE_PAID_LATE_12M); // IA late, IB open past due
    money("70", c4, OPEN_RECEIVABLES);     // IB 100 - 30; PA's 50 beyond IA stayed credit until IB existed
    money("70", c4, OVERDUE_RECEIVABLES);
  }

  @Test
  void campaignResponses() {
    assertEquals(1L, (long) c("C1").getAs(CAMPAIGN_RESPONSES_12M), "2024-06-30 is on the excluded bound");
    assertEquals(1L, (long) c("C4").getAs(CAMPAIGN_RESPONSES_12M));
    assertEquals(0L, (long) c("C2").getAs(CAMPAIGN_RESPONSES_12M));
  }

  @Test
  void windowsComeFromTheSettings() {
    Settings s = new Settings(List.of(30, 60), List.of(11));
    Dataset<Row> df = CustomerSnapshot.transform(SnapshotFixture.base().silver(spark, List.of()), D, s);
    assertEquals(typesOf(CustomerSnapshot.schema(s)), typesOf(df.schema()));
    Row c1 = byCustomer(df).get("C1");
    assertEquals(1L, (long) c1.getAs(orderCount(30)), "O5; R1 on 2025-05-20 is older than 30 days");
    money("50", c1, revenue(30));
    assertEquals(1L, (long) c1.getAs(orderCount(60)), "O5; O4 on 2025-05-01 lies on the excluded bound");
    money("0", c1, revenue(60)); // O5 50 and R1 -50
    assertEquals(1L, (long) c1.getAs(visits(11)), "A1 on 2025-06-20");
    assertEquals(0L, (long) c1.getAs(calls(11)));
    assertFalse(List.of(df.columns()).contains(orderCount(90)));
  }

  @Test
  void settingsRejectUnusableWindows() {
    assertEquals("windowsDays: at least one window",
        assertThrows(IllegalArgumentException.class, () -> new Settings(List.of(), List.of(90))).getMessage());
    assertEquals("windowsDays: 0 is not between 1 and 36500",
        assertThrows(IllegalArgumentException.class, () -> new Settings(List.of(0), List.of(90))).getMessage());
    assertEquals("activityWindowsDays: 90 is listed twice",
        assertThrows(IllegalArgumentException.class, () -> new Settings(List.of(90), List.of(90, 90))).getMessage());
  }

  @Test
  void customersAndSalesAreRequired() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CustomerSnapshot.transform(
        SnapshotFixture.base().silver(spark, List.of("customers")), D, Settings.DEFAULTS));
    assertEquals("the customer snapshot needs the table sales", e.getMessage());
  }
}
