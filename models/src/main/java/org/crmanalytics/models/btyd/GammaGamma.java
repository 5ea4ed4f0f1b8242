package org.crmanalytics.models.btyd;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Fits the Gamma-Gamma spend model ({@link GammaGammaMath}) on the repeat buyers (x > 0) of a
 * {@link BtydSummary}, compressed to distinct (x, monetary) with counts. Customers with x = 0 are
 * left out of the fit (their mean repeat value does not exist) and get the population mean from
 * the model.
 */
public final class GammaGamma extends Estimator<GammaGammaModel> implements DefaultParamsWritable {
  private final String uid;
  private final Param<String> xCol;
  private final Param<String> monetaryCol;
  private final LongParam maxDistinctRows;
  private final IntParam maxIter;
  private final DoubleParam tol;

  public GammaGamma() {
    this(Identifiable.randomUID("gammagamma"));
  }

  public GammaGamma(String uid) {
    this.uid = uid;
    xCol = new Param<>(this, "xCol", "repeat purchases column");
    monetaryCol = new Param<>(this, "monetaryCol", "mean value of the repeat purchases");
    maxDistinctRows = new LongParam(this, "maxDistinctRows",
        "most distinct (x, monetary) rows collected to the driver; above it every iteration is a Spark job",
        ParamValidators.gtEq(0));
    maxIter = new IntParam(this, "maxIter", "most L-BFGS iterations", ParamValidators.gtEq(1));
    tol = new DoubleParam(this, "tol",
        "stop when every gradient component of -ln L / customers by log parameter is below this", ParamValidators.gt(0));
    setDefault(xCol, BtydSummary.X);
    setDefault(monetaryCol, BtydSummary.MONETARY);
    setDefault(maxDistinctRows, ClvSettings.DEFAULT_MAX_DISTINCT_ROWS);
    setDefault(maxIter, 300);
    setDefault(tol, 1e-7);
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

  public LongParam maxDistinctRows() {
    return maxDistinctRows;
  }

  public IntParam maxIter() {
    return maxIter;
  }

  public DoubleParam tol() {
    return tol;
  }

  public GammaGamma setColumns(String x, String monetary) {
    set(xCol, x);
    set(monetaryCol, monetary);
    return this;
  }

  public GammaGamma setMaxDistinctRows(long rows) {
    set(maxDistinctRows, rows);
    return this;
  }

  public GammaGamma setMaxIter(int iterations) {
    set(maxIter, iterations);
    return this;
  }

  public GammaGamma setTol(double tolerance) {
    set(tol, tolerance);
    return this;
  }

  @Override
  public GammaGammaModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    String x = getOrDefault(xCol);
    String monetary = getOrDefault(monetaryCol);
    Dataset<Row> repeaters = dataset.toDF().filter(col(x).gt(0));
    MaximumLikelihood.Fit fit = MaximumLikelihood.fit(GammaGammaMath.INSTANCE, repeaters, List.of(x, monetary),
        new MaximumLikelihood.Settings((Long) getOrDefault(maxDistinctRows),
            (Integer) getOrDefault(maxIter), (Double) getOrDefault(tol)),
        new double[] {1, 1, 1});
    GammaGammaModel model = copyValues(new GammaGammaModel(uid), extractParamMap());
    model.setFit(fit);
    model.setParent(this);
    return model;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    PurchaseModel.requireNumeric(schema, getOrDefault(xCol), getOrDefault(monetaryCol));
    return PurchaseModel.appendOutputs(schema, BtydOutputs.EXPECTED_ORDER_VALUE);
  }

  @Override
  public GammaGamma copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<GammaGamma> read() {
    return new DefaultParamsReader<>();
  }

  public static GammaGamma load(String path) {
    return read().load(path);
  }
}
