package org.crmanalytics.models.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Row;
import org.crmanalytics.models.explain.TopReasons.PeerGroup;
import org.crmanalytics.models.scores.CustomerScores.Reason;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Which features make a reason, and how the peer group reads, without Spark. */
@Tag("unit")
class ReasonRulesTest {
  private static final ReasonRules RULES = ReasonRules.DEFAULT;
  private static final ReasonWording EN = TestWordings.EN;
  private static final PeerGroup OWN = new PeerGroup("segment", "SMB", true);

  @SuppressWarnings("unchecked")
  private static List<String> features(Row reasons) {
    // The UDF's row before Spark converts it: the reasons are a java.util.List.
    return ((List<Row>) reasons.get(0)).stream()
        .map(r -> r.getString(r.fieldIndex(Reason.DIRECTION)) + " " + r.getString(r.fieldIndex(Reason.FEATURE)))
        .toList();
  }

  @Test
  void aBetterThanTypicalValueThatRaisesTheRiskIsLeftOutAndTheNextReasonTaken() {
    List<String> features = List.of("offer_win_rate_12m", "share_paid_late_12m", "days_since_last_order",
        "order_count_12m", "visits_90d");
    Row out = TopReasons.reasons(new double[] {0.9, 0.7, 0.5, 0.3, 0.2},
        new Double[] {1.0, 0.0, 90.0, 2.0, 0.0}, new Double[] {0.0, 0.5, 30.0, 8.0, 0.0}, OWN, features,
        TestWordings.labels(), RULES);
    assertEquals(List.of("raises days_since_last_order", "raises order_count_12m"), features(out),
        "a 100 % win rate and no late invoices cannot explain a higher risk; 0 visits as usual says nothing");
    assertEquals("time since the last order: 90 days (typical: 30 days); orders in the last 12 months: 2 (typical: 8)",
        out.getString(1));
    assertEquals("Zeit seit dem letzten Auftrag: 90 Tage (üblich: 30 Tage); Aufträge der letzten 12 Monate: 2 "
        + "(üblich: 8)", out.getString(2));
  }

  @Test
  void aWorseThanTypicalValueThatLowersTheRiskIsLeftOut() {
    List<String> features = List.of("revenue_12m", "open_complaints", "employees");
    Row out = TopReasons.reasons(new double[] {-0.8, -0.4, 0.3}, new Double[] {10_000.0, 0.0, 5.0},
        new Double[] {80_000.0, 2.0, 50.0}, OWN, features, TestWordings.labels(), RULES);
    assertEquals(List.of("raises employees", "lowers open_complaints"), features(out),
        "company size has no better side; low revenue cannot lower the risk");
    assertEquals("number of employees: 5 (typical: 50)", out.getString(1));
  }

  @Test
  void clearDifferencePerKindOfFeature() {
    assertFalse(RULES.differsClearly(6, 7, ValueFormat.COUNT, EN), "one order in seven");
    assertTrue(RULES.differsClearly(6, 8, ValueFormat.COUNT, EN));
    assertFalse(RULES.differsClearly(0.4, 0.6, ValueFormat.COUNT, EN), "less than one");
    assertFalse(RULES.differsClearly(30, 35, ValueFormat.DAYS, EN));
    assertTrue(RULES.differsClearly(30, 45, ValueFormat.DAYS, EN));
    assertFalse(RULES.differsClearly(2, 7, ValueFormat.DAYS, EN), "less than a week");
    assertFalse(RULES.differsClearly(0.40, 0.45, ValueFormat.PERCENT, EN));
    assertTrue(RULES.differsClearly(0.40, 0.50, ValueFormat.PERCENT, EN), "10 percentage points");
    assertFalse(RULES.differsClearly(0.02, 0.03, ValueFormat.PERCENT, EN), "50 % more, but one point");
    assertFalse(RULES.differsClearly(1_000, 1_200, ValueFormat.MONEY, EN));
    assertTrue(RULES.differsClearly(1_000, 1_400, ValueFormat.MONEY, EN));
    assertFalse(RULES.differsClearly(1.001, 1.004, ValueFormat.NUMBER, EN), "the same when rounded");
    assertTrue(RULES.differsClearly(0.5, 1.25, ValueFormat.NUMBER, EN));
  }

  @Test
  void missingValuesAndMissingComparisons() {
    assertTrue(RULES.worthShowing(0.5, null, 20.0, ValueFormat.DAYS, FeatureLabels.Better.LOWER, EN),
        "no order yet where others ordered 20 days ago");
    assertFalse(RULES.worthShowing(0.5, null, null, ValueFormat.DAYS, FeatureLabels.Better.LOWER, EN));
    assertTrue(RULES.worthShowing(0.5, 1.0, null, ValueFormat.PERCENT, FeatureLabels.Better.HIGHER, EN),
        "without peers nothing can be compared: the contribution decides");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ReasonRules(1, 0.25, 0.1, 1,
        7));
    assertEquals("a peer group needs at least 2 customers, found 1", e.getMessage());
  }

  @Test
  void thePeerGroupIsNamedWhenNotTheCustomersOwn() {
    ReasonWording de = TestWordings.DE;
    assertEquals("orders in the last 12 months: 2 (typical: 8)",
        TopReasons.text("orders in the last 12 months", ValueFormat.COUNT, 2.0, 8.0, OWN, EN));
    PeerGroup region = new PeerGroup("region", "Bayern", false);
    assertEquals("orders in the last 12 months: 2 (typical in region Bayern: 8)",
        TopReasons.text("orders in the last 12 months", ValueFormat.COUNT, 2.0, 8.0, region, EN));
    assertEquals("Aufträge der letzten 12 Monate: 2 (üblich in der Region Bayern: 8)",
        TopReasons.text("Aufträge der letzten 12 Monate", ValueFormat.COUNT, 2.0, 8.0, region, de));
    PeerGroup all = new PeerGroup(null, null, false);
    assertEquals("orders in the last 12 months: 2 (typical among all customers: 8)",
        TopReasons.text("orders in the last 12 months", ValueFormat.COUNT, 2.0, 8.0, all, EN));
    assertEquals("Aufträge der letzten 12 Monate: 2 (üblich bei allen Kunden: 8)",
        TopReasons.text("Aufträge der letzten 12 Monate", ValueFormat.COUNT, 2.0, 8.0, all, de));
    assertEquals("orders in the last 12 months: 2 (typical in channel web: 8)",
        TopReasons.text("orders in the last 12 months", ValueFormat.COUNT, 2.0, 8.0,
            new PeerGroup("channel", "web", false), EN), "a column without wording is named as it is");
  }
}
