package org.crmanalytics.models.btyd;

import org.apache.spark.sql.SparkSession;

/** The test session: local[2], UI off, 2 shuffle partitions, loopback, UTC. One per test class. */
final class BtydSpark {
  private BtydSpark() {}

  static SparkSession start() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("btyd-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate();
  }
}
