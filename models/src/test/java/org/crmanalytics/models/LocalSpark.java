package org.crmanalytics.models;

import org.apache.spark.sql.SparkSession;

/** The test session of the models tests: local[2], UI off, 2 shuffle partitions, loopback, UTC. Tests get it through {@link SharedSpark}. */
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
        .getOrCreate();
  }
}
