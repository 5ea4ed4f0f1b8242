package org.crmanalytics.models.crosssell;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.VectorAssembler;
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

/**
 * The blend's calibration on many candidates: every adoption kept, the rest sampled and weighted
 * by the inverse of the sampling rate, so the weighted fit estimates the fit on all rows.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class CalibrationSampleTest {
  /** 40,000 candidates, about 8 % bought, with P(bought) = 1 / (1 + e^−(−3 + 2x)). */
  private static Dataset<Row> labelled(SparkSession spark) {
    Random random = new Random(7);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40_000; i++) {
      double x = random.nextDouble();
      double p = 1 / (1 + Math.exp(-(-3 + 2 * x)));
      rows.add(RowFactory.create(x, random.nextDouble() < p ? 1.0 : 0.0));
    }
    StructType schema = new StructType().add("x", DataTypes.DoubleType).add(CrossSell.LABEL, DataTypes.DoubleType);
    return spark.createDataFrame(rows, schema).cache();
  }

  @Test
  void aboveTheLimitEveryAdoptionIsKeptAndTheRestSampledWithInverseWeights(SparkSession spark) {
    Dataset<Row> all = labelled(spark);
    long rows = all.count();
    long adoptions = all.filter(col(CrossSell.LABEL).equalTo(1.0)).count();
    Dataset<Row> few = CrossSell.fittingRows(all, rows, adoptions, 10_000).cache();
    assertEquals(adoptions, few.filter(col(CrossSell.LABEL).equalTo(1.0)).count(), "every adoption kept");
    long negatives = few.filter(col(CrossSell.LABEL).equalTo(0.0)).count();
    long expected = 10_000 - adoptions;
    assertTrue(Math.abs(negatives - expected) < 0.05 * expected, negatives + " sampled, about " + expected + " expected");
    double weightOfNegatives = few.filter(col(CrossSell.LABEL).equalTo(0.0)).agg(sum(col("_weight"))).first().getDouble(0);
    assertEquals(rows - adoptions, weightOfNegatives, 0.05 * (rows - adoptions), "the weights stand for every non-adoption");

    double[] full = fit(CrossSell.fittingRows(all, rows, adoptions, rows));
    double[] sampled = fit(few);
    assertEquals(full[0], sampled[0], 0.15, "intercept");
    assertEquals(full[1], sampled[1], 0.25, "slope");
    assertEquals(-3, full[0], 0.2, "the full fit finds the intercept planted");
  }

  @Test
  void belowTheLimitEveryRowIsFittedWithWeightOne(SparkSession spark) {
    Dataset<Row> all = labelled(spark);
    long rows = all.count();
    long adoptions = all.filter(col(CrossSell.LABEL).equalTo(1.0)).count();
    Dataset<Row> same = CrossSell.fittingRows(all, rows, adoptions, rows);
    assertEquals(rows, same.count());
    assertEquals(rows, same.agg(sum(col("_weight"))).first().getDouble(0), 1e-9);
  }

  private static double[] fit(Dataset<Row> weighted) {
    Dataset<Row> features = new VectorAssembler().setInputCols(new String[] {"x"}).setOutputCol("_f").transform(weighted);
    LogisticRegressionModel m = new LogisticRegression().setFeaturesCol("_f").setLabelCol(CrossSell.LABEL)
        .setWeightCol("_weight").setRegParam(0).fit(features);
    return new double[] {m.intercept(), m.coefficients().apply(0)};
  }
}
