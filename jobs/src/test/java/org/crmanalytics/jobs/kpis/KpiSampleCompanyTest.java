package org.crmanalytics.jobs.kpis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.SampleCompany;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.realdata.RealData;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.kpis.KpiInputs;
import org.crmanalytics.models.kpis.KpiSettings;
import org.crmanalytics.models.kpis.SalesControllingKpis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The KPIs of the bundled sample company (as of 2025-12-31, every table present, default
 * settings), with DuckDB computing the same KPIs independently from the same files. The files
 * already follow the data contract, so they are read with the contract's schemas directly; the
 * stage's own reading of silver is covered by {@link KpiStageTest}.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class KpiSampleCompanyTest {
  private static final double CENT = 1e-6;
  private static final LocalDate AS_OF = SampleCompany.AS_OF;

  private static SparkSession spark;
  private static Map<String, Row> kpis;
  private static Connection duck;

  @BeforeAll
  static void computeOnce(SparkSession session) throws SQLException {
    spark = session;
    Path company = SampleCompany.folder();
    Map<String, Dataset<Row>> tables = new HashMap<>();
    for (String table : KpiInputs.TABLES) {
      tables.put(table, SampleCompany.table(spark, table));
    }
    kpis = new HashMap<>();
    for (Row r : SalesControllingKpis.transform(KpiInputs.of(tables), AS_OF, KpiSettings.defaults()).collectAsList()) {
      kpis.put(String.join("|", r.getString(0), r.getString(1), r.getString(3), r.getString(4), r.getString(5)), r);
    }
    duck = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement st = duck.createStatement()) {
      for (String table : List.of("customers", "sales", "offers", "sales_targets")) {
        st.execute("CREATE VIEW " + table + " AS SELECT * FROM read_csv('" + company.resolve(table)
            + "/*.csv', header = true)");
      }
    }
  }

  @AfterAll
  static void stop() throws SQLException {
    if (duck != null) {
      duck.close();
    }
  }

  private static double kpi(String type, String period, String dimension, String value, String id) {
    Row r = kpis.get(String.join("|", type, period, dimension, value, id));
    assertNotNull(r, "no row " + String.join("|", type, period, dimension, value, id));
    return r.getDouble(6);
  }

  private static Map<String, double[]> query(String sql) throws SQLException {
    Map<String, double[]> out = new HashMap<>();
    try (Statement st = duck.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        double[] values = new double[columns - 1];
        for (int i = 2; i <= columns; i++) {
          values[i - 2] = rs.getDouble(i);
        }
        out.put(rs.getString(1), values);
      }
    }
    return out;
  }

  @Test
  void asOfOnAYearEndGivesCompletePeriodsOnly() {
    assertTrue(kpis.keySet().stream().anyMatch(k -> k.startsWith("month|2024-01|")), "24 months of history");
    assertFalse(kpis.isEmpty());
    assertTrue(kpis.values().stream().noneMatch(r -> r.getBoolean(2)), "2025-12-31 ends month, quarter and year");
    assertTrue(kpis.keySet().stream().noneMatch(k -> k.contains("|2026")), "nothing after as_of");
  }

  @Test
  void monthlyRevenueMatchesDuckDb() throws SQLException {
    Map<String, double[]> months = query("SELECT strftime(order_date, '%Y-%m'), sum(net_amount::DECIMAL(18, 4))::DOUBLE "
        + "FROM sales WHERE order_date >= DATE '2024-01-01' GROUP BY 1");
    assertEquals(24, months.size(), months.keySet().toString());
    months.forEach((month, v) -> assertEquals(v[0], kpi("month", month, "all", "all", "revenue"), CENT, month));
  }

  @Test
  void channelWinRateMatchesDuckDb() throws SQLException {
    Map<String, double[]> channels = query("SELECT coalesce(o.channel, c.channel, '(none)'), "
        + "100.0 * count(*) FILTER (WHERE o.status = 'won') / count(*) FROM offers o LEFT JOIN customers c "
        + "USING (customer_id) WHERE o.status IN ('won', 'lost') "
        + "AND year(coalesce(o.closed_at, o.created_at)) = 2025 GROUP BY 1");
    assertTrue(channels.size() >= 3, channels.keySet().toString());
    channels.forEach((channel, v) ->
        assertEquals(v[0], kpi("year", "2025", "channel", channel, "offer_success_rate"), CENT, channel));
  }

  @Test
  void yearlyChurnMatchesDuckDb() throws SQLException {
    double[] churn = query("WITH active AS (SELECT DISTINCT customer_id FROM sales WHERE line_type = 'order' "
        + "AND order_date >= DATE '2024-01-01' AND order_date < DATE '2025-01-01'), "
        + "kept AS (SELECT DISTINCT customer_id FROM sales WHERE line_type = 'order' AND year(order_date) = 2025) "
        + "SELECT 'all', count(*), count(*) FILTER (WHERE customer_id NOT IN (SELECT customer_id FROM kept)) "
        + "FROM active").get("all");
    assertEquals(churn[0], kpi("year", "2025", "all", "all", "active_customers"), CENT);
    assertEquals(churn[1], kpi("year", "2025", "all", "all", "churned_customers"), CENT);
    assertEquals(100 * churn[1] / churn[0], kpi("year", "2025", "all", "all", "churn_rate"), CENT);
  }

  @Test
  void concentrationMatchesDuckDbByPairwiseDifferences() throws SQLException {
    try (Statement st = duck.createStatement()) {
      st.execute("CREATE OR REPLACE TEMP TABLE r AS SELECT customer_id, sum(net_amount::DECIMAL(18, 4))::DOUBLE x FROM sales "
          + "WHERE year(order_date) = 2025 GROUP BY 1 HAVING sum(net_amount) > 0");
    }
    double[] totals = query("SELECT 'all', count(*), sum(x) FROM r").get("all");
    long n = (long) totals[0];
    long top = (n * 10 + 99) / 100;
    double topRevenue = query("SELECT 'all', sum(x) FROM (SELECT x FROM r ORDER BY x DESC LIMIT " + top + ")")
        .get("all")[0];
    assertEquals(100 * topRevenue / totals[1], kpi("year", "2025", "all", "all", "top_customer_revenue_share"), 1e-9);
    double pairs = query("SELECT 'all', sum(abs(a.x - b.x)) FROM r a, r b").get("all")[0];
    assertEquals(pairs / (2.0 * n * totals[1]), kpi("year", "2025", "all", "all", "revenue_gini"), 1e-9);
  }

  @Test
  void everyTargetOfAReportedPeriodHasItsAchievement() throws SQLException {
    // The targets given, plus each year whose four quarters have targets (the sample plans per quarter).
    double[] targets = query("SELECT 'all', (SELECT count(*) FROM sales_targets WHERE target > 0 "
        + "AND period >= '2024' AND period < '2026') + (SELECT count(*) FROM (SELECT rep_id, kpi, "
        + "count(DISTINCT period) AS quarters, sum(target) AS total FROM sales_targets WHERE period LIKE '____-Q_' "
        + "AND period >= '2024' AND period < '2026' GROUP BY rep_id, kpi, substr(period, 1, 4)) "
        + "WHERE quarters = 4 AND total > 0)").get("all");
    long achievements = kpis.keySet().stream().filter(k -> k.contains("|rep|") && k.contains("|achievement_")).count();
    assertTrue(targets[0] > 0);
    assertEquals((long) targets[0], achievements);
    Map<String, double[]> revenue = query("SELECT c.sales_rep_id, sum(s.net_amount::DECIMAL(18, 4))::DOUBLE, max(t.target)::DOUBLE "
        + "FROM sales s JOIN customers c USING (customer_id) JOIN sales_targets t ON t.rep_id = c.sales_rep_id "
        + "AND t.period = '2025-Q2' AND t.kpi = 'revenue' "
        + "WHERE s.order_date BETWEEN DATE '2025-04-01' AND DATE '2025-06-30' GROUP BY 1");
    assertFalse(revenue.isEmpty());
    revenue.forEach((rep, v) ->
        assertEquals(100 * v[0] / v[1], kpi("quarter", "2025-Q2", "rep", rep, "achievement_revenue"), CENT, rep));
  }

  @Test
  void theYearsTargetIsTheSumOfItsQuarters() throws SQLException {
    double[] total = query("SELECT 'all', sum(target::DECIMAL(18, 4))::DOUBLE FROM sales_targets "
        + "WHERE kpi = 'revenue' AND period LIKE '2025-Q_'").get("all");
    Row year = kpis.get("year|2025|all|all|revenue");
    assertNotNull(year);
    assertEquals(total[0], year.getDouble(7), CENT);
  }

  /** The sample's targets (revenue, visits, new customers, offers won) are all counts or sums. */
  @Test
  void theCompanyRowsCarryTheSumOfTheRepsTargets() throws SQLException {
    Map<String, double[]> sums = query("SELECT period || '|' || kpi, sum(target::DECIMAL(18, 4))::DOUBLE "
        + "FROM sales_targets WHERE period >= '2024' AND period < '2026' GROUP BY 1");
    assertTrue(sums.size() > 4, sums.keySet().toString());
    sums.forEach((key, v) -> {
      String[] periodKpi = key.split("\\|");
      Row r = kpis.get(String.join("|", "quarter", periodKpi[0], "all", "all", periodKpi[1]));
      assertNotNull(r, key);
      assertEquals(v[0], r.getDouble(7), CENT, key);
      assertEquals(100 * r.getDouble(6) / v[0],
          kpi("quarter", periodKpi[0], "all", "all", "achievement_" + periodKpi[1]), CENT, key);
    });
    // The company's actual is all revenue, also of customers whose rep has no target.
    double[] q2 = query("SELECT 'all', sum(net_amount::DECIMAL(18, 4))::DOUBLE FROM sales "
        + "WHERE order_date BETWEEN DATE '2025-04-01' AND DATE '2025-06-30'").get("all");
    assertEquals(100 * q2[0] / sums.get("2025-Q2|revenue")[0],
        kpi("quarter", "2025-Q2", "all", "all", "achievement_revenue"), CENT);
  }
}
