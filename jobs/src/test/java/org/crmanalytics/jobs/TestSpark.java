package org.crmanalytics.jobs;

import org.apache.spark.sql.SparkSession;

/** The test session: local[2], UI off, 2 shuffle partitions, loopback, UTC. Tests get it through {@link SharedSpark}. */
public final class TestSpark {
  private TestSpark() {}

  public static SparkSession start() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
        .config("spark.sql.legacy.javaCharsets", "true")
        .getOrCreate();
  }
}
