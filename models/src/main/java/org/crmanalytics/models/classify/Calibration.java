package org.crmanalytics.models.classify;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.IsotonicRegression;
import org.apache.spark.ml.regression.IsotonicRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The calibration of a classifier's probability: Platt scaling (a logistic curve in the log-odds,
 * two parameters) or isotonic regression (any non-decreasing step function, MLlib's pool-adjacent-
 * violators), whichever predicts held-out rows better. Platt scaling cannot bend a miscalibration
 * that is not logistic in shape; isotonic regression can, but with few rows it follows their noise.
 * Which of the two applies to a given model is therefore measured, not assumed: by cross-fitting on
 * the calibration rows (the validation snapshot), so that the test snapshot stays untouched.
 *
 * <p>The rows are split in two folds by a hash of their content; each method is fitted on one fold
 * and predicts the other, and back. The method with the lower held-out Brier score (mean squared
 * error of the probability, a proper score: it rewards both honest probabilities and order) is
 * refitted on all calibration rows. Platt scaling wins a tie: it keeps every distinction of the
 * classifier's order, where isotonic regression gives a whole step one probability.
 */
public final class Calibration {
  /** The classifier's probability vector (class 1 at index 1), as MLlib's classifiers write it. */
  public static final String CLASSIFIER_PROBABILITY = "probability";
  private static final String HELD_OUT = "_calibrated";

  public enum Method {
    PLATT("platt"),
    ISOTONIC("isotonic");

    private final String id;

    Method(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }
  }

  /**
   * The chosen calibration, fitted on all calibration rows.
   *
   * @param platt Platt scaling on all rows (also kept when isotonic regression is chosen, for the record)
   * @param isotonic isotonic regression on all rows; its prediction column is set by {@link #stage}
   * @param plattBrier held-out Brier score of Platt scaling (cross-fitted)
   * @param isotonicBrier held-out Brier score of isotonic regression (cross-fitted)
   */
  public record Choice(Method method, PlattScaling platt, IsotonicRegressionModel isotonic, double plattBrier,
      double isotonicBrier) {
    /** In words, for the model's metadata and evaluation. */
    public String description() {
      String chosen = method == Method.ISOTONIC ? "isotonic regression fitted on the validation snapshot"
          : platt.method();
      if (Double.isNaN(plattBrier)) {
        return chosen + " (each half of the validation snapshot needs both classes to compare it with isotonic "
            + "regression)";
      }
      return String.format(Locale.ROOT, "%s (chosen by the cross-fitted Brier score on the validation snapshot: "
          + "Platt %.5f, isotonic %.5f)", chosen, plattBrier, isotonicBrier);
    }

    /** The pipeline stage that turns the classifier's probability vector into the calibrated {@code output}. */
    public Transformer stage(String output) {
      if (method == Method.ISOTONIC) {
        return isotonic.copy(new ParamMap()).setPredictionCol(output);
      }
      return plattStage(platt, output);
    }

    /**
     * {@code fitted} (assembler, classifier, prior shift; see {@link ClassifierTrainer#fit}) with its
     * last stage replaced by this calibration. {@code rows} only supply the input schema.
     */
    public PipelineModel applyTo(PipelineModel fitted, Dataset<Row> rows, String output) {
      List<PipelineStage> stages = new ArrayList<>(Arrays.asList(fitted.stages()));
      stages.set(stages.size() - 1, stage(output));
      // A pipeline of transformers only: fit() fits nothing, it checks the schema and assembles the model.
      return new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(rows);
    }
  }

  private Calibration() {}

  /**
   * @param scored held-out rows scored by the uncalibrated classifier: {@link ClassifierTrainer#LABEL}
   *     and the probability vector {@link #CLASSIFIER_PROBABILITY}
   * @param fold 0 or 1 per row, stable across runs (e.g. a hash of the row)
   * @param fallbackBaseRate the prior shift's base rate, when Platt scaling gives no usable slope
   */
  public static Choice choose(Dataset<Row> scored, String fold, double fallbackBaseRate) {
    Dataset<Row> rows = scored.select(col(ClassifierTrainer.LABEL), col(CLASSIFIER_PROBABILITY), col(fold)).cache();
    try {
      double plattSquares = 0;
      double isotonicSquares = 0;
      for (int k = 0; k < 2; k++) {
        Dataset<Row> fitOn = rows.filter(col(fold).notEqual(lit(k)));
        Dataset<Row> heldOut = rows.filter(col(fold).equalTo(lit(k)));
        if (!bothClasses(fitOn)) {
          // Nothing to compare on: the simpler method, as on a tie.
          return new Choice(Method.PLATT, PlattScaling.fit(rows, fallbackBaseRate), isotonic(rows), Double.NaN,
              Double.NaN);
        }
        plattSquares += squaredErrors(plattStage(PlattScaling.fit(fitOn, fallbackBaseRate), HELD_OUT).transform(heldOut));
        isotonicSquares += squaredErrors(isotonic(fitOn).transform(heldOut));
      }
      long n = rows.count();
      double plattBrier = plattSquares / n;
      double isotonicBrier = isotonicSquares / n;
      Method method = isotonicBrier < plattBrier ? Method.ISOTONIC : Method.PLATT;
      return new Choice(method, PlattScaling.fit(rows, fallbackBaseRate), isotonic(rows), plattBrier, isotonicBrier);
    } finally {
      rows.unpersist(false);
    }
  }

  private static boolean bothClasses(Dataset<Row> rows) {
    Row r = rows.agg(sum(col(ClassifierTrainer.LABEL)), count(lit(1))).first();
    double positives = r.isNullAt(0) ? 0 : r.getDouble(0);
    return positives > 0 && positives < r.getLong(1);
  }

  private static PriorShift plattStage(PlattScaling platt, String output) {
    return new PriorShift().setInputCol(CLASSIFIER_PROBABILITY).setOutputCol(output).setSlope(platt.slope())
        .setOffset(platt.offset());
  }

  /** Isotonic in the classifier's probability of class 1; the prediction column is the caller's to set. */
  private static IsotonicRegressionModel isotonic(Dataset<Row> rows) {
    // Fitting checks that the prediction column is new: the scored rows already hold the model's output.
    return new IsotonicRegression().setLabelCol(ClassifierTrainer.LABEL).setFeaturesCol(CLASSIFIER_PROBABILITY)
        .setFeatureIndex(1).setIsotonic(true).setPredictionCol(HELD_OUT).fit(rows);
  }

  /** The sum over the rows of (calibrated probability − label)²; 0 for no rows. */
  private static double squaredErrors(Dataset<Row> calibrated) {
    Row r = calibrated.agg(sum(pow(col(HELD_OUT).minus(col(ClassifierTrainer.LABEL)), 2))).first();
    return r.isNullAt(0) ? 0 : r.getDouble(0);
  }
}
