package org.crmanalytics.jobs.features;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.spark.SparkSessions;
import org.crmanalytics.models.features.CustomerSnapshot;

/**
 * The like-for-like side of bin/benchmark-stages: DuckDB's core-aggregates query
 * ({@link DuckDbSnapshotCheck.CoreAggregates}) in Spark SQL, run by a local session with the
 * pipeline's settings on the same silver and written to Parquet. It shows what Spark itself needs
 * for exactly the work DuckDB is timed on, apart from everything else the stages compute. Timed
 * from the query's start to the written file, without the session's start (as the run manifest's
 * stage times are). Prints one line of {@code key=value} pairs for the script.
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
    String sql = DuckDbSnapshotCheck.CoreAggregates.of(DuckDbSnapshotCheck.Dialect.SPARK,
        silver.resolve("customers/as_of=" + asOf), silver.resolve("sales/as_of=" + asOf), asOf,
        CustomerSnapshot.Settings.DEFAULTS.windowsDays()).sql();
    SparkSession spark = SparkSessions.create("core-aggregates", "local[*]");
    try {
      long start = System.nanoTime();
      spark.sql(sql).write().mode("overwrite").parquet(output);
      double seconds = (System.nanoTime() - start) / 1e9;
      // Counted after the clock stopped: what the figure covers, not part of it.
      long customers = spark.read().parquet(output).count();
      System.out.printf(Locale.ROOT, "spark_seconds=%.3f customers=%d cores=%d%n",
          seconds, customers, spark.sparkContext().defaultParallelism());
    } finally {
      spark.stop();
    }
  }
}
