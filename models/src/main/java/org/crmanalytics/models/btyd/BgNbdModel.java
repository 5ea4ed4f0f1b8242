package org.crmanalytics.models.btyd;

import java.util.List;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.MLReader;

/** A fitted {@link BgNbdMath} model: coefficients r, alpha, a, b in the unit of {@link #timeUnit()}. */
public final class BgNbdModel extends PurchaseModel<BgNbdModel> {
  private final DoubleParam r;
  private final DoubleParam alpha;
  private final DoubleParam a;
  private final DoubleParam b;

  public BgNbdModel(String uid) {
    super(uid);
    r = new DoubleParam(this, "r", "shape of the purchase-rate Gamma", ParamValidators.gt(0));
    alpha = new DoubleParam(this, "alpha", "scale (rate) of the purchase-rate Gamma, per time unit", ParamValidators.gt(0));
    a = new DoubleParam(this, "a", "first shape of the dropout-probability Beta", ParamValidators.gt(0));
    b = new DoubleParam(this, "b", "second shape of the dropout-probability Beta", ParamValidators.gt(0));
  }

  public DoubleParam r() {
    return r;
  }

  public DoubleParam alpha() {
    return alpha;
  }

  public DoubleParam a() {
    return a;
  }

  public DoubleParam b() {
    return b;
  }

  @Override
  protected List<DoubleParam> coefficientParams() {
    return List.of(r, alpha, a, b);
  }

  @Override
  protected LogLikelihood likelihood() {
    return BgNbdMath.INSTANCE;
  }

  @Override
  protected PurchaseCurve curve(double[] coefficients) {
    return new Curve(coefficients.clone());
  }

  private record Curve(double[] p) implements PurchaseCurve {
    @Override
    public double pAlive(double x, double tx, double bigT) {
      return BgNbdMath.pAlive(p, x, tx, bigT);
    }

    @Override
    public double conditionalExpectedPurchases(double t, double x, double tx, double bigT) {
      return BgNbdMath.conditionalExpectedPurchases(p, t, x, tx, bigT);
    }

    @Override
    public double expectedPurchases(double t) {
      return BgNbdMath.expectedPurchases(p, t);
    }
  }

  @Override
  public BgNbdModel copy(ParamMap extra) {
    return copyValues(new BgNbdModel(uid()), extra).setParent(parent());
  }

  public static MLReader<BgNbdModel> read() {
    return new DefaultParamsReader<>();
  }

  public static BgNbdModel load(String path) {
    return read().load(path);
  }
}
