package org.crmanalytics.jobs.churn;

import org.crmanalytics.jobs.cli.Pipeline;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.jobs.SampleCompany;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.runner.PipelineRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Churn training on a short history (the sample company's sales from 2024-09-01 only, as of
 * 2025-12-31, no clv output): the snapshot dates are fitted to the span and said; with the default
 * 6-month horizon the history is too short and the reason says so; the CLV features are left out,
 * with the reason, when the clv output is absent, a BTYD fit throws, or a fit is degenerate.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class ChurnShortHistoryTest {
  private static final LocalDate AS_OF = SampleCompany.AS_OF;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path out;
  private static SparkSession spark;

  @BeforeAll
  static void writeShortSilver(SparkSession session) {
    spark = session;
    SampleCompany.tables(spark).forEach((name, rows) -> (name.equals("sales")
        ? rows.filter(col("order_date").geq("2024-09-01")) : rows)
        .write().mode("overwrite").parquet(out.resolve("silver/" + name + "/as_of=" + AS_OF).toString()));
  }

  private static PipelineConfig config(String name, String churn) throws IOException {
    Path file = out.resolve(name + ".yaml");
    Files.writeString(file, """
        as_of: 2025-12-31
        tables:
          customers: {path: unused/customers.csv}
          sales: {path: unused/sales.csv}
        """ + churn);
    return Pipeline.configLoader(Map.of()).load(file).withOutput(out);
  }

  private static String train(PipelineConfig config) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(captured, true, StandardCharsets.UTF_8);
        Console console = new Console(ps, Console.Verbosity.NORMAL)) {
      new PipelineRunner(console).run(spark, config, List.of(new ChurnTrainingJob()), "train churn");
    } finally {
      System.out.println(captured.toString(StandardCharsets.UTF_8));
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aHistoryTooShortForTheHorizonIsRefusedWithTheReason() throws IOException {
    UserError e = assertThrows(UserError.class, () -> train(config("default", "")));
    assertTrue(e.getMessage().startsWith("train churn: no model trained: the order history from 2024-09-"),
        e.getMessage());
    assertTrue(e.getMessage().contains("to as_of 2025-12-31 (15 months) is too short to train a churn model: it "
        + "needs 3 months of history before the first training snapshot (churn.training.min_history_months), then "
        + "three label windows of 6 months (churn.horizon_months): training, validation and test, 21 months in all"),
        e.getMessage());
  }

  @Test
  void aShorterHorizonTrainsOnTheSnapshotsThatFitAndLeavesTheAbsentClvFeaturesOut() throws IOException {
    String console = train(config("quarterly", """
        churn:
          active_months: 6
          horizon_months: 3
          training: {gbt_max_iter: 5}
          promotion: {bootstrap_resamples: 200}
        """));
    assertTrue(console.contains("train-churn: training snapshots 2024-12-31, 2025-03-31 (2 of 4 asked for: earlier "
        + "ones fall before 2024-12-0"), console);
    assertTrue(console.contains("validation 2025-06-30, test 2025-09-30"), console);
    assertTrue(console.contains("the CLV features p_alive, btyd_expected_orders and the p_alive baseline are left out "
        + "of this training: there is no clv output for as_of 2025-12-31"), console);
    Path version;
    try (var s = Files.list(out.resolve("models/churn"))) {
      version = s.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    JsonNode meta = JSON.readTree(version.resolve("metadata.json").toFile());
    JsonNode eval = JSON.readTree(version.resolve("evaluation.json").toFile());
    assertEquals("[\"2024-12-31\",\"2025-03-31\"]", meta.path("train_snapshots").toString());
    assertEquals("2025-06-30", meta.path("validation_snapshot").asText());
    assertEquals("2025-09-30", meta.path("test_snapshot").asText());
    List<String> features = new ArrayList<>();
    meta.path("features").forEach(f -> features.add(f.asText()));
    assertFalse(features.contains(ChurnInputs.P_ALIVE), features.toString());
    assertFalse(features.contains(ChurnInputs.BTYD_EXPECTED_ORDERS), features.toString());
    assertTrue(eval.path("features_left_out").asText().contains("there is no clv output"), eval.toString());
    List<String> baselines = new ArrayList<>();
    eval.path("baselines").fieldNames().forEachRemaining(baselines::add);
    assertEquals(List.of(ChurnTrainingJob.RECENCY_BASELINE, ChurnTrainingJob.BASE_RATE_BASELINE), baselines);
    assertEquals(0.5, eval.path("baselines").path("base_rate").path("roc_auc").asDouble(), 1e-12);
    assertEquals("validation", eval.path("selection").path("evaluated_on").asText());
    assertEquals(meta.path("algorithm").asText(), eval.path("selection").path("chosen").asText());
    assertEquals(eval.path("promoted").asBoolean(), Files.exists(out.resolve("models/churn/promoted.json")));
    assertTrue(eval.path("promotion").path("checks").size() >= 9, eval.path("promotion").toString());
    System.out.println(Files.readString(version.resolve("evaluation.txt")));
  }

  @Test
  void aBtydFitThatThrowsOrIsDegenerateLeavesTheClvFeaturesOut() {
    List<LocalDate> dates = List.of(LocalDate.of(2024, 6, 30), LocalDate.of(2024, 12, 31));
    ChurnInputs.TrainingClv failed = ChurnInputs.trainingClv(d -> {
      throw new IllegalStateException("job aborted", new ArithmeticException("2F1(1.2, 3.4; 5.6; 0.99) did not "
          + "converge in 2000000 terms"));
    }, dates);
    assertNull(failed.features());
    assertEquals("the BTYD fit on the sales up to 2024-06-30 failed (ArithmeticException: 2F1(1.2, 3.4; 5.6; 0.99) "
        + "did not converge in 2000000 terms)", failed.leftOut());

    StructType schema = new StructType().add("customer_id", DataTypes.StringType)
        .add(ChurnInputs.P_ALIVE, DataTypes.DoubleType).add(ChurnInputs.BTYD_EXPECTED_ORDERS, DataTypes.DoubleType);
    List<Row> varied = List.of(RowFactory.create("K1", 0.9, 1.2), RowFactory.create("K2", 0.4, 0.3));
    List<Row> constant = List.of(RowFactory.create("K1", 1.0, 1.2), RowFactory.create("K2", 1.0, 0.3));
    ChurnInputs.TrainingClv degenerate = ChurnInputs.trainingClv(d -> spark.createDataFrame(
        d.equals(dates.get(1)) ? constant : varied, schema), dates);
    assertNull(degenerate.features());
    assertEquals("the BTYD fit on the sales up to 2024-12-31 gives every customer the same P(alive) (1.0), a "
        + "degenerate fit", degenerate.leftOut());

    ChurnInputs.TrainingClv fine = ChurnInputs.trainingClv(d -> spark.createDataFrame(varied, schema), dates);
    assertNull(fine.leftOut());
    assertEquals(2, fine.features().asOf(dates.get(0)).count());
  }
}
