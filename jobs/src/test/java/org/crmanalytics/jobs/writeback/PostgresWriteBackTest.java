package org.crmanalytics.jobs.writeback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.crmanalytics.jobs.writeback.CrmWriteBack.Result;
import org.junit.jupiter.api.Test;

/** The write-back into the real PostgreSQL on 127.0.0.1:5432 (database test, trust auth). */
class PostgresWriteBackTest extends WriteBackDatabaseTest {
  @Override
  String url() {
    return "jdbc:postgresql://127.0.0.1:5432/test";
  }

  @Override
  String user() {
    return "postgres";
  }

  @Override
  String schema() {
    return "public";
  }

  @Override
  Dialect dialect() {
    return Dialect.POSTGRESQL;
  }

  @Override
  int bigRun() {
    return 400_000;
  }

  @Override
  void blockUpserts(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("LOCK TABLE " + table + " IN SHARE MODE"); // readers pass, INSERT and UPDATE wait
    }
  }

  @Override
  long sessionRunning(Connection admin, String sqlStart) throws SQLException {
    return pid(admin, "state = 'active'", sqlStart);
  }

  @Override
  long sessionWaiting(Connection admin, String sqlStart) throws SQLException {
    return pid(admin, "wait_event_type = 'Lock'", sqlStart);
  }

  private static long pid(Connection admin, String condition, String sqlStart) throws SQLException {
    try (PreparedStatement p = admin.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ? AND "
        + condition + " AND starts_with(query, ?) LIMIT 1")) {
      p.setString(1, Endpoint.APPLICATION_NAME);
      p.setString(2, sqlStart);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? r.getLong(1) : -1;
      }
    }
  }

  @Override
  void kill(Connection admin, long session) throws SQLException {
    try (PreparedStatement p = admin.prepareStatement("SELECT pg_terminate_backend(?)")) {
      p.setInt(1, (int) session);
      p.executeQuery().close();
    }
  }

  /**
   * The CRM inserts an account of the run (uncommitted) before the write-back's INSERT of new
   * accounts reaches it: that INSERT waits for the CRM's commit and then updates the account.
   */
  @Test
  void accountTheCrmInsertsMeanwhileGetsTheRunsScores() throws Exception {
    Tables t = tables("raceins");
    WriteBackConfig config = config(t, "  create: true\n", 3);
    write(config, run(NOV, "run-nov", 0, CUSTOMERS - 1), NOV);
    WriteBackConfig.Jdbc jdbc = config.jdbc().orElseThrow();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection crm = admin(); Connection admin = admin()) {
      crm.setAutoCommit(false);
      try (PreparedStatement p = crm.prepareStatement("INSERT INTO " + t.target() + " (" + q(jdbc.keyColumns().get(0))
          + ") VALUES (?)")) {
        p.setString(1, ScoresFixture.customerId(CUSTOMERS - 1));
        p.executeUpdate();
      }
      Future<Result> writing = pool.submit(() -> write(config, changedRun(DEC, "run-dec", 0, CUSTOMERS), DEC));
      String insert = "INSERT INTO " + jdbc.table().sql(dialect());
      long session = awaitWaitingSession(admin, insert, writing);
      assertTrue(session >= 0, "the write-back's INSERT did not wait for the CRM's account");
      crm.commit();
      Result r = writing.get(120, TimeUnit.SECONDS);
      assertEquals(1, r.transactionAttempts(), "no retry: the conflict is resolved in the statement");
      assertEquals(CUSTOMERS, r.upserted(), "the CRM's account counts as written");
    } finally {
      pool.shutdownNow();
    }
    assertEquals(CUSTOMERS, count("SELECT COUNT(*) FROM " + t.target()));
    assertEquals(List.of(DEC.toString()), strings("SELECT DISTINCT " + q("as_of") + " FROM " + t.target()),
        "every account, the CRM's one included, has the run's scores");
  }
}
