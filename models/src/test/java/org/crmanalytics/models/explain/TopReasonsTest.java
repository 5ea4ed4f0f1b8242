package org.crmanalytics.models.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.models.explain.FeatureLabels.Better;
import org.crmanalytics.models.explain.FeatureLabels.Label;
import org.crmanalytics.models.features.CustomerSnapshot;
import org.crmanalytics.models.scores.CustomerScores;
import org.crmanalytics.models.scores.CustomerScores.Reason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Reasons of hand-made customers, with medians per peer group computed by Spark. */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class TopReasonsTest {
  private static final List<String> FEATURES = List.of("order_count_90d", "days_since_last_order", "revenue_trend",
      "open_complaints", "revenue_12m", "visits_90d", "score_from_elsewhere");
  private static final StructType SCHEMA = new StructType()
      .add("customer_id", DataTypes.StringType, false)
      .add("segment", DataTypes.StringType, true)
      .add("region", DataTypes.StringType, true)
      .add("order_count_90d", DataTypes.LongType, true)
      .add("days_since_last_order", DataTypes.IntegerType, true)
      .add("revenue_trend", DataTypes.DoubleType, true)
      .add("open_complaints", DataTypes.LongType, true)
      .add("revenue_12m", CustomerSnapshot.MONEY_SUM, true)
      .add("visits_90d", DataTypes.LongType, true)
      .add("score_from_elsewhere", DataTypes.DoubleType, true)
      .add("contributions", FeatureContributions.TYPE, true);
  /** Groups of 3 customers count as peers here, so that the fixture stays small. */
  private static final ReasonRules THREE_PEERS = new ReasonRules(3, 0.25, 0.10, 1, 7);
  private static SparkSession spark;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
  }

  /** Customer c1: raised by few orders, a long pause and falling revenue; lowered by revenue and visits. */
  private static final double[] C1_CONTRIBUTIONS = {0.8, 0.5, 0.3, 0.1, -0.6, -0.2, -0.05};

  private static Row customer(String id, String segment, String region, Long orders, Integer days, double trend,
      long complaints, String revenue, long visits, double other, double[] contributions) {
    List<Double> c = new ArrayList<>();
    for (double v : contributions) {
      c.add(v);
    }
    return RowFactory.create(id, segment, region, orders, days, trend, complaints, new BigDecimal(revenue), visits, other, c);
  }

  private static Dataset<Row> customers() {
    double[] small = {0.01, -0.01, 0, 0, 0, 0, 0};
    return spark.createDataFrame(List.of(
        // Segment SMB: the medians are 6 orders, 30 days, 5 %, 0 complaints, 80,000, 1 visit, 1.25.
        // Region Süd (c1 to c6): 9 orders (of 1, 6, 9, 30, 35, 40 the lower middle), 30 days.
        customer("c1", "SMB", "Süd", 1L, 120, -0.45, 2, "125000.5000", 3, 0.5, C1_CONTRIBUTIONS),
        customer("c2", "SMB", "Süd", 6L, 30, 0.05, 0, "80000", 1, 1.25, small),
        customer("c3", "SMB", "Süd", 9L, 10, 0.2, 0, "70000", 0, 2.0, small),
        // Segment KEY: c4 has no order yet (days null); the median of 20 and 40 days is the lower, 20.
        customer("c4", "KEY", "Süd", 40L, null, 0.0, 0, "900000", 5, 1, new double[] {-0.1, 0.9, 0, 0, 0, 0, 0}),
        customer("c5", "KEY", "Süd", 30L, 20, 0.1, 0, "800000", 4, 1, small),
        customer("c6", "KEY", "Süd", 35L, 40, 0.1, 0, "850000", 4, 1, small),
        // No segment and alone in its region: compared with all customers (0 open complaints).
        customer("c7", null, "Nord", 2L, 200, 0.0, 1, "1000", 0, 0, new double[] {0, 0, 0, 0.4, 0, 0, 0})), SCHEMA);
  }

  private static Map<String, Row> byCustomer(Dataset<Row> out) {
    Map<String, Row> m = new TreeMap<>();
    for (Row r : out.collectAsList()) {
      m.put(r.getString(r.fieldIndex("customer_id")), r);
    }
    return m;
  }

  private static void assertReason(Row r, int rank, String direction, String feature, double contribution,
      Double value, Double typical, String en, String de) {
    String where = direction + " #" + rank + " " + feature;
    assertEquals(rank, r.getInt(r.fieldIndex(Reason.RANK)), where);
    assertEquals(direction, r.getString(r.fieldIndex(Reason.DIRECTION)), where);
    assertEquals(feature, r.getString(r.fieldIndex(Reason.FEATURE)), where);
    assertEquals(contribution, r.getDouble(r.fieldIndex(Reason.CONTRIBUTION)), 0.0, where);
    assertEquals(value, r.isNullAt(r.fieldIndex(Reason.VALUE)) ? null : r.getDouble(r.fieldIndex(Reason.VALUE)), where);
    assertEquals(typical, r.isNullAt(r.fieldIndex(Reason.TYPICAL)) ? null : r.getDouble(r.fieldIndex(Reason.TYPICAL)),
        where);
    assertEquals(en, r.getString(r.fieldIndex(Reason.TEXT_EN)), where);
    assertEquals(de, r.getString(r.fieldIndex(Reason.TEXT_DE)), where);
  }

  @Test
  void exactReasonsOfAHandMadeCustomer() {
    Dataset<Row> out = TopReasons.withReasons(customers(), "contributions", List.of("segment"), FEATURES,
        TestWordings.labels(), THREE_PEERS);
    assertEquals(CustomerScores.REASONS_TYPE, out.schema().apply(CustomerScores.CHURN_REASONS).dataType());
    Row c1 = byCustomer(out).get("c1");
    List<Row> reasons = c1.getList(c1.fieldIndex(CustomerScores.CHURN_REASONS));
    assertEquals(6, reasons.size(), "3 raising (open_complaints is 4th and left out) and 3 lowering");
    assertReason(reasons.get(0), 1, Reason.RAISES, "order_count_90d", 0.8, 1.0, 6.0,
        "orders in the last 90 days: 1 (typical: 6)", "Aufträge der letzten 90 Tage: 1 (üblich: 6)");
    assertReason(reasons.get(1), 2, Reason.RAISES, "days_since_last_order", 0.5, 120.0, 30.0,
        "time since the last order: 120 days (typical: 30 days)",
        "Zeit seit dem letzten Auftrag: 120 Tage (üblich: 30 Tage)");
    assertReason(reasons.get(2), 3, Reason.RAISES, "revenue_trend", 0.3, -0.45, 0.05,
        "revenue change vs. the year before: -45% (typical: 5%)",
        "Umsatzentwicklung zum Vorjahr: -45 % (üblich: 5 %)");
    assertReason(reasons.get(3), 1, Reason.LOWERS, "revenue_12m", -0.6, 125000.5, 80000.0,
        "revenue in the last 12 months: €125,001 (typical: €80,000)",
        "Umsatz der letzten 12 Monate: 125.001 € (üblich: 80.000 €)");
    assertReason(reasons.get(4), 2, Reason.LOWERS, "visits_90d", -0.2, 3.0, 1.0,
        "visits in the last 90 days: 3 (typical: 1)", "Besuche der letzten 90 Tage: 3 (üblich: 1)");
    assertReason(reasons.get(5), 3, Reason.LOWERS, "score_from_elsewhere", -0.05, 0.5, 1.25,
        "score_from_elsewhere: 0.5 (typical: 1.25)", "score_from_elsewhere: 0,5 (üblich: 1,25)");
    assertEquals("orders in the last 90 days: 1 (typical: 6); time since the last order: 120 days (typical: 30 days); "
        + "revenue change vs. the year before: -45% (typical: 5%)",
        c1.getString(c1.fieldIndex(CustomerScores.CHURN_REASONS_EN)));
    assertEquals("Aufträge der letzten 90 Tage: 1 (üblich: 6); Zeit seit dem letzten Auftrag: 120 Tage (üblich: 30 Tage); "
        + "Umsatzentwicklung zum Vorjahr: -45 % (üblich: 5 %)",
        c1.getString(c1.fieldIndex(CustomerScores.CHURN_REASONS_DE)));
  }

  @Test
  void missingValuesUnclearDifferencesAndTooSmallGroups() {
    Map<String, Row> out = byCustomer(TopReasons.withReasons(customers(), "contributions", List.of("segment"),
        FEATURES, TestWordings.labels(), THREE_PEERS));
    Row c4 = out.get("c4");
    List<Row> r4 = c4.getList(c4.fieldIndex(CustomerScores.CHURN_REASONS));
    assertEquals(1, r4.size(), "40 orders against a typical 35 is not a clear difference: no lowering reason");
    assertReason(r4.get(0), 1, Reason.RAISES, "days_since_last_order", 0.9, null, 20.0,
        "time since the last order: no value (typical: 20 days)",
        "Zeit seit dem letzten Auftrag: kein Wert (üblich: 20 Tage)");
    Row c7 = out.get("c7");
    assertEquals("open complaints: 1 (typical among all customers: 0)",
        c7.getString(c7.fieldIndex(CustomerScores.CHURN_REASONS_EN)),
        "a customer without a segment has no peers there and is compared with all customers");
    assertEquals("offene Reklamationen: 1 (üblich bei allen Kunden: 0)",
        c7.getString(c7.fieldIndex(CustomerScores.CHURN_REASONS_DE)));
    for (String typicalCustomer : List.of("c2", "c5")) {
      Row r = out.get(typicalCustomer);
      assertEquals(List.of(), r.getList(r.fieldIndex(CustomerScores.CHURN_REASONS)),
          typicalCustomer + " has the typical values: small contributions are no reason");
      assertNull(r.get(r.fieldIndex(CustomerScores.CHURN_REASONS_EN)));
    }
    Row zeros = TopReasons.reasons(new double[7], new Double[7], null, null, FEATURES, TestWordings.labels(),
        THREE_PEERS);
    assertEquals(List.of(), zeros.get(0), "no contribution, no reason");
    assertNull(zeros.get(1));
    assertNull(zeros.get(2));
  }

  @Test
  void aCoarserPeerGroupIsNamedWhenTheCustomersOwnIsTooSmall() {
    ReasonRules fourPeers = new ReasonRules(4, 0.25, 0.10, 1, 7);
    Map<String, Row> out = byCustomer(TopReasons.withReasons(customers(), "contributions",
        List.of("segment", "region"), FEATURES, TestWordings.labels(), fourPeers));
    Row c1 = out.get("c1");
    List<Row> reasons = c1.getList(c1.fieldIndex(CustomerScores.CHURN_REASONS));
    assertReason(reasons.get(0), 1, Reason.RAISES, "order_count_90d", 0.8, 1.0, 9.0,
        "orders in the last 90 days: 1 (typical in region Süd: 9)",
        "Aufträge der letzten 90 Tage: 1 (üblich in der Region Süd: 9)");
    assertReason(reasons.get(1), 2, Reason.RAISES, "days_since_last_order", 0.5, 120.0, 30.0,
        "time since the last order: 120 days (typical in region Süd: 30 days)",
        "Zeit seit dem letzten Auftrag: 120 Tage (üblich in der Region Süd: 30 Tage)");
    Row c7 = out.get("c7");
    assertEquals("open complaints: 1 (typical among all customers: 0)",
        c7.getString(c7.fieldIndex(CustomerScores.CHURN_REASONS_EN)), "region Nord has one customer: no peers");

    Map<String, Row> tooFew = byCustomer(TopReasons.withReasons(customers(), "contributions", List.of("segment"),
        FEATURES, TestWordings.labels(), new ReasonRules(8, 0.25, 0.10, 1, 7)));
    Row alone = tooFew.get("c1");
    Row first = alone.<Row>getList(alone.fieldIndex(CustomerScores.CHURN_REASONS)).get(0);
    assertReason(first, 1, Reason.RAISES, "order_count_90d", 0.8, 1.0, null, "orders in the last 90 days: 1",
        "Aufträge der letzten 90 Tage: 1");
  }

  @Test
  void wrongInputIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TopReasons.withReasons(customers(), "contributions", List.of("segment"), List.of("revenue_90d"),
            TestWordings.labels(), THREE_PEERS));
    assertTrue(e.getMessage().startsWith("top reasons: [revenue_90d] not among the columns"), e.getMessage());
    IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
        () -> TopReasons.reasons(new double[3], new Double[3], null, null, FEATURES, TestWordings.labels(),
            THREE_PEERS));
    assertEquals("top reasons: 3 contributions but 7 feature names; pass the columns the feature vector was "
        + "assembled from, in order", length.getMessage());
  }

  @Test
  void everyNumericSnapshotColumnHasAFormat() {
    FeatureLabels labels = TestWordings.labels();
    for (StructField f : CustomerSnapshot.schema(new CustomerSnapshot.Settings(List.of(30, 180), List.of(60)))
        .fields()) {
      if (f.dataType() instanceof NumericType) {
        assertTrue(labels.knows(f.name()), f.name() + " is not in the catalogue");
      }
    }
    assertEquals(new Label("calls in the last 60 days", "Anrufe der letzten 60 Tage", ValueFormat.COUNT),
        labels.label("calls_60d"));
    assertEquals(new Label("credit_limit", "credit_limit", ValueFormat.MONEY), labels.label("credit_limit"),
        "a column the wording lacks reads as its name");
    Label own = new Label("churn score of the partner", "Abwanderungswert des Partners", ValueFormat.NUMBER);
    assertEquals(own, labels.with("partner_score", own, Better.LOWER).label("partner_score"));
    assertEquals(Better.LOWER, labels.with("partner_score", own, Better.LOWER).better("partner_score"));
    assertEquals(Better.HIGHER, labels.better("visits_60d"));
    assertEquals(Better.EITHER, labels.better("score_from_elsewhere"));
  }

  @Test
  void aLabelWithASentenceHoldsTheValueInIt() {
    String label = "payment delay|pays {0} later than a year before|pays {0} earlier than a year before";
    ReasonWording en = TestWordings.EN;
    assertEquals("pays 23 days later than a year before (typical: 0 days)",
        TopReasons.text(label, ValueFormat.DAYS, 23.0, 0.0, null, en));
    assertEquals("pays 5 days earlier than a year before",
        TopReasons.text(label, ValueFormat.DAYS, -5.0, null, null, en));
    assertEquals("payment delay: no value (typical: 3 days)",
        TopReasons.text(label, ValueFormat.DAYS, null, 3.0, null, en), "a missing value keeps the noun form");
    assertEquals("€48,000 overdue by more than 90 days (typical in region North: €0)",
        TopReasons.text("overdue more than 90 days|{0} overdue by more than 90 days", ValueFormat.MONEY, 48_000.0,
            0.0, new TopReasons.PeerGroup("region", "North", false), en), "one form serves both signs");
    String discount = "discount share|takes the discount on {0} of its invoices||took no discount";
    assertEquals("took no discount (typical: 40%)", TopReasons.text(discount, ValueFormat.PERCENT, 0.0, 0.4, null, en),
        "exactly 0 has a sentence of its own");
    assertEquals("takes the discount on 10% of its invoices", TopReasons.text(discount, ValueFormat.PERCENT, 0.1, null,
        null, en), "an empty form is the first sentence's");
    assertEquals("orders in the last 90 days: 1 (typical among all customers: 6)",
        TopReasons.text("orders in the last 90 days", ValueFormat.COUNT, 1.0, 6.0,
            new TopReasons.PeerGroup(null, null, false), en));
  }

  @Test
  void formats() {
    ReasonWording en = TestWordings.EN;
    ReasonWording de = TestWordings.DE;
    assertEquals("€1,234,568", ValueFormat.MONEY.format(1234567.5, en));
    assertEquals("1.234.568 €", ValueFormat.MONEY.format(1234567.5, de));
    assertEquals("-€80", ValueFormat.MONEY.format(-80.2, en), "the sign before the currency");
    assertEquals("-80 €", ValueFormat.MONEY.format(-80.2, de));
    assertEquals("€0", ValueFormat.MONEY.format(-0.4, en), "no sign on what rounds to 0");
    assertEquals("1 day", ValueFormat.DAYS.format(1.0, en));
    assertEquals("1,5 Tage", ValueFormat.DAYS.format(1.5, de));
    assertEquals("0%", ValueFormat.PERCENT.format(-0.004, en));
    assertEquals("12,5", ValueFormat.COUNT.format(12.5, de));
    assertEquals("no value", ValueFormat.NUMBER.format(Double.NaN, en));
    assertEquals("-1.23", ValueFormat.NUMBER.format(-1.234, en));
    assertEquals("a {1} b", ReasonWording.fill("{0} {1} {2}", "a", "{1}", "b"), "arguments are not filled again");
  }
}
