package org.crmanalytics.jobs.writeback;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.writeback.WriteBackConfig.Jdbc;
import org.crmanalytics.jobs.writeback.WriteBackConfig.Retry;
import org.crmanalytics.jobs.writeback.WriteBackConfig.StaleRows;
import org.crmanalytics.models.scores.CustomerScores;
import org.crmanalytics.models.spark.SparkInternals;

/**
 * Writes one run of a dataset (customer_scores, or the open invoices; {@link CrmDataset}) into its
 * CRM table, keyed by the dataset's key, all or nothing and idempotently:
 *
 * <ol>
 *   <li>the driver creates the pipeline's tables if missing and a fresh staging table for the run;
 *   <li>the executors load the rows into staging, each partition over its own connection
 *       ({@link StagingLoad}), and the same pass checks the input; nothing is collected to the driver;
 *   <li>one transaction on the driver upserts the target (only rows whose values changed), marks
 *       stale accounts or deletes the rows a list no longer holds, appends the history where the table keeps
 *       one (keyed by run and account, so a repeated run adds nothing) and records the run; a run older
 *       than the CRM table's latest is refused there, unless forced.
 * </ol>
 *
 * Until the commit the CRM table is untouched, so a failure at any step leaves its previous content.
 * Transient errors (lost connection, deadlock, serialization failure) are retried with backoff.
 */
public final class CrmWriteBack {
  /**
   * What one write-back did.
   *
   * @param rows the rows of the run (customers, open invoices, recommendations)
   * @param upserted rows of the run inserted or updated; the others were equal and left untouched
   * @param stale rows the run did not write, marked stale or deleted as the table's policy says
   */
  public record Result(String table, String runId, LocalDate asOf, long rows, long upserted, long stale,
      long historyAdded, long historyPruned, int loadAttempts, int transactionAttempts, Duration elapsed) {
    /** Rows of the run whose CRM row was left as it was (values equal). */
    public long unchanged() {
      return rows - upserted;
    }
  }

  /** Raised when the run is older than what the CRM holds (not retried). */
  public static final class OlderThanCrm extends UserError {
    private static final long serialVersionUID = 1L;

    OlderThanCrm(String message) {
      super(message);
    }
  }

  /** Input larger than this (estimated by Spark from the files) is spread over all writers. */
  private static final long SPREAD_ABOVE_BYTES = 4L << 20;

  /** PostgreSQL's SQLState for a duplicate key. */
  private static final String UNIQUE_VIOLATION = "23505";

  private final Jdbc jdbc;
  private final Retry retry;
  private final boolean force;
  private final Endpoint endpoint;
  private final WriteBackSql sql;
  private final Consumer<String> log;

  /** The write-back of customer_scores. */
  public CrmWriteBack(WriteBackConfig config, Consumer<String> log) {
    this(config.jdbc().orElseThrow(() -> new IllegalArgumentException("writeback.target has no jdbc")), config.retry(),
        config.force(), log);
  }

  /** The write-back of {@code jdbc.dataset()} into {@code jdbc.table()}. */
  public CrmWriteBack(Jdbc jdbc, Retry retry, boolean force, Consumer<String> log) {
    this.jdbc = jdbc;
    this.retry = retry;
    this.force = force;
    this.endpoint = new Endpoint(jdbc);
    this.sql = new WriteBackSql(jdbc);
    this.log = log;
  }

  public WriteBackSql sql() {
    return sql;
  }

  /** Writes {@code scores} (customer_scores of one run, as of {@code asOf}) into the CRM. */
  public Result write(Dataset<Row> scores, LocalDate asOf) {
    return write(scores, asOf, runId(scores, asOf));
  }

