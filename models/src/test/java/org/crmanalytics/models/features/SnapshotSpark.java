package org.crmanalytics.models.features;

import org.apache.spark.sql.SparkSession;

/** The test session: local[2], UI off, 2 shuffle partitions, loopback, UTC. One per test class. */
public final class SnapshotSpark {
  private SnapshotSpark() {}

  public static SparkSession start() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("customer-snapshot-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate();
  }
}
