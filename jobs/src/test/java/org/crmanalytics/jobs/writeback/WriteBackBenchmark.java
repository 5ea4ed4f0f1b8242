package org.crmanalytics.jobs.writeback;

import org.crmanalytics.jobs.cli.Pipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.jobs.spark.SparkSessions;

/**
 * Write-back throughput: generates a customer_scores Parquet of N customers once, then for each
 * database writes it from the Parquet to the committed target table three times: into an empty
 * table (inserts), the same run again (nothing changes), and the next day's run (every row updated,
 * history grows by N). Prints a Markdown table of seconds and customers/s.
 *
 * <p>Arguments: {@code <data folder> <customers> <all|crm> <jdbc url>...}, e.g. {@code bench-data 1000000
 * crm jdbc:postgresql://127.0.0.1:5432/test?user=postgres jdbc:mariadb://127.0.0.1:3306/test?user=root}.
 * {@code all} writes every customer_scores column (create: true without a mapping), {@code crm} six
 * mapped columns as a CRM's custom fields would take them.
 */
public final class WriteBackBenchmark {
  private static final LocalDate DAY_1 = LocalDate.of(2025, 12, 30);
  private static final LocalDate DAY_2 = LocalDate.of(2025, 12, 31);
  private static final String CRM_COLUMNS = "  columns: {customer_id: account_id, abc_class: abc_class_c, "
      + "churn_probability: churn_probability_c, churn_band: churn_risk_c, value_at_risk: value_at_risk_c, "
      + "churn_reasons_de: churn_reasons_c}\n";

  private WriteBackBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]).toAbsolutePath();
    long customers = Long.parseLong(args[1]);
    boolean crm = args[2].equals("crm");
    int cores = Runtime.getRuntime().availableProcessors();
    // The pipeline's own session settings, so the harness measures what a run does.
    SparkSession spark = SparkSessions.create("benchmark-writeback", "local[*]");
    spark.sparkContext().setLogLevel("WARN");
    try {
      String day1 = scores(spark, data, customers, DAY_1, "bench-day-1", 0);
      String day2 = scores(spark, data, customers, DAY_2, "bench-day-2", 0.001);
      List<String> lines = new ArrayList<>();
      lines.add(String.format(Locale.ROOT, "### Write-back: %,d customers, %s, %d cores", customers,
          crm ? "6 mapped CRM columns" : "every customer_scores column (24)", cores));
      lines.add("");
      lines.add("| database | run | seconds | customers/s | rows changed | history rows added |");
      lines.add("|---|---|---:|---:|---:|---:|");
      for (int i = 3; i < args.length; i++) {
        String url = args[i];
        String db = url.startsWith("jdbc:postgresql") ? "PostgreSQL" : "MariaDB";
        String table = (db.equals("PostgreSQL") ? "public" : "test") + ".wb_bench_scores";
        Path config = data.resolve("writeback-" + db + ".yaml");
        Files.writeString(config, "connections:\n  crm: {url: \"" + url + "\"}\n"
            + "tables:\n  customers: {path: c.csv}\n  sales: {path: s.csv}\n"
            + "writeback:\n  target: jdbc\n  connection: crm\n  table: " + table + "\n  create: true\n"
            + "  stale_customers: mark\n" + (crm ? CRM_COLUMNS : ""));
        WriteBackConfig wb = Pipeline.configLoader(Map.of()).load(config).settings(WriteBackConfig.class);
        dropTables(url, wb);
        for (String[] run : List.of(new String[] {"first run into an empty table", day1, DAY_1.toString()},
            new String[] {"the same run again", day1, DAY_1.toString()},
            new String[] {"next day's run (every churn probability changed)", day2, DAY_2.toString()})) {
          Dataset<Row> scores = spark.read().parquet(run[1]);
          long t0 = System.nanoTime();
          CrmWriteBack.Result r = new CrmWriteBack(wb, System.out::println).write(scores, LocalDate.parse(run[2]));
          double seconds = (System.nanoTime() - t0) / 1e9;
          lines.add(String.format(Locale.ROOT, "| %s | %s | %.1f | %,.0f | %,d | %,d |", db, run[0], seconds,
              r.rows() / seconds, r.upserted(), r.historyAdded()));
          System.out.println(lines.get(lines.size() - 1));
        }
        dropTables(url, wb);
      }
      Files.write(data.resolve("benchmark-writeback-" + args[2] + ".md"), lines);
      lines.forEach(System.out::println);
    } finally {
      spark.stop();
    }
  }

  /** The customer_scores Parquet of one day, generated once per size. */
  private static String scores(SparkSession spark, Path data, long customers, LocalDate asOf, String runId,
      double shift) {
    String path = data.resolve("writeback-" + customers + "-v2").resolve(Output.CUSTOMER_SCORES.at(asOf)).toString();
    if (!Files.exists(Path.of(path, "_SUCCESS"))) {
      int files = (int) Math.max(1, Math.min(4, customers / 100_000)); // as a scores stage writes: several files
      ScoresFixture.generated(spark, customers, asOf, runId, files, shift).write().mode(SaveMode.Overwrite).parquet(path);
    }
    return path;
  }

  private static void dropTables(String url, WriteBackConfig wb) throws SQLException {
    var j = wb.jdbc().orElseThrow();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      for (SqlName t : List.of(j.table(), j.historyTable().orElseThrow(), j.runLogTable())) {
        s.execute("DROP TABLE IF EXISTS " + t.sql(j.dialect()));
      }
    }
  }

}
