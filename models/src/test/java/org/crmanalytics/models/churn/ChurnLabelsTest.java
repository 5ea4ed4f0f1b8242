package org.crmanalytics.models.churn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.models.classify.PriorShift;
import org.crmanalytics.models.classify.TimeSplit;
import org.crmanalytics.models.features.CustomerSnapshot;
import org.crmanalytics.models.features.SnapshotFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Labels, the time split, the training set's point-in-time guard and the prior shift, on hand-made rows. */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class ChurnLabelsTest {
  private static final LocalDate D = LocalDate.of(2025, 6, 30);
  private static SparkSession spark;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
  }

  /** Active window (2024-06-30, 2025-06-30], label window (2025-06-30, 2025-12-31]. */
  private static SnapshotFixture company() {
    SnapshotFixture f = new SnapshotFixture();
    for (String c : List.of("K1", "K2", "K3", "K4", "K5", "K6")) {
      f.add("customers", "customer_id", c);
    }
    f.sale("A", 1, "K1", "2025-03-01", "P", "100", "50", "order"); // active, orders again: stays
    f.sale("B", 1, "K1", "2025-12-31", "P", "100", "50", "order"); //   last day of the label window
    f.sale("C", 1, "K2", "2025-06-30", "P", "100", "50", "order"); // active on D itself, nothing after: churns
    f.sale("D", 1, "K3", "2024-06-30", "P", "100", "50", "order"); // just outside the active window: not in the population
    f.sale("E", 1, "K3", "2025-08-01", "P", "100", "50", "order");
    f.sale("F", 1, "K4", "2025-01-01", "P", "100", "50", "order"); // active; only a return afterwards: churns
    f.sale("G", 1, "K4", "2025-09-01", "P", "-100", "-50", "return");
    f.sale("H", 1, "K5", "2025-02-01", "P", "100", "50", "order"); // active; orders only after the label window: churns
    f.sale("I", 1, "K5", "2026-01-01", "P", "100", "50", "order");
    f.sale("J", 1, "K6", "2024-07-01", "P", "100", "50", "order"); // first day of the active window: stays
    f.sale("K", 1, "K6", "2025-07-01", "P", "100", "50", "order");
    return f;
  }

  private static Map<String, Double> labels(SnapshotFixture f) {
    Map<String, Double> out = new TreeMap<>();
    for (Row r : ChurnLabels.label(f.silver(spark, List.of()).get("sales"), D, ChurnDefinition.DEFAULT)
        .collectAsList()) {
      out.put(r.getString(0), r.getDouble(1));
    }
    return out;
  }

  @Test
  void labelsFollowTheDefinitionAtEveryBoundary() {
    assertEquals(Map.of("K1", 0.0, "K2", 1.0, "K4", 1.0, "K5", 1.0, "K6", 0.0), labels(company()));
  }

  @Test
  void theTrainingSetSeesNothingAfterItsDatesButTheLabel() {
    SnapshotFixture base = company();
    SnapshotFixture later = company();
    // After D: a visit, a new order in the label window (changes K2's label only) and an order after it.
    later.activity("V1", "K1", "visit", "2025-07-02 10:00:00");
    later.sale("L", 1, "K2", "2025-10-01", "P", "900", "400", "order");
    later.sale("M", 1, "K6", "2026-03-01", "P", "900", "400", "order");
    CustomerSnapshot.Settings s = CustomerSnapshot.Settings.DEFAULTS;
    List<Row> a = sorted(ChurnTrainingSet.labelled(base.silver(spark, List.of()), D, s,
        ChurnDefinition.DEFAULT, null));
    List<Row> b = sorted(ChurnTrainingSet.labelled(later.silver(spark, List.of()), D, s,
        ChurnDefinition.DEFAULT, null));
    assertEquals(a.size(), b.size());
    int label = a.get(0).fieldIndex(ChurnLabels.LABEL);
    for (int i = 0; i < a.size(); i++) {
      for (int c = 0; c < a.get(i).size(); c++) {
        if (c == label) {
          continue;
        }
        assertEquals(a.get(i).get(c), b.get(i).get(c), a.get(i).getString(0) + " column " + a.get(i).schema().fields()[c].name()
            + " changed by data after the snapshot date");
      }
      boolean k2 = a.get(i).getString(0).equals("K2");
      assertEquals(k2 ? 0.0 : a.get(i).getDouble(label), b.get(i).getDouble(label), a.get(i).getString(0) + " label");
    }
  }

  private static List<Row> sorted(Dataset<Row> rows) {
    return rows.orderBy(CustomerSnapshot.CUSTOMER_ID).collectAsList();
  }

  @Test
  void theSplitKeepsTrainingLabelsBeforeTheTestDate() {
    TimeSplit split = TimeSplit.latest(LocalDate.of(2025, 12, 31), ChurnDefinition.DEFAULT, 3, 3);
    assertEquals(LocalDate.of(2025, 6, 30), split.testDate());
    assertEquals(LocalDate.of(2024, 12, 31), split.validationDate());
    assertEquals(List.of(LocalDate.of(2023, 12, 31), LocalDate.of(2024, 3, 31), LocalDate.of(2024, 6, 30)),
        split.trainDates());
    TimeSplit leaking = new TimeSplit(List.of(LocalDate.of(2024, 9, 30)), LocalDate.of(2024, 12, 31),
        LocalDate.of(2025, 6, 30));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> leaking.check(ChurnDefinition.DEFAULT, LocalDate.of(2025, 12, 31)));
    assertTrue(e.getMessage().contains("2025-03-31, after the validation snapshot 2024-12-31"), e.getMessage());
    TimeSplit validationLeaks = new TimeSplit(List.of(LocalDate.of(2024, 3, 31)), LocalDate.of(2025, 3, 31),
        LocalDate.of(2025, 6, 30));
    e = assertThrows(IllegalArgumentException.class,
        () -> validationLeaks.check(ChurnDefinition.DEFAULT, LocalDate.of(2025, 12, 31)));
    assertTrue(e.getMessage().contains("the choice of model would see the test period"), e.getMessage());
    TimeSplit unfinished = new TimeSplit(List.of(LocalDate.of(2024, 3, 31)), LocalDate.of(2024, 9, 30),
        LocalDate.of(2025, 9, 30));
    assertThrows(IllegalArgumentException.class, () -> unfinished.check(ChurnDefinition.DEFAULT, LocalDate.of(2025, 12, 31)));
  }

  @Test
  void thePriorShiftMovesLogOddsAndSurvivesSaveAndLoadInsideAPipeline(@TempDir java.nio.file.Path dir)
      throws Exception {
    assertEquals(0.2, PriorShift.shift(0.5, PriorShift.balancedOffset(0.2)), 1e-12);
    assertEquals(1.0, PriorShift.shift(1.0, -3), 0);
    StructType schema = new StructType().add("probability", new VectorUDT());
    Dataset<Row> rows = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(0.5, 0.5)),
        RowFactory.create(Vectors.dense(0.1, 0.9))), schema);
    PriorShift shift = new PriorShift().setOffset(Math.log(0.25)).setOutputCol("p");
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {shift}).fit(rows);
    model.write().overwrite().save(dir.resolve("pipeline").toString());
    PipelineModel loaded = PipelineModel.load(dir.resolve("pipeline").toString());
    List<Row> out = loaded.transform(rows).select("p").collectAsList();
    assertEquals(0.2, out.get(0).getDouble(0), 1e-12); // odds 1 x 0.25
    assertEquals(9 * 0.25 / (1 + 9 * 0.25), out.get(1).getDouble(0), 1e-12);
    shift.write().overwrite().save(dir.resolve("stage").toString());
    assertEquals(Math.log(0.25), PriorShift.load(dir.resolve("stage").toString()).getOffset(), 0);
  }

  /** Pipelines saved before the prior shift moved to models/classify name the old class; they still load. */
  @Test
  void aModelSavedWithTheOldPriorShiftClassStillLoads(@TempDir java.nio.file.Path dir) throws Exception {
    StructType schema = new StructType().add("probability", new VectorUDT());
    Dataset<Row> rows = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(0.5, 0.5))), schema);
    PriorShift old = new org.crmanalytics.models.churn.PriorShift("priorShift_old").setOffset(Math.log(0.25))
        .setOutputCol("p");
    new Pipeline().setStages(new PipelineStage[] {old}).fit(rows).write().overwrite().save(dir.toString());
    String metadata = new String(readAll(dir.resolve("stages")), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(metadata.contains("org.crmanalytics.models.churn.PriorShift"), metadata);
    PipelineModel loaded = PipelineModel.load(dir.toString());
    assertEquals(0.2, loaded.transform(rows).select("p").first().getDouble(0), 1e-12);
  }

  private static byte[] readAll(java.nio.file.Path folder) {
    try (var files = java.nio.file.Files.walk(folder)) {
      var out = new java.io.ByteArrayOutputStream();
      for (var f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
        out.write(java.nio.file.Files.readAllBytes(f));
      }
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
