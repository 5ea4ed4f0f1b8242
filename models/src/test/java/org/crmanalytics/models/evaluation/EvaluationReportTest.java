package org.crmanalytics.models.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The grade and promotion rules at their edges, and the JSON layout the scorecard reads. */
@Tag("unit")
class EvaluationReportTest {
  private static ClassifierMetrics metrics(double roc, double pr, double ece) {
    List<ReliabilityBin> bins = new ArrayList<>();
    for (int b = 0; b < 10; b++) {
      bins.add(b == 0 ? new ReliabilityBin(0, 0.1, 0, Double.NaN, Double.NaN)
          : new ReliabilityBin(b / 10.0, (b + 1) / 10.0, 10L * b, b / 10.0 + 0.05, b / 10.0));
    }
    return new ClassifierMetrics(1000, 0.2, roc, pr, 3.1, 0.31, 2.4, 0.48, 0.12, 0.38, ece, bins);
  }

  private static EvaluationReport report(ClassifierMetrics model) {
    Map<String, ClassifierMetrics> baselines = new LinkedHashMap<>();
    baselines.put("recency", new ClassifierMetrics(1000, 0.2, 0.70, 0.30, 2.0, 0.2, 1.8, 0.36, Double.NaN,
        Double.NaN, Double.NaN, List.of()));
    baselines.put("last_year_rate", new ClassifierMetrics(1000, 0.2, 0.50, 0.35, 1.0, 0.1, 1.0, 0.2, 0.16, 0.5,
        0.0, List.of()));
    return new EvaluationReport("churn-gbt", "2026-11-30", model, baselines, PromotionRule.DEFAULT, Map.of());
  }

  /** The case of issue 17: 82 test rows, 5 churners, baselines worse than chance. */
  private static EvaluationReport tiny(double lowerBound) {
    ClassifierMetrics model = new ClassifierMetrics(82, 5 / 82.0, 0.522, 0.077, 1.6, 0.2, 1.2, 0.2, 0.06, 0.25,
        0.04, List.of());
    Map<String, ClassifierMetrics> baselines = new LinkedHashMap<>();
    baselines.put("recency", new ClassifierMetrics(82, 5 / 82.0, 0.46, 0.05, 0.0, 0.0, 0.8, 0.2, Double.NaN,
        Double.NaN, Double.NaN, List.of()));
    baselines.put("p_alive", new ClassifierMetrics(82, 5 / 82.0, 0.41, 0.055, 0.0, 0.0, 0.8, 0.2, 0.3, 0.9, 0.3,
        List.of()));
    Map<String, EvaluationReport.Difference> d = Map.of(EvaluationReport.ROC_AUC,
        new EvaluationReport.Difference("recency", new PairedBootstrap.Interval(0.062, lowerBound, 0.31, 1000, 0.95)));
    return new EvaluationReport("churn-lr", "v1", model, baselines, PromotionRule.DEFAULT, d);
  }

  private static List<String> failed(EvaluationReport r) {
    return r.failedChecks().stream().map(EvaluationReport.Check::name).toList();
  }