  /**
   * Writes {@code rows} of the dataset as of {@code asOf} into the CRM table under {@code runId}: the
   * open invoices and the recommendations under the run id of the scores written with them.
   */
  public Result write(Dataset<Row> rows, LocalDate asOf, String runId) {
    long start = System.nanoTime();
    SqlName staging = sql.staging(runId);
    String where = jdbc.describe();
    onDriver("preparing the tables", attempt -> {
      prepare(staging, runId, asOf);
      return null;
    });
    long prepared = System.nanoTime();
    int[] loadAttempts = {0};
    RunFacts run;
    try {
      StagingLoad load = new StagingLoad(endpoint, sql, staging, jdbc.batchSize());
      run = Transient.retry(retry, this::retrying, attempt -> {
        loadAttempts[0] = attempt;
        if (attempt > 1) {
          execute(sql.createStaging(staging));
        }
        // The input is checked in the pass that loads it (one read of the Parquet, not two); a bad
        // input leaves only the staging table behind, which is dropped below.
        Observation seen = new Observation();
        Dataset<Row> staged = staged(rows, seen);
        rows.sparkSession().sparkContext().setJobDescription("writeback: load " + staging);
        staged.foreachPartition(load);
        RunFacts checked = check(seen.getAsJava(), asOf, jdbc.dataset(), runId);
        if (!sql.keyStaging(staging).isEmpty()) {
          execute(sql.keyStaging(staging));
        }
        return checked;
      });
      long inStaging = onDriver("counting the staging table", attempt -> stagingRows(staging));
      if (inStaging != run.rows()) {
        throw new UserError(String.format(Locale.ROOT, "write-back to %s: the staging table %s holds %,d rows after the "
            + "load, %s %,d; is another write-back of run %s running? Run it again when it has finished.",
            where, staging, inStaging, jdbc.dataset().title(), run.rows(), run.runId()));
      }
    } catch (UserError e) {
      dropQuietly(staging);
      throw e;
    } catch (Exception e) {
      dropQuietly(staging);
      throw new UserError("write-back to " + where + " failed while loading the run's rows into the staging table "
          + staging + (loadAttempts[0] > 1 ? " (" + loadAttempts[0] + " attempts)" : "") + ": " + reason(e)
          + ". The CRM table " + jdbc.table() + " was not changed: its previous content is intact. Run the write-back "
          + "again for as_of " + asOf + " when the database is reachable (bin/crm-analytics writeback --as-of " + asOf
          + "); it starts the load afresh.", e);
    }
    long loaded = System.nanoTime();
    log.accept(String.format(Locale.ROOT, "writeback: %,d rows of run %s: tables prepared in %.1f s, staging loaded "
        + "and checked in %.1f s", run.rows(), run.runId(), (prepared - start) / 1e9, (loaded - prepared) / 1e9));
    int[] txAttempts = {0};
    long[] counts;
    try {
      counts = Transient.retry(retry, this::retrying, attempt -> {
        txAttempts[0] = attempt;
        return commitRun(staging, run);
      });
    } catch (UserError e) { // the as_of guard, the lock timeout: already say what to do
      dropQuietly(staging);
      throw e;
    } catch (Exception e) {
      dropQuietly(staging);
      throw new UserError("write-back to " + where + " failed in the transaction that updates " + jdbc.table()
          + (txAttempts[0] > 1 ? " (" + txAttempts[0] + " attempts)" : "") + ": " + reason(e) + ". The transaction was "
          + "rolled back, so " + jdbc.table() + jdbc.historyTable().map(h -> ", " + h).orElse("") + " and "
          + jdbc.runLogTable() + " keep their previous content. Run the write-back again for as_of " + asOf
          + " (bin/crm-analytics writeback --as-of " + asOf + "); repeating a run is safe.", e);
    }
    dropQuietly(staging);
    return new Result(jdbc.table().toString(), run.runId(), asOf, run.rows(), counts[0], counts[1], counts[2],
        counts[3], loadAttempts[0], txAttempts[0], Duration.ofNanos(System.nanoTime() - start));
  }

  /** The run's id and size, checked: one run, the expected as_of, every row with its key. */
  record RunFacts(String runId, LocalDate asOf, long rows) {}

  /**
   * The run id, from the first row that has one (the staging table and the as_of guard need it before
   * the load); the load then checks every row. An input without any run id gets the full check's message.
   */
  static String runId(Dataset<Row> scores, LocalDate asOf) {
    StructType schema = scores.schema();
    for (String c : List.of(CustomerScores.CUSTOMER_ID, CustomerScores.RUN_ID, CustomerScores.AS_OF)) {
      if (schema.getFieldIndex(c).isEmpty()) {
        throw new UserError("customer_scores for as_of " + asOf + " has no column " + c + "; was it written by the "
            + "scores stage? Columns found: " + String.join(", ", schema.fieldNames()));
      }
    }
    List<Row> first = scores.where(col(CustomerScores.RUN_ID).isNotNull()).select(CustomerScores.RUN_ID).limit(1)
        .collectAsList();
    return first.isEmpty() ? inspect(scores, asOf).runId() : first.get(0).getString(0);
  }

