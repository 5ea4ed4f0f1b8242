package org.crmanalytics.jobs.classify;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_entries;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.MapType;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.io.ModelStore;
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.jobs.runner.Publication;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.models.classify.Calibration;
import org.crmanalytics.models.classify.ClassifierTrainer;
import org.crmanalytics.models.classify.ModelFeatures;
import org.crmanalytics.models.classify.ModelSelection;
import org.crmanalytics.models.classify.PriorShift;
import org.crmanalytics.models.classify.TimeSplit;
import org.crmanalytics.models.evaluation.BaselineScore;
import org.crmanalytics.models.evaluation.BinaryClassifierEvaluation;
import org.crmanalytics.models.evaluation.ClassifierMetrics;
import org.crmanalytics.models.evaluation.EvaluationReport;
import org.crmanalytics.models.evaluation.PromotionRule;
import org.crmanalytics.models.evaluation.ScoreKind;
import org.crmanalytics.models.features.CustomerSnapshot;

/**
 * What every risk model's training (churn, payment default) does once its labelled snapshots are
 * written: checks that each part of the time split holds both classes; fits logistic regression and
 * gradient-boosted trees on the training snapshots and chooses on the validation snapshot; refits
 * the choice and grades it once on the untouched test snapshot against the naive baselines; saves a
 * new version with its metadata, evaluation and test predictions; promotes it only when it passes
 * the promotion rule (docs/model-evaluation.md).
 */
public final class ModelTraining {
  /** Baseline: the training base rate as a constant probability (ROC AUC 0.5, PR AUC the test base rate). */
  public static final String BASE_RATE_BASELINE = "base_rate";
  /** The column of the base-rate baseline, added to the test rows. */
  private static final String BASE_RATE_COLUMN = "_base_rate";

  private ModelTraining() {}

  /** The base-rate baseline, to be placed among a model's baselines. */
  public static BaselineScore baseRate() {
    return new BaselineScore(BASE_RATE_COLUMN, ScoreKind.PROBABILITY);
  }

  /**
   * The model-specific parts of a training run.
   *
   * @param model the model's name (its store folder and {@code train} argument)
   * @param stage the training stage's name, for flags
   * @param probability the column the model writes its probability to
   * @param positives what a positive customer did, for messages ("churned", "defaulted")
   * @param section the configuration section, for messages ("churn", "payment_risk")
   * @param windowKeys the keys that shape the label windows, for messages
   */
  public record Spec(String model, String stage, String probability, String positives, String section,
      String windowKeys, ClassifierTrainer.Settings trainer, PromotionRule promotion) {}

  /**
   * One training run's data.
   *
   * @param set the labelled snapshots as written (customer_id, {@link TimeSplit#SNAPSHOT_DATE}, features, label)
   * @param baselines name → score column, in report order ({@link #baseRate()} among them)
   * @param baselineColumns adds the baselines' columns other than the feature columns to the test rows
   * @param meta the model's own metadata, added to the common keys
   * @param kept columns of the test rows saved with the predictions, besides id, date, label, probability
   * @param note a sentence for the evaluation, e.g. features left out; null for none
   */
  public record Data(TimeSplit.Choice choice, LocalDate historyStart, Dataset<Row> set, ModelFeatures features,
      Map<String, BaselineScore> baselines, UnaryOperator<Dataset<Row>> baselineColumns, ObjectNode meta,
      List<String> kept, String note) {}

  /**
   * What a training run decided, for tests, the console and the scoring stages.
   *
   * @param version the new model version; null when no model could be trained
   * @param candidates each algorithm's metrics on the validation snapshot, where the choice was made
   * @param verdict in one sentence: promoted, or which promotion check failed, or why nothing was trained
   */
  public record Outcome(String version, String algorithm, boolean promoted, EvaluationReport report,
      Map<String, ClassifierMetrics> candidates, String verdict) {
    public static Outcome notTrained(Console.Stage st, String model, String reason) {
      st.done("no " + model + " model trained: " + reason);
      return new Outcome(null, null, false, null, Map.of(), reason);
    }

    public boolean trained() {
      return version != null;
    }
  }

