package org.crmanalytics.models.btyd;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.MLReader;

/** A fitted {@link ParetoNbdMath} model: coefficients r, alpha, s, beta in the unit of {@link #timeUnit()}. */
public final class ParetoNbdModel extends PurchaseModel<ParetoNbdModel> {
  public ParetoNbdModel(String uid) {
    super(uid, ParetoNbdMath.INSTANCE,
        "shape of the purchase-rate Gamma",
        "rate of the purchase-rate Gamma, per time unit",
        "shape of the dropout-rate Gamma",
        "rate of the dropout-rate Gamma, per time unit");
  }

  public DoubleParam s() {
    return coefficient(2);
  }

  public DoubleParam beta() {
    return coefficient(3);
  }

  public static MLReader<ParetoNbdModel> read() {
    return new DefaultParamsReader<>();
  }

  public static ParetoNbdModel load(String path) {
    return read().load(path);
  }
}
