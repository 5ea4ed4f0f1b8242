package org.crmanalytics.models.btyd;

import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;

/** Fits {@link BgNbdModel} by maximum likelihood on a {@link BtydSummary} (see {@link BgNbdMath}). */
public final class BgNbd extends PurchaseEstimator<BgNbdModel> {
  public BgNbd() {
    this(Identifiable.randomUID("bgnbd"));
  }

  public BgNbd(String uid) {
    super(uid);
  }

  @Override
  protected LogLikelihood likelihood() {
    return BgNbdMath.INSTANCE;
  }

  @Override
  protected double[] start() {
    return new double[] {1, 1, 1, 1};
  }

  @Override
  protected BgNbdModel newModel(String uid) {
    return new BgNbdModel(uid);
  }

  @Override
  public BgNbd copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<BgNbd> read() {
    return new DefaultParamsReader<>();
  }

  public static BgNbd load(String path) {
    return read().load(path);
  }
}