  /**
   * The model a scoring stage scores with, or why there is none.
   *
   * @param why empty when a model is there; else one sentence for the stage's flag or withheld reason
   */
  public record ForScoring(Optional<ModelStore.StoredModel> model, String why) {
    static ForScoring none(String why) {
      return new ForScoring(Optional.empty(), why);
    }
  }

  /**
   * The promoted version when there is one. Else, on a first run (no version stored), a model trained now as the
   * {@code train} command trains it, so that new data gets scores at once. A later run does not train again:
   * retraining is the {@code train} command's (weekly in the DAG), and a daily run that retrained would spend the
   * training's minutes every day to reach, on nearly the same data, the same verdict.
   *
   * @param train the model's training job, run on a first run
   */
  public static ForScoring forScoring(RunContext ctx, String model, Supplier<Outcome> train) {
    ModelStore store = new ModelStore(model, ctx.layout().root(), ctx.output());
    if (store.promotedVersion().isEmpty()) {
      Optional<ModelStore.StoredVersion> latest = store.latestVersion();
      if (latest.isPresent()) {
        String version = latest.get().version();
        return ForScoring.none("the latest " + model + " model (" + version + ", trained for as_of "
            + latest.get().metadata().path("as_of").asText("?") + ") is "
            + latest.get().metadata().path("verdict").asText("not promoted") + "; the evaluation is in "
            + store.evaluationText(version) + ". A run trains a model itself only when none was ever trained: train "
            + "a new one with bin/crm-analytics train " + model + " (weekly in the DAG crm_analytics_weekly_training)");
      }
      ctx.console().info(model + ": no model under " + store.root() + " yet; training one now (the same as "
          + "bin/crm-analytics train " + model + ")");
      Outcome outcome = train.get();
      if (!outcome.trained()) {
        return ForScoring.none("no " + model + " model could be trained: " + outcome.verdict());
      }
      if (!outcome.promoted()) {
        return ForScoring.none("the model trained now (" + outcome.version() + ") is " + outcome.verdict()
            + "; the evaluation is in " + store.evaluationText(outcome.version()));
      }
    }
    return new ForScoring(Optional.of(store.loadPromoted()), "");
  }

