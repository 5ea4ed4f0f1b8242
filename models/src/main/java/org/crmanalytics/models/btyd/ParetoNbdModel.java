package org.crmanalytics.models.btyd;

import java.util.List;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.MLReader;

/** A fitted {@link ParetoNbdMath} model: coefficients r, alpha, s, beta in the unit of {@link #timeUnit()}. */
public final class ParetoNbdModel extends PurchaseModel<ParetoNbdModel> {
  private final DoubleParam r;
  private final DoubleParam alpha;
  private final DoubleParam s;
  private final DoubleParam beta;

  public ParetoNbdModel(String uid) {
    super(uid);
    r = new DoubleParam(this, "r", "shape of the purchase-rate Gamma", ParamValidators.gt(0));
    alpha = new DoubleParam(this, "alpha", "rate of the purchase-rate Gamma, per time unit", ParamValidators.gt(0));
    s = new DoubleParam(this, "s", "shape of the dropout-rate Gamma", ParamValidators.gt(0));
    beta = new DoubleParam(this, "beta", "rate of the dropout-rate Gamma, per time unit", ParamValidators.gt(0));
  }

  public DoubleParam r() {
    return r;
  }

  public DoubleParam alpha() {
    return alpha;
  }

  public DoubleParam s() {
    return s;
  }

  public DoubleParam beta() {
    return beta;
  }

  @Override
  protected List<DoubleParam> coefficientParams() {
    return List.of(r, alpha, s, beta);
  }

  @Override
  protected LogLikelihood likelihood() {
    return ParetoNbdMath.INSTANCE;
  }

  @Override
  protected PurchaseCurve curve(double[] coefficients) {
    return new Curve(coefficients.clone());
  }

  private record Curve(double[] p) implements PurchaseCurve {
    @Override
    public double pAlive(double x, double tx, double bigT) {
      return ParetoNbdMath.pAlive(p, x, tx, bigT);
    }

    @Override
    public double conditionalExpectedPurchases(double t, double x, double tx, double bigT) {
      return ParetoNbdMath.conditionalExpectedPurchases(p, t, x, tx, bigT);
    }

    @Override
    public double expectedPurchases(double t) {
      return ParetoNbdMath.expectedPurchases(p, t);
    }
  }

  @Override
  public ParetoNbdModel copy(ParamMap extra) {
    return copyValues(new ParetoNbdModel(uid()), extra).setParent(parent());
  }

  public static MLReader<ParetoNbdModel> read() {
    return new DefaultParamsReader<>();
  }

  public static ParetoNbdModel load(String path) {
    return read().load(path);
  }
}
