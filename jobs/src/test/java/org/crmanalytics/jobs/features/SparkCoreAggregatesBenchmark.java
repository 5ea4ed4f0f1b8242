package org.crmanalytics.jobs.features;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.spark.SparkSessions;
import org.crmanalytics.models.features.CustomerSnapshot;

/**
 * The like-for-like side of bin/benchmark-stages: exactly the work DuckDB is timed on, done by
 * Spark, apart from everything else the stages compute. Two queries, each run by a local session
 * with the pipeline's settings on the same silver and written to Parquet: DuckDB's core-aggregates
 * query ({@link DuckDbSnapshotCheck.CoreAggregates}) in Spark SQL, and the same figures written
 * for Spark ({@link #ordersFirst}). Each is timed from the query's start to the written file,
 * without the session's start (as the run manifest's stage times are). Prints one line of
 * {@code key=value} pairs for the script.
 *
 * <pre>SparkCoreAggregatesBenchmark SILVER_ROOT AS_OF OUTPUT_FOLDER</pre>
 */
public final class SparkCoreAggregatesBenchmark {
  private SparkCoreAggregatesBenchmark() {}

  public static void main(String[] args) {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: SparkCoreAggregatesBenchmark SILVER_ROOT AS_OF OUTPUT_FOLDER");
    }
    Path silver = Path.of(args[0]);
    LocalDate asOf = LocalDate.parse(args[1]);
    String output = Path.of(args[2]).toAbsolutePath().toString();
    Path customers = silver.resolve("customers/as_of=" + asOf);
    Path sales = silver.resolve("sales/as_of=" + asOf);
    List<Integer> windows = CustomerSnapshot.Settings.DEFAULTS.windowsDays();
    SparkSession spark = SparkSessions.create("core-aggregates", "local[*]");
    try {
      double same = timed(spark, DuckDbSnapshotCheck.CoreAggregates.of(DuckDbSnapshotCheck.Dialect.SPARK,
          customers, sales, asOf, windows).sql(), output + "/same-query");
      double tuned = timed(spark, ordersFirst(customers, sales, asOf, windows).sql(), output + "/orders-first");
      // Counted after the clocks stopped: what the figures cover, not part of them.
      long rows = spark.read().parquet(output + "/orders-first").count();
      System.out.printf(Locale.ROOT, "spark_seconds=%.3f orders_first_seconds=%.3f customers=%d cores=%d%n",
          same, tuned, rows, spark.sparkContext().defaultParallelism());
    } finally {
      spark.stop();
    }
  }

  private static double timed(SparkSession spark, String sql, String output) {
    long start = System.nanoTime();
    spark.sql(sql).write().mode("overwrite").parquet(output);
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * The same figures as {@link DuckDbSnapshotCheck.CoreAggregates}, written for Spark: summed per
   * customer and order first, so that each span's order count is a count of flags, not a
   * {@code count(DISTINCT)} (Spark evaluates several distinct aggregates with different filters by
   * repeating every row once per aggregate). The fastest way we know to compute them in Spark.
   */
  static DuckDbSnapshotCheck.CoreAggregates ordersFirst(Path customersSilver, Path salesSilver, LocalDate asOf,
      List<Integer> windows) {
    String d = "DATE '" + asOf + "'";
    String isOrder = "s.line_type = 'order' AND s.order_id IS NOT NULL";
    StringBuilder perOrder = new StringBuilder(
        "SELECT s.customer_id, max(s.order_date) FILTER (WHERE s.line_type = 'order') AS last_order");
    StringBuilder perCustomer = new StringBuilder(
        "SELECT c.customer_id, " + DuckDbSnapshotCheck.Dialect.SPARK.daysBetween("max(o.last_order)", d)
            + " AS days_since_last_order");
    List<String> columns = new ArrayList<>(List.of("days_since_last_order"));
    for (DuckDbSnapshotCheck.Span w : DuckDbSnapshotCheck.Span.all(asOf, windows)) {
      perOrder.append(", bool_or(").append(isOrder).append(" AND ").append(w.condition()).append(") AS ordered_")
          .append(w.suffix())
          .append(", sum(s.net_amount) FILTER (WHERE ").append(w.condition()).append(") AS revenue_").append(w.suffix());
      perCustomer.append(", count_if(o.ordered_").append(w.suffix()).append(") AS order_count_").append(w.suffix())
          .append(", coalesce(sum(o.revenue_").append(w.suffix()).append("), 0) AS revenue_").append(w.suffix());
      columns.add("order_count_" + w.suffix());
      columns.add("revenue_" + w.suffix());
      if (w.margin()) {
        perOrder.append(", count(*) FILTER (WHERE ").append(w.condition()).append(") AS lines_").append(w.suffix())
            .append(", sum(s.net_amount - s.cost_amount) FILTER (WHERE ").append(w.condition())
            .append(" AND s.cost_amount IS NOT NULL) AS margin_").append(w.suffix());
        // docs/features.md: 0 without lines in the window, null when none of them has a cost.
        perCustomer.append(", CASE WHEN coalesce(sum(o.lines_").append(w.suffix())
            .append("), 0) = 0 THEN 0 ELSE sum(o.margin_").append(w.suffix()).append(") END AS margin_")
            .append(w.suffix());
        columns.add("margin_" + w.suffix());
      }
    }
    perOrder.append(" FROM ").append(DuckDbSnapshotCheck.Dialect.SPARK.table(salesSilver)).append(" s WHERE s.order_date <= ")
        .append(d).append(" GROUP BY s.customer_id, s.order_id");
    perCustomer.append(" FROM (SELECT customer_id FROM ").append(DuckDbSnapshotCheck.Dialect.SPARK.table(customersSilver))
        .append(" WHERE created_at IS NULL OR created_at <= ").append(d).append(") c LEFT JOIN (").append(perOrder)
        .append(") o ON o.customer_id = c.customer_id GROUP BY c.customer_id");
    return new DuckDbSnapshotCheck.CoreAggregates(perCustomer.toString(), List.copyOf(columns));
  }
}
