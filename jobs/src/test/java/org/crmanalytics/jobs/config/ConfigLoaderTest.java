package org.crmanalytics.jobs.config;

import org.crmanalytics.jobs.quality.QualitySettings;
import org.crmanalytics.jobs.cli.Pipeline;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.crmanalytics.jobs.cli.CrmAnalytics;
import org.crmanalytics.jobs.config.PipelineConfig.Connection;
import org.crmanalytics.jobs.config.PipelineConfig.Format;
import org.crmanalytics.jobs.config.PipelineConfig.TableSource;
import org.crmanalytics.jobs.ingest.IngestStage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration is checked completely before Spark starts, and every error names the key as
 * the user typed it. No Spark here: the loader and {@link IngestStage#check} only.
 */
@Tag("unit")
class ConfigLoaderTest {
  private static final String MINIMAL_TABLES = """
      tables:
        customers: {path: customers.csv}
        sales: {path: sales.csv}
      """;

  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    Path file = dir.resolve("pipeline.yaml");
    Files.writeString(file, text);
    return file;
  }

  private PipelineConfig load(String text) throws IOException {
    return load(text, Map.of());
  }

  private PipelineConfig load(String text, Map<String, String> env) throws IOException {
    return Pipeline.configLoader(env).load(yaml(text));
  }

  private ConfigError error(String text) {
    return error(text, Map.of());
  }

  private ConfigError error(String text, Map<String, String> env) {
    return assertThrows(ConfigError.class, () -> load(text, env), "expected a ConfigError for:\n" + text);
  }

  private static void assertContains(String message, String... parts) {
    for (String p : parts) {
      assertTrue(message.contains(p), "message should contain '" + p + "' but was: " + message);
    }
  }

  @Test
  void aMinimalConfigLoads() throws IOException {
    PipelineConfig c = load("as_of: 2024-12-31\n" + MINIMAL_TABLES);
    assertEquals(LocalDate.of(2024, 12, 31), c.asOf());
    assertEquals(List.of("customers", "sales"), List.copyOf(c.tables().keySet()), "configured tables, contract order");
    TableSource sales = c.table("sales").orElseThrow();
    assertEquals(Format.CSV, sales.format());
    assertEquals("tables.sales", sales.key());
    assertEquals(",", sales.csv().delimiter());
    assertEquals("UTF-8", sales.csv().encoding());
    assertEquals(5.0, c.settings(QualitySettings.class).maxRejectedPercent(), "default threshold");
  }

  @Test
  void theCurrencyIsAnIso4217CodeEuroWhenNotConfigured() throws IOException {
    assertEquals("EUR", load(MINIMAL_TABLES).currency());
    assertEquals("CHF", load("currency: chf\n" + MINIMAL_TABLES).currency());
    assertContains(error("currency: Euro\n" + MINIMAL_TABLES).getMessage(), "pipeline.yaml", "currency",
        "ISO 4217 code", "'Euro'");
  }

  @Test
  void anUnknownKeyIsNamedWithItsDottedPathAndTheClosestKnownKey() {
    ConfigError e = error("""
        tables:
          customers: {path: customers.csv}
          sales:
            path: sales.csv
            colums:
              order_id: Beleg
        """);
    assertContains(e.getMessage(), "pipeline.yaml", "tables.sales.colums", "unknown key", "did you mean 'columns'?");
  }

  @Test
  void unknownKeysAtOtherLevelsAreNamedToo() {
    assertContains(error("as_off: 2024-12-31\n" + MINIMAL_TABLES).getMessage(), "as_off", "did you mean 'as_of'?");
    assertContains(error("""
        tables:
          customers: {path: customers.csv, csv: {delimeter: ";"}}
          sales: {path: sales.csv}
        """).getMessage(), "tables.customers.csv.delimeter", "did you mean 'delimiter'?");
    assertContains(error(MINIMAL_TABLES + "quality:\n  max_rejected_percnt: 10\n").getMessage(),
        "quality.max_rejected_percnt", "did you mean 'max_rejected_percent'?");
  }

  @Test
  void customersAndSalesAreRequired() {
    assertContains(error("tables:\n  sales: {path: sales.csv}\n").getMessage(), "tables.customers", "is required");
    assertContains(error("tables:\n  customers: {path: customers.csv}\n").getMessage(), "tables.sales", "is required");
    assertContains(error("as_of: 2024-12-31\n").getMessage(), "tables", "is required");
  }

  @Test
  void aTableOutsideTheContractIsRejected() {
    ConfigError e = error(MINIMAL_TABLES + "  kunden: {path: kunden.csv}\n");
    assertContains(e.getMessage(), "tables.kunden", "is not a table of the data contract", "customers, products, sales");
  }

  @Test
  void aColumnOutsideTheContractIsRejected() {
    ConfigError e = error("""
        tables:
          customers: {path: customers.csv}
          sales:
            path: sales.csv
            columns:
              revenue: Umsatz
        """);
    assertContains(e.getMessage(), "tables.sales.columns.revenue", "is not a column of table sales",
        "order_id, line_no, customer_id, order_date");
  }

  @Test
  void environmentVariablesAreResolvedFromTheGivenMap() throws IOException {
    String text = """
        tables:
          customers: {path: "${env:DATA_DIR}/customers.csv"}
          sales: {path: "${env:SALES_DIR:-/fallback}/sales.csv", csv: {delimiter: "${env:SEP:-,}"}}
        """;
    PipelineConfig c = load(text, Map.of("DATA_DIR", "/data/crm", "SEP", ";"));
    assertEquals("/data/crm/customers.csv", c.table("customers").orElseThrow().path().orElseThrow());
    assertEquals("/fallback/sales.csv", c.table("sales").orElseThrow().path().orElseThrow(), "default when unset");
    assertEquals(";", c.table("sales").orElseThrow().csv().delimiter(), "the variable wins over the default");

    PipelineConfig set = load(text, Map.of("DATA_DIR", "/d", "SALES_DIR", "/s"));
    assertEquals("/s/sales.csv", set.table("sales").orElseThrow().path().orElseThrow());
  }

  @Test
  void anUnsetVariableWithoutDefaultNamesTheKeyAndTheVariable() {
    ConfigError e = error("""
        tables:
          customers: {path: "${env:DATA_DIR}/customers.csv"}
          sales: {path: sales.csv}
        """);
    assertContains(e.getMessage(), "tables.customers.path", "DATA_DIR", "is not set");
  }

  private static final String SECRET = "s3cr3t-Pa55w0rd!";

  private static final String JDBC = """
      as_of: 2024-12-31
      connections:
        crm:
          url: jdbc:postgresql://db.example.com:5432/crm
          user: reader
          password: ${env:DB_PASSWORD}
      tables:
        customers: {format: jdbc, connection: crm, table: kunden}
        sales: {format: jdbc, connection: crm, query: "SELECT * FROM umsatz"}
      """;

  @Test
  void aPasswordFromTheEnvironmentIsUsableButNeverPrinted() throws IOException {
    PipelineConfig c = load(JDBC, Map.of("DB_PASSWORD", SECRET));
    Connection conn = c.table("sales").orElseThrow().connection().orElseThrow();
    assertEquals(SECRET, conn.password().orElseThrow().reveal(), "the driver gets the password");
    assertFalse(conn.toString().contains(SECRET), "Connection.toString prints the password");
    assertFalse(c.toString().contains(SECRET), "PipelineConfig.toString prints the password");
    assertFalse(c.table("sales").orElseThrow().describe().contains(SECRET));
    assertEquals("jdbc query on 'crm' (jdbc:postgresql://db.example.com:5432/crm)",
        c.table("sales").orElseThrow().describe());
  }

  @Test
  void credentialsInTheUrlAreNotPrinted() throws IOException {
    PipelineConfig c = load(JDBC.replace("jdbc:postgresql://db.example.com:5432/crm",
        "\"jdbc:postgresql://reader:${env:DB_PASSWORD}@db.example.com/crm?password=${env:DB_PASSWORD}\""),
        Map.of("DB_PASSWORD", SECRET));
    Connection conn = c.table("customers").orElseThrow().connection().orElseThrow();
    assertFalse(conn.toString().contains(SECRET), "Connection.toString prints the password from the URL");
    assertFalse(c.toString().contains(SECRET), "PipelineConfig.toString prints the password from the URL");
  }

  /**
   * Spark settings carry secrets too (S3 keys, metastore passwords). The config's toString must
   * not print them.
   */
  @Test
  void aSecretInSparkSettingsIsNotPrinted() throws IOException {
    PipelineConfig c = load(JDBC + "spark:\n  spark.hadoop.fs.s3a.secret.key: ${env:DB_PASSWORD}\n",
        Map.of("DB_PASSWORD", SECRET));
    assertEquals(SECRET, c.spark().get("spark.hadoop.fs.s3a.secret.key"), "Spark gets the setting");
    assertFalse(c.toString().contains(SECRET),
        "PipelineConfig.toString prints the value of spark.hadoop.fs.s3a.secret.key");
  }

  @Test
  void errorsAroundAPasswordNeverContainIt() {
    Map<String, String> env = Map.of("DB_PASSWORD", SECRET);
    List<String> broken = List.of(
        JDBC.replace("password:", "pasword:"),
        JDBC.replace("url: jdbc:postgresql://db.example.com:5432/crm", "url: \"${env:DB_PASSWORD}\""),
        JDBC.replace("user: reader", "user: reader\n    fetch_size: many"),
        JDBC.replace("connection: crm, table: kunden", "connection: crn, table: kunden"),
        JDBC + "  products: {format: jdbc, connection: crm}\n");
    for (String text : broken) {
      ConfigError e = error(text, env);
      assertFalse(e.getMessage().contains(SECRET), "the password appears in the error for:\n" + text);
    }
    ConfigError unset = error(JDBC);
    assertContains(unset.getMessage(), "connections.crm.password", "DB_PASSWORD");
  }

  @Test
  void aBadAsOfDateIsRejected() {
    assertContains(error("as_of: 2024-13-01\n" + MINIMAL_TABLES).getMessage(),
        "as_of", "expected a date like 2025-12-31", "'2024-13-01'");
    assertContains(error("as_of: 31.12.2024\n" + MINIMAL_TABLES).getMessage(), "as_of", "'31.12.2024'");
  }

  @Test
  void aBadDatePatternIsRejectedWithItsKey() {
    ConfigError e = error("""
        tables:
          customers: {path: customers.csv}
          sales: {path: sales.csv, dates: ["dd.MM.yyyy", "dd.bb.yyyy"]}
        """);
    assertContains(e.getMessage(), "tables.sales.dates", "'dd.bb.yyyy' is not a date pattern");
    ConfigError d = error("""
        defaults: {timestamps: "yyyy-MM-dd {HH}"}
        tables:
          customers: {path: customers.csv}
          sales: {path: sales.csv}
        """);
    assertContains(d.getMessage(), "defaults.timestamps", "'yyyy-MM-dd {HH}' is not a date pattern");
  }

  /**
   * "dd.MM.YYYY" (week-based year) is valid for java.time but Spark refuses it for parsing with a
   * SparkUpgradeException in the middle of the run (a crash, exit 1). Like the other pattern
   * errors it must be found before Spark starts.
   */
  @Test
  void aPatternSparkCannotParseIsRejectedBeforeSparkStarts() {
    for (String pattern : List.of("dd.MM.YYYY", "E dd.MM.yyyy", "dd.MM.uuuu")) {
      ConfigError e = assertThrows(ConfigError.class, () -> load("""
          tables:
            customers: {path: customers.csv}
            sales: {path: sales.csv, dates: ["%s"]}
          """.formatted(pattern)), "pattern " + pattern);
      assertContains(e.getMessage(), "tables.sales.dates", pattern);
    }
  }

  @Test
  void anUnknownEncodingIsRejected() {
    ConfigError e = error("""
        tables:
          customers: {path: customers.csv, csv: {encoding: latin-nine}}
          sales: {path: sales.csv}
        """);
    assertContains(e.getMessage(), "tables.customers.csv.encoding", "unknown encoding 'latin-nine'", "windows-1252");
  }

  @Test
  void knownEncodingsAreNormalised() throws IOException {
    PipelineConfig c = load("""
        tables:
          customers: {path: customers.csv, csv: {encoding: latin1}}
          sales: {path: sales.csv, csv: {encoding: cp1252}}
        """);
    assertEquals("ISO-8859-1", c.table("customers").orElseThrow().csv().encoding());
    assertEquals("windows-1252", c.table("sales").orElseThrow().csv().encoding());
  }

  @Test
  void jdbcNeedsAKnownConnection() {
    assertContains(error("""
        tables:
          customers: {path: customers.csv}
          sales: {format: jdbc, table: umsatz}
        """).getMessage(), "tables.sales.connection", "is required for format jdbc");
    assertContains(error("""
        connections:
          crm: {url: "jdbc:postgresql://h/db"}
        tables:
          customers: {path: customers.csv}
          sales: {format: jdbc, connection: erp, table: umsatz}
        """).getMessage(), "tables.sales.connection", "'erp'", "known: crm");
    assertContains(error("""
        connections:
          crm: {url: "postgresql://h/db"}
        tables:
          customers: {path: customers.csv}
          sales: {format: jdbc, connection: crm, table: umsatz}
        """).getMessage(), "connections.crm.url", "must start with jdbc:");
  }


  /** A key that would be silently ignored is an error: the user believes it does something. */
  @Test
  void databaseKeysOnAFileTableAndPerTableKeysInDefaultsAreRejected() {
    for (String key : List.of("table: umsatz", "connection: crm", "partition: {column: id, lower: 1, upper: 9}")) {
      assertContains(error("""
          connections:
            crm: {url: "jdbc:postgresql://h/db"}
          tables:
            customers: {path: customers.csv}
            sales: {path: sales.csv, %s}
          """.formatted(key)).getMessage(),
          "tables.sales." + key.substring(0, key.indexOf(':')), "is only for format jdbc");
    }
    for (String key : List.of("query: select 1", "table: umsatz", "partition: {column: id}")) {
      assertContains(error("defaults: {" + key + "}\n" + MINIMAL_TABLES).getMessage(),
          "defaults." + key.substring(0, key.indexOf(':')), "unknown key");
    }
  }
  @Test
  void relativePathsResolveAgainstTheConfigFilesFolder() throws IOException {
    PipelineConfig c = load("""
        output: results
        defaults: {path: exports/sales.csv}
        tables:
          customers: {path: ../shared/customers.csv}
          sales: {}
          products: {path: "s3a://bucket/products/"}
        """);
    assertEquals(dir.resolve("../shared/customers.csv").normalize().toString(),
        c.table("customers").orElseThrow().path().orElseThrow());
    assertEquals(dir.resolve("exports/sales.csv").toString(), c.table("sales").orElseThrow().path().orElseThrow(),
        "a path from defaults resolves against the config's folder too");
    assertEquals("s3a://bucket/products/", c.table("products").orElseThrow().path().orElseThrow(),
        "URLs stay as written");
    assertEquals(dir.resolve("results").toString(), c.output());
    assertTrue(java.nio.file.Path.of(c.output()).isAbsolute());
    assertEquals("hdfs:///crm/out", Pipeline.configLoader(java.util.Map.of()).load(writeHdfsConfig(dir)).output());
  }

  @Test
  void theQualityCheckRejectsAnUnknownRuleAndListsTheTablesRules() throws IOException {
    ConfigError e = assertThrows(ConfigError.class, () -> load(MINIMAL_TABLES + """
        quality:
          rules:
            sales.customer_id.mising: {max_percent: 30}
        """));
    assertContains(e.getMessage(), "quality.rules.sales.customer_id.mising", "is not a rule", "rules of sales:",
        "sales.customer_id.missing", "sales.order_date.after_as_of", "sales.customer_id.reference");
    assertFalse(e.getMessage().contains("customers.duplicate_key"), "only the rules of sales: " + e.getMessage());
  }

  @Test
  void theQualityCheckRejectsWarnOnARuleThatProtectsTheContract() throws IOException {
    ConfigError e = assertThrows(ConfigError.class, () -> load(MINIMAL_TABLES + """
        quality:
          rules:
            sales.customer_id.missing: {level: warn}
        """));
    assertContains(e.getMessage(), "quality.rules.sales.customer_id.missing.level", "cannot be warn");

    assertDoesNotThrow(() -> load(MINIMAL_TABLES + """
        quality:
          rules:
            sales.order_date.after_as_of: {level: warn}
            sales.sign: {level: WARN, max_percent: 1}
        """), "adjustable rules may be warnings");
  }

  @Test
  void qualityLevelsAndPercentagesAreChecked() {
    assertContains(error(MINIMAL_TABLES + "quality:\n  rules:\n    sales.sign: {level: ignore}\n").getMessage(),
        "quality.rules.sales.sign.level", "must be error", "'ignore'");
    assertContains(error(MINIMAL_TABLES + "quality:\n  max_rejected_percent: 150\n").getMessage(),
        "quality.max_rejected_percent", "between 0 and 100");
  }

  @Test
  void theCommandLineReportsAConfigErrorWithExitCodeTwo() throws IOException {
    Path file = yaml("""
        tables:
          customers: {path: customers.csv}
          sales: {path: sales.csv, colums: {}}
        """);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = CrmAnalytics.execute("plan", "--config", file.toString());
    } finally {
      System.setErr(original);
    }
    String printed = err.toString(StandardCharsets.UTF_8);
    assertAll(
        () -> assertEquals(2, code, "exit code of a user error; stderr: " + printed),
        () -> assertTrue(printed.startsWith("ERROR: "), printed),
        () -> assertContains(printed, "tables.sales.colums", "did you mean 'columns'?"),
        () -> assertFalse(printed.contains("\tat "), "no stack trace without --verbose: " + printed));
  }

  private static java.nio.file.Path writeHdfsConfig(java.nio.file.Path dir) throws java.io.IOException {
    java.nio.file.Path f = dir.resolve("hdfs.yaml");
    java.nio.file.Files.writeString(f, "output: hdfs:///crm/out\ntables: {customers: {path: c.csv}, sales: {path: s.csv}}\n");
    return f;
  }

  @Test
  void extraSourcesAreParsedLikeTheTablesOwnFileDefaultsIncluded() throws IOException {
    PipelineConfig c = load("""
        defaults:
          csv: {encoding: windows-1252}
          null_values: ["NULL", "-"]
        tables:
          customers: {path: customers.csv}
          sales:
            path: lines.csv
            null_values: n/a
            sources:
              headers: {path: headers.csv, csv: {delimiter: ";"}}
            query: SELECT * FROM source JOIN headers USING (order_no)
        """);
    PipelineConfig.TableSource sales = c.table("sales").orElseThrow();
    assertEquals(List.of("n/a"), sales.nullValues(), "a single value is a list of one; the table's own wins");
    assertEquals(List.of("NULL", "-"), c.table("customers").orElseThrow().nullValues());
    PipelineConfig.TableSource headers = sales.sources().get("headers");
    assertEquals(";", headers.csv().delimiter());
    assertEquals("windows-1252", headers.csv().encoding(), "merged with defaults.csv");
    assertEquals(List.of("NULL", "-"), headers.nullValues());
    assertEquals("tables.sales.sources.headers", headers.key());
    assertTrue(headers.path().orElseThrow().endsWith("headers.csv"));
  }

  @Test
  void extraSourcesNeedAQueryFilesAndAUsableName() {
    assertContains(error("""
        tables:
          customers: {path: customers.csv}
          sales: {path: lines.csv, sources: {headers: {path: h.csv}}}
        """).getMessage(), "tables.sales.sources", "needs a 'query' on tables.sales");
    assertContains(error("""
        tables:
          customers: {path: customers.csv}
          sales: {path: lines.csv, query: "SELECT 1", sources: {source: {path: h.csv}}}
        """).getMessage(), "tables.sales.sources.source", "not a usable view name");
    assertContains(error("""
        tables:
          customers: {path: customers.csv}
          sales: {path: lines.csv, query: "SELECT 1", sources: {headers: {csv: {delimiter: ";"}}}}
        """).getMessage(), "tables.sales.sources.headers.path", "is required");
    assertContains(error("""
        tables:
          customers: {path: customers.csv}
          sales: {path: lines.csv, query: "SELECT 1", sources: {headers: {path: h.csv, table: x}}}
        """).getMessage(), "tables.sales.sources.headers.table");
    assertContains(error("""
        connections:
          crm: {url: "jdbc:postgresql://h/db"}
        tables:
          customers: {path: customers.csv}
          sales: {format: jdbc, connection: crm, query: "SELECT 1", sources: {headers: {path: h.csv}}}
        """).getMessage(), "tables.sales.sources", "a database joins its own tables");
  }

  @Test
  void aMariadbUrlIsGivenToSparkUnderTheMysqlPrefixWithTheMariadbDriver() {
    PipelineConfig.Connection c = new PipelineConfig.Connection("erp", "jdbc:mariadb://db:3306/crm?connectTimeout=5",
        java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(), Map.of(), 100);
    assertEquals("jdbc:mysql://db:3306/crm?connectTimeout=5&permitMysqlScheme", c.sparkUrl());
    assertEquals(java.util.Optional.of("org.mariadb.jdbc.Driver"), c.sparkDriver());
    assertEquals("jdbc:mysql://db:3306/crm?permitMysqlScheme",
        PipelineConfig.Connection.sparkUrl("jdbc:mariadb://db:3306/crm"));
    assertEquals("jdbc:postgresql://h/db", PipelineConfig.Connection.sparkUrl("jdbc:postgresql://h/db"));
    assertEquals("jdbc:mysql://h/db?permitMysqlScheme", PipelineConfig.Connection.sparkUrl("jdbc:mysql://h/db?permitMysqlScheme"));
  }
}
