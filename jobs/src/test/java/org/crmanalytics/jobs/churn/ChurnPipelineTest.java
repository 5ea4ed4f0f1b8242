package org.crmanalytics.jobs.churn;

import org.crmanalytics.jobs.io.ModelStore;
import org.crmanalytics.jobs.cli.Pipeline;
import org.crmanalytics.jobs.io.Output;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.SampleCompany;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.models.churn.ChurnLabels;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.features.FeaturesStage;
import org.crmanalytics.jobs.runner.PipelineRunner;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.models.classify.ClassifierTrainer;
import org.crmanalytics.models.evaluation.BinaryClassifierEvaluation;
import org.crmanalytics.models.evaluation.ClassifierMetrics;
import org.crmanalytics.models.evaluation.ScoreKind;
import org.crmanalytics.models.scores.CustomerScores;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The churn early warning end to end on the bundled sample company (1,000 customers, as of
 * 2025-12-31): features, clv, churn (which trains and promotes a model first, as a first run
 * does), scores. Silver is written from the sample's files, which already follow the contract.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class ChurnPipelineTest {
  private static final LocalDate AS_OF = SampleCompany.AS_OF;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path out;
  private static SparkSession spark;
  private static PipelineConfig config;
  private static JsonNode metadata;
  private static String version;

  @BeforeAll
  static void runOnce(SparkSession session) throws IOException {
    spark = session;
    SampleCompany.writeSilver(spark, out, AS_OF);
    Path file = out.resolve("config.yaml");
    Files.writeString(file, """
        as_of: 2025-12-31
        tables:
          customers: {path: unused/customers.csv}
          sales: {path: unused/sales.csv}
        churn:
          training: {gbt_max_iter: 10, snapshots: 2}
          # The sample's model finds fewer leavers in its top 10 % than the recency rule, so the
          # default lift_at_top check refuses it (issue 22; EvaluationReportTest). These tests need
          # a promoted model for the stages after training: a tolerance wide enough to let it through.
          promotion: {lift_tolerance: 1.0}
        """);
    config = Pipeline.configLoader(Map.of()).load(file).withOutput(out);
    run(List.of("features", "clv", "churn", "scores"));
    ModelStore store = store();
    version = store.promotedVersion().orElseThrow();
    metadata = JSON.readTree(Files.readString(Path.of(java.net.URI.create(store.metadata(version)))));
    System.out.println(Files.readString(Path.of(java.net.URI.create(store.evaluationText(version)))));
  }

  private static ModelStore store() {
    return new ModelStore(ChurnStage.NAME, out.toUri().toString().replaceAll("/$", ""),
        new org.crmanalytics.jobs.io.AtomicOutput(spark.sparkContext().hadoopConfiguration()));
  }

  private static void run(List<String> stages) {
    List<PipelineStage> ordered = stages.stream().map(s -> Pipeline.graph().stage(s)).toList();
    new PipelineRunner(new Console(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
        Console.Verbosity.QUIET)).run(spark, config, ordered, "test");
  }

  private static Dataset<Row> read(String relative) {
    return spark.read().parquet(out.resolve(relative).toString());
  }

  @Test
  void theModelVersionRecordsWhatItWasTrainedOn() {
    assertEquals(AS_OF.toString(), metadata.path("as_of").asText());
    assertEquals("2025-06-30", metadata.path("test_snapshot").asText());
    assertEquals("2024-12-31", metadata.path("validation_snapshot").asText());
    assertEquals(List.of("2024-03-31", "2024-06-30"),
        JSON.convertValue(metadata.path("train_snapshots"), List.class));
    assertEquals(spark.version(), metadata.path("spark_version").asText());
    assertTrue(metadata.path("features").size() > 40, metadata.path("features").toString());
    assertTrue(metadata.path("training_data_fingerprint").asText().matches("[0-9a-f]{16}"));
    assertTrue(metadata.path("promoted").asBoolean());
    assertTrue(Files.isRegularFile(out.resolve("models/churn/" + version + "/evaluation.json")));
    assertTrue(Files.isDirectory(out.resolve("models/churn/" + version + "/pipeline")));
  }

  @Test
  void theCalibrationChoiceAndItsEffectOnTheTestSnapshotAreRecorded() throws IOException {
    JsonNode calibration = metadata.path("calibration");
    assertTrue(List.of("platt", "isotonic").contains(calibration.path("method").asText()), calibration.toString());
    assertTrue(calibration.path("validation_brier_platt").isNumber(), calibration.toString());
    assertTrue(calibration.path("validation_brier_isotonic").isNumber(), calibration.toString());
    JsonNode evaluation = JSON.readTree(Files.readString(out.resolve("models/churn/" + version + "/evaluation.json")));
    assertEquals(evaluation.path("metrics").path("ece").asDouble(), calibration.path("test_ece_after").asDouble(), 1e-12);
    assertEquals(calibration.path("test_ece_before").asDouble(),
        evaluation.path("calibration").path("ece_before").asDouble(), 1e-12);
    assertTrue(evaluation.path("calibration").path("ece_before").asDouble() > 0, evaluation.path("calibration").toString());
    JsonNode lift = evaluation.path("promotion").path("lift_at_top");
    assertEquals(0.1, lift.path("share").asDouble());
    assertEquals(evaluation.path("metrics").path("lift_top10").asDouble(), lift.path("model").asDouble(), 1e-12);
  }

  @Test
  void everyCustomerInThePopulationGetsAProbabilityABandAndReasons() {
    Dataset<Row> churn = read(Output.CHURN_CUSTOMERS.at(AS_OF));
    // The population, computed independently: a positive sales line in (2024-12-31, 2025-12-31].
    long population = SampleCompany.table(spark, "sales")
        .filter(col("net_amount").gt(0).and(col("order_date").gt("2024-12-31")).and(col("order_date").leq("2025-12-31")))
        .select("customer_id").distinct().count();
    assertEquals(population, churn.count());
    assertEquals(0, churn.filter(col(CustomerScores.CHURN_PROBABILITY).isNull()
        .or(col(CustomerScores.CHURN_PROBABILITY).lt(0)).or(col(CustomerScores.CHURN_PROBABILITY).gt(1))).count());
    assertEquals(0, churn.filter(col(CustomerScores.CHURN_BAND).equalTo("high")
        .and(col(CustomerScores.CHURN_PROBABILITY).lt(0.5))).count());
    assertEquals(0, churn.filter(col(CustomerScores.CHURN_BAND).equalTo("low")
        .and(col(CustomerScores.CHURN_PROBABILITY).geq(0.2))).count());
    Row high = churn.filter(col(CustomerScores.CHURN_BAND).equalTo("high")).orderBy(col(CustomerScores.CUSTOMER_ID))
        .first();
    List<Row> reasons = high.getList(high.fieldIndex(CustomerScores.CHURN_REASONS));
    assertFalse(reasons.isEmpty());
    Row first = reasons.get(0);
    assertEquals("raises", first.getString(first.fieldIndex("direction")));
    assertTrue(first.getDouble(first.fieldIndex("contribution")) > 0);
    String en = high.getString(high.fieldIndex(CustomerScores.CHURN_REASONS_EN));
    assertTrue(en.contains("(typical: "), en);
    assertTrue(high.getString(high.fieldIndex(CustomerScores.CHURN_REASONS_DE)).contains("(üblich: "));
    assertEquals(version, high.getString(high.fieldIndex(CustomerScores.CHURN_MODEL_VERSION)));
  }

  @Test
  void customerScoresHoldOneRowPerCustomerWithValueAtRiskAndRanksPerRep() {
    Dataset<Row> scores = read(Output.CUSTOMER_SCORES.at(AS_OF));
    assertEquals(CustomerScores.SCHEMA.fieldNames().length, scores.columns().length);
    assertEquals(List.of(CustomerScores.SCHEMA.fieldNames()), List.of(scores.columns()));
    assertEquals(read("snapshot/as_of=" + AS_OF).count(), scores.count());
    assertEquals(scores.count(), scores.select(CustomerScores.CUSTOMER_ID).distinct().count());
    assertEquals(0, scores.filter(col(CustomerScores.VALUE_AT_RISK).minus(
        col(CustomerScores.CHURN_PROBABILITY).multiply(col(CustomerScores.CLV))).cast("double")
        .$greater(1e-9)).count());
    // Customers outside the population have no churn score and so no value at risk.
    assertTrue(scores.filter(col(CustomerScores.CHURN_PROBABILITY).isNull()).count() > 0);
    assertEquals(0, scores.filter(col(CustomerScores.CHURN_PROBABILITY).isNull()
        .and(col(CustomerScores.VALUE_AT_RISK).isNotNull())).count());
    Row top = scores.filter(col(CustomerScores.RISK_RANK_IN_REP).equalTo(1)).orderBy(CustomerScores.SALES_REP_ID).first();
    double best = scores.filter(col(CustomerScores.SALES_REP_ID).equalTo(top.getString(top.fieldIndex(
        CustomerScores.SALES_REP_ID)))).agg(org.apache.spark.sql.functions.max(CustomerScores.VALUE_AT_RISK))
        .first().getDouble(0);
    assertEquals(best, top.getDouble(top.fieldIndex(CustomerScores.VALUE_AT_RISK)), 1e-9);
    Dataset<Row> warning = read("scores/early_warning/as_of=" + AS_OF);
    assertEquals(scores.filter(col(CustomerScores.CHURN_BAND).isin("high", "medium")).count(), warning.count());
  }

  @Test
  void scoringAgainGivesTheSameScores() {
    List<Row> before = read(Output.CHURN_CUSTOMERS.at(AS_OF)).orderBy(CustomerScores.CUSTOMER_ID).collectAsList();
    run(List.of("churn"));
    List<Row> after = read(Output.CHURN_CUSTOMERS.at(AS_OF)).orderBy(CustomerScores.CUSTOMER_ID).collectAsList();
    assertEquals(before, after);
    assertEquals(version, store().promotedVersion().orElseThrow(), "a promoted model is reused, not retrained");
  }

  @Test
  void aSnapshotWithoutTheModelsFeaturesIsAClearError() throws IOException {
    Path file = out.resolve("other-windows.yaml");
    Files.writeString(file, """
        as_of: 2025-12-31
        tables:
          customers: {path: unused/customers.csv}
          sales: {path: unused/sales.csv}
        features:
          windows_days: [30, 365]
        """);
    PipelineConfig other = Pipeline.configLoader(Map.of()).load(file).withOutput(out.resolve("other"));
    SampleCompany.writeSilver(spark, out.resolve("other"), AS_OF);
    // The model of the main run, promoted in the other output root.
    ModelStore main = store();
    Path models = out.resolve("other/models/churn");
    Files.createDirectories(models);
    org.apache.commons.io.FileUtils.copyDirectory(out.resolve("models/churn").toFile(), models.toFile());
    new PipelineRunner(new Console(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
        Console.Verbosity.QUIET)).run(spark, other, List.of(new FeaturesStage(), Pipeline.graph().stage("clv")),
        "test");
    UserError e = assertThrows(UserError.class, () -> new PipelineRunner(new Console(
        new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), Console.Verbosity.QUIET))
        .run(spark, other, List.of(new ChurnStage()), "test"));
    assertTrue(e.getMessage().contains("needs the features order_count_90d, revenue_90d, order_count_730d"), e.getMessage());
    assertNotNull(main.promotedVersion());
  }

  @Test
  void onTheGeneratedCompanyTheModelFindsTheTrueChurners() {
    // Ground truth of the generator: who stopped buying and when. At the test snapshot 2025-06-30
    // a customer of the population truly churned when the generator ended them by 2025-12-31.
    Dataset<Row> truth = spark.read().option("header", true)
        .csv(SampleCompany.folder().resolve("ground_truth/customer_truth").toString())
        .select(col("customer_id"), col("churned").equalTo("true").and(col("churn_date").leq("2025-12-31"))
            .cast("double").as("truly_churned"));
    Dataset<Row> scored = spark.read().parquet(store().testPredictions(version)).join(truth, "customer_id");
    ClassifierMetrics m = BinaryClassifierEvaluation.evaluate(scored, "truly_churned", ChurnLabels.PROBABILITY,
        ScoreKind.PROBABILITY);
    ClassifierMetrics recency = BinaryClassifierEvaluation.evaluate(scored, "truly_churned",
        "days_since_last_order", ScoreKind.RANKING);
    System.out.printf("ground truth at 2025-06-30: model ROC AUC %.4f PR AUC %.4f; recency ROC AUC %.4f PR AUC %.4f;"
        + " %d customers, base rate %.4f%n", m.rocAuc(), m.prAuc(), recency.rocAuc(), recency.prAuc(), m.rows(),
        m.baseRate());
    // The model predicts "no order in the next 6 months", which also catches sparse buyers the
    // generator did not end; against the generator's truth it must still rank far better than chance.
    assertTrue(m.rocAuc() > 0.65, m.toString());
    assertTrue(m.liftTop10() > 2, m.toString());
  }
}
