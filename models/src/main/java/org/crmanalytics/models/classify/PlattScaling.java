package org.crmanalytics.models.classify;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * Platt scaling (Platt 1999; Niculescu-Mizil & Caruana 2005, "Predicting good probabilities with
 * supervised learning"): a logistic regression of the label on the classifier's log-odds, fitted on
 * held-out rows, gives the slope and offset of {@link PriorShift}. Boosted trees need it most: with
 * few small steps their log-odds stay near 0, so the prior shift alone leaves the riskiest customers
 * far below their observed rate. Fitted by MLlib, so the rows stay on the executors.
 *
 * @param slope multiplies the classifier's log-odds; {@code offset} is added
 * @param method in words, for the model's metadata and evaluation
 */
public record PlattScaling(double slope, double offset, String method) {
  /** Log-odds are clipped to this: a classifier's probability of exactly 0 or 1 has none. */
  private static final double MAX_LOGIT = 30;

  /** The prior correction alone: slope 1 and the base rate's offset. */
  public static PlattScaling priorOnly(double baseRate, String why) {
    return new PlattScaling(1.0, PriorShift.balancedOffset(baseRate), "prior shift to the training base rate (" + why
        + ")");
  }

  /**
   * Fitted on {@code scored}: a candidate's output on held-out rows, with the classifier's
   * probability vector ({@code probability}) and {@link ClassifierTrainer#LABEL}. Falls back to
   * {@link #priorOnly} when the fit does not give a positive, finite slope (a score that ranks
   * backwards on these rows must not be flipped).
   */
  public static PlattScaling fit(Dataset<Row> scored, double fallbackBaseRate) {
    UDF1<Vector, Double> logit = v -> {
      double p = v.apply(1);
      double l = Math.log(p) - Math.log1p(-p);
      return Double.isNaN(l) ? 0.0 : Math.max(-MAX_LOGIT, Math.min(MAX_LOGIT, l));
    };
    Dataset<Row> x = scored.select(col(ClassifierTrainer.LABEL),
        udf(logit, DataTypes.DoubleType).apply(col("probability")).as("_logit"));
    Dataset<Row> features = new VectorAssembler().setInputCols(new String[] {"_logit"}).setOutputCol("_x")
        .transform(x);
    LogisticRegressionModel m = new LogisticRegression().setLabelCol(ClassifierTrainer.LABEL).setFeaturesCol("_x")
        .setRegParam(0).setMaxIter(100).setStandardization(false).fit(features);
    double a = m.coefficients().apply(0);
    double b = m.intercept();
    if (!(a > 0) || Double.isInfinite(a) || Double.isNaN(b) || Double.isInfinite(b)) {
      return priorOnly(fallbackBaseRate, String.format(java.util.Locale.ROOT,
          "Platt scaling on the validation snapshot gave slope %.4g, not used", a));
    }
    return new PlattScaling(a, b, "Platt scaling fitted on the validation snapshot");
  }
}
