package org.crmanalytics.jobs.spark;

import org.apache.spark.sql.SparkSession;

/** Builds the pipeline's SparkSession: embedded local Spark by default, or the cluster's. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * A session for {@code master}. Under spark-submit the master is already set and we keep it;
   * locally we bind to loopback (this kind of machine resolves its hostname to 127.0.0.1 and
   * Spark would otherwise pick another interface) and switch the UI off.
   */
  public static SparkSession create(String appName, String master) {
    return create(appName, master, java.util.Map.of());
  }

  /** As {@link #create(String, String)}, with the config file's {@code spark:} settings on top. */
  public static SparkSession create(String appName, String master, java.util.Map<String, String> settings) {
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName(appName)
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
            .config("spark.sql.parquet.compression.codec", "zstd")
            // Spark 4 accepts only a short list of charsets for CSV; ERP exports are often windows-1252.
            .config("spark.sql.legacy.javaCharsets", "true")
            // Our aggregations are keyed by customer, order or invoice: millions of keys. Spark's
            // first-level "fast" hash map holds 65,536 of them; every further row probed it, hashing
            // and comparing strings, before the map that holds them all. Without it the stages
            // features, abc and kpis took 8-11 % less at 1,000,000 customers (docs/benchmarks.md).
            .config("spark.sql.codegen.aggregate.map.twolevel.enabled", "false")
            // The pipeline adds no per-session jars or classes. With isolation on, every class the
            // code generator looks up in a task (most of them do not exist) was asked of the driver
            // over RPC: half the executors' compile time of a small training run (docs/benchmarks.md).
            .config("spark.sql.artifact.isolation.enabled", "false");
    boolean underSubmit = System.getProperty("spark.master") != null;
    if (!underSubmit) {
      builder
          .master(master)
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", String.valueOf(localShufflePartitions()))
          // Files are split into at least this many tasks; by size alone a few hundred MB make
          // 3 tasks on 2 cores, and the last one runs alone.
          .config("spark.sql.files.minPartitionNum", String.valueOf(localShufflePartitions()))
          // Cached tables stay uncompressed: ours are keyed by unique ids, for which the cache's
          // dictionary encoding is tried on every batch and given up. That attempt took 545 of 4,363
          // JFR samples of bin/benchmark-btyd, which caches the 6.7-million-customer summary (docs/clv.md).
          .config("spark.sql.inMemoryColumnarStorage.compressed", "false")
          // Every aggregation and sort task allocates (and the JVM zeroes) at least one page; with
          // an 8 GB heap Spark picks 64 MB pages, which cost a small company's training run 18 s of
          // its tasks' time. Larger inputs simply use more pages (docs/benchmarks.md).
          .config("spark.buffer.pageSize", "4m");
    }
    settings.forEach(builder::config);
    return builder.getOrCreate();
  }

  /** A few partitions per core: the default 200 is pure overhead on a laptop. */
  private static int localShufflePartitions() {
    return Math.max(4, Runtime.getRuntime().availableProcessors() * 4);
  }
}
