package org.crmanalytics.jobs.writeback;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.crmanalytics.jobs.writeback.WriteBackConfig.Jdbc;
import org.crmanalytics.models.scores.CustomerScores;

/**
 * The SQL of one write-back, as text: every name in it comes from {@link SqlName} and is quoted by
 * {@link Dialect}; every value (run id, as_of, partition) is a bind parameter. Runs nothing.
 */
public final class WriteBackSql {
  /** Columns the history table keeps besides the mapped ones. */
  public static final String HISTORY_RUN_ID = "run_id";
  public static final String HISTORY_AS_OF = "as_of";
  public static final String HISTORY_WRITTEN_AT = "written_at";
  public static final Set<String> HISTORY_OWN = Set.of(HISTORY_RUN_ID, HISTORY_AS_OF, HISTORY_WRITTEN_AT);
  /** The run log's counts of the run's rows whose CRM row changed (inserted or updated) and stayed. */
  public static final String RUN_LOG_CHANGED = "rows_changed";
  public static final String RUN_LOG_UNCHANGED = "rows_unchanged";
  /** The staging table's partition number: a retried Spark task replaces only its own rows. */
  public static final String PARTITION = "crmwb_partition";

  private final Jdbc jdbc;
  private final Dialect d;

  public WriteBackSql(Jdbc jdbc) {
    this.jdbc = jdbc;
    this.d = jdbc.dialect();
  }

  public Dialect dialect() {
    return d;
  }

  /** The staging table of one run: same schema as the target, name derived from target and run id. */
  public SqlName staging(String runId) {
    return jdbc.table().sibling("crmwb_stg_" + hash(jdbc.table() + "|" + runId, 8));
  }

  /** A name for the database lock that serialises write-backs into one table. */
  public String lockName() {
    return "crmwb:" + hash(jdbc.table().toString(), 8);
  }

  /** The staged columns, CRM names in mapping order (the key columns first). */
  public List<String> stagedColumns() {
    return List.copyOf(jdbc.columns().values());
  }

  /**
   * The staged columns whose change is a change of the row: all but the key columns and the run's own
   * run_id and as_of, which differ on every run. A row whose values are equal keeps the run_id,
   * as_of and updated-at of the run that last changed it, and gets no history row.
   */
  public List<String> valueColumns() {
    return List.copyOf(historyValueColumns().values());
  }

  /**
   * PostgreSQL's staging table gets its primary key after the load ({@link #keyStaging}): one bulk
   * index build is cheaper than keeping the index during the COPY (measured: 1.3 s against 2.0 s for
   * a million rows). MariaDB's InnoDB clusters rows by the key, so there it is declared up front.
   */
  public List<String> createStaging(SqlName staging) {
    boolean pg = d == Dialect.POSTGRESQL;
    String cols = columnDefinitions() + ", " + q(PARTITION) + " INTEGER NOT NULL"
        + (pg ? "" : ", PRIMARY KEY (" + list(keys()) + ")");
    // Unlogged: the staging rows are rebuilt from Parquet whenever they are lost.
    String create = pg ? "CREATE UNLOGGED TABLE " : "CREATE TABLE ";
    return List.of(dropStaging(staging), create + staging.sql(d) + " (" + cols + ")" + d.tableOptions());
  }

  /** PostgreSQL: the staging table's key, after the load; fails on a key loaded twice. None for MariaDB. */
  public List<String> keyStaging(SqlName staging) {
    return d == Dialect.POSTGRESQL
        ? List.of("ALTER TABLE " + staging.sql(d) + " ADD PRIMARY KEY (" + list(keys()) + ")")
        : List.of();
  }

  public String dropStaging(SqlName staging) {
    return "DROP TABLE IF EXISTS " + staging.sql(d);
  }

  /** The pipeline's own target table (writeback.create: true). */
  public String createTarget() {
    StringBuilder cols = new StringBuilder(columnDefinitions());
    jdbc.updatedAtColumn().ifPresent(c -> cols.append(", ").append(q(c)).append(' ').append(d.timestampType()));
    jdbc.staleColumn().ifPresent(c -> cols.append(", ").append(q(c)).append(" BOOLEAN NOT NULL DEFAULT FALSE"));
    cols.append(", PRIMARY KEY (").append(list(keys())).append(')');
    // Half of each page left free: a run's updates then fit on the row's own page (HOT), without a new
    // index entry (measured on PostgreSQL: a million updated accounts 2.2 s against 4.8 s).
    String options = d == Dialect.POSTGRESQL ? " WITH (fillfactor = 50)" : d.tableOptions();
    return "CREATE TABLE IF NOT EXISTS " + jdbc.table().sql(d) + " (" + cols + ")" + options;
  }

