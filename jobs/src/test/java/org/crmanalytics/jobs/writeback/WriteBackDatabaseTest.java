package org.crmanalytics.jobs.writeback;

import org.crmanalytics.jobs.cli.Pipeline;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.writeback.CrmWriteBack.Result;
import org.crmanalytics.models.scores.CustomerScores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-back against a real database (the subclasses: PostgreSQL and MariaDB on 127.0.0.1).
 * Every test works in tables of its own, named {@code wb<random>_<test>_...}, dropped at the end.
 * Faults are real: the test kills the write-back's database session from a second connection.
 */
@Tag("spark")
@Tag("db")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSpark.class)
abstract class WriteBackDatabaseTest {
  static final LocalDate NOV = LocalDate.of(2025, 11, 30);
  static final LocalDate DEC = LocalDate.of(2025, 12, 31);
  static final int CUSTOMERS = 300;

  final String prefix = "wb" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30), 36) + "_";
  final List<String> created = Collections.synchronizedList(new ArrayList<>());
  SparkSession spark;
  String down;
  @TempDir Path dir;

  abstract String url();

  abstract String user();

  /** Schema (PostgreSQL) or database (MariaDB) of the test tables. */
  abstract String schema();

  abstract Dialect dialect();

  /** Rows for the killed-load tests: enough that the load lasts well over the polling interval. */
  abstract int bigRun();

  /** Holds a lock in {@code c} (left open) that makes the write-back's upsert into {@code table} wait. */
  abstract void blockUpserts(Connection c, String table) throws SQLException;

  /** The session id of a write-back session whose current statement starts with {@code sqlStart}, or -1. */
  abstract long sessionRunning(Connection admin, String sqlStart) throws SQLException;

  /** The session id of a write-back session waiting for a lock in a statement starting so, or -1. */
  abstract long sessionWaiting(Connection admin, String sqlStart) throws SQLException;

  abstract void kill(Connection admin, long session) throws SQLException;

  @BeforeAll
  void start(SparkSession session) {
    try (Connection c = DriverManager.getConnection(url(), user(), "")) {
      down = null;
    } catch (SQLException e) {
      down = e.getMessage();
    }
    if ("true".equalsIgnoreCase(System.getenv("CI")) && down != null) {
      fail("CI=true, but the database " + url() + " is not reachable: " + down);
    }
    spark = session;
  }

  @AfterAll
  void stop() throws SQLException {
    if (down == null) {
      try (Connection c = admin(); Statement s = c.createStatement()) {
        for (String t : created) {
          s.execute("DROP TABLE IF EXISTS " + t);
        }
      }
    }
  }

  Connection admin() throws SQLException {
    assumeTrue(down == null, () -> url() + " is not reachable (" + down + "); start it (see .ci/run)");
    return DriverManager.getConnection(url(), user(), "");
  }

  /** The names of one test's tables, registered for the final drop. */
  record Tables(String target, String history, String runLog) {}

  Tables tables(String test) {
    String base = schema() + "." + prefix + test;
    Tables t = new Tables(base + "_scores", base + "_hist", base + "_runs");
    created.addAll(List.of(t.target(), t.history(), t.runLog()));
    return t;
  }

  WriteBackConfig config(Tables t, String more) throws IOException {
    return config(t, more, 1);
  }

  WriteBackConfig config(Tables t, String more, int attempts) throws IOException {
    String yaml = "connections:\n  crm: {url: \"" + url() + "\", user: " + user() + "}\n"
        + "tables:\n  customers: {path: c.csv}\n  sales: {path: s.csv}\n"
        + "writeback:\n  target: jdbc\n  connection: crm\n  table: " + t.target() + "\n  history_table: "
        + t.history() + "\n  run_log_table: " + t.runLog() + "\n  retry: {attempts: " + attempts + ", backoff_ms: 50}\n" + more;
    Path file = dir.resolve("config-" + System.nanoTime() + ".yaml");
    Files.writeString(file, yaml);
    return Pipeline.configLoader(Map.of()).load(file).settings(WriteBackConfig.class);
  }

  final List<String> log = Collections.synchronizedList(new ArrayList<>());

  Result write(WriteBackConfig config, Dataset<Row> scores, LocalDate asOf) {
    return new CrmWriteBack(config, log::add).write(scores, asOf);
  }

  Dataset<Row> run(LocalDate asOf, String runId, int from, int to) {
    return ScoresFixture.frame(spark, ScoresFixture.rows(from, to, asOf, runId));
  }

  /**
   * A run in which every customer's churn probability differs from {@link #run}'s (lowered by 0.01:
   * raising it would leave the customers already at 1.0 unchanged).
   */
  Dataset<Row> changedRun(LocalDate asOf, String runId, int from, int to) {
    List<Row> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      rows.add(ScoresFixture.row(i, asOf, runId, -0.01));
    }
    return ScoresFixture.frame(spark, rows);
  }

  /** The run log's change counts of one run: "rows changed|rows unchanged". */
  String runLogCounts(Tables t, String runId) throws SQLException {
    List<String> counts = strings("SELECT CONCAT(" + q("rows_changed") + ", '|', " + q("rows_unchanged") + ") FROM "
        + t.runLog() + " WHERE " + q("run_id") + " = '" + runId + "'");
    assertEquals(1, counts.size(), "run-log rows of " + runId);
    return counts.get(0);
  }

  /** Every row of a table, ordered by its first column, each as its values joined by '|'. */
  List<String> contents(String table) throws SQLException {
    try (Connection c = admin(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT * FROM " + table + " ORDER BY 1, 2")) {
      ResultSetMetaData m = r.getMetaData();
      List<String> out = new ArrayList<>();
      while (r.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= m.getColumnCount(); i++) {
          b.append(i > 1 ? "|" : "").append(r.getString(i));
        }
        out.add(b.toString());
      }
      return out;
    }
  }

  long count(String sql) throws SQLException {
    try (Connection c = admin(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  List<String> strings(String sql) throws SQLException {
    try (Connection c = admin(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (r.next()) {
        out.add(r.getString(1));
      }
      return out;
    }
  }

  /** {@code scores} with {@code column} null on customer {@code i}'s row. */
  static Dataset<Row> nullFor(Dataset<Row> scores, String column, int i) {
    return scores.withColumn(column, when(col("customer_id").equalTo(ScoresFixture.customerId(i)), null)
        .otherwise(col(column)));
  }

  /** How many staging tables of this run's write-back exist (0 once a write-back has ended). */
  long stagingTables(WriteBackConfig config, String runId) throws SQLException {
    String staging = new WriteBackSql(config.jdbc().orElseThrow()).staging(runId).name();
    return count("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '" + staging
        + "' AND table_schema = '" + schema() + "'");
  }

  String q(String name) {
    return dialect().quote(name);
  }

  // ------------------------------------------------------------------------------------------

  @Test
  void createdTableGetsEveryCustomerAndRepeatingTheRunChangesNothing() throws Exception {
    Tables t = tables("repeat");
    WriteBackConfig config = config(t, "  create: true\n  stale_customers: mark\n");
    Result first = write(config, run(NOV, "run-1", 0, CUSTOMERS), NOV);
    assertEquals(CUSTOMERS, first.rows());
    assertEquals(CUSTOMERS, count("SELECT COUNT(*) FROM " + t.target()));
    // Every value arrives as it is, texts with ';', quotes, tab, newline, backslash and umlauts too.
    for (int i = 0; i < CUSTOMERS; i++) {
      Row expected = ScoresFixture.row(i, NOV, "run-1", 0);
      try (Connection c = admin(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT "
          + q("abc_reason_de") + ", " + q("churn_probability") + ", " + q("clv") + ", " + q("as_of") + ", "
          + q("risk_rank_in_rep") + ", " + q("churn_reasons") + ", " + q("scores_stale") + " FROM " + t.target()
          + " WHERE " + q("customer_id") + " = '" + ScoresFixture.customerId(i) + "'")) {
        assertTrue(r.next(), "customer " + i);
        assertEquals(expected.getString(CustomerScores.SCHEMA.fieldIndex(CustomerScores.ABC_REASON_DE)), r.getString(1),
            "abc_reason_de of customer " + i);
        assertEquals(expected.getDouble(CustomerScores.SCHEMA.fieldIndex(CustomerScores.CHURN_PROBABILITY)), r.getDouble(2), 0.0,
            "churn_probability of customer " + i);
        int clv = CustomerScores.SCHEMA.fieldIndex(CustomerScores.CLV);
        assertEquals(expected.isNullAt(clv) ? null : expected.getDouble(clv), (Double) r.getObject(3, Double.class),
            "clv of customer " + i);
        assertEquals(NOV, r.getDate(4).toLocalDate());
        assertEquals(expected.getInt(CustomerScores.SCHEMA.fieldIndex(CustomerScores.RISK_RANK_IN_REP)), r.getInt(5));
        String json = r.getString(6);
        assertTrue(json.contains("üblich") && json.contains("orders_90d") && json.contains("\"rank\""),
            "churn_reasons as JSON: " + json);
        assertFalse(r.getBoolean(7), "scored customers are not stale");
      }
    }
    assertEquals(CUSTOMERS, count("SELECT COUNT(*) FROM " + t.history()));
    assertEquals(List.of(NOV.toString()), strings("SELECT " + q("as_of") + " FROM " + t.runLog()));

    List<String> before = contents(t.target());
    List<String> historyBefore = contents(t.history());
    List<String> runLogBefore = contents(t.runLog());
    Result again = write(config, run(NOV, "run-1", 0, CUSTOMERS), NOV);
    assertEquals(0, again.upserted(), "rows changed by repeating the run");
    assertEquals(0, again.historyAdded(), "history rows added by repeating the run");
    assertEquals(before, contents(t.target()), "the target (updated-at column included) after repeating the run");
    assertEquals(historyBefore, contents(t.history()), "the history after repeating the run");
    assertEquals(runLogBefore, contents(t.runLog()), "the run log after repeating the run");
    assertEquals(0, stagingTables(config, "run-1"), "staging table left behind");
  }

  /**
   * Issue 22: `run` again for the same as_of is a new run (new run_id), and with `create: true` the
   * run_id and as_of are written columns. Equal scores must still leave every CRM row as it was.
   */
  @Test
  void newRunWithUnchangedScoresChangesNoCrmRowAndIsLogged() throws Exception {
    Tables t = tables("rerun");
    WriteBackConfig config = config(t, "  create: true\n  stale_customers: mark\n");
    write(config, run(NOV, "run-1", 0, CUSTOMERS), NOV);
    List<String> target = contents(t.target());
    List<String> history = contents(t.history());
    Thread.sleep(20); // a later transaction time: a touched row would show it in scores_updated_at
    Result again = write(config, run(NOV, "run-2", 0, CUSTOMERS), NOV);
    assertEquals(0, again.upserted(), "rows changed by a new run with the same scores");
    assertEquals(CUSTOMERS, again.unchanged());
    assertEquals(0, again.historyAdded(), "history rows added by a new run with the same scores");
    assertEquals(target, contents(t.target()), "the target, run_id and scores_updated_at included");
    assertEquals(history, contents(t.history()), "the history");
    assertEquals(CUSTOMERS + "|0", runLogCounts(t, "run-1"), "run-1: rows changed|unchanged");
    assertEquals("0|" + CUSTOMERS, runLogCounts(t, "run-2"), "run-2: rows changed|unchanged");
    assertTrue(log.stream().anyMatch(l -> l.contains(String.format(Locale.ROOT, "0 changed, %,d unchanged", CUSTOMERS))),
        log.toString());
  }

  @Test
  void oneChangedScoreUpdatesExactlyThatRowAndAddsOneHistoryRow() throws Exception {
    Tables t = tables("onechg");
    WriteBackConfig config = config(t, "  create: true\n  stale_customers: mark\n");
    write(config, run(NOV, "run-1", 0, CUSTOMERS), NOV);
    List<String> target = contents(t.target());
    List<String> history = contents(t.history());
    List<Row> rows = new ArrayList<>(ScoresFixture.rows(0, CUSTOMERS, NOV, "run-2"));
    int changed = 7;
    rows.set(changed, ScoresFixture.row(changed, NOV, "run-2", -0.01));
    Thread.sleep(20);
    Result r = write(config, ScoresFixture.frame(spark, rows), NOV);
    assertEquals(1, r.upserted(), "rows changed");
    assertEquals(1, r.historyAdded(), "history rows added");
    List<String> after = contents(t.target());
    assertEquals(CUSTOMERS, after.size());
    for (int i = 0; i < CUSTOMERS; i++) {
      if (i != changed) {
        assertEquals(target.get(i), after.get(i), "unchanged customer " + i + ", run_id and updated-at included");
      }
    }
    String row = after.get(changed);
    assertTrue(row.startsWith(ScoresFixture.customerId(changed) + "|" + NOV + "|run-2|"), row);
    assertNotEquals(updatedAt(t, target, changed), updatedAt(t, after, changed), "updated-at of the changed customer");
    List<String> historyAfter = contents(t.history());
    assertEquals(history.size() + 1, historyAfter.size());
    assertTrue(historyAfter.containsAll(history), "earlier history rows stay");
    assertEquals(List.of(ScoresFixture.customerId(changed)), strings("SELECT " + q("customer_id") + " FROM "
        + t.history() + " WHERE " + q("run_id") + " = 'run-2'"));
    assertEquals("1|" + (CUSTOMERS - 1), runLogCounts(t, "run-2"), "run-2: rows changed|unchanged");
  }

  /** customer {@code i}'s scores_updated_at in {@code contents} of the target. */
  String updatedAt(Tables t, List<String> contents, int i) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (Connection c = admin(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT * FROM " + t.target() + " WHERE 1 = 0")) {
      for (int k = 1; k <= r.getMetaData().getColumnCount(); k++) {
        columns.add(r.getMetaData().getColumnName(k));
      }
    }
    return contents.get(i).split("\\|", -1)[columns.indexOf("scores_updated_at")];
  }

  /** A run log written before the change counts existed gets them; its earlier rows keep null. */
  @Test
  void runLogOfAnEarlierVersionGetsTheChangeCounts() throws Exception {
    Tables t = tables("oldlog");
    try (Connection c = admin(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + t.runLog() + " (" + q("target_table") + " VARCHAR(255) NOT NULL, " + q("run_id")
          + " VARCHAR(255) NOT NULL, " + q("as_of") + " DATE NOT NULL, " + q("customers") + " BIGINT NOT NULL, "
          + q("written_at") + " " + dialect().timestampType() + " NOT NULL, PRIMARY KEY (" + q("target_table") + ", "
          + q("run_id") + "))");
      s.execute("INSERT INTO " + t.runLog() + " VALUES ('elsewhere', 'run-0', '2025-10-31', 5, '2025-11-01 02:00:00')");
    }
    write(config(t, "  create: true\n"), run(NOV, "run-1", 0, 20), NOV);
    assertEquals("20|0", runLogCounts(t, "run-1"));
    assertEquals(1, count("SELECT COUNT(*) FROM " + t.runLog() + " WHERE " + q("run_id") + " = 'run-0' AND "
        + q("rows_changed") + " IS NULL"));
  }

  @Test
  void historyOlderThanItsRetentionIsRemovedByTheRun() throws Exception {
    Tables t = tables("keep");
    // December 31 keeps 31 days: back to November 30, which stays; 30 days would remove it.
    for (int keepDays : new int[] {31, 30}) {
      Tables each = keepDays == 31 ? t : tables("keep30");
      WriteBackConfig config = config(each, "  create: true\n  history_keep_days: " + keepDays + "\n");
      Result nov = write(config, run(NOV, "run-nov", 0, CUSTOMERS), NOV);
      assertEquals(0, nov.historyPruned());
      Result dec = write(config, changedRun(DEC, "run-dec", 0, CUSTOMERS), DEC);
      long kept = keepDays == 31 ? CUSTOMERS : 0;
      assertEquals(CUSTOMERS - kept, dec.historyPruned(), "keep " + keepDays + " days");
      assertEquals(CUSTOMERS + kept, count("SELECT COUNT(*) FROM " + each.history()), "keep " + keepDays + " days");
      assertEquals(keepDays == 31 ? List.of(NOV.toString(), DEC.toString()) : List.of(DEC.toString()),
          strings("SELECT DISTINCT " + q("as_of") + " FROM " + each.history() + " ORDER BY 1"));
      assertEquals(2, count("SELECT COUNT(*) FROM " + each.runLog()), "the run log keeps every run");
      assertTrue(log.stream().anyMatch(l -> l.contains(String.format(Locale.ROOT, "%,d older than %d days removed",
          CUSTOMERS - kept, keepDays))), log.toString());
    }
  }

  @Test
  void laterRunUpdatesChangedCustomersMarksMissingOnesStaleAndExtendsTheHistory() throws Exception {
    Tables t = tables("later");
    WriteBackConfig config = config(t, "  create: true\n  stale_customers: mark\n  columns: {customer_id: "
        + "customer_id, abc_class: abc_class, churn_probability: churn_probability, churn_band: churn_band}\n");
    write(config, run(NOV, "run-nov", 0, CUSTOMERS), NOV);
    List<String> nov = contents(t.target());
    List<Row> dec = new ArrayList<>();
    for (int i = 0; i < CUSTOMERS - 10; i++) {
      dec.add(ScoresFixture.row(i, DEC, "run-dec", i < 10 ? 0.05 : 0)); // customers 0-9 change, 290-299 are gone
    }
    Thread.sleep(20); // a later transaction time, so an update shows in the updated-at column
    Result r = write(config, ScoresFixture.frame(spark, dec), DEC);
    assertEquals(10, r.stale());
    assertEquals(10, r.upserted(), "customers 0-9 changed; the others keep their row");
    assertEquals(10, r.historyAdded(), "the history keeps value changes: customers 0-9");
    List<String> after = contents(t.target());
    assertEquals(CUSTOMERS, after.size());
    for (int i = 0; i < CUSTOMERS; i++) {
      String[] was = nov.get(i).split("\\|");
      String[] now = after.get(i).split("\\|");
      // columns: customer_id, abc_class, churn_probability, churn_band, scores_updated_at, scores_stale
      boolean stale = i >= CUSTOMERS - 10;
      if (i < 10) {
        assertNotEquals(was[2], now[2], "churn_probability of changed customer " + i);
        assertNotEquals(was[4], now[4], "updated-at of changed customer " + i);
      } else {
        assertEquals(was[2], now[2], "churn_probability of unchanged or stale customer " + i);
        // Marking an account stale is a change of the account, so it counts as an update.
        assertEquals(stale, !was[4].equals(now[4]), "updated-at of customer " + i + (stale ? " (stale)" : ""));
      }
      assertEquals(stale, Set.of("t", "true", "1").contains(now[5]), "stale flag of customer " + i + ": " + now[5]);
    }
    assertEquals(CUSTOMERS + 10L, count("SELECT COUNT(*) FROM " + t.history()));
    assertEquals(CUSTOMERS + "|0", runLogCounts(t, "run-nov"), "run-nov into the empty table: rows changed|unchanged");
    assertEquals("10|" + (CUSTOMERS - 20), runLogCounts(t, "run-dec"), "run-dec: rows changed|unchanged");
    assertEquals(List.of(NOV.toString(), DEC.toString()),
        strings("SELECT " + q("as_of") + " FROM " + t.runLog() + " ORDER BY 1"));
  }

  @Test
  void existingCrmTableGetsTheMappedColumnsAndKeepsItsOthers() throws Exception {
    Tables t = tables("crm");
    try (Connection c = admin(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + t.target() + " (" + q("account_id") + " VARCHAR(64) PRIMARY KEY, "
          + q("account_name") + " VARCHAR(100), " + q("abc_class_c") + " VARCHAR(1), " + q("churn_risk_c")
          + " VARCHAR(10), " + q("churn_p_c") + " DOUBLE PRECISION, " + q("stale_c") + " BOOLEAN, "
          + q("scores_changed_at") + " " + dialect().timestampType() + ")");
      s.execute("INSERT INTO " + t.target() + " (" + q("account_id") + ", " + q("account_name") + ") VALUES "
          + "('K000001', 'Müller GmbH'), ('X999', 'Altkunde AG')");
    }
    WriteBackConfig config = config(t, "  columns:\n    customer_id: account_id\n    abc_class: abc_class_c\n"
        + "    churn_band: churn_risk_c\n    churn_probability: churn_p_c\n  stale_customers: mark\n"
        + "  stale_column: stale_c\n  updated_at_column: scores_changed_at\n");
    write(config, run(NOV, "run-1", 0, 100), NOV);
    assertEquals(101, count("SELECT COUNT(*) FROM " + t.target()));
    assertEquals(List.of("Müller GmbH|B|" + (ScoresFixture.row(1, NOV, "x", 0).getString(CustomerScores.SCHEMA.fieldIndex(CustomerScores.CHURN_BAND)))),
        strings("SELECT CONCAT(" + q("account_name") + ", '|', " + q("abc_class_c") + ", '|', " + q("churn_risk_c")
            + ") FROM " + t.target() + " WHERE " + q("account_id") + " = 'K000001'"));
    assertEquals(List.of("Altkunde AG"), strings("SELECT " + q("account_name") + " FROM " + t.target() + " WHERE "
        + q("account_id") + " = 'X999' AND " + q("stale_c") + " = TRUE AND " + q("abc_class_c") + " IS NULL"));
    assertEquals(100, count("SELECT COUNT(*) FROM " + t.target() + " WHERE " + q("stale_c") + " = FALSE AND "
        + q("scores_changed_at") + " IS NOT NULL"));
  }

  @Test
  void missingCrmColumnIsAClearError() throws Exception {
    Tables t = tables("nocol");
    try (Connection c = admin(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + t.target() + " (" + q("account_id") + " VARCHAR(64) PRIMARY KEY)");
    }
    WriteBackConfig config = config(t, "  columns: {customer_id: account_id, abc_class: abc_class_c}\n");
    UserError e = assertThrows(UserError.class, () -> write(config, run(NOV, "run-1", 0, 10), NOV));
    assertTrue(e.getMessage().startsWith("writeback.table: " + t.target() + " on 'crm'")
        && e.getMessage().contains("abc_class_c") && e.getMessage().contains("writeback.columns"), e.getMessage());
  }

  @Test
  void olderRunIsRefusedUnlessForced() throws Exception {
    Tables t = tables("older");
    write(config(t, "  create: true\n"), run(DEC, "run-dec", 0, 50), DEC);
    List<String> dec = contents(t.target());
    UserError e = assertThrows(UserError.class,
        () -> write(config(t, "  create: true\n"), run(NOV, "run-nov", 0, 50), NOV));
    assertInstanceOf(CrmWriteBack.OlderThanCrm.class, e);
    assertTrue(e.getMessage().contains("already holds scores as of 2025-12-31 (run run-dec)")
        && e.getMessage().contains("this run's as_of 2025-11-30") && e.getMessage().contains("writeback.force: true"),
        e.getMessage());
    assertEquals(dec, contents(t.target()), "the newer scores stay");
    write(config(t, "  create: true\n  force: true\n"), changedRun(NOV, "run-nov", 0, 50), NOV);
    assertEquals(List.of(NOV.toString()), strings("SELECT DISTINCT " + q("as_of") + " FROM " + t.target()));
    assertEquals(2, count("SELECT COUNT(*) FROM " + t.runLog()));
  }

  @Test
  void customerTwiceInARunIsAClearError() throws Exception {
    Tables t = tables("dup");
    List<Row> rows = new ArrayList<>(ScoresFixture.rows(0, 20, NOV, "run-1"));
    rows.add(ScoresFixture.row(7, NOV, "run-1", 0.1));
    UserError e = assertThrows(UserError.class,
        () -> write(config(t, "  create: true\n"), ScoresFixture.frame(spark, rows), NOV));
    assertTrue(e.getMessage().contains("more than once") && e.getMessage().contains("was not changed"), e.getMessage());
    assertEquals(0, count("SELECT COUNT(*) FROM " + t.target()));
  }

  /**
   * The input is checked in the pass that loads staging: a bad run stops there with its reason, the
   * CRM keeps the previous run and no staging table is left behind.
   */
  @Test
  void badRunIsRefusedWithItsReasonAndTheCrmKeepsThePreviousOne() throws Exception {
    Tables t = tables("bad");
    WriteBackConfig config = config(t, "  create: true\n");
    write(config, run(NOV, "run-nov", 0, CUSTOMERS), NOV);
    List<String> target = contents(t.target());
    List<String> history = contents(t.history());
    Dataset<Row> dec = run(DEC, "run-dec", 0, CUSTOMERS);
    Map<String, Dataset<Row>> bad = new LinkedHashMap<>();
    bad.put("has no rows", dec.limit(0));
    bad.put("1 of 300 rows have no customer_id", nullFor(dec, "customer_id", 250));
    bad.put("must hold exactly one run, found run_id run-dec and run-other",
        dec.union(run(DEC, "run-other", CUSTOMERS, CUSTOMERS + 1)));
    bad.put("must hold exactly one run, found run_id missing on some rows", nullFor(dec, "run_id", 3));
    bad.put("holds rows with as_of 2025-11-30 to 2025-12-31", dec.union(run(NOV, "run-dec", CUSTOMERS, CUSTOMERS + 1)));
    for (Map.Entry<String, Dataset<Row>> e : bad.entrySet()) {
      UserError error = assertThrows(UserError.class, () -> write(config, e.getValue(), DEC), e.getKey());
      assertTrue(error.getMessage().contains(e.getKey()), e.getKey() + ": " + error.getMessage());
      assertEquals(target, contents(t.target()), e.getKey() + ": the target");
      assertEquals(history, contents(t.history()), e.getKey() + ": the history");
      assertEquals(List.of(NOV.toString()), strings("SELECT " + q("as_of") + " FROM " + t.runLog()), e.getKey());
      assertEquals(0, stagingTables(config, "run-dec"), e.getKey() + ": staging table left behind");
    }
  }

  @Test
  void killedTransactionLeavesThePreviousScoresAndSaysWhatToDo() throws Exception {
    Tables t = tables("killtx");
    WriteBackConfig config = config(t, "  create: true\n  stale_customers: mark\n");
    write(config, run(NOV, "run-nov", 0, CUSTOMERS), NOV);
    List<String> nov = contents(t.target());
    List<String> history = contents(t.history());
    UserError e = assertThrows(UserError.class, () -> killTransaction(t, config, run(DEC, "run-dec", 0, CUSTOMERS - 5)));
    assertTrue(e.getMessage().contains("failed in the transaction that updates " + t.target())
        && e.getMessage().contains("rolled back") && e.getMessage().contains("Run the write-back again for as_of "
        + DEC), e.getMessage());
    assertEquals(nov, contents(t.target()), "the CRM's previous scores");
    assertEquals(history, contents(t.history()), "the history");
    assertEquals(1, count("SELECT COUNT(*) FROM " + t.runLog()));
  }

  @Test
  void killedFirstTransactionIsRetried() throws Exception {
    Tables t = tables("retrytx");
    WriteBackConfig config = config(t, "  create: true\n", 3);
    write(config, run(NOV, "run-nov", 0, CUSTOMERS), NOV);
    Result r = killTransaction(t, config, changedRun(DEC, "run-dec", 0, CUSTOMERS));
    assertEquals(2, r.transactionAttempts(), "the killed attempt and the one that succeeded");
    assertTrue(log.stream().anyMatch(l -> l.contains("attempt 1 of 3 failed") && l.contains("retrying")), log.toString());
    assertEquals(List.of(DEC.toString()), strings("SELECT DISTINCT " + q("as_of") + " FROM " + t.target()));
    assertEquals(2L * CUSTOMERS, count("SELECT COUNT(*) FROM " + t.history()));
  }

  /** Writes {@code scores} while a second session blocks the upsert, and kills the write-back's session. */
  Result killTransaction(Tables t, WriteBackConfig config, Dataset<Row> scores) throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection blocker = admin(); Connection admin = admin()) {
      blocker.setAutoCommit(false);
      blockUpserts(blocker, t.target());
      LocalDate asOf = scores.first().getDate(1).toLocalDate();
      Future<Result> writing = pool.submit(() -> write(config, scores, asOf));
      // The first statement that waits: PostgreSQL's UPDATE of the changed accounts (its history INSERT
      // only reads the target, which SHARE mode lets pass); MariaDB's history INSERT ... SELECT, which
      // takes shared locks on the target rows it compares with.
      WriteBackConfig.Jdbc jdbc = config.jdbc().orElseThrow();
      String upsert = dialect() == Dialect.POSTGRESQL ? "UPDATE " + jdbc.table().sql(dialect())
          : "INSERT INTO " + jdbc.historyTable().orElseThrow().sql(dialect());
      long session = awaitWaitingSession(admin, upsert, writing);
      assertTrue(session >= 0, "no write-back session waited for the lock");
      kill(admin, session);
      blocker.rollback();
      try {
        return writing.get(120, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception x ? x : e;
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Polls for up to a minute, while {@code writing} runs, for a write-back session waiting in a statement starting so; -1 if none. */
  long awaitWaitingSession(Connection admin, String sqlStart, Future<?> writing) throws Exception {
    long session = -1;
    for (int i = 0; i < 6000 && session < 0 && !writing.isDone(); i++) {
      session = sessionWaiting(admin, sqlStart);
      Thread.sleep(10);
    }
    return session;
  }

  @Test
  void killedLoadLeavesThePreviousScores() throws Exception {
    Tables t = tables("killload");
    WriteBackConfig config = config(t, "  create: true\n  writers: 2\n");
    write(config, run(NOV, "run-nov", 0, CUSTOMERS), NOV);
    List<String> nov = contents(t.target());
    Dataset<Row> big = ScoresFixture.generated(spark, bigRun(), DEC, "run-big", 2, 0);
    UserError e = assertThrows(UserError.class, () -> killLoad(config, big));
    assertTrue(e.getMessage().contains("failed while loading the run's rows into the staging table crmwb_stg_")
        || e.getMessage().contains("failed while loading the run's rows into the staging table " + schema()
        + ".crmwb_stg_"), e.getMessage());
    assertTrue(e.getMessage().contains("The CRM table " + t.target() + " was not changed"), e.getMessage());
    assertEquals(nov, contents(t.target()), "the CRM's previous scores");
    assertEquals(1, count("SELECT COUNT(*) FROM " + t.runLog()));
  }

  @Test
  void killedLoadIsRetried() throws Exception {
    Tables t = tables("retryload");
    WriteBackConfig config = config(t, "  create: true\n  writers: 2\n", 3);
    Dataset<Row> big = ScoresFixture.generated(spark, bigRun(), DEC, "run-big", 2, 0);
    Result r = killLoad(config, big);
    assertEquals(2, r.loadAttempts(), "the killed load and the one that succeeded");
    assertEquals(bigRun(), count("SELECT COUNT(*) FROM " + t.target()));
    assertEquals(bigRun(), count("SELECT COUNT(*) FROM " + t.history()));
  }

  // ------------------------------------------------------------------------------ open invoices

  /** A config whose write-back also writes a list ({@code section}: invoices, cross_sell) into {@code table}. */
  WriteBackConfig listConfig(Tables t, String section, String table, String more) throws IOException {
    created.add(table);
    return config(t, "  create: true\n  " + section + ":\n    table: " + table + "\n" + more);
  }

  /** Writes {@code rows} into a list's table, as the stage does after the scores. */
  Result writeList(WriteBackConfig config, WriteBackConfig.Jdbc table, Dataset<Row> rows, LocalDate asOf, String runId) {
    return new CrmWriteBack(table, config.retry(), config.force(), log::add).write(rows, asOf, runId);
  }

  WriteBackConfig invoiceConfig(Tables t, String invoiceTable, String invoicesMore) throws IOException {
    return listConfig(t, "invoices", invoiceTable, invoicesMore);
  }

  Result writeInvoices(WriteBackConfig config, List<Row> invoices, LocalDate asOf, String runId) {
    return writeList(config, config.invoices().orElseThrow(), InvoicesFixture.frame(spark, invoices), asOf, runId);
  }

  static List<Row> openInvoices(LocalDate asOf, int from, int to) {
    List<Row> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(InvoicesFixture.row(i, asOf, java.math.BigDecimal.ZERO));
    }
    return out;
  }

  @Test
  void invoiceTableGetsTheOpenInvoicesAndRepeatingTheRunChangesNothing() throws Exception {
    Tables t = tables("inv");
    String invoices = t.target() + "_inv";
    WriteBackConfig config = invoiceConfig(t, invoices, "    create: true\n");
    Result first = writeInvoices(config, openInvoices(NOV, 0, 6), NOV, "run-nov");
    assertEquals(6, first.rows());
    assertEquals(6, first.upserted());
    assertEquals(0, first.historyAdded(), "the invoice list keeps no history");
    assertEquals(6, count("SELECT COUNT(*) FROM " + invoices));
    for (int i = 0; i < 6; i++) {
      Row expected = InvoicesFixture.row(i, NOV, java.math.BigDecimal.ZERO);
      try (Connection c = admin(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT "
          + q("customer_id") + ", " + q("due_date") + ", " + q("open_amount") + ", " + q("days_past_due") + ", "
          + q("written_off") + ", " + q("payment_default_probability") + ", " + q("in_default") + ", "
          + q("expected_loss") + " FROM " + invoices + " WHERE " + q("invoice_id") + " = '"
          + InvoicesFixture.invoiceId(i) + "'")) {
        assertTrue(r.next(), "invoice " + i);
        assertEquals(expected.getString(1), r.getString(1), "customer_id of invoice " + i);
        assertEquals(expected.getDate(3).toLocalDate(), r.getDate(2).toLocalDate(), "due_date of invoice " + i);
        assertEquals(expected.getDecimal(5), r.getBigDecimal(3), "open_amount, exact, of invoice " + i);
        assertEquals(expected.getInt(6), r.getInt(4), "days_past_due of invoice " + i);
        assertFalse(r.getBoolean(5), "written_off of invoice " + i);
        assertEquals(expected.isNullAt(10) ? null : expected.getDouble(10), r.getObject(6, Double.class),
            "payment_default_probability of invoice " + i);
        assertEquals(expected.getBoolean(11), r.getBoolean(7), "in_default of invoice " + i);
        assertEquals(expected.isNullAt(12) ? null : expected.getDouble(12), r.getObject(8, Double.class),
            "expected_loss of invoice " + i);
      }
    }
    assertRepeatChangesNothing(config.invoices().orElseThrow(), "run-nov",
        () -> writeInvoices(config, openInvoices(NOV, 0, 6), NOV, "run-nov"));
    assertEquals(List.of(invoices), strings("SELECT " + q("target_table") + " FROM " + t.runLog()),
        "one run-log row, of the invoice table");
  }

  /**
   * Runs {@code again} (the run {@code runId} written into {@code table} once more) and asserts that it
   * changed no row, left the table as it was and dropped its staging table.
   */
  void assertRepeatChangesNothing(WriteBackConfig.Jdbc table, String runId, java.util.function.Supplier<Result> again)
      throws Exception {
    String name = table.table().toString();
    List<String> before = contents(name);
    Thread.sleep(20); // a later transaction time: a touched row would show it in the updated-at column
    Result r = again.get();
    assertEquals(0, r.upserted(), "the same run again changes no row");
    assertEquals(0, r.stale());
    assertEquals(before, contents(name), "the same run again leaves the table as it was, updated-at included");
    String staging = new WriteBackSql(table).staging(runId).name();
    assertEquals(0, count("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '" + staging + "'"),
        "no staging table left behind");
  }

  @Test
  void invoicesNoLongerOpenAreRemovedAndChangedOnesUpdated() throws Exception {
    Tables t = tables("invlater");
    String invoices = t.target() + "_inv";
    WriteBackConfig config = invoiceConfig(t, invoices, "    create: true\n");
    writeInvoices(config, openInvoices(NOV, 0, 6), NOV, "run-nov");
    List<Row> dec = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      if (i != 2) { // invoice 2 was paid in December; invoice 6 is new; invoice 3 was paid in part
        dec.add(InvoicesFixture.row(i, NOV, new java.math.BigDecimal(i == 3 ? "250.5000" : "0")));
      }
    }
    Result r = writeInvoices(config, dec, DEC, "run-dec");
    assertEquals(6, r.rows());
    assertEquals(1, r.stale(), "invoice 2 is no longer open");
    assertEquals(2, r.upserted(), "invoice 3 changed, invoice 6 is new");
    assertEquals(List.of(0, 1, 3, 4, 5, 6).stream().map(InvoicesFixture::invoiceId).toList(),
        strings("SELECT " + q("invoice_id") + " FROM " + invoices + " ORDER BY 1"));
    assertEquals(0, new java.math.BigDecimal("1049.6234").compareTo(new java.math.BigDecimal(strings("SELECT "
        + q("open_amount") + " FROM " + invoices + " WHERE " + q("invoice_id") + " = '" + InvoicesFixture.invoiceId(3)
        + "'").get(0))), "invoice 3's open amount after the partial payment");

    assertEmptyListEmptiesTheTable(invoices, 6, () -> writeInvoices(config, List.of(), DEC.plusDays(31), "run-jan"));
  }

  /** Creates {@code table} as the CRM has it (column definitions {@code columns}), dropped at the end; returns its name. */
  String crmTable(String table, String columns) throws SQLException {
    created.add(table);
    try (Connection c = admin(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + table + " (" + columns + ")");
      if (!c.getAutoCommit()) {
        c.commit();
      }
    }
    return table;
  }

  /** {@code write} (an empty list: every invoice paid, no recommendation left) deletes the {@code rows} of {@code table}. */
  void assertEmptyListEmptiesTheTable(String table, long rows, java.util.function.Supplier<Result> write)
      throws SQLException {
    Result empty = write.get();
    assertEquals(0, empty.rows());
    assertEquals(rows, empty.stale(), "an empty list empties the table");
    assertEquals(0, count("SELECT COUNT(*) FROM " + table));
  }

  @Test
  void invoicesGoToAnExistingCrmTableThroughTheMapping() throws Exception {
    Tables t = tables("invmap");
    String invoices = crmTable(t.target() + "_inv", q("invoice_no") + " VARCHAR(40) PRIMARY KEY, " + q("account_no")
        + " VARCHAR(40), " + q("open_amount_c") + " DECIMAL(18, 4), " + q("crm_note") + " VARCHAR(100)");
    WriteBackConfig config = invoiceConfig(t, invoices, "    columns: {invoice_id: invoice_no, customer_id: account_no, "
        + "open_amount: open_amount_c}\n");
    writeInvoices(config, openInvoices(NOV, 0, 3), NOV, "run-nov");
    assertEquals(List.of(InvoicesFixture.invoiceId(0) + "|K000000|1000.1234|null",
        InvoicesFixture.invoiceId(1) + "|K000001|1100.1234|null", InvoicesFixture.invoiceId(2) + "|K000002|1200.1234|null"),
        contents(invoices), "mapped columns written, the CRM's own column untouched");
  }

  // ------------------------------------------------------------------------- cross-sell recommendations

  WriteBackConfig crossSellConfig(Tables t, String table, String crossSellMore) throws IOException {
    return listConfig(t, "cross_sell", table, crossSellMore);
  }

  Result writeCrossSell(WriteBackConfig config, List<Row> recommendations, LocalDate asOf, String runId) {
    return writeList(config, config.crossSell().orElseThrow(), CrossSellFixture.frame(spark, recommendations), asOf,
        runId);
  }

  /** A created cross-sell table of test {@code t} holding the November lists of customers [0, customers), k each. */
  WriteBackConfig novemberLists(Tables t, int customers, int k) throws IOException {
    WriteBackConfig config = crossSellConfig(t, t.target() + "_xs", "    create: true\n");
    writeCrossSell(config, CrossSellFixture.lists(NOV, 0, customers, k), NOV, "run-nov");
    return config;
  }

  /** The column names of {@code table}, as the database reports them, in table order. */
  List<String> columnsOf(String table) throws SQLException {
    try (Connection c = admin(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
      List<String> out = new ArrayList<>();
      for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
        out.add(r.getMetaData().getColumnName(i));
      }
      return out;
    }
  }

  /** The rows of a cross-sell table as "customer|rank|item|€ potential", ordered by customer and rank. */
  List<String> recommendationsIn(String table) throws SQLException {
    return strings("SELECT CONCAT(" + q("customer_id") + ", '|', " + q("rank") + ", '|', " + q("item") + ", '|', "
        + q("euro_potential") + ") FROM " + table + " ORDER BY " + q("customer_id") + ", " + q("rank"));
  }

  static String recommendationLine(Row r) {
    return CrossSellFixture.value(r, "customer_id") + "|" + CrossSellFixture.value(r, "rank") + "|"
        + CrossSellFixture.value(r, "item") + "|" + CrossSellFixture.value(r, "euro_potential");
  }

  @Test
  void crossSellTableGetsTheTopKListsAndRepeatingTheRunChangesNothing() throws Exception {
    Tables t = tables("xsell");
    String table = t.target() + "_xs";
    WriteBackConfig config = crossSellConfig(t, table, "    create: true\n");
    List<Row> nov = CrossSellFixture.lists(NOV, 0, 4, 3);
    Result first = writeCrossSell(config, nov, NOV, "run-nov");
    assertEquals(12, first.rows());
    assertEquals(12, first.upserted());
    assertEquals(0, first.historyAdded(), "the recommendation list keeps no history");
    assertEquals(List.of("customer_id", "rank", "item", "level", "euro_potential", "probability", "method", "reason_en",
        "reason_de", "as_of", "recommendation_updated_at"), columnsOf(table),
        "what a sales rep reads, both languages by default; no evidence columns unless mapped");
    for (Row expected : nov) {
      Object customer = CrossSellFixture.value(expected, "customer_id");
      Object rank = CrossSellFixture.value(expected, "rank");
      try (Connection c = admin(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT "
          + q("item") + ", " + q("euro_potential") + ", " + q("probability") + ", " + q("method") + ", "
          + q("reason_en") + ", " + q("reason_de") + ", " + q("as_of") + ", " + q("level") + " FROM " + table + " WHERE "
          + q("customer_id") + " = '" + customer + "' AND " + q("rank") + " = " + rank)) {
        String where = "customer " + customer + ", rank " + rank;
        assertTrue(r.next(), where);
        assertEquals(CrossSellFixture.value(expected, "item"), r.getString(1), "item of " + where);
        assertEquals((Double) CrossSellFixture.value(expected, "euro_potential"), r.getDouble(2), 0.0,
            "euro_potential of " + where);
        assertEquals((Double) CrossSellFixture.value(expected, "probability"), r.getDouble(3), 0.0,
            "probability of " + where);
        assertEquals(CrossSellFixture.value(expected, "method"), r.getString(4), "method of " + where);
        assertEquals(CrossSellFixture.value(expected, "reason_en"), r.getString(5), "reason_en of " + where);
        assertEquals(CrossSellFixture.value(expected, "reason_de"), r.getString(6),
            "reason_de (quotes, tab, newline, umlauts) of " + where);
        assertEquals(NOV, r.getDate(7).toLocalDate(), "as_of of " + where);
        assertEquals("product_group", r.getString(8), "level of " + where);
      }
    }
    List<String> before = contents(table);
    assertRepeatChangesNothing(config.crossSell().orElseThrow(), "run-nov", () -> writeCrossSell(config, nov, NOV, "run-nov"));
    Result rerun = writeCrossSell(config, nov, NOV, "run-nov-2");
    assertEquals(0, rerun.upserted(), "a new run with the same lists changes no row");
    assertEquals(before, contents(table), "a new run with the same lists leaves the table as it was");
    assertEquals("12|0", runLogCounts(t, "run-nov"), "run-nov: rows changed|unchanged");
    assertEquals("0|12", runLogCounts(t, "run-nov-2"), "run-nov-2: rows changed|unchanged");
  }

  @Test
  void recommendationsNoLongerMadeAreDeletedAndChangedOnesUpdated() throws Exception {
    Tables t = tables("xslater");
    String table = t.target() + "_xs";
    WriteBackConfig config = crossSellConfig(t, table, "    create: true\n    language: de\n");
    writeCrossSell(config, CrossSellFixture.lists(NOV, 0, 4, 3), NOV, "run-nov");
    assertEquals(List.of("customer_id", "rank", "item", "level", "euro_potential", "probability", "method", "reason_de",
        "as_of", "recommendation_updated_at"), columnsOf(table), "language: de writes the German reason only");
    // December: customer 1 bought everything (no list), customer 2 has two left, customer 3's first
    // recommendation is worth more, customer 4 is new.
    List<Row> dec = new ArrayList<>();
    for (Row r : CrossSellFixture.lists(DEC, 0, 5, 3)) {
      String customer = (String) CrossSellFixture.value(r, "customer_id");
      int rank = (Integer) CrossSellFixture.value(r, "rank");
      if (customer.equals(ScoresFixture.customerId(1)) || customer.equals(ScoresFixture.customerId(2)) && rank == 3) {
        continue;
      }
      boolean raised = customer.equals(ScoresFixture.customerId(3)) && rank == 1;
      dec.add(raised ? CrossSellFixture.row(3, 1, DEC, 500.0) : r);
    }
    List<String> unchangedBefore = strings("SELECT " + q("recommendation_updated_at") + " FROM " + table + " WHERE "
        + q("customer_id") + " = '" + ScoresFixture.customerId(0) + "' ORDER BY " + q("rank"));
    Thread.sleep(20); // a later transaction time: a touched row would show it in recommendation_updated_at
    Result r = writeCrossSell(config, dec, DEC, "run-dec");
    assertEquals(11, r.rows());
    assertEquals(4, r.stale(), "customer 1's three recommendations and customer 2's third are no longer made");
    assertEquals(4, r.upserted(), "customer 3's first changed, customer 4's three are new");
    assertEquals(dec.stream().map(WriteBackDatabaseTest::recommendationLine).sorted().toList(), recommendationsIn(table),
        "the table is the December lists");
    assertEquals(unchangedBefore, strings("SELECT " + q("recommendation_updated_at") + " FROM " + table + " WHERE "
        + q("customer_id") + " = '" + ScoresFixture.customerId(0) + "' ORDER BY " + q("rank")),
        "customer 0's unchanged recommendations are not rewritten");
    assertEquals(List.of(NOV.toString()), strings("SELECT DISTINCT " + q("as_of") + " FROM " + table + " WHERE "
        + q("customer_id") + " = '" + ScoresFixture.customerId(0) + "'"), "an unchanged row keeps the as_of it was made");
    assertEquals(List.of(DEC.toString()), strings("SELECT DISTINCT " + q("as_of") + " FROM " + table + " WHERE "
        + q("customer_id") + " IN ('" + ScoresFixture.customerId(4) + "') OR (" + q("customer_id") + " = '"
        + ScoresFixture.customerId(3) + "' AND " + q("rank") + " = 1)"), "new and changed rows carry the run's as_of");
    assertEquals("4|7", runLogCounts(t, "run-dec"), "run-dec: rows changed|unchanged");

    assertEmptyListEmptiesTheTable(table, 11, () -> writeCrossSell(config, List.of(), DEC.plusDays(31), "run-jan"));
  }

  @Test
  void recommendationTwiceForACustomerAndRankIsAClearErrorAndTheTableKeepsItsList() throws Exception {
    Tables t = tables("xsdup");
    WriteBackConfig config = novemberLists(t, 3, 2);
    String table = config.crossSell().orElseThrow().table().toString();
    List<String> nov = contents(table);
    List<Row> twice = new ArrayList<>(CrossSellFixture.lists(DEC, 0, 3, 2));
    twice.add(CrossSellFixture.row(1, 2, DEC, 7.0));
    UserError e = assertThrows(UserError.class, () -> writeCrossSell(config, twice, DEC, "run-dec"));
    assertTrue(e.getMessage().contains("cross_sell/recommendations holds the same customer_id and rank more than once")
        && e.getMessage().contains("The CRM table " + table + " was not changed"), e.getMessage());
    List<Row> noRank = new ArrayList<>(CrossSellFixture.lists(DEC, 0, 3, 2));
    noRank.set(0, CrossSellFixture.with(noRank.get(0), "rank", null));
    UserError missing = assertThrows(UserError.class, () -> writeCrossSell(config, noRank, DEC, "run-dec"));
    assertTrue(missing.getMessage().contains("cross_sell/recommendations for as_of " + DEC + ": 1 of 6 rows have no "
        + "customer_id or no rank"), missing.getMessage());
    assertEquals(nov, contents(table), "the November lists, untouched");
  }

  @Test
  void recommendationsGoToAnExistingCrmTableThroughTheMapping() throws Exception {
    Tables t = tables("xsmap");
    String table = crmTable(t.target() + "_xs", q("account_no") + " VARCHAR(40) NOT NULL, " + q("position_no")
        + " INTEGER NOT NULL, " + q("product_group_c") + " VARCHAR(100), " + q("potential_eur_c") + " DOUBLE PRECISION, "
        + q("reason_c") + " TEXT, " + q("crm_note") + " VARCHAR(100), PRIMARY KEY (" + q("account_no") + ", "
        + q("position_no") + ")");
    WriteBackConfig config = crossSellConfig(t, table, "    columns: {rank: position_no, customer_id: account_no, "
        + "item: product_group_c, euro_potential: potential_eur_c, reason_de: reason_c}\n");
    List<Row> nov = CrossSellFixture.lists(NOV, 0, 2, 2);
    writeCrossSell(config, nov, NOV, "run-nov");
    List<String> expected = new ArrayList<>();
    for (Row r : nov) {
      expected.add(CrossSellFixture.value(r, "customer_id") + "|" + CrossSellFixture.value(r, "rank") + "|"
          + CrossSellFixture.value(r, "item") + "|" + CrossSellFixture.value(r, "euro_potential") + "|"
          + CrossSellFixture.value(r, "reason_de") + "|null");
    }
    assertEquals(expected, contents(table), "mapped columns written, the CRM's own column untouched");
  }

  /** The customer_scores cross-sell columns go to custom fields like the other scores. */
  @Test
  void customerScoresCrossSellColumnsGoToCustomFields() throws Exception {
    Tables t = tables("xsfields");
    crmTable(t.target(), q("account_id") + " VARCHAR(64) PRIMARY KEY, " + q("xs_potential_c") + " DOUBLE PRECISION, "
        + q("xs_group_1_c") + " VARCHAR(100), " + q("xs_group_2_c") + " VARCHAR(100), " + q("xs_group_3_c")
        + " VARCHAR(100), " + q("xs_method_c") + " VARCHAR(40)");
    WriteBackConfig config = config(t, "  columns: {customer_id: account_id, cross_sell_potential: xs_potential_c, "
        + "cross_sell_item_1: xs_group_1_c, cross_sell_item_2: xs_group_2_c, cross_sell_item_3: xs_group_3_c, "
        + "cross_sell_method: xs_method_c}\n");
    Result first = write(config, run(NOV, "run-1", 0, 30), NOV);
    assertEquals(30, first.upserted());
    List<String> expected = new ArrayList<>();
    for (Row r : ScoresFixture.rows(0, 30, NOV, "run-1")) {
      StringBuilder line = new StringBuilder(r.getString(CustomerScores.SCHEMA.fieldIndex(CustomerScores.CUSTOMER_ID)));
      for (String c : List.of(CustomerScores.CROSS_SELL_POTENTIAL, CustomerScores.CROSS_SELL_ITEM_1,
          CustomerScores.CROSS_SELL_ITEM_2, CustomerScores.CROSS_SELL_ITEM_3, CustomerScores.CROSS_SELL_METHOD)) {
        Object v = r.get(CustomerScores.SCHEMA.fieldIndex(c));
        line.append('|').append(v instanceof Double d ? String.valueOf(d) : v);
      }
      expected.add(line.toString());
    }
    List<String> written = new ArrayList<>();
    for (String line : contents(t.target())) {
      String[] f = line.split("\\|", -1);
      f[1] = String.valueOf(Double.parseDouble(f[1])); // "0" and "0.0": the number, not its spelling
      written.add(String.join("|", f));
    }
    assertEquals(expected, written, "total € potential, the top three groups and the method, as in customer_scores");
    Result again = write(config, run(NOV, "run-2", 0, 30), NOV);
    assertEquals(0, again.upserted(), "unchanged cross-sell fields are not rewritten");
  }

  /** A load killed mid-way leaves the CRM's recommendations as they were. */
  @Test
  void killedRecommendationLoadLeavesThePreviousLists() throws Exception {
    WriteBackConfig config = novemberLists(tables("xskill"), 10, 3);
    String table = config.crossSell().orElseThrow().table().toString();
    List<String> nov = contents(table);
    Dataset<Row> big = CrossSellFixture.generated(spark, bigRun(), DEC, 2);
    WriteBackConfig.Jdbc jdbc = config.crossSell().orElseThrow();
    UserError e = assertThrows(UserError.class, () -> killLoad(jdbc, () -> writeList(config, jdbc, big, DEC, "run-big")));
    assertTrue(e.getMessage().contains("failed while loading the run's rows into the staging table")
        && e.getMessage().contains("The CRM table " + table + " was not changed"), e.getMessage());
    assertEquals(nov, contents(table), "the CRM's previous recommendations");
    assertEquals(List.of("run-nov"), strings("SELECT " + q("run_id") + " FROM " + config.jdbc().orElseThrow()
        .runLogTable()), "no run logged");
  }

  /** Writes {@code scores} and kills one of the executors' staging sessions while it loads. */
  Result killLoad(WriteBackConfig config, Dataset<Row> scores) throws Exception {
    return killLoad(config.jdbc().orElseThrow(), () -> write(config, scores, DEC));
  }

  /** Runs {@code write} (a write-back into {@code table} of run "run-big") and kills a staging session while it loads. */
  Result killLoad(WriteBackConfig.Jdbc table, java.util.concurrent.Callable<Result> write) throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection admin = admin()) {
      Future<Result> writing = pool.submit(write);
      String staging = new WriteBackSql(table).staging("run-big").sql(dialect());
      String loading = dialect() == Dialect.POSTGRESQL ? "COPY " + staging : "INSERT INTO " + staging;
      long session = -1;
      for (int i = 0; i < 12000 && session < 0 && !writing.isDone(); i++) {
        session = sessionRunning(admin, loading);
        Thread.sleep(5);
      }
      assertTrue(session >= 0, "no staging load seen (" + loading + "); did it finish before the test looked?");
      kill(admin, session);
      try {
        return writing.get(300, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception x ? x : e;
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
