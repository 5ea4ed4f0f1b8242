package org.crmanalytics.jobs.crosssell;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.io.ModelStore;
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.jobs.runner.Input;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.jobs.runner.Publication;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.models.contract.Contract.Sales;
import org.crmanalytics.models.crosssell.CrossSell;
import org.crmanalytics.models.crosssell.CrossSellEvaluation;
import org.crmanalytics.models.crosssell.CrossSellSettings;
import org.crmanalytics.models.crosssell.ItemPurchases;
import org.crmanalytics.models.crosssell.RankingMetrics;

/**
 * {@code train cross_sell}: the evaluation of every method, the blend and the baselines on past
 * periods, and the choice of the ranking the daily {@code cross_sell} stage publishes (docs/cross-sell.md).
 * The blend and the white space are graded at V = as_of − 2 × horizon on (V, V + horizon]; the
 * blend is chosen only when its NDCG@k there is higher; the test period (as_of − horizon, as_of],
 * which the choice never read, is reported. Each run saves a version (evaluation, metadata with the
 * choice) and promotes it: the choice is a rule's outcome, not a fit that could be worse than a baseline.
 * It runs on the training schedule (weekly), because it recommends at two past dates in full, which
 * takes minutes even for a small company; the daily stage then only publishes.
 */
public final class CrossSellTrainingJob implements PipelineStage {
  public static final String NAME = "train-cross_sell";
  /** metadata.json: the ranking the stage publishes, and the level it was chosen for. */
  public static final String PUBLISHED = "published";
  public static final String LEVEL = "level";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Input> reads() {
    return List.of(Input.required(Output.SILVER));
  }

  @Override
  public List<String> needs() {
    return List.of();
  }

  @Override
  public List<String> produces(PipelineConfig config) {
    return List.of("models/cross_sell/<version>/", "models/cross_sell/promoted.json");
  }

  @Override
  public Optional<String> missingInputs(RunContext ctx) {
    return CrossSellStage.Inputs.missing(ctx);
  }

  @Override
  public void run(RunContext ctx) {
    LocalDate asOf = ctx.config().asOf();
    Console.Stage st = ctx.begin(NAME, "cross-sell evaluation and choice as of " + asOf);
    CrossSellStage.Inputs in = CrossSellStage.Inputs.read(ctx, NAME);
    CrossSellSettings s = in.settings();
    Dataset<Row> customers = in.customers();
    List<String> leftOut = new ArrayList<>(in.leftOut());
    ItemPurchases purchases = in.purchases(asOf);
    Row span = purchases.lines().agg(min(col(Sales.ORDER_DATE)), max(col(Sales.ORDER_DATE))).first();
    LocalDate first = span.isNullAt(0) ? null : span.getDate(0).toLocalDate();
    Plan plan = Plan.of(first, asOf, s);
    plan.leftOut().ifPresent(why -> {
      leftOut.add(why);
      ctx.flag(NAME, CrossSellStage.NAME + ".left_out", why);
    });

    // The validation period recommends at the choice date, where the test period calibrates.
    CrossSell.Evidences evidences = new CrossSell.Evidences(customers, purchases, s,
        plan.canChoose() && plan.canTest() ? Set.of(plan.choice()) : Set.of());
    Selection selection = select(ctx, plan, evidences);
    Optional<CrossSellEvaluation.Result> test = plan.canTest()
        ? evaluate(ctx, plan.test(), evidences, "test") : Optional.empty();
    evidences.release();
    purchases.release();
    purchases.lines().unpersist();

    String version = asOf + "-" + ctx.runId().substring(ctx.runId().length() - 4);
    ModelStore store = new ModelStore(CrossSellStage.NAME, ctx.layout().root(), ctx.output());
    ObjectNode meta = ModelStore.JSON.createObjectNode();
    meta.put("version", version);
    meta.put("as_of", asOf.toString());
    meta.put("run_id", ctx.runId());
    meta.put(PUBLISHED, selection.published());
    meta.put(LEVEL, s.level());
    meta.put("why", selection.why());
    String json = CrossSellReport.json(asOf, s, plan, selection, test.orElse(null), leftOut);
    String text = CrossSellReport.text(asOf, s, plan, selection, test.orElse(null), leftOut);
    Publication publication = ctx.publication();
    publication.stage(Output.modelVersion(CrossSellStage.NAME, version), staged -> {
      ctx.output().writeText(staged + "/" + ModelStore.EVALUATION_JSON, json);
      ctx.output().writeText(staged + "/" + ModelStore.EVALUATION_TEXT, text);
      ctx.output().writeText(staged + "/" + ModelStore.METADATA, meta.toPrettyString());
    });
    publication.commit();
    store.promote(version);
    ctx.committed(store.promotedFile());
    test.ifPresent(t -> t.lines().forEach(l -> ctx.console().info(CrossSellStage.NAME + ": test " + l)));
    st.done(String.format(Locale.ROOT, "%s chosen (%s); version %s, details in %s", selection.published(),
        selection.why(), version, store.evaluationText(version)));
  }

