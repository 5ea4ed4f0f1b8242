package org.crmanalytics.tools.demodb;

import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.cli.CrmAnalytics;
import org.crmanalytics.jobs.writeback.ScoresFixture;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.ContractColumn;
import org.crmanalytics.models.contract.ContractTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo database end to end, against the real PostgreSQL and MariaDB of the project's machines:
 * a small company is loaded with {@code demo-db load} (twice, to show the load is repeatable),
 * ingested through data-samples/mappings/postgres.yaml and mariadb.yaml, and compared with an
 * ingest of the same files through sample.yaml: the accepted rows must be exactly the same.
 *
 * <p>Each run works in its own schemas (databases), {@code t<random>_crm} and {@code t<random>_erp},
 * dropped at the end. With a database down the tests that need it are skipped, but fail when
 * {@code CI=true}: a CI machine without its databases must not pass silently.
 */
@Tag("spark")
@Tag("db")
@ExtendWith(SharedSpark.class)
class DemoDbRoundTripTest {
  static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String PG_USER = "postgres";
  static final String MARIA_URL = "jdbc:mariadb://127.0.0.1:3306/test";
  static final String MARIA_USER = "root";
  static final String AS_OF = "2025-12-31";
  static final List<String> WRITEBACK_RUNS = List.of("run-demo-1", "run-demo-2");
  static final int SCORED = 50;

  @TempDir static Path dir;

