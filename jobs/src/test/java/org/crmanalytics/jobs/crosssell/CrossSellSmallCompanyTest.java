package org.crmanalytics.jobs.crosssell;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.crosssell.CrossSell;
import org.crmanalytics.models.crosssell.PeerGroups;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small, odd company: 200 customers of the sample without industry, no products table, and only
 * the last ten months of sales. The stage still publishes white-space recommendations (of
 * products), and the console says what it left out and why.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class CrossSellSmallCompanyTest {
  private static final LocalDate AS_OF = SampleCompany.AS_OF;
  private static final ObjectMapper JSON = StageRun.JSON;

  @TempDir static Path out;
  private static SparkSession spark;
  private static JsonNode manifest;
  private static String console;

  @BeforeAll
  static void runOnce(SparkSession session) throws IOException {
    spark = session;
    Dataset<Row> customers = SampleCompany.table(spark, Contract.Customers.NAME)
        .filter(col(Contract.Customers.CUSTOMER_ID).leq("K000200"))
        .withColumn(Contract.Customers.INDUSTRY, lit(null).cast("string"));
    Dataset<Row> sales = SampleCompany.table(spark, Contract.Sales.NAME)
        .filter(col(Contract.Sales.CUSTOMER_ID).leq("K000200").and(col(Contract.Sales.ORDER_DATE).geq(lit("2025-03-01"))));
    customers.write().parquet(out.resolve("silver/customers/as_of=" + AS_OF).toString());
    sales.write().parquet(out.resolve("silver/sales/as_of=" + AS_OF).toString());
    StageRun run = StageRun.of(spark, out, List.of(CrossSellTrainingJob.NAME, CrossSellStage.NAME));
    manifest = run.manifest();
    console = run.console();
  }

  @Test
  void whiteSpaceRecommendationsAreStillPublished() {
    assertEquals("succeeded", manifest.path("stages").get(1).path("status").asText(), manifest.toString());
    Dataset<Row> recommendations = spark.read().parquet(out.resolve(Output.CROSS_SELL_RECOMMENDATIONS.at(AS_OF)).toString());
    assertTrue(recommendations.select(Contract.Customers.CUSTOMER_ID).distinct().count() > 150, "customers listed");
    assertEquals(0, recommendations.filter(col(CrossSellStage.METHOD).notEqual(CrossSell.WHITE_SPACE)
        .or(col(CrossSellStage.LEVEL).notEqual(Contract.Sales.PRODUCT_ID))
        .or(col(PeerGroups.PEER_LEVEL).notEqual(PeerGroups.ALL))
        .or(col(CrossSellStage.REASON_EN).isNull()).or(col(CrossSellStage.REASON_DE).isNull())).count());
    String reason = recommendations.first().getAs(CrossSellStage.REASON_EN);
    assertTrue(reason.contains("of all customers buy") || reason.contains("no comparable customer"), reason);
  }

  @Test
  void theConsoleSaysWhatWasLeftOutAndWhy() throws IOException {
    assertTrue(console.contains("cross_sell: no products table") && console.contains("products (product_id) are recommended"),
        console);
    assertTrue(console.contains("cross_sell: no customer has an industry"), console);
    assertTrue(console.contains("cross_sell: too little history for the evaluation (the first order is 2025-03-"), console);
    String version = JSON.readTree(Files.readString(out.resolve(Output.promotedFile(CrossSellStage.NAME))))
        .path("version").asText();
    JsonNode evaluation = JSON.readTree(Files.readString(out.resolve(Output.modelVersion(CrossSellStage.NAME, version))
        .resolve(org.crmanalytics.jobs.io.ModelStore.EVALUATION_JSON)));
    assertTrue(evaluation.path("test").isNull(), evaluation.toString());
    assertEquals(3, evaluation.path("left_out").size(), evaluation.toString());
  }
}
