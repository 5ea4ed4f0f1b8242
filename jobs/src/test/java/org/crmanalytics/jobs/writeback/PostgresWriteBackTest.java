package org.crmanalytics.jobs.writeback;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

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
}
