package org.crmanalytics.jobs.crosssell;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
import org.crmanalytics.models.crosssell.CrossSellEvaluation;
import org.crmanalytics.models.crosssell.CrossSellSettings;

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
    Dataset<Row> lines = in.lines(asOf);
    Row span = lines.agg(min(col(Sales.ORDER_DATE)), max(col(Sales.ORDER_DATE))).first();
    LocalDate first = span.isNullAt(0) ? null : span.getDate(0).toLocalDate();
    CrossSellStage.Plan plan = CrossSellStage.Plan.of(first, asOf, s);
    plan.leftOut().ifPresent(why -> {
      leftOut.add(why);
      ctx.flag(NAME, CrossSellStage.NAME + ".left_out", why);
    });

    CrossSellStage.Selection selection = CrossSellStage.select(ctx, plan, customers, lines, s);
    Optional<CrossSellEvaluation.Result> test = plan.canTest()
        ? CrossSellStage.evaluate(ctx, plan.test(), customers, lines, s, "test") : Optional.empty();
    lines.unpersist();

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
    st.done(String.format(java.util.Locale.ROOT, "%s chosen (%s); version %s, details in %s", selection.published(),
        selection.why(), version, store.evaluationText(version)));
  }
}
