package org.crmanalytics.jobs.writeback;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The write-back into the real MariaDB on 127.0.0.1:3306 (database test, root without password). */
class MariaDbWriteBackTest extends WriteBackDatabaseTest {
  @Override
  String url() {
    return "jdbc:mariadb://127.0.0.1:3306/test";
  }

  @Override
  String user() {
    return "root";
  }

  @Override
  String schema() {
    return "test";
  }

  @Override
  Dialect dialect() {
    return Dialect.MARIADB;
  }

  @Override
  int bigRun() {
    return 100_000;
  }

  @Override
  void blockUpserts(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeQuery("SELECT * FROM " + table + " FOR UPDATE").close(); // row locks: the upsert waits
    }
  }

  @Override
  long sessionRunning(Connection admin, String sqlStart) throws SQLException {
    return id(admin, "SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND INFO LIKE ?",
        sqlStart);
  }

  @Override
  long sessionWaiting(Connection admin, String sqlStart) throws SQLException {
    // While the test holds the row locks, a write-back INSERT into the target is one that waits for them.
    return id(admin, "SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND COMMAND = 'Query' "
        + "AND INFO LIKE ?", sqlStart);
  }

  private static long id(Connection admin, String sql, String sqlStart) throws SQLException {
    try (PreparedStatement p = admin.prepareStatement(sql + " LIMIT 1")) {
      p.setString(1, sqlStart.replace("_", "\\_") + "%");
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? r.getLong(1) : -1;
      }
    }
  }

  @Override
  void kill(Connection admin, long session) throws SQLException {
    try (Statement s = admin.createStatement()) {
      s.execute("KILL " + session);
    }
  }
}
