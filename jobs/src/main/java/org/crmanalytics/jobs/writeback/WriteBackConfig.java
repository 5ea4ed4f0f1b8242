package org.crmanalytics.jobs.writeback;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.crmanalytics.jobs.config.ConfigLoader;
import org.crmanalytics.jobs.config.ConfigNode;
import org.crmanalytics.jobs.config.ConfigSection;
import org.crmanalytics.jobs.config.PipelineConfig.Connection;
import org.crmanalytics.jobs.config.Secret;
import org.crmanalytics.models.crosssell.CrossSellOutput;
import org.crmanalytics.models.scores.CustomerScores;

/**
 * The {@code writeback:} section, checked before Spark starts. Every error names the key as typed
 * ({@code writeback.columns.abc_class: ...}); docs/configuration.md and docs/writeback.md list each key.
 *
 * @param sinks where the scores go, in the order written
 * @param jdbc the CRM database, present when {@code sinks} contains {@link Sink#JDBC}
 * @param invoices the CRM table of the open invoices ({@code writeback.invoices}), on the same database
 * @param crossSell the CRM table of the cross-sell recommendations ({@code writeback.cross_sell}), on the
 *     same database
 * @param decimalComma CSV numbers as {@code 0,25} for German Excel
 * @param force write a run even when the CRM holds a later as_of
 */
