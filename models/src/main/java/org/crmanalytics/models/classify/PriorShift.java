package org.crmanalytics.models.classify;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Turns a classifier's probability vector into the event's probability (churn, default):
 * {@code logit(p') = slope · logit(p) + offset}. A model trained on class-balanced weights believes
 * half the customers churn; the offset logit(base rate) alone (slope 1) moves its probabilities back
 * to the real base rate (the prior correction of King & Zeng 2001, "Logistic regression in rare
 * events data"). Training fits slope and offset on the validation snapshot instead (Platt scaling,
 * {@link ModelSelection}), which also stretches the compressed probabilities of boosted trees, unless
 * isotonic regression calibrates better there ({@link Calibration}).
 * Calibration is checked on held-out data in every training run.
 */
public class PriorShift extends Transformer implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Param<String> inputCol;
  private final Param<String> outputCol;
  private final DoubleParam offset;
  private final DoubleParam slope;

  public PriorShift() {
    this(Identifiable.randomUID("priorShift"));
  }

  public PriorShift(String uid) {
    this.uid = uid; // before the Params, which take their parent from it
    inputCol = new Param<>(this, "inputCol", "probability vector column (class 1 at index 1)");
    outputCol = new Param<>(this, "outputCol", "output column: the shifted probability of class 1");
    offset = new DoubleParam(this, "offset", "added to the log-odds of class 1");
    // Models saved before Platt scaling have no slope and read as 1.
    slope = new DoubleParam(this, "slope", "multiplies the log-odds of class 1");
    setDefault(inputCol, "probability");
    setDefault(outputCol, "churn_probability");
    setDefault(offset, 0.0);
    setDefault(slope, 1.0);
  }

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> inputCol() {
    return inputCol;
  }

  public Param<String> outputCol() {
    return outputCol;
  }

  public DoubleParam offset() {
    return offset;
  }

  public PriorShift setInputCol(String v) {
    set(inputCol, v);
    return this;
  }

  public PriorShift setOutputCol(String v) {
    set(outputCol, v);
    return this;
  }

  public PriorShift setOffset(double v) {
    set(offset, v);
    return this;
  }

  public double getOffset() {
    return (Double) $(offset);
  }

  public DoubleParam slope() {
    return slope;
  }

  public PriorShift setSlope(double v) {
    set(slope, v);
    return this;
  }

  public double getSlope() {
    return (Double) $(slope);
  }

  /** The probability after the shift; exact at 0 and 1. */
  public static double shift(double p, double offset) {
    return shift(p, 1.0, offset);
  }

  /** The probability after {@code logit(p') = slope · logit(p) + offset}; exact at 0 and 1. */
  public static double shift(double p, double slope, double offset) {
    if (p <= 0 || p >= 1) {
      return p;
    }
    double logit = slope * (Math.log(p) - Math.log1p(-p)) + offset;
    return 1 / (1 + Math.exp(-logit));
  }

  /** The offset that maps a model trained on balanced weights to {@code baseRate}. */
  public static double balancedOffset(double baseRate) {
    if (!(baseRate > 0 && baseRate < 1)) {
      throw new IllegalArgumentException("base rate " + baseRate + " is not strictly between 0 and 1");
    }
    return Math.log(baseRate) - Math.log1p(-baseRate);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    double o = getOffset();
    double a = getSlope();
    UserDefinedFunction f = udf((UDF1<Vector, Double>) v -> v == null ? null : shift(v.apply(1), a, o),
        DataTypes.DoubleType);
    return dataset.withColumn((String) $(outputCol), f.apply(col((String) $(inputCol))));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    String in = (String) $(inputCol);
    if (schema.getFieldIndex(in).isEmpty()) {
      throw new IllegalArgumentException("PriorShift needs the column " + in);
    }
    return schema.add((String) $(outputCol), DataTypes.DoubleType, true);
  }

  @Override
  public PriorShift copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** Spark's loaders (also PipelineModel.load) find a stage's reader by this static method. */
  public static MLReader<PriorShift> read() {
    return new DefaultParamsReader<>();
  }

  public static PriorShift load(String path) {
    return read().load(path);
  }
}