  public static Outcome fitGradeAndStore(RunContext ctx, Console.Stage st, Spec spec, Data data) {
    TimeSplit split = data.choice().split();
    ModelFeatures features = data.features();
    Dataset<Row> prepared = features.prepare(data.set());
    Column date = col(TimeSplit.SNAPSHOT_DATE);
    ClassifierTrainer.BaseRate trainRate = ClassifierTrainer.baseRate(prepared.filter(date.lt(lit(split.validationDate()))));
    ClassifierTrainer.BaseRate validationRate =
        ClassifierTrainer.baseRate(prepared.filter(date.equalTo(lit(split.validationDate()))));
    Dataset<Row> test = prepared.filter(date.equalTo(lit(split.testDate())));
    ClassifierTrainer.BaseRate testRate = ClassifierTrainer.baseRate(test);
    for (String problem : new String[] {bothClasses(spec, "training snapshots " + split.trainDates(), trainRate),
        bothClasses(spec, "validation snapshot " + split.validationDate(), validationRate),
        bothClasses(spec, "test snapshot " + split.testDate(), testRate)}) {
      if (problem != null) {
        return Outcome.notTrained(st, spec.model(), problem + "; check " + spec.windowKeys() + " against the history "
            + "in the data (" + data.choice().description() + ")");
      }
    }

    ModelSelection.Result selection = ModelSelection.choose(prepared, split, features, spec.trainer(),
        ctx.layout().staging() + "/" + spec.model() + "-candidates", spec.probability());
    String best = selection.chosen().id();
    PipelineModel model = selection.model();
    String fingerprint = fingerprint(data.set());
    String version = ctx.config().asOf() + "-" + fingerprint.substring(0, 8) + "-"
        + ctx.runId().substring(ctx.runId().length() - 4);
    Dataset<Row> graded = data.baselineColumns().apply(test.withColumn(BASE_RATE_COLUMN, lit(selection.fitRate().rate())));
    // Graded once, on the test snapshot that neither the fit nor the choice has seen.
    Dataset<Row> scoredTest = model.transform(graded);
    EvaluationReport report = EvaluationReport.evaluate(best, version, scoredTest, ClassifierTrainer.LABEL,
        spec.probability(), data.baselines(), spec.promotion())
        .withCalibration(selection.calibration().description(), eceBeforeCalibration(scoredTest, selection));

    ObjectNode meta = metadata(ctx, version, best, data, trainRate, validationRate, testRate, selection, fingerprint,
        prepared.filter(date.leq(lit(split.validationDate()))));
    meta.put("grade", report.grade().name());
    meta.put("promoted", report.promoted());
    meta.put("verdict", report.verdict());
    calibrationOnTest(meta, report);

    ModelStore store = new ModelStore(spec.model(), ctx.layout().root(), ctx.output());
    List<Column> kept = new ArrayList<>(List.of(col(CustomerSnapshot.CUSTOMER_ID), date,
        col(ClassifierTrainer.LABEL), col(spec.probability())));
    data.kept().forEach(k -> kept.add(col(k)));
    Publication publication = ctx.publication();
    publication.stage(Output.modelVersion(spec.model(), version), staged -> {
      store.write(version, staged, model, meta, evaluationJson(report, data, selection),
          evaluationText(report, data, selection));
      model.transform(graded).select(kept.toArray(Column[]::new)).write()
          .parquet(staged + "/" + ModelStore.TEST_PREDICTIONS);
    });
    publication.commit();
    if (report.promoted()) {
      store.promote(version);
      ctx.committed(store.promotedFile());
    } else {
      ctx.flag(spec.stage(), "not_promoted", spec.model() + " model " + version + " is " + report.verdict()
          + " (thresholds: the " + spec.section() + ".promotion keys, docs/model-evaluation.md; details in "
          + store.evaluationText(version) + ")");
    }
    st.done(selection.fitRate().rows() + testRate.rows(), testRate.rows(), String.format(Locale.ROOT,
        "%s %s (chosen on validation %s): test ROC AUC %.3f, PR AUC %.3f (best baseline %.3f / %.3f), lift top "
            + "%.0f %% %.3f (best baseline %.3f), ECE %.3f before calibration, %.3f after (%s), grade %s, %s",
        best, version, split.validationDate(), report.metrics().rocAuc(), report.metrics().prAuc(),
        report.bestBaselineRocAuc(), report.bestBaselinePrAuc(), 100 * report.topLift().share(),
        report.topLift().model(), report.topLift().baselines().get(report.topLift().bestBaseline()),
        report.calibration().eceBefore(), report.calibration().eceAfter(), selection.calibration().method().id(),
        report.grade(), report.promoted() ? "promoted" : "NOT promoted: " + failedNames(report)));
    return new Outcome(version, best, report.promoted(), report, selection.validation(), report.verdict());
  }

  private static void calibrationOnTest(ObjectNode meta, EvaluationReport report) {
    ObjectNode calibration = (ObjectNode) meta.get("calibration");
    putNumber(calibration, "test_ece_before", report.calibration().eceBefore());
    putNumber(calibration, "test_ece_after", report.calibration().eceAfter());
  }

  /** The failed checks in plain words, for the console line (the lift one in particular). */
  private static String failedNames(EvaluationReport report) {
    return String.join(", ", report.failedChecks().stream().map(c -> c.name().equals("lift_at_top")
        ? "its top of the list is worse than a rule of thumb's (lift_at_top)" : c.name()).toList());
  }

