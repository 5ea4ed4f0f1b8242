package org.crmanalytics.jobs.churn;

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
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.MapType;
import org.crmanalytics.jobs.cli.Console;
import org.crmanalytics.jobs.cli.UserError;
import org.crmanalytics.jobs.clv.ClvStage;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.features.FeaturesStage;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.models.churn.ChurnFeatures;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.churn.ChurnLabels;
import org.crmanalytics.models.churn.ChurnTrainer;
import org.crmanalytics.models.churn.ChurnTrainer.Algorithm;
import org.crmanalytics.models.churn.ChurnTrainingSet;
import org.crmanalytics.models.churn.TimeSplit;
import org.crmanalytics.models.evaluation.BinaryClassifierEvaluation;
import org.crmanalytics.models.evaluation.ClassifierMetrics;
import org.crmanalytics.models.evaluation.EvaluationReport;
import org.crmanalytics.models.evaluation.ScoreKind;
import org.crmanalytics.models.features.CustomerSnapshot;

/**
 * {@code train churn}: labelled snapshots at past dates from this as_of's silver tables, a
 * time-based split, logistic regression and gradient-boosted trees, evaluation of both on the
 * newest complete snapshot against the naive baselines, and a new model version; it is promoted
 * for scoring only when it beats the best baseline.
 */
