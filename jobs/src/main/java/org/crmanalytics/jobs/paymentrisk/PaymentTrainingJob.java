package org.crmanalytics.jobs.paymentrisk;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.classify.ModelTraining;
import org.crmanalytics.jobs.classify.ModelTraining.Outcome;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.io.ModelStore;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.models.classify.ModelFeatures;
import org.crmanalytics.models.classify.TimeSplit;
import org.crmanalytics.models.contract.Contract.Invoices;
import org.crmanalytics.models.evaluation.BaselineScore;
import org.crmanalytics.models.evaluation.ScoreKind;
import org.crmanalytics.models.payments.Receivables;
import org.crmanalytics.models.paymentrisk.PaymentRiskSettings;
import org.crmanalytics.models.paymentrisk.PaymentRiskTrainingSet;

/**
 * {@code train payment_risk}: labelled receivables snapshots at past dates, a time split, logistic
 * regression and gradient-boosted trees chosen on validation and graded once on the test snapshot
 * against the rules a credit manager uses today (the oldest overdue invoice's days past due, the
 * dunning level, the credit-limit utilisation); promoted only by the promotion rule of churn
 * (docs/model-evaluation.md).
 */
public final class PaymentTrainingJob implements PipelineStage {
  public static final String NAME = "train-payment_risk";
  public static final String DAYS_PAST_DUE_BASELINE = "max_days_past_due";
  public static final String DUNNING_BASELINE = "dunning_level";
  public static final String CREDIT_LIMIT_BASELINE = "credit_limit_utilisation";

  /** The receivables column a rule of the credit manager ranks customers by; null for another baseline. */
  public static String ruleColumn(String baseline) {
    return switch (baseline) {
      case DAYS_PAST_DUE_BASELINE -> Receivables.MAX_DAYS_PAST_DUE;
      case DUNNING_BASELINE -> Receivables.DUNNING_LEVEL_MAX;
      case CREDIT_LIMIT_BASELINE -> Receivables.CREDIT_LIMIT_UTILISATION;
      default -> null;
    };
  }

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
    return List.of("models/" + PaymentRiskStage.NAME + "/<version>/",
        "models/" + PaymentRiskStage.NAME + "/promoted.json (when it beats the baselines)");
  }

  @Override
  public void check(PipelineConfig config) {
    PaymentRiskSettings c = config.settings(PaymentRiskSettings.class);
    TimeSplit.latest(config.asOf(), c.window(), c.snapshots(), c.stepMonths());
  }

  @Override
  public void run(RunContext ctx) {
    Outcome outcome = train(ctx);
    if (!outcome.trained()) {
      throw new UserError("train payment_risk: no model trained: " + outcome.verdict());
    }
  }

  public Outcome train(RunContext ctx) {
    PaymentRiskSettings cfg = ctx.config().settings(PaymentRiskSettings.class);
    LocalDate asOf = ctx.config().asOf();
    Console.Stage st = ctx.begin(NAME, "payment-default model training as of " + asOf);
    Optional<String> noInvoices = ctx.missingSilver(Invoices.NAME);
    if (noInvoices.isPresent()) {
      return Outcome.notTrained(st, PaymentRiskStage.NAME, "there is no invoices table (" + noInvoices.get()
          + "): payment defaults are read from invoices and payments");
    }
    Map<String, Dataset<Row>> silver = PaymentRiskStage.silver(ctx, NAME);
    LocalDate firstInvoice = firstInvoice(silver.get(Invoices.NAME), asOf);
    if (firstInvoice == null) {
      return Outcome.notTrained(st, PaymentRiskStage.NAME, "there are no invoices up to as_of " + asOf);
    }
    TimeSplit.Choice choice = TimeSplit.choose(firstInvoice, asOf, cfg.window(), cfg.snapshots(), cfg.stepMonths(),
        cfg.minHistoryMonths(), PaymentRiskStage.NAME, "invoice", "payment_risk.default.horizon_months");
    if (!choice.trainable()) {
      return Outcome.notTrained(st, PaymentRiskStage.NAME, choice.tooShort());
    }
    ctx.console().info(NAME + ": " + choice.description());
    boolean dated = Receivables.dunningPointInTime(silver);
    String note = dated ? null : "no dunning_notices table: the dunning level (invoices.dunning_level has no date, "
        + "so past snapshots would see reminders sent after them) and the dunning-level baseline are left out";
    if (note != null) {
      ctx.flag(NAME, "dunning_left_out", note);
    }

    Map<String, Dataset<Row>> allocated = Receivables.withAllocation(silver);
    // Written once and read back: both models and every metric reuse the labelled snapshots.
    Dataset<Row> set = ctx.output().stageParts(choice.split().all().stream()
        .map(d -> PaymentRiskTrainingSet.labelled(allocated, d, cfg)).toList(),
        ctx.layout().staging() + "/payment-risk-training-set");
    Receivables.release(allocated);
    ModelFeatures features = PaymentRiskTrainingSet.modelFeatures(dated);
    Map<String, BaselineScore> baselines = new LinkedHashMap<>();
    List<String> kept = new ArrayList<>();
    for (String rule : dated ? List.of(DAYS_PAST_DUE_BASELINE, DUNNING_BASELINE, CREDIT_LIMIT_BASELINE)
        : List.of(DAYS_PAST_DUE_BASELINE, CREDIT_LIMIT_BASELINE)) {
      baselines.put(rule, new BaselineScore(ruleColumn(rule), ScoreKind.RANKING));
      kept.add(ruleColumn(rule));
    }
    baselines.put(ModelTraining.BASE_RATE_BASELINE, ModelTraining.baseRate());
    kept.add(Receivables.EXPOSURE);
    ObjectNode meta = ModelStore.JSON.createObjectNode();
    meta.put("horizon_months", cfg.definition().horizonMonths());
    meta.put("days_past_due", cfg.definition().daysPastDue());
    meta.put("min_open_amount", cfg.definition().minOpenAmount());
    meta.put("dunning", dated ? "dunning_notices (point in time)" : "left out (no dunning_notices)");
    ModelTraining.Spec spec = new ModelTraining.Spec(PaymentRiskStage.NAME, NAME, PaymentRiskTrainingSet.PROBABILITY,
        "defaulted", PaymentRiskStage.NAME, "payment_risk.default.horizon_months and payment_risk.training",
        cfg.trainer(), cfg.promotion());
    return ModelTraining.fitGradeAndStore(ctx, st, spec, new ModelTraining.Data(choice, firstInvoice, set, features,
        baselines, UnaryOperator.identity(), meta, kept, note));
  }

  /** The first invoice date up to as_of; null when there is none. */
  static LocalDate firstInvoice(Dataset<Row> invoices, LocalDate asOf) {
    Row r = invoices.filter(col(Invoices.INVOICE_DATE).leq(lit(asOf))).agg(min(col(Invoices.INVOICE_DATE))).first();
    if (r.isNullAt(0)) {
      return null;
    }
    Object d = r.get(0);
    return d instanceof java.sql.Date sql ? sql.toLocalDate() : (LocalDate) d;
  }
}
