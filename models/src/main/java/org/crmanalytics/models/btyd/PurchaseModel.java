package org.crmanalytics.models.btyd;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted purchase model (BG/NBD or Pareto/NBD). Adds to a summary: P(alive) at T, the expected
 * purchases in the next {@code horizonMonths} months and, when the input has the expected order
 * value column (from {@link GammaGammaModel}), the CLV over the same months.
 *
 * <p>Units: the horizon is in calendar months and converted to the model's time unit exactly
 * ({@link BtydTimeUnit#fromMonths}); 12 months on a weekly model are 52.18 weeks, on a daily model
 * 365.24 days. CLV = Σ_{m=1..H} value × (E[Y(m months)] − E[Y(m−1 months)]) / (1 + annual rate)^(m/12):
 * each month's expected purchases, discounted from the end of that month.
 *
 * <p>All state is in Params (the learned coefficients too), so DefaultParamsWritable saves it. The
 * coefficient Params are made here from the model's {@link PurchaseMath} (names) and the docs a
 * subclass passes; a subclass adds only the public accessors of its own coefficients (Spark finds
 * Params by reflection on public no-argument methods returning a Param, so each one needs one) and
 * its static {@code read}/{@code load}.
 */
public abstract class PurchaseModel<M extends PurchaseModel<M>> extends Model<M> implements DefaultParamsWritable {
  private final String uid;
  private final Param<String> xCol;
  private final Param<String> txCol;
  private final Param<String> tCol;
  private final Param<String> timeUnit;
  private final IntParam horizonMonths;
  private final DoubleParam annualDiscountRate;
  private final Param<String> orderValueCol;
  private final Param<String> pAliveCol;
  private final Param<String> expectedPurchasesCol;
  private final Param<String> clvCol;
  private final DoubleParam logLikelihood;
  private final DoubleParam fitCustomers;
  private final Param<String> fitReport;
  private final DoubleParam fitLargestGradient;
  private final PurchaseMath math;
  private final List<DoubleParam> coefficients;

  /**
   * @param coefficientDocs the doc of each coefficient, in the order of {@code math}'s parameter
   *     names (r and alpha first)
   */
  protected PurchaseModel(String uid, PurchaseMath math, String... coefficientDocs) {
    this.uid = uid; // before any Param: a Param takes its parent's uid
    this.math = math;
    List<String> names = math.parameterNames();
    if (coefficientDocs.length != names.size()) {
      throw new IllegalArgumentException("expected a doc for each of " + names);
    }
    DoubleParam[] params = new DoubleParam[names.size()];
    for (int i = 0; i < params.length; i++) {
      params[i] = new DoubleParam(this, names.get(i), coefficientDocs[i], ParamValidators.gt(0));
    }
    coefficients = List.of(params);
    xCol = new Param<>(this, "xCol", "repeat purchases column");
    txCol = new Param<>(this, "txCol", "column of the time from first to last purchase");
    tCol = new Param<>(this, "tCol", "column of the time from first purchase to the calibration end");
    timeUnit = new Param<>(this, "timeUnit", "unit of t_x, T and the coefficients: days or weeks",
        ParamValidators.inArray(new String[] {"days", "weeks"}));
    horizonMonths = new IntParam(this, "horizonMonths", "calendar months of expected purchases and CLV",
        ParamValidators.gtEq(1));
    annualDiscountRate = new DoubleParam(this, "annualDiscountRate", "yearly discount rate of the CLV, 0.10 = 10 %",
        ParamValidators.inRange(0, 10));
    orderValueCol = new Param<>(this, "orderValueCol", "expected order value column; CLV only when present");
    pAliveCol = new Param<>(this, "pAliveCol", "output: probability that the customer is alive at T");
    expectedPurchasesCol = new Param<>(this, "expectedPurchasesCol", "output: expected purchases in the horizon");
    clvCol = new Param<>(this, "clvCol", "output: discounted customer lifetime value over the horizon");
    logLikelihood = new DoubleParam(this, "logLikelihood", "log-likelihood of the fit");
    fitCustomers = new DoubleParam(this, "fitCustomers", "customers the model was fitted on");
    fitReport = new Param<>(this, "fitReport", "how the fit went: iterations, convergence, where it ran");
    fitLargestGradient = new DoubleParam(this, "fitLargestGradient",
        "final largest gradient component of -ln L / customers by log parameter (NaN: not fitted)");
    setDefault(fitLargestGradient, Double.NaN);
    setDefault(xCol, BtydSummary.X);
    setDefault(txCol, BtydSummary.T_X);
    setDefault(tCol, BtydSummary.T);
    setDefault(horizonMonths, 12);
    setDefault(annualDiscountRate, 0.10);
    setDefault(orderValueCol, BtydOutputs.EXPECTED_ORDER_VALUE);
    setDefault(pAliveCol, BtydOutputs.P_ALIVE);
    setDefault(expectedPurchasesCol, BtydOutputs.EXPECTED_PURCHASES);
    setDefault(clvCol, BtydOutputs.CLV);
  }

  @Override
  public String uid() {
    return uid;
  }

  /** Shape of the purchase-rate Gamma (both models). */
  public DoubleParam r() {
    return coefficients.get(0);
  }

  /** Rate of the purchase-rate Gamma, per time unit (both models). */
  public DoubleParam alpha() {
    return coefficients.get(1);
  }

  /** The coefficient Param at {@code index} in the order of the math's parameter names. */
  protected final DoubleParam coefficient(int index) {
    return coefficients.get(index);
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

  public IntParam horizonMonths() {
    return horizonMonths;
  }

  public DoubleParam annualDiscountRate() {
    return annualDiscountRate;
  }

  public Param<String> orderValueCol() {
    return orderValueCol;
  }

  public Param<String> pAliveCol() {
    return pAliveCol;
  }

  public Param<String> expectedPurchasesCol() {
    return expectedPurchasesCol;
  }

  public Param<String> clvCol() {
    return clvCol;
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

  public PurchaseModel<M> setHorizonMonths(int months) {
    set(horizonMonths, months);
    return this;
  }

  public PurchaseModel<M> setAnnualDiscountRate(double rate) {
    set(annualDiscountRate, rate);
    return this;
  }

  public PurchaseModel<M> setOrderValueCol(String column) {
    set(orderValueCol, column);
    return this;
  }

  public double[] coefficients() {
    return coefficients.stream().mapToDouble(p -> (Double) getOrDefault(p)).toArray();
  }

  public BtydTimeUnit unit() {
    return BtydTimeUnit.parse(getOrDefault(timeUnit));
  }

  /** The fitted curve (a serializable value, no reference to this model). */
  public PurchaseCurve curve() {
    return new Curve(math, coefficients());
  }

  private record Curve(PurchaseMath math, double[] p) implements PurchaseCurve {
    @Override
    public double pAlive(double x, double tx, double bigT) {
      return math.aliveProbability(p, x, tx, bigT);
    }

    @Override
    public double conditionalExpectedPurchases(double t, double x, double tx, double bigT) {
      return math.expectedPurchasesAfter(p, t, x, tx, bigT);
    }

    @Override
    public double expectedPurchases(double t) {
      return math.expectedPurchasesFromStart(p, t);
    }
  }

  @Override
  public M copy(ParamMap extra) {
    M copy = defaultCopy(extra);
    return copy.setParent(parent());
  }

  public double logLikelihoodValue() {
    return (Double) getOrDefault(logLikelihood);
  }

  /** "(weeks) r=0.242... alpha=... LL=..." for logs and run manifests. */
  public String describe() {
    return "(" + getOrDefault(timeUnit) + ") " + getOrDefault(fitReport);
  }

  void setFit(MaximumLikelihood.Fit fit) {
    List<DoubleParam> params = coefficients;
    for (int i = 0; i < params.size(); i++) {
      if (!Double.isFinite(fit.parameters()[i])) {
        throw new ArithmeticException(getClass().getSimpleName() + " fit diverged: " + fit.describe(
            math.parameterNames()));
      }
      set(params.get(i), fit.parameters()[i]);
    }
    set(logLikelihood, fit.logLikelihood());
    set(fitCustomers, fit.customers());
    set(fitLargestGradient, fit.largestGradient());
    set(fitReport, fit.describe(math.parameterNames()));
  }

  /** Sets coefficients directly (published parameters, tests); the time unit must be set too. */
  public M withCoefficients(BtydTimeUnit unit, double... values) {
    List<DoubleParam> params = coefficients;
    if (values.length != params.size()) {
      throw new IllegalArgumentException("expected " + params.size() + " coefficients " + math.parameterNames());
    }
    for (int i = 0; i < values.length; i++) {
      set(params.get(i), values[i]);
    }
    set(timeUnit, unit.key());
    set(logLikelihood, Double.NaN);
    set(fitCustomers, 0.0);
    set(fitReport, "coefficients set, not fitted");
    @SuppressWarnings("unchecked")
    M self = (M) this;
    return self;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema(), true);
    PurchaseCurve curve = curve();
    BtydTimeUnit unit = unit();
    int months = (Integer) getOrDefault(horizonMonths);
    double horizon = unit.fromMonths(months);
    double rate = (Double) getOrDefault(annualDiscountRate);
    UserDefinedFunction pAlive = udf((UDF3<Double, Double, Double, Double>) (x, tx, t) ->
        x == null || tx == null || t == null ? null : finiteOrNull(() -> curve.pAlive(x, tx, t)), DataTypes.DoubleType);
    UserDefinedFunction expected = udf((UDF3<Double, Double, Double, Double>) (x, tx, t) ->
        x == null || tx == null || t == null ? null
            : finiteOrNull(() -> curve.conditionalExpectedPurchases(horizon, x, tx, t)),
        DataTypes.DoubleType);
    Dataset<Row> df = dataset.toDF();
    org.apache.spark.sql.Column x = col(getOrDefault(xCol)).cast("double");
    org.apache.spark.sql.Column tx = col(getOrDefault(txCol)).cast("double");
    org.apache.spark.sql.Column t = col(getOrDefault(tCol)).cast("double");
    df = df.withColumn(getOrDefault(pAliveCol), pAlive.apply(x, tx, t))
        .withColumn(getOrDefault(expectedPurchasesCol), expected.apply(x, tx, t));
    if (out.getFieldIndex(getOrDefault(clvCol)).isDefined()) {
      UserDefinedFunction clv = udf((UDF4<Double, Double, Double, Double, Double>) (cx, ctx, ct, value) ->
          cx == null || ctx == null || ct == null || value == null ? null
              : finiteOrNull(() -> value * discountedPurchases(curve, unit, months, rate, cx, ctx, ct)),
          DataTypes.DoubleType);
      df = df.withColumn(getOrDefault(clvCol), clv.apply(x, tx, t, col(getOrDefault(orderValueCol)).cast("double")));
    }
    return df;
  }

  /**
   * The value, or null when it is not a finite number or cannot be computed: a score column holds
   * null rather than NaN, and an arithmetic failure for one customer never fails a Spark task.
   */
  static Double finiteOrNull(java.util.function.DoubleSupplier value) {
    try {
      double v = value.getAsDouble();
      return Double.isFinite(v) ? v : null;
    } catch (ArithmeticException | IllegalArgumentException e) {
      return null;
    }
  }

  /** Σ_{m=1..months} (E[Y(m months)] − E[Y(m−1 months)]) / (1 + annualRate)^(m/12). */
  public static double discountedPurchases(PurchaseCurve curve, BtydTimeUnit unit, int months, double annualRate,
      double x, double tx, double bigT) {
    double previous = 0;
    double total = 0;
    for (int m = 1; m <= months; m++) {
      double cumulative = curve.conditionalExpectedPurchases(unit.fromMonths(m), x, tx, bigT);
      total += (cumulative - previous) * Math.pow(1 + annualRate, -m / 12.0);
      previous = cumulative;
    }
    return total;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    if (!isDefined(timeUnit)) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": timeUnit is not set");
    }
    requireNumeric(schema, getOrDefault(xCol), getOrDefault(txCol), getOrDefault(tCol));
    String value = getOrDefault(orderValueCol);
    boolean withValue = schema.getFieldIndex(value).isDefined();
    if (withValue) {
      requireNumeric(schema, value);
    }
    return appendOutputs(schema, getOrDefault(pAliveCol), getOrDefault(expectedPurchasesCol),
        withValue ? getOrDefault(clvCol) : null);
  }

  static void requireNumeric(StructType schema, String... columns) {
    for (String c : columns) {
      if (schema.getFieldIndex(c).isEmpty()) {
        throw new IllegalArgumentException("the BTYD summary has no column " + c + "; it has "
            + String.join(", ", schema.fieldNames()));
      }
      if (!(schema.apply(c).dataType() instanceof NumericType)) {
        throw new IllegalArgumentException("BTYD summary column " + c + " must be numeric, found "
            + schema.apply(c).dataType().simpleString());
      }
    }
  }

  static StructType appendOutputs(StructType schema, String... outputs) {
    StructType out = schema;
    for (String o : outputs) {
      if (o == null) {
        continue;
      }
      if (Arrays.asList(schema.fieldNames()).contains(o)) {
        throw new IllegalArgumentException("output column " + o + " already exists");
      }
      out = out.add(new StructField(o, DataTypes.DoubleType, true, org.apache.spark.sql.types.Metadata.empty()));
    }
    return out;
  }
}
