package org.crmanalytics.jobs.crosssell;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.List;
import org.crmanalytics.jobs.io.ModelStore;
import org.crmanalytics.models.crosssell.CrossSellEvaluation;
import org.crmanalytics.models.crosssell.CrossSellSettings;
import org.crmanalytics.models.crosssell.RankingMetrics;

/**
 * The cross-sell evaluation file, as JSON and as text (the two files churn and payment risk write
 * beside a model): which ranking was published and on which period it was chosen, the grades of
 * every method and baseline on the test period, and what was left out.
 */
final class CrossSellReport {
  static final String RULE = "the blend is published only when its NDCG@k on the validation period (recommend at "
      + "as_of − 2 × horizon, observe up to as_of − horizon) is higher than the white space's; otherwise, and "
      + "whenever there is no validation period, the white space. The test period (recommend at as_of − horizon, "
      + "observe up to as_of) is reported and never chosen on.";

  private CrossSellReport() {}

  static String json(LocalDate asOf, CrossSellSettings s, CrossSellTrainingJob.Plan plan, CrossSellTrainingJob.Selection selection,
      CrossSellEvaluation.Result test, List<String> leftOut) {
    ObjectNode root = ModelStore.JSON.createObjectNode();
    root.put("model", CrossSellStage.NAME);
    root.put("as_of", asOf.toString());
    root.put("level", s.level());
    root.put("k", s.topK());
    root.put("lookback_months", s.lookbackMonths());
    root.put("horizon_months", s.horizonMonths());
    root.put("first_order", plan.firstOrder() == null ? null : plan.firstOrder().toString());
    root.put("published", selection.published());
    ObjectNode sel = root.putObject("selection");
    sel.put("evaluated_on", selection.validation() == null ? null : "validation");
    sel.put("chosen", selection.published());
    sel.put("rule", RULE);
    sel.put("why", selection.why());
    if (selection.validation() != null) {
      grades(sel, selection.validation());
    }
    if (test == null) {
      root.putNull("test");
    } else {
      grades(root.putObject("test"), test);
    }
    ArrayNode left = root.putArray("left_out");
    leftOut.forEach(left::add);
    return root.toPrettyString();
  }

  private static void grades(ObjectNode into, CrossSellEvaluation.Result r) {
    into.put("recommended_at", r.recommendedAt().toString());
    into.put("observed_until", r.observedUntil().toString());
    ObjectNode methods = into.putObject("methods");
    for (CrossSellEvaluation.MethodResult m : r.methods()) {
      RankingMetrics.Metrics x = m.metrics();
      ObjectNode o = methods.putObject(m.method());
      o.put("customers", x.customers());
      o.put("hit_rate", x.hitRate());
      o.put("precision_at_k", x.precisionAtK());
      o.put("recall_at_k", x.recallAtK());
      o.put("ndcg_at_k", x.ndcgAtK());
      number(o, "predicted_eur", m.predictedEuro());
      number(o, "realised_eur", m.realisedEuro());
      number(o, "realised_share", m.realisedShare());
    }
  }

  private static void number(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.putNull(key);
    }
  }

  static String text(LocalDate asOf, CrossSellSettings s, CrossSellTrainingJob.Plan plan, CrossSellTrainingJob.Selection selection,
      CrossSellEvaluation.Result test, List<String> leftOut) {
    StringBuilder t = new StringBuilder();
    t.append("Cross-sell as of ").append(asOf).append(", level ").append(s.level()).append(", top ").append(s.topK())
        .append('\n');
    t.append("Published: ").append(selection.published()).append(" (").append(selection.why()).append(")\n");
    t.append("Rule: ").append(RULE).append('\n');
    leftOut.forEach(l -> t.append("Left out: ").append(l).append('\n'));
    if (selection.validation() != null) {
      t.append("\nValidation ").append(selection.validation().recommendedAt()).append(" to ")
          .append(selection.validation().observedUntil()).append(" (chosen on):\n");
      selection.validation().lines().forEach(l -> t.append(l).append('\n'));
    }
    if (test != null) {
      t.append("\nTest ").append(test.recommendedAt()).append(" to ").append(test.observedUntil()).append(" (reported):\n");
      test.lines().forEach(l -> t.append(l).append('\n'));
    } else {
      t.append("\nNo test period: too little history.\n");
    }
    return t.toString();
  }
}
