package org.crmanalytics.models.explain;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.classification.GBTClassificationModel;
import org.apache.spark.ml.classification.GBTClassifier;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.evaluation.BinaryClassifierEvaluation;
import org.crmanalytics.models.evaluation.ClassifierMetrics;
import org.crmanalytics.models.evaluation.ScoreKind;

/**
 * Times the explanation and evaluation steps on generated customers (not a test: run by
 * bin/benchmark-explain). A GBT is fitted on a sample; then contributions, top reasons and the
 * evaluation run over all rows, each forced by one aggregation.
 *
 * <p>Arguments: rows, features, trees, depth.
 */
public final class ExplainBenchmark {
  private ExplainBenchmark() {}

  public static void main(String[] args) throws java.io.IOException {
    long rows = Long.parseLong(args[0]);
    int features = Integer.parseInt(args[1]);
    int trees = Integer.parseInt(args[2]);
    int depth = Integer.parseInt(args[3]);
    try (SparkSession spark = SparkSession.builder().master("local[*]").appName("explain-benchmark")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate()) {
      List<String> names = new ArrayList<>();
      List<Column> cols = new ArrayList<>();
      cols.add(col("id"));
      for (int f = 0; f < features; f++) {
        names.add("f" + f);
        cols.add(rand(f).as("f" + f));
      }
      cols.add(concat(lit("seg"), col("id").mod(8).cast("string")).as("segment"));
      Dataset<Row> raw = spark.range(rows).select(cols.toArray(Column[]::new));
      Column risk = col("f0").multiply(2).minus(col("f1")).plus(col("f2").multiply(col("f3")))
          .plus(rand(99).multiply(0.8));
      raw = raw.withColumn("label", when(risk.gt(1.2), 1.0).otherwise(0.0));
      Dataset<Row> data = new VectorAssembler().setInputCols(names.toArray(String[]::new)).setOutputCol("features")
          .transform(raw).cache();
      System.out.printf(Locale.ROOT, "rows %d, features %d, trees %d, depth %d, cores %d%n", data.count(), features,
          trees, depth, Runtime.getRuntime().availableProcessors());

      long t0 = System.nanoTime();
      GBTClassificationModel gbt = new GBTClassifier().setMaxIter(trees).setMaxDepth(depth).setSeed(1)
          .fit(data.sample(Math.min(1.0, 20_000.0 / rows), 1));
      System.out.printf(Locale.ROOT, "fit on a sample of ~20,000 rows: %.1f s%n", seconds(t0));

      TreeEnsembleExplainer explainer = TreeEnsembleExplainer.of(gbt);
      // TreeSHAP alone, one thread: the cost per row without Spark around it.
      List<Vector> sample = new ArrayList<>();
      for (Row r : data.select("features").limit(20_000).collectAsList()) {
        sample.add(r.getAs(0));
      }
      for (Vector v : sample.subList(0, Math.min(2_000, sample.size()))) {
        explainer.contributions(v); // warm-up
      }
      t0 = System.nanoTime();
      double checksum = 0;
      for (Vector v : sample) {
        checksum += explainer.contributions(v)[0];
      }
      double single = seconds(t0);
      System.out.printf(Locale.ROOT, "TreeSHAP on one thread: %d rows in %.2f s, %.1f µs per row (checksum %.3f)%n",
          sample.size(), single, single * 1e6 / sample.size(), checksum);
      Dataset<Row> scored = FeatureContributions.withContributions(gbt.transform(data), "features", "contributions",
          explainer);
      t0 = System.nanoTime();
      Column total = aggregate(col("contributions"), lit(0.0), (acc, c) -> acc.plus(c));
      Column margin = functions.vector_to_array(col("rawPrediction"), "float64").getItem(1);
      Row check = scored.agg(sum(size(col("contributions"))),
          max(abs(total.plus(explainer.expectedValue()).minus(margin))))
          .first();
      double s = seconds(t0);
      System.out.printf(Locale.ROOT, "contributions (transform + TreeSHAP): %.1f s, %.0f rows/s; "
          + "max |bias + sum - margin| = %.2e%n", s, rows / s, check.getDouble(1));

      t0 = System.nanoTime();
      long reasons = TopReasons.withReasons(scored, "contributions", List.of("segment"), names, TestWordings.labels(),
          ReasonRules.DEFAULT)
          .agg(sum(size(col("churn_reasons")))).first().getLong(0);
      s = seconds(t0);
      System.out.printf(Locale.ROOT, "top reasons (medians per segment + texts, again with TreeSHAP): %.1f s, "
          + "%.0f rows/s (%d reasons)%n", s, rows / s, reasons);

      Dataset<Row> probabilities = gbt.transform(data)
          .withColumn("p", functions.vector_to_array(col("probability"), "float64").getItem(1)).cache();
      probabilities.count();
      t0 = System.nanoTime();
      ClassifierMetrics m = BinaryClassifierEvaluation.evaluate(probabilities, "label", "p", ScoreKind.PROBABILITY);
      s = seconds(t0);
      System.out.printf(Locale.ROOT, "evaluation: %.1f s; ROC AUC %.4f, PR AUC %.4f, lift top 10 %% %.2f, ECE %.4f%n",
          s, m.rocAuc(), m.prAuc(), m.liftTop10(), m.ece());
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
