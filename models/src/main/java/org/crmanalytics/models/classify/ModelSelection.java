package org.crmanalytics.models.classify;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.models.classify.ClassifierTrainer.Algorithm;
import org.crmanalytics.models.evaluation.BinaryClassifierEvaluation;
import org.crmanalytics.models.evaluation.ClassifierMetrics;
import org.crmanalytics.models.evaluation.ScoreKind;

/**
 * The choice of model, made without the test snapshot: every algorithm is fitted on the training
 * snapshots and evaluated on the validation snapshot; the one with the higher average precision
 * (PR AUC: how good the top of the list is; logistic regression on a tie, the simpler model) is
 * refitted on the training and validation snapshots together, whose labels all end by the test
 * date (see {@link TimeSplit}). Grading that model on the test snapshot is the caller's, once.
 */
public final class ModelSelection {
  private static final String CALIBRATION_FOLD = "_calibration_fold";

  private ModelSelection() {}

  /**
   * @param validation each candidate's metrics on the validation snapshot
   * @param model the chosen algorithm refitted on the training and validation snapshots, saved and
   *     loaded once (as scoring will load it)
   * @param fitRate rows and churners the final model was fitted on
   * @param calibration how the final model's probabilities are calibrated: Platt scaling or isotonic
   *     regression of the chosen algorithm's output on the validation snapshot (the algorithm fitted on
   *     the training snapshots alone), see {@link Calibration}
   */
  public record Result(Algorithm chosen, Map<String, ClassifierMetrics> validation, PipelineModel model,
      ClassifierTrainer.BaseRate fitRate, Calibration.Choice calibration) {
    public Result {
      validation = Collections.unmodifiableMap(new LinkedHashMap<>(validation));
    }
  }

  /**
   * @param prepared prepared, labelled rows (see {@link ModelFeatures#prepare}) with
   *     {@link TimeSplit#SNAPSHOT_DATE}; only the rows up to the validation date are read
   * @param scratch a folder for the fitted candidates
   * @param probability the column the models write their probability to
   */
  public static Result choose(Dataset<Row> prepared, TimeSplit split, ModelFeatures features,
      ClassifierTrainer.Settings settings, String scratch, String probability) {
    Column date = col(TimeSplit.SNAPSHOT_DATE);
    LocalDate newestTrain = split.trainDates().get(split.trainDates().size() - 1);
    Dataset<Row> train = prepared.filter(date.leq(lit(newestTrain)));
    Dataset<Row> validation = prepared.filter(date.equalTo(lit(split.validationDate())));
    ClassifierTrainer.BaseRate trainRate = ClassifierTrainer.baseRate(train);
    Map<String, ClassifierMetrics> metrics = new LinkedHashMap<>();
    Map<Algorithm, PipelineModel> candidates = new LinkedHashMap<>();
    Algorithm best = null;
    for (Algorithm a : Algorithm.values()) {
      PipelineModel m = reloaded(ClassifierTrainer.fit(a, train, features, settings, trainRate, probability), scratch + "/" + a.id());
      candidates.put(a, m);
      ClassifierMetrics v = BinaryClassifierEvaluation.evaluate(m.transform(validation), ClassifierTrainer.LABEL,
          probability, ScoreKind.PROBABILITY);
      metrics.put(a.id(), v);
      if (best == null || v.prAuc() > metrics.get(best.id()).prAuc()) {
        best = a;
      }
    }
    Dataset<Row> fitRows = train.unionByName(validation);
    ClassifierTrainer.BaseRate fitRate = ClassifierTrainer.baseRate(fitRows);
    // The calibration comes from rows the calibrated candidate did not see: the validation snapshot,
    // split in two folds by a hash of each row's features and label (stable across runs and partitionings).
    List<Column> rowContent = new ArrayList<>(List.of(col(ClassifierTrainer.LABEL)));
    features.names().forEach(n -> rowContent.add(col(n)));
    Dataset<Row> folded = validation.withColumn(CALIBRATION_FOLD,
        pmod(xxhash64(rowContent.toArray(Column[]::new)), lit(2L)));
    Calibration.Choice calibration = Calibration.choose(candidates.get(best).transform(folded), CALIBRATION_FOLD,
        fitRate.rate());
    PipelineModel fitted = calibration.applyTo(
        ClassifierTrainer.fit(best, fitRows, features, settings, fitRate, probability), fitRows, probability);
    PipelineModel model = reloaded(fitted, scratch + "/chosen");
    return new Result(best, metrics, model, fitRate, calibration);
  }

  /**
   * The model as it will be loaded for scoring. A freshly fitted logistic regression keeps its
   * training summary, which holds the SparkSession and cannot be serialised into tasks; the saved
   * and loaded model has none. Evaluating the loaded model also proves that it loads.
   */
  public static PipelineModel reloaded(PipelineModel fitted, String path) {
    try {
      fitted.write().overwrite().save(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save a model candidate to " + path, e);
    }
    return PipelineModel.load(path);
  }
}
