package org.crmanalytics.models.abc;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * How concentrated revenue is: the Lorenz curve of window revenue over the customers with revenue
 * above 0, as points (share of customers, share of revenue), both 0–1 and starting at (0, 0); and
 * its Gini.
 */
public record RevenueConcentration(long customers, double[] customerShare, double[] revenueShare, double gini) {
  /**
   * Lorenz curve and Gini of window revenue over the customers with revenue above 0 (as the KPI
   * revenue_gini does): G = 2 Σ i·xᵢ / (n Σ x) − (n + 1) / n, revenues ascending, i = 1..n. The
   * ranks come from a distributed sort (zipWithIndex), so no partition holds all customers; the
   * curve is the cumulative revenue at the last customer of each of {@code lorenzPoints}
   * equal-sized rank buckets (every customer when there are fewer).
   */
  public static Optional<RevenueConcentration> of(Dataset<Row> customers, int lorenzPoints) {
    JavaRDD<Double> revenues = customers
        .select(col(AbcOutput.Customers.REVENUE).cast("double").as("revenue"))
        .filter(col("revenue").gt(0))
        .javaRDD()
        .map(r -> r.getDouble(0));
    Row totals = customers.filter(col(AbcOutput.Customers.REVENUE).cast("double").gt(0))
        .agg(count(lit(1)), sum(col(AbcOutput.Customers.REVENUE).cast("double"))).first();
    long n = totals.getLong(0);
    if (n == 0) {
      return Optional.empty();
    }
    double total = totals.getDouble(1);
    JavaRDD<Tuple2<Double, Long>> ranked = revenues.sortBy(x -> x, true, revenues.getNumPartitions())
        .zipWithIndex().map(t -> new Tuple2<>(t._1(), t._2() + 1))
        .persist(StorageLevel.MEMORY_AND_DISK()); // read twice: the sort runs once
    try {
      return Optional.of(of(ranked, n, total, lorenzPoints));
    } finally {
      ranked.unpersist(false);
    }
  }

  private static RevenueConcentration of(JavaRDD<Tuple2<Double, Long>> ranked, long n, double total, int lorenzPoints) {
    double weighted = ranked.map(t -> t._2() * t._1()).reduce(Double::sum);
    double gini = 2 * weighted / (n * total) - (double) (n + 1) / n;
    int points = (int) Math.min(lorenzPoints, n);
    // bucket b = ceil(i · points / n): at most `points` rows reach the driver.
    List<Tuple2<Long, Tuple2<Double, Long>>> buckets = ranked
        .mapToPair(t -> new Tuple2<>((t._2() * points + n - 1) / n, new Tuple2<>(t._1(), t._2())))
        .reduceByKey((a, b) -> new Tuple2<>(a._1() + b._1(), Math.max(a._2(), b._2())))
        .sortByKey()
        .collect();
    double[] customerShare = new double[buckets.size() + 1];
    double[] revenueShare = new double[buckets.size() + 1];
    double cumulative = 0;
    for (int k = 0; k < buckets.size(); k++) {
      cumulative += buckets.get(k)._2()._1();
      customerShare[k + 1] = (double) buckets.get(k)._2()._2() / n;
      revenueShare[k + 1] = cumulative / total;
    }
    return new RevenueConcentration(n, customerShare, revenueShare, gini);
  }
}
