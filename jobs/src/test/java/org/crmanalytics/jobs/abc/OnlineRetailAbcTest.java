package org.crmanalytics.jobs.abc;

import org.crmanalytics.jobs.io.Output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.realdata.RealData;
import org.crmanalytics.jobs.realdata.SharedIngest;
import org.crmanalytics.jobs.runner.PipelineRunner;
import org.crmanalytics.models.abc.AbcOutput.Customers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The abc stage on the real UCI Online Retail file (UCI Machine Learning Repository, data set 352,
 * CC BY 4.0), ingested with data-samples/mappings/online-retail.yaml (as_of 2011-12-09, default
 * abc settings: revenue over 12 months, cut-offs 50/80/95/99). Each customer's value is recomputed
 * from the silver Parquet with DuckDB and its class and rank with plain Java, and must agree with
 * the stage. The class distribution is printed (docs/abc.md quotes it) and written to
 * target/abc-online-retail.md. Skipped when the data set is absent, except on CI.
 */
@Tag("spark")
@Tag("realdata")
@ExtendWith(SharedSpark.class)
class OnlineRetailAbcTest {
  private static final String FILE = "online-retail/online_retail_2010-2011.csv.gz";
  private static final String SOURCE = "UCI Online Retail (UCI Machine Learning Repository, data set 352)";
  private static SparkSession spark;
  private static PipelineConfig config;

  @TempDir static Path out;

  @BeforeAll
  static void run(SparkSession session) {
    if (RealData.find(FILE, SOURCE) == null) {
      return;
    }
    spark = session;
    // The ingest is shared with the other Online Retail tests; abc runs on its silver, as in `run`.
    config = SharedIngest.copyInto(spark, "online-retail.yaml", out);
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(captured, true, StandardCharsets.UTF_8);
        Console console = new Console(ps, Console.Verbosity.NORMAL)) {
      new PipelineRunner(console).run(spark, config, List.of(new AbcStage()), "run");
    }
    System.out.println(captured.toString(StandardCharsets.UTF_8));
  }

  @Test
  void classesAndRanksAgreeWithAnIndependentComputation() throws Exception {
    RealData.assumePresent(spark == null ? null : RealData.datasets().resolve(FILE), FILE, SOURCE);
    String classified = out.resolve(Output.ABC_CUSTOMERS.at(config.asOf())).toString();
    List<Row> rows = spark.read().parquet(classified).collectAsList();
    assertEquals(4_372, rows.size(), "one row per CustomerID of the file");

    // Window revenue per customer from silver, with DuckDB: order dates in (2010-12-09, 2011-12-09].
    Map<String, BigDecimal> value = new HashMap<>();
    String silver = out.resolve("silver/sales/as_of=" + config.asOf()).toString();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT customer_id, sum(net_amount) FROM read_parquet('" + silver
            + "/*.parquet') WHERE order_date > DATE '2010-12-09' AND order_date <= DATE '2011-12-09' GROUP BY 1")) {
      while (rs.next()) {
        value.put(rs.getString(1), rs.getBigDecimal(2));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }

    // Classes in plain Java: sort by value, ties share the value ranked strictly above.
    List<Map.Entry<String, BigDecimal>> all = new ArrayList<>();
    for (Row r : rows) {
      String id = r.getAs(Customers.CUSTOMER_ID);
      all.add(Map.entry(id, value.getOrDefault(id, BigDecimal.ZERO)));
    }
    all.sort((a, b) -> b.getValue().compareTo(a.getValue()));
    BigDecimal total = all.stream().map(Map.Entry::getValue).filter(v -> v.signum() > 0)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
    double[] cutoffs = {50, 80, 95, 99};
    String[] letters = {"A", "B", "C", "D", "E"};
    Map<String, String> expectedClass = new HashMap<>();
    Map<String, Integer> expectedRank = new HashMap<>();
    BigDecimal above = BigDecimal.ZERO;
    for (int i = 0; i < all.size(); ) {
      int j = i;
      BigDecimal v = all.get(i).getValue();
      BigDecimal group = BigDecimal.ZERO;
      while (j < all.size() && all.get(j).getValue().compareTo(v) == 0) {
        group = group.add(v);
        j++;
      }
      String cls = "E";
      if (v.signum() > 0) {
        for (int k = 0; k < cutoffs.length; k++) {
          if (above.multiply(BigDecimal.valueOf(100)).compareTo(total.multiply(BigDecimal.valueOf(cutoffs[k]))) < 0) {
            cls = letters[k];
            break;
          }
        }
      }
      for (int k = i; k < j; k++) {
        expectedClass.put(all.get(k).getKey(), cls);
        expectedRank.put(all.get(k).getKey(), i + 1);
      }
      if (v.signum() > 0) {
        above = above.add(group);
      }
      i = j;
    }

    Map<String, long[]> customers = new TreeMap<>();
    Map<String, BigDecimal> classValue = new TreeMap<>();
    Map<String, Long> xyz = new TreeMap<>();
    for (Row r : rows) {
      String id = r.getAs(Customers.CUSTOMER_ID);
      BigDecimal v = r.getAs(Customers.VALUE);
      assertEquals(0, value.getOrDefault(id, BigDecimal.ZERO).compareTo(v), id + " value: DuckDB vs stage");
      assertEquals(expectedClass.get(id), r.getAs(Customers.CLASS), id + " class");
      assertEquals(expectedRank.get(id), (Integer) r.getAs(Customers.RANK), id + " rank");
      String cls = r.getAs(Customers.CLASS);
      customers.computeIfAbsent(cls, k -> new long[1])[0]++;
      classValue.merge(cls, v, BigDecimal::add);
      xyz.merge(cls + r.getAs(Customers.XYZ_CLASS), 1L, Long::sum);
    }

    StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
        "Online Retail, as_of %s, revenue over 12 months, total positive revenue %s, %d customers%n%n"
            + "| class | customers | share of customers | revenue | share of revenue | X | Y | Z |%n"
            + "|---|---:|---:|---:|---:|---:|---:|---:|%n", config.asOf(), total.toPlainString(), rows.size()));
    for (String cls : customers.keySet()) {
      long n = customers.get(cls)[0];
      BigDecimal v = classValue.get(cls);
      table.append(String.format(Locale.ROOT, "| %s | %,d | %.1f %% | %,.2f | %.1f %% | %d | %d | %d |%n", cls, n,
          100.0 * n / rows.size(), v, 100 * v.doubleValue() / total.doubleValue(),
          xyz.getOrDefault(cls + "X", 0L), xyz.getOrDefault(cls + "Y", 0L), xyz.getOrDefault(cls + "Z", 0L)));
    }
    System.out.println(table);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/abc-online-retail.md"), table.toString());
    assertTrue(customers.containsKey("A") && customers.get("A")[0] < customers.get("E")[0],
        "a few customers hold half the revenue: " + table);
  }
}
