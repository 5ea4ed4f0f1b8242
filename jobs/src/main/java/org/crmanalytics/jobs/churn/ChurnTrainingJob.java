package org.crmanalytics.jobs.churn;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.jobs.io.ModelStore;
import org.crmanalytics.jobs.classify.ModelTraining;
import org.crmanalytics.jobs.classify.ModelTraining.Outcome;
import java.util.function.UnaryOperator;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.models.classify.ModelFeatures;
import org.crmanalytics.models.churn.ChurnLabels;
import org.crmanalytics.models.churn.ChurnSettings;
import org.crmanalytics.models.churn.ChurnTrainingSet;
import org.crmanalytics.models.classify.TimeSplit;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.evaluation.BaselineScore;
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
  public static final String BASE_RATE_BASELINE = ModelTraining.BASE_RATE_BASELINE;
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

    CustomerSnapshot.Settings snapshot = ctx.config().settings(CustomerSnapshot.Settings.class);
    // Written once and read back: both models and every metric reuse the labelled snapshots.
    Dataset<Row> set = ctx.output().stageParts(split.all().stream()
        .map(d -> ChurnTrainingSet.labelled(silver, d, snapshot, cfg.definition(), clv.features())).toList(),
        ctx.layout().staging() + "/churn-training-set");
    clv.release();
    ModelFeatures features = ModelFeatures.fromSnapshot(CustomerSnapshot.schema(snapshot),
        clv.features() == null ? List.of() : ChurnInputs.BTYD_FEATURES);
    Map<String, BaselineScore> baselines = new LinkedHashMap<>();
    baselines.put(RECENCY_BASELINE, new BaselineScore(CustomerSnapshot.DAYS_SINCE_LAST_ORDER, ScoreKind.RANKING));
    baselines.put(BASE_RATE_BASELINE, ModelTraining.baseRate());
    UnaryOperator<Dataset<Row>> baselineColumns = UnaryOperator.identity();
    List<String> kept = new ArrayList<>(List.of(CustomerSnapshot.DAYS_SINCE_LAST_ORDER));
    if (clv.features() != null) {
      baselines.put(P_ALIVE_BASELINE, new BaselineScore("_p_dead", ScoreKind.PROBABILITY));
      baselineColumns = test -> test.withColumn("_p_dead", lit(1.0).minus(col(ChurnInputs.P_ALIVE)));
      kept.add(ChurnInputs.P_ALIVE);
    }
    ObjectNode meta = ModelStore.JSON.createObjectNode();
    meta.put("active_months", cfg.definition().activeMonths());
    meta.put("horizon_months", cfg.definition().horizonMonths());
    ModelTraining.Spec spec = new ModelTraining.Spec(ChurnStage.NAME, NAME, ChurnLabels.PROBABILITY, "churned",
        "churn", "churn.active_months and churn.horizon_months", cfg.trainer(), cfg.promotion());
    return ModelTraining.fitGradeAndStore(ctx, st, spec, new ModelTraining.Data(choice, firstOrder, set, features,
        baselines, baselineColumns, meta, kept, leftOut));
  }

  private static Outcome notTrained(Console.Stage st, String reason) {
    return Outcome.notTrained(st, ChurnStage.NAME, reason);
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
}
