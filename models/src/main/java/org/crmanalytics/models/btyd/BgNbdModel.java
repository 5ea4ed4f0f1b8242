package org.crmanalytics.models.btyd;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.MLReader;

/** A fitted {@link BgNbdMath} model: coefficients r, alpha, a, b in the unit of {@link #timeUnit()}. */
public final class BgNbdModel extends PurchaseModel<BgNbdModel> {
  public BgNbdModel(String uid) {
    super(uid, BgNbdMath.INSTANCE,
        "shape of the purchase-rate Gamma",
        "scale (rate) of the purchase-rate Gamma, per time unit",
        "first shape of the dropout-probability Beta",
        "second shape of the dropout-probability Beta");
  }

  public DoubleParam a() {
    return coefficient(2);
  }

  public DoubleParam b() {
    return coefficient(3);
  }

  public static MLReader<BgNbdModel> read() {
    return new DefaultParamsReader<>();
  }

  public static BgNbdModel load(String path) {
    return read().load(path);
  }
}