  public String createHistory() {
    StringBuilder cols = new StringBuilder(keyDefinitions() + ", " + q(HISTORY_RUN_ID)
        + " VARCHAR(255) NOT NULL, " + q(HISTORY_AS_OF) + " DATE NOT NULL, " + q(HISTORY_WRITTEN_AT) + " "
        + d.timestampType() + " NOT NULL");
    for (Map.Entry<String, String> e : historyValueColumns().entrySet()) {
      cols.append(", ").append(q(e.getValue())).append(' ').append(type(e.getKey()));
    }
    // Keyed by run first: a run's rows go into one range of the index instead of beside every
    // account's earlier rows, which touched every leaf page (measured in psql, a million accounts on
    // the second day: 2.8 s against 3.5 s; the gap grows with the history).
    cols.append(", PRIMARY KEY (").append(q(HISTORY_RUN_ID)).append(", ").append(list(keys())).append(')');
    return "CREATE TABLE IF NOT EXISTS " + history().sql(d) + " (" + cols + ")" + d.tableOptions();
  }

  /**
   * An index on the history's as_of for pruning (writeback.history_keep_days), so that a run's
   * DELETE reads only the old rows instead of the whole history.
   */
  public String indexHistoryAsOf() {
    SqlName h = history();
    String name = (h.name() + "_as_of").matches(SqlName.PATTERN) ? h.name() + "_as_of" : "crmwb_asof_" + hash(h.toString(), 8);
    return "CREATE INDEX IF NOT EXISTS " + q(name) + " ON " + h.sql(d) + " (" + q(HISTORY_AS_OF) + ")";
  }

  /** Deletes history rows older than the retention (bind: the oldest as_of kept). */
  public String pruneHistory() {
    return "DELETE FROM " + history().sql(d) + " WHERE " + q(HISTORY_AS_OF) + " < ?";
  }

  public String createRunLog() {
    return "CREATE TABLE IF NOT EXISTS " + jdbc.runLogTable().sql(d) + " (" + q("target_table")
        + " VARCHAR(255) NOT NULL, " + q("run_id") + " VARCHAR(255) NOT NULL, " + q("as_of") + " DATE NOT NULL, "
        + q("customers") + " BIGINT NOT NULL, " + q("written_at") + " " + d.timestampType() + " NOT NULL, "
        + q(RUN_LOG_CHANGED) + " BIGINT, " + q(RUN_LOG_UNCHANGED) + " BIGINT, "
        + "PRIMARY KEY (" + q("target_table") + ", " + q("run_id") + "))" + d.tableOptions();
  }

  /** Selects the run log's change counts, no rows: fails on a run log created before they existed. */
  public String probeRunLogCounts() {
    return "SELECT " + q(RUN_LOG_CHANGED) + ", " + q(RUN_LOG_UNCHANGED) + " FROM " + jdbc.runLogTable().sql(d)
        + " WHERE 1 = 0";
  }

  /** Adds the change counts to a run log of an earlier version (null for its earlier runs). */
  public List<String> addRunLogCounts() {
    String table = jdbc.runLogTable().sql(d);
    return List.of("ALTER TABLE " + table + " ADD COLUMN " + q(RUN_LOG_CHANGED) + " BIGINT",
        "ALTER TABLE " + table + " ADD COLUMN " + q(RUN_LOG_UNCHANGED) + " BIGINT");
  }

  /** Selects every column the write-back touches, no rows: fails when the CRM table lacks one. */
  public String probeTarget() {
    List<String> cols = new ArrayList<>(stagedColumns());
    jdbc.updatedAtColumn().ifPresent(cols::add);
    jdbc.staleColumn().ifPresent(cols::add);
    return "SELECT " + cols.stream().map(this::q).collect(Collectors.joining(", ")) + " FROM "
        + jdbc.table().sql(d) + " WHERE 1 = 0";
  }

  /** The latest as_of this target got (bind: target table name). */
  public String latestRun() {
    return "SELECT " + q("as_of") + ", " + q("run_id") + " FROM " + jdbc.runLogTable().sql(d) + " WHERE "
        + q("target_table") + " = ? ORDER BY " + q("as_of") + " DESC, " + q("written_at") + " DESC LIMIT 1";
  }

  /** Whether the run log has this run (bind: target table, run id). */
  public String runRecorded() {
    return "SELECT 1 FROM " + jdbc.runLogTable().sql(d) + " WHERE " + q("target_table") + " = ? AND " + q("run_id")
        + " = ?";
  }