  /** Checks {@code scores} (customer_scores) in a job of its own. */
  static RunFacts inspect(Dataset<Row> scores, LocalDate asOf) {
    Column[] metrics = inputMetrics(CrmDataset.CUSTOMER_SCORES);
    Row r = scores.agg(metrics[0], tail(metrics)).first();
    Map<String, Object> values = new HashMap<>();
    for (String name : r.schema().fieldNames()) {
      values.put(name, r.getAs(name));
    }
    return check(values, asOf, CrmDataset.CUSTOMER_SCORES, (String) values.get("first_run"));
  }

  /**
   * What the check needs of the input, as aggregates (for {@code Dataset.observe} or {@code agg}): the
   * rows and the rows with a whole key, and of a dataset that carries its run, the run ids and as_of dates.
   */
  private static Column[] inputMetrics(CrmDataset dataset) {
    List<Column> metrics = new ArrayList<>(List.of(count(lit(1)).as("rows"),
        count(when(hasKey(dataset), lit(1))).as("ids")));
    if (dataset.carriesRun()) {
      metrics.addAll(List.of(count(col(CustomerScores.RUN_ID)).as("run_ids"), min(CustomerScores.RUN_ID).as("first_run"),
          max(CustomerScores.RUN_ID).as("last_run"), count(col(CustomerScores.AS_OF)).as("as_ofs"),
          min(CustomerScores.AS_OF).as("first_as_of"), max(CustomerScores.AS_OF).as("last_as_of")));
    }
    return metrics.toArray(Column[]::new);
  }

  private static Column[] tail(Column[] columns) {
    return Arrays.copyOfRange(columns, 1, columns.length);
  }

  private static RunFacts check(Map<String, Object> m, LocalDate asOf, CrmDataset dataset, String runId) {
    long rows = (Long) m.get("rows");
    long ids = (Long) m.get("ids");
    if (rows == 0 && !dataset.mayBeEmpty()) {
      throw new UserError(dataset.title() + " for as_of " + asOf + " has no rows; nothing to write back (run the "
          + "scores stage for that date first)");
    }
    if (ids != rows) {
      throw new UserError(String.format(Locale.ROOT, "%s for as_of %s: %,d of %,d rows have no %s; the CRM needs "
          + "%s for every row", dataset.title(), asOf, rows - ids, rows, String.join(" or no ", dataset.keys()),
          dataset.keys().size() == 1 ? "one" : "them"));
    }
    if (!dataset.carriesRun()) {
      return new RunFacts(runId, asOf, rows);
    }
    boolean everyRowHasOne = (Long) m.get("run_ids") == rows;
    if (!everyRowHasOne || !m.get("first_run").equals(m.get("last_run"))) {
      throw new UserError("customer_scores for as_of " + asOf + " must hold exactly one run, found run_id "
          + (!everyRowHasOne ? "missing on some rows" : m.get("first_run") + " and " + m.get("last_run"))
          + "; write the scores stage's output of one run");
    }
    Object first = m.get("first_as_of");
    Object last = m.get("last_as_of");
    if ((Long) m.get("as_ofs") != rows || !String.valueOf(first).equals(asOf.toString())
        || !String.valueOf(last).equals(asOf.toString())) {
      throw new UserError("customer_scores for as_of " + asOf + " holds rows with as_of " + first + " to " + last
          + "; each as_of folder must hold only its own date");
    }
    return new RunFacts((String) m.get("first_run"), asOf, rows);
  }

