package org.crmanalytics.models.btyd;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted Gamma-Gamma model: adds the expected average order value of each customer,
 * E[Z | x, monetary] ({@link GammaGammaMath#conditionalExpectedValue}); customers with x = 0 or no
 * monetary value get the population mean p γ / (q − 1).
 */
public final class GammaGammaModel extends Model<GammaGammaModel> implements DefaultParamsWritable {
  private final String uid;
  private final Param<String> xCol;
  private final Param<String> monetaryCol;
  private final Param<String> outputCol;
  private final DoubleParam p;
  private final DoubleParam q;
  private final DoubleParam gamma;
  private final DoubleParam logLikelihood;
  private final DoubleParam fitCustomers;
  private final Param<String> fitReport;
  private final DoubleParam fitLargestGradient;

  public GammaGammaModel(String uid) {
    this.uid = uid;
    xCol = new Param<>(this, "xCol", "repeat purchases column");
    monetaryCol = new Param<>(this, "monetaryCol", "mean value of the repeat purchases");
    outputCol = new Param<>(this, "outputCol", "output: expected average order value");
    p = new DoubleParam(this, "p", "shape of the transaction-value Gamma", ParamValidators.gt(0));
    q = new DoubleParam(this, "q", "shape of the Gamma of the transaction-value rate", ParamValidators.gt(0));
    gamma = new DoubleParam(this, "gamma", "scale of the Gamma of the transaction-value rate", ParamValidators.gt(0));
    logLikelihood = new DoubleParam(this, "logLikelihood", "log-likelihood of the fit");
    fitCustomers = new DoubleParam(this, "fitCustomers", "repeat buyers the model was fitted on");
    fitReport = new Param<>(this, "fitReport", "how the fit went: iterations, convergence, where it ran");
    fitLargestGradient = new DoubleParam(this, "fitLargestGradient",
        "final largest gradient component of -ln L / customers by log parameter (NaN: not fitted)");
    setDefault(fitLargestGradient, Double.NaN);
    setDefault(xCol, BtydSummary.X);
    setDefault(monetaryCol, BtydSummary.MONETARY);
    setDefault(outputCol, BtydOutputs.EXPECTED_ORDER_VALUE);
  }

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> xCol() {
    return xCol;
  }

  public Param<String> monetaryCol() {
    return monetaryCol;
  }

  public Param<String> outputCol() {
    return outputCol;
  }

  public DoubleParam p() {
    return p;
  }

  public DoubleParam q() {
    return q;
  }

  public DoubleParam gamma() {
    return gamma;
  }

  public DoubleParam logLikelihood() {
    return logLikelihood;
  }

  public DoubleParam fitCustomers() {
    return fitCustomers;
  }

  public Param<String> fitReport() {
    return fitReport;
  }

  public DoubleParam fitLargestGradient() {
    return fitLargestGradient;
  }

  /** The final largest gradient component of the fit (NaN when the coefficients were set, not fitted). */
  public double largestGradient() {
    return (Double) getOrDefault(fitLargestGradient);
  }

  public GammaGammaModel setOutputCol(String column) {
    set(outputCol, column);
    return this;
  }

  public double[] coefficients() {
    return new double[] {(Double) getOrDefault(p), (Double) getOrDefault(q), (Double) getOrDefault(gamma)};
  }

  public double logLikelihoodValue() {
    return (Double) getOrDefault(logLikelihood);
  }

  public String describe() {
    return getOrDefault(fitReport);
  }

  void setFit(MaximumLikelihood.Fit fit) {
    double[] c = fit.parameters();
    if (!(Double.isFinite(c[0]) && Double.isFinite(c[1]) && Double.isFinite(c[2]))) {
      throw new ArithmeticException("Gamma-Gamma fit diverged: " + fit.describe(GammaGammaMath.PARAMETERS));
    }
    set(p, c[0]);
    set(q, c[1]);
    set(gamma, c[2]);
    set(logLikelihood, fit.logLikelihood());
    set(fitCustomers, fit.customers());
    set(fitLargestGradient, fit.largestGradient());
    set(fitReport, fit.describe(GammaGammaMath.PARAMETERS));
  }

  /** Sets coefficients directly (published parameters, tests). */
  public GammaGammaModel withCoefficients(double pValue, double qValue, double gammaValue) {
    set(p, pValue);
    set(q, qValue);
    set(gamma, gammaValue);
    set(logLikelihood, Double.NaN);
    set(fitCustomers, 0.0);
    set(fitReport, "coefficients set, not fitted");
    return this;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    double[] c = coefficients();
    UserDefinedFunction value = udf((UDF2<Double, Double, Double>) (x, zbar) ->
        PurchaseModel.finiteOrNull(() -> x == null || x == 0 || zbar == null
            ? GammaGammaMath.conditionalExpectedValue(c, 0, 0)
            : GammaGammaMath.conditionalExpectedValue(c, x, zbar)), DataTypes.DoubleType);
    return dataset.toDF().withColumn(getOrDefault(outputCol),
        value.apply(col(getOrDefault(xCol)).cast("double"), col(getOrDefault(monetaryCol)).cast("double")));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    PurchaseModel.requireNumeric(schema, getOrDefault(xCol), getOrDefault(monetaryCol));
    return PurchaseModel.appendOutputs(schema, getOrDefault(outputCol));
  }

  @Override
  public GammaGammaModel copy(ParamMap extra) {
    return copyValues(new GammaGammaModel(uid()), extra).setParent(parent());
  }

  public static MLReader<GammaGammaModel> read() {
    return new DefaultParamsReader<>();
  }

  public static GammaGammaModel load(String path) {
    return read().load(path);
  }
}