  /** Takes the lock that serialises write-backs into the same table (bind: lock name). */
  public String lock() {
    return d == Dialect.POSTGRESQL ? "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))" : "SELECT GET_LOCK(?, 600)";
  }

  /** MariaDB's lock is the session's; PostgreSQL's ends with the transaction. */
  public String unlock() {
    return "SELECT RELEASE_LOCK(?)";
  }

  /**
   * Updates the accounts whose values changed and inserts the new ones; the rows each statement
   * changed add up to the accounts written. Unchanged rows are not touched, so their updated-at
   * column keeps its value and running the same run again changes nothing.
   *
   * <p>PostgreSQL: an UPDATE joined to staging, then an INSERT of the accounts the target lacks, in
   * key order. Updating through ON CONFLICT cost 2.4 s more per million changed accounts (measured):
   * only accounts the target lacks reach it, so it acts only when the CRM inserts one of them
   * meanwhile, and then updates that account.
   */
  public List<String> upsert(SqlName staging) {
    return d == Dialect.POSTGRESQL ? postgresUpsert(staging) : List.of(mariadbUpsert(staging));
  }

  private List<String> postgresUpsert(SqlName staging) {
    List<String> all = stagedColumns();
    int keys = keys().size();
    List<String> values = all.subList(keys, all.size());
    String target = jdbc.table().sql(d);
    List<String> insertCols = new ArrayList<>(all);
    List<String> selected = new ArrayList<>(all.stream().map(c -> "s." + q(c)).toList());
    List<String> set = new ArrayList<>(values.stream().map(c -> q(c) + " = s." + q(c)).toList());
    // The columns whose change counts as a change of the account (not the updated-at column itself).
    List<String> current = new ArrayList<>(valueColumns().stream().map(c -> "t." + q(c)).toList());
    List<String> staged = new ArrayList<>(valueColumns().stream().map(c -> "s." + q(c)).toList());
    jdbc.updatedAtColumn().ifPresent(c -> {
      insertCols.add(c);
      selected.add(d.now());
      set.add(q(c) + " = " + d.now());
    });
    jdbc.staleColumn().ifPresent(c -> {
      insertCols.add(c);
      selected.add("FALSE");
      set.add(q(c) + " = FALSE");
      current.add("t." + q(c));
      staged.add("FALSE");
    });
    String insert = "INSERT INTO " + target + " (" + list(insertCols) + ") SELECT " + String.join(", ", selected)
        + " FROM " + staging.sql(d) + " s WHERE NOT EXISTS (SELECT 1 FROM " + target + " t WHERE " + sameKey()
        + ") ORDER BY " + keyOf("s") + " ON CONFLICT (" + list(keys()) + ") DO ";
    if (current.isEmpty()) {
      return List.of(insert + "NOTHING");
    }
    insert += "UPDATE SET " + insertCols.subList(keys, insertCols.size()).stream().map(c -> q(c) + " = EXCLUDED." + q(c))
        .collect(Collectors.joining(", "));
    String update = "UPDATE " + target + " AS t SET " + String.join(", ", set) + " FROM " + staging.sql(d) + " s WHERE "
        + sameKey() + " AND (" + String.join(", ", current) + ") IS DISTINCT FROM (" + String.join(", ", staged)
        + ")";
    return List.of(update, insert);
  }

  private String mariadbUpsert(SqlName staging) {
    List<String> all = stagedColumns();
    List<String> insertCols = new ArrayList<>(all);
    List<String> selected = new ArrayList<>(all.stream().map(c -> "s." + q(c)).toList());
    jdbc.updatedAtColumn().ifPresent(c -> {
      insertCols.add(c);
      selected.add(d.now());
    });
    jdbc.staleColumn().ifPresent(c -> {
      insertCols.add(c);
      selected.add("FALSE");
    });
    // The columns whose change counts as a change of the account (not the updated-at column itself).
    List<String> compared = new ArrayList<>(valueColumns());
    jdbc.staleColumn().ifPresent(compared::add);
    // Written only with a change: the run's run_id and as_of, and the updated-at column.
    List<String> followers = new ArrayList<>(all.subList(keys().size(), all.size()));
    followers.removeAll(compared);
    jdbc.updatedAtColumn().ifPresent(followers::add);
    String target = jdbc.table().sql(d);
    String insert = "INSERT INTO " + target + " (" + list(insertCols) + ") SELECT " + String.join(", ", selected)
        + " FROM " + staging.sql(d) + " s";
    if (compared.isEmpty()) {
      String k = q(keys().get(0));
      return insert + " ON DUPLICATE KEY UPDATE " + target + "." + k + " = " + target + "." + k;
    }
    String unchanged = compared.stream().map(c -> target + "." + q(c) + " <=> VALUES(" + q(c) + ")")
        .collect(Collectors.joining(" AND "));
    List<String> set = new ArrayList<>();
    // MariaDB assigns left to right: the followers first, while the old values are still there to compare.
    for (String c : followers) {
      set.add(target + "." + q(c) + " = IF(" + unchanged + ", " + target + "." + q(c) + ", VALUES(" + q(c) + "))");
    }
    for (String c : compared) {
      set.add(target + "." + q(c) + " = VALUES(" + q(c) + ")");
    }
    return insert + " ON DUPLICATE KEY UPDATE " + String.join(", ", set);
  }