  @Test
  void aTinyWeakTestSetIsNotEnoughToPromote() {
    EvaluationReport r = tiny(-0.21);
    assertFalse(r.promoted());
    assertEquals(Grade.C, r.grade());
    assertEquals(List.of("min_test_rows", "min_positives", "roc_auc_lower_bound"), failed(r));
    assertTrue(r.verdict().startsWith("not promoted: min_test_rows: 82 test rows, at least 100 needed (min_test_rows); "
        + "min_positives: 5 positive test rows (label 1), at least 20 needed (min_positives); roc_auc_lower_bound: ROC AUC minus "
        + "recency: +0.0620, 95 % bootstrap interval -0.2100 to +0.3100 (1000 resamples)"), r.verdict());
    // With enough rows the same figures still fail the sampling-error bound.
    EvaluationReport lenient = new EvaluationReport("churn-lr", "v1", r.metrics(), r.baselines(),
        new PromotionRule(50, 5, 5, 1000, 0.95, 42), r.differences());
    assertEquals(List.of("roc_auc_lower_bound"), failed(lenient));
    EvaluationReport zero = new EvaluationReport("churn-lr", "v1", r.metrics(), r.baselines(),
        new PromotionRule(50, 5, 5, 1000, 0.95, 42), Map.of(EvaluationReport.ROC_AUC, new EvaluationReport.Difference(
            "recency", new PairedBootstrap.Interval(0.062, 0.0, 0.31, 1000, 0.95))));
    assertEquals(List.of("roc_auc_lower_bound"), failed(zero), "a lower end of exactly 0 is not above 0");
    assertTrue(new EvaluationReport("churn-lr", "v1", r.metrics(), r.baselines(),
        new PromotionRule(50, 5, 5, 1000, 0.95, 42), Map.of(EvaluationReport.ROC_AUC, new EvaluationReport.Difference(
            "recency", new PairedBootstrap.Interval(0.062, 0.001, 0.31, 1000, 0.95)))).promoted());
  }

  @Test
  void baselinesWorseThanChanceDoNotLowerTheBar() {
    // Both baselines rank worse than a coin toss; the model must still beat 0.5 and the base rate.
    Map<String, ClassifierMetrics> bad = new LinkedHashMap<>();
    bad.put("recency", new ClassifierMetrics(1000, 0.2, 0.40, 0.15, 0.5, 0.05, 0.5, 0.1, Double.NaN, Double.NaN,
        Double.NaN, List.of()));
    PromotionRule rule = PromotionRule.DEFAULT;
    EvaluationReport belowChance = new EvaluationReport("m", "v", metrics(0.49, 0.25, 0.01), bad, rule, Map.of());
    assertEquals(List.of("beats_chance"), failed(belowChance));
    assertTrue(belowChance.verdict().contains("beats_chance: ROC AUC 0.4900 must be above 0.5 (a coin toss)"),
        belowChance.verdict());
    EvaluationReport belowBaseRate = new EvaluationReport("m", "v", metrics(0.55, 0.19, 0.01), bad, rule, Map.of());
    assertEquals(List.of("beats_base_rate"), failed(belowBaseRate));
    assertTrue(belowBaseRate.verdict().contains("PR AUC 0.1900 must be above the test base rate 0.2000"),
        belowBaseRate.verdict());
    assertTrue(new EvaluationReport("m", "v", metrics(0.55, 0.21, 0.01), bad, rule, Map.of()).promoted());
  }

  @Test
  void gradesAgainstTheBestBaselinePerMetric() {
    // Best baseline: ROC AUC 0.70 (recency), PR AUC 0.35 (last_year_rate).
    assertEquals(Grade.A, report(metrics(0.73, 0.36, 0.05)).grade(), "margin 0.03 reached, ECE at the limit");
    assertEquals(Grade.B, report(metrics(0.729, 0.36, 0.01)).grade(), "ROC AUC margin short of 0.03");
    assertEquals(Grade.B, report(metrics(0.80, 0.36, 0.051)).grade(), "ECE above 0.05");
    assertEquals(Grade.B, report(metrics(0.80, 0.36, Double.NaN)).grade(), "no ECE: at most B");
    assertEquals(Grade.C, report(metrics(0.80, 0.35, 0.01)).grade(), "PR AUC only equal to the best baseline's");
    assertEquals(Grade.C, report(metrics(0.70, 0.50, 0.01)).grade(), "ROC AUC only equal");
    assertTrue(report(metrics(0.701, 0.351, 0.2)).promoted());
    assertFalse(report(metrics(0.80, 0.34, 0.01)).promoted());
  }

