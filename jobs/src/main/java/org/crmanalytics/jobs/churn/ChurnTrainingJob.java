package org.crmanalytics.jobs.churn;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_entries;
import static org.apache.spark.sql.functions.min;
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
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.MapType;
import org.crmanalytics.jobs.io.ModelStore;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.jobs.runner.Publication;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.models.classify.ModelFeatures;
import org.crmanalytics.models.churn.ChurnLabels;
import org.crmanalytics.models.classify.ModelSelection;
import org.crmanalytics.models.churn.ChurnSettings;
import org.crmanalytics.models.classify.ClassifierTrainer;
import org.crmanalytics.models.churn.ChurnTrainingSet;
import org.crmanalytics.models.classify.TimeSplit;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.evaluation.BaselineScore;
import org.crmanalytics.models.evaluation.ClassifierMetrics;
import org.crmanalytics.models.evaluation.EvaluationReport;
import org.crmanalytics.models.evaluation.ScoreKind;
import org.crmanalytics.models.features.CustomerSnapshot;

/**
 * {@code train churn}: labelled snapshots at past dates from this as_of's silver tables, chosen
 * from the data's span; a time-based split into training, validation and test snapshots; logistic
 * regression and gradient-boosted trees, the better on the validation snapshot refitted and graded
 * once on the test snapshot against the naive baselines; a new model version, promoted for scoring
 * only when it passes the promotion rule (docs/model-evaluation.md).
 */
public final class ChurnTrainingJob implements PipelineStage {
  public static final String NAME = "train-churn";
  /** Baseline: the longer since the last order, the likelier the churn. */
  public static final String RECENCY_BASELINE = "recency";
  /** Baseline: the training churn rate as a constant probability (ROC AUC 0.5, PR AUC the test base rate). */
  public static final String BASE_RATE_BASELINE = "base_rate";
  /** Baseline: BG/NBD's probability that the customer is no longer active. */
  public static final String P_ALIVE_BASELINE = "p_alive";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> needs() {
    return List.of();
  }

  @Override
  public List<String> produces(PipelineConfig config) {
    return List.of("models/churn/<version>/", "models/churn/promoted.json (when it beats the baselines)");
  }

  @Override
  public void check(PipelineConfig config) {
    ChurnSettings c = config.settings(ChurnSettings.class);
    TimeSplit.latest(config.asOf(), c.definition(), c.snapshots(), c.stepMonths());
  }

  /**
   * What a training run decided, for tests, the console and the churn stage.
   *
   * @param version the new model version; null when no model could be trained
   * @param candidates each algorithm's metrics on the validation snapshot, where the choice was made
   * @param verdict in one sentence: promoted, or which promotion check failed, or why nothing was trained
   */
  public record Outcome(String version, String algorithm, boolean promoted, EvaluationReport report,
      Map<String, ClassifierMetrics> candidates, String verdict) {
    static Outcome notTrained(String reason) {
      return new Outcome(null, null, false, null, Map.of(), reason);
    }

    public boolean trained() {
      return version != null;
    }
  }

  @Override
  public void run(RunContext ctx) {
    Outcome outcome = train(ctx);
    if (!outcome.trained()) {
      throw new UserError("train churn: no model trained: " + outcome.verdict());
    }
  }

