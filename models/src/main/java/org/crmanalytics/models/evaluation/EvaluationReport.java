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
import java.util.function.ToDoubleFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * A model's metrics against named naive baselines (e.g. "recency": days since the last order, or
 * "base_rate": the training churn rate as a constant), the promotion decision and the grade.
 *
 * <p>The best baseline is taken per metric: the highest ROC AUC of any baseline and the highest
 * PR AUC of any baseline (they may come from different baselines).
 *
 * <p>{@link #promoted()}: every check of the {@link PromotionRule} passes ({@link #checks()} says
 * which failed). Grades:
 *
 * <ul>
 *   <li><b>A</b>: promoted, ROC AUC at least {@link #A_ROC_MARGIN} above the best baseline's, and
 *       ECE at most {@link #A_MAX_ECE};
 *   <li><b>B</b>: promoted;
 *   <li><b>C</b>: not promoted.
 * </ul>
 *
 * @param differences per metric ("roc_auc", "pr_auc"), the bootstrap interval of model − best
 *     baseline; empty when the rule has no resamples
 * @param topLift the lift in the top share of the list ({@link PromotionRule#topShare()}) of the
 *     model and of every baseline
 * @param calibration the model's ECE before and after its calibration; null when not known
 */
public record EvaluationReport(String model, String version, ClassifierMetrics metrics,
    Map<String, ClassifierMetrics> baselines, PromotionRule rule, Map<String, Difference> differences,
    TopLift topLift, CalibrationEffect calibration) {
  public static final double A_ROC_MARGIN = 0.03;
  public static final double A_MAX_ECE = 0.05;
  public static final String ROC_AUC = "roc_auc";
  public static final String PR_AUC = "pr_auc";

  /** The bootstrap interval of the model's metric minus that of {@code baseline}. */
  public record Difference(String baseline, PairedBootstrap.Interval interval) {}

  /** One condition of the promotion rule; {@code detail} says what was measured against what. */
  public record Check(String name, boolean passed, String detail) {}

  /** Lift in the top {@code share} of the list by score: the model's and each baseline's. */
  public record TopLift(double share, double model, Map<String, Double> baselines) {
    public TopLift {
      baselines = Collections.unmodifiableMap(new LinkedHashMap<>(baselines));
    }

    /** Whether the metrics already hold the lift of this top share ({@code lift_top10}, {@code lift_top20}). */
    static boolean inMetrics(double share) {
      return share == 0.10 || share == 0.20;
    }

    /** The lifts of {@code lift_top10} or {@code lift_top20}, which the metrics already hold. */
    static TopLift fromMetrics(double share, ClassifierMetrics model, Map<String, ClassifierMetrics> baselines) {
      ToDoubleFunction<ClassifierMetrics> lift;
      if (share == 0.10) {
        lift = ClassifierMetrics::liftTop10;
      } else if (share == 0.20) {
        lift = ClassifierMetrics::liftTop20;
      } else {
        throw new IllegalArgumentException("the metrics hold the lift of the top 10 % and 20 %, not of the top "
            + percent(share) + " %; use EvaluationReport.evaluate");
      }
      Map<String, Double> byName = new LinkedHashMap<>();
      baselines.forEach((name, m) -> byName.put(name, lift.applyAsDouble(m)));
      return new TopLift(share, lift.applyAsDouble(model), byName);
    }

    /** The baseline with the highest lift; the first listed on a tie. */
    public String bestBaseline() {
      String best = null;
      for (Map.Entry<String, Double> e : baselines.entrySet()) {
        if (best == null || e.getValue() > baselines.get(best)) {
          best = e.getKey();
        }
      }
      return best;
    }
  }

  /**
   * The model's expected calibration error on the evaluated rows before its calibration (the
   * classifier's probability with the prior shift only) and after ({@code metrics().ece()}).
   */
  public record CalibrationEffect(String method, double eceBefore, double eceAfter) {}

  public EvaluationReport {
    if (baselines.isEmpty()) {
      throw new IllegalArgumentException("evaluation report for " + model
          + ": at least one baseline is needed to grade the model");
    }
    baselines = Collections.unmodifiableMap(new LinkedHashMap<>(baselines));
    differences = Collections.unmodifiableMap(new LinkedHashMap<>(differences));
    if (!topLift.baselines().keySet().equals(baselines.keySet())) {
      throw new IllegalArgumentException("evaluation report for " + model + ": the top-share lifts name "
          + topLift.baselines().keySet() + ", the baselines " + baselines.keySet());
    }
  }

  /** The lift of the rule's top share taken from the metrics (top 10 % or 20 %); calibration not known. */
  public EvaluationReport(String model, String version, ClassifierMetrics metrics,
      Map<String, ClassifierMetrics> baselines, PromotionRule rule, Map<String, Difference> differences) {
    this(model, version, metrics, baselines, rule, differences, TopLift.fromMetrics(rule.topShare(), metrics,
        baselines), null);
  }

  /** This report with the model's ECE before calibration ({@code eceBefore}, on the same rows) and after. */
  public EvaluationReport withCalibration(String method, double eceBefore) {
    return new EvaluationReport(model, version, metrics, baselines, rule, differences, topLift,
        new CalibrationEffect(method, eceBefore, metrics.ece()));
  }

  /**
   * Evaluates the model's probability column and every baseline column on the same rows (the
   * needed columns are persisted for the duration), and the bootstrap intervals of the rule.
   */
  public static EvaluationReport evaluate(String model, String version, Dataset<Row> data, String labelCol,
      String probabilityCol, Map<String, BaselineScore> baselines, PromotionRule rule) {
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
      Map<String, Difference> differences = new LinkedHashMap<>();
      if (rule.bootstrapResamples() > 0) {
        String bestRoc = best(byName, ClassifierMetrics::rocAuc);
        String bestPr = best(byName, ClassifierMetrics::prAuc);
        // One test snapshot of customers: its label and three scores fit on the driver.
        List<Row> local = rows.select(col(labelCol).cast("double"), col(probabilityCol).cast("double"),
            col(baselines.get(bestRoc).column()).cast("double"), col(baselines.get(bestPr).column()).cast("double"))
            .collectAsList();
        int n = local.size();
        boolean[] churned = new boolean[n];
        double[] p = new double[n];
        double[] roc = new double[n];
        double[] pr = new double[n];
        for (int i = 0; i < n; i++) {
          Row r = local.get(i);
          churned[i] = r.getDouble(0) == 1.0;
          p[i] = r.getDouble(1);
          roc[i] = r.getDouble(2);
          pr[i] = r.getDouble(3);
        }
        differences.put(ROC_AUC, new Difference(bestRoc, PairedBootstrap.difference(churned, p, roc,
            PairedBootstrap.Metric.ROC_AUC, rule.bootstrapResamples(), rule.confidence(), rule.seed())));
        differences.put(PR_AUC, new Difference(bestPr, PairedBootstrap.difference(churned, p, pr,
            PairedBootstrap.Metric.PR_AUC, rule.bootstrapResamples(), rule.confidence(), rule.seed())));
      }
      TopLift topLift;
      if (TopLift.inMetrics(rule.topShare())) {
        topLift = TopLift.fromMetrics(rule.topShare(), metrics, byName);
      } else {
        Map<String, Double> lifts = new LinkedHashMap<>();
        baselines.forEach((name, b) -> lifts.put(name,
            BinaryClassifierEvaluation.liftAtTop(rows, labelCol, b.column(), rule.topShare())));
        topLift = new TopLift(rule.topShare(),
            BinaryClassifierEvaluation.liftAtTop(rows, labelCol, probabilityCol, rule.topShare()), lifts);
      }
      return new EvaluationReport(model, version, metrics, byName, rule, differences, topLift, null);
    } finally {
      rows.unpersist(false);
    }
  }

  private static List<String> concat(String label, String probability, Collection<BaselineScore> baselines) {
    List<String> out = new ArrayList<>(List.of(label, probability));
    baselines.forEach(b -> out.add(b.column()));
    return out;
  }

  /** The baseline with the highest value of {@code metric}; the first listed on a tie. */
  private static String best(Map<String, ClassifierMetrics> baselines, ToDoubleFunction<ClassifierMetrics> metric) {
    String best = null;
    for (Map.Entry<String, ClassifierMetrics> e : baselines.entrySet()) {
      if (best == null || metric.applyAsDouble(e.getValue()) > metric.applyAsDouble(baselines.get(best))) {
        best = e.getKey();
      }
    }
    return best;
  }

  public String bestBaselineRocAucName() {
    return best(baselines, ClassifierMetrics::rocAuc);
  }

  public String bestBaselinePrAucName() {
    return best(baselines, ClassifierMetrics::prAuc);
  }

  public double bestBaselineRocAuc() {
    return baselines.get(bestBaselineRocAucName()).rocAuc();
  }

  public double bestBaselinePrAuc() {
    return baselines.get(bestBaselinePrAucName()).prAuc();
  }

  /** Churned test rows. */
  public long positives() {
    return Math.round(metrics.baseRate() * metrics.rows());
  }

  /** Every condition of the rule, in the order docs/model-evaluation.md lists them. */
  public List<Check> checks() {
    List<Check> checks = new ArrayList<>();
    long rows = metrics.rows();
    long positives = positives();
    long negatives = rows - positives;
    checks.add(new Check("min_test_rows", rows >= rule.minRows(),
        String.format(Locale.ROOT, "%d test rows, at least %d needed (min_test_rows)", rows, rule.minRows())));
    checks.add(new Check("min_positives", positives >= rule.minPositives(), String.format(Locale.ROOT,
        "%d positive test rows (label 1), at least %d needed (min_positives)", positives, rule.minPositives())));
    checks.add(new Check("min_negatives", negatives >= rule.minNegatives(), String.format(Locale.ROOT,
        "%d negative test rows (label 0), at least %d needed (min_negatives)", negatives, rule.minNegatives())));
    checks.add(new Check("beats_chance", metrics.rocAuc() > 0.5,
        String.format(Locale.ROOT, "ROC AUC %.4f must be above 0.5 (a coin toss)", metrics.rocAuc())));
    checks.add(new Check("beats_base_rate", metrics.prAuc() > metrics.baseRate(), String.format(Locale.ROOT,
        "PR AUC %.4f must be above the test base rate %.4f (a random list)", metrics.prAuc(), metrics.baseRate())));
    checks.add(new Check("beats_baselines_roc_auc", metrics.rocAuc() > bestBaselineRocAuc(),
        String.format(Locale.ROOT, "ROC AUC %.4f must be above the best baseline's (%s %.4f)", metrics.rocAuc(),
            bestBaselineRocAucName(), bestBaselineRocAuc())));
    checks.add(new Check("beats_baselines_pr_auc", metrics.prAuc() > bestBaselinePrAuc(),
        String.format(Locale.ROOT, "PR AUC %.4f must be above the best baseline's (%s %.4f)", metrics.prAuc(),
            bestBaselinePrAucName(), bestBaselinePrAuc())));
    checks.add(liftCheck());
    differences.forEach((metric, d) -> {
      PairedBootstrap.Interval i = d.interval();
      checks.add(new Check(metric + "_lower_bound", i.low() > 0, String.format(Locale.ROOT,
          "%s minus %s: %+.4f, %.0f %% bootstrap interval %+.4f to %+.4f (%d resamples); its lower end must be "
              + "above 0", label(metric), d.baseline(), i.estimate(), 100 * i.confidence(), i.low(), i.high(),
          i.resamples())));
    });
    return checks;
  }

  /**
   * The top of the list is where sales acts: a model whose best customers to call hold fewer
   * positives than a rule of thumb's is not an improvement there, whatever its ROC or PR AUC.
   */
  private Check liftCheck() {
    String best = topLift.bestBaseline();
    double baseline = topLift.baselines().get(best);
    double shortfall = baseline - topLift.model();
    String top = "top " + percent(topLift.share()) + " %";
    boolean passed = shortfall <= rule.liftTolerance();
    String detail = passed
        ? String.format(Locale.ROOT, "lift in the %s %.4f, best baseline %s %.4f; it may be at most %.4f below "
            + "(lift_tolerance)", top, topLift.model(), best, baseline, rule.liftTolerance())
        : String.format(Locale.ROOT, "lift in the %s %.4f is %.4f below the best baseline's (%s %.4f), more than the "
            + "%.4f allowed (lift_tolerance): the %s of the model's list hold fewer positives than the %s of %s's",
            top, topLift.model(), shortfall, best, baseline, rule.liftTolerance(), top, top, best);
    return new Check("lift_at_top", passed, detail);
  }

  /** 0.1 → "10", 0.125 → "12.5". */
  static String percent(double share) {
    String p = String.format(Locale.ROOT, "%.1f", 100 * share);
    return p.endsWith(".0") ? p.substring(0, p.length() - 2) : p;
  }

  public List<Check> failedChecks() {
    return checks().stream().filter(c -> !c.passed()).toList();
  }

  public boolean promoted() {
    return failedChecks().isEmpty();
  }

  /** One sentence: promoted, or not promoted and every failed condition. */
  public String verdict() {
    List<Check> failed = failedChecks();
    if (failed.isEmpty()) {
      return "promoted: it passes every check of the promotion rule";
    }
    return "not promoted: " + String.join("; ", failed.stream().map(c -> c.name() + ": " + c.detail()).toList());
  }

  private static String label(String metric) {
    return metric.equals(ROC_AUC) ? "ROC AUC" : "PR AUC";
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
    root.put("verdict", verdict());
    root.set("metrics", metricsJson(mapper, metrics));
    ObjectNode b = root.putObject("baselines");
    baselines.forEach((name, m) -> b.set(name, metricsJson(mapper, m)));
    if (calibration == null) {
      root.putNull("calibration");
    } else {
      ObjectNode c = root.putObject("calibration");
      c.put("method", calibration.method());
      put(c, "ece_before", calibration.eceBefore());
      put(c, "ece_after", calibration.eceAfter());
    }
    ArrayNode bins = root.putArray("reliability");
    for (ReliabilityBin bin : metrics.reliability()) {
      ObjectNode o = bins.addObject();
      put(o, "bin_low", bin.low());
      put(o, "bin_high", bin.high());
      o.put("count", bin.count());
      put(o, "mean_predicted", bin.meanPredicted());
      put(o, "observed", bin.observed());
    }
    ObjectNode promotion = root.putObject("promotion");
    ObjectNode r = promotion.putObject("rule");
    r.put("min_test_rows", rule.minRows());
    r.put("min_positives", rule.minPositives());
    r.put("min_negatives", rule.minNegatives());
    r.put("bootstrap_resamples", rule.bootstrapResamples());
    r.put("confidence", rule.confidence());
    r.put("seed", rule.seed());
    r.put("top_share", rule.topShare());
    r.put("lift_tolerance", rule.liftTolerance());
    ArrayNode checks = promotion.putArray("checks");
    for (Check c : checks()) {
      checks.addObject().put("name", c.name()).put("passed", c.passed()).put("detail", c.detail());
    }
    ObjectNode lift = promotion.putObject("lift_at_top");
    lift.put("share", topLift.share());
    put(lift, "model", topLift.model());
    lift.put("best_baseline", topLift.bestBaseline());
    put(lift, "baseline_lift", topLift.baselines().get(topLift.bestBaseline()));
    ObjectNode diffs = promotion.putObject("differences");
    differences.forEach((metric, d) -> {
      ObjectNode o = diffs.putObject(metric);
      o.put("baseline", d.baseline());
      put(o, "estimate", d.interval().estimate());
      put(o, "low", d.interval().low());
      put(o, "high", d.interval().high());
    });
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
    t.append(String.format(Locale.ROOT, "Model %s %s: grade %s, %s%n", model, version, grade(), verdict()));
    String header = "%-24s %8s %8s %8s %8s %8s %8s %8s %8s %8s %10s%n";
    t.append(String.format(Locale.ROOT, header, "score", "ROC AUC", "PR AUC", "lift10", "capt10", "lift20",
        "capt20", "Brier", "logloss", "ECE", "rows"));
    row(t, model, metrics);
    baselines.forEach((name, m) -> row(t, "baseline " + name, m));
    if (calibration != null) {
      t.append(String.format(Locale.ROOT, "%nCalibration: %s%nECE %s before calibration (prior shift only), %s "
          + "after%n", calibration.method(), number(calibration.eceBefore()), number(calibration.eceAfter())));
    }
    t.append(String.format(Locale.ROOT, "%nPromotion checks%n"));
    for (Check c : checks()) {
      t.append(String.format(Locale.ROOT, "%-6s %-26s %s%n", c.passed() ? "pass" : "FAIL", c.name(), c.detail()));
    }
    if (!metrics.reliability().isEmpty()) {
      t.append(String.format(Locale.ROOT, "%nReliability (predicted vs observed rate)%n"));
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