  private static ObjectNode metadata(RunContext ctx, String version, String best, Data data,
      ClassifierTrainer.BaseRate trainRate, ClassifierTrainer.BaseRate validationRate,
      ClassifierTrainer.BaseRate testRate, ModelSelection.Result selection, String fingerprint, Dataset<Row> fitRows) {
    TimeSplit split = data.choice().split();
    ModelFeatures features = data.features();
    ObjectNode meta = ModelStore.JSON.createObjectNode();
    meta.put("version", version);
    meta.put("algorithm", best);
    meta.put("spark_version", ctx.spark().version());
    meta.put("created_at", Instant.now().toString());
    meta.put("run_id", ctx.runId());
    meta.put("as_of", ctx.config().asOf().toString());
    meta.setAll(data.meta());
    meta.put("history_start", data.historyStart().toString());
    ArrayNode trainDates = meta.putArray("train_snapshots");
    split.trainDates().forEach(d -> trainDates.add(d.toString()));
    meta.put("validation_snapshot", split.validationDate().toString());
    meta.put("test_snapshot", split.testDate().toString());
    meta.put("snapshots_chosen", data.choice().description());
    meta.put("train_rows", trainRate.rows());
    meta.put("train_base_rate", trainRate.rate());
    meta.put("validation_rows", validationRate.rows());
    meta.put("validation_base_rate", validationRate.rate());
    meta.put("fit_rows", selection.fitRate().rows());
    meta.put("test_rows", testRate.rows());
    meta.put("test_base_rate", testRate.rate());
    meta.put("training_data_fingerprint", fingerprint);
    ArrayNode names = meta.putArray("features");
    features.names().forEach(names::add);
    if (data.note() == null) {
      meta.putNull("features_left_out");
    } else {
      meta.put("features_left_out", data.note());
    }
    // The means of the rows the final model was fitted on: the logistic regression's explanations centre on them.
    ObjectNode means = meta.putObject("feature_means");
    Row m = fitRows.agg(avg(col(features.names().get(0))), features.names().stream().skip(1)
        .map(n -> avg(col(n))).toArray(Column[]::new)).first();
    for (int i = 0; i < features.names().size(); i++) {
      means.put(features.names().get(i), m.getDouble(i));
    }
    ObjectNode calibration = meta.putObject("calibration");
    Calibration.Choice choice = selection.calibration();
    calibration.put("method", choice.method().id());
    calibration.put("description", choice.description());
    if (choice.method() == Calibration.Method.PLATT) {
      calibration.put("slope", choice.platt().slope());
      calibration.put("offset", choice.platt().offset());
    }
    putNumber(calibration, "validation_brier_platt", choice.plattBrier());
    putNumber(calibration, "validation_brier_isotonic", choice.isotonicBrier());
    meta.put("candidates_evaluated_on", "validation snapshot " + split.validationDate());
    ObjectNode cand = meta.putObject("candidates");
    selection.validation().forEach((k, v) -> {
      ObjectNode c = cand.putObject(k);
      c.put("roc_auc", v.rocAuc());
      c.put("pr_auc", v.prAuc());
      c.put("brier", v.brier());
      c.put("ece", v.ece());
    });
    return meta;
  }

  /**
   * The ECE on the test rows of the same classifier with the prior shift only (slope 1, the fit base
   * rate): what calibration started from.
   */
  private static double eceBeforeCalibration(Dataset<Row> scoredTest, ModelSelection.Result selection) {
    String uncalibrated = "_uncalibrated_probability";
    Dataset<Row> shifted = new PriorShift().setInputCol(Calibration.CLASSIFIER_PROBABILITY).setOutputCol(uncalibrated)
        .setOffset(PriorShift.balancedOffset(selection.fitRate().rate())).transform(scoredTest);
    return BinaryClassifierEvaluation.evaluate(shifted, ClassifierTrainer.LABEL, uncalibrated, ScoreKind.PROBABILITY)
        .ece();
  }