  public Outcome train(RunContext ctx) {
    ChurnSettings cfg = ctx.config().settings(ChurnSettings.class);
    LocalDate asOf = ctx.config().asOf();
    Console.Stage st = ctx.begin(NAME, "churn model training as of " + asOf);
    Map<String, Dataset<Row>> silver = ChurnInputs.silver(ctx, NAME);
    Dataset<Row> sales = silver.get(Contract.Sales.NAME);
    LocalDate firstOrder = firstOrder(sales, asOf);
    if (firstOrder == null) {
      return notTrained(st, "there are no orders (sales lines with a positive net amount) up to as_of " + asOf);
    }
    TimeSplit.Choice choice = TimeSplit.choose(firstOrder, asOf, cfg.definition(), cfg.snapshots(), cfg.stepMonths(),
        cfg.minHistoryMonths(), "churn");
    if (!choice.trainable()) {
      return notTrained(st, choice.tooShort());
    }
    TimeSplit split = choice.split();
    ctx.console().info(NAME + ": " + choice.description());
    ChurnInputs.TrainingClv clv = ChurnInputs.trainingClv(ctx, ChurnInputs.btydFeatures(ctx, sales), split.all());
    String leftOut = clv.leftOut() == null ? null : "the CLV features " + String.join(", ", ChurnInputs.BTYD_FEATURES)
        + " and the p_alive baseline are left out of this training: " + clv.leftOut();
    if (leftOut != null) {
      ctx.flag(NAME, "clv_features_left_out", leftOut);
    }

    // The labelled snapshots are written once and read back: both models and every metric reuse them.
    String setPath = ctx.layout().staging() + "/churn-training-set";
    ctx.output().stage(ChurnTrainingSet.build(silver, split.all(), ctx.config().settings(CustomerSnapshot.Settings.class),
        cfg.definition(), clv.features()), setPath);
    clv.release();
    Dataset<Row> set = ctx.spark().read().parquet(setPath);
    ModelFeatures features = ModelFeatures.fromSnapshot(CustomerSnapshot.schema(ctx.config().settings(CustomerSnapshot.Settings.class)),
        clv.features() == null ? List.of() : ChurnInputs.BTYD_FEATURES);
    Dataset<Row> prepared = features.prepare(set);
    Column date = col(ChurnTrainingSet.SNAPSHOT_DATE);
    ClassifierTrainer.BaseRate trainRate = ClassifierTrainer.baseRate(prepared.filter(date.lt(lit(split.validationDate()))));
    ClassifierTrainer.BaseRate validationRate =
        ClassifierTrainer.baseRate(prepared.filter(date.equalTo(lit(split.validationDate()))));
    Dataset<Row> test = prepared.filter(date.equalTo(lit(split.testDate())));
    ClassifierTrainer.BaseRate testRate = ClassifierTrainer.baseRate(test);
    for (String problem : new String[] {bothClasses("training snapshots " + split.trainDates(), trainRate),
        bothClasses("validation snapshot " + split.validationDate(), validationRate),
        bothClasses("test snapshot " + split.testDate(), testRate)}) {
      if (problem != null) {
        return notTrained(st, problem + "; check churn.active_months and churn.horizon_months against the history "
            + "in the data (" + choice.description() + ")");
      }
    }

    ModelSelection.Result selection = ModelSelection.choose(prepared, split, features, cfg.trainer(),
        ctx.layout().staging() + "/churn-candidates", ChurnLabels.PROBABILITY);
    String best = selection.chosen().id();
    PipelineModel model = selection.model();
    String fingerprint = fingerprint(set);
    String version = asOf + "-" + fingerprint.substring(0, 8) + "-" + ctx.runId().substring(ctx.runId().length() - 4);
    Map<String, BaselineScore> baselines = new LinkedHashMap<>();
    baselines.put(RECENCY_BASELINE, new BaselineScore(CustomerSnapshot.DAYS_SINCE_LAST_ORDER, ScoreKind.RANKING));
    baselines.put(BASE_RATE_BASELINE, new BaselineScore("_base_rate", ScoreKind.PROBABILITY));
    Dataset<Row> graded = test.withColumn("_base_rate", lit(selection.fitRate().rate()));
    if (clv.features() != null) {
      baselines.put(P_ALIVE_BASELINE, new BaselineScore("_p_dead", ScoreKind.PROBABILITY));
      graded = graded.withColumn("_p_dead", lit(1.0).minus(col(ChurnInputs.P_ALIVE)));
    }
    // Graded once, on the test snapshot that neither the fit nor the choice has seen.
    EvaluationReport report = EvaluationReport.evaluate(best, version, model.transform(graded), ChurnLabels.LABEL,
        ChurnLabels.PROBABILITY, baselines, cfg.promotion());

    Dataset<Row> fitRows = prepared.filter(date.leq(lit(split.validationDate())));
    ObjectNode meta = ModelStore.JSON.createObjectNode();
    meta.put("version", version);
    meta.put("algorithm", best);
    meta.put("spark_version", ctx.spark().version());
    meta.put("created_at", Instant.now().toString());
    meta.put("run_id", ctx.runId());
    meta.put("as_of", asOf.toString());
    meta.put("active_months", cfg.definition().activeMonths());
    meta.put("horizon_months", cfg.definition().horizonMonths());
    meta.put("first_order", firstOrder.toString());
    ArrayNode trainDates = meta.putArray("train_snapshots");
    split.trainDates().forEach(d -> trainDates.add(d.toString()));
    meta.put("validation_snapshot", split.validationDate().toString());
    meta.put("test_snapshot", split.testDate().toString());
    meta.put("snapshots_chosen", choice.description());
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
    if (leftOut == null) {
      meta.putNull("features_left_out");
    } else {
      meta.put("features_left_out", leftOut);
    }
    // The means of the rows the final model was fitted on: the logistic regression's explanations centre on them.
    ObjectNode means = meta.putObject("feature_means");
    Row m = fitRows.agg(avg(col(features.names().get(0))), features.names().stream().skip(1)
        .map(n -> avg(col(n))).toArray(Column[]::new)).first();
    for (int i = 0; i < features.names().size(); i++) {
      means.put(features.names().get(i), m.getDouble(i));
    }
    meta.put("candidates_evaluated_on", "validation snapshot " + split.validationDate());
    ObjectNode cand = meta.putObject("candidates");
    selection.validation().forEach((k, v) -> {
      ObjectNode c = cand.putObject(k);
      c.put("roc_auc", v.rocAuc());
      c.put("pr_auc", v.prAuc());
      c.put("brier", v.brier());
      c.put("ece", v.ece());
    });
    meta.put("grade", report.grade().name());
    meta.put("promoted", report.promoted());
    meta.put("verdict", report.verdict());

    ModelStore store = new ModelStore(ChurnStage.NAME, ctx.layout().root(), ctx.output());
    // The chosen model's predictions on the test snapshot, beside the baselines' scores: for the
    // evaluation notebook's curves and for checks against a ground truth.
    List<Column> kept = new ArrayList<>(List.of(col(CustomerSnapshot.CUSTOMER_ID),
        col(ChurnTrainingSet.SNAPSHOT_DATE), col(ChurnLabels.LABEL), col(ChurnLabels.PROBABILITY),
        col(CustomerSnapshot.DAYS_SINCE_LAST_ORDER)));
    if (clv.features() != null) {
      kept.add(col(ChurnInputs.P_ALIVE));
    }
    Publication publication = ctx.publication();
    publication.stage(Output.modelVersion(ChurnStage.NAME, version), staged -> {
      store.write(version, staged, model, meta, evaluationJson(report, choice, firstOrder, selection, leftOut),
          evaluationText(report, choice, selection, leftOut));
      model.transform(test).select(kept.toArray(Column[]::new)).write()
          .parquet(staged + "/" + ModelStore.TEST_PREDICTIONS);
    });
    publication.commit();
    if (report.promoted()) {
      store.promote(version);
      ctx.committed(store.promotedFile());
    } else {
      ctx.flag(NAME, "not_promoted", "churn model " + version + " is " + report.verdict() + " (thresholds: the "
          + "churn.promotion keys, docs/model-evaluation.md; details in " + store.evaluationText(version) + ")");
    }
    st.done(selection.fitRate().rows() + testRate.rows(), testRate.rows(), String.format(Locale.ROOT,
        "%s %s (chosen on validation %s): test ROC AUC %.3f, PR AUC %.3f (best baseline %.3f / %.3f), grade %s, %s",
        best, version, split.validationDate(), report.metrics().rocAuc(), report.metrics().prAuc(),
        report.bestBaselineRocAuc(), report.bestBaselinePrAuc(), report.grade(),
        report.promoted() ? "promoted" : "NOT promoted"));
    return new Outcome(version, best, report.promoted(), report, selection.validation(), report.verdict());
  }

