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
import org.junit.jupiter.api.Test;

/** The grade and promotion rules at their edges, and the JSON layout the scorecard reads. */
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
    return new EvaluationReport("churn-gbt", "2026-11-30", model, baselines);
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

  @Test
  void aReportNeedsABaseline() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new EvaluationReport("churn-gbt", "v1", metrics(0.8, 0.4, 0.01), Map.of()));
    assertEquals("evaluation report for churn-gbt: at least one baseline is needed to grade the model", e.getMessage());
  }

  @Test
  void jsonHasTheAgreedKeysAndNullForUndefinedValues() throws Exception {
    JsonNode json = new ObjectMapper().readTree(report(metrics(0.75, 0.40, 0.03)).toJson());
    assertEquals(List.of("model", "version", "grade", "promoted", "metrics", "baselines", "reliability"),
        names(json));
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
    assertTrue(text.startsWith("Model churn-gbt 2026-11-30: grade B, promoted"), text);
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
