package org.crmanalytics.jobs.cluster;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.models.scores.CustomerScores;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Production's way of running, on this machine: a Spark standalone master and two workers
 * ({@code bin/spark-standalone start}, from the build's Spark jars), and every task of the daily
 * Airflow DAG that customer_scores depends on spark-submitted with the shaded jar and exactly the
 * DAG's arguments and conf ({@code bin/spark-standalone dag --until scores}). Its customer_scores must equal those of a local run
 * ({@code bin/crm-analytics run}) row for row, the models being the same: the local run trains
 * them and the cluster run scores with them, as the weekly training DAG and the daily DAG do.
 * The local run is the notebooks' sample run of the same {@code verify} ({@code
 * jobs/target/notebooks-sample-out}, the bundled sample at its as_of) when there is one; without
 * it ({@code -Dnotebooks.skip=true}) the test runs the stages customer_scores needs itself.
 *
 * <p>Runs in the jobs module's {@code integration-test} phase (it needs the shaded jar), so it is
 * part of {@code ./mvnw verify}; named *IT so that the unit-test phase does not pick it up.
 */
@Tag("cluster")
class StandaloneClusterIT {
  private static final String AS_OF = "2025-12-31";
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  /** The stages customer_scores depends on: the DAG's tasks up to scores (kpis, writeback and scorecard not). */
  private static final String SCORES_NEED = "ingest,features,abc,clv,churn,payment_risk,cross_sell,scores";
  private static final Path CONFIG = ROOT.resolve("data-samples/mappings/sample.yaml");
  /** The notebooks' sample run ({@code bin/crm-analytics run}: the bundled sample, whose as_of is AS_OF). */
  private static final Path NOTEBOOKS_RUN = ROOT.resolve("jobs/target/notebooks-sample-out");
  private static final String SCORES = "scores/customer_scores/as_of=" + AS_OF;

  @TempDir
  Path dir;

  @Test
  void theDagsTasksOnAStandaloneClusterScoreAsALocalRunDoes() throws Exception {
    Path local = NOTEBOOKS_RUN;
    if (!Files.exists(NOTEBOOKS_RUN.resolve(SCORES).resolve("_SUCCESS"))) {
      local = dir.resolve("local");
      run(dir.resolve("local.log"), "bin/crm-analytics", "run", "--quiet", "--stages", SCORES_NEED, "--config",
          CONFIG.toString(), "--as-of", AS_OF, "--out", local.toString());
    }
    Path cluster = dir.resolve("cluster");
    FileUtils.copyDirectory(local.resolve("models").toFile(), cluster.resolve("models").toFile());

    String port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = Integer.toString(free.getLocalPort());
    }
    Map<String, String> env = Map.of("SPARK_STANDALONE_DIR", dir.resolve("standalone").toString(),
        "SPARK_MASTER_PORT", port);
    try {
      run(dir.resolve("start.log"), env, "bin/spark-standalone", "start");
      run(dir.resolve("dag.log"), env, "bin/spark-standalone", "dag", "--as-of", AS_OF, "--config",
          CONFIG.toString(), "--out", cluster.toString(), "--until", "scores");
    } finally {
      run(dir.resolve("stop.log"), env, "bin/spark-standalone", "stop");
      summary(dir.resolve("dag.log"));
    }

    SharedSpark.release();
    SparkSession spark = SharedSpark.session();
    Dataset<Row> fromLocal = comparable(spark.read().parquet(local.resolve(SCORES).toString()));
    Dataset<Row> fromCluster = comparable(spark.read().parquet(cluster.resolve(SCORES).toString()));
    long rows = fromLocal.count();
    assertTrue(rows >= 900, rows + " customers scored locally");
    assertEquals(rows, fromCluster.count(), "customers scored on the cluster");
    assertTrue(fromLocal.filter(col(CustomerScores.CHURN_PROBABILITY).isNotNull()).count() > 0,
        "the local run scored churn: the comparison covers the model's scoring");
    List<Row> onlyLocal = fromLocal.exceptAll(fromCluster).limit(3).collectAsList();
    List<Row> onlyCluster = fromCluster.exceptAll(fromLocal).limit(3).collectAsList();
    assertTrue(onlyLocal.isEmpty() && onlyCluster.isEmpty(),
        "rows that differ: local " + onlyLocal + "; cluster " + onlyCluster);
  }

  /** Each task's name and the stage lines with its time, into the test's report: where a cluster run spends its time. */
  private static void summary(Path dagLog) throws IOException {
    if (Files.exists(dagLog)) {
      Files.readAllLines(dagLog).stream()
          .filter(l -> l.startsWith("[spark-standalone] task") || l.matches("^\\S+ .*\\d+(\\.\\d+)?s(\\s.*)?$"))
          .forEach(System.out::println);
    }
  }

  /** customer_scores without the run id, which names the run; every other value must be equal, to the bit. */
  private static Dataset<Row> comparable(Dataset<Row> scores) {
    return scores.drop(CustomerScores.RUN_ID);
  }

  private static void run(Path log, String... command) throws IOException, InterruptedException {
    run(log, Map.of(), command);
  }

  private static void run(Path log, Map<String, String> env, String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.command().set(0, ROOT.resolve(command[0]).toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(40, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(Arrays.toString(command) + " did not finish in 40 minutes; its output: " + log);
    }
    if (p.exitValue() != 0) {
      List<String> lines = Files.readAllLines(log);
      throw new AssertionError(Arrays.toString(command) + " exited with " + p.exitValue() + "; the end of its output:\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
    }
  }
}