  /**
   * The columns to write, named as in the CRM, the structured reasons as JSON text; {@code seen}
   * gathers the input check's aggregates as the rows pass.
   */
  private Dataset<Row> staged(Dataset<Row> rows, Observation seen) {
    CrmDataset dataset = jdbc.dataset();
    List<Column> cols = new ArrayList<>();
    for (Map.Entry<String, String> e : jdbc.columns().entrySet()) {
      if (rows.schema().getFieldIndex(e.getKey()).isEmpty()) {
        throw new UserError(dataset.section() + ".columns." + e.getKey() + ": " + dataset.title() + " has no column "
            + e.getKey() + "; columns found: " + String.join(", ", rows.schema().fieldNames()));
      }
      Column c = col(e.getKey());
      if (rows.schema().apply(e.getKey()).dataType() instanceof ArrayType
          || rows.schema().apply(e.getKey()).dataType() instanceof StructType) {
        c = to_json(c);
      }
      cols.add(c.as(e.getValue()));
    }
    // Partitions and size from the input itself: calling rdd() on the observed plan loses the
    // observation's metrics (Spark 4.1, measured: the count came back 0).
    int partitions = rows.rdd().getNumPartitions();
    long bytes = SparkInternals.estimatedBytes(rows);
    Column[] metrics = inputMetrics(dataset);
    // A row without a key is left out of the load (the staging key is NOT NULL), so that the check,
    // which counts it, reports it with its reason.
    Dataset<Row> out = rows.observe(seen, metrics[0], tail(metrics))
        .where(hasKey(dataset)).select(cols.toArray(Column[]::new));
    // One connection per writer: more partitions are merged, a large run (over 4 MB of Parquet, about
    // 100,000 customers) in few files is spread.
    if (partitions > jdbc.writers()) {
      return out.coalesce(jdbc.writers());
    }
    if (partitions < jdbc.writers() && bytes > SPREAD_ABOVE_BYTES) {
      return out.repartition(jdbc.writers());
    }
    return out;
  }

  /** Every key column of the row has a value. */
  private static Column hasKey(CrmDataset dataset) {
    return dataset.keys().stream().map(k -> col(k).isNotNull()).reduce(Column::and).orElseThrow();
  }

  private void prepare(SqlName staging, String runId, LocalDate asOf) throws SQLException {
    try (Connection c = endpoint.open(); Statement s = c.createStatement()) {
      s.execute(sql.createRunLog());
      c.commit();
      addRunLogCounts(c, s);
      if (jdbc.historyTable().isPresent()) {
        s.execute(sql.createHistory());
      }
      if (jdbc.historyKeepDays().isPresent()) {
        s.execute(sql.indexHistoryAsOf());
      }
      if (jdbc.create()) {
        s.execute(sql.createTarget());
      }
      c.commit();
      try {
        s.executeQuery(sql.probeTarget()).close();
      } catch (SQLException e) {
        if (Transient.is(e)) {
          throw e;
        }
        String section = jdbc.dataset().section();
        throw new UserError(section + ".table: " + jdbc.describe() + " cannot take the " + jdbc.dataset().noun() + ": "
            + endpoint.describe(e) + ". Check that the table exists and has the columns named under " + section
            + ".columns"
            + (jdbc.staleColumn().isPresent() ? ", stale_column" : "")
            + (jdbc.updatedAtColumn().isPresent() ? ", updated_at_column" : "")
            + " (names are case-sensitive), or set " + section + ".create: true");
      }
      c.rollback();
      checkNotOlder(c, runId, asOf); // fail fast; the transaction checks again under its lock
      for (String ddl : sql.createStaging(staging)) {
        s.execute(ddl);
      }
      c.commit();
    }
  }

  /** A run log of an earlier version gets the change counts (portable: MySQL has no ADD COLUMN IF NOT EXISTS). */
  private void addRunLogCounts(Connection c, Statement s) throws SQLException {
    try {
      s.executeQuery(sql.probeRunLogCounts()).close();
      c.rollback();
    } catch (SQLException e) {
      if (Transient.is(e)) {
        throw e;
      }
      c.rollback();
      for (String ddl : sql.addRunLogCounts()) {
        s.execute(ddl);
      }
      c.commit();
    }
  }

