package org.crmanalytics.jobs.corpus;

import org.crmanalytics.jobs.cli.Pipeline;
import org.crmanalytics.jobs.io.Output;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.io.OutputLayout;
import org.crmanalytics.jobs.runner.PipelineRunner;
import org.crmanalytics.jobs.runner.StageGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The acceptance corpus of issue 17 (src/test/resources/corpus/, see its README): small and odd
 * companies, each run through the whole pipeline as {@code run} does, on one Spark session. For
 * every company the run must end succeeded or partial, with one score row per customer in silver,
 * a scorecard, and the scores written into the real PostgreSQL and MariaDB; a partial run must
 * name each part that is absent and why.
 *
 * <p>The findings (company x stage, the message a user sees, stack traces) are written to
 * {@code target/corpus-findings.md}. With {@code -Dcorpus.probe=true}, the stages a failed run
 * never reached are then run one by one on what it left, to show how far each would get;
 * {@code -Dcorpus.companies=a,b} runs only those companies.
 */
@Tag("spark")
@Tag("db")
@ExtendWith(SharedSpark.class)
class CorpusEndToEndTest {
  static final List<String> COMPANIES = List.of(
      "small-b2b", "tiny-one-year", "shop-no-invoices", "one-time-buyers", "german-erp-cp1252",
      "cash-payments", "mariadb-b2b");

  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/test";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final boolean PROBE = Boolean.getBoolean("corpus.probe");

  /**
   * Light churn training (few snapshots, few trees) so the whole class stays in minutes; the
   * write-back into PostgreSQL with a table of this test's own, plus the CSV export.
   */
  private static final String RUN_SETTINGS = """

      # added by CorpusEndToEndTest
      churn:
        training: {snapshots: 2, step_months: 3, gbt_max_iter: 3, gbt_max_depth: 2}
      writeback:
        target: [jdbc, csv]
        connection: %s
        table: %s
        history_table: %s_hist
        run_log_table: %s_runs
        create: true
      """;

  /** The write-back's two databases, added to the mapping's connections (or as the section). */
  private static final String CONNECTIONS = """
        postgres: {url: "%s", user: postgres}
        mariadb: {url: "%s", user: root}
      """.formatted(POSTGRES, MARIADB);