  /** Deletes the rows this run did not write (invoices no longer open, recommendations no longer made). */
  public String deleteStale(SqlName staging) {
    if (d == Dialect.POSTGRESQL) {
      return "DELETE FROM " + jdbc.table().sql(d) + " AS t WHERE NOT EXISTS (SELECT 1 FROM " + staging.sql(d)
          + " s WHERE " + sameKey() + ")";
    }
    return "DELETE t FROM " + jdbc.table().sql(d) + " t LEFT JOIN " + staging.sql(d) + " s ON " + sameKey()
        + " WHERE s." + q(keys().get(0)) + " IS NULL";
  }

  /** Flags accounts this run did not score (stale_customers: mark). */
  public String markStale(SqlName staging) {
    String stale = q(jdbc.staleColumn().orElseThrow());
    if (d == Dialect.POSTGRESQL) {
      return "UPDATE " + jdbc.table().sql(d) + " AS t SET " + stale + " = TRUE"
          + jdbc.updatedAtColumn().map(u -> ", " + q(u) + " = " + d.now()).orElse("")
          + " WHERE t." + stale + " IS DISTINCT FROM TRUE AND NOT EXISTS (SELECT 1 FROM " + staging.sql(d)
          + " s WHERE " + sameKey() + ")";
    }
    return "UPDATE " + jdbc.table().sql(d) + " t LEFT JOIN " + staging.sql(d) + " s ON " + sameKey()
        + " SET t." + stale + " = TRUE" + jdbc.updatedAtColumn().map(u -> ", t." + q(u) + " = " + d.now()).orElse("")
        + " WHERE s." + q(keys().get(0)) + " IS NULL AND NOT (t." + stale + " <=> TRUE)";
  }

  /**
   * MariaDB: the run's rows the target does not hold yet. Its upsert counts an inserted row once and
   * an updated one twice, so the changed rows are told apart with this count, taken before it.
   */
  public String countNew(SqlName staging) {
    return "SELECT COUNT(*) FROM " + staging.sql(d) + " s WHERE NOT EXISTS (SELECT 1 FROM " + jdbc.table().sql(d)
        + " t WHERE " + sameKey() + ")";
  }

  /**
   * Appends to the history the run's rows whose values the target does not hold yet: new accounts and
   * changed ones, so the history keeps value changes and an unchanged run adds nothing (bind: run id,
   * as_of). Runs before the upsert, which makes every row equal. Called only for a run the run log
   * lacks, under the write-back lock, so the run has no history rows yet: PostgreSQL inserts plainly,
   * in key order (half the time of ON CONFLICT DO NOTHING, measured); MariaDB keeps rows already there.
   */
  public String appendHistory(SqlName staging) {
    Map<String, String> values = historyValueColumns();
    List<String> cols = new ArrayList<>(keys());
    cols.addAll(List.of(HISTORY_RUN_ID, HISTORY_AS_OF, HISTORY_WRITTEN_AT));
    cols.addAll(values.values());
    List<String> selected = new ArrayList<>(keys().stream().map(k -> "s." + q(k)).toList());
    selected.addAll(List.of("?", "?", d.now()));
    values.values().forEach(c -> selected.add("s." + q(c)));
    String h = history().sql(d);
    List<String> same = new ArrayList<>(List.of(sameKey()));
    if (!values.isEmpty()) {
      same.add(d == Dialect.POSTGRESQL
          ? "(" + values.values().stream().map(c -> "t." + q(c)).collect(Collectors.joining(", ")) + ") IS NOT DISTINCT FROM ("
              + values.values().stream().map(c -> "s." + q(c)).collect(Collectors.joining(", ")) + ")"
          : values.values().stream().map(c -> "t." + q(c) + " <=> s." + q(c)).collect(Collectors.joining(" AND ")));
    }
    String insert = "INSERT INTO " + h + " (" + list(cols) + ") SELECT " + String.join(", ", selected) + " FROM "
        + staging.sql(d) + " s WHERE NOT EXISTS (SELECT 1 FROM " + jdbc.table().sql(d) + " t WHERE "
        + String.join(" AND ", same) + ")";
    return d == Dialect.POSTGRESQL
        ? insert + " ORDER BY " + keyOf("s")
        : insert + " ON DUPLICATE KEY UPDATE " + h + "." + q(HISTORY_RUN_ID) + " = " + h + "." + q(HISTORY_RUN_ID);
  }

