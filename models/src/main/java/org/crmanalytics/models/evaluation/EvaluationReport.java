package org.crmanalytics.models.evaluation;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * A model's metrics against named naive baselines (e.g. "recency": days since the last order, or
 * "last_year_churn_rate": a constant), the grade and the promotion decision.
 *
 * <p>The best baseline is taken per metric: the highest ROC AUC of any baseline and the highest
 * PR AUC of any baseline (they may come from different baselines).
 *
 * <ul>
 *   <li><b>A</b>: ROC AUC at least {@link #A_ROC_MARGIN} above the best baseline's, PR AUC above the
 *       best baseline's, and ECE at most {@link #A_MAX_ECE};
 *   <li><b>B</b>: ROC AUC and PR AUC both above the best baseline's;
 *   <li><b>C</b>: otherwise.
 * </ul>
 *
 * {@link #promoted()}: the model beats the best baseline on ROC AUC and on PR AUC, i.e. grade A or B.
 */
public record EvaluationReport(String model, String version, ClassifierMetrics metrics,
    Map<String, ClassifierMetrics> baselines) {
  public static final double A_ROC_MARGIN = 0.03;
  public static final double A_MAX_ECE = 0.05;

  public EvaluationReport {
    if (baselines.isEmpty()) {
      throw new IllegalArgumentException("evaluation report for " + model
          + ": at least one baseline is needed to grade the model");
    }
    baselines = Collections.unmodifiableMap(new LinkedHashMap<>(baselines));
  }

  /**
   * Evaluates the model's probability column and every baseline column on the same rows (the
   * needed columns are persisted for the duration).
   */
  public static EvaluationReport evaluate(String model, String version, Dataset<Row> data, String labelCol,
      String probabilityCol, Map<String, BaselineScore> baselines) {
    List<Column> needed = new ArrayList<>();
    for (String c : concat(labelCol, probabilityCol, baselines.values())) {
      if (!Arrays.asList(data.columns()).contains(c)) {
        throw new IllegalArgumentException("evaluation of " + model + ": no column '" + c + "' among "
            + Arrays.toString(data.columns()));
      }
      needed.add(col(c));
    }
    Dataset<Row> rows = data.select(needed.stream().distinct().toArray(Column[]::new))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      ClassifierMetrics metrics = BinaryClassifierEvaluation.evaluate(rows, labelCol, probabilityCol,
          ScoreKind.PROBABILITY);
      Map<String, ClassifierMetrics> byName = new LinkedHashMap<>();
      baselines.forEach((name, b) -> byName.put(name,
          BinaryClassifierEvaluation.evaluate(rows, labelCol, b.column(), b.kind())));
      return new EvaluationReport(model, version, metrics, byName);
    } finally {
      rows.unpersist(false);
    }
  }

  private static List<String> concat(String label, String probability, Collection<BaselineScore> baselines) {
    List<String> out = new ArrayList<>(List.of(label, probability));
    baselines.forEach(b -> out.add(b.column()));
    return out;
  }

  public double bestBaselineRocAuc() {
    return baselines.values().stream().mapToDouble(ClassifierMetrics::rocAuc).max().orElseThrow();
  }

  public double bestBaselinePrAuc() {
    return baselines.values().stream().mapToDouble(ClassifierMetrics::prAuc).max().orElseThrow();
  }

  public boolean promoted() {
    return metrics.rocAuc() > bestBaselineRocAuc() && metrics.prAuc() > bestBaselinePrAuc();
  }

  public Grade grade() {
    if (!promoted()) {
      return Grade.C;
    }
    // NaN (a ranking score has no ECE) fails the comparison, so such a model gets at most B.
    boolean calibrated = metrics.ece() <= A_MAX_ECE;
    return metrics.rocAuc() >= bestBaselineRocAuc() + A_ROC_MARGIN && calibrated ? Grade.A : Grade.B;
  }

  /** The layout the scorecard reads (docs/model-evaluation.md); NaN becomes null. */
  public String toJson() {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("model", model);
    root.put("version", version);
    root.put("grade", grade().name());
    root.put("promoted", promoted());
    root.set("metrics", metricsJson(mapper, metrics));
    ObjectNode b = root.putObject("baselines");
    baselines.forEach((name, m) -> b.set(name, metricsJson(mapper, m)));
    ArrayNode bins = root.putArray("reliability");
    for (ReliabilityBin bin : metrics.reliability()) {
      ObjectNode o = bins.addObject();
      put(o, "bin_low", bin.low());
      put(o, "bin_high", bin.high());
      o.put("count", bin.count());
      put(o, "mean_predicted", bin.meanPredicted());
      put(o, "observed", bin.observed());
    }
    try {
      return mapper.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("evaluation report for " + model + " could not be written as JSON", e);
    }
  }

  private static ObjectNode metricsJson(ObjectMapper mapper, ClassifierMetrics m) {
    ObjectNode o = mapper.createObjectNode();
    put(o, "roc_auc", m.rocAuc());
    put(o, "pr_auc", m.prAuc());
    put(o, "brier", m.brier());
    put(o, "log_loss", m.logLoss());
    put(o, "base_rate", m.baseRate());
    put(o, "lift_top10", m.liftTop10());
    put(o, "capture_top10", m.captureTop10());
    put(o, "lift_top20", m.liftTop20());
    put(o, "capture_top20", m.captureTop20());
    put(o, "ece", m.ece());
    o.put("rows", m.rows());
    return o;
  }

  private static void put(ObjectNode o, String key, double value) {
    if (Double.isFinite(value)) {
      o.put(key, value);
    } else {
      o.putNull(key);
    }
  }

  /** A plain-text table for logs and e-mails. */
  public String toText() {
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "Model %s %s: grade %s, %s%n", model, version, grade(),
        promoted() ? "promoted (beats every baseline on ROC AUC and PR AUC)" : "not promoted"));
    String header = "%-24s %8s %8s %8s %8s %8s %8s %8s %8s %8s %10s%n";
    t.append(String.format(Locale.ROOT, header, "score", "ROC AUC", "PR AUC", "lift10", "capt10", "lift20",
        "capt20", "Brier", "logloss", "ECE", "rows"));
    row(t, model, metrics);
    baselines.forEach((name, m) -> row(t, "baseline " + name, m));
    if (!metrics.reliability().isEmpty()) {
      t.append(String.format(Locale.ROOT, "%nReliability (predicted vs observed churn rate)%n"));
      t.append(String.format(Locale.ROOT, "%-12s %10s %14s %10s%n", "bin", "count", "mean predicted", "observed"));
      for (ReliabilityBin b : metrics.reliability()) {
        t.append(String.format(Locale.ROOT, "%-12s %10d %14s %10s%n",
            String.format(Locale.ROOT, "%.1f-%.1f", b.low(), b.high()), b.count(), number(b.meanPredicted()),
            number(b.observed())));
      }
    }
    return t.toString();
  }

  private static void row(StringBuilder t, String name, ClassifierMetrics m) {
    t.append(String.format(Locale.ROOT, "%-24s %8s %8s %8s %8s %8s %8s %8s %8s %8s %10d%n", name,
        number(m.rocAuc()), number(m.prAuc()), number(m.liftTop10()), number(m.captureTop10()),
        number(m.liftTop20()), number(m.captureTop20()), number(m.brier()), number(m.logLoss()), number(m.ece()),
        m.rows()));
  }

  private static String number(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "-";
  }
}
