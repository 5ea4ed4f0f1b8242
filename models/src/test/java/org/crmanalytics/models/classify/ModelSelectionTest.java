package org.crmanalytics.models.classify;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.models.churn.ChurnDefinition;
import org.crmanalytics.models.churn.ChurnLabels;
import org.crmanalytics.models.churn.ChurnTrainingSet;
import org.crmanalytics.models.evaluation.BinaryClassifierEvaluation;
import org.crmanalytics.models.evaluation.ClassifierMetrics;
import org.crmanalytics.models.evaluation.ScoreKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model is chosen on the validation snapshot, never on the test snapshot: turning every test
 * label around changes the grade of the model but neither the choice nor the fitted model.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class ModelSelectionTest {
  private static final TimeSplit SPLIT = TimeSplit.latest(LocalDate.of(2025, 12, 31), ChurnDefinition.DEFAULT, 2, 3);
  private static final ModelFeatures FEATURES = new ModelFeatures(List.of("x1", "x2"));
  private static final ClassifierTrainer.Settings FAST = new ClassifierTrainer.Settings(3, 2, 0.3, 0.01, 42L);

  @TempDir static Path dir;
  private static SparkSession spark;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
  }

  /** 120 customers per snapshot date; churn depends on x1 (with noise), x2 is noise. */
  private static Dataset<Row> rows() {
    StructType schema = new StructType().add("customer_id", DataTypes.StringType)
        .add(ChurnTrainingSet.SNAPSHOT_DATE, DataTypes.DateType).add("x1", DataTypes.DoubleType)
        .add("x2", DataTypes.DoubleType).add(ChurnLabels.LABEL, DataTypes.DoubleType);
    Random r = new Random(11);
    List<Row> rows = new ArrayList<>();
    for (LocalDate d : SPLIT.all()) {
      for (int i = 0; i < 120; i++) {
        double x1 = r.nextGaussian();
        double x2 = r.nextGaussian();
        double p = 1 / (1 + Math.exp(-(1.5 * x1 - 1)));
        rows.add(RowFactory.create("K" + i, java.sql.Date.valueOf(d), x1, x2, r.nextDouble() < p ? 1.0 : 0.0));
      }
    }
    return spark.createDataFrame(rows, schema);
  }

  @Test
  void changingTheTestLabelsChangesNeitherTheChoiceNorTheModel() {
    Dataset<Row> original = rows().cache();
    Dataset<Row> flipped = original.withColumn(ChurnLabels.LABEL,
        when(col(ChurnTrainingSet.SNAPSHOT_DATE).equalTo(lit(SPLIT.testDate())), lit(1.0).minus(col(ChurnLabels.LABEL)))
            .otherwise(col(ChurnLabels.LABEL)));
    ModelSelection.Result a = ModelSelection.choose(original, SPLIT, FEATURES, FAST, dir + "/a", ChurnLabels.PROBABILITY);
    ModelSelection.Result b = ModelSelection.choose(flipped, SPLIT, FEATURES, FAST, dir + "/b", ChurnLabels.PROBABILITY);
    assertEquals(a.chosen(), b.chosen());
    assertEquals(a.validation(), b.validation());
    assertEquals(a.fitRate(), b.fitRate());
    assertEquals(a.calibration().method(), b.calibration().method());
    assertEquals(a.calibration().plattBrier(), b.calibration().plattBrier(), "the calibration never sees the test");
    assertEquals(a.calibration().isotonicBrier(), b.calibration().isotonicBrier());
    assertEquals(3 * 120, a.fitRate().rows(), "two training snapshots and the validation snapshot");

    Dataset<Row> test = original.filter(col(ChurnTrainingSet.SNAPSHOT_DATE).equalTo(lit(SPLIT.testDate())));
    Dataset<Row> testFlipped = flipped.filter(col(ChurnTrainingSet.SNAPSHOT_DATE).equalTo(lit(SPLIT.testDate())));
    ClassifierMetrics onTest = BinaryClassifierEvaluation.evaluate(a.model().transform(test), ChurnLabels.LABEL,
        ChurnLabels.PROBABILITY, ScoreKind.PROBABILITY);
    ClassifierMetrics onFlipped = BinaryClassifierEvaluation.evaluate(b.model().transform(testFlipped),
        ChurnLabels.LABEL, ChurnLabels.PROBABILITY, ScoreKind.PROBABILITY);
    // The same model's scores, graded against opposite labels: ROC AUC turns into 1 − ROC AUC.
    assertEquals(1 - onTest.rocAuc(), onFlipped.rocAuc(), 1e-9);
    assertNotEquals(onTest.rocAuc(), onFlipped.rocAuc());
  }
}