  /** Records the run (bind: target table, run id, as_of, rows, rows changed, rows unchanged). */
  public String recordRun() {
    String insert = "INSERT INTO " + jdbc.runLogTable().sql(d) + " (" + list(List.of("target_table", "run_id", "as_of",
        "customers", RUN_LOG_CHANGED, RUN_LOG_UNCHANGED, "written_at")) + ") VALUES (?, ?, ?, ?, ?, ?, " + d.now() + ")";
    return d == Dialect.POSTGRESQL ? insert + " ON CONFLICT DO NOTHING"
        : insert + " ON DUPLICATE KEY UPDATE " + q("run_id") + " = " + q("run_id");
  }

  /** PostgreSQL: streams one partition into staging, text format. */
  public String copy(SqlName staging) {
    List<String> cols = new ArrayList<>(stagedColumns());
    cols.add(PARTITION);
    return "COPY " + staging.sql(d) + " (" + list(cols) + ") FROM STDIN";
  }

  /** MariaDB: one multi-row INSERT of {@code rows} rows into staging. */
  public String insertStaging(SqlName staging, int rows) {
    List<String> cols = new ArrayList<>(stagedColumns());
    cols.add(PARTITION);
    String one = "(" + String.join(", ", java.util.Collections.nCopies(cols.size(), "?")) + ")";
    return "INSERT INTO " + staging.sql(d) + " (" + list(cols) + ") VALUES "
        + String.join(", ", java.util.Collections.nCopies(rows, one));
  }

  /** Removes a failed attempt's rows of one partition (bind: partition). */
  public String deletePartition(SqlName staging) {
    return "DELETE FROM " + staging.sql(d) + " WHERE " + q(PARTITION) + " = ?";
  }

  public String countStaging(SqlName staging) {
    return "SELECT COUNT(*) FROM " + staging.sql(d);
  }

  public String countTarget() {
    return "SELECT COUNT(*) FROM " + jdbc.table().sql(d);
  }

  private String columnDefinitions() {
    List<String> defs = new ArrayList<>();
    for (Map.Entry<String, String> e : jdbc.columns().entrySet()) {
      boolean isKey = jdbc.dataset().keys().contains(e.getKey());
      defs.add(q(e.getValue()) + " " + (isKey ? keyType(e.getKey()) : type(e.getKey())));
    }
    return String.join(", ", defs);
  }

  /** The key columns' definitions, as the history repeats them. */
  private String keyDefinitions() {
    return jdbc.dataset().keys().stream().map(k -> q(jdbc.columns().get(k)) + " " + keyType(k))
        .collect(Collectors.joining(", "));
  }

  private String keyType(String datasetColumn) {
    return d.type(jdbc.dataset().schema().apply(datasetColumn).dataType(), true) + " NOT NULL";
  }

  /** Mapped columns the history keeps as values: all but the key, run_id and as_of (it has its own). */
  private Map<String, String> historyValueColumns() {
    Map<String, String> out = new java.util.LinkedHashMap<>(jdbc.columns());
    jdbc.dataset().keys().forEach(out::remove);
    out.remove(CustomerScores.RUN_ID);
    out.remove(CustomerScores.AS_OF);
    return out;
  }

  private String type(String datasetColumn) {
    return d.type(jdbc.dataset().schema().apply(datasetColumn).dataType(), false);
  }

  private SqlName history() {
    return jdbc.historyTable().orElseThrow(() -> new IllegalStateException(jdbc.table() + " keeps no history"));
  }

  private List<String> keys() {
    return jdbc.keyColumns();
  }

  /** Rows t (target) and s (staging) of the same key: {@code t."a" = s."a" AND t."b" = s."b"}. */
  private String sameKey() {
    return keys().stream().map(k -> "t." + q(k) + " = s." + q(k)).collect(Collectors.joining(" AND "));
  }

  /** The key columns of {@code alias}, for ORDER BY. */
  private String keyOf(String alias) {
    return keys().stream().map(k -> alias + "." + q(k)).collect(Collectors.joining(", "));
  }

  private String q(String name) {
    return d.quote(name);
  }

  private String list(List<String> names) {
    return names.stream().map(this::q).collect(Collectors.joining(", "));
  }

  static String hash(String text, int bytes) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