  /** The transaction: returns rows upserted, marked stale or deleted, added to the history, pruned. */
  private long[] commitRun(SqlName staging, RunFacts run) throws SQLException {
    long begin = System.nanoTime();
    try (Connection c = endpoint.open()) {
      boolean mariadb = jdbc.dialect() == Dialect.MARIADB;
      try {
        try (PreparedStatement lock = c.prepareStatement(sql.lock())) {
          lock.setString(1, sql.lockName());
          try (ResultSet r = lock.executeQuery()) {
            // MariaDB's GET_LOCK answers 0 after its timeout instead of failing.
            if (mariadb && (!r.next() || r.getInt(1) != 1)) {
              throw new UserError("write-back to " + jdbc.describe() + ": another write-back into " + jdbc.table()
                  + " has held its lock for 10 minutes; let it finish, then run this one again");
            }
          }
        }
        checkNotOlder(c, run.runId(), run.asOf());
        long upserted;
        long stale = 0;
        // The history rows and the run-log row of a run commit together: a run in the log has its history.
        boolean recorded = recorded(c, run);
        long history = 0;
        try (Statement s = c.createStatement()) {
          if (!mariadb) {
            // The joins of staging and target (a million accounts) in memory, not in batches on disk;
            // for this transaction only.
            s.execute("SET LOCAL work_mem = '256MB'");
            s.execute("ANALYZE " + staging.sql(jdbc.dialect()));
          }
          // Before the upsert: the history takes the rows whose values the target does not hold yet.
          if (!recorded && jdbc.historyTable().isPresent()) {
            history = appendHistory(c, staging, run);
          }
          long added = mariadb ? countOf(s, sql.countNew(staging)) : 0;
          long affected = 0;
          for (String statement : sql.upsert(staging)) {
            affected += s.executeUpdate(statement);
          }
          // MariaDB's affected rows: 1 per inserted row, 2 per updated one, 0 per unchanged one.
          upserted = mariadb ? added + (affected - added) / 2 : affected;
          // After the upsert every staged row is in the target: only a larger target holds rows this
          // run did not write. Counting is a scan; the stale update is a join (1.2 s against 0.3 s on a
          // million accounts, measured in psql), skipped on the usual run that scores every account.
          boolean handlesStale = jdbc.staleRows() == StaleRows.DELETE || jdbc.staleColumn().isPresent();
          if (handlesStale && countOf(s, sql.countTarget()) > run.rows()) {
            stale = s.executeUpdate(jdbc.staleRows() == StaleRows.DELETE ? sql.deleteStale(staging)
                : sql.markStale(staging));
          }
        }
        if (!recorded) {
          try (PreparedStatement r = c.prepareStatement(sql.recordRun())) {
            r.setString(1, jdbc.table().toString());
            r.setString(2, run.runId());
            r.setObject(3, java.sql.Date.valueOf(run.asOf()));
            r.setLong(4, run.rows());
            r.setLong(5, upserted);
            r.setLong(6, run.rows() - upserted);
            r.executeUpdate();
          }
        }
        long pruned = 0;
        if (jdbc.historyKeepDays().isPresent()) {
          try (PreparedStatement p = c.prepareStatement(sql.pruneHistory())) {
            p.setObject(1, java.sql.Date.valueOf(run.asOf().minusDays(jdbc.historyKeepDays().getAsInt())));
            pruned = p.executeUpdate();
          }
        }
        c.commit();
        log.accept(String.format(Locale.ROOT, "writeback: %s committed in %.1f s: %,d %s rows, %,d changed, "
            + "%,d unchanged, %,d %s, %,d history rows added%s", jdbc.table(), (System.nanoTime() - begin) / 1e9,
            run.rows(), jdbc.dataset().title(), upserted, run.rows() - upserted, stale, jdbc.staleRows() == StaleRows.DELETE ? "deleted" : "marked stale",
            history, jdbc.historyKeepDays().isPresent() ? String.format(Locale.ROOT,
                ", %,d older than %d days removed", pruned, jdbc.historyKeepDays().getAsInt()) : ""));
        return new long[] {upserted, stale, history, pruned};
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      } finally {
        if (mariadb) {
          releaseQuietly(c);
        }
      }
    }
  }

