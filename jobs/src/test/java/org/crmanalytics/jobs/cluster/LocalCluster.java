package org.crmanalytics.jobs.cluster;

import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * A real multi-process Spark cluster for tests: local-cluster mode starts a master and two workers,
 * each with an executor in its own JVM that loads Spark from SPARK_HOME/jars (set up by the jobs
 * build) and this module's classes, so closures, blocks and models cross JVMs as on any cluster.
 */
final class LocalCluster {
  static final int EXECUTORS = 2;

  private LocalCluster() {}

  static SparkSession start(String appName) throws InterruptedException {
    SparkSession spark = SparkSession.builder()
        .master("local-cluster[" + EXECUTORS + ",1,1024]")
        .appName(appName)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.executor.extraClassPath", Path.of("target/classes").toAbsolutePath().toString())
        .config("spark.executorEnv.SPARK_SCALA_VERSION", "2.13")
        .getOrCreate();
    awaitExecutors(spark);
    return spark;
  }

  /** Fails fast (instead of Spark waiting for resources forever) when executors cannot start. */
  private static void awaitExecutors(SparkSession spark) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 90_000;
    while (spark.sparkContext().statusTracker().getExecutorInfos().length - 1 < EXECUTORS) {
      if (System.currentTimeMillis() > deadline) {
        spark.stop();
        throw new AssertionError("local-cluster executors did not start within 90 s; see their logs under "
            + System.getenv("SPARK_HOME") + "/work");
      }
      Thread.sleep(200);
    }
  }
}
