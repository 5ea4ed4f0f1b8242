package org.crmanalytics.models.abc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.models.abc.AbcClassification.PaymentTables;
import org.crmanalytics.models.abc.AbcClassification.PreviousRun;
import org.crmanalytics.models.abc.AbcOutput.Customers;
import org.crmanalytics.models.abc.AbcSettings.Measure;
import org.crmanalytics.models.abc.AbcSettings.Method;
import org.crmanalytics.models.contract.Contract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The classification rules on small hand-made tables whose expected classes, shares, ranks,
 * percentiles and scores were worked out by hand (the arithmetic is in the comments).
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class AbcClassificationTest {
  private static final LocalDate AS_OF = LocalDate.of(2024, 12, 31);
  private static final AbcSettings DEFAULTS = AbcSettings.defaults(AS_OF);
  private static final double EPS = 1e-9;
  private static SparkSession spark;

  @BeforeAll
  static void start(SparkSession session) {
    // Contract must initialise before its nested table classes: Customers.TABLE first would see
    // Contract.MONEY while Contract.TABLES still waits for Customers.TABLE (NullPointerException).
    assertTrue(Contract.TABLES.size() > 0);
    spark = session;
  }

  // ---- fixture builders: rows in the production contract schemas ----

  private static Row row(StructType schema, Map<String, Object> values) {
    Object[] out = new Object[schema.fields().length];
    for (int i = 0; i < out.length; i++) {
      StructField f = schema.fields()[i];
      out[i] = values.get(f.name());
    }
    for (String k : values.keySet()) {
      assertTrue(List.of(schema.fieldNames()).contains(k), "fixture column " + k + " is not in the schema");
    }
    return RowFactory.create(out);
  }

  private static Dataset<Row> frame(StructType schema, List<Row> rows) {
    return spark.createDataFrame(rows, schema);
  }

  private static Row customer(String id, String industry, Integer employees, String createdAt) {
    Map<String, Object> v = new HashMap<>();
    v.put(Contract.Customers.CUSTOMER_ID, id);
    v.put(Contract.Customers.INDUSTRY, industry);
    v.put(Contract.Customers.EMPLOYEES, employees);
    v.put(Contract.Customers.CREATED_AT, createdAt == null ? null : Date.valueOf(createdAt));
    return row(Contract.Customers.TABLE.schema(), v);
  }

  private static int lineNo = 0;

  private static Row sale(String customer, String date, String net, String cost) {
    Map<String, Object> v = new HashMap<>();
    lineNo++;
    v.put(Contract.Sales.ORDER_ID, "O" + lineNo);
    v.put(Contract.Sales.LINE_NO, 1);
    v.put(Contract.Sales.CUSTOMER_ID, customer);
    v.put(Contract.Sales.ORDER_DATE, Date.valueOf(date));
    v.put(Contract.Sales.NET_AMOUNT, new BigDecimal(net));
    v.put(Contract.Sales.COST_AMOUNT, cost == null ? null : new BigDecimal(cost));
    v.put(Contract.Sales.LINE_TYPE, net.startsWith("-") ? Contract.Sales.TYPE_RETURN : Contract.Sales.TYPE_ORDER);
    return row(Contract.Sales.TABLE.schema(), v);
  }

  private static Row sale(String customer, String date, String net) {
    return sale(customer, date, net, null);
  }

  private static Dataset<Row> customers(Row... rows) {
    return frame(Contract.Customers.TABLE.schema(), List.of(rows));
  }

  private static Dataset<Row> sales(Row... rows) {
    return frame(Contract.Sales.TABLE.schema(), List.of(rows));
  }

  private static Map<String, Row> byCustomer(Dataset<Row> out) {
    assertEquals(columns(Customers.SCHEMA), columns(out.schema()), "output columns and types");
    Map<String, Row> rows = new TreeMap<>();
    for (Row r : out.collectAsList()) {
      rows.put(r.getAs(Customers.CUSTOMER_ID), r);
    }
    return rows;
  }

  private static Dataset<Row> classify(Dataset<Row> customers, Dataset<Row> sales, AbcSettings settings) {
    return AbcClassification.transform(customers, sales, Optional.empty(), Optional.empty(), settings,
        AbcTestWordings.EN, AbcTestWordings.DE);
  }

  /** Customers C1..C9: values 500, 200, 100, 100 (tie), 50, 30, 20, 0, -10; total positive 1000. */
  private static Dataset<Row> paretoCustomers() {
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      rows.add(customer("C" + i, null, null, "2020-01-01"));
    }
    return frame(Contract.Customers.TABLE.schema(), rows);
  }

  private static Dataset<Row> paretoSales() {
    return sales(
        sale("C1", "2024-12-15", "400"),
        sale("C1", "2024-03-15", "100"),
        sale("C1", "2025-01-05", "10000"), // after as_of: not known yet
        sale("C1", "2023-06-15", "7000"), // before the 12-month window
        sale("C2", "2024-12-15", "200"),
        sale("C3", "2024-12-15", "100"),
        sale("C4", "2024-11-15", "130"),
        sale("C4", "2024-12-15", "-30"),
        sale("C5", "2024-12-15", "50"),
        sale("C6", "2024-12-15", "30"),
        sale("C7", "2024-12-15", "20"),
        sale("C9", "2024-12-15", "-10"));
  }

  @Test
  void paretoClassesByTheCumulativeShareRankedAbove() {
    Map<String, Row> out = byCustomer(classify(paretoCustomers(), paretoSales(), DEFAULTS));
    // value ranked above (cumulative before): C1 0 %, C2 50 % (not below 50: B), C3/C4 70 %
    // (ties: 1000 - the tie group), C5 90 %, C6 95 % (not below 95: D), C7 98 %; C8 zero, C9 negative.
    Map<String, String> classes = new TreeMap<>(Map.of("C1", "A", "C2", "B", "C3", "B", "C4", "B", "C5", "C",
        "C6", "D", "C7", "D", "C8", "E", "C9", "E"));
    Map<String, Integer> ranks = Map.of("C1", 1, "C2", 2, "C3", 3, "C4", 3, "C5", 5, "C6", 6, "C7", 7, "C8", 8, "C9", 9);
    Map<String, Double> shares = Map.of("C1", 0.5, "C2", 0.2, "C3", 0.1, "C4", 0.1, "C5", 0.05, "C6", 0.03,
        "C7", 0.02, "C8", 0.0, "C9", -0.01);
    Map<String, Double> cumulative = Map.of("C1", 0.5, "C2", 0.7, "C3", 0.9, "C4", 0.9, "C5", 0.95, "C6", 0.98,
        "C7", 1.0, "C8", 1.0, "C9", 1.0);
    Map<String, String> values = Map.of("C1", "500", "C2", "200", "C3", "100", "C4", "100", "C5", "50", "C6", "30",
        "C7", "20", "C8", "0", "C9", "-10");
    assertEquals(classes.keySet(), out.keySet(), "one row per customer");
    for (String id : classes.keySet()) {
      Row r = out.get(id);
      assertEquals(classes.get(id), r.getAs(Customers.CLASS), id + " class");
      assertEquals(ranks.get(id), (Integer) r.getAs(Customers.RANK), id + " rank");
      assertEquals(shares.get(id), (Double) r.getAs(Customers.VALUE_SHARE), EPS, id + " value share");
      assertEquals(cumulative.get(id), (Double) r.getAs(Customers.CUMULATIVE_SHARE), EPS, id + " cumulative share");
      assertEquals(0, new BigDecimal(values.get(id)).compareTo(r.getAs(Customers.VALUE)), id + " value " + r.getAs(Customers.VALUE));
      assertNull(r.getAs(Customers.SEGMENT), id + " segment");
      assertNull(r.getAs(Customers.PREVIOUS_CLASS), id + " previous class without a previous run");
      assertEquals(Customers.NEW, r.getAs(Customers.DIRECTION), id + " direction without a previous run");
    }
    assertEquals("E: no revenue in the last 12 months", out.get("C8").getAs(Customers.REASON_EN));
    assertEquals("E: kein Umsatz in den letzten 12 Monaten", out.get("C8").getAs(Customers.REASON_DE));
    assertEquals("E: negative revenue in the last 12 months (returns exceed orders)", out.get("C9").getAs(Customers.REASON_EN));
    assertEquals("E: negativer Umsatz in den letzten 12 Monaten (Retouren übersteigen Bestellungen)",
        out.get("C9").getAs(Customers.REASON_DE));
    // C1: rank 1 of 9; 500 now against 7000 in the 12 months before: -93 %.
    assertEquals("A: among the largest customers, who bring the first 50 % of revenue, rank 1 of 9 by revenue, "
        + "-93 % growth", out.get("C1").getAs(Customers.REASON_EN));
    assertEquals("A: unter den größten Kunden, die die ersten 50 % des Umsatzes bringen, Rang 1 von 9 nach Umsatz, "
        + "-93 % Wachstum", out.get("C1").getAs(Customers.REASON_DE));
    assertEquals("B: among the customers who bring the next 30 % of revenue (50–80 %), rank 3 of 9 by revenue, "
        + "new in the last 12 months", out.get("C3").getAs(Customers.REASON_EN));
    assertEquals("B: unter den Kunden, die die nächsten 30 % des Umsatzes bringen (50–80 %), Rang 3 von 9 nach Umsatz, "
        + "neu in den letzten 12 Monaten", out.get("C3").getAs(Customers.REASON_DE));
    assertEquals("D: among the customers who bring the next 4 % of revenue (95–99 %), rank 7 of 9 by revenue, "
        + "new in the last 12 months", out.get("C7").getAs(Customers.REASON_EN));
  }

  @Test
  void theSmallestCustomersAndGrowthFromASmallBaseInPlainWords() {
    Dataset<Row> customers = customers(customer("G1", null, null, "2020-01-01"),
        customer("G2", null, null, "2020-01-01"), customer("G3", null, null, "2020-01-01"));
    Dataset<Row> sales = sales(
        sale("G1", "2023-12-15", "10000"),
        sale("G1", "2024-12-15", "10000"),
        sale("G2", "2023-12-15", "120"),
        sale("G2", "2024-12-15", "19000"),
        sale("G3", "2024-12-15", "50"));
    Map<String, Row> out = byCustomer(classify(customers, sales, DEFAULTS.withValueCutoffs(List.of(50.0, 80.0, 95.0,
        99.5))));
    // Total 29,050. Ranked above: G2 0 -> A; G1 19,000 (65 %) -> B; G3 29,000 (99.83 %, not below 99.5) -> E.
    // G2 grew by 15,733 %, from a base of 120: the amounts say more.
    assertEquals(List.of("B", "A", "E"), classesOf(out, "G1", "G2", "G3"));
    assertEquals("A: among the largest customers, who bring the first 50 % of revenue, rank 1 of 3 by revenue, "
        + "revenue grew from €120 to €19,000 year on year", out.get("G2").getAs(Customers.REASON_EN));
    assertEquals("A: unter den größten Kunden, die die ersten 50 % des Umsatzes bringen, Rang 1 von 3 nach Umsatz, "
        + "Umsatz im Jahresvergleich von 120 € auf 19.000 € gestiegen", out.get("G2").getAs(Customers.REASON_DE));
    assertEquals("B: among the customers who bring the next 30 % of revenue (50–80 %), rank 2 of 3 by revenue, "
        + "+0 % growth", out.get("G1").getAs(Customers.REASON_EN));
    assertEquals("E: among the smallest customers, who together bring the last 0.5 % of revenue, rank 3 of 3 by "
        + "revenue, new in the last 12 months", out.get("G3").getAs(Customers.REASON_EN));
    assertEquals("E: unter den kleinsten Kunden, die zusammen die letzten 0,5 % des Umsatzes bringen, Rang 3 von 3 "
        + "nach Umsatz, neu in den letzten 12 Monaten", out.get("G3").getAs(Customers.REASON_DE));
  }

  @Test
  void threeClassOption() {
    Map<String, Row> out = byCustomer(classify(paretoCustomers(), paretoSales(),
        DEFAULTS.withValueCutoffs(AbcSettings.THREE_CLASS_VALUE_CUTOFFS)));
    // cut-offs 80 / 95: ranked above 0, 50, 70, 70 % -> A; 90 % -> B; 95, 98 % -> C; zero and negative -> C.
    Map<String, String> expected = Map.of("C1", "A", "C2", "A", "C3", "A", "C4", "A", "C5", "B", "C6", "C",
        "C7", "C", "C8", "C", "C9", "C");
    expected.forEach((id, c) -> assertEquals(c, out.get(id).getAs(Customers.CLASS), id + " class"));
  }

  @Test
  void classesWithinSegments() {
    Dataset<Row> customers = customers(
        customer("K1", "Bau", null, null),
        customer("K2", "Bau", null, null),
        customer("K3", "Handel", null, null),
        customer("K4", "Handel", null, null),
        customer("K5", "Handel", null, null),
        customer("K6", null, null, null));
    Dataset<Row> sales = sales(
        sale("K1", "2024-10-01", "900"),
        sale("K2", "2024-10-01", "100"),
        sale("K3", "2024-10-01", "10"),
        sale("K4", "2024-10-01", "10"),
        sale("K6", "2024-10-01", "5"));
    Map<String, Row> bySegment = byCustomer(classify(customers, sales, DEFAULTS.withSegmentBy("industry")));
    // Bau (1000): K1 A, K2 above 90 % -> C. Handel (20): K3 = K4 tie, nothing above -> both A;
    // K5 zero -> E. No industry: K6 alone -> A.
    record Expect(String segment, String cls, int rank, double share, double cumulative) {}
    Map<String, Expect> expected = Map.of(
        "K1", new Expect("Bau", "A", 1, 0.9, 0.9),
        "K2", new Expect("Bau", "C", 2, 0.1, 1.0),
        "K3", new Expect("Handel", "A", 1, 0.5, 1.0),
        "K4", new Expect("Handel", "A", 1, 0.5, 1.0),
        "K5", new Expect("Handel", "E", 3, 0.0, 1.0),
        "K6", new Expect(null, "A", 1, 1.0, 1.0));
    expected.forEach((id, e) -> {
      Row r = bySegment.get(id);
      assertEquals(e.segment(), r.getAs(Customers.SEGMENT), id + " segment");
      assertEquals(e.cls(), r.getAs(Customers.CLASS), id + " class");
      assertEquals(e.rank(), (Integer) r.getAs(Customers.RANK), id + " rank");
      assertEquals(e.share(), (Double) r.getAs(Customers.VALUE_SHARE), EPS, id + " share");
      assertEquals(e.cumulative(), (Double) r.getAs(Customers.CUMULATIVE_SHARE), EPS, id + " cumulative");
    });
    // Over all customers (1025): K1 A, K2 above 87.8 % -> C, K3/K4 above 97.6 % -> D, K6 above 99.5 % -> E.
    Map<String, Row> overall = byCustomer(classify(customers, sales, DEFAULTS));
    Map<String, String> classes = Map.of("K1", "A", "K2", "C", "K3", "D", "K4", "D", "K5", "E", "K6", "E");
    classes.forEach((id, c) -> assertEquals(c, overall.get(id).getAs(Customers.CLASS), id + " class over all"));
  }

  @Test
  void xyzByTheCoefficientOfVariationOfMonthlyRevenue() {
    List<Row> sales = new ArrayList<>();
    for (int m = 1; m <= 12; m++) {
      String day = String.format("2024-%02d-15", m);
      sales.add(sale("X1", day, "100")); // cv 0
      sales.add(sale("X2", day, m % 2 == 0 ? "150" : "50")); // mean 100, sd 50: cv 0.5 -> X (inclusive)
      if (m > 6) {
        sales.add(sale("Y1", day, "100")); // 6 of 12 months: mean 50, sd 50: cv 1.0 -> Y (inclusive)
      }
    }
    sales.add(sale("Z1", "2024-12-15", "1200")); // one month: cv sqrt(11)
    sales.add(sale("Z2", "2024-12-15", "-50")); // no positive mean: Z
    Dataset<Row> customers = customers(customer("X1", null, null, null), customer("X2", null, null, null),
        customer("Y1", null, null, null), customer("Z1", null, null, null), customer("Z2", null, null, null),
        customer("Z3", null, null, null));
    Map<String, Row> out = byCustomer(classify(customers, frame(Contract.Sales.TABLE.schema(), sales), DEFAULTS));
    Map<String, String> xyz = Map.of("X1", "X", "X2", "X", "Y1", "Y", "Z1", "Z", "Z2", "Z", "Z3", "Z");
    xyz.forEach((id, c) -> assertEquals(c, out.get(id).getAs(Customers.XYZ_CLASS), id + " XYZ class"));
    assertEquals(0.0, (Double) out.get("X1").getAs(Customers.XYZ_CV), EPS);
    assertEquals(0.5, (Double) out.get("X2").getAs(Customers.XYZ_CV), EPS);
    assertEquals(1.0, (Double) out.get("Y1").getAs(Customers.XYZ_CV), EPS);
    assertEquals(Math.sqrt(11), (Double) out.get("Z1").getAs(Customers.XYZ_CV), 1e-6);
    assertNull(out.get("Z2").getAs(Customers.XYZ_CV));
    assertNull(out.get("Z3").getAs(Customers.XYZ_CV), "no sales at all");
    // Stricter cut-offs move X2 to Y and Y1 to Z.
    Map<String, Row> strict = byCustomer(classify(customers, frame(Contract.Sales.TABLE.schema(), sales),
        DEFAULTS.withXyz(0.4, 0.9)));
    assertEquals("Y", strict.get("X2").getAs(Customers.XYZ_CLASS));
    assertEquals("Z", strict.get("Y1").getAs(Customers.XYZ_CLASS));
  }

  /**
   * S1..S4 with values 300, 200, 100, 0; the percentiles and scores below are computed by hand
   * (mid-rank: (#lower + #lower-or-equal) / 2n).
   */
  private static Dataset<Row> scoreCustomers() {
    return customers(
        customer("S1", null, 500, "2020-01-01"),
        customer("S2", null, 50, "2022-01-01"),
        customer("S3", null, null, "2024-06-01"),
        customer("S4", null, 10, "2015-01-01"));
  }

  private static Dataset<Row> scoreSales() {
    return sales(
        sale("S1", "2023-06-15", "100"),
        sale("S1", "2024-06-15", "300"),
        sale("S2", "2023-06-15", "200"),
        sale("S2", "2024-06-15", "200"),
        sale("S3", "2024-06-15", "100"));
  }

  @Test
  void scoreComponentsAreMidRankPercentilesAndMissingOnesDropOut() {
    Map<String, Row> out = byCustomer(classify(scoreCustomers(), scoreSales(), DEFAULTS));
    // value: S4 0 < S3 100 < S2 200 < S1 300 -> 1/8, 3/8, 5/8, 7/8
    // growth (symmetric): S2 0 = S4 0 < S1 0.5 < S3 1 -> 2/8, 2/8, 5/8, 7/8
    // potential (employees, S3 unknown): S4 10 < S2 50 < S1 500 -> 1/6, 3/6, 5/6
    // loyalty: tenure S3 < S2 < S1 < S4 -> 1/8..7/8; active months S4 0 < S1 = S2 = S3 1 -> 1/8, 5/8
    //   S1 (5/8 + 5/8)/2, S2 (3/8 + 5/8)/2, S3 (1/8 + 5/8)/2, S4 (7/8 + 1/8)/2
    // payment: no invoices -> null; weights .4 .2 .1 .2 renormalised over 0.9 (S3: 0.8)
    double[][] expected = {
        // value, growth, potential, loyalty, score
        {0.875, 0.625, 5.0 / 6, 0.625, 0.759259},
        {0.625, 0.25, 0.5, 0.5, 0.5},
        {0.375, 0.875, Double.NaN, 0.375, 0.5},
        {0.125, 0.25, 1.0 / 6, 0.5, 0.240741}};
    int[] scoreRanks = {1, 2, 2, 4};
    for (int i = 0; i < 4; i++) {
      Row r = out.get("S" + (i + 1));
      String id = "S" + (i + 1);
      assertEquals(expected[i][0], (Double) r.getAs(Customers.VALUE_SCORE), EPS, id + " value score");
      assertEquals(expected[i][1], (Double) r.getAs(Customers.GROWTH_SCORE), EPS, id + " growth score");
      if (Double.isNaN(expected[i][2])) {
        assertNull(r.getAs(Customers.POTENTIAL_SCORE), id + " potential without employees");
      } else {
        assertEquals(expected[i][2], (Double) r.getAs(Customers.POTENTIAL_SCORE), EPS, id + " potential score");
      }
      assertEquals(expected[i][3], (Double) r.getAs(Customers.LOYALTY_SCORE), EPS, id + " loyalty score");
      assertNull(r.getAs(Customers.PAYMENT_SCORE), id + " payment score without invoices");
      assertEquals(expected[i][4], (Double) r.getAs(Customers.SCORE), EPS, id + " score");
      assertEquals(scoreRanks[i], (Integer) r.getAs(Customers.SCORE_RANK), id + " score rank");
    }
    // Pareto classes (600): S1 A, S2 ranked above 50 % -> B, S3 above 83 % -> C, S4 zero -> E.
    assertEquals(List.of("A", "B", "C", "E"), classesOf(out, "S1", "S2", "S3", "S4"));
    assertEquals(200.0, (Double) out.get("S1").getAs(Customers.GROWTH_PERCENT), EPS);
    assertEquals(0.0, (Double) out.get("S2").getAs(Customers.GROWTH_PERCENT), EPS);
    assertNull(out.get("S3").getAs(Customers.GROWTH_PERCENT), "nothing in the year before");
  }

  @Test
  void scoreMethodCutsClassesByTheShareOfCustomersRankedAbove() {
    AbcSettings score = DEFAULTS.withMethod(Method.SCORE).withScoreCutoffs(List.of(25.0, 50.0, 75.0));
    Map<String, Row> out = byCustomer(classify(scoreCustomers(), scoreSales(), score));
    // score ranks 1, 2, 2, 4 of 4: ranked above 0 % -> A; 25 % (tie) -> B for both; S4 no value -> D.
    assertEquals(List.of("A", "B", "B", "D"), classesOf(out, "S1", "S2", "S3", "S4"));
    // The class is cut by score, not revenue: no revenue band, the rank by revenue.
    assertEquals("A: score 0.76, rank 1 of 4 by revenue, revenue grew from €100 to €300 year on year",
        out.get("S1").getAs(Customers.REASON_EN));
    assertEquals("A: Score 0,76, Rang 1 von 4 nach Umsatz, Umsatz im Jahresvergleich von 100 € auf 300 € gestiegen",
        out.get("S1").getAs(Customers.REASON_DE));
    assertEquals("B: score 0.50, rank 2 of 4 by revenue, +0 % growth", out.get("S2").getAs(Customers.REASON_EN));
    assertEquals("B: score 0.50, rank 3 of 4 by revenue, new in the last 12 months",
        out.get("S3").getAs(Customers.REASON_EN));
    assertEquals("D: no revenue in the last 12 months", out.get("S4").getAs(Customers.REASON_EN));
  }

  @Test
  void marginLeavesOutLinesWithoutCost() {
    Dataset<Row> customers = customers(customer("M1", null, null, null), customer("M2", null, null, null),
        customer("M3", null, null, null));
    Dataset<Row> sales = sales(
        sale("M1", "2024-12-01", "100", "60"),
        sale("M2", "2024-12-01", "50", "0"),
        sale("M3", "2024-12-01", "200", null));
    Map<String, Row> out = byCustomer(classify(customers, sales, DEFAULTS.withMeasure(Measure.MARGIN)));
    // margins 40, 50, unknown (0): M2 A, M1 ranked above 55.6 % -> B, M3 E
    assertEquals(List.of("B", "A", "E"), classesOf(out, "M1", "M2", "M3"));
    assertEquals(0, new BigDecimal("200").compareTo(out.get("M3").getAs(Customers.REVENUE)), "revenue is still counted");
    assertEquals("A: among the largest customers, who bring the first 50 % of margin, rank 1 of 3 by margin, "
        + "new in the last 12 months", out.get("M2").getAs(Customers.REASON_EN));
    assertEquals("A: unter den größten Kunden, die die ersten 50 % der Marge bringen, Rang 1 von 3 nach Marge, "
        + "neu in den letzten 12 Monaten", out.get("M2").getAs(Customers.REASON_DE));
    assertEquals("E: keine Marge in den letzten 12 Monaten", out.get("M3").getAs(Customers.REASON_DE));
    assertEquals(40.0 / 90, (Double) out.get("M1").getAs(Customers.VALUE_SHARE), EPS);
  }

  @Test
  void paymentBehaviourFromInvoicesAndPayments() {
    Dataset<Row> customers = customers(customer("P1", null, null, null), customer("P2", null, null, null),
        customer("P3", null, null, null), customer("P4", null, null, null));
    Dataset<Row> invoices = frame(Contract.Invoices.TABLE.schema(), List.of(
        invoice("I1", "P1", "2024-06-01", "2024-06-30", "100"),
        invoice("I2", "P1", "2024-08-01", "2024-08-31", "100"),
        invoice("I3", "P2", "2024-11-01", "2024-12-01", "100"),
        invoice("I4", "P3", "2024-12-20", "2025-01-15", "100"), // not yet due
        invoice("I5", "P3", "2023-06-01", "2023-06-30", "100"), // due before the window
        invoice("I6", "P4", "2024-10-01", "2024-10-31", "100")));
    Dataset<Row> payments = frame(Contract.Payments.TABLE.schema(), List.of(
        payment("Y1", "I1", "2024-07-10", "100"), // 10 days late
        payment("Y2", "I2", "2024-08-20", "100"), // early: 0
        payment("Y3", "I3", "2024-12-05", "50"), // half paid: late until as_of, 30 days
        payment("Y5", "I5", "2024-01-30", "100"),
        payment("Y6", "I6", "2025-01-05", "100"))); // after as_of: open, 61 days
    Map<String, Row> out = byCustomer(AbcClassification.transform(customers, sales(),
        Optional.of(new PaymentTables(invoices, payments)), Optional.empty(), DEFAULTS, AbcTestWordings.EN,
        AbcTestWordings.DE));
    assertEquals(5.0, (Double) out.get("P1").getAs(Customers.MEAN_DAYS_LATE), EPS);
    assertEquals(30.0, (Double) out.get("P2").getAs(Customers.MEAN_DAYS_LATE), EPS);
    assertNull(out.get("P3").getAs(Customers.MEAN_DAYS_LATE), "no invoice due in the window");
    assertEquals(61.0, (Double) out.get("P4").getAs(Customers.MEAN_DAYS_LATE), EPS);
    // fewer days late is better: P4 1/6, P2 3/6, P1 5/6
    assertEquals(5.0 / 6, (Double) out.get("P1").getAs(Customers.PAYMENT_SCORE), EPS);
    assertEquals(0.5, (Double) out.get("P2").getAs(Customers.PAYMENT_SCORE), EPS);
    assertNull(out.get("P3").getAs(Customers.PAYMENT_SCORE));
    assertEquals(1.0 / 6, (Double) out.get("P4").getAs(Customers.PAYMENT_SCORE), EPS);
  }

  private static Row invoice(String id, String customer, String date, String due, String amount) {
    return row(Contract.Invoices.TABLE.schema(), Map.of(Contract.Invoices.INVOICE_ID, id,
        Contract.Invoices.CUSTOMER_ID, customer, Contract.Invoices.INVOICE_DATE, Date.valueOf(date),
        Contract.Invoices.DUE_DATE, Date.valueOf(due), Contract.Invoices.AMOUNT, new BigDecimal(amount)));
  }

  private static Row payment(String id, String invoice, String paidAt, String amount) {
    return row(Contract.Payments.TABLE.schema(), Map.of(Contract.Payments.PAYMENT_ID, id,
        Contract.Payments.INVOICE_ID, invoice, Contract.Payments.PAID_AT, Date.valueOf(paidAt),
        Contract.Payments.AMOUNT, new BigDecimal(amount)));
  }

  @Test
  void migrationAgainstThePreviousRun() {
    StructType previousSchema = new StructType()
        .add(Customers.CUSTOMER_ID, DataTypes.StringType)
        .add(Customers.CLASS, DataTypes.StringType);
    Dataset<Row> before = frame(previousSchema, List.of(
        RowFactory.create("C1", "B"), RowFactory.create("C2", "B"), RowFactory.create("C5", "A"),
        RowFactory.create("C6", "D"), RowFactory.create("C8", "E"), RowFactory.create("C99", "A")));
    Optional<PreviousRun> previous = Optional.of(new PreviousRun(LocalDate.of(2024, 11, 30), before));
    Dataset<Row> current = AbcClassification.transform(paretoCustomers(), paretoSales(), Optional.empty(), previous,
        DEFAULTS, AbcTestWordings.EN, AbcTestWordings.DE);
    Map<String, Row> out = byCustomer(current);
    Map<String, String> direction = Map.of("C1", "up", "C2", "same", "C3", "new", "C4", "new", "C5", "down",
        "C6", "same", "C7", "new", "C8", "same", "C9", "new");
    direction.forEach((id, d) -> assertEquals(d, out.get(id).getAs(Customers.DIRECTION), id + " direction"));
    assertEquals("B", out.get("C1").getAs(Customers.PREVIOUS_CLASS));
    assertNull(out.get("C3").getAs(Customers.PREVIOUS_CLASS));

    Dataset<Row> matrix = AbcClassification.migration(current, previous);
    assertEquals(columns(AbcOutput.Migration.SCHEMA), columns(matrix.schema()));
    Map<String, Long> counts = new TreeMap<>();
    for (Row r : matrix.collectAsList()) {
      assertEquals(Date.valueOf("2024-11-30"), r.getAs(AbcOutput.Migration.PREVIOUS_AS_OF));
      counts.put(r.getAs(AbcOutput.Migration.PREVIOUS_CLASS) + ">" + r.getAs(AbcOutput.Migration.CLASS),
          r.getAs(AbcOutput.Migration.CUSTOMERS));
    }
    Map<String, Long> expected = new TreeMap<>(Map.of("B>A", 1L, "B>B", 1L, "null>B", 2L, "A>C", 1L, "D>D", 1L,
        "null>D", 1L, "E>E", 1L, "null>E", 1L, "A>null", 1L));
    assertEquals(expected, counts, "migration matrix (previous>current; null = not in that run)");

    Map<String, Long> first = new TreeMap<>();
    for (Row r : AbcClassification.migration(current, Optional.empty()).collectAsList()) {
      assertNull(r.getAs(AbcOutput.Migration.PREVIOUS_AS_OF));
      first.put(r.getAs(AbcOutput.Migration.PREVIOUS_CLASS) + ">" + r.getAs(AbcOutput.Migration.CLASS),
          r.getAs(AbcOutput.Migration.CUSTOMERS));
    }
    assertEquals(new TreeMap<>(Map.of("null>A", 1L, "null>B", 3L, "null>C", 1L, "null>D", 2L, "null>E", 2L)), first,
        "first run: everything is new");
  }

  @Test
  void outputSchemasMatchTheirGoldenFiles() throws IOException {
    Path golden = Path.of("src/test/resources/golden/abc");
    for (Map.Entry<String, StructType> e : Map.of("customers.json", Customers.SCHEMA,
        "migration.json", AbcOutput.Migration.SCHEMA).entrySet()) {
      Path file = golden.resolve(e.getKey());
      String actual = e.getValue().prettyJson() + "\n";
      if (Boolean.getBoolean("golden.update")) {
        Files.createDirectories(golden);
        Files.writeString(file, actual);
      }
      assertTrue(Files.exists(file), "no golden schema " + file + "; run with -Dgolden.update=true");
      assertEquals(Files.readString(file), actual, "schema " + e.getKey() + " changed");
    }
  }

  /** Names and types; Parquet makes every column nullable, so nullability is not compared. */
  private static List<String> columns(StructType schema) {
    List<String> out = new ArrayList<>();
    for (StructField f : schema.fields()) {
      out.add(f.name() + ":" + f.dataType().simpleString());
    }
    return out;
  }

  private static List<String> classesOf(Map<String, Row> out, String... ids) {
    List<String> classes = new ArrayList<>();
    for (String id : ids) {
      classes.add(out.get(id).getAs(Customers.CLASS));
    }
    return classes;
  }
}