  private static SparkSession spark;
  private static final CorpusFindings findings = new CorpusFindings();

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
  }

  @AfterAll
  static void stop() throws IOException {
    findings.write(Path.of("target", "corpus-findings.md"));
  }

  /** Every company, or those named in -Dcorpus.companies=a,b (to rerun one while fixing it). */
  static Stream<String> companies() {
    String only = System.getProperty("corpus.companies", "").strip();
    return only.isEmpty() ? COMPANIES.stream() : COMPANIES.stream().filter(List.of(only.split(",\\s*"))::contains);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("companies")
  void runDeliversScoresScorecardAndWriteBackForEveryCustomer(String company, @TempDir Path dir)
      throws Exception {
    String table = "corpus_" + company.replace('-', '_') + "_scores";
    requireDatabases();
    dropTables(table);

    Path home = copyCompany(company, dir);
    List<String> sourceTables = loadSourceDatabase(home);
    PipelineConfig toPostgres;
    PipelineConfig toMariaDb;
    try {
      toPostgres = config(home, "postgres", table);
      toMariaDb = config(home, "mariadb", table);
    } catch (RuntimeException e) { // the configuration check refuses the mapping: a finding too
      findings.run(company, null, e, "");
      throw e;
    }
    StageGraph graph = Pipeline.graph();

    Attempt run = attempt(toPostgres, graph, List.of());
    findings.run(company, run.manifest, run.failure, run.printed);
    if (run.failure != null && PROBE) {
      for (String stage : graph.names()) {
        if (!run.statuses().containsKey(stage)) {
          Attempt alone = attempt(toPostgres, graph, List.of(stage));
          findings.probe(company, stage, alone.manifest, alone.failure);
        }
      }
    }
    // The scores into the second database: the write-back stage alone, as `run --stages writeback` does.
    Attempt mariaDb = attempt(toMariaDb, graph, List.of("writeback"));
    findings.secondWriteBack(company, mariaDb.manifest, mariaDb.failure);

    OutputLayout layout = new OutputLayout(toPostgres.output(), toPostgres.asOf(), "check");
    Set<String> customers = ids(layout.silver("customers"));
    String scores = toPostgres.output() + "/" + Output.CUSTOMER_SCORES.at(toPostgres.asOf());
    Path scorecard = Path.of(toPostgres.output(), Output.SCORECARD.at("en", toPostgres.asOf()));
    try {
      assertAll(company,
          () -> assertNull(run.failure, () -> "the run threw " + CorpusFindings.userMessage(run.failure)),
          () -> assertTrue(Set.of("succeeded", "partial").contains(run.status()),
              "run status " + run.status() + ": " + run.manifestText()),
          () -> assertFalse(customers.isEmpty(), "silver customers is empty or absent"),
          () -> assertEquals(customers, sortedIds(scores), "customer_scores: one row per silver customer"),
          () -> assertEquals(customers.size(), spark.read().parquet(scores).count(),
              "customer_scores has exactly one row per customer"),
          () -> assertTrue(Files.isRegularFile(scorecard), "no scorecard at " + scorecard),
          () -> assertEquals(customers, written(POSTGRES, "postgres", table), "PostgreSQL " + table),
          () -> assertNull(mariaDb.failure, () -> "write-back to MariaDB threw "
              + CorpusFindings.userMessage(mariaDb.failure)),
          () -> assertEquals(customers, written(MARIADB, "root", table), "MariaDB " + table),
          () -> absentPartsAreNamed(run));
    } finally {
      dropTables(table);
      dropSourceTables(sourceTables);
    }
  }

  /**
   * A company kept in MariaDB ({@code tables.sql} beside its mapping): its statements, one a line,
   * are run against the test database. Returns the statements that drop its tables again.
   */
  private static List<String> loadSourceDatabase(Path home) throws IOException, SQLException {
    Path sql = home.resolve("tables.sql");
    if (!Files.exists(sql)) {
      return List.of();
    }
    List<String> drops = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(MARIADB, "root", ""); Statement s = c.createStatement()) {
      for (String line : Files.readAllLines(sql, StandardCharsets.UTF_8)) {
        String statement = line.strip().replaceAll(";$", "");
        if (!statement.isEmpty()) {
          s.execute(statement);
          if (statement.startsWith("DROP TABLE")) {
            drops.add(statement);
          }
        }
      }
    }
    return drops;
  }

  private static void dropSourceTables(List<String> drops) throws SQLException {
    if (drops.isEmpty()) {
      return;
    }
    try (Connection c = DriverManager.getConnection(MARIADB, "root", ""); Statement s = c.createStatement()) {
      for (String drop : drops) {
        s.execute(drop);
      }
    }
  }

  /** A partial run names every stage that did not succeed, with a reason. */
  private static void absentPartsAreNamed(Attempt run) {
    if (!"partial".equals(run.status())) {
      return;
    }
    List<String> unnamed = new ArrayList<>();
    for (JsonNode s : run.manifest.path("stages")) {
      if (!"succeeded".equals(s.path("status").asText()) && CorpusFindings.reason(s).isBlank()) {
        unnamed.add(s.path("stage").asText());
      }
    }
    assertTrue(unnamed.isEmpty(), "partial run without a reason for " + unnamed + ": " + run.manifestText());
    assertTrue(run.manifest.path("stages").size() > 0, "a partial run lists its stages");
  }

  /** One runner call: its manifest (or null) and what it threw (or null). */
  private record Attempt(JsonNode manifest, Throwable failure, String printed) {
    String status() {
      return manifest == null ? "no manifest" : manifest.path("status").asText();
    }

    Map<String, String> statuses() {
      Map<String, String> out = new java.util.LinkedHashMap<>();
      if (manifest != null) {
        manifest.path("stages").forEach(s -> out.put(s.path("stage").asText(), s.path("status").asText()));
      }
      return out;
    }

    String manifestText() {
      return manifest == null ? "(none)" : manifest.toPrettyString();
    }
  }

  private static Attempt attempt(PipelineConfig config, StageGraph graph, List<String> stages) throws IOException {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Set<Path> before = manifests(config);
    Throwable failure = null;
    try (Console console = new Console(new PrintStream(printed, true, StandardCharsets.UTF_8),
        Console.Verbosity.NORMAL)) {
      new PipelineRunner(console).run(spark, config, graph.ordered(stages), "run");
    } catch (Throwable e) { // Spark throws checked exceptions undeclared; every failure is a finding
      failure = e;
    }
    Set<Path> added = new TreeSet<>(manifests(config));
    added.removeAll(before);
    JsonNode manifest = added.isEmpty() ? null : JSON.readTree(Files.readString(added.iterator().next()));
    return new Attempt(manifest, failure, printed.toString(StandardCharsets.UTF_8));
  }

  private static Set<Path> manifests(PipelineConfig config) throws IOException {
    String out = config.output();
    Path runs = (out.startsWith("file:") ? Path.of(URI.create(out)) : Path.of(out)).resolve("runs");
    if (!Files.isDirectory(runs)) {
      return Set.of();
    }
    try (Stream<Path> files = Files.list(runs)) {
      return new TreeSet<>(files.filter(f -> f.getFileName().toString().matches("\\d{8}T\\d{6}-[0-9a-f]{4}\\.json"))
          .toList());
    }
  }

  /** The company's files and mapping, copied so that the run's outputs stay in the test's folder. */
  private static Path copyCompany(String company, Path dir) throws IOException {
    Path source = Path.of("src", "test", "resources", "corpus", company);
    Path target = dir.resolve(company);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path f : files.toList()) {
        Path to = target.resolve(source.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    return target;
  }

  /** The company's own mapping plus this test's run settings, written beside it. */
  private static PipelineConfig config(Path home, String connection, String table) throws IOException {
    String yaml = Files.readString(home.resolve("mapping.yaml"));
    yaml = yaml.contains("\nconnections:\n")
        ? yaml.replace("\nconnections:\n", "\nconnections:\n" + CONNECTIONS)
        : yaml + "\nconnections:\n" + CONNECTIONS;
    yaml += RUN_SETTINGS.formatted(connection, table, table.replace("_scores", ""), table.replace("_scores", ""));
    Path file = home.resolve("run-" + connection + ".yaml");
    Files.writeString(file, yaml);
    return Pipeline.configLoader(Map.of()).load(file).withOutput(home.resolve("out"));
  }

  private static Set<String> ids(String parquet) {
    try {
      return sortedIds(parquet);
    } catch (Exception e) { // absent: the assertion on the empty set says so
      return Set.of();
    }
  }

  private static Set<String> sortedIds(String parquet) {
    Set<String> out = new TreeSet<>();
    for (Row r : spark.read().parquet(parquet).select("customer_id").collectAsList()) {
      out.add(r.getString(0));
    }
    return out;
  }

  private static Set<String> written(String url, String user, String table) throws SQLException {
    Set<String> out = new TreeSet<>();
    List<String> all = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, user, "");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT customer_id FROM " + table)) {
      while (r.next()) {
        out.add(r.getString(1));
        all.add(r.getString(1));
      }
    } catch (SQLException e) {
      fail(url + ": " + table + " cannot be read: " + e.getMessage());
    }
    assertEquals(out.size(), all.size(), table + " has one row per customer");
    return out;
  }

  private static void requireDatabases() {
    for (String[] db : new String[][] {{POSTGRES, "postgres"}, {MARIADB, "root"}}) {
      try (Connection c = DriverManager.getConnection(db[0], db[1], "")) {
        c.isValid(5);
      } catch (SQLException e) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
          fail("CI=true, but the database " + db[0] + " is not reachable: " + e.getMessage());
        }
        assumeTrue(false, db[0] + " is not reachable (" + e.getMessage() + "); start it (see .ci/run)");
      }
    }
  }

  private static void dropTables(String table) throws SQLException {
    String base = table.replace("_scores", "");
    for (String[] db : new String[][] {{POSTGRES, "postgres"}, {MARIADB, "root"}}) {
      try (Connection c = DriverManager.getConnection(db[0], db[1], ""); Statement s = c.createStatement()) {
        for (String t : List.of(table, base + "_hist", base + "_runs")) {
          s.execute("DROP TABLE IF EXISTS " + t);
        }
      }
    }
  }
}
