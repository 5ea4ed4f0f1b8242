package org.crmanalytics.models.btyd;

import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;

/** Fits {@link ParetoNbdModel} by maximum likelihood on a {@link BtydSummary} (see {@link ParetoNbdMath}). */
public final class ParetoNbd extends PurchaseEstimator<ParetoNbdModel> {
  public ParetoNbd() {
    this(Identifiable.randomUID("paretonbd"));
  }

  public ParetoNbd(String uid) {
    super(uid);
  }

  @Override
  protected LogLikelihood likelihood() {
    return ParetoNbdMath.INSTANCE;
  }

  @Override
  protected double[] start() {
    return new double[] {1, 1, 1, 1};
  }

  @Override
  protected ParetoNbdModel newModel(String uid) {
    return new ParetoNbdModel(uid);
  }

  @Override
  public ParetoNbd copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<ParetoNbd> read() {
    return new DefaultParamsReader<>();
  }

  public static ParetoNbd load(String path) {
    return read().load(path);
  }
}
