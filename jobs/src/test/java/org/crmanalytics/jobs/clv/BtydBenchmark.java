package org.crmanalytics.jobs.clv;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.spark.SparkSessions;
import org.apache.spark.sql.functions;
import org.crmanalytics.models.btyd.BgNbd;
import org.crmanalytics.models.btyd.BgNbdModel;
import org.crmanalytics.models.btyd.BtydSimulation;
import org.crmanalytics.models.btyd.BtydSummary;
import org.crmanalytics.models.btyd.BtydTimeUnit;
import org.crmanalytics.models.btyd.GammaGamma;
import org.crmanalytics.models.btyd.GammaGammaModel;

/**
 * The BTYD benchmark (bin/benchmark-btyd): targets "BG/NBD + Gamma-Gamma fit on a 1,000,000-customer
 * summary ≤ 2 s once the summary exists" and "transaction log → summary → fitted models ≤ 20 s at
 * 25,000,000 transactions", with Spark local[*]. The logs are simulated from BG/NBD and Gamma-Gamma
 * with known parameters (so the fit's recovery is checked too) and written as Parquet once per
 * size under the data folder; the timed parts read them back.
 *
 * <p>Arguments: data folder, customers of the fit benchmark, customers of the end-to-end benchmark,
 * CDNOW_master.txt (optional).
 */
public final class BtydBenchmark {
  /** Per day; spend p, q, gamma. About 3.3 purchases per customer over the 3 simulated years. */
  static final BtydSimulation.Parameters TRUTH = new BtydSimulation.Parameters(0.25, 28, 0.8, 2.5, 6, 4, 15);
  static final LocalDate START = LocalDate.of(2023, 1, 1);
  static final LocalDate END = LocalDate.of(2025, 12, 31);
  static final BtydSummary.LogColumns COLUMNS = new BtydSummary.LogColumns("customer_id", "order_date", "amount");

  private BtydBenchmark() {}

