package org.crmanalytics.jobs.kpis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.kpis.KpiInputs;
import org.crmanalytics.models.kpis.KpiOutput;
import org.crmanalytics.models.kpis.KpiSettings;
import org.crmanalytics.models.kpis.SalesControllingKpis;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every KPI family on the hand-made {@link KpiFixture} company, as of 2025-03-15 with three months
 * of history (2025-01, 2025-02, 2025-03, 2025-Q1, 2025). The expected values are worked out in
 * the comments from the fixture's rows.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class SalesControllingKpisTest {
  private static final double EPS = 1e-9;
  private static final KpiSettings SETTINGS = KpiSettings.defaults().withHistoryMonths(3);

  private static SparkSession spark;
  private static Map<String, Row> kpis;
  private static List<Row> escalations;
  private static org.apache.spark.sql.types.StructType schema;

  @BeforeAll
  static void computeOnce(SparkSession session) {
    spark = session;
    KpiInputs in = KpiFixture.inputs(spark, KpiFixture.company());
    Dataset<Row> out = SalesControllingKpis.transform(in, KpiFixture.AS_OF, SETTINGS);
    schema = out.schema();
    kpis = byKey(out.collectAsList());
    escalations = SalesControllingKpis.escalations(in, KpiFixture.AS_OF).collectAsList();
  }

  private static Map<String, Row> byKey(List<Row> rows) {
    Map<String, Row> out = new TreeMap<>();
    for (Row r : rows) {
      String key = key(r.getString(0), r.getString(1), r.getString(3), r.getString(4), r.getString(5));
      assertNull(out.put(key, r), "one row per period, slice and KPI: " + key);
    }
    return out;
  }

  private static String key(String type, String period, String dimension, String value, String kpi) {
    return type + "|" + period + "|" + dimension + "|" + value + "|" + kpi;
  }

  private static Row row(String type, String period, String dimension, String value, String kpi) {
    Row r = kpis.get(key(type, period, dimension, value, kpi));
    if (r == null) {
      fail("no row " + key(type, period, dimension, value, kpi) + "; rows of that KPI: "
          + kpis.keySet().stream().filter(k -> k.endsWith("|" + kpi)).toList());
    }
    return r;
  }

  private static double value(String type, String period, String dimension, String value, String kpi) {
    Row r = row(type, period, dimension, value, kpi);
    assertFalse(r.isNullAt(6), "value of " + r);
    return r.getDouble(6);
  }

  private static void expect(double expected, String type, String period, String dimension, String value,
      String kpi) {
    assertEquals(expected, value(type, period, dimension, value, kpi), EPS,
        key(type, period, dimension, value, kpi));
  }

  private static void expectAll(double expected, String type, String period, String kpi) {
    expect(expected, type, period, "all", "all", kpi);
  }

  private static void absent(String type, String period, String dimension, String value, String kpi) {
    assertFalse(kpis.containsKey(key(type, period, dimension, value, kpi)),
        "no row expected for " + key(type, period, dimension, value, kpi));
  }

  @Test
  void periodsUpToAsOfAreProducedAndTheRunningOnesArePartial() {
    Map<String, Boolean> partial = new TreeMap<>();
    for (Row r : kpis.values()) {
      Boolean before = partial.put(r.getString(0) + " " + r.getString(1), r.getBoolean(2));
      assertTrue(before == null || before == r.getBoolean(2), "one partial flag per period: " + r);
    }
    assertEquals(Map.of("month 2025-01", false, "month 2025-02", false, "month 2025-03", true,
        "quarter 2025-Q1", true, "year 2025", true), partial);
  }

  @Test
  void revenueAndMarginPerSlice() {
    // Jan: S10 200 + 100; Feb: S11 300 and the return G01 -50; Mar (to the 15th): S12 400 + S13 600.
    expectAll(300, "month", "2025-01", "revenue");
    expectAll(250, "month", "2025-02", "revenue");
    expectAll(1000, "month", "2025-03", "revenue");
    expectAll(1550, "quarter", "2025-Q1", "revenue");
    expectAll(1550, "year", "2025", "revenue");
    // Margin over lines with a cost: Jan 80 + 30 of 300; Feb only the return: -50 - -30 = -20 of -50.
    expectAll(110, "month", "2025-01", "margin");
    expectAll(110.0 / 300 * 100, "month", "2025-01", "margin_percent");
    expectAll(-20, "month", "2025-02", "margin");
    expectAll(40, "month", "2025-02", "margin_percent");
    expectAll(600, "month", "2025-03", "margin");
    expectAll(60, "month", "2025-03", "margin_percent");
    // Channel: the order's, else the customer's (S11 and the return have none).
    expect(300, "month", "2025-02", "channel", "inside", "revenue");
    expect(-50, "month", "2025-02", "channel", "field", "revenue");
    expect(400, "month", "2025-03", "channel", "partner", "revenue");
    expect(600, "month", "2025-03", "channel", "web", "revenue");
    expect(400 - 100, "month", "2025-03", "channel", "partner", "margin");
    // Rep, region, industry from the customer; C5 has none.
    expect(550, "quarter", "2025-Q1", "rep", "R1", "revenue");
    expect(400, "quarter", "2025-Q1", "rep", "R2", "revenue");
    expect(600, "quarter", "2025-Q1", "rep", "(none)", "revenue");
    expect(550, "quarter", "2025-Q1", "region", "North", "revenue");
    expect(250 + 400, "quarter", "2025-Q1", "industry", "Metal", "revenue");
    // Product group of the article.
    expect(200 - 50 + 400 + 600, "quarter", "2025-Q1", "product_group", "A", "revenue");
    expect(400, "quarter", "2025-Q1", "product_group", "B", "revenue");
    absent("month", "2025-01", "rep", "R2", "revenue");
  }

  @Test
  void newCustomersAreCountedInThePeriodOfTheirFirstOrder() {
    // C1..C4 first ordered in 2024; C5's first order is S13 on 2025-03-10.
    expectAll(1, "month", "2025-03", "new_customers");
    expectAll(1, "quarter", "2025-Q1", "new_customers");
    expect(1, "quarter", "2025-Q1", "rep", "(none)", "new_customers");
    absent("month", "2025-01", "all", "all", "new_customers");
    absent("quarter", "2025-Q1", "product_group", "A", "new_customers");
  }

  @Test
  void revenueConcentrationMatchesAHandComputation() {
    // Q1 revenue per customer: C1 300 - 50 = 250, C2 300, C3 400, C5 600; total 1550.
    double[] x = {250, 300, 400, 600};
    double total = 1550;
    // Top 10 % of 4 customers, rounded up: 1 customer, C5.
    expectAll(600 / total * 100, "quarter", "2025-Q1", "top_customer_revenue_share");
    // Gini by its definition: mean absolute difference over all ordered pairs / (2 * mean).
    double differences = 0;
    for (double a : x) {
      for (double b : x) {
        differences += Math.abs(a - b);
      }
    }
    double gini = differences / (2 * x.length * x.length * (total / x.length));
    assertEquals(0.185483870967742, gini, 1e-12);
    expectAll(gini, "quarter", "2025-Q1", "revenue_gini");
    // One customer in a slice: no inequality, all revenue with the top customer.
    expectAll(0, "month", "2025-01", "revenue_gini");
    expectAll(100, "month", "2025-01", "top_customer_revenue_share");
    // Feb: C2 300 and C1 -50 (only a return): customers without positive revenue are left out.
    expectAll(0, "month", "2025-02", "revenue_gini");
  }

  @Test
  void churnRateFollowsTheLookbackDefinition() {
    // Jan: active in 2024-01..2024-12: C1, C2, C3, C4; ordered in Jan: C1 -> 3 of 4 churned.
    expectAll(4, "month", "2025-01", "active_customers");
    expectAll(3, "month", "2025-01", "churned_customers");
    expectAll(75, "month", "2025-01", "churn_rate");
    // Feb: active C1..C4 (C4's order of 2024-02-01 still in the look-back); only C2 ordered (C1's
    // return is not an order) -> 75 %.
    expectAll(75, "month", "2025-02", "churn_rate");
    // Mar: active C1, C2, C3 (C4's order left the look-back); C3 ordered -> 2 of 3.
    expectAll(3, "month", "2025-03", "active_customers");
    expectAll(200.0 / 3, "month", "2025-03", "churn_rate");
    // Q1 and 2025: active C1..C4; C1, C2, C3 (and the new C5) ordered -> C4 churned.
    expectAll(25, "quarter", "2025-Q1", "churn_rate");
    expectAll(25, "year", "2025", "churn_rate");
    expect(0, "quarter", "2025-Q1", "region", "North", "churn_rate");
    expect(50, "quarter", "2025-Q1", "region", "South", "churn_rate");
    expect(50, "quarter", "2025-Q1", "industry", "Food", "churn_rate");
    // Campaign K1: C3 (added 2024-12-05) and C4 (no date: the campaign's start 2024-12-01) before
    // Q1; C2 (added 2025-02-10) only from March on.
    expect(2, "quarter", "2025-Q1", "campaign", "K1", "active_customers");
    expect(50, "quarter", "2025-Q1", "campaign", "K1", "churn_rate");
    expect(100, "month", "2025-01", "campaign", "K1", "churn_rate");
    expect(2, "month", "2025-03", "campaign", "K1", "active_customers");
    expect(50, "month", "2025-03", "campaign", "K1", "churn_rate");
  }

  @Test
  void funnelCountsValuesAndConversions() {
    // Jan cohort (entered the funnel in Jan): O1 won 1000, O2 lost 500 after an offer, O3 lost as
    // a lead (no value, never qualified).
    expectAll(1, "month", "2025-01", "funnel_count_won");
    expectAll(2, "month", "2025-01", "funnel_count_lost");
    expectAll(0, "month", "2025-01", "funnel_count_lead");
    expectAll(1000, "month", "2025-01", "funnel_value_won");
    expectAll(500, "month", "2025-01", "funnel_value_lost");
    // reached qualified: O1, O2 of 3; reached offer: O1, O2 of 2; won: O1 of 2.
    expectAll(200.0 / 3, "month", "2025-01", "conversion_lead_qualified");
    expectAll(100, "month", "2025-01", "conversion_qualified_offer");
    expectAll(50, "month", "2025-01", "conversion_offer_won");
    // Feb cohort: O4 qualified, O5 negotiation 2000, O6 won 800 -> 3/3 qualified, 2/3 offer, 1/2 won.
    expectAll(1, "month", "2025-02", "funnel_count_qualified");
    expectAll(1, "month", "2025-02", "funnel_count_negotiation");
    expectAll(2000, "month", "2025-02", "funnel_value_negotiation");
    expectAll(100, "month", "2025-02", "conversion_lead_qualified");
    expectAll(200.0 / 3, "month", "2025-02", "conversion_qualified_offer");
    expectAll(50, "month", "2025-02", "conversion_offer_won");
    // Mar: O7 made as an offer straight away (no lead time): it entered the funnel on created_at.
    expectAll(1, "month", "2025-03", "funnel_count_offer");
    expectAll(300, "month", "2025-03", "funnel_value_offer");
    expectAll(0, "month", "2025-03", "conversion_offer_won");
    // Q1: 7 offers, 6 qualified, 5 offers, 2 won.
    expectAll(600.0 / 7, "quarter", "2025-Q1", "conversion_lead_qualified");
    expectAll(500.0 / 6, "quarter", "2025-Q1", "conversion_qualified_offer");
    expectAll(40, "quarter", "2025-Q1", "conversion_offer_won");
    // O2 has no rep and no channel: the customer's (C2: R1, inside).
    expect(1, "month", "2025-01", "rep", "R1", "funnel_count_won");
    expect(1, "month", "2025-01", "rep", "R1", "funnel_count_lost");
    expect(1, "month", "2025-01", "channel", "inside", "funnel_count_lost");
    expect(1, "month", "2025-01", "channel", "web", "funnel_count_lost");
  }

  @Test
  void daysInStageAndCycleTimes() {
    // Lead -> qualified, counted when qualified: Jan O1 3, O2 1.5; Feb O4 6, O5 1, O6 2.
    expectAll(2.25, "month", "2025-01", "days_in_lead");
    expectAll(2.25, "month", "2025-01", "lead_qualification_days_median");
    expectAll(1.5 + 0.9 * (3 - 1.5), "month", "2025-01", "lead_qualification_days_p90");
    expectAll(3, "month", "2025-02", "days_in_lead");
    expectAll(2, "month", "2025-02", "lead_qualification_days_median");
    // p90 of 1, 2, 6: rank 0.9 * 2 = 1.8 -> 2 + 0.8 * (6 - 2).
    expectAll(5.2, "month", "2025-02", "lead_qualification_days_p90");
    // Q1: 1, 1.5, 2, 3, 6 -> mean 2.7, median 2, p90 at rank 3.6: 3 + 0.6 * 3.
    expectAll(2.7, "quarter", "2025-Q1", "days_in_lead");
    expectAll(2, "quarter", "2025-Q1", "lead_qualification_days_median");
    expectAll(4.8, "quarter", "2025-Q1", "lead_qualification_days_p90");
    // Qualified -> offer made, for offers that reached the offer step: Jan O1 5, O2 4; Feb O5 3, O6 3
    // (O4 is still qualified: its created_at is the lead's time and does not count).
    expectAll(4.5, "month", "2025-01", "days_in_qualified");
    expectAll(3, "month", "2025-02", "days_in_qualified");
    // Offer -> closed, counted when closed: Jan O1 10, O2 20; Mar O6 8 (O3 never was an offer).
    expectAll(15, "month", "2025-01", "days_in_offer");
    expectAll(15, "month", "2025-01", "offer_processing_days_median");
    expectAll(19, "month", "2025-01", "offer_processing_days_p90");
    expectAll(8, "month", "2025-03", "offer_processing_days_median");
    // Q1: 8, 10, 20 -> mean 38 / 3, median 10, p90 at rank 1.8: 10 + 0.8 * 10.
    expectAll(38.0 / 3, "quarter", "2025-Q1", "days_in_offer");
    expectAll(10, "quarter", "2025-Q1", "offer_processing_days_median");
    expectAll(18, "quarter", "2025-Q1", "offer_processing_days_p90");
    absent("month", "2025-02", "all", "all", "days_in_offer");
    absent("month", "2025-03", "all", "all", "lead_qualification_days_median");
  }

  @Test
  void offerSuccessRateWonValueAndChannelWinRate() {
    // Decided in Jan: O1 won 1000, O2 and O3 lost; in Mar: O6 won 800.
    expectAll(1, "month", "2025-01", "offers_won");
    expectAll(2, "month", "2025-01", "offers_lost");
    expectAll(1000, "month", "2025-01", "won_value");
    expectAll(100.0 / 3, "month", "2025-01", "offer_success_rate");
    expectAll(100, "month", "2025-03", "offer_success_rate");
    expectAll(800, "month", "2025-03", "won_value");
    absent("month", "2025-02", "all", "all", "offer_success_rate");
    expectAll(50, "quarter", "2025-Q1", "offer_success_rate");
    expectAll(1800, "quarter", "2025-Q1", "won_value");
    // Channel win rate: field O1 won; inside O2 lost; web O3 lost, O6 won.
    expect(100, "quarter", "2025-Q1", "channel", "field", "offer_success_rate");
    expect(0, "quarter", "2025-Q1", "channel", "inside", "offer_success_rate");
    expect(50, "quarter", "2025-Q1", "channel", "web", "offer_success_rate");
    expect(50, "quarter", "2025-Q1", "rep", "R1", "offer_success_rate");
  }

  @Test
  void visitsAndVisitsPerRep() {
    // Visits (the call A4 is not one): Jan A1, A2 (no rep: the customer's R1); Feb A3; Mar A5 by R1
    // at an R2 customer, A6 without any rep.
    expectAll(2, "month", "2025-01", "visits");
    expect(2, "month", "2025-01", "rep", "R1", "visits");
    expectAll(1, "month", "2025-02", "visits");
    expect(1, "month", "2025-03", "rep", "R1", "visits");
    expect(1, "month", "2025-03", "rep", "(none)", "visits");
    expect(1, "month", "2025-03", "region", "South", "visits");
    expectAll(5, "quarter", "2025-Q1", "visits");
    // Per rep: 4 visits with a rep by 2 reps.
    expectAll(2, "quarter", "2025-Q1", "visits_per_rep");
    expectAll(1, "month", "2025-03", "visits_per_rep");
    absent("quarter", "2025-Q1", "rep", "R1", "visits_per_rep");
  }

  @Test
  void targetsMeetTheActualOfTheSameKpiRepAndPeriod() {
    Row visits = row("quarter", "2025-Q1", "rep", "R1", "visits");
    assertEquals(3, visits.getDouble(6), EPS);
    assertEquals(6, visits.getDouble(7), EPS);
    expect(50, "quarter", "2025-Q1", "rep", "R1", "achievement_visits");
    assertEquals(400, row("month", "2025-01", "rep", "R1", "revenue").getDouble(7), EPS);
    expect(75, "month", "2025-01", "rep", "R1", "achievement_revenue");
    // R2 won no new customer in Q1: a count without events is 0 when there is a target.
    Row newCustomers = row("quarter", "2025-Q1", "rep", "R2", "new_customers");
    assertEquals(0, newCustomers.getDouble(6), EPS);
    assertEquals(2, newCustomers.getDouble(7), EPS);
    expect(0, "quarter", "2025-Q1", "rep", "R2", "achievement_new_customers");
    // Offers won by R1 in 2025: O1.
    expect(25, "year", "2025", "rep", "R1", "achievement_offers_won");
    // A KPI the pipeline does not compute keeps its target, without a value or achievement.
    Row calls = row("month", "2025-02", "rep", "R1", "calls");
    assertTrue(calls.isNullAt(6), calls.toString());
    assertEquals(10, calls.getDouble(7), EPS);
    absent("month", "2025-02", "rep", "R1", "achievement_calls");
    // Targets of periods that are not reported (2024-Q4 before the history, 2025-Q2 after as_of).
    assertTrue(kpis.keySet().stream().noneMatch(k -> k.contains("2024") || k.contains("Q2")), kpis.keySet().toString());
    // Slices other than the rep and the whole company carry no target.
    assertTrue(row("quarter", "2025-Q1", "region", "North", "visits").isNullAt(7));
  }

  @Test
  void theCompanyRowCarriesTheSumOfTheRepsTargetsForCountsAndSumsOnly() {
    // Revenue Q1: targets R1 1100 + R2 900; the actual is the whole company's (1550, with C5's 600
    // that no rep has). R1 550 of 1100, R2 400 of 900.
    Row revenue = row("quarter", "2025-Q1", "all", "all", "revenue");
    assertEquals(1550, revenue.getDouble(6), EPS);
    assertEquals(2000, revenue.getDouble(7), EPS);
    expectAll(77.5, "quarter", "2025-Q1", "achievement_revenue");
    expect(50, "quarter", "2025-Q1", "rep", "R1", "achievement_revenue");
    expect(400 * 100.0 / 900, "quarter", "2025-Q1", "rep", "R2", "achievement_revenue");
    // Visits Q1: R1 6 + R2 4 against all 5 visits (R1 3, R2 1, A6 without a rep).
    Row visits = row("quarter", "2025-Q1", "all", "all", "visits");
    assertEquals(5, visits.getDouble(6), EPS);
    assertEquals(10, visits.getDouble(7), EPS);
    expectAll(50, "quarter", "2025-Q1", "achievement_visits");
    expect(25, "quarter", "2025-Q1", "rep", "R2", "achievement_visits");
    // Where one rep has a target, it is the company's: January revenue 300 of R1's 400, new
    // customers Q1 (C5) 1 of R2's 2, offers won 2025 (O1, O6) 2 of R1's 4.
    assertEquals(400, row("month", "2025-01", "all", "all", "revenue").getDouble(7), EPS);
    expectAll(75, "month", "2025-01", "achievement_revenue");
    expectAll(50, "quarter", "2025-Q1", "achievement_new_customers");
    expectAll(50, "year", "2025", "achievement_offers_won");
    // A rate is not summed: R1's offer success target (O1 won, O2 lost: 50 % of 50 %) stays on R1.
    assertEquals(50, row("quarter", "2025-Q1", "rep", "R1", "offer_success_rate").getDouble(7), EPS);
    expect(100, "quarter", "2025-Q1", "rep", "R1", "achievement_offer_success_rate");
    Row rate = row("quarter", "2025-Q1", "all", "all", "offer_success_rate");
    assertEquals(50, rate.getDouble(6), EPS);
    assertTrue(rate.isNullAt(7), rate.toString());
    absent("quarter", "2025-Q1", "all", "all", "achievement_offer_success_rate");
    // Nor is a KPI the pipeline does not compute: whether it adds up is unknown.
    absent("month", "2025-02", "all", "all", "calls");
    // A period without targets has none on the company row.
    assertTrue(row("month", "2025-02", "all", "all", "revenue").isNullAt(7));
  }

  @Test
  void quarterAndYearTargetsAreRolledUpFromCompletePeriodsOnly() {
    // R2's offers won: months 1 + 2 + 3 give the Q1 target 6.
    assertEquals(6, row("quarter", "2025-Q1", "rep", "R2", "offers_won").getDouble(7), EPS);
    // R2's visits: the Q1 target given (4) wins over the months' sum (3).
    assertEquals(4, row("quarter", "2025-Q1", "rep", "R2", "visits").getDouble(7), EPS);
    // R2's won value: quarters 10 + 20 + 30 + 40 give the 2025 target 100, also on the company row.
    assertEquals(100, row("year", "2025", "rep", "R2", "won_value").getDouble(7), EPS);
    assertEquals(100, row("year", "2025", "all", "all", "won_value").getDouble(7), EPS);
    // R1's revenue has a Q1 target only: no year target is made up from an incomplete year.
    assertTrue(row("year", "2025", "rep", "R1", "revenue").isNullAt(7));
    // R1's offers won keeps the year target given (4), the company's is R1's alone (R2 has no year).
    assertEquals(4, row("year", "2025", "all", "all", "offers_won").getDouble(7), EPS);
  }

  @Test
  void complaintsOpenedResolvedOpenOverdueAndHandlingTime() {
    // Complaints (T5 is a request): opened Jan T1, T2; Feb T3; Mar T4, T6.
    expectAll(2, "month", "2025-01", "complaints_opened");
    expectAll(1, "month", "2025-02", "complaints_opened");
    expectAll(2, "month", "2025-03", "complaints_opened");
    expectAll(5, "quarter", "2025-Q1", "complaints_opened");
    // Resolved Jan T1 after 5 days, Feb T2 after 16; Q1 median 10.5.
    expectAll(1, "month", "2025-01", "complaints_resolved");
    expectAll(5, "month", "2025-01", "complaint_handling_days_median");
    expectAll(16, "month", "2025-02", "complaint_handling_days_median");
    expectAll(10.5, "quarter", "2025-Q1", "complaint_handling_days_median");
    absent("month", "2025-03", "all", "all", "complaints_resolved");
    // Open at 2025-01-31: T2 (due that day: overdue). At 2025-02-28: T3 (due 02-20).
    expectAll(1, "month", "2025-01", "complaints_open");
    expectAll(1, "month", "2025-01", "complaints_overdue");
    expectAll(1, "month", "2025-02", "complaints_open");
    expectAll(1, "month", "2025-02", "complaints_overdue");
    // At as_of 2025-03-15: T3, T4 (due 03-31), T6 (due 03-15 12:00) open; T3 and T6 overdue.
    expectAll(3, "month", "2025-03", "complaints_open");
    expectAll(2, "month", "2025-03", "complaints_overdue");
    expectAll(3, "quarter", "2025-Q1", "complaints_open");
    expectAll(2, "year", "2025", "complaints_overdue");
    expect(1, "month", "2025-03", "rep", "R2", "complaints_overdue");
    expect(2, "month", "2025-03", "rep", "R2", "complaints_open");
  }

  @Test
  void escalationListHoldsOverdueOpenTicketsWithoutFreeText() {
    List<String> lines = new ArrayList<>();
    for (Row r : escalations) {
      lines.add(r.getString(0) + " " + r.getString(1) + " " + r.getString(2) + " " + r.getString(3) + " "
          + r.getString(4) + " " + r.getTimestamp(5) + " " + r.getInt(6));
    }
    assertEquals(List.of(
        "T3 C3 R2 complaint normal 2025-02-20 00:00:00.0 23",
        "T5 C1 R1 request normal 2025-03-10 00:00:00.0 5",
        "T6 C2 R1 complaint normal 2025-03-15 12:00:00.0 0"), lines);
    assertEquals(KpiOutput.ESCALATION_SCHEMA, SalesControllingKpis.escalations(
        KpiFixture.inputs(spark, KpiFixture.company()), KpiFixture.AS_OF).schema()); // no job: schema only
  }

  @Test
  void absentOptionalTablesYieldNoRowsForTheirKpis() {
    Map<String, List<Row>> onlyRequired = new TreeMap<>();
    onlyRequired.put(Contract.Customers.NAME, KpiFixture.company().get(Contract.Customers.NAME));
    onlyRequired.put(Contract.Sales.NAME, KpiFixture.company().get(Contract.Sales.NAME));
    KpiInputs in = KpiFixture.inputs(spark, onlyRequired);
    List<Row> rows = SalesControllingKpis.transform(in, KpiFixture.AS_OF, SETTINGS).collectAsList();
    Set<String> ids = rows.stream().map(r -> r.getString(5)).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(List.of("revenue", "margin", "margin_percent", "new_customers",
        "top_customer_revenue_share", "revenue_gini", "active_customers", "churned_customers", "churn_rate")), ids);
    Set<String> dims = rows.stream().map(r -> r.getString(3)).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(List.of("all", "rep", "channel", "region", "industry")), dims);
    // The sales KPIs do not depend on the optional tables.
    Map<String, Row> byKey = byKey(rows);
    assertEquals(value("quarter", "2025-Q1", "all", "all", "revenue"),
        byKey.get(key("quarter", "2025-Q1", "all", "all", "revenue")).getDouble(6), EPS);
    assertTrue(SalesControllingKpis.escalations(in, KpiFixture.AS_OF).isEmpty());
  }

  @Test
  void rowsAfterAsOfDoNotChangeTheOutput() {
    KpiInputs later = KpiFixture.inputs(spark, KpiFixture.companySeenLater());
    Map<String, Row> seenLater = byKey(SalesControllingKpis.transform(later, KpiFixture.AS_OF, SETTINGS).collectAsList());
    assertEquals(kpis.keySet(), seenLater.keySet());
    for (Map.Entry<String, Row> e : kpis.entrySet()) {
      Row expected = e.getValue();
      Row actual = seenLater.get(e.getKey());
      assertEquals(expected.getBoolean(2), actual.getBoolean(2), e.getKey());
      for (int i : new int[] {6, 7}) {
        assertEquals(expected.isNullAt(i), actual.isNullAt(i), e.getKey());
        if (!expected.isNullAt(i)) {
          assertEquals(expected.getDouble(i), actual.getDouble(i), EPS, e.getKey());
        }
      }
    }
    assertEquals(escalations, SalesControllingKpis.escalations(later, KpiFixture.AS_OF).collectAsList());
    // And the later rows do count once as_of moves past them.
    KpiSettings monthsOnly = SETTINGS.withPeriods(List.of(KpiSettings.PeriodType.MONTH))
        .withDimensions(List.of(KpiSettings.Dimension.ALL)).withHistoryMonths(1);
    Map<String, Row> afterwards = byKey(SalesControllingKpis.transform(later, KpiFixture.AS_OF.plusDays(5), monthsOnly)
        .collectAsList());
    assertEquals(1000 + 5000, afterwards.get(key("month", "2025-03", "all", "all", "revenue")).getDouble(6), EPS);
  }

  @Test
  void outputHasTheDeclaredSchema() {
    assertEquals(KpiOutput.SCHEMA, schema);
  }

  @Test
  void catalogueListsExactlyTheKpisTheCodeProduces() throws java.io.IOException {
    List<String> doc = java.nio.file.Files.readAllLines(java.nio.file.Path.of("..", "docs", "kpis.md"));
    int from = doc.indexOf("## KPI catalogue");
    int to = doc.indexOf("## Escalation list");
    assertTrue(from > 0 && to > from, "docs/kpis.md has the sections '## KPI catalogue' and '## Escalation list'");
    Set<String> documented = new TreeSet<>();
    java.util.regex.Pattern id = java.util.regex.Pattern.compile("`([a-z0-9_<>]+)`");
    for (String line : doc.subList(from, to)) {
      if (line.startsWith("| `")) {
        java.util.regex.Matcher m = id.matcher(line.substring(0, line.indexOf(" |", 2)));
        while (m.find()) {
          documented.add(m.group(1));
        }
      }
    }
    Set<String> produced = new TreeSet<>();
    for (Row r : kpis.values()) {
      String kpi = r.getString(5);
      if (kpi.equals("calls")) {
        continue; // a target of a KPI the pipeline does not compute
      }
      produced.add(kpi.startsWith("achievement_") ? "achievement_<kpi>" : kpi);
    }
    assertEquals(documented, produced, "KPI ids in docs/kpis.md vs. those produced on the fixture");
  }
}
