package org.crmanalytics.tools.bench;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.paymentrisk.PaymentTrainingJob;
import org.crmanalytics.models.evaluation.BinaryClassifierEvaluation;
import org.crmanalytics.models.evaluation.ClassifierMetrics;
import org.crmanalytics.models.evaluation.ScoreKind;
import org.crmanalytics.tools.generate.GroundTruth.CustomerTruth;

/**
 * Grades a trained payment-default model of a generated company against the generator's oracle:
 * on the model's own test snapshot (its saved test predictions), the model, each naive rule a credit
 * manager uses, and the ground truth's default hazard turned into the probability of a default
 * within the model's horizon, {@code d / (d + c) · (1 − exp(−(d + c) · h))} (GroundTruth). Brier
 * is reported for the probabilities only; the rules are rankings.
 */
public final class OracleGrade {
  public static final String ORACLE = "oracle (annual_default_hazard)";

  private OracleGrade() {}

  /** One score's metrics on the test snapshot. */
  public record Line(String score, ClassifierMetrics metrics) {}

  /**
   * @param version the model version's folder (models/payment_risk/VERSION)
   * @param company the generated company's folder (with ground_truth/)
   * @param format csv or parquet, as generated
   */
  public static List<Line> grade(SparkSession spark, Path version, Path company, String format) throws IOException {
    JsonNode meta = new ObjectMapper().readTree(Files.readString(version.resolve("metadata.json")));
    JsonNode evaluation = new ObjectMapper().readTree(Files.readString(version.resolve("evaluation.json")));
    double years = meta.path("horizon_months").asInt() / 12.0;
    Dataset<Row> predictions = spark.read().parquet(version.resolve("test_predictions").toString());
    Path truthPath = company.resolve("ground_truth").resolve(CustomerTruth.NAME);
    Dataset<Row> truth = format.equals("parquet") ? spark.read().parquet(truthPath.toString())
        : spark.read().option("header", true).option("inferSchema", true).csv(truthPath.toString());
    Column d = col(CustomerTruth.ANNUAL_DEFAULT_HAZARD).cast("double");
    Column c = coalesce(col(CustomerTruth.ANNUAL_CHURN_HAZARD).cast("double"), lit(0.0));
    Column oracle = d.divide(d.plus(c)).multiply(lit(1.0).minus(exp(d.plus(c).multiply(-years))));
    Dataset<Row> rows = predictions.join(truth.select(col(CustomerTruth.CUSTOMER_ID), oracle.as("_oracle")),
        CustomerTruth.CUSTOMER_ID).cache();

    Map<String, ScoreKind> scores = new LinkedHashMap<>();
    scores.put("model (" + meta.path("algorithm").asText() + ")", ScoreKind.PROBABILITY);
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("model (" + meta.path("algorithm").asText() + ")", "default_probability");
    evaluation.path("baselines").fieldNames().forEachRemaining(b -> {
      String column = PaymentTrainingJob.ruleColumn(b);
      if (column != null && List.of(predictions.columns()).contains(column)) {
        scores.put("rule: " + b, ScoreKind.RANKING);
        columns.put("rule: " + b, column);
      }
    });
    scores.put(ORACLE, ScoreKind.PROBABILITY);
    columns.put(ORACLE, "_oracle");
    List<Line> lines = new ArrayList<>();
    for (Map.Entry<String, ScoreKind> s : scores.entrySet()) {
      Dataset<Row> scored = rows.withColumn("_score", coalesce(col(columns.get(s.getKey())).cast("double"), lit(0.0)));
      lines.add(new Line(s.getKey(), BinaryClassifierEvaluation.evaluate(scored, "label", "_score", s.getValue())));
    }
    rows.unpersist();
    return lines;
  }

  /** A Markdown table of the lines and the two goals, measured. */
  public static String table(List<Line> lines) {
    StringBuilder t = new StringBuilder();
    ClassifierMetrics first = lines.get(0).metrics();
    t.append(String.format(Locale.ROOT, "test rows %,d, defaults %.0f (base rate %.4f)%n%n", first.rows(),
        first.rows() * first.baseRate(), first.baseRate()));
    t.append("| score | ROC AUC | PR AUC | lift@10% | Brier |\n|---|---:|---:|---:|---:|\n");
    double bestRule = 0;
    for (Line l : lines) {
      ClassifierMetrics m = l.metrics();
      t.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.2f | %s |%n", l.score(), m.rocAuc(), m.prAuc(),
          m.liftTop10(), Double.isNaN(m.brier()) ? "" : String.format(Locale.ROOT, "%.4f", m.brier())));
      if (l.score().startsWith("rule: ")) {
        bestRule = Math.max(bestRule, m.rocAuc());
      }
    }
    ClassifierMetrics model = first;
    ClassifierMetrics oracle = lines.get(lines.size() - 1).metrics();
    t.append(String.format(Locale.ROOT, "%nmodel ROC AUC minus the best rule's: %+.4f (goal ≥ +0.05)%n",
        model.rocAuc() - bestRule));
    t.append(String.format(Locale.ROOT, "model lift@10%% / oracle lift@10%%: %.0f %% (goal ≥ 80 %%)%n",
        100 * model.liftTop10() / oracle.liftTop10()));
    return t.toString();
  }
}
