package org.crmanalytics.jobs.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * A real multi-process Spark cluster for tests: local-cluster mode starts a master and two workers,
 * each with an executor in its own JVM that loads Spark from SPARK_HOME/jars (set up by the jobs
 * build) and this module's classes, so closures, blocks and models cross JVMs as on any cluster.
 *
 * <p>The cluster tests share one cluster ({@code @ExtendWith(LocalCluster.class)}): its executor
 * JVMs take many seconds to start. A JVM holds one SparkContext at a time, so the local-mode runs
 * that the tests compare with are all done first, in the shared local session ({@link SharedSpark}),
 * before that session is stopped and the cluster started. The cluster stops at the end of the run,
 * or earlier when a later test class asks for the local session.
 */
final class LocalCluster implements BeforeAllCallback {
  static final int EXECUTORS = 2;
  private static final Namespace NAMESPACE = Namespace.create(LocalCluster.class);

  /** The local-mode halves of the cluster tests, with their files in one folder. */
  record LocalRuns(Path dir, LocalClusterIngestTest.LocalRun ingest, LocalClusterBtydTest.LocalRun btyd) {}

  private static LocalRuns localRuns;
  private static SparkSession cluster;

  /** Runs the local-mode halves of every cluster test (once): they need a local session. */
  static synchronized LocalRuns localRuns() throws Exception {
    if (localRuns == null) {
      SparkSession local = SharedSpark.session();
      Path dir = Files.createTempDirectory("local-cluster-tests");
      localRuns = new LocalRuns(dir, LocalClusterIngestTest.runLocal(local, dir.resolve("ingest")),
          LocalClusterBtydTest.runLocal(local, dir.resolve("btyd")));
    }
    return localRuns;
  }

  /** The cluster's session, started (again) when it is not running. */
  static synchronized SparkSession session() throws Exception {
    localRuns();
    if (cluster == null || cluster.sparkContext().isStopped()) {
      SharedSpark.release();
      cluster = start("local-cluster-tests");
    }
    return cluster;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // Closed by JUnit after the last test of the run.
    context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent("stop", key -> (ExtensionContext.Store.CloseableResource) LocalCluster::close);
  }

  private static synchronized void close() {
    if (cluster != null) {
      cluster.stop();
      cluster = null;
    }
    if (localRuns != null) {
      delete(localRuns.dir());
      localRuns = null;
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static SparkSession start(String appName) throws InterruptedException {
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