  /** The case of issue 22: a model promoted with lift@10 % 1.697 while the recency rule had 1.789. */
  @Test
  void aModelWhoseTopOfTheListIsWorseThanABaselinesIsRefusedInPlainWords() {
    Map<String, ClassifierMetrics> baselines = new LinkedHashMap<>();
    baselines.put("recency", new ClassifierMetrics(1000, 0.2, 0.60, 0.30, 1.789, 0.1789, 1.6, 0.32, Double.NaN,
        Double.NaN, Double.NaN, List.of()));
    baselines.put("base_rate", new ClassifierMetrics(1000, 0.2, 0.50, 0.20, 1.0, 0.1, 1.0, 0.2, 0.16, 0.5, 0.0,
        List.of()));
    ClassifierMetrics model = withLiftTop10(metrics(0.75, 0.40, 0.03), 1.697);
    EvaluationReport refused = new EvaluationReport("churn-gbt", "v1", model, baselines, PromotionRule.DEFAULT, Map.of());
    assertEquals(List.of("lift_at_top"), failed(refused), "ROC and PR AUC beat every baseline; only the lift fails");
    assertEquals(Grade.C, refused.grade());
    assertTrue(refused.verdict().contains("lift_at_top: lift in the top 10 % 1.6970 is 0.0920 below the best "
        + "baseline's (recency 1.7890), more than the 0.0500 allowed (lift_tolerance): the top 10 % of the model's "
        + "list hold fewer positives than the top 10 % of recency's"), refused.verdict());
    assertTrue(refused.toText().contains("FAIL   lift_at_top"), refused.toText());

    // Within the tolerance, equal, or above: accepted.
    for (double lift : new double[] {1.74, 1.789, 2.5}) {
      EvaluationReport r = new EvaluationReport("churn-gbt", "v1", withLiftTop10(model, lift), baselines,
          PromotionRule.DEFAULT, Map.of());
      assertTrue(r.promoted(), lift + ": " + r.verdict());
    }
    // A wider tolerance lets 1.697 through; a zero tolerance refuses anything below.
    assertTrue(new EvaluationReport("churn-gbt", "v1", model, baselines,
        new PromotionRule(100, 20, 20, 1000, 0.95, 42, 0.10, 0.1), Map.of()).promoted());
    assertEquals(List.of("lift_at_top"), failed(new EvaluationReport("churn-gbt", "v1", withLiftTop10(model, 1.788),
        baselines, new PromotionRule(100, 20, 20, 1000, 0.95, 42, 0.10, 0.0), Map.of())));
    // The share is the rule's: at the top 20 % the model (2.4) is ahead of recency (1.6).
    assertTrue(new EvaluationReport("churn-gbt", "v1", model, baselines,
        new PromotionRule(100, 20, 20, 1000, 0.95, 42, 0.20, 0.05), Map.of()).promoted());
  }

  private static ClassifierMetrics withLiftTop10(ClassifierMetrics m, double lift) {
    return new ClassifierMetrics(m.rows(), m.baseRate(), m.rocAuc(), m.prAuc(), lift, lift * 0.1, m.liftTop20(),
        m.captureTop20(), m.brier(), m.logLoss(), m.ece(), m.reliability());
  }

  @Test
  void theTextShowsTheEceBeforeAndAfterCalibration() {
    String text = report(metrics(0.72, 0.40, 0.03)).withCalibration("Platt scaling", 0.0812).toText();
    assertTrue(text.contains("Calibration: Platt scaling\nECE 0.0812 before calibration (prior shift only), 0.0300 after"),
        text);
  }