  /** Appends the run's rows to the history; returns the rows added. */
  private long appendHistory(Connection c, SqlName staging, RunFacts run) throws SQLException {
    SqlName historyTable = jdbc.historyTable().orElseThrow();
    try (PreparedStatement h = c.prepareStatement(sql.appendHistory(staging))) {
      h.setString(1, run.runId());
      h.setObject(2, java.sql.Date.valueOf(run.asOf()));
      return h.executeUpdate();
    } catch (SQLException e) {
      if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw e;
      }
      throw new UserError("write-back to " + jdbc.describe() + ": " + historyTable + " already holds rows of run "
          + run.runId() + ", but " + jdbc.runLogTable() + " has no record of that run (were rows deleted by hand?). "
          + "Delete the run's rows from " + historyTable + " (WHERE run_id = '" + run.runId() + "') and run the "
          + "write-back again.");
    }
  }

  private boolean recorded(Connection c, RunFacts run) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql.runRecorded())) {
      p.setString(1, jdbc.table().toString());
      p.setString(2, run.runId());
      try (ResultSet r = p.executeQuery()) {
        return r.next();
      }
    }
  }

  /** Refuses a run older than the CRM's latest, unless writeback.force. */
  private void checkNotOlder(Connection c, String runId, LocalDate asOf) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(sql.latestRun())) {
      p.setString(1, jdbc.table().toString());
      try (ResultSet r = p.executeQuery()) {
        if (!r.next()) {
          return;
        }
        LocalDate latest = r.getDate(1).toLocalDate();
        String latestRun = r.getString(2);
        if (asOf.isBefore(latest)) {
          if (force) {
            log.accept("writeback: " + jdbc.table() + " holds " + jdbc.dataset().noun() + " as of " + latest
                + "; writing the older run "
                + runId + " as of " + asOf + " because writeback.force is set");
            return;
          }
          String noun = jdbc.dataset().noun();
          throw new OlderThanCrm("write-back to " + jdbc.describe() + " refused: the CRM already holds " + noun
              + " as of " + latest + " (run " + latestRun + "), newer than this run's as_of " + asOf + " (run " + runId
              + "); writing it would replace newer " + noun + " with older ones. Set writeback.force: true "
              + "(or pass --force) to write it anyway.");
        }
      }
    }
  }

  private long stagingRows(SqlName staging) throws SQLException {
    try (Connection c = endpoint.open(); Statement s = c.createStatement()) {
      long n = countOf(s, sql.countStaging(staging));
      c.rollback();
      return n;
    }
  }

  private static long countOf(Statement s, String query) throws SQLException {
    try (ResultSet r = s.executeQuery(query)) {
      r.next();
      return r.getLong(1);
    }
  }

  private void execute(List<String> statements) throws SQLException {
    try (Connection c = endpoint.open(); Statement s = c.createStatement()) {
      for (String st : statements) {
        s.execute(st);
      }
      c.commit();
    }
  }

  private <T> T onDriver(String what, Transient.Attempt<T> work) {
    try {
      return Transient.retry(retry, this::retrying, work);
    } catch (UserError e) {
      throw e;
    } catch (Exception e) {
      throw new UserError("write-back to " + jdbc.describe() + " failed while " + what + ": " + reason(e)
          + ". The CRM table " + jdbc.table() + " was not changed. Check the database and writeback.connection, "
          + "then run the write-back again.", e);
    }
  }

  private void retrying(int failedAttempt, Duration wait, Exception cause) {
    log.accept(String.format(Locale.ROOT, "writeback: attempt %d of %d failed (%s); retrying in %.1f s",
        failedAttempt, retry.attempts(), reason(cause), wait.toMillis() / 1000.0));
  }

  /** One line: the database's message, with what a duplicate key means here. */
  private String reason(Throwable e) {
    String message = endpoint.describe(e);
    for (Throwable c = e; c != null && c != c.getCause(); c = c.getCause()) {
      if (c instanceof SQLException s && (UNIQUE_VIOLATION.equals(s.getSQLState()) || s.getErrorCode() == 1062)) {
        CrmDataset dataset = jdbc.dataset();
        return message + " (" + dataset.title() + " holds "
            + (dataset.keys().size() == 1 ? "a " + dataset.keysText() : "the same " + dataset.keysText())
            + " more than once; each must have one row)";
      }
    }
    return message;
  }

  private void dropQuietly(SqlName staging) {
    try {
      execute(List.of(sql.dropStaging(staging)));
    } catch (SQLException | RuntimeException e) {
      log.accept("writeback: could not drop the staging table " + staging + " (" + endpoint.describe(e)
          + "); the next write-back of this run replaces it, or drop it by hand");
    }
  }

  static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is gone: the database has rolled back by itself
    }
  }

  private void releaseQuietly(Connection c) {
    try (PreparedStatement p = c.prepareStatement(sql.unlock())) {
      p.setString(1, sql.lockName());
      p.executeQuery().close();
    } catch (SQLException ignored) {
      // a lost session releases its locks
    }
  }
}
