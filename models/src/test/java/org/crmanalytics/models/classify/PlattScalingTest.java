package org.crmanalytics.models.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.SharedSpark;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Platt scaling recovers how a classifier's log-odds relate to the observed rate. */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class PlattScalingTest {
  private static final StructType SCHEMA = new StructType().add(ClassifierTrainer.LABEL, DataTypes.DoubleType)
      .add("probability", SQLDataTypes.VectorType());

  /** Rows whose true log-odds are {@code slope · raw + offset}, for raw log-odds spread over [-2, 2]. */
  private static Dataset<Row> rows(SparkSession spark, double slope, double offset) {
    Random random = new Random(7);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 8_000; i++) {
      double raw = -2 + 4 * random.nextDouble();
      double p = 1 / (1 + Math.exp(-(slope * raw + offset)));
      double q = 1 / (1 + Math.exp(-raw));
      rows.add(RowFactory.create(random.nextDouble() < p ? 1.0 : 0.0, Vectors.dense(1 - q, q)));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  @Test
  void compressedLogOddsAreStretchedBack(SparkSession spark) {
    PlattScaling fit = PlattScaling.fit(rows(spark, 3.0, -4.0), 0.05);
    assertEquals(3.0, fit.slope(), 0.35, fit.toString());
    assertEquals(-4.0, fit.offset(), 0.4, fit.toString());
    assertTrue(fit.method().startsWith("Platt"), fit.method());
    assertEquals(1 / (1 + Math.exp(-(3.0 * 1.0 - 4.0))), PriorShift.shift(1 / (1 + Math.exp(-1.0)), 3.0, -4.0), 1e-12);
  }

  @Test
  void aScoreThatRanksBackwardsIsNotFlippedButLeftWithThePriorShift(SparkSession spark) {
    PlattScaling fit = PlattScaling.fit(rows(spark, -1.0, -2.0), 0.05);
    assertEquals(1.0, fit.slope());
    assertEquals(PriorShift.balancedOffset(0.05), fit.offset(), 1e-12);
    assertTrue(fit.method().contains("not used"), fit.method());
  }
}