  /**
   * The dates the evaluation recommends at, and what the history allows: an evaluation at a date X
   * (recommend at X, observe (X, X + horizon]) calibrates at X − horizon on the lookback window
   * before it, so it needs orders from X − horizon − lookback on.
   */
  record Plan(LocalDate choice, LocalDate test, LocalDate firstOrder, boolean canChoose, boolean canTest, String shortBy) {
    static Plan of(LocalDate first, LocalDate asOf, CrossSellSettings s) {
      int h = s.horizonMonths();
      LocalDate test = ItemPurchases.monthsFrom(asOf, -h);
      LocalDate choice = ItemPurchases.monthsFrom(test, -h);
      LocalDate needTest = ItemPurchases.monthsFrom(test, -h - s.lookbackMonths());
      LocalDate needChoice = ItemPurchases.monthsFrom(choice, -h - s.lookbackMonths());
      boolean canTest = first != null && !first.isAfter(needTest);
      boolean canChoose = first != null && !first.isAfter(needChoice);
      String shortBy = first == null ? "there are no sales lines with an item up to " + asOf
          : !canTest ? "the first order is " + first + "; the evaluation at " + test + " needs orders from " + needTest
              + " on (horizon_months " + h + " twice plus lookback_months " + s.lookbackMonths() + ")"
          : !canChoose ? "the first order is " + first + "; choosing between the blend and the white space at " + choice
              + " needs orders from " + needChoice + " on" : null;
      return new Plan(choice, test, first, canChoose, canTest, shortBy);
    }

    Optional<String> leftOut() {
      if (canChoose) {
        return Optional.empty();
      }
      return Optional.of((canTest ? "too little history to choose the blend on a validation period (" + shortBy
          + "): the white space is published, and the evaluation reports the test period"
          : "too little history for the evaluation (" + shortBy + "): the white space is published, not evaluated"));
    }
  }

  /**
   * Which ranking is published and why.
   *
   * @param validation the grades at the choice date on (choice, test], null when there was no choice
   */
  record Selection(String published, String why, CrossSellEvaluation.Result validation) {}

  /** The publish rule: the blend only when its NDCG@k on the validation period beats the white space's. */
  static Selection select(RunContext ctx, Plan plan, CrossSell.Evidences evidences) {
    if (!plan.canChoose()) {
      return new Selection(CrossSell.WHITE_SPACE, "no validation period to choose on", null);
    }
    Optional<CrossSellEvaluation.Result> v = evaluate(ctx, plan.choice(), evidences, "validation");
    if (v.isEmpty()) {
      return new Selection(CrossSell.WHITE_SPACE, "the validation evaluation failed", null);
    }
    return choose(v.get());
  }

  static Selection choose(CrossSellEvaluation.Result validation) {
    RankingMetrics.Metrics b = validation.method(CrossSell.BLEND).metrics();
    RankingMetrics.Metrics w = validation.method(CrossSell.WHITE_SPACE).metrics();
    boolean blend = b.customers() > 0 && b.ndcgAtK() > w.ndcgAtK();
    String why = String.format(Locale.ROOT, "validation %s to %s: NDCG@%d blend %.3f, white space %.3f",
        validation.recommendedAt(), validation.observedUntil(), validation.k(), b.ndcgAtK(), w.ndcgAtK());
    return new Selection(blend ? CrossSell.BLEND : CrossSell.WHITE_SPACE, why, validation);
  }

  /** Recommends at {@code at} and grades on (at, at + horizon]; empty (and flagged) when that fails. */
  static Optional<CrossSellEvaluation.Result> evaluate(RunContext ctx, LocalDate at, CrossSell.Evidences evidences,
      String period) {
    CrossSell.Result recommended = null;
    long start = System.nanoTime();
    try {
      recommended = CrossSell.recommend(evidences, at);
      CrossSellEvaluation.Result graded = CrossSellEvaluation.evaluate(recommended, evidences.customers(),
          evidences.purchases(), evidences.settings());
      ctx.console().info(String.format(Locale.ROOT, "%s: %s period (recommend at %s, observe to %s) graded in %.1f s",
          CrossSellStage.NAME, period, at, graded.observedUntil(), (System.nanoTime() - start) / 1e9));
      return Optional.of(graded);
    } catch (RuntimeException e) {
      ctx.flag(CrossSellStage.NAME, CrossSellStage.NAME + ".evaluation_failed", "the " + period + " evaluation at " + at + " failed (" + e
          + "); the white space is published");
      return Optional.empty();
    } finally {
      if (recommended != null) {
        recommended.release();
      }
    }
  }
}
