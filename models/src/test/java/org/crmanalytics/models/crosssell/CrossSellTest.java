package org.crmanalytics.models.crosssell;

import static org.apache.spark.sql.functions.col;
import static org.crmanalytics.models.crosssell.CrossSellFixture.T;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.models.contract.Contract.Sales;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The blend and its evaluation on the generated company (CrossSellFixture): point in time,
 * customers without orders, a group sold only after T, and the evaluation's population.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class CrossSellTest {
  /** A small ALS grid and few iterations: each fit is several Spark jobs. */
  static final CrossSellSettings SETTINGS = CrossSellSettings.DEFAULTS
      .withCollaborativeFiltering(new CollaborativeFiltering.Settings(CollaborativeFiltering.Feedback.ORDERS,
          List.of(2, 4), List.of(0.1), List.of(5.0), 5, 2, 42L))
      .withRules(new AssociationRules.Settings(0.05, 0.2, 1.0));

  private static Dataset<Row> customers;
  private static ItemPurchases purchases;
  private static CrossSell.Result withFuture;
  private static CrossSell.Result untilT;

  @BeforeAll
  static void recommend(SparkSession spark) {
    customers = CrossSellFixture.customers(spark, CrossSellFixture.generatedCustomers()).cache();
    List<Row> all = new ArrayList<>(CrossSellFixture.generatedSales());
    all.addAll(CrossSellFixture.salesAfterT());
    Dataset<Row> lines = SETTINGS.lines(CrossSellFixture.sales(spark, all), CrossSellFixture.products(spark)).cache();
    purchases = ItemPurchases.of(lines);
    withFuture = CrossSell.recommend(customers, purchases, T, SETTINGS);
    untilT = CrossSell.recommend(customers, ItemPurchases.of(lines.filter(col(Sales.ORDER_DATE).leq(Date.valueOf(T))).cache()),
        T, SETTINGS);
  }

  @AfterAll
  static void release() {
    withFuture.release();
    untilT.release();
  }

  @Test
  void salesAfterTChangeNoRecommendationAtT() {
    Map<String, String> a = listed(untilT.recommendations());
    Map<String, String> b = listed(withFuture.recommendations());
    assertEquals(92, a.size(), "customers with recommendations");
    assertEquals(a, b);
    assertEquals(untilT.collaborativeFiltering().chosen(), withFuture.collaborativeFiltering().chosen());
    assertEquals(untilT.calibration().adoptions(), withFuture.calibration().adoptions());
  }

  @Test
  void evidenceKeptForADateReadTwiceGivesWhatAFreshComputationGives() {
    java.time.LocalDate calibratedAt = ItemPurchases.monthsFrom(T, -SETTINGS.horizonMonths());
    CrossSell.Evidences kept = new CrossSell.Evidences(customers, purchases, SETTINGS, java.util.Set.of(calibratedAt));
    try {
      CrossSell.Result first = CrossSell.recommend(kept, T);
      CrossSell.Result second = CrossSell.recommend(kept, T); // reads the kept evidence at calibratedAt
      for (CrossSell.Result r : List.of(first, second)) {
        assertEquals(listed(withFuture.recommendations()), listed(r.recommendations()));
        assertEquals(withFuture.calibration().description(), r.calibration().description());
        assertEquals(withFuture.candidates().count(), r.candidates().count());
        r.release();
      }
    } finally {
      kept.release();
    }
  }

  @Test
  void everyCustomerGetsTopKOfItsNonRegularItemsRankedByEuroPotential() {
    List<Row> rows = withFuture.recommendations().orderBy("customer_id", "rank").collectAsList();
    Map<String, List<Row>> byCustomer = new TreeMap<>();
    rows.forEach(r -> byCustomer.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r));
    assertEquals(92, byCustomer.size(), "every customer, those without orders too");
    for (List<Row> list : byCustomer.values()) {
      assertTrue(list.size() <= SETTINGS.topK());
      for (int i = 0; i < list.size(); i++) {
        Row r = list.get(i);
        double euro = r.getDouble(r.fieldIndex(CrossSell.EURO_POTENTIAL));
        double p = r.getDouble(r.fieldIndex(CrossSell.PROBABILITY));
        assertEquals(p * r.getDouble(r.fieldIndex(WhiteSpace.POTENTIAL)), euro, 1e-6, r.toString());
        assertTrue(p > 0 && p < 1, r.toString());
        assertEquals(i + 1, r.getInt(r.fieldIndex(RankingMetrics.RANK)));
        if (i > 0) {
          assertTrue(euro <= list.get(i - 1).getDouble(list.get(i - 1).fieldIndex(CrossSell.EURO_POTENTIAL)), list.toString());
        }
        String method = r.getString(r.fieldIndex(CrossSell.METHOD));
        if (method.equals(CrossSell.ASSOCIATION_RULES)) {
          assertTrue(r.getDouble(r.fieldIndex(CrossSell.RULE_CONFIDENCE)) >= r.getDouble(r.fieldIndex(WhiteSpace.PENETRATION)));
        } else if (method.equals(CrossSell.COLLABORATIVE_FILTERING)) {
          // named only where no peer bought the item and no rule recommends it
          assertEquals(0.0, r.getDouble(r.fieldIndex(WhiteSpace.PENETRATION)), r.toString());
          assertTrue(r.isNullAt(r.fieldIndex(CrossSell.RULE_CONFIDENCE)), r.toString());
        } else {
          assertEquals(CrossSell.WHITE_SPACE, method, r.toString());
        }
      }
    }
  }

  @Test
  void customersWithoutOrdersGetPeerRecommendationsOnlyAndNewGroupsNone() {
    Dataset<Row> q1 = withFuture.candidates().filter(col("customer_id").equalTo("Q1"));
    assertEquals(6, q1.count(), "the six groups sold by T");
    assertEquals(0, q1.filter(col(CollaborativeFiltering.CF_SCORE).isNotNull().or(col(CrossSell.RULE_CONFIDENCE).isNotNull()))
        .count(), "no purchases: no ALS row, no rule");
    assertEquals(0, withFuture.candidates().filter(col("item").equalTo("NEW")).count());
    assertEquals(0, withFuture.whiteSpace().table().filter(col("item").equalTo("NEW")).count());
    List<Row> q1Top = withFuture.recommendations().filter(col("customer_id").equalTo("Q1")).collectAsList();
    assertEquals(SETTINGS.topK(), q1Top.size());
    q1Top.forEach(r -> assertEquals(CrossSell.WHITE_SPACE, r.getString(r.fieldIndex(CrossSell.METHOD))));
  }

  @Test
  void evaluationGradesEveryMethodOnTheCustomersThatNewlyAdoptedAfterT() {
    CrossSellEvaluation.Result result = CrossSellEvaluation.evaluate(withFuture, customers, purchases, SETTINGS);
    result.lines().forEach(System.out::println);
    assertEquals(LocalDate.of(2026, 6, 30), result.observedUntil());
    assertEquals(List.of("blend", "white_space", "association_rules", "collaborative_filtering", "popularity",
        "industry_popularity"), result.methods().stream().map(CrossSellEvaluation.MethodResult::method).toList());
    List<Row> all = new ArrayList<>(CrossSellFixture.generatedSales());
    all.addAll(CrossSellFixture.salesAfterT());
    long adopters = CrossSellFixture.adoptersIn(all, T, LocalDate.of(2026, 6, 30));
    assertTrue(adopters > 20, "adopters " + adopters);
    for (CrossSellEvaluation.MethodResult m : result.methods()) {
      assertEquals(adopters, m.metrics().customers(), m.method());
      for (double x : new double[] {m.metrics().hitRate(), m.metrics().precisionAtK(), m.metrics().recallAtK(),
          m.metrics().ndcgAtK()}) {
        assertTrue(x >= 0 && x <= 1, m.toString());
      }
      assertTrue(m.metrics().precisionAtK() <= m.metrics().hitRate(), m.toString());
    }
    assertTrue(result.method("blend").predictedEuro() > 0);
    assertTrue(Double.isNaN(result.method("popularity").predictedEuro()));
    assertEquals(7, result.lines().size());

    // The same candidates cut at k = 2: a prefix of each top 5, so it finds no more than the top 5
    CrossSellEvaluation.Result top2 = CrossSellEvaluation.evaluate(withFuture, customers, purchases, new CrossSellSettings(
        SETTINGS.level(), 12, 6, 2, SETTINGS.peers(), SETTINGS.whiteSpace(), SETTINGS.rules(), SETTINGS.collaborativeFiltering()));
    top2.lines().forEach(System.out::println);
    for (CrossSellEvaluation.MethodResult m : top2.methods()) {
      RankingMetrics.Metrics at5 = result.method(m.method()).metrics();
      assertTrue(m.metrics().recallAtK() <= at5.recallAtK() + 1e-12, m.method());
      assertTrue(m.metrics().hitRate() <= at5.hitRate() + 1e-12, m.method());
      assertTrue(m.realisedEuro() <= result.method(m.method()).realisedEuro() + 1e-6, m.method());
    }
  }

  /** customer → its list: item, € potential and probability to six digits, method. */
  static Map<String, String> listed(Dataset<Row> recommendations) {
    Map<String, String> out = new TreeMap<>();
    for (Row r : recommendations.orderBy("customer_id", "rank").collectAsList()) {
      out.merge(r.getString(0), String.format(Locale.ROOT, "%s %.6f %.6f %s", r.getString(r.fieldIndex("item")),
          r.getDouble(r.fieldIndex(CrossSell.EURO_POTENTIAL)), r.getDouble(r.fieldIndex(CrossSell.PROBABILITY)),
          r.getString(r.fieldIndex(CrossSell.METHOD))), (x, y) -> x + "; " + y);
    }
    return out;
  }
}
