package org.crmanalytics.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.btyd.BgNbd;
import org.crmanalytics.models.btyd.BgNbdModel;
import org.crmanalytics.models.btyd.BtydSimulation;
import org.crmanalytics.models.btyd.BtydSummary;
import org.crmanalytics.models.btyd.BtydTimeUnit;
import org.crmanalytics.models.btyd.GammaGamma;
import org.crmanalytics.models.btyd.GammaGammaModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The BTYD summary and fits on a real multi-process cluster ({@link LocalCluster}) equal those of
 * local mode: the summary row for row, the fitted parameters to the optimiser's tolerance, both with
 * the compressed blocks sent to the driver and with them kept on the executors (each likelihood
 * evaluation a tree aggregation across the executor JVMs).
 */
@Tag("spark")
@Tag("cluster")
@ExtendWith(LocalCluster.class)
class LocalClusterBtydTest {
  private static final BtydSimulation.Parameters TRUTH = new BtydSimulation.Parameters(0.25, 28, 0.8, 2.5, 6, 4, 15);
  private static final LocalDate END = LocalDate.of(2025, 12, 31);
  private static final BtydSummary.LogColumns COLUMNS = new BtydSummary.LogColumns("customer_id", "order_date", "amount");

  /** The local-mode half, run by {@link LocalCluster} before the cluster starts. */
  record LocalRun(Path dir, String log, Fits local) {}

  static LocalRun runLocal(SparkSession spark, Path dir) {
    String log = dir.resolve("log").toString();
    BtydSimulation.transactions(spark, 20_000, 6, TRUTH, LocalDate.of(2023, 1, 1), 365, 1096, 3)
        .write().parquet(log);
    summarize(spark, log, dir.resolve("summary-local").toString());
    return new LocalRun(dir, log, fit(spark, dir.resolve("summary-local").toString(), Long.MAX_VALUE));
  }

  @Test
  @Timeout(300)
  void clusterSummaryAndFitsEqualLocalOnes() throws Exception {
    SparkSession cluster = LocalCluster.session();
    LocalRun run = LocalCluster.localRuns().btyd();
    Path dir = run.dir();
    String log = run.log();
    Fits local = run.local();
    summarize(cluster, log, dir.resolve("summary-cluster").toString());
    Fits onDriver = fit(cluster, dir.resolve("summary-cluster").toString(), Long.MAX_VALUE);
    Fits onExecutors = fit(cluster, dir.resolve("summary-cluster").toString(), 0);

    Dataset<Row> a = cluster.read().parquet(dir.resolve("summary-local").toString());
    Dataset<Row> b = cluster.read().parquet(dir.resolve("summary-cluster").toString());
    assertEquals(a.count(), b.count(), "customers in the summary");
    assertEquals(0, a.except(b).count() + b.except(a).count(), "summary rows that differ");

    assertTrue(local.bg.describe().contains("on DRIVER"), local.bg.describe());
    assertTrue(onDriver.bg.describe().contains("on DRIVER"), onDriver.bg.describe());
    assertTrue(onExecutors.bg.describe().contains("on EXECUTORS"), onExecutors.bg.describe());
    assertTrue(onExecutors.gg.describe().contains("on EXECUTORS"), onExecutors.gg.describe());
    for (Fits f : new Fits[] {onDriver, onExecutors}) {
      assertClose(local.bg.coefficients(), f.bg.coefficients(), "BG/NBD " + f.bg.describe());
      assertClose(local.gg.coefficients(), f.gg.coefficients(), "Gamma-Gamma " + f.gg.describe());
      assertEquals(local.bg.logLikelihoodValue(), f.bg.logLikelihoodValue(),
          1e-6 * Math.abs(local.bg.logLikelihoodValue()));
    }
  }

  record Fits(BgNbdModel bg, GammaGammaModel gg) {}

  private static void summarize(SparkSession spark, String log, String summary) {
    BtydSummary.summarize(spark.read().parquet(log), COLUMNS, END, BtydTimeUnit.WEEKS).write().parquet(summary);
  }

  /** Both models fitted on the summary; with maxDistinctRows 0 the blocks stay on the executors. */
  private static Fits fit(SparkSession spark, String summary, long maxDistinctRows) {
    Dataset<Row> customers = spark.read().parquet(summary).cache();
    BgNbdModel bg = new BgNbd().setTimeUnit(BtydTimeUnit.WEEKS).setMaxDistinctRows(maxDistinctRows).fit(customers);
    GammaGammaModel gg = new GammaGamma().setMaxDistinctRows(maxDistinctRows).fit(customers);
    customers.unpersist();
    return new Fits(bg, gg);
  }

  private static void assertClose(double[] expected, double[] actual, String what) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-4 * Math.abs(expected[i]), what + ", parameter " + i);
    }
  }
}
