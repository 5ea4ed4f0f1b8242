package org.crmanalytics.models.explain;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;

import java.util.Arrays;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;

/** Applies an {@link AdditiveExplainer} to every row on the executors; the driver only broadcasts it. */
public final class FeatureContributions {
  public static final ArrayType TYPE = DataTypes.createArrayType(DataTypes.DoubleType, false);

  private FeatureContributions() {}

  /**
   * {@code data} with {@code outputCol}: array<double>, one contribution per feature of
   * {@code featuresCol}; add {@link AdditiveExplainer#expectedValue()} to their sum for the margin.
   * A null feature vector gives a null array.
   */
  public static Dataset<Row> withContributions(Dataset<Row> data, String featuresCol, String outputCol,
      AdditiveExplainer explainer) {
    if (!Arrays.asList(data.columns()).contains(featuresCol)
        || !(data.schema().apply(featuresCol).dataType() instanceof VectorUDT)) {
      throw new IllegalArgumentException("contributions: '" + featuresCol + "' is not a feature vector column of "
          + Arrays.toString(data.columns()));
    }
    Broadcast<AdditiveExplainer> shared = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext())
        .broadcast(explainer);
    UserDefinedFunction explain = udf(
        (UDF1<Vector, double[]>) v -> v == null ? null : shared.value().contributions(v), TYPE);
    return data.withColumn(outputCol, explain.apply(col(featuresCol)));
  }

  /**
   * As {@link #withContributions(Dataset, String, String, AdditiveExplainer)}, plus {@code biasCol}:
   * the explainer's expected value on every row, so that each row carries its whole decomposition.
   */
  public static Dataset<Row> withContributions(Dataset<Row> data, String featuresCol, String outputCol,
      String biasCol, AdditiveExplainer explainer) {
    return withContributions(data, featuresCol, outputCol, explainer)
        .withColumn(biasCol, lit(explainer.expectedValue()));
  }
}
