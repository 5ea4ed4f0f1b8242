package org.crmanalytics.jobs.writeback;

import org.crmanalytics.jobs.cli.Pipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.crmanalytics.jobs.config.ConfigError;
import org.crmanalytics.jobs.writeback.WriteBackConfig.Jdbc;
import org.crmanalytics.jobs.writeback.WriteBackConfig.Retry;
import org.crmanalytics.jobs.writeback.WriteBackConfig.Sink;
import org.crmanalytics.jobs.writeback.WriteBackConfig.StaleRows;
import org.crmanalytics.models.scores.CustomerScores;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writeback: section without Spark or a database: validation, names that cannot inject SQL, secrets. */
@Tag("unit")
class WriteBackConfigTest {
  private static final String MALICIOUS = "abc\"; DROP TABLE x; --";
  private static final String MALICIOUS_MARIADB = "abc`; DROP TABLE x; --";

  @TempDir Path dir;

  private WriteBackConfig load(String url, String writeback) throws IOException {
    return load(url, writeback, Map.of());
  }

  private WriteBackConfig load(String url, String writeback, Map<String, String> env) throws IOException {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, "connections:\n  crm: {url: \"" + url + "\", user: analytics, password: "
        + "\"${env:CRM_PW:-}\"}\ntables:\n  customers: {path: c.csv}\n  sales: {path: s.csv}\nwriteback:\n" + writeback);
    return Pipeline.configLoader(env).load(file).settings(WriteBackConfig.class);
  }

  private static final String PG = "jdbc:postgresql://db:5432/crm";
  private static final String MARIA = "jdbc:mariadb://db:3306/crm";
  private static final String CRM_TABLE = """
        target: [jdbc, csv]
        connection: crm
        table: crm.account_scores
        columns: {customer_id: account_id, abc_class: abc_class_c, churn_band: churn_risk_c}
      """;

  private ConfigError error(String url, String writeback) {
    return assertThrows(ConfigError.class, () -> load(url, writeback));
  }

  @Test
  void missingSectionExportsCsvOnly() throws IOException {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, "tables:\n  customers: {path: c.csv}\n  sales: {path: s.csv}\n");
    WriteBackConfig c = Pipeline.configLoader(Map.of()).load(file).settings(WriteBackConfig.class);
    assertEquals(List.of(Sink.CSV), c.sinks());
    assertTrue(c.jdbc().isEmpty());
    assertFalse(c.force());
    assertEquals(new Retry(3, Duration.ofSeconds(1), Duration.ofSeconds(30)), c.retry());
  }

  @Test
  void existingCrmTableWithMapping() throws IOException {
    WriteBackConfig c = load(PG, CRM_TABLE + "  stale_customers: mark\n  stale_column: scores_stale_c\n"
        + "  retry: {attempts: 5, backoff_ms: 200, max_backoff_ms: 1000}\n  csv: {decimal_comma: true}\n  force: yes\n");
    assertEquals(List.of(Sink.JDBC, Sink.CSV), c.sinks());
    Jdbc j = c.jdbc().orElseThrow();
    assertEquals(Dialect.POSTGRESQL, j.dialect());
    assertEquals("crm.account_scores", j.table().toString());
    assertEquals("crm.account_scores_history", j.historyTable().orElseThrow().toString());
    assertEquals("crm.crm_analytics_writeback_runs", j.runLogTable().toString());
    assertEquals(List.of("account_id", "abc_class_c", "churn_risk_c"), List.copyOf(j.columns().values()));
    assertEquals(List.of("account_id"), j.keyColumns());
    assertEquals(StaleRows.MARK, j.staleRows());
    assertEquals("scores_stale_c", j.staleColumn().orElseThrow());
    assertTrue(j.updatedAtColumn().isEmpty(), "an existing table gets no updated-at column unless one is named");
    assertTrue(c.decimalComma());
    assertTrue(c.force());
    assertEquals(List.of(200L, 400L, 800L, 1000L, 1000L),
        List.of(1, 2, 3, 4, 5).stream().map(n -> c.retry().wait(n).toMillis()).toList(), "exponential, capped");
  }

  @Test
  void createdTableMapsEveryColumnAndGetsItsBookkeepingColumns() throws IOException {
    Jdbc j = load(MARIA, "  target: jdbc\n  connection: crm\n  table: scores\n  create: true\n  stale_customers: mark\n")
        .jdbc().orElseThrow();
    assertEquals(Dialect.MARIADB, j.dialect());
    assertEquals(List.of("customer_id"), j.keyColumns());
    assertEquals(org.crmanalytics.models.scores.CustomerScores.SCHEMA.fieldNames().length, j.columns().size());
    assertEquals("scores_stale", j.staleColumn().orElseThrow());
    assertEquals("scores_updated_at", j.updatedAtColumn().orElseThrow());
  }

  @Test
  void namesThatCouldInjectSqlAreRefusedWithTheKey() {
    for (String evil : List.of(MALICIOUS, MALICIOUS_MARIADB, "a b", "x.y.z", "1abc", "a".repeat(64), "crm.", "ä")) {
      String quoted = "'" + evil.replace("'", "''") + "'";
      ConfigError table = error(PG, CRM_TABLE.replace("crm.account_scores", quoted));
      assertTrue(table.getMessage().contains("writeback.table: ") && table.getMessage().contains("is not a plain table name"),
          table.getMessage());
      ConfigError column = error(MARIA, CRM_TABLE.replace("abc_class_c", quoted));
      assertTrue(column.getMessage().contains("writeback.columns.abc_class: ")
          && column.getMessage().contains("is not a plain column name"), column.getMessage());
      for (String key : List.of("history_table", "run_log_table")) {
        ConfigError e = error(PG, CRM_TABLE + "  " + key + ": " + quoted + "\n");
        assertTrue(e.getMessage().contains("writeback." + key + ": "), e.getMessage());
      }
      for (String key : List.of("stale_column", "updated_at_column")) {
        ConfigError e = error(PG, CRM_TABLE + "  stale_customers: mark\n  " + key + ": " + quoted + "\n"
            + (key.equals("stale_column") ? "" : "  stale_column: s\n"));
        assertTrue(e.getMessage().contains("writeback." + key + ": "), e.getMessage());
      }
    }
  }

  @Test
  void invoiceTableSharesTheScoresDatabaseAndIsKeyedByInvoiceId() throws IOException {
    assertListTable(load(PG, CRM_TABLE + "  invoices:\n    table: crm.open_invoices\n    columns: {open_amount: "
        + "open_amount_c, invoice_id: invoice_no}\n"), WriteBackConfig::invoices, CrmDataset.OPEN_INVOICES,
        "crm.open_invoices", List.of("invoice_no", "open_amount_c"), List.of("invoice_no"));

    Jdbc created = load(MARIA, CRM_TABLE + "  invoices: {table: open_invoices, create: true}\n").invoices().orElseThrow();
    assertEquals(org.crmanalytics.models.paymentrisk.OpenInvoices.SCHEMA.fieldNames().length, created.columns().size());
    assertEquals(List.of("invoice_id"), created.keyColumns());
    assertEquals("invoice_updated_at", created.updatedAtColumn().orElseThrow());
    assertTrue(load(PG, CRM_TABLE).invoices().isEmpty(), "no invoices section, no invoice table");
  }

  /**
   * A list's existing table (invoices, recommendations) in {@code c}: its dataset, table, CRM columns
   * (the key columns first) and key; rows the run's list no longer holds are deleted, no history, no
   * updated-at column unless named, the scores' database and run log.
   */
  private static void assertListTable(WriteBackConfig c, java.util.function.Function<WriteBackConfig,
      java.util.Optional<Jdbc>> which, CrmDataset dataset, String table, List<String> columns, List<String> keys) {
    Jdbc scores = c.jdbc().orElseThrow();
    Jdbc list = which.apply(c).orElseThrow();
    assertEquals(dataset, list.dataset());
    assertEquals(table, list.table().toString());
    assertEquals(columns, List.copyOf(list.columns().values()), "the key columns first, in the key's order");
    assertEquals(keys, list.keyColumns());
    assertEquals(StaleRows.DELETE, list.staleRows(), "rows no longer in the list are deleted");
    assertTrue(list.historyTable().isEmpty(), "a list keeps no history");
    assertTrue(list.updatedAtColumn().isEmpty(), "an existing table gets no updated-at column unless one is named");
    assertEquals(scores.runLogTable(), list.runLogTable());
    assertEquals(scores.connection(), list.connection());
    assertFalse(list.create());
  }

  @Test
  void invoiceNamesThatCouldInjectSqlAreRefusedWithTheKey() {
    for (String evil : List.of(MALICIOUS, MALICIOUS_MARIADB, "a b", "x.y.z", "1abc", "a".repeat(64), "crm.", "ä")) {
      String quoted = "'" + evil.replace("'", "''") + "'";
      ConfigError table = error(PG, CRM_TABLE + "  invoices: {table: " + quoted + ", create: true}\n");
      assertTrue(table.getMessage().contains("writeback.invoices.table: ")
          && table.getMessage().contains("is not a plain table name"), table.getMessage());
      ConfigError column = error(MARIA, CRM_TABLE + "  invoices: {table: i, columns: {invoice_id: " + quoted + "}}\n");
      assertTrue(column.getMessage().contains("writeback.invoices.columns.invoice_id: ")
          && column.getMessage().contains("is not a plain column name"), column.getMessage());
      ConfigError updatedAt = error(PG, CRM_TABLE + "  invoices: {table: i, create: true, updated_at_column: " + quoted
          + "}\n");
      assertTrue(updatedAt.getMessage().contains("writeback.invoices.updated_at_column: ")
          && updatedAt.getMessage().contains("is not a plain column name"), updatedAt.getMessage());
    }
  }

  @Test
  void invoiceMistakesNameTheKey() {
    List<String[]> cases = List.of(
        new String[] {"  target: csv\n  invoices: {table: i, create: true}\n",
            "writeback.invoices: is for the database target only"},
        new String[] {CRM_TABLE + "  invoices: {tabel: i}\n", "writeback.invoices.tabel: unknown key (did you mean 'table'?)"},
        new String[] {CRM_TABLE + "  invoices: {create: true}\n", "writeback.invoices.table: is required"},
        new String[] {CRM_TABLE + "  invoices: {table: i}\n", "writeback.invoices.columns: is required for an existing "
            + "CRM table: map at least invoice_id to the CRM's invoice number column (invoice_id: invoice_no), or set "
            + "writeback.invoices.create: true"},
        new String[] {CRM_TABLE + "  invoices: {table: i, columns: {open_amount: o}}\n",
            "writeback.invoices.columns: must map invoice_id to the CRM's invoice number column"},
        new String[] {CRM_TABLE + "  invoices: {table: i, columns: {invoice_id: n, churn_band: b}}\n",
            "writeback.invoices.columns.churn_band: is not a column of payment_risk/invoices; its columns are invoice_id"},
        new String[] {CRM_TABLE + "  invoices: {table: i, columns: {invoice_id: n, amount: n}}\n",
            "writeback.invoices.columns.amount: CRM column 'n' is the target of two payment_risk/invoices columns"},
        new String[] {CRM_TABLE + "  invoices: {table: crm.account_scores, create: true}\n",
            "writeback.invoices.table: 'crm.account_scores' is already a table of the scores' write-back"},
        new String[] {CRM_TABLE + "  invoices: {table: crm.crm_analytics_writeback_runs, create: true}\n",
            "writeback.invoices.table: 'crm.crm_analytics_writeback_runs' is already a table of the scores' write-back"},
        new String[] {CRM_TABLE + "  invoices: {table: i, create: true, updated_at_column: open_amount}\n",
            "writeback.invoices.updated_at_column: 'open_amount' is also the target of a payment_risk/invoices column"},
        new String[] {CRM_TABLE + "  invoices: {table: i, create: maybe}\n", "writeback.invoices.create: expected true "
            + "or false"});
    assertErrors(cases);
  }

  @Test
  void crossSellTableSharesTheScoresDatabaseAndIsKeyedByCustomerAndRank() throws IOException {
    WriteBackConfig c = load(PG, CRM_TABLE + "  cross_sell:\n    table: crm.cross_sell_c\n    columns: {item: "
        + "product_group_c, rank: position_no, customer_id: account_no, reason_de: reason_c}\n");
    assertListTable(c, WriteBackConfig::crossSell, CrmDataset.CROSS_SELL_RECOMMENDATIONS, "crm.cross_sell_c",
        List.of("account_no", "position_no", "product_group_c", "reason_c"), List.of("account_no", "position_no"));
    assertTrue(c.invoices().isEmpty(), "cross_sell without invoices");

    List<String> rep = List.of("customer_id", "rank", "item", "level", "euro_potential", "probability", "method");
    for (String[] language : List.of(new String[] {"", "reason_en,reason_de"}, new String[] {", language: both",
        "reason_en,reason_de"}, new String[] {", language: en", "reason_en"}, new String[] {", language: DE", "reason_de"})) {
      Jdbc created = load(MARIA, CRM_TABLE + "  cross_sell: {table: xs, create: true" + language[0] + "}\n")
          .crossSell().orElseThrow();
      List<String> expected = new ArrayList<>(rep);
      expected.addAll(List.of(language[1].split(",")));
      expected.add("as_of");
      assertEquals(expected, List.copyOf(created.columns().keySet()), "created columns with language" + language[0]);
      assertEquals(List.of("customer_id", "rank"), created.keyColumns());
      assertEquals("recommendation_updated_at", created.updatedAtColumn().orElseThrow());
    }
    WriteBackSql sql = new WriteBackSql(load(PG, CRM_TABLE + "  cross_sell: {table: xs, create: true}\n").crossSell()
        .orElseThrow());
    assertTrue(sql.createTarget().contains("\"customer_id\" VARCHAR(255) NOT NULL, \"rank\" INTEGER NOT NULL")
        && sql.createTarget().contains("PRIMARY KEY (\"customer_id\", \"rank\")"), sql.createTarget());
    assertTrue(sql.deleteStale(sql.staging("r")).endsWith("WHERE t.\"customer_id\" = s.\"customer_id\" AND "
        + "t.\"rank\" = s.\"rank\")"), "a row goes when its customer and rank are not in the run's list");
    assertTrue(load(PG, CRM_TABLE).crossSell().isEmpty(), "no cross_sell section, no cross-sell table");
  }

  /** The demo mappings send the cross-sell list to a table of its own and the cross-sell scores with the others. */
  @Test
  void demoMappingsWriteTheCrossSellListAndTheCrossSellScores() throws IOException {
    for (String name : List.of("postgres.yaml", "mariadb.yaml")) {
      WriteBackConfig c = Pipeline.configLoader(Map.of()).load(Path.of("..", "data-samples", "mappings", name))
          .settings(WriteBackConfig.class);
      Jdbc xs = c.crossSell().orElseThrow(() -> new AssertionError(name + " has no writeback.cross_sell"));
      assertEquals("crm.cross_sell_recommendations", xs.table().toString(), name);
      assertTrue(xs.create(), name);
      assertEquals(List.of("customer_id", "rank"), xs.keyColumns(), name);
      assertTrue(c.jdbc().orElseThrow().columns().keySet().containsAll(List.of(CustomerScores.CROSS_SELL_POTENTIAL,
          CustomerScores.CROSS_SELL_ITEM_1, CustomerScores.CROSS_SELL_ITEM_2, CustomerScores.CROSS_SELL_ITEM_3,
          CustomerScores.CROSS_SELL_METHOD)), name + ": the scores table gets the cross-sell columns");
    }
  }

  @Test
  void crossSellMistakesNameTheKey() {
    List<String[]> cases = List.of(
        new String[] {"  target: csv\n  cross_sell: {table: x, create: true}\n",
            "writeback.cross_sell: is for the database target only; add jdbc to writeback.target"},
        new String[] {CRM_TABLE + "  cross_sell: {tabel: x}\n",
            "writeback.cross_sell.tabel: unknown key (did you mean 'table'?)"},
        new String[] {CRM_TABLE + "  cross_sell: {table: x, create: true, langauge: de}\n",
            "writeback.cross_sell.langauge: unknown key (did you mean 'language'?)"},
        new String[] {CRM_TABLE + "  crosssell: {table: x}\n", "writeback.crosssell: unknown key (did you mean 'cross_sell'?)"},
        new String[] {CRM_TABLE + "  cross_sell: {create: true}\n", "writeback.cross_sell.table: is required"},
        new String[] {CRM_TABLE + "  cross_sell: {table: x}\n", "writeback.cross_sell.columns: is required for an "
            + "existing CRM table: map at least customer_id and rank to the CRM's account id and rank columns "
            + "(customer_id: account_id, rank: rank_no), or set writeback.cross_sell.create: true"},
        new String[] {CRM_TABLE + "  cross_sell: {table: x, columns: {customer_id: a, item: i}}\n",
            "writeback.cross_sell.columns: must map customer_id and rank to the CRM's account id and rank columns "
            + "(customer_id: account_id, rank: rank_no); rank is not mapped"},
        new String[] {CRM_TABLE + "  cross_sell: {table: x, columns: {customer_id: a, rank: r, churn_band: b}}\n",
            "writeback.cross_sell.columns.churn_band: is not a column of cross_sell/recommendations; its columns are "
            + "customer_id, rank, item"},
        new String[] {CRM_TABLE + "  cross_sell: {table: crm.account_scores, create: true}\n",
            "writeback.cross_sell.table: 'crm.account_scores' is already a table of the scores' write-back"},
        new String[] {CRM_TABLE + "  invoices: {table: crm.lists, create: true}\n  cross_sell: {table: CRM.Lists, "
            + "create: true}\n", "writeback.cross_sell.table: 'CRM.Lists' is already the table of writeback.invoices; "
            + "name a table of its own"},
        new String[] {CRM_TABLE + "  cross_sell: {table: x, create: true, language: fr}\n",
            "writeback.cross_sell.language: must be one of en, de, both; found 'fr'"},
        new String[] {CRM_TABLE + "  cross_sell: {table: x, language: en, columns: {customer_id: a, rank: r}}\n",
            "writeback.cross_sell.language: chooses the reason column of a table created without columns; with "
            + "writeback.cross_sell.columns map reason_en, reason_de or both yourself"},
        new String[] {CRM_TABLE + "  cross_sell: {table: x, create: true, updated_at_column: item}\n",
            "writeback.cross_sell.updated_at_column: 'item' is also the target of a cross_sell/recommendations column "
            + "under writeback.cross_sell.columns"},
        new String[] {CRM_TABLE + "  invoices: {table: i, create: true, language: de}\n",
            "writeback.invoices.language: unknown key"});
    assertErrors(cases);
  }

  /** Each case: a writeback section (PostgreSQL connection) and the text its ConfigError must contain. */
  private void assertErrors(List<String[]> cases) {
    List<String> wrong = new ArrayList<>();
    for (String[] c : cases) {
      ConfigError e = assertThrows(ConfigError.class, () -> load(PG, c[0]), c[0]);
      if (!e.getMessage().contains(c[1])) {
        wrong.add("expected '" + c[1] + "' in: " + e.getMessage());
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  @Test
  void namesAreQuotedPerDialect() throws IOException {
    WriteBackSql pg = new WriteBackSql(load(PG, CRM_TABLE).jdbc().orElseThrow());
    SqlName stagingPg = pg.staging("run-1");
    List<String> upsert = pg.upsert(stagingPg);
    assertEquals(2, upsert.size(), "PostgreSQL: update the changed accounts, insert the new ones");
    assertTrue(upsert.get(0).startsWith("UPDATE \"crm\".\"account_scores\" AS t SET \"abc_class_c\" = s.\"abc_class_c\", "
        + "\"churn_risk_c\" = s.\"churn_risk_c\" FROM \"crm\".\"crmwb_stg_"), upsert.get(0));
    assertTrue(upsert.get(1).startsWith("INSERT INTO \"crm\".\"account_scores\" (\"account_id\", \"abc_class_c\", "
        + "\"churn_risk_c\") SELECT s.\"account_id\""), upsert.get(1));
    assertTrue(upsert.get(1).contains("WHERE NOT EXISTS (SELECT 1 FROM \"crm\".\"account_scores\" t WHERE "
        + "t.\"account_id\" = s.\"account_id\")"), upsert.get(1));
    assertEquals("crm", stagingPg.schema().orElseThrow());
    assertTrue(stagingPg.name().matches("crmwb_stg_[0-9a-f]{16}"), stagingPg.name());
    assertEquals(stagingPg, pg.staging("run-1"), "the same run stages into the same table");

    WriteBackSql maria = new WriteBackSql(load(MARIA, CRM_TABLE).jdbc().orElseThrow());
    List<String> upsertMarias = maria.upsert(maria.staging("run-1"));
    assertEquals(1, upsertMarias.size());
    String upsertMaria = upsertMarias.get(0);
    assertTrue(upsertMaria.startsWith("INSERT INTO `crm`.`account_scores` (`account_id`, `abc_class_c`, "
        + "`churn_risk_c`) SELECT s.`account_id`"), upsertMaria);
    assertTrue(upsertMaria.contains("ON DUPLICATE KEY UPDATE"), upsertMaria);
    assertFalse(upsertMaria.contains("\""), "no double quotes in MariaDB SQL: " + upsertMaria);

    assertThrows(IllegalArgumentException.class, () -> Dialect.POSTGRESQL.quote(MALICIOUS));
    assertThrows(IllegalArgumentException.class, () -> Dialect.MARIADB.quote(MALICIOUS_MARIADB));
    assertThrows(IllegalArgumentException.class, () -> new SqlName(java.util.Optional.empty(), MALICIOUS));
  }

  @Test
  void mistakesNameTheKey() {
    List<String[]> cases = List.of(
        new String[] {"  tabel: x\n", "writeback.tabel: unknown key (did you mean 'table'?)"},
        new String[] {"  target: xlsx\n", "writeback.target: unknown target 'xlsx'; use jdbc, csv, parquet"},
        new String[] {"  target: [csv, csv]\n", "writeback.target: names csv twice"},
        new String[] {"  target: jdbc\n  table: t\n  create: true\n", "writeback.connection: is required"},
        new String[] {"  target: jdbc\n  connection: erp\n  table: t\n  create: true\n",
            "writeback.connection: names connection 'erp', which is not under connections (known: crm)"},
        new String[] {"  target: jdbc\n  connection: crm\n  table: t\n",
            "writeback.columns: is required for an existing CRM table"},
        new String[] {CRM_TABLE.replace("customer_id: account_id, ", ""),
            "writeback.columns: must map customer_id to the CRM's account id column"},
        new String[] {CRM_TABLE.replace("abc_class:", "abc:"), "writeback.columns.abc: is not a column of customer_scores"},
        new String[] {CRM_TABLE.replace("churn_risk_c", "abc_class_c"),
            "writeback.columns.churn_band: CRM column 'abc_class_c' is the target of two customer_scores columns"},
        new String[] {CRM_TABLE + "  stale_customers: mark\n", "writeback.stale_column: is required with stale_customers: mark"},
        new String[] {CRM_TABLE + "  stale_customers: delete\n", "writeback.stale_customers: must be one of keep, mark"},
        new String[] {CRM_TABLE + "  retry: {attempts: 0}\n", "writeback.retry.attempts: must be at least 1, found 0"},
        new String[] {CRM_TABLE + "  retry: {backoff_ms: 500, max_backoff_ms: 100}\n",
            "writeback.retry.max_backoff_ms: must be at least backoff_ms (500), found 100"},
        new String[] {CRM_TABLE + "  csv: {decimal_comma: ja}\n", "writeback.csv.decimal_comma: expected true or false"},
        new String[] {CRM_TABLE + "  force: maybe\n", "writeback.force: expected true or false"},
        new String[] {CRM_TABLE + "  writers: 0\n", "writeback.writers: must be at least 1"},
        new String[] {CRM_TABLE + "  history_table: crm.account_scores\n", "writeback.history_table: writeback.table, "
            + "history_table and run_log_table must be three different tables"},
        new String[] {CRM_TABLE.replace("churn_band: churn_risk_c", "churn_band: run_id"),
            "writeback.columns.churn_band: 'run_id' is a column the history table keeps for itself"},
        new String[] {"  target: csv\n  table: t\n", "writeback.table: is for the database target only"});
    List<String> wrong = new ArrayList<>();
    for (String[] c : cases) {
      ConfigError e = assertThrows(ConfigError.class, () -> load(PG, c[0]), c[0]);
      if (!e.getMessage().contains(c[1])) {
        wrong.add("expected '" + c[1] + "' in: " + e.getMessage());
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    ConfigError url = assertThrows(ConfigError.class, () -> load("jdbc:sqlserver://db", CRM_TABLE));
    assertTrue(url.getMessage().contains("connections.crm.url: write-back supports PostgreSQL"), url.getMessage());
  }

  @Test
  void passwordComesFromTheEnvironmentOrASecretsFileAndIsNeverShown() throws IOException {
    String password = "pa55-w0rd-from-env";
    Jdbc fromEnv = load(PG, CRM_TABLE, Map.of("CRM_PW", password)).jdbc().orElseThrow();
    assertEquals(password, fromEnv.password().orElseThrow().reveal());
    Path secrets = dir.resolve("crm-db.secret");
    Files.writeString(secrets, "s3cret-from-file\n");
    WriteBackConfig fromFile = load(PG, CRM_TABLE + "  password_file: " + secrets + "\n", Map.of("CRM_PW", password));
    Jdbc j = fromFile.jdbc().orElseThrow();
    assertEquals("s3cret-from-file", j.password().orElseThrow().reveal(), "the secrets file wins");
    Endpoint endpoint = new Endpoint(j);
    for (String shown : List.of(fromFile.toString(), j.toString(), endpoint.toString(), fromEnv.toString(),
        endpoint.describe(new SQLException("FATAL: password=s3cret-from-file rejected for s3cret-from-file")))) {
      assertFalse(shown.contains("s3cret") || shown.contains(password), shown);
    }
    ConfigError missing = assertThrows(ConfigError.class,
        () -> load(PG, CRM_TABLE + "  password_file: " + dir.resolve("nope") + "\n"));
    assertTrue(missing.getMessage().contains("writeback.password_file: cannot read the secrets file"), missing.getMessage());
  }

  @Test
  void transientErrorsAreTheConnectionAndConcurrencyOnes() {
    for (String state : List.of("08006", "08003", "40001", "40P01", "57P01", "70100")) {
      assertTrue(Transient.is(new RuntimeException(new SQLException("x", state))), state);
    }
    assertTrue(Transient.is(new SQLException("Deadlock found", "40001", 1213)));
    assertTrue(Transient.is(new SQLException("Deadlock found", "HY000", 1213)), "MariaDB deadlock by error code");
    for (String state : List.of("23505", "42P01", "42703", "22P02")) {
      assertFalse(Transient.is(new SQLException("x", state)), state);
    }
    assertFalse(Transient.is(new IllegalStateException("no SQL")));
  }

  @Test
  void retryWaitsAndGivesUp() throws Exception {
    Retry retry = new Retry(3, Duration.ofMillis(1), Duration.ofMillis(5));
    List<Integer> retried = new ArrayList<>();
    List<Duration> waits = new ArrayList<>();
    String result = Transient.retry(retry, (n, wait, e) -> {
      retried.add(n);
      waits.add(wait);
    }, attempt -> {
      if (attempt < 3) {
        throw new SQLException("connection lost", "08006");
      }
      return "done in " + attempt;
    });
    assertEquals("done in 3", result);
    assertEquals(List.of(1, 2), retried);
    assertEquals(List.of(Duration.ofMillis(1), Duration.ofMillis(2)), waits, "backoff, then twice the backoff");
    SQLException lost = assertThrows(SQLException.class, () -> Transient.retry(retry, (n, w, e) -> { }, attempt -> {
      throw new SQLException("connection lost " + attempt, "08006");
    }));
    assertEquals("connection lost 3", lost.getMessage());
    List<Integer> once = new ArrayList<>();
    assertThrows(SQLException.class, () -> Transient.retry(retry, (n, w, e) -> { }, attempt -> {
      once.add(attempt);
      throw new SQLException("syntax", "42601");
    }));
    assertEquals(List.of(1), once, "a permanent error is not retried");
  }

  @Test
  void writebackCommandChecksTheSectionBeforeSparkStarts() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "tables:\n  customers: {path: c.csv}\n  sales: {path: s.csv}\nwriteback:\n  tabel: x\n");
    java.io.PrintStream err = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    int code;
    try {
      code = org.crmanalytics.jobs.cli.CrmAnalytics.execute("writeback", "--config", file.toString(), "--as-of",
          "2025-12-31", "--force");
    } finally {
      System.setErr(err);
    }
    String printed = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(2, code, printed);
    assertTrue(printed.contains("writeback.tabel: unknown key (did you mean 'table'?)"), printed);
  }

  /** docs/configuration.md has a row for every key of the section (Maven runs tests in jobs/). */
  @Test
  void everyKeyIsDocumented() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
    TreeSet<String> missing = new TreeSet<>();
    WriteBackConfig.KEYS.forEach(k -> check(doc, "writeback." + k, missing));
    WriteBackConfig.RETRY_KEYS.forEach(k -> check(doc, "writeback.retry." + k, missing));
    WriteBackConfig.CSV_KEYS.forEach(k -> check(doc, "writeback.csv." + k, missing));
    WriteBackConfig.INVOICE_KEYS.forEach(k -> check(doc, "writeback.invoices." + k, missing));
    WriteBackConfig.CROSS_SELL_KEYS.forEach(k -> check(doc, "writeback.cross_sell." + k, missing));
    assertTrue(missing.isEmpty(), "keys without a row '| `key` |' in docs/configuration.md: " + missing);
    assertTrue(doc.contains("| `writeback` |"), "writeback in the top-level keys");
  }

  private static void check(String doc, String key, TreeSet<String> missing) {
    if (!doc.contains("| `" + key + "` |")) {
      missing.add(key);
    }
  }
}
