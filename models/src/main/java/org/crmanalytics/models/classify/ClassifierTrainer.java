package org.crmanalytics.models.classify;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Fits the two classifiers of a risk model (churn, payment default) on labelled snapshots:
 * logistic regression (the transparent baseline) and gradient-boosted trees. Both train on
 * class-balanced weights, so that the rarer class is not ignored, and end in a {@link PriorShift}
 * that brings their probabilities back to the training base rate ({@link ModelSelection} replaces
 * it by the calibration chosen on the validation snapshot, see {@link Calibration}).
 */
public final class ClassifierTrainer {
  /** The label column: 1.0 the event happened in the label window (churned, defaulted), else 0.0. */
  public static final String LABEL = "label";
  public static final String FEATURES = "features";
  public static final String WEIGHT = "weight";

  public enum Algorithm {
    LOGISTIC_REGRESSION("logistic_regression"),
    GRADIENT_BOOSTED_TREES("gradient_boosted_trees");

    private final String id;

    Algorithm(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }

  /** Hyper-parameters; the defaults suit a few thousand to a few million labelled rows. */
  public record Settings(int gbtMaxIter, int gbtMaxDepth, double gbtStepSize, double lrRegParam, long seed) {
    public static final Settings DEFAULTS = new Settings(40, 4, 0.1, 0.01, 42L);

    public Settings {
      if (gbtMaxIter < 1 || gbtMaxDepth < 1 || gbtMaxDepth > 30 || !(gbtStepSize > 0 && gbtStepSize <= 1)
          || lrRegParam < 0) {
        throw new IllegalArgumentException("invalid churn model settings " + this);
      }
    }
  }

  /** Share of positives (churners, defaulters) among the rows, and the count. */
  public record BaseRate(long rows, long positives) {
    public double rate() {
      return rows == 0 ? Double.NaN : (double) positives / rows;
    }
  }

  private static final long ROWS_PER_PARTITION = 100_000;

  private ClassifierTrainer() {}

  public static BaseRate baseRate(Dataset<Row> labelled) {
    Row r = labelled.agg(count(lit(1)), org.apache.spark.sql.functions.sum(col(LABEL))).first();
    return new BaseRate(r.getLong(0), r.isNullAt(1) ? 0 : (long) r.getDouble(1));
  }

  /**
   * Fits one algorithm on prepared rows (see {@link ModelFeatures#prepare}) with a {@link #LABEL}
   * column; {@code base} is their {@link #baseRate}, counted once by the caller for every algorithm.
   *
   * @param probability the column the fitted pipeline writes its probability to
   */
  public static PipelineModel fit(Algorithm algorithm, Dataset<Row> prepared, ModelFeatures features,
      Settings settings, BaseRate base, String probability) {
    if (base.positives() == 0 || base.positives() == base.rows()) {
      throw new IllegalArgumentException("the training snapshots hold " + base.rows() + " customers of whom "
          + base.positives() + " are positive: a model needs both classes");
    }
    double rate = base.rate();
    // Balanced weights: each class carries half of the total weight.
    // MLlib runs a Spark job per optimiser step and per tree level, and a job costs at least one
    // task per partition: a small set is fitted in fewer partitions (coalesce never adds any).
    Dataset<Row> weighted = prepared.coalesce((int) Math.max(1, base.rows() / ROWS_PER_PARTITION)).withColumn(WEIGHT,
        when(col(LABEL).equalTo(1.0), lit(0.5 / rate)).otherwise(lit(0.5 / (1 - rate))));
    VectorAssembler assembler = new VectorAssembler()
        .setInputCols(features.names().toArray(String[]::new))
        .setOutputCol(FEATURES);
    PipelineStage classifier = switch (algorithm) {
      case LOGISTIC_REGRESSION -> new LogisticRegression()
          .setLabelCol(LABEL).setFeaturesCol(FEATURES).setWeightCol(WEIGHT)
          .setRegParam(settings.lrRegParam()).setMaxIter(100);
      case GRADIENT_BOOSTED_TREES -> new GBTClassifier()
          .setLabelCol(LABEL).setFeaturesCol(FEATURES).setWeightCol(WEIGHT)
          .setMaxIter(settings.gbtMaxIter()).setMaxDepth(settings.gbtMaxDepth())
          .setStepSize(settings.gbtStepSize()).setSeed(settings.seed());
    };
    PriorShift shift = new PriorShift().setOffset(PriorShift.balancedOffset(rate)).setOutputCol(probability);
    return new Pipeline().setStages(new PipelineStage[] {assembler, classifier, shift}).fit(weighted);
  }

  /** Mean predicted probability: after the prior shift it should be near the base rate. */
  public static double meanPrediction(Dataset<Row> scored, String probability) {
    return scored.agg(avg(col(probability))).first().getDouble(0);
  }
}
