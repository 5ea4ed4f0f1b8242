package org.crmanalytics.models;

import org.apache.spark.sql.SparkSession;

/**
 * The test session of every module: local[2], UI off, 2 shuffle partitions, loopback, UTC, and the
 * pipeline's own write, charset, class-loader and page-size settings. Tests get it through {@link SharedSpark}.
 */
public final class LocalSpark {
  private LocalSpark() {}

  public static SparkSession start(String app) {
    return SparkSession.builder()
        .master("local[2]")
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
        .config("spark.sql.legacy.javaCharsets", "true")
        // As the pipeline's local session (SparkSessions): no per-session class loader, small pages.
        .config("spark.sql.artifact.isolation.enabled", "false")
        .config("spark.buffer.pageSize", "4m")
        .getOrCreate();
  }
}
