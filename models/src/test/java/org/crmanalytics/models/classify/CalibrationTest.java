package org.crmanalytics.models.classify;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.regression.IsotonicRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.models.evaluation.BinaryClassifierEvaluation;
import org.crmanalytics.models.evaluation.ScoreKind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The calibrator is chosen by held-out error: isotonic regression where the miscalibration is not
 * logistic in shape, Platt scaling where it is and the rows are few; either way the chosen one
 * lowers the ECE on new rows of the same kind, and survives save and load inside a pipeline.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class CalibrationTest {
  private static final String FOLD = "fold";
  private static final StructType SCHEMA = new StructType().add(ClassifierTrainer.LABEL, DataTypes.DoubleType)
      .add(Calibration.CLASSIFIER_PROBABILITY, SQLDataTypes.VectorType()).add(FOLD, DataTypes.IntegerType)
      .add("raw", DataTypes.DoubleType);

  /**
   * Rows whose classifier says {@code q} (uniform in (0, 1)) while the true churn probability is
   * {@code truth(q)}; alternate rows fall into the two folds.
   */
  private static Dataset<Row> rows(SparkSession spark, int n, long seed, DoubleUnaryOperator truth) {
    Random random = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double q = 0.001 + 0.998 * random.nextDouble();
      double label = random.nextDouble() < truth.applyAsDouble(q) ? 1.0 : 0.0;
      rows.add(RowFactory.create(label, Vectors.dense(1 - q, q), i % 2, q));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** Non-logistic miscalibration: two plateaus, 5 % churn below a score of 0.6 and 70 % above. */
  private static double steps(double q) {
    return q < 0.6 ? 0.05 : 0.70;
  }

  /** Logistic miscalibration: true log-odds = 2 · the classifier's − 1. */
  private static double logistic(double q) {
    return 1 / (1 + Math.exp(-(2 * (Math.log(q) - Math.log1p(-q)) - 1)));
  }

  private static double ece(Dataset<Row> scored, String column) {
    return BinaryClassifierEvaluation.evaluate(scored, ClassifierTrainer.LABEL, column, ScoreKind.PROBABILITY).ece();
  }

  @Test
  void isotonicRegressionIsChosenWhenTheMiscalibrationIsNotLogistic(SparkSession spark) {
    Calibration.Choice choice = Calibration.choose(rows(spark, 4_000, 1, CalibrationTest::steps), FOLD, 0.3);
    assertEquals(Calibration.Method.ISOTONIC, choice.method(), choice.description());
    assertTrue(choice.isotonicBrier() < choice.plattBrier(), choice.description());
    assertTrue(choice.description().startsWith("isotonic regression"), choice.description());

    Dataset<Row> fresh = rows(spark, 4_000, 2, CalibrationTest::steps);
    Dataset<Row> calibrated = choice.stage("p").transform(fresh);
    double before = ece(fresh, "raw");
    double after = ece(calibrated, "p");
    assertTrue(after <= before, "ECE before " + before + ", after " + after);
    assertTrue(after < 0.03, "isotonic recovers the plateaus: ECE after " + after);
  }

  @Test
  void plattScalingIsChosenWhenTheMiscalibrationIsLogisticAndTheRowsAreFew(SparkSession spark) {
    Calibration.Choice choice = Calibration.choose(rows(spark, 300, 3, CalibrationTest::logistic), FOLD, 0.3);
    assertEquals(Calibration.Method.PLATT, choice.method(), choice.description());
    assertTrue(choice.plattBrier() <= choice.isotonicBrier(), choice.description());
    assertEquals(2.0, choice.platt().slope(), 0.8, choice.description());

    Dataset<Row> fresh = rows(spark, 4_000, 4, CalibrationTest::logistic);
    double before = ece(fresh, "raw");
    double after = ece(choice.stage("p").transform(fresh), "p");
    assertTrue(after <= before, "ECE before " + before + ", after " + after);
  }

  @Test
  void aPipelineEndingInTheIsotonicStageSurvivesSaveAndLoad(SparkSession spark, @TempDir Path dir) throws Exception {
    Dataset<Row> rows = rows(spark, 2_000, 5, CalibrationTest::steps);
    Calibration.Choice choice = Calibration.choose(rows, FOLD, 0.3);
    assertEquals(Calibration.Method.ISOTONIC, choice.method(), choice.description());
    // Stands in for ClassifierTrainer's assembler, classifier and prior shift.
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {
        new SQLTransformer().setStatement("SELECT * FROM __THIS__"), new PriorShift().setOutputCol("p")}).fit(rows);
    PipelineModel calibrated = choice.applyTo(fitted, rows, "p");
    assertTrue(calibrated.stages()[1] instanceof IsotonicRegressionModel, calibrated.stages()[1].toString());
    PipelineModel loaded = ModelSelection.reloaded(calibrated, dir.resolve("model").toString());
    assertTrue(loaded.stages()[1] instanceof IsotonicRegressionModel, loaded.stages()[1].toString());
    List<Row> expected = calibrated.transform(rows).select(col("raw"), col("p")).orderBy("raw").collectAsList();
    List<Row> actual = loaded.transform(rows).select(col("raw"), col("p")).orderBy("raw").collectAsList();
    assertEquals(expected, actual);
    // A step function: the low plateau maps near 5 %, the high one near 70 %.
    assertEquals(0.05, expected.get(100).getDouble(1), 0.04, expected.get(100).toString());
    assertEquals(0.70, expected.get(expected.size() - 100).getDouble(1), 0.1, expected.get(expected.size() - 100)
        .toString());
  }
}