public final class ChurnTrainingJob implements PipelineStage {
  public static final String NAME = "train-churn";
  /** Baseline: the longer since the last order, the likelier the churn. */
  public static final String RECENCY_BASELINE = "recency";
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
    ChurnConfig c = ChurnConfig.of(config);
    ClvStage.settings(config);
    FeaturesStage.settings(config);
    TimeSplit.latest(config.asOf(), c.definition(), c.snapshots(), c.stepMonths());
  }

  /** What a training run decided, for tests and the console. */
  public record Outcome(String version, String algorithm, boolean promoted, EvaluationReport report,
      Map<String, ClassifierMetrics> candidates) {}

  @Override
  public void run(RunContext ctx) {
    train(ctx);
  }

  public Outcome train(RunContext ctx) {
    ChurnConfig cfg = ChurnConfig.of(ctx.config());
    LocalDate asOf = ctx.config().asOf();
    TimeSplit split = TimeSplit.latest(asOf, cfg.definition(), cfg.snapshots(), cfg.stepMonths());
    Console.Stage st = ctx.console().stage(NAME, ctx.spark());
    ctx.spark().sparkContext().setJobGroup(NAME, "churn model training as of " + asOf, false);
    Map<String, Dataset<Row>> silver = ChurnInputs.silver(ctx, NAME);
    ChurnTrainingSet.PointInTimeFeatures btyd = ChurnInputs.btydFeatures(ctx, silver.get(Contract.Sales.NAME));

    // The labelled snapshots are written once and read back: both models and every metric reuse them.
    String setPath = ctx.layout().staging() + "/churn-training-set";
    ctx.output().stage(ChurnTrainingSet.build(silver, split.all(), FeaturesStage.settings(ctx.config()),
        cfg.definition(), btyd), setPath);
    Dataset<Row> set = ctx.spark().read().parquet(setPath);
    ChurnFeatures features = ChurnFeatures.fromSnapshot(CustomerSnapshot.schema(FeaturesStage.settings(ctx.config())),
        ChurnInputs.BTYD_FEATURES);
    Dataset<Row> prepared = features.prepare(set);
    Column isTest = col(ChurnTrainingSet.SNAPSHOT_DATE).equalTo(lit(split.testDate()));
    Dataset<Row> train = prepared.filter(isTest.unary_$bang());
    Dataset<Row> test = prepared.filter(isTest);
    ChurnTrainer.BaseRate trainRate = ChurnTrainer.baseRate(train);
    ChurnTrainer.BaseRate testRate = ChurnTrainer.baseRate(test);
    if (testRate.positives() == 0 || testRate.positives() == testRate.rows()) {
      throw new UserError("churn: the test snapshot " + split.testDate() + " holds " + testRate.rows()
          + " customers of whom " + testRate.positives() + " churned; evaluation needs both. "
          + "Check churn.active_months and churn.horizon_months against the history in the data");
    }

    Map<String, ClassifierMetrics> candidates = new LinkedHashMap<>();
    Map<String, PipelineModel> models = new LinkedHashMap<>();
    for (Algorithm a : Algorithm.values()) {
      PipelineModel m = roundTrip(ChurnTrainer.fit(a, train, features, cfg.trainer(), trainRate),
          ctx.layout().staging() + "/churn-candidates/" + a.id());
      models.put(a.id(), m);
      candidates.put(a.id(), BinaryClassifierEvaluation.evaluate(m.transform(test), ChurnLabels.LABEL,
          ChurnTrainer.PROBABILITY, ScoreKind.PROBABILITY));
    }
    Map<String, ClassifierMetrics> baselines = new LinkedHashMap<>();
    baselines.put(RECENCY_BASELINE, BinaryClassifierEvaluation.evaluate(test, ChurnLabels.LABEL,
        CustomerSnapshot.DAYS_SINCE_LAST_ORDER, ScoreKind.RANKING));
    baselines.put(P_ALIVE_BASELINE, BinaryClassifierEvaluation.evaluate(
        test.withColumn("_p_dead", lit(1.0).minus(col(ChurnInputs.P_ALIVE))), ChurnLabels.LABEL, "_p_dead",
        ScoreKind.PROBABILITY));

    // The better candidate by average precision, the measure of how well the top of the list is ranked.
    String best = candidates.entrySet().stream()
        .max((x, y) -> Double.compare(x.getValue().prAuc(), y.getValue().prAuc())).orElseThrow().getKey();
    String fingerprint = fingerprint(set);
    String version = asOf + "-" + fingerprint.substring(0, 8) + "-" + ctx.runId().substring(ctx.runId().length() - 4);
    EvaluationReport report = new EvaluationReport(best, version, candidates.get(best), baselines);

    ObjectNode meta = ChurnModelStore.JSON.createObjectNode();
    meta.put("version", version);
    meta.put("algorithm", best);
    meta.put("spark_version", ctx.spark().version());
    meta.put("created_at", Instant.now().toString());
    meta.put("run_id", ctx.runId());
    meta.put("as_of", asOf.toString());
    meta.put("active_months", cfg.definition().activeMonths());
    meta.put("horizon_months", cfg.definition().horizonMonths());
    ArrayNode trainDates = meta.putArray("train_snapshots");
    split.trainDates().forEach(d -> trainDates.add(d.toString()));
    meta.put("test_snapshot", split.testDate().toString());
    meta.put("train_rows", trainRate.rows());
    meta.put("train_base_rate", trainRate.rate());
    meta.put("test_rows", testRate.rows());
    meta.put("test_base_rate", testRate.rate());
    meta.put("training_data_fingerprint", fingerprint);
    ArrayNode names = meta.putArray("features");
    features.names().forEach(names::add);
    ObjectNode means = meta.putObject("feature_means");
    Row m = train.agg(avg(col(features.names().get(0))), features.names().stream().skip(1)
        .map(n -> avg(col(n))).toArray(Column[]::new)).first();
    for (int i = 0; i < features.names().size(); i++) {
      means.put(features.names().get(i), m.getDouble(i));
    }
    ObjectNode cand = meta.putObject("candidates");
    candidates.forEach((k, v) -> {
      ObjectNode c = cand.putObject(k);
      c.put("roc_auc", v.rocAuc());
      c.put("pr_auc", v.prAuc());
      c.put("brier", v.brier());
      c.put("ece", v.ece());
    });
    meta.put("grade", report.grade().name());
    meta.put("promoted", report.promoted());

    ChurnModelStore store = new ChurnModelStore(ctx.layout().root(), ctx.output());
    store.save(version, models.get(best), meta, report.toJson(), report.toText());
    // The chosen model's predictions on the test snapshot, beside the baselines' scores: for the
    // evaluation notebook's curves and for checks against a ground truth.
    models.get(best).transform(test)
        .select(col(CustomerSnapshot.CUSTOMER_ID), col(ChurnTrainingSet.SNAPSHOT_DATE), col(ChurnLabels.LABEL),
            col(ChurnTrainer.PROBABILITY), col(CustomerSnapshot.DAYS_SINCE_LAST_ORDER), col(ChurnInputs.P_ALIVE))
        .write().parquet(store.testPredictions(version));
    ctx.committed(store.folder(version));
    if (report.promoted()) {
      store.promote(version);
      ctx.committed(store.promotedFile());
    }
    st.done(trainRate.rows() + testRate.rows(), testRate.rows(), String.format(Locale.ROOT,
        "%s %s: ROC AUC %.3f, PR AUC %.3f (best baseline %.3f / %.3f), grade %s, %s", best, version,
        report.metrics().rocAuc(), report.metrics().prAuc(), report.bestBaselineRocAuc(),
        report.bestBaselinePrAuc(), report.grade(), report.promoted() ? "promoted" : "NOT promoted"));
    return new Outcome(version, best, report.promoted(), report, candidates);
  }

  /**
   * The model as it will be loaded for scoring. A freshly fitted logistic regression keeps its
   * training summary, which holds the SparkSession and cannot be serialised into tasks; the saved
   * and loaded model has none. Evaluating the loaded model also proves that it loads.
   */
  private static PipelineModel roundTrip(PipelineModel fitted, String path) {
    try {
      fitted.write().overwrite().save(path);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot save a churn model candidate to " + path, e);
    }
    return PipelineModel.load(path);
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
