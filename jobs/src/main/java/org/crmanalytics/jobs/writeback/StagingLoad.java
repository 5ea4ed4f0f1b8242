package org.crmanalytics.jobs.writeback;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskKilledException;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Runs on the executors: each partition opens its own connection and loads its rows into the
 * run's staging table in one transaction, PostgreSQL with COPY (streamed, never the whole partition
 * in memory), MariaDB with multi-row INSERTs. A retried task first removes what an earlier attempt
 * of the same partition committed, so staging holds every row once.
 */
final class StagingLoad implements ForeachPartitionFunction<Row> {
  private static final long serialVersionUID = 1L;
  /** Bytes gathered before they go to the COPY stream. */
  private static final int COPY_CHUNK = 1 << 16;
  /** MariaDB allows 65,535 placeholders in one statement. */
  private static final int MAX_PLACEHOLDERS = 65_535;

  private final Endpoint endpoint;
  /** For messages: SqlName holds an Optional, which Spark cannot ship. */
  private final String staging;
  private final String copyOrInsertSql;
  private final String deletePartitionSql;
  private final int columns;
  private final int batchRows;
  private final String insertRemainderPrefix;

  StagingLoad(Endpoint endpoint, WriteBackSql sql, SqlName staging, int batchSize) {
    this.endpoint = endpoint;
    this.staging = staging.toString();
    this.columns = sql.stagedColumns().size();
    this.batchRows = Math.max(1, Math.min(batchSize, MAX_PLACEHOLDERS / (columns + 1)));
    this.copyOrInsertSql = endpoint.dialect() == Dialect.POSTGRESQL ? sql.copy(staging)
        : sql.insertStaging(staging, batchRows);
    this.insertRemainderPrefix = sql.insertStaging(staging, 1);
    this.deletePartitionSql = sql.deletePartition(staging);
  }

  @Override
  public void call(Iterator<Row> rows) throws Exception {
    TaskContext task = TaskContext.get();
    int partition = task == null ? 0 : task.partitionId();
    boolean retried = task != null && task.attemptNumber() > 0;
    if (!rows.hasNext() && !retried) {
      return;
    }
    try (Connection c = endpoint.open()) {
      try {
        if (retried) {
          try (PreparedStatement delete = c.prepareStatement(deletePartitionSql)) {
            delete.setInt(1, partition);
            delete.executeUpdate();
          }
        }
        if (endpoint.dialect() == Dialect.POSTGRESQL) {
          copy(c, rows, partition, task);
        } else {
          insert(c, rows, partition, task);
        }
        stopIfCancelled(task);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        CrmWriteBack.rollbackQuietly(c);
        throw e;
      }
    } catch (SQLException e) {
      // A plain SQLException with the database's first line: serializable, without rows or password.
      throw new SQLException("loading " + staging + " (partition " + partition + "): " + endpoint.describe(e),
          e.getSQLState(), e.getErrorCode());
    }
  }

  /**
   * A task of a load whose job failed on another partition keeps running until it looks at its kill
   * flag; it must stop there and never commit: the retry recreates the staging table under the same
   * name, and a late commit put that attempt's rows into it (seen on MariaDB, whose first INSERT of a
   * partition comes only after a batch is gathered, so the table it writes to is the new one).
   */
  private static void stopIfCancelled(TaskContext task) {
    if (task != null && task.isInterrupted()) {
      throw new TaskKilledException("the write-back's load job was cancelled");
    }
  }

  private void copy(Connection c, Iterator<Row> rows, int partition, TaskContext task) throws SQLException {
    CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(copyOrInsertSql);
    try {
      StringBuilder line = new StringBuilder(COPY_CHUNK + 4096);
      String partitionText = Integer.toString(partition);
      while (rows.hasNext()) {
        stopIfCancelled(task);
        Row r = rows.next();
        for (int i = 0; i < columns; i++) {
          appendCopyValue(line, r.get(i));
          line.append('\t');
        }
        line.append(partitionText).append('\n');
        if (line.length() >= COPY_CHUNK) {
          byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
          in.writeToCopy(bytes, 0, bytes.length);
          line.setLength(0);
        }
      }
      byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
      in.writeToCopy(bytes, 0, bytes.length);
      in.endCopy();
    } finally {
      if (in.isActive()) {
        in.cancelCopy();
      }
    }
  }

  /** COPY's text format: tab-separated, \N for null, backslash escapes. */
  static void appendCopyValue(StringBuilder out, Object v) {
    if (v == null) {
      out.append("\\N");
      return;
    }
    // Double.toString round-trips; dates print as yyyy-MM-dd; a BigDecimal's toString may use an
    // exponent (1E+3), its plain form is what a DECIMAL column reads everywhere.
    String s = v instanceof java.math.BigDecimal b ? b.toPlainString() : v.toString();
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(ch);
      }
    }
  }

  private void insert(Connection c, Iterator<Row> rows, int partition, TaskContext task) throws SQLException {
    try (PreparedStatement full = c.prepareStatement(copyOrInsertSql)) {
      Row[] batch = new Row[batchRows];
      int n = 0;
      while (rows.hasNext()) {
        stopIfCancelled(task);
        batch[n++] = rows.next();
        if (n == batchRows) {
          bind(full, batch, n, partition);
          full.executeUpdate();
          n = 0;
        }
      }
      if (n > 0) {
        // The remainder as one statement of n rows.
        String sqlN = copyOrInsertSql.substring(0, copyOrInsertSql.indexOf(" VALUES ")) + " VALUES "
            + String.join(", ", java.util.Collections.nCopies(n,
                insertRemainderPrefix.substring(insertRemainderPrefix.indexOf(" VALUES ") + 8)));
        try (PreparedStatement rest = c.prepareStatement(sqlN)) {
          bind(rest, batch, n, partition);
          rest.executeUpdate();
        }
      }
    }
  }

  private void bind(PreparedStatement ps, Row[] batch, int n, int partition) throws SQLException {
    int p = 1;
    for (int k = 0; k < n; k++) {
      Row r = batch[k];
      for (int i = 0; i < columns; i++) {
        Object v = r.get(i);
        if (v == null) {
          ps.setNull(p++, Types.NULL);
        } else {
          ps.setObject(p++, v);
        }
      }
      ps.setInt(p++, partition);
      batch[k] = null;
    }
  }
}