  public static void main(String[] args) throws IOException {
    Path data = Path.of(args[0]).toAbsolutePath();
    long fitCustomers = Long.parseLong(args[1]);
    long logCustomers = Long.parseLong(args[2]);
    Path cdnow = args.length > 3 ? Path.of(args[3]) : null;
    Files.createDirectories(data);
    List<String> report = new ArrayList<>();
    // The pipeline's own session settings, so the harness measures what a run does.
    try (SparkSession spark = SparkSessions.create("benchmark-btyd", "local[*]")) {
      spark.sparkContext().setLogLevel("WARN");
      report.add(String.format(Locale.ROOT, "machine: %d cores for Spark local[*], max heap %.1f GB, load average at start %s",
          Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / 1e9,
          Files.readString(Path.of("/proc/loadavg")).trim()));

      // 1. Fit on an existing summary.
      Path summaryPath = data.resolve("btyd-summary-" + fitCustomers);
      if (!Files.exists(summaryPath.resolve("_SUCCESS"))) {
        Dataset<Row> log = BtydSimulation.transactions(spark, fitCustomers, 8, TRUTH, START, 365, 1096, 1);
        BtydSummary.summarize(log, COLUMNS, END, BtydTimeUnit.WEEKS).write().mode("overwrite").parquet(summaryPath.toString());
      }
      for (String round : List.of("first fit in this JVM", "second fit (warm JVM)")) {
        Dataset<Row> summary = spark.read().parquet(summaryPath.toString());
        long[] ms = new long[2];
        long cpu = cpuMillis();
        BgNbdModel bg = timed(ms, 0, () -> new BgNbd().setTimeUnit(BtydTimeUnit.WEEKS).fit(summary));
        GammaGammaModel gg = timed(ms, 1, () -> new GammaGamma().fit(summary));
        report.add(String.format(Locale.ROOT,
            "fit on a %,d-customer summary, %s: BG/NBD %.2f s + Gamma-Gamma %.2f s = %.2f s wall, %.2f s CPU of the JVM",
            fitCustomers, round, ms[0] / 1e3, ms[1] / 1e3, (ms[0] + ms[1]) / 1e3, (cpuMillis() - cpu) / 1e3));
        report.add("  BG/NBD " + bg.describe());
        report.add("  Gamma-Gamma " + gg.describe());
      }
      report.add(String.format(Locale.ROOT, "  truth: r=%.4g alpha=%.4g (weeks) a=%.4g b=%.4g; p=%.4g q=%.4g gamma=%.4g",
          TRUTH.r(), TRUTH.alphaDays() / 7, TRUTH.a(), TRUTH.b(), TRUTH.p(), TRUTH.q(), TRUTH.gamma()));

      // 2. Transaction log -> summary -> fitted models (skipped with 0 customers).
      Path logPath = data.resolve("btyd-log-" + logCustomers);
      if (logCustomers > 0 && !Files.exists(logPath.resolve("_SUCCESS"))) {
        long t0 = System.nanoTime();
        BtydSimulation.transactions(spark, logCustomers, 64, TRUTH, START, 365, 1096, 2)
            .write().mode("overwrite").parquet(logPath.toString());
        report.add(String.format(Locale.ROOT, "(generating the log took %.1f s, not timed below)", (System.nanoTime() - t0) / 1e9));
      }
      // The simulation writes each customer's transactions together; an ERP export is in date order.
      // The summary must not depend on the order, so both are timed.
      Path byDate = data.resolve("btyd-log-" + logCustomers + "-by-date");
      if (logCustomers > 0 && !Files.exists(byDate.resolve("_SUCCESS"))) {
        spark.read().parquet(logPath.toString()).repartitionByRange(64, col("order_date"))
            .sortWithinPartitions("order_date").write().mode("overwrite").parquet(byDate.toString());
      }
      if (logCustomers > 0) {
        report.addAll(logToModels(spark, logPath, "customer by customer"));
        report.addAll(logToModels(spark, byDate, "in date order"));
      }

      // 3. CDNOW master (69,659 transactions), the reference's small case.
      if (cdnow != null && Files.isRegularFile(cdnow)) {
        long[] c = new long[1];
        List<String> details = new ArrayList<>();
        timed(c, 0, () -> {
          Dataset<Row> master = spark.read().text(cdnow.toString())
              .select(functions.split(functions.trim(col("value")), "\\s+").as("f"))
              .filter(functions.col("f").getItem(0).rlike("^[0-9]+$"))
              .select(col("f").getItem(0).as("customer_id"),
                  functions.to_date(col("f").getItem(1), "yyyyMMdd").as("order_date"),
                  col("f").getItem(3).cast("double").as("amount"))
              // $0 lines are not purchases (the clv stage's rule for orders without a positive value).
              .filter(col("amount").gt(0));
          Dataset<Row> s = BtydSummary.summarize(master, COLUMNS, LocalDate.of(1997, 9, 30), BtydTimeUnit.WEEKS).cache();
          BgNbdModel m = new BgNbd().setTimeUnit(BtydTimeUnit.WEEKS).fit(s);
          GammaGammaModel g = new GammaGamma().fit(s);
          details.add("  BG/NBD " + m.describe());
          details.add("  Gamma-Gamma " + g.describe());
          s.unpersist();
          return m;
        });
        report.add(String.format(Locale.ROOT,
            "CDNOW master (all 23,570 customers), raw file -> summary -> BG/NBD + Gamma-Gamma: %.2f s", c[0] / 1e3));
        report.addAll(details);
      }
    }
    String text = String.join("\n", report) + "\n";
    System.out.print(text);
    Files.writeString(data.resolve("benchmark-btyd.md"), text);
  }

  /** Times transaction log → summary (cached) → BG/NBD + Gamma-Gamma fits. */
  private static List<String> logToModels(SparkSession spark, Path logPath, String order) {
    long rows = spark.read().parquet(logPath.toString()).count();
    long[] ms = new long[3];
    long cpu = cpuMillis();
    Dataset<Row> summary = timed(ms, 0, () -> {
      Dataset<Row> s = BtydSummary.summarize(spark.read().parquet(logPath.toString()), COLUMNS, END,
          BtydTimeUnit.WEEKS).persist();
      s.count();
      return s;
    });
    long customers = summary.count();
    BgNbdModel bg = timed(ms, 1, () -> new BgNbd().setTimeUnit(BtydTimeUnit.WEEKS).fit(summary));
    GammaGammaModel gg = timed(ms, 2, () -> new GammaGamma().fit(summary));
    summary.unpersist();
    return List.of(String.format(Locale.ROOT,
        "log of %,d transactions (%,d customers), %s -> summary %.2f s -> BG/NBD %.2f s + Gamma-Gamma %.2f s = %.2f s "
            + "wall, %.2f s CPU of the JVM", rows, customers, order, ms[0] / 1e3, ms[1] / 1e3, ms[2] / 1e3,
        (ms[0] + ms[1] + ms[2]) / 1e3, (cpuMillis() - cpu) / 1e3),
        "  BG/NBD " + bg.describe(), "  Gamma-Gamma " + gg.describe());
  }

  /** CPU time of the whole JVM (driver and local executors): the machine is shared, wall time is not all ours. */
  private static long cpuMillis() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1_000_000;
  }

  private static <T> T timed(long[] into, int slot, Supplier<T> work) {
    long t0 = System.nanoTime();
    T result = work.get();
    into[slot] = (System.nanoTime() - t0) / 1_000_000;
    return result;
  }
}