  private static void putNumber(ObjectNode o, String key, double value) {
    if (Double.isFinite(value)) {
      o.put(key, value);
    } else {
      o.putNull(key);
    }
  }

  /** Null when both classes occur, else what is wrong. */
  private static String bothClasses(Spec spec, String what, ClassifierTrainer.BaseRate rate) {
    if (rate.positives() > 0 && rate.positives() < rate.rows()) {
      return null;
    }
    return "the " + what + " hold " + rate.rows() + " customers of whom " + rate.positives() + " " + spec.positives()
        + ": training and evaluation need both classes";
  }

  /** The report's JSON with what this run chose: the snapshots, the model on validation, the note. */
  private static String evaluationJson(EvaluationReport report, Data data, ModelSelection.Result selection) {
    try {
      TimeSplit.Choice choice = data.choice();
      ObjectNode root = (ObjectNode) ModelStore.JSON.readTree(report.toJson());
      ObjectNode snapshots = root.putObject("snapshots");
      snapshots.put("chosen", choice.description());
      snapshots.put("history_start", data.historyStart().toString());
      ArrayNode train = snapshots.putArray("train");
      choice.split().trainDates().forEach(d -> train.add(d.toString()));
      snapshots.put("validation", choice.split().validationDate().toString());
      snapshots.put("test", choice.split().testDate().toString());
      ObjectNode sel = root.putObject("selection");
      sel.put("evaluated_on", "validation");
      sel.put("chosen", selection.chosen().id());
      sel.put("rule", "the higher PR AUC on the validation snapshot");
      sel.put("calibration", selection.calibration().description());
      ObjectNode cands = sel.putObject("candidates");
      selection.validation().forEach((k, v) -> cands.putObject(k).put("roc_auc", v.rocAuc()).put("pr_auc", v.prAuc())
          .put("rows", v.rows()));
      if (data.note() == null) {
        root.putNull("features_left_out");
      } else {
        root.put("features_left_out", data.note());
      }
      return root.toPrettyString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String evaluationText(EvaluationReport report, Data data, ModelSelection.Result selection) {
    TimeSplit.Choice choice = data.choice();
    StringBuilder t = new StringBuilder();
    t.append("Snapshots: ").append(choice.description()).append('\n');
    t.append("Chosen on the validation snapshot ").append(choice.split().validationDate()).append(" by PR AUC: ")
        .append(String.join(", ", selection.validation().entrySet().stream().map(e -> String.format(Locale.ROOT,
            "%s %.4f", e.getKey(), e.getValue().prAuc())).toList()))
        .append(" -> ").append(selection.chosen().id()).append("; graded once on the test snapshot ")
        .append(choice.split().testDate()).append('\n');
    if (data.note() != null) {
      t.append("Note: ").append(data.note()).append('\n');
    }
    return t.append('\n').append(report.toText()).toString();
  }

  /**
   * A fingerprint of the training rows that does not depend on their order or partitioning: the
   * row count and the sum of a 64-bit hash of every row.
   */
  public static String fingerprint(Dataset<Row> set) {
    // Maps have no stable hash; their entries in key order do.
    Column[] all = Arrays.stream(set.schema().fields())
        .map(f -> f.dataType() instanceof MapType ? array_sort(map_entries(col(f.name()))) : col(f.name()))
        .toArray(Column[]::new);
    Row r = set.agg(count(lit(1)), sum(xxhash64(all).cast("decimal(38,0)"))).first();
    return String.format(Locale.ROOT, "%016x", (r.getLong(0) * 0x9E3779B97F4A7C15L)
        ^ (r.isNullAt(1) ? 0 : r.getDecimal(1).longValue()));
  }
}
