package org.crmanalytics.jobs.crosssell;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.SampleCompany;
import org.crmanalytics.jobs.io.ModelStore;
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.crosssell.CrossSell;
import org.crmanalytics.models.crosssell.CrossSellOutput;
import org.crmanalytics.models.crosssell.ItemPurchases;
import org.crmanalytics.models.crosssell.WhiteSpace;
import org.crmanalytics.models.scores.CustomerScores;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cross_sell stage end to end on the bundled sample company (1,000 customers, as of
 * 2025-12-31, three years of sales), then customer_scores with its cross-sell columns.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class CrossSellPipelineTest {
  private static final LocalDate AS_OF = SampleCompany.AS_OF;
  private static final ObjectMapper JSON = StageRun.JSON;

  @TempDir static Path out;
  private static SparkSession spark;
  private static JsonNode manifest;
  private static String console;
  private static String untrained;
  private static Dataset<Row> recommendations;

  @BeforeAll
  static void runOnce(SparkSession session) throws IOException {
    spark = session;
    SampleCompany.writeSilver(spark, out, AS_OF);
    untrained = StageRun.of(spark, out, List.of("cross_sell")).console();
    StageRun run = StageRun.of(spark, out, List.of(CrossSellTrainingJob.NAME, "features", "cross_sell", "scores"));
    manifest = run.manifest();
    console = run.console();
    recommendations = read(Output.CROSS_SELL_RECOMMENDATIONS).cache();
  }

  static Dataset<Row> read(Output output) {
    return spark.read().parquet(out.resolve(output.at(AS_OF)).toString());
  }

  @Test
  void everyRecommendationIsRankedSizedAndReasonedInBothLanguages() {
    assertEquals("succeeded", manifest.path("stages").get(2).path("status").asText(), manifest.toString());
    long rows = recommendations.count();
    long customers = recommendations.select(Contract.Customers.CUSTOMER_ID).distinct().count();
    assertTrue(customers > 900, "customers with a recommendation: " + customers);
    // rows accounted for: at most k per customer, ranks 1..n without gaps
    Row ranks = recommendations.groupBy(col(Contract.Customers.CUSTOMER_ID))
        .agg(count(col("rank")).as("n"), min(col("rank")).as("lo"), max(col("rank")).as("hi"),
            countDistinct(col("rank")).as("distinct"))
        .agg(max(col("n")), min(col("lo")), max(col("lo")), max(col("hi")),
            org.apache.spark.sql.functions.sum(col("n")),
            org.apache.spark.sql.functions.sum(col("hi")), org.apache.spark.sql.functions.sum(col("distinct")))
        .first();
    // The write-back creates the CRM table from the declared schema: the output must match it.
    assertEquals(java.util.Arrays.stream(CrossSellOutput.SCHEMA.fields())
            .map(f -> f.name() + " " + f.dataType().simpleString()).toList(),
        java.util.Arrays.stream(recommendations.schema().fields()).map(f -> f.name() + " " + f.dataType().simpleString())
            .toList(), "cross_sell/recommendations has the columns and types of CrossSellOutput.SCHEMA");
    assertEquals(5L, ranks.getLong(0), "top_k 5");
    assertEquals(1, ranks.getInt(1));
    assertEquals(1, ranks.getInt(2), "every list starts at rank 1");
    assertEquals(rows, ranks.getLong(4));
    assertEquals(rows, ranks.getLong(5), "ranks 1..n without gaps");
    assertEquals(rows, ranks.getLong(6), "no rank twice");
    assertEquals(0, recommendations.filter(col(CrossSell.EURO_POTENTIAL).lt(0).or(col(WhiteSpace.POTENTIAL).leq(0))
        .or(col(CrossSell.EURO_POTENTIAL).isNull())).count(), "potentials ≥ 0, gaps > 0");
    assertEquals(0, recommendations.filter(col(CrossSellStage.REASON_EN).isNull().or(col(CrossSellStage.REASON_DE).isNull())
        .or(col(CrossSellStage.REASON_EN).equalTo(col(CrossSellStage.REASON_DE)))).count(), "a reason in each language");
    String published = manifest.toString().contains("blend published") ? CrossSell.BLEND : CrossSell.WHITE_SPACE;
    assertEquals(rows, recommendations.filter(col(CrossSellStage.METHOD).equalTo(published)).count());
    Row r = recommendations.filter(col(CrossSellStage.EVIDENCE).equalTo(CrossSell.WHITE_SPACE)
        .and(col(WhiteSpace.PENETRATION).gt(0)).and(col(WhiteSpace.OWN_SPEND).equalTo(0))).first();
    String en = r.getAs(CrossSellStage.REASON_EN);
    String de = r.getAs(CrossSellStage.REASON_DE);
    assertTrue(en.matches("\\d+% of (comparable customers \\(.+\\)|all customers) buy " + java.util.regex.Pattern.quote(
        r.<String>getAs(ItemPurchases.ITEM)) + ", median €[0-9,]+/year.*; this customer buys none"), en);
    assertTrue(de.matches("\\d+ % (vergleichbarer Kunden \\(.+\\)|aller Kunden) kaufen .+, Median [0-9.]+ €/Jahr.*; "
        + "dieser Kunde kauft nichts davon"), de);
  }

  @Test
  void noItemTheCustomerBuysRegularlyIsRecommended() {
    // what each customer bought in the 12 months to as_of, against the peers' median spend of the item
    Dataset<Row> table = read(Output.CROSS_SELL_WHITE_SPACE);
    assertTrue(table.count() > 0);
    Dataset<Row> regular = recommendations.filter(col(WhiteSpace.OWN_SPEND).geq(col(WhiteSpace.MEDIAN_SPEND))
        .and(col(WhiteSpace.PENETRATION).gt(0)));
    assertEquals(0, regular.count(), () -> "recommended although bought regularly: " + regular.limit(5).collectAsList());
  }

  /** The daily stage before any train cross_sell: the white space, and the console says why. */
  @Test
  void beforeAnyEvaluationTheWhiteSpaceIsPublishedAndTheConsoleSaysWhy() {
    assertTrue(untrained.contains("white_space published (not evaluated yet)"), untrained);
    assertTrue(untrained.contains("bin/crm-analytics train cross_sell grades the blend against it"), untrained);
  }

  @Test
  void theEvaluationFileGradesEveryMethodAndSaysWhatWasPublished() throws IOException {
    JsonNode promoted = JSON.readTree(Files.readString(out.resolve(Output.promotedFile(CrossSellStage.NAME))));
    Path folder = out.resolve(Output.modelVersion(CrossSellStage.NAME, promoted.path("version").asText()));
    JsonNode e = JSON.readTree(Files.readString(folder.resolve(ModelStore.EVALUATION_JSON)));
    JsonNode meta = JSON.readTree(Files.readString(folder.resolve(ModelStore.METADATA)));
    assertEquals("validation", e.path("selection").path("evaluated_on").asText(), e.toString());
    assertEquals("2024-12-31", e.path("selection").path("recommended_at").asText());
    assertEquals("2025-06-30", e.path("test").path("recommended_at").asText());
    assertEquals("2025-12-31", e.path("test").path("observed_until").asText());
    for (String m : List.of("blend", "white_space", "association_rules", "collaborative_filtering", "popularity",
        "industry_popularity")) {
      assertTrue(e.path("test").path("methods").has(m), m + " in " + e);
      assertTrue(e.path("test").path("methods").path(m).path("ndcg_at_k").isNumber(), m);
    }
    String chosen = e.path("published").asText();
    double blend = e.path("selection").path("methods").path("blend").path("ndcg_at_k").asDouble();
    double whiteSpace = e.path("selection").path("methods").path("white_space").path("ndcg_at_k").asDouble();
    assertEquals(blend > whiteSpace ? "blend" : "white_space", chosen, "chosen on validation");
    assertEquals(chosen, meta.path(CrossSellTrainingJob.PUBLISHED).asText(), "the choice the stage reads");
    assertEquals(chosen, recommendations.first().getAs(CrossSellStage.METHOD), "the stage published the choice");
    assertTrue(console.contains(chosen + " published (chosen by evaluation " + promoted.path("version").asText()), console);
    assertTrue(Files.readString(folder.resolve(ModelStore.EVALUATION_TEXT)).contains("Test 2025-06-30"));
    assertTrue(console.contains("cross_sell: test method"), console);
  }

  @Test
  void customerScoresCarryTheTotalPotentialAndTheTopThreeItems() {
    Dataset<Row> scores = read(Output.CUSTOMER_SCORES).cache();
    long customers = read(Output.SNAPSHOT).count();
    assertEquals(customers, scores.count(), "one row per customer");
    assertEquals(customers, scores.select(CustomerScores.CUSTOMER_ID).distinct().count());
    assertEquals(List.of(CustomerScores.SCHEMA.fieldNames()), List.of(scores.columns()));
    Row top = recommendations.orderBy(col(CrossSell.EURO_POTENTIAL).desc()).first();
    String id = top.getAs(Contract.Customers.CUSTOMER_ID);
    List<Row> own = recommendations.filter(col(Contract.Customers.CUSTOMER_ID).equalTo(id)).orderBy("rank").collectAsList();
    Row s = scores.filter(col(CustomerScores.CUSTOMER_ID).equalTo(id)).first();
    assertEquals(own.stream().mapToDouble(x -> x.<Double>getAs(CrossSell.EURO_POTENTIAL)).sum(),
        s.<Double>getAs(CustomerScores.CROSS_SELL_POTENTIAL), 1e-6);
    assertEquals(own.get(0).<String>getAs(ItemPurchases.ITEM), s.getAs(CustomerScores.CROSS_SELL_ITEM_1));
    assertEquals(own.get(1).<String>getAs(ItemPurchases.ITEM), s.getAs(CustomerScores.CROSS_SELL_ITEM_2));
    assertEquals(own.get(2).<String>getAs(ItemPurchases.ITEM), s.getAs(CustomerScores.CROSS_SELL_ITEM_3));
    // a customer without a recommendation: 0 and nulls
    Dataset<Row> without = scores.join(recommendations.select(col(Contract.Customers.CUSTOMER_ID)).distinct(),
        new String[] {CustomerScores.CUSTOMER_ID}, "left_anti");
    assertEquals(0, without.filter(col(CustomerScores.CROSS_SELL_POTENTIAL).notEqual(0.0)
        .or(col(CustomerScores.CROSS_SELL_ITEM_1).isNotNull())).count());
    assertEquals(0, scores.filter(col(CustomerScores.CROSS_SELL_POTENTIAL).isNull()).count());
    assertNotNull(s.getAs(CustomerScores.CROSS_SELL_METHOD));
    assertFalse(console.contains("no cross_sell output"), console);
  }
}