  @Test
  void aReportNeedsABaseline() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new EvaluationReport("churn-gbt", "v1", metrics(0.8, 0.4, 0.01), Map.of(), PromotionRule.DEFAULT,
            Map.of()));
    assertEquals("evaluation report for churn-gbt: at least one baseline is needed to grade the model", e.getMessage());
  }

  @Test
  void jsonHasTheAgreedKeysAndNullForUndefinedValues() throws Exception {
    JsonNode json = new ObjectMapper().readTree(report(metrics(0.75, 0.40, 0.03)).toJson());
    assertEquals(List.of("model", "version", "grade", "promoted", "verdict", "metrics", "baselines", "calibration",
        "reliability", "promotion"), names(json));
    assertTrue(json.get("calibration").isNull(), "not known to the report unless given");
    assertEquals("promoted: it passes every check of the promotion rule", json.get("verdict").asText());
    assertEquals(List.of("rule", "checks", "lift_at_top", "differences"), names(json.get("promotion")));
    assertEquals(List.of("share", "model", "best_baseline", "baseline_lift"),
        names(json.get("promotion").get("lift_at_top")));
    assertEquals(0.1, json.get("promotion").get("rule").get("top_share").asDouble());
    assertEquals("recency", json.get("promotion").get("lift_at_top").get("best_baseline").asText());
    JsonNode calibrated = new ObjectMapper().readTree(report(metrics(0.75, 0.40, 0.03))
        .withCalibration("isotonic regression", 0.09).toJson()).get("calibration");
    assertEquals(List.of("method", "ece_before", "ece_after"), names(calibrated));
    assertEquals(0.09, calibrated.get("ece_before").asDouble());
    assertEquals(0.03, calibrated.get("ece_after").asDouble(), "the model's own ECE");
    assertEquals(100, json.get("promotion").get("rule").get("min_test_rows").asInt());
    assertEquals("min_test_rows", json.get("promotion").get("checks").get(0).get("name").asText());
    JsonNode tinyJson = new ObjectMapper().readTree(tiny(-0.2).toJson());
    assertFalse(tinyJson.get("promoted").asBoolean());
    assertEquals(-0.2, tinyJson.get("promotion").get("differences").get("roc_auc").get("low").asDouble());
    assertEquals("recency", tinyJson.get("promotion").get("differences").get("roc_auc").get("baseline").asText());
    assertEquals("churn-gbt", json.get("model").asText());
    assertEquals("2026-11-30", json.get("version").asText());
    assertEquals("A", json.get("grade").asText());
    assertTrue(json.get("promoted").asBoolean());
    List<String> metricKeys = List.of("roc_auc", "pr_auc", "brier", "log_loss", "base_rate", "lift_top10",
        "capture_top10", "lift_top20", "capture_top20", "ece", "rows");
    assertEquals(metricKeys, names(json.get("metrics")));
    assertEquals(0.75, json.get("metrics").get("roc_auc").asDouble());
    assertEquals(1000, json.get("metrics").get("rows").asLong());
    assertEquals(List.of("recency", "last_year_rate"), names(json.get("baselines")));
    assertEquals(metricKeys, names(json.get("baselines").get("recency")));
    assertTrue(json.get("baselines").get("recency").get("brier").isNull(), "NaN is written as null");
    JsonNode bins = json.get("reliability");
    assertEquals(10, bins.size());
    assertEquals(List.of("bin_low", "bin_high", "count", "mean_predicted", "observed"), names(bins.get(0)));
    assertTrue(bins.get(0).get("mean_predicted").isNull());
    assertEquals(0.3, bins.get(3).get("bin_low").asDouble(), 1e-12);
    assertEquals(30, bins.get(3).get("count").asLong());
  }

  @Test
  void textNamesGradeModelAndBaselines() {
    String text = report(metrics(0.72, 0.40, 0.03)).toText();
    assertTrue(text.startsWith("Model churn-gbt 2026-11-30: grade B, promoted: it passes every check"), text);
    assertTrue(tiny(-0.2).toText().contains("FAIL   min_test_rows              82 test rows, at least 100 needed"),
        tiny(-0.2).toText());
    assertTrue(text.contains("churn-gbt                  0.7200   0.4000"), text);
    assertTrue(text.contains("baseline recency           0.7000   0.3000"), text);
    assertTrue(text.contains("0.3-0.4              30         0.3500     0.3000"), text);
  }

  private static List<String> names(JsonNode node) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }
}