  private static Outcome notTrained(Console.Stage st, String reason) {
    st.done("no churn model trained: " + reason);
    return Outcome.notTrained(reason);
  }

  /** Null when both classes occur, else what is wrong. */
  private static String bothClasses(String what, ClassifierTrainer.BaseRate rate) {
    if (rate.positives() > 0 && rate.positives() < rate.rows()) {
      return null;
    }
    return "the " + what + " hold " + rate.rows() + " customers of whom " + rate.positives()
        + " churned: training and evaluation need both churners and stayers";
  }

  /** The first order (a sales line with a positive net amount) up to as_of; null when there is none. */
  static LocalDate firstOrder(Dataset<Row> sales, LocalDate asOf) {
    Row r = sales.filter(col(Contract.Sales.NET_AMOUNT).gt(0).and(col(Contract.Sales.ORDER_DATE).leq(lit(asOf))))
        .agg(min(col(Contract.Sales.ORDER_DATE))).first();
    if (r.isNullAt(0)) {
      return null;
    }
    Object d = r.get(0);
    return d instanceof java.sql.Date sql ? sql.toLocalDate() : (LocalDate) d;
  }

  /** The report's JSON with what this run chose: the snapshots, the model on validation, the features left out. */
  private static String evaluationJson(EvaluationReport report, TimeSplit.Choice choice, LocalDate firstOrder,
      ModelSelection.Result selection, String leftOut) {
    try {
      ObjectNode root = (ObjectNode) ModelStore.JSON.readTree(report.toJson());
      ObjectNode snapshots = root.putObject("snapshots");
      snapshots.put("chosen", choice.description());
      snapshots.put("first_order", firstOrder.toString());
      ArrayNode train = snapshots.putArray("train");
      choice.split().trainDates().forEach(d -> train.add(d.toString()));
      snapshots.put("validation", choice.split().validationDate().toString());
      snapshots.put("test", choice.split().testDate().toString());
      ObjectNode sel = root.putObject("selection");
      sel.put("evaluated_on", "validation");
      sel.put("chosen", selection.chosen().id());
      sel.put("rule", "the higher PR AUC on the validation snapshot");
      ObjectNode cands = sel.putObject("candidates");
      selection.validation().forEach((k, v) -> cands.putObject(k).put("roc_auc", v.rocAuc()).put("pr_auc", v.prAuc())
          .put("rows", v.rows()));
      if (leftOut == null) {
        root.putNull("features_left_out");
      } else {
        root.put("features_left_out", leftOut);
      }
      return root.toPrettyString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String evaluationText(EvaluationReport report, TimeSplit.Choice choice,
      ModelSelection.Result selection, String leftOut) {
    StringBuilder t = new StringBuilder();
    t.append("Snapshots: ").append(choice.description()).append('\n');
    t.append("Chosen on the validation snapshot ").append(choice.split().validationDate()).append(" by PR AUC: ")
        .append(String.join(", ", selection.validation().entrySet().stream().map(e -> String.format(Locale.ROOT,
            "%s %.4f", e.getKey(), e.getValue().prAuc())).toList()))
        .append(" -> ").append(selection.chosen().id()).append("; graded once on the test snapshot ")
        .append(choice.split().testDate()).append('\n');
    if (leftOut != null) {
      t.append("Note: ").append(leftOut).append('\n');
    }
    return t.append('\n').append(report.toText()).toString();
  }

  /**
   * A fingerprint of the training rows that does not depend on their order or partitioning: the
   * row count and the sum of a 64-bit hash of every row.
   */
  static String fingerprint(Dataset<Row> set) {
    // Maps have no stable hash; their entries in key order do.
    Column[] all = Arrays.stream(set.schema().fields())
        .map(f -> f.dataType() instanceof MapType ? array_sort(map_entries(col(f.name()))) : col(f.name()))
        .toArray(Column[]::new);
    Row r = set.agg(count(lit(1)), sum(xxhash64(all).cast("decimal(38,0)"))).first();
    return String.format(Locale.ROOT, "%016x", (r.getLong(0) * 0x9E3779B97F4A7C15L)
        ^ (r.isNullAt(1) ? 0 : r.getDecimal(1).longValue()));
  }
}