public record WriteBackConfig(List<Sink> sinks, Optional<Jdbc> jdbc, Optional<Jdbc> invoices,
    Optional<Jdbc> crossSell, boolean decimalComma, boolean force, Retry retry) {
  public static final Set<String> KEYS = Set.of("target", "connection", "password_file", "table", "create",
      "columns", "history_table", "history_keep_days", "run_log_table", "stale_customers", "stale_column", "updated_at_column",
      "force", "retry", "csv", "writers", "batch_size", "invoices", "cross_sell");
  public static final Set<String> RETRY_KEYS = Set.of("attempts", "backoff_ms", "max_backoff_ms");
  public static final Set<String> CSV_KEYS = Set.of("decimal_comma");
  public static final Set<String> INVOICE_KEYS = Set.of("table", "create", "columns", "updated_at_column");
  public static final Set<String> CROSS_SELL_KEYS = Set.of("table", "create", "columns", "updated_at_column", "language");

  /** Column names a created table gets for its own bookkeeping. */
  static final String DEFAULT_UPDATED_AT = "scores_updated_at";
  static final String DEFAULT_STALE = "scores_stale";
  static final String DEFAULT_INVOICES_UPDATED_AT = "invoice_updated_at";
  static final String DEFAULT_CROSS_SELL_UPDATED_AT = "recommendation_updated_at";
  static final String DEFAULT_RUN_LOG = "crm_analytics_writeback_runs";

  public WriteBackConfig {
    sinks = List.copyOf(sinks);
  }

  public enum Sink { JDBC, CSV, PARQUET }

  /**
   * Rows the CRM table has but this run does not write: accounts not scored are kept or marked
   * ({@code writeback.stale_customers}); invoices no longer open and recommendations no longer made
   * are deleted, so those tables are the lists of the latest run.
   */
  public enum StaleRows { KEEP, MARK, DELETE }

  /** Transient database errors are retried {@code attempts - 1} times, waiting backoff, 2×backoff, ... */
  public record Retry(int attempts, Duration backoff, Duration maxBackoff) implements java.io.Serializable {
    public Duration wait(int failedAttempts) {
      long ms = backoff.toMillis() << Math.min(20, Math.max(0, failedAttempts - 1));
      return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
    }
  }

  /**
   * The CRM database side.
   *
   * @param dataset what is written: customer_scores, the open invoices or the cross-sell recommendations
   * @param columns {@code dataset} column → CRM column, the dataset's key first
   * @param create the pipeline creates {@code table} (and owns its types) instead of writing into an
   *     existing CRM table
   * @param historyTable every run's rows; none for the invoice and recommendation lists
   * @param historyKeepDays history rows with an as_of more than this many days before the run's are
   *     deleted by the run; empty keeps every run
   */
  public record Jdbc(CrmDataset dataset, Connection connection, Optional<Secret> password, Dialect dialect,
      SqlName table, boolean create, Map<String, String> columns, Optional<SqlName> historyTable,
      OptionalInt historyKeepDays, SqlName runLogTable, StaleRows staleRows, Optional<String> staleColumn,
      Optional<String> updatedAtColumn, int writers, int batchSize) {
    public Jdbc {
      columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    /** The CRM columns the dataset's key is written to (the account id; the invoice number; account and rank). */
    public List<String> keyColumns() {
      return dataset.keys().stream().map(columns::get).toList();
    }

    /** Where the connection points, without credentials. */
    public String describe() {
      return table + " on " + connection.describe();
    }

    @Override
    public String toString() {
      return "Jdbc[" + describe() + ", user=" + connection.user().orElse("") + ", password="
          + (password.isPresent() ? "******" : "none") + ", columns=" + columns + "]";
    }
  }

  /** The {@code writeback:} section; a missing section exports CSV only. */
  public static final ConfigSection<WriteBackConfig> SECTION =
      new ConfigSection<>("writeback", WriteBackConfig.class, (section, context) -> parse(section, context.connections()));

  static WriteBackConfig parse(ConfigNode section, ConfigNode connections) {
    section.allowOnly(KEYS);
    List<Sink> sinks = sinks(section.child("target"));
    ConfigNode retryNode = section.child("retry").allowOnly(RETRY_KEYS);
    int attempts = (int) atLeast(retryNode.child("attempts"), 3, 1);
    long backoff = atLeast(retryNode.child("backoff_ms"), 1000, 0);
    long maxBackoff = atLeast(retryNode.child("max_backoff_ms"), 30_000, 0);
    if (maxBackoff < backoff) {
      throw retryNode.child("max_backoff_ms").error("must be at least backoff_ms (" + backoff + "), found " + maxBackoff);
    }
    ConfigNode csv = section.child("csv").allowOnly(CSV_KEYS);
    ConfigNode invoicesNode = section.child("invoices").allowOnly(INVOICE_KEYS);
    ConfigNode crossSellNode = section.child("cross_sell").allowOnly(CROSS_SELL_KEYS);
    Optional<Jdbc> jdbc = Optional.empty();
    Optional<Jdbc> invoices = Optional.empty();
    Optional<Jdbc> crossSell = Optional.empty();
    if (sinks.contains(Sink.JDBC)) {
      jdbc = Optional.of(jdbc(section, connections));
      if (!invoicesNode.isMissing()) {
        invoices = Optional.of(listTable(invoicesNode, CrmDataset.OPEN_INVOICES, jdbc.get(), Optional.empty()));
      }
      if (!crossSellNode.isMissing()) {
        crossSell = Optional.of(listTable(crossSellNode, CrmDataset.CROSS_SELL_RECOMMENDATIONS, jdbc.get(), invoices));
      }
    } else {
      for (String key : List.of("connection", "table", "columns", "history_table", "history_keep_days", "run_log_table",
          "password_file", "invoices", "cross_sell")) {
        if (section.has(key)) {
          throw section.child(key).error("is for the database target only; add jdbc to writeback.target");
        }
      }
    }
    return new WriteBackConfig(sinks, jdbc, invoices, crossSell, csv.child("decimal_comma").bool(false),
        section.child("force").bool(false), new Retry(attempts, Duration.ofMillis(backoff), Duration.ofMillis(maxBackoff)));
  }

  public WriteBackConfig withForce() {
    return new WriteBackConfig(sinks, jdbc, invoices, crossSell, decimalComma, true, retry);
  }

  private static List<Sink> sinks(ConfigNode node) {
    Set<Sink> out = new LinkedHashSet<>();
    for (String typed : node.stringList(List.of("csv"))) {
      String t = typed.trim().toLowerCase(Locale.ROOT);
      Sink sink = switch (t) {
        case "jdbc" -> Sink.JDBC;
        case "csv" -> Sink.CSV;
        case "parquet" -> Sink.PARQUET;
        default -> throw node.error("unknown target '" + typed + "'; use jdbc, csv, parquet or a list of them");
      };
      if (!out.add(sink)) {
        throw node.error("names " + t + " twice");
      }
    }
    if (out.isEmpty()) {
      throw node.error("names no target; use jdbc, csv, parquet or a list of them");
    }
    return List.copyOf(out);
  }

  private static Jdbc jdbc(ConfigNode section, ConfigNode connections) {
    ConfigNode connNode = section.child("connection");
    String name = connNode.requiredString();
    ConfigNode entry = connections.child(name);
    if (entry.isMissing()) {
      Set<String> known = connections.entries().keySet();
      throw connNode.error("names connection '" + name + "', which is not under connections"
          + (known.isEmpty() ? "" : " (known: " + String.join(", ", known) + ")"));
    }
    Connection connection = ConfigLoader.connection(name, entry);
    Dialect dialect = Dialect.of(connection.url()).orElseThrow(() -> entry.child("url").error("write-back supports "
        + "PostgreSQL (jdbc:postgresql:) and MariaDB/MySQL (jdbc:mariadb:) URLs"));
    Optional<Secret> password = connection.password();
    ConfigNode passwordFile = section.child("password_file");
    if (!passwordFile.isMissing()) {
      password = Optional.of(readSecret(passwordFile, passwordFile.requiredString()));
    }

    SqlName table = SqlName.table(section.child("table"), section.child("table").requiredString());
    boolean create = section.child("create").bool(false);
    ConfigNode columnsNode = section.child("columns");
    Map<String, String> ordered = columns(columnsNode, CrmDataset.CUSTOMER_SCORES, create, List.of());

    StaleRows stale = choice(section.child("stale_customers"), List.of(StaleRows.KEEP, StaleRows.MARK), StaleRows.KEEP);
    Optional<String> staleColumn = optionalColumn(section, "stale_column", create ? DEFAULT_STALE : null);
    if (stale == StaleRows.MARK && staleColumn.isEmpty()) {
      throw section.child("stale_column").error("is required with stale_customers: mark: name the CRM column "
          + "(boolean) that flags accounts this run did not score");
    }
    if (stale == StaleRows.KEEP) {
      staleColumn = Optional.empty();
    }
    Optional<String> updatedAt = optionalColumn(section, "updated_at_column", create ? DEFAULT_UPDATED_AT : null);
    for (Optional<String> own : List.of(staleColumn, updatedAt)) {
      if (own.isPresent() && ordered.values().stream().anyMatch(c -> c.equalsIgnoreCase(own.get()))) {
        throw section.child(own == staleColumn ? "stale_column" : "updated_at_column")
            .error("'" + own.get() + "' is also the target of a customer_scores column under writeback.columns");
      }
    }
    if (updatedAt.isPresent() && staleColumn.isPresent() && updatedAt.get().equalsIgnoreCase(staleColumn.get())) {
      throw section.child("stale_column").error("must differ from writeback.updated_at_column");
    }
    for (Map.Entry<String, String> e : ordered.entrySet()) {
      boolean keptByHistory = e.getKey().equals(CustomerScores.RUN_ID) || e.getKey().equals(CustomerScores.AS_OF);
      if (!keptByHistory && WriteBackSql.HISTORY_OWN.contains(e.getValue().toLowerCase(Locale.ROOT))) {
        throw columnsNode.child(e.getKey()).error("'" + e.getValue() + "' is a column the history table keeps for "
            + "itself (" + String.join(", ", WriteBackSql.HISTORY_OWN) + "); map " + e.getKey() + " to another name");
      }
    }
    SqlName history = section.has("history_table")
        ? SqlName.table(section.child("history_table"), section.child("history_table").requiredString())
        : derived(section.child("table"), table, table.name() + "_history");
    SqlName runLog = section.has("run_log_table")
        ? SqlName.table(section.child("run_log_table"), section.child("run_log_table").requiredString())
        : table.sibling(DEFAULT_RUN_LOG);
    if (history.toString().equalsIgnoreCase(table.toString()) || runLog.toString().equalsIgnoreCase(table.toString())
        || history.toString().equalsIgnoreCase(runLog.toString())) {
      throw section.child("history_table").error("writeback.table, history_table and run_log_table must be three "
          + "different tables");
    }
    int writers = (int) atLeast(section.child("writers"), 4, 1);
    int batch = (int) atLeast(section.child("batch_size"), 1000, 1);
    OptionalInt keepDays = section.has("history_keep_days")
        ? OptionalInt.of((int) atLeast(section.child("history_keep_days"), 1, 1)) : OptionalInt.empty();
    return new Jdbc(CrmDataset.CUSTOMER_SCORES, connection, password, dialect, table, create, ordered,
        Optional.of(history), keepDays, runLog, stale, staleColumn, updatedAt, writers, batch);
  }

  /**
   * {@code columnsNode}: dataset column → CRM column, the key columns first (staging, upsert and
   * history all lead with them); without the node the dataset's columns of a created table under their
   * own names, less {@code leftOut}.
   */
  private static Map<String, String> columns(ConfigNode columnsNode, CrmDataset dataset, boolean create,
      List<String> leftOut) {
    List<String> keys = dataset.keys();
    Map<String, String> columns = new LinkedHashMap<>();
    if (columnsNode.isMissing()) {
      if (!create) {
        throw columnsNode.error("is required for an existing CRM table: map at least " + dataset.keysText() + " to "
            + dataset.keyTarget() + ", or set " + dataset.section() + ".create: true");
      }
      for (String c : dataset.createdColumns()) {
        if (!leftOut.contains(c)) {
          columns.put(c, c);
        }
      }
      return columns;
    }
    Set<String> crmNames = new LinkedHashSet<>();
    for (Map.Entry<String, ConfigNode> e : columnsNode.entries().entrySet()) {
      if (dataset.schema().getFieldIndex(e.getKey()).isEmpty()) {
        throw e.getValue().error("is not a column of " + dataset.title() + "; its columns are "
            + String.join(", ", dataset.schema().fieldNames()));
      }
      String crm = SqlName.column(e.getValue(), e.getValue().requiredString());
      if (!crmNames.add(crm.toLowerCase(Locale.ROOT))) {
        throw e.getValue().error("CRM column '" + crm + "' is the target of two " + dataset.title() + " columns");
      }
      columns.put(e.getKey(), crm);
    }
    List<String> unmapped = keys.stream().filter(k -> !columns.containsKey(k)).toList();
    if (!unmapped.isEmpty()) {
      throw columnsNode.error("must map " + dataset.keysText() + " to " + dataset.keyTarget()
          + (unmapped.size() < keys.size() ? "; " + String.join(", ", unmapped) + " is not mapped" : ""));
    }
    Map<String, String> ordered = new LinkedHashMap<>();
    keys.forEach(k -> ordered.put(k, columns.remove(k)));
    ordered.putAll(columns);
    return ordered;
  }

  /**
   * A list's table ({@code writeback.invoices}, {@code writeback.cross_sell}): on the scores'
   * database, connection, run log and load settings; without history; rows the run's list no longer
   * holds are deleted. {@code other} is the other list's table, which it may not share.
   */
  private static Jdbc listTable(ConfigNode node, CrmDataset dataset, Jdbc scores, Optional<Jdbc> other) {
    ConfigNode tableNode = node.child("table");
    SqlName table = SqlName.table(tableNode, tableNode.requiredString());
    List<SqlName> taken = new ArrayList<>(List.of(scores.table(), scores.runLogTable()));
    scores.historyTable().ifPresent(taken::add);
    if (taken.stream().anyMatch(t -> t.toString().equalsIgnoreCase(table.toString()))) {
      throw tableNode.error("'" + table + "' is already a table of the scores' write-back; name a table of its own");
    }
    if (other.isPresent() && other.get().table().toString().equalsIgnoreCase(table.toString())) {
      throw tableNode.error("'" + table + "' is already the table of " + other.get().dataset().section()
          + "; name a table of its own");
    }
    boolean create = node.child("create").bool(false);
    Map<String, String> columns = columns(node.child("columns"), dataset, create, otherLanguage(node));
    Optional<String> updatedAt = optionalColumn(node, "updated_at_column", create
        ? (dataset == CrmDataset.OPEN_INVOICES ? DEFAULT_INVOICES_UPDATED_AT : DEFAULT_CROSS_SELL_UPDATED_AT) : null);
    if (updatedAt.isPresent() && columns.values().stream().anyMatch(c -> c.equalsIgnoreCase(updatedAt.get()))) {
      throw node.child("updated_at_column").error("'" + updatedAt.get() + "' is also the target of a "
          + dataset.title() + " column under " + dataset.section() + ".columns");
    }
    return new Jdbc(dataset, scores.connection(), scores.password(), scores.dialect(), table, create,
        columns, Optional.empty(), OptionalInt.empty(), scores.runLogTable(), StaleRows.DELETE, Optional.empty(),
        updatedAt, scores.writers(), scores.batchSize());
  }

  /**
   * {@code writeback.cross_sell.language} (en, de or both, the default): the reason column a created
   * table leaves out. A mapping names its reason columns itself.
   */
  private static List<String> otherLanguage(ConfigNode node) {
    ConfigNode language = node.child("language");
    Optional<String> typed = language.optString().map(t -> t.trim().toLowerCase(Locale.ROOT));
    if (typed.isEmpty()) {
      return List.of();
    }
    if (node.has("columns")) {
      throw language.error("chooses the reason column of a table created without columns; with "
          + "writeback.cross_sell.columns map reason_en, reason_de or both yourself, and remove language");
    }
    return switch (typed.get()) {
      case "both" -> List.of();
      case "en" -> List.of(CrossSellOutput.REASON_DE);
      case "de" -> List.of(CrossSellOutput.REASON_EN);
      default -> throw language.error("must be one of en, de, both; found '" + language.optString().orElse("") + "'");
    };
  }

  private static SqlName derived(ConfigNode tableNode, SqlName table, String name) {
    if (!name.matches(SqlName.PATTERN)) {
      throw tableNode.error("is too long to derive the history table's name (" + name + "); set "
          + "writeback.history_table");
    }
    return table.sibling(name);
  }

  private static Optional<String> optionalColumn(ConfigNode section, String key, String dflt) {
    ConfigNode node = section.child(key);
    Optional<String> typed = node.optString().map(String::trim);
    if (typed.isPresent() && (typed.get().isEmpty() || typed.get().equalsIgnoreCase("none"))) {
      return Optional.empty();
    }
    return typed.or(() -> Optional.ofNullable(dflt)).map(c -> SqlName.column(node, c));
  }

  /** The first line of a secrets file; the error names the key and file, never the content. */
  private static Secret readSecret(ConfigNode node, String file) {
    Path p = Path.of(file);
    try {
      String text = Files.readString(p, StandardCharsets.UTF_8);
      String first = text.lines().findFirst().orElse("");
      if (first.isEmpty()) {
        throw node.error("the secrets file " + p.toAbsolutePath() + " is empty; put the password on its first line");
      }
      return Secret.of(first);
    } catch (IOException e) {
      throw node.error("cannot read the secrets file " + p.toAbsolutePath() + " (" + e.getClass().getSimpleName()
          + "); check the path and that this user may read it");
    }
  }

  private static long atLeast(ConfigNode node, long dflt, long min) {
    long v = node.optLong().orElse(dflt);
    if (v < min) {
      throw node.error("must be at least " + min + ", found " + v);
    }
    return v;
  }

  private static <E extends Enum<E>> E choice(ConfigNode node, List<E> allowed, E dflt) {
    Optional<String> typed = node.optString();
    if (typed.isEmpty()) {
      return dflt;
    }
    List<String> names = new ArrayList<>();
    for (E e : allowed) {
      String n = e.name().toLowerCase(Locale.ROOT);
      names.add(n);
      if (n.equals(typed.get().trim().toLowerCase(Locale.ROOT))) {
        return e;
      }
    }
    throw node.error("must be one of " + String.join(", ", names) + "; found '" + typed.get() + "'");
  }
}
