package org.crmanalytics.models.evaluation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Exact metrics on hand-made rows (arithmetic in the comments) and properties of the ranking metrics. */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class BinaryClassifierEvaluationTest {
  private static final double EPS = 1e-12;
  private static final StructType SCHEMA = new StructType()
      .add("churned", DataTypes.IntegerType, true)
      .add("p", DataTypes.DoubleType, true);
  private static SparkSession spark;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
  }

  private static Dataset<Row> frame(double[] scores, int[] labels, int partitions) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      rows.add(RowFactory.create(labels[i], scores[i]));
    }
    return spark.createDataFrame(rows, SCHEMA).repartition(partitions);
  }

  // Ten customers, 4 churned; two share the score 0.85 (one churned, one not). Scores sit mid-bin.
  private static final double[] S = {0.95, 0.85, 0.85, 0.75, 0.65, 0.55, 0.45, 0.35, 0.25, 0.15};
  private static final int[] Y = {1, 1, 0, 0, 1, 0, 0, 0, 1, 0};

  @Test
  void handMadeRowsGiveTheHandComputedMetrics() {
    ClassifierMetrics m = BinaryClassifierEvaluation.evaluate(frame(S, Y, 3), "churned", "p", ScoreKind.PROBABILITY);
    assertEquals(10, m.rows());
    assertEquals(0.4, m.baseRate(), EPS);
    // Pairs (churned, stayed) ranked right, ties half: 0.95 beats 6, 0.85 beats 5 + tie 0.5, 0.65 beats
    // 4, 0.25 beats 1: 16.5 of 4 x 6 = 24 pairs.
    assertEquals(16.5 / 24, m.rocAuc(), EPS, "ROC AUC");
    // Precision after each churner's group: 1/1, 2/3 (the tied group of two), 3/5, 4/9.
    assertEquals((1 + 2.0 / 3 + 3.0 / 5 + 4.0 / 9) / 4, m.prAuc(), EPS, "average precision");
    // Top 10 % = 1 row (0.95, churned): 1 of 4 churners, rate 1 / base 0.4.
    assertEquals(0.25, m.captureTop10(), EPS, "capture top 10 %");
    assertEquals(2.5, m.liftTop10(), EPS, "lift top 10 %");
    // Top 20 % = 2 rows: 0.95 and half of the tied pair at 0.85 (1 churner of 2): 1.5 churners.
    assertEquals(0.375, m.captureTop20(), EPS, "capture top 20 %");
    assertEquals(1.5 / 2 / 0.4, m.liftTop20(), EPS, "lift top 20 %");
    // Squared errors: .0025 .0225 .7225 .5625 .1225 .3025 .2025 .1225 .5625 .0225 = 2.645.
    assertEquals(0.2645, m.brier(), EPS, "Brier");
    double logLikelihood = Math.log(0.95) + Math.log(0.85) + Math.log(0.15) + Math.log(0.25) + Math.log(0.65)
        + Math.log(0.45) + Math.log(0.55) + Math.log(0.65) + Math.log(0.25) + Math.log(0.85);
    assertEquals(-logLikelihood / 10, m.logLoss(), EPS, "log loss");

    assertEquals(10, m.reliability().size());
    ReliabilityBin empty = m.reliability().get(0);
    assertEquals(0, empty.count());
    assertTrue(Double.isNaN(empty.meanPredicted()) && Double.isNaN(empty.observed()), "an empty bin has no means");
    ReliabilityBin tied = m.reliability().get(8);
    assertEquals(0.8, tied.low(), EPS);
    assertEquals(0.9, tied.high(), EPS);
    assertEquals(2, tied.count());
    assertEquals(0.85, tied.meanPredicted(), EPS);
    assertEquals(0.5, tied.observed(), EPS);
    assertEquals(1, m.reliability().get(2).count());
    assertEquals(1.0, m.reliability().get(2).observed(), EPS);
    // |gap| per row: .05 + 2 x .35 + .75 + .35 + .55 + .45 + .35 + .75 + .15 = 4.1, over 10 rows.
    assertEquals(0.41, m.ece(), EPS, "ECE");
  }

  @Test
  void liftAtAnyTopShareCutsTiesProRata() {
    Dataset<Row> df = frame(S, Y, 3);
    assertEquals(2.5, BinaryClassifierEvaluation.liftAtTop(df, "churned", "p", 0.10), EPS, "as lift_top10");
    // Top 15 % = 1.5 rows: 0.95 (churned) and a quarter of the tied pair at 0.85 (1 churner of 2):
    // 1.25 churners in 1.5 rows, a rate of 0.8333 over the base rate 0.4.
    assertEquals(1.25 / 1.5 / 0.4, BinaryClassifierEvaluation.liftAtTop(df, "churned", "p", 0.15), EPS);
    // Top 50 % = 5 rows, 3 churners.
    assertEquals(3 / 5.0 / 0.4, BinaryClassifierEvaluation.liftAtTop(df, "churned", "p", 0.5), EPS);
    assertEquals(1.0, BinaryClassifierEvaluation.liftAtTop(df, "churned", "p", 1.0), EPS, "the whole list");
  }

  @Test
  void perfectReversedAndConstantScores() {
    int n = 200;
    double[] perfect = new double[n];
    double[] reversed = new double[n];
    double[] constant = new double[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 4 == 0 ? 1 : 0; // 50 churners
      perfect[i] = y[i] == 1 ? 0.6 + i / 1000.0 : i / 1000.0;
      reversed[i] = 1 - perfect[i];
      constant[i] = 0.3;
    }
    ClassifierMetrics p = BinaryClassifierEvaluation.evaluate(frame(perfect, y, 4), "churned", "p", ScoreKind.PROBABILITY);
    assertEquals(1.0, p.rocAuc(), EPS);
    assertEquals(1.0, p.prAuc(), EPS);
    // The top 20 % (40 rows) are all churners: 40 of 50; the top 10 %: 20 of 50.
    assertEquals(0.4, p.captureTop10(), EPS);
    assertEquals(0.8, p.captureTop20(), EPS);
    assertEquals(4.0, p.liftTop20(), EPS);
    ClassifierMetrics r = BinaryClassifierEvaluation.evaluate(frame(reversed, y, 4), "churned", "p", ScoreKind.PROBABILITY);
    assertEquals(0.0, r.rocAuc(), EPS);
    assertEquals(0.0, r.captureTop20(), EPS);
    ClassifierMetrics c = BinaryClassifierEvaluation.evaluate(frame(constant, y, 4), "churned", "p", ScoreKind.PROBABILITY);
    assertEquals(0.5, c.rocAuc(), EPS);
    // One tied group: precision is the base rate, and every cut takes its share pro rata.
    assertEquals(0.25, c.prAuc(), EPS);
    assertEquals(1.0, c.liftTop10(), EPS);
    assertEquals(0.2, c.captureTop20(), EPS);
    assertEquals(200, c.reliability().get(3).count());
    assertEquals(Math.abs(0.3 - 0.25), c.ece(), EPS);
  }

  @Test
  void rocAucAgreesWithMllibOnTiedScores() {
    int n = 300;
    double[] s = new double[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      s[i] = ((i * 37) % 17) / 16.0; // 17 distinct values, many ties
      y[i] = ((i * 13) % 7 < 2 + (i * 37) % 17 / 6) ? 1 : 0;
    }
    Dataset<Row> df = frame(s, y, 5);
    ClassifierMetrics m = BinaryClassifierEvaluation.evaluate(df, "churned", "p", ScoreKind.PROBABILITY);
    double mllib = new BinaryClassificationEvaluator().setLabelCol("label").setRawPredictionCol("p")
        .setMetricName("areaUnderROC")
        .evaluate(df.withColumn("label", df.col("churned").cast("double")));
    assertEquals(mllib, m.rocAuc(), 1e-9);
    assertTrue(m.rocAuc() > 0.5 && m.rocAuc() < 1, "the generated score is informative but not perfect");
  }

  @Test
  void aRankingScoreHasNoCalibrationMetrics() {
    double[] days = {300, 200, 200, 90, 60, 30, 20, 10, 5, 1};
    ClassifierMetrics m = BinaryClassifierEvaluation.evaluate(frame(days, Y, 2), "churned", "p", ScoreKind.RANKING);
    assertEquals(16.5 / 24, m.rocAuc(), EPS, "the same order as the hand-made probabilities");
    assertTrue(Double.isNaN(m.brier()) && Double.isNaN(m.logLoss()) && Double.isNaN(m.ece()));
    assertTrue(m.reliability().isEmpty());
  }

  @Test
  void aReportEvaluatesTheModelAndEveryBaselineOnTheSameRows() {
    Dataset<Row> df = frame(S, Y, 2)
        .withColumn("days_since_last_order", col("p").multiply(300))
        .withColumn("base_rate", lit(0.4));
    EvaluationReport report = EvaluationReport.evaluate("churn-gbt", "v1", df, "churned", "p", Map.of(
        "recency", new BaselineScore("days_since_last_order", ScoreKind.RANKING),
        "base_rate", new BaselineScore("base_rate", ScoreKind.PROBABILITY)),
        new PromotionRule(5, 2, 2, 200, 0.95, 42));
    assertEquals(16.5 / 24, report.metrics().rocAuc(), EPS);
    // The bootstrap pairs the model with the best baseline per metric: recency, which ranks the same.
    EvaluationReport.Difference roc = report.differences().get(EvaluationReport.ROC_AUC);
    assertEquals("recency", roc.baseline());
    assertEquals(0.0, roc.interval().estimate(), EPS);
    assertEquals(0.0, roc.interval().low(), EPS, "the same order in every resample");
    assertEquals(0.2645, report.metrics().brier(), EPS);
    assertEquals(16.5 / 24, report.baselines().get("recency").rocAuc(), EPS, "the same order as the model");
    assertTrue(Double.isNaN(report.baselines().get("recency").brier()));
    assertEquals(0.5, report.baselines().get("base_rate").rocAuc(), EPS);
    // A constant 0.4: Brier = 0.4 x 0.6 = 0.24, perfectly calibrated in its one bin.
    assertEquals(0.24, report.baselines().get("base_rate").brier(), EPS);
    assertEquals(0.0, report.baselines().get("base_rate").ece(), EPS);
    assertEquals(Grade.C, report.grade(), "recency ranks exactly as well as the model");
    // Any top share: the report measures it on the model and every baseline.
    EvaluationReport top15 = EvaluationReport.evaluate("churn-gbt", "v1", df, "churned", "p", Map.of(
        "recency", new BaselineScore("days_since_last_order", ScoreKind.RANKING),
        "base_rate", new BaselineScore("base_rate", ScoreKind.PROBABILITY)),
        new PromotionRule(5, 2, 2, 0, 0.95, 42, 0.15, 0.05));
    assertEquals(1.25 / 1.5 / 0.4, top15.topLift().model(), EPS);
    assertEquals(1.25 / 1.5 / 0.4, top15.topLift().baselines().get("recency"), EPS);
    assertEquals(1.0, top15.topLift().baselines().get("base_rate"), EPS, "a constant score: lift 1");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EvaluationReport.evaluate("churn-gbt", "v1", df, "churned", "p",
            Map.of("x", new BaselineScore("recency_days", ScoreKind.RANKING)), PromotionRule.DEFAULT));
    assertTrue(e.getMessage().startsWith("evaluation of churn-gbt: no column 'recency_days'"), e.getMessage());
  }

  @Test
  void badInputIsNamed() {
    IllegalArgumentException notProbability = assertThrows(IllegalArgumentException.class,
        () -> BinaryClassifierEvaluation.evaluate(frame(new double[] {0.5, 1.5}, new int[] {0, 1}, 1), "churned", "p",
            ScoreKind.PROBABILITY));
    assertEquals("evaluation: column 'p' has 1 values outside [0, 1], so it is not a probability; evaluate it as "
        + "ScoreKind.RANKING", notProbability.getMessage());
    IllegalArgumentException badLabel = assertThrows(IllegalArgumentException.class,
        () -> BinaryClassifierEvaluation.evaluate(frame(new double[] {0.5, 0.4}, new int[] {2, 1}, 1), "churned", "p",
            ScoreKind.PROBABILITY));
    assertTrue(badLabel.getMessage().startsWith("evaluation: column 'churned' has 1 rows that are not 0 or 1"),
        badLabel.getMessage());
    IllegalArgumentException oneClass = assertThrows(IllegalArgumentException.class,
        () -> BinaryClassifierEvaluation.evaluate(frame(new double[] {0.5, 0.4}, new int[] {0, 0}, 1), "churned", "p",
            ScoreKind.PROBABILITY));
    assertTrue(oneClass.getMessage().contains("has 0 churned of 2 rows"), oneClass.getMessage());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> BinaryClassifierEvaluation.evaluate(frame(S, Y, 1), "label", "p", ScoreKind.PROBABILITY));
    assertTrue(missing.getMessage().startsWith("evaluation: no column 'label'"), missing.getMessage());
  }
}