  static final String PREFIX = "t" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36) + "_";
  static Path repo;
  static Path company;
  static Map<String, Integer> companyRows;
  static String pgDown;
  static String mariaDown;
  /** Each CLI call of the setup, by name: exit code, what it printed, how long it took. */
  static final Map<String, Cli> runs = new LinkedHashMap<>();
  static SparkSession spark;

  record Cli(int code, String out, String err, Duration elapsed) {
    String all() {
      return out + err;
    }
  }

  @BeforeAll
  static void loadAndIngest() throws IOException {
    repo = repoRoot();
    pgDown = unreachable(PG_URL, PG_USER);
    mariaDown = unreachable(MARIA_URL, MARIA_USER);
    if ("true".equalsIgnoreCase(System.getenv("CI")) && (pgDown != null || mariaDown != null)) {
      fail("CI=true, but the databases the demo-db tests need are not reachable:"
          + (pgDown == null ? "" : "\n  PostgreSQL " + PG_URL + ": " + pgDown)
          + (mariaDown == null ? "" : "\n  MariaDB " + MARIA_URL + ": " + mariaDown)
          + "\nStart them (see docs: pg_ctlcluster ... main start; start-stop-daemon ... mariadbd).");
    }
    company = dir.resolve("company");
    companyRows = SmallCompany.write(company, 20251231L);
    Path mappings = Files.createDirectories(dir.resolve("mappings"));
    Path sample = Files.copy(repo.resolve("data-samples/mappings/sample.yaml"), mappings.resolve("sample.yaml"));
    // The bundled sample has no dunning notices; this company has, and the files run reads them too.
    Files.writeString(sample, "  dunning_notices:  {path: ../company/dunning_notices}\n",
        java.nio.file.StandardOpenOption.APPEND);
    // Two runs of the scores stage's output for the same as_of, equal but for their run_id, for the
    // write-back of the postgres.yaml mapping (each under an output root of its own).
    for (String runId : WRITEBACK_RUNS) {
      ScoresFixture.frame(SharedSpark.session(), ScoresFixture.rows(0, SCORED, LocalDate.parse(AS_OF), runId)).write()
          .parquet(dir.resolve("out/" + runId + "/scores/customer_scores/as_of=" + AS_OF).toString());
    }
    SharedSpark.release(); // each command starts and stops a session of its own, as on the command line
    runs.put("ingest files", cli("ingest", "--config", sample.toString(), "--out", dir.resolve("out/files").toString(),
        "--master", "local[2]"));
    if (pgDown == null) {
      for (String run : List.of("load postgres", "reload postgres")) {
        runs.put(run, cli("demo-db", "load", "--jdbc-url", PG_URL, "--user", PG_USER, "--data", company.toString(),
            "--schema-prefix", PREFIX, "--master", "local[2]"));
      }
      runs.put("ingest postgres", cli("ingest", "--config", mapping("postgres.yaml").toString(),
          "--out", dir.resolve("out/postgres").toString(), "--master", "local[2]"));
      for (String runId : WRITEBACK_RUNS) {
        runs.put("writeback postgres " + runId, cli("writeback", "--config", mapping("postgres.yaml").toString(),
            "--out", dir.resolve("out/" + runId).toString(), "--master", "local[2]"));
      }
    }
    if (mariaDown == null) {
      runs.put("load mariadb", cli("demo-db", "load", "--jdbc-url", MARIA_URL, "--user", MARIA_USER,
          "--data", company.toString(), "--schema-prefix", PREFIX, "--master", "local[2]"));
      runs.put("ingest mariadb", cli("ingest", "--config", mapping("mariadb.yaml").toString(),
          "--out", dir.resolve("out/mariadb").toString(), "--master", "local[2]"));
    }
    StringBuilder timings = new StringBuilder("demo-db round trip (" + companyRows.values().stream()
        .mapToInt(Integer::intValue).sum() + " rows):");
    runs.forEach((name, r) -> timings.append(String.format(Locale.ROOT, "  %s %.1fs (exit %d)", name,
        r.elapsed().toMillis() / 1000.0, r.code())));
    System.out.println(timings);
    spark = SharedSpark.session();
  }

  @AfterAll
  static void dropSchemas() {
    if (pgDown == null) {
      sql(PG_URL, PG_USER, null, "DROP SCHEMA IF EXISTS " + PREFIX + "erp CASCADE",
          "DROP SCHEMA IF EXISTS " + PREFIX + "crm CASCADE");
    }
    if (mariaDown == null) {
      sql(MARIA_URL, MARIA_USER, null, "SET FOREIGN_KEY_CHECKS = 0",
          "DROP DATABASE IF EXISTS " + PREFIX + "erp", "DROP DATABASE IF EXISTS " + PREFIX + "crm",
          "DROP DATABASE IF EXISTS " + PREFIX + "pw_erp", "DROP DATABASE IF EXISTS " + PREFIX + "pw_crm");
    }
  }

  // ---- PostgreSQL ---------------------------------------------------------------------------

  @Test
  void postgresLoadCreatesTypedTablesWithKeysAndIsRepeatable() throws SQLException {
    needs("PostgreSQL", pgDown);
    for (String run : List.of("load postgres", "reload postgres")) {
      Cli load = runs.get(run);
      assertEquals(0, load.code(), run + " failed:\n" + load.all());
      for (ContractTable t : Contract.TABLES) {
        String line = load.out().lines().filter(l -> l.startsWith("load " + t.name() + " ")).findFirst().orElse("");
        assertTrue(line.matches(".*\\s" + String.format(Locale.ROOT, "%,d", companyRows.get(t.name()))
            + " out .*-> " + PREFIX + DemoDatabase.schemaOf(t.name()) + "\\." + t.name() + ".*"),
            run + ": no rows line for " + t.name() + " in\n" + load.out());
      }
    }
    try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "")) {
      assertRowCounts(c);
      // The demo's tables only: the write-back of postgres.yaml adds its own beside them.
      String demoTables = Contract.TABLES.stream().map(t -> "'" + t.name() + "'").collect(Collectors.joining(", "));
      assertEquals(Contract.TABLES.size(), count(c, "SELECT count(*) FROM information_schema.table_constraints WHERE constraint_type = "
          + "'PRIMARY KEY' AND table_schema IN ('" + PREFIX + "crm', '" + PREFIX + "erp') AND table_name IN ("
          + demoTables + ")"), "primary keys");
      assertEquals(references(), count(c, "SELECT count(*) FROM information_schema.table_constraints WHERE "
          + "constraint_type = 'FOREIGN KEY' AND table_schema IN ('" + PREFIX + "crm', '" + PREFIX + "erp')"),
          "foreign keys");
      assertEquals(List.of("character varying(64)", "integer", "character varying(64)", "date", "character varying(64)",
              "numeric(18,4)", "numeric(18,4)", "numeric(18,4)", "character varying(255)", "character varying(255)",
              "character varying(64)"),
          strings(c, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '" + PREFIX
              + "erp.sales'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"));
      assertEquals(List.of("timestamp without time zone", "text"),
          strings(c, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '" + PREFIX
              + "crm.activities'::regclass AND attname IN ('occurred_at', 'notes') ORDER BY attnum"));
      // Wall-clock time and text arrive as they stand in the files.
      assertEquals(List.of("Kunde ruft zurück\nTermin: KW 3"), strings(c, "SELECT DISTINCT notes FROM " + PREFIX
          + "crm.activities WHERE notes LIKE 'Kunde ruft%'"));
      assertEquals(List.of("  Weber KG  "), strings(c, "SELECT name FROM " + PREFIX + "crm.customers WHERE "
          + "customer_id = 'K00004'"));
    }
  }

  @Test
  void postgresIngestAcceptsExactlyWhatTheFilesGive() throws IOException {
    needs("PostgreSQL", pgDown);
    assertSameAsFiles("postgres");
  }

  /**
   * The writeback section of postgres.yaml reaches the demo CRM: the first run creates
   * crm.customer_scores with every customer, the second, with the same scores, changes no row and
   * is only logged.
   */
  @Test
  void postgresMappingWritesTheScoresBackIntoTheDemoCrm() throws SQLException {
    needs("PostgreSQL", pgDown);
    String table = PREFIX + "crm.customer_scores";
    List<String> expected = List.of(SCORED + " changed, 0 unchanged, 0 stale, " + SCORED + " history rows",
        "0 changed, " + SCORED + " unchanged, 0 stale, 0 history rows");
    for (int i = 0; i < WRITEBACK_RUNS.size(); i++) {
      Cli run = runs.get("writeback postgres " + WRITEBACK_RUNS.get(i));
      assertTrue(run.out().contains("-> " + table + " (" + expected.get(i) + ")"), WRITEBACK_RUNS.get(i) + ":\n"
          + run.all());
      assertFalse(run.all().contains("password="), "no password in the output");
    }
    try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "")) {
      assertEquals(List.of("run-demo-1|" + SCORED), strings(c, "SELECT run_id || '|' || count(*) FROM " + table
          + " GROUP BY run_id"), "every customer, untouched by the second run");
      assertEquals(SCORED, count(c, "SELECT count(*) FROM " + table + "_history"));
      assertEquals(List.of("run-demo-1|" + SCORED + "|0", "run-demo-2|0|" + SCORED), strings(c, "SELECT run_id || '|' || "
          + "rows_changed || '|' || rows_unchanged FROM " + PREFIX + "crm.crm_analytics_writeback_runs WHERE "
          + "target_table = '" + table + "' ORDER BY run_id"), "the run log");
    }
  }

  @Test
  void partitionedPostgresReadGivesTheSameRows() {
    needs("PostgreSQL", pgDown);
    assertPartitionedReadIsComplete(PG_URL, PG_USER);
  }

  // ---- MariaDB ------------------------------------------------------------------------------

  @Test
  void mariadbLoadCreatesTypedTablesWithKeys() throws SQLException {
    needs("MariaDB", mariaDown);
    Cli load = runs.get("load mariadb");
    assertEquals(0, load.code(), "load failed:\n" + load.all());
    assertTrue(load.out().contains("loaded " + String.format(Locale.ROOT, "%,d",
        companyRows.values().stream().mapToInt(Integer::intValue).sum()) + " rows into " + Contract.TABLES.size() + " tables"), load.out());
    try (Connection c = DriverManager.getConnection(MARIA_URL, MARIA_USER, "")) {
      assertRowCounts(c);
      // The demo's tables only: the write-back of postgres.yaml adds its own beside them.
      String demoTables = Contract.TABLES.stream().map(t -> "'" + t.name() + "'").collect(Collectors.joining(", "));
      assertEquals(Contract.TABLES.size(), count(c, "SELECT count(*) FROM information_schema.table_constraints WHERE constraint_type = "
          + "'PRIMARY KEY' AND table_schema IN ('" + PREFIX + "crm', '" + PREFIX + "erp') AND table_name IN ("
          + demoTables + ")"), "primary keys");
      assertEquals(references(), count(c, "SELECT count(*) FROM information_schema.table_constraints WHERE "
          + "constraint_type = 'FOREIGN KEY' AND table_schema IN ('" + PREFIX + "crm', '" + PREFIX + "erp')"),
          "foreign keys");
      assertEquals(List.of("varchar(64)", "date", "date", "tinyint(1)"),
          strings(c, "SELECT column_type FROM information_schema.columns WHERE table_schema = '" + PREFIX
              + "crm' AND table_name = 'campaign_members' AND column_name <> 'campaign_id' ORDER BY ordinal_position"));
      assertEquals(List.of("datetime", "decimal(18,4)"),
          strings(c, "SELECT column_type FROM information_schema.columns WHERE table_schema = '" + PREFIX
              + "crm' AND table_name = 'offers' AND column_name IN ('created_at', 'amount') ORDER BY column_name DESC"));
      assertEquals(List.of("Müller & Söhne, \"Nord\" GmbH"), strings(c, "SELECT name FROM " + PREFIX
          + "crm.customers WHERE customer_id = 'K00008'"));
    }
  }

  @Test
  void mariadbIngestAcceptsExactlyWhatTheFilesGive() throws IOException {
    needs("MariaDB", mariaDown);
    assertSameAsFiles("mariadb");
  }

  @Test
  void partitionedMariadbReadGivesTheSameRows() {
    needs("MariaDB", mariaDown);
    assertPartitionedReadIsComplete("jdbc:mysql://127.0.0.1:3306/test?permitMysqlScheme", MARIA_USER);
  }

  // ---- errors and the password --------------------------------------------------------------

  @Test
  void aWrongPasswordIsNeverPrintedOrLogged() throws Exception {
    needs("MariaDB", mariaDown);
    String password = "Wr0ng-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 50), 36) + "-pw";
    // A separate JVM: the password can only come from its environment, and everything it prints,
    // Spark's and the drivers' logs included, is captured. --verbose adds the stack trace.
    for (List<String> extra : List.of(List.<String>of(), List.of("--verbose"))) {
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"),
          CrmAnalytics.class.getName(), "demo-db", "load", "--jdbc-url", MARIA_URL, "--user", MARIA_USER,
          "--password-env", "DEMO_DB_TEST_PASSWORD", "--data", company.toString(),
          "--schema-prefix", PREFIX + "pw_", "--master", "local[1]"));
      command.addAll(extra);
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().put("DEMO_DB_TEST_PASSWORD", password);
      Process p = pb.start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "demo-db load did not end:\n" + output);
      assertEquals(2, p.exitValue(), output);
      assertTrue(output.contains("ERROR: cannot connect to " + MARIA_URL + " as root: "), output);
      assertTrue(output.contains("Access denied"), output);
      assertFalse(output.contains(password), "the password was printed:\n" + output);
    }
  }

  @Test
  void unreachableDatabaseOrBadArgumentsGiveOneReadableLine() {
    Cli pg = cli("demo-db", "load", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/test", "--user", "postgres",
        "--data", dir.toString() + "/company");
    assertEquals(2, pg.code(), pg.all());
    assertEquals(1, pg.err().lines().count(), pg.err());
    assertTrue(pg.err().startsWith("ERROR: cannot connect to jdbc:postgresql://127.0.0.1:1/test as postgres: "),
        pg.err());
    assertTrue(pg.err().contains("Is the database running"), pg.err());

    Cli maria = cli("demo-db", "load", "--jdbc-url", "jdbc:mariadb://127.0.0.1:1/test", "--data", company.toString());
    assertEquals(2, maria.code(), maria.all());
    assertEquals(1, maria.err().lines().count(), maria.err());
    assertTrue(maria.err().startsWith("ERROR: cannot connect to jdbc:mariadb://127.0.0.1:1/test: "), maria.err());

    Cli oracle = cli("demo-db", "load", "--jdbc-url", "jdbc:oracle:thin:@db:1521/crm", "--data", company.toString());
    assertEquals(2, oracle.code());
    assertEquals("ERROR: --jdbc-url: expected a PostgreSQL or MariaDB/MySQL URL, for example "
        + "jdbc:postgresql://127.0.0.1:5432/test or jdbc:mariadb://127.0.0.1:3306/test", oracle.err().strip());

    Cli inUrl = cli("demo-db", "load", "--jdbc-url", "jdbc:postgresql://db/crm?user=a&password=hunter2");
    assertEquals(2, inUrl.code());
    assertFalse(inUrl.all().contains("hunter2"), inUrl.all());
    assertTrue(inUrl.err().contains("must not hold credentials"), inUrl.err());

    Cli typed = cli("demo-db", "load", "--jdbc-url", PG_URL, "--password-env", "s3cr3t!pw");
    assertEquals(2, typed.code());
    assertFalse(typed.all().contains("s3cr3t!pw"), typed.all());
    assertTrue(typed.err().contains("takes the name of an environment variable"), typed.err());

    Cli unset = cli("demo-db", "load", "--jdbc-url", PG_URL, "--password-env", "DEMO_DB_NOT_SET_" + PREFIX.toUpperCase(Locale.ROOT));
    assertEquals(2, unset.code());
    assertTrue(unset.err().contains("is not set"), unset.err());

    Cli noData = cli("demo-db", "load", "--jdbc-url", PG_URL, "--data", dir.resolve("nothing").toString());
    assertEquals(2, noData.code());
    assertTrue(noData.err().startsWith("ERROR: --data: no company at "), noData.err());

    Cli noSub = cli("demo-db");
    assertEquals(2, noSub.code());
    assertTrue(noSub.err().contains("demo-db load"), noSub.err());
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** Silver of the database ingest equals silver of the file ingest, table by table, every column. */
  private static void assertSameAsFiles(String source) throws IOException {
    Cli files = runs.get("ingest files");
    Cli db = runs.get("ingest " + source);
    assertEquals(0, files.code(), "ingest of the files failed:\n" + files.all());
    assertEquals(0, db.code(), "ingest from " + source + " failed:\n" + db.all());
    JsonNode filesManifest = manifest("files");
    JsonNode dbManifest = manifest(source);
    long quarantined = 0;
    for (ContractTable t : Contract.TABLES) {
      JsonNode f = filesManifest.path("tables").path(t.name());
      JsonNode d = dbManifest.path("tables").path(t.name());
      for (JsonNode m : List.of(f, d)) {
        assertEquals(m.path("read").asLong(), m.path("accepted").asLong() + m.path("quarantined").asLong()
            + m.path("after_as_of").asLong(), t.name() + ": read = accepted + quarantined + after_as_of in " + m);
      }
      assertEquals(f.path("after_as_of").asLong(), d.path("after_as_of").asLong(), t.name() + " after as_of");
      assertEquals(companyRows.get(t.name()).longValue(), d.path("read").asLong(), t.name() + " rows read from " + source);
      assertEquals(f.path("read").asLong(), d.path("read").asLong(), t.name() + " read");
      assertEquals(f.path("accepted").asLong(), d.path("accepted").asLong(), t.name() + " accepted");
      assertEquals(f.path("rules").toString(), d.path("rules").toString(), t.name() + " rejections by rule");
      quarantined += d.path("quarantined").asLong();

      assertSameRows(silver("files", t), silver(source, t), t.name() + " accepted rows, files vs " + source);
    }
    assertTrue(quarantined > 0, "the company has rows the gate rejects; both paths must reject them");
  }

  /** A read split into 4 range queries on order_date returns the same rows as one query. */
  private static void assertPartitionedReadIsComplete(String url, String user) {
    String table = PREFIX + "erp.sales";
    Dataset<Row> whole = jdbc(url, user).option("dbtable", table).load();
    Dataset<Row> split = jdbc(url, user).option("dbtable", table).option("partitionColumn", "order_date")
        // narrower than the data on purpose: rows outside the bounds belong to the outer slices
        .option("lowerBound", "2023-06-01").option("upperBound", "2025-06-01").option("numPartitions", 4).load();
    assertEquals(4, split.rdd().getNumPartitions());
    long rows = assertSameRows(whole, split, table + ", one query vs 4 range queries");
    assertEquals(companyRows.get("sales").longValue(), rows, table + " rows");
  }

  /**
   * Same rows, duplicates counted: equal row counts, and {@code except} both ways empty (one
   * Spark job each for the counts and for the differences, to keep the class fast).
   */
  private static long assertSameRows(Dataset<Row> expected, Dataset<Row> actual, String what) {
    Map<Integer, Long> counts = new LinkedHashMap<>(Map.of(1, 0L, 2, 0L));
    for (Row r : expected.select(lit(1).as("side")).unionAll(actual.select(lit(2).as("side")))
        .groupBy("side").count().collectAsList()) {
      counts.put(r.getInt(0), r.getLong(1));
    }
    assertEquals(counts.get(1), counts.get(2), what + ": row count");
    List<Row> differences = expected.exceptAll(actual).withColumn("_only_in", lit("expected"))
        .unionAll(actual.exceptAll(expected).withColumn("_only_in", lit("actual")))
        .limit(6).collectAsList();
    assertTrue(differences.isEmpty(), what + ": rows in one but not the other (last column says which): "
        + differences);
    return counts.get(1);
  }

  private static org.apache.spark.sql.DataFrameReader jdbc(String url, String user) {
    return spark.read().format("jdbc").option("url", url).option("user", user).option("password", "");
  }

  private static Dataset<Row> silver(String run, ContractTable t) {
    Path p = dir.resolve("out/" + run + "/silver/" + t.name() + "/as_of=" + AS_OF);
    Column[] columns = t.columns().stream().map(ContractColumn::name).map(org.apache.spark.sql.functions::col)
        .toArray(Column[]::new);
    return spark.read().parquet(p.toString()).select(columns);
  }

  private static JsonNode manifest(String run) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("out/" + run + "/runs"))) {
      List<Path> json = files.filter(f -> f.toString().endsWith(".json")).toList();
      assertEquals(1, json.size(), run + " manifests: " + json);
      return new ObjectMapper().readTree(json.get(0).toFile());
    }
  }

  private static void assertRowCounts(Connection c) throws SQLException {
    for (ContractTable t : Contract.TABLES) {
      String table = PREFIX + DemoDatabase.schemaOf(t.name()) + "." + t.name();
      assertEquals(companyRows.get(t.name()).longValue(), count(c, "SELECT count(*) FROM " + table), table);
    }
  }

  /** Foreign keys the contract asks for: one per column that references another table. */
  private static long references() {
    return Contract.TABLES.stream().flatMap(t -> t.columns().stream()).filter(c -> c.references().isPresent()).count();
  }

  private static long count(Connection c, String query) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(query)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static List<String> strings(Connection c, String query) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(query)) {
      while (r.next()) {
        out.add(r.getString(1));
      }
    }
    return out;
  }

  /** The repository's copy of a database mapping, pointed at this run's schemas. */
  private static Path mapping(String name) throws IOException {
    String yaml = Files.readString(repo.resolve("data-samples/mappings/" + name));
    String ours = yaml.replaceAll("\\b(crm|erp)\\.", PREFIX + "$1.");
    assertTrue(ours.contains("table: " + PREFIX + "crm.customers"), name + " does not read crm.customers");
    return Files.writeString(dir.resolve("mappings/" + name), ours);
  }

  private static void needs(String database, String down) {
    assumeTrue(down == null, database + " is not reachable (" + down + "); skipped. With CI=true this fails.");
  }

  /** Null when the database answers, else why not. */
  private static String unreachable(String url, String user) {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", "");
    p.setProperty("connectTimeout", url.contains("postgresql") ? "5" : "5000");
    try (Connection c = DriverManager.getConnection(url, p)) {
      return null;
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  private static void sql(String url, String user, String password, String... statements) {
    try (Connection c = DriverManager.getConnection(url, user, password == null ? "" : password);
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      System.err.println("cleanup of " + url + " failed: " + e.getMessage());
    }
  }

  /** Runs the CLI in this JVM, capturing what it prints. */
  static Cli cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    long start = System.nanoTime();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = CrmAnalytics.execute(args);
      return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
          Duration.ofNanos(System.nanoTime() - start));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private static Path repoRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("data-samples/mappings/sample.yaml"))) {
        return p;
      }
    }
    throw new IllegalStateException("no data-samples/mappings/sample.yaml above " + Path.of("").toAbsolutePath());
  }
}
