package org.crmanalytics.models.crosssell;

import static org.apache.spark.sql.functions.col;
import static org.crmanalytics.models.crosssell.CrossSellFixture.T;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ALS's hyper-parameters are chosen on the validation period (fit at T − 6 months, graded on
 * (T − 6 months, T]) and never see what happens after T.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class CollaborativeFilteringTest {
  private static ItemPurchases known;
  private static ItemPurchases withFuture;
  private static CollaborativeFiltering.Choice choice;

  @BeforeAll
  static void choose(SparkSession spark) {
    known = ItemPurchases.of(ItemPurchases.lines(CrossSellFixture.sales(spark, CrossSellFixture.generatedSales()),
        CrossSellFixture.products(spark), "product_group").cache());
    List<Row> all = new ArrayList<>(CrossSellFixture.generatedSales());
    all.addAll(CrossSellFixture.salesAfterT());
    withFuture = ItemPurchases.of(ItemPurchases.lines(CrossSellFixture.sales(spark, all), CrossSellFixture.products(spark),
        "product_group").cache());
    choice = CollaborativeFiltering.choose(withFuture, T, CrossSellTest.SETTINGS);
  }

  @Test
  void theGridIsGradedOnTheAdoptionsOfTheValidationPeriod() {
    assertEquals(LocalDate.of(2025, 6, 30), choice.validationDate());
    assertEquals(T, choice.validationEnd());
    assertEquals(2, choice.grid().size(), "ranks 2 and 4");
    assertEquals(List.of(2, 4), choice.grid().stream().map(CollaborativeFiltering.GridPoint::rank).toList());
    long adopters = CrossSellFixture.adoptersIn(CrossSellFixture.generatedSales(), LocalDate.of(2025, 6, 30), T);
    for (CollaborativeFiltering.GridPoint p : choice.grid()) {
      assertEquals(adopters, p.validation().customers(), "graded on the customers adopting in (V, T]: " + p);
    }
    double best = choice.grid().stream().mapToDouble(p -> p.validation().ndcgAtK()).max().orElseThrow();
    assertEquals(best, choice.chosen().validation().ndcgAtK());
    assertTrue(best > 0, choice.grid().toString());
  }

  /** The extra sales after T add adoptions there (and a new group): the choice and the scores at T stay. */
  @Test
  void adoptionsAfterTChangeNeitherTheChoiceNorTheScores() {
    CollaborativeFiltering.Choice withoutFuture = CollaborativeFiltering.choose(known, T, CrossSellTest.SETTINGS);
    assertEquals(figures(choice), figures(withoutFuture));
    assertEquals(scores(CollaborativeFiltering.scores(known, T, CrossSellTest.SETTINGS, withoutFuture.chosen())),
        scores(CollaborativeFiltering.scores(withFuture, T, CrossSellTest.SETTINGS, choice.chosen())));
  }

  @Test
  void onlyCustomersWithPurchasesAreScoredAndOnlyOnItemsTheyLack() {
    Dataset<Row> scores = CollaborativeFiltering.scores(withFuture, T, CrossSellTest.SETTINGS, choice.chosen());
    assertEquals(0, scores.filter(col("customer_id").isin("Q1", "Q2")).count(), "no purchases: no ALS row");
    assertEquals(0, scores.filter(col("item").equalTo("NEW")).count(), "NEW is sold after T only");
    Dataset<Row> held = withFuture.boughtBefore(T, 12);
    assertEquals(0, scores.join(held, new String[] {"customer_id", "item"}).count());
    assertEquals(90 * 6 - held.count(), scores.count(), "every customer × group it lacks");
  }

  private static String figures(CollaborativeFiltering.Choice c) {
    StringBuilder b = new StringBuilder("chosen rank " + c.chosen().rank());
    for (CollaborativeFiltering.GridPoint p : c.grid()) {
      b.append(String.format(Locale.ROOT, "; rank %d ndcg %.6f precision %.6f", p.rank(), p.validation().ndcgAtK(),
          p.validation().precisionAtK()));
    }
    return b.toString();
  }

  private static Map<String, String> scores(Dataset<Row> scores) {
    Map<String, String> out = new TreeMap<>();
    for (Row r : scores.collectAsList()) {
      out.put(r.getString(0) + " " + r.getString(1), String.format(Locale.ROOT, "%.5f", r.getDouble(2)));
    }
    return out;
  }
}
