package org.crmanalytics.models.btyd;

import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * The shared part of the BG/NBD and Pareto/NBD estimators: input columns of the summary
 * ({@link BtydSummary}), the explicit time unit of t_x and T (no default on purpose: parameters
 * mean nothing without it), and the maximum-likelihood settings ({@link MaximumLikelihood}).
 */
public abstract class PurchaseEstimator<M extends PurchaseModel<M>> extends Estimator<M>
    implements DefaultParamsWritable {
  private final String uid;
  private final Param<String> xCol;
  private final Param<String> txCol;
  private final Param<String> tCol;
  private final Param<String> timeUnit;
  private final LongParam maxDistinctRows;
  private final IntParam maxIter;
  private final DoubleParam tol;
  private final IntParam horizonMonths;
  private final DoubleParam annualDiscountRate;

  protected PurchaseEstimator(String uid) {
    this.uid = uid; // before any Param: a Param takes its parent's uid
    xCol = new Param<>(this, "xCol", "repeat purchases column");
    txCol = new Param<>(this, "txCol", "column of the time from first to last purchase");
    tCol = new Param<>(this, "tCol", "column of the time from first purchase to the calibration end");
    timeUnit = new Param<>(this, "timeUnit", "unit of t_x and T: days or weeks",
        ParamValidators.inArray(new String[] {"days", "weeks"}));
    maxDistinctRows = new LongParam(this, "maxDistinctRows",
        "most distinct (x, t_x, T) rows collected to the driver; above it every iteration is a Spark job",
        ParamValidators.gtEq(0));
    maxIter = new IntParam(this, "maxIter", "most L-BFGS iterations", ParamValidators.gtEq(1));
    tol = new DoubleParam(this, "tol",
        "stop when every gradient component of -ln L / customers by log parameter is below this", ParamValidators.gt(0));
    horizonMonths = new IntParam(this, "horizonMonths", "calendar months of expected purchases and CLV (passed to the model)",
        ParamValidators.gtEq(1));
    annualDiscountRate = new DoubleParam(this, "annualDiscountRate",
        "yearly discount rate of the CLV, 0.10 = 10 % (passed to the model)", ParamValidators.inRange(0, 10));
    setDefault(horizonMonths, 12);
    setDefault(annualDiscountRate, 0.10);
    setDefault(xCol, BtydSummary.X);
    setDefault(txCol, BtydSummary.T_X);
    setDefault(tCol, BtydSummary.T);
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

  public Param<String> txCol() {
    return txCol;
  }

  public Param<String> tCol() {
    return tCol;
  }

  public Param<String> timeUnit() {
    return timeUnit;
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

  public IntParam horizonMonths() {
    return horizonMonths;
  }

  public DoubleParam annualDiscountRate() {
    return annualDiscountRate;
  }

  public PurchaseEstimator<M> setHorizonMonths(int months) {
    set(horizonMonths, months);
    return this;
  }

  public PurchaseEstimator<M> setAnnualDiscountRate(double rate) {
    set(annualDiscountRate, rate);
    return this;
  }

  public PurchaseEstimator<M> setTimeUnit(BtydTimeUnit unit) {
    set(timeUnit, unit.key());
    return this;
  }

  public PurchaseEstimator<M> setColumns(String x, String tx, String t) {
    set(xCol, x);
    set(txCol, tx);
    set(tCol, t);
    return this;
  }

  public PurchaseEstimator<M> setMaxDistinctRows(long rows) {
    set(maxDistinctRows, rows);
    return this;
  }

  public PurchaseEstimator<M> setMaxIter(int iterations) {
    set(maxIter, iterations);
    return this;
  }

  public PurchaseEstimator<M> setTol(double tolerance) {
    set(tol, tolerance);
    return this;
  }

  protected abstract LogLikelihood likelihood();

  protected abstract double[] start();

  protected abstract M newModel(String uid);

  @Override
  public M fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    String x = getOrDefault(xCol);
    String tx = getOrDefault(txCol);
    String t = getOrDefault(tCol);
    MaximumLikelihood.Fit fit = MaximumLikelihood.fit(likelihood(),
        dataset.toDF(), List.of(x, tx, t),
        new MaximumLikelihood.Settings((Long) getOrDefault(maxDistinctRows), (Integer) getOrDefault(maxIter),
            (Double) getOrDefault(tol)),
        start());
    M model = copyValues(newModel(uid), extractParamMap());
    model.setFit(fit);
    model.setParent(this);
    return model;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    if (!isSet(timeUnit)) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": timeUnit is not set; BTYD parameters "
          + "are per time unit, so set it to days or weeks (the unit of " + getOrDefault(txCol) + " and "
          + getOrDefault(tCol) + ")");
    }
    PurchaseModel.requireNumeric(schema, getOrDefault(xCol), getOrDefault(txCol), getOrDefault(tCol));
    return PurchaseModel.appendOutputs(schema, BtydOutputs.P_ALIVE, BtydOutputs.EXPECTED_PURCHASES, null);
  }
}
