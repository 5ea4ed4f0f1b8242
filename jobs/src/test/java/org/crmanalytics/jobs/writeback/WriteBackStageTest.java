package org.crmanalytics.jobs.writeback;

import org.crmanalytics.jobs.cli.Pipeline;
import org.crmanalytics.jobs.io.Output;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.text.NumberFormat;
import java.text.ParseException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.runner.PipelineRunner;
import org.crmanalytics.models.scores.CustomerScores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writeback stage as the runner runs it: customer_scores Parquet in, the CSV file for a German
 * CRM import, the Parquet copy and (with PostgreSQL up) the database table out. The CSV is read
 * back with an independent parser and German number parsing, and must give the input values.
 */
@Tag("spark")
@Tag("db")
@ExtendWith(SharedSpark.class)
class WriteBackStageTest {
  static final LocalDate AS_OF = LocalDate.of(2025, 12, 31);
  static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String TABLE = "public.wbstage" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30), 36);
  static final int CUSTOMERS = 200;
  static final String INVOICE_TABLE = TABLE + "_inv";
  static final String CROSS_SELL_TABLE = TABLE + "_xs";

  @TempDir static Path dir;
  static SparkSession spark;
  static List<Row> input;
  static String console;
  static String pgDown;

  @BeforeAll
  static void runStage(SparkSession session) throws IOException {
    try (Connection c = DriverManager.getConnection(PG_URL, "postgres", "")) {
      pgDown = null;
    } catch (SQLException e) {
      pgDown = e.getMessage();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("CI=true, but PostgreSQL " + PG_URL + " is not reachable: " + pgDown);
      }
    }
    spark = session;
    input = ScoresFixture.rows(0, CUSTOMERS, AS_OF, "run-42");
    Path out = dir.resolve("out");
    ScoresFixture.frame(spark, input).repartition(3)
        .write().parquet(out.resolve(Output.CUSTOMER_SCORES.at(AS_OF)).toString());
    console = run(config(out, pgDown == null ? "[csv, parquet, jdbc]" : "[csv, parquet]"));
  }

  @AfterAll
  static void stop() throws SQLException {
    if (pgDown == null) {
      try (Connection c = DriverManager.getConnection(PG_URL, "postgres", ""); Statement s = c.createStatement()) {
        for (String t : List.of(TABLE, TABLE + "_history", INVOICE_TABLE, CROSS_SELL_TABLE,
            "public.crm_analytics_writeback_runs_" + TABLE.substring(7))) {
          s.execute("DROP TABLE IF EXISTS " + t);
        }
      }
    }
  }

  static PipelineConfig config(Path out, String targets) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "as_of: " + AS_OF + "\noutput: " + out + "\n"
        + "connections:\n  crm: {url: \"" + PG_URL + "\", user: postgres}\n"
        + "tables:\n  customers: {path: c.csv}\n  sales: {path: s.csv}\n"
        + "writeback:\n  target: " + targets + "\n  csv: {decimal_comma: true}\n"
        + (targets.contains("jdbc") ? "  connection: crm\n  table: " + TABLE + "\n  create: true\n  run_log_table: "
            + "public.crm_analytics_writeback_runs_" + TABLE.substring(7) + "\n  invoices: {table: " + INVOICE_TABLE
            + ", create: true}\n  cross_sell: {table: " + CROSS_SELL_TABLE + ", create: true, language: de}\n" : ""));
    return Pipeline.configLoader(Map.of()).load(file);
  }

  static String run(PipelineConfig config) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Console c = new Console(ps, Console.Verbosity.VERBOSE)) {
      new PipelineRunner(c).run(spark, config, List.of(new WriteBackStage()), "writeback");
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void exportsAreOneCsvFileAndOneParquetFolder() throws IOException {
    Path exports = dir.resolve("out/exports");
    try (Stream<Path> files = Files.list(exports)) {
      assertEquals(List.of("customer_scores-2025-12-31.csv", "customer_scores-2025-12-31.parquet"),
          files.map(p -> p.getFileName().toString()).sorted().toList(), "no part folders, no leftovers");
    }
    assertTrue(Files.isRegularFile(exports.resolve("customer_scores-2025-12-31.csv")));
    assertTrue(console.contains("-> exports/customer_scores-2025-12-31.csv"), console);
  }

  @Test
  void csvReadBackWithGermanSettingsGivesTheInputValues() throws IOException, ParseException {
    byte[] bytes = Files.readAllBytes(dir.resolve("out/exports/customer_scores-2025-12-31.csv"));
    assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, java.util.Arrays.copyOf(bytes, 3), "UTF-8 BOM");
    List<List<String>> lines = parse(new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8), ';');
    assertEquals(List.of(CustomerScores.SCHEMA.fieldNames()), lines.get(0), "header");
    assertEquals(CUSTOMERS, lines.size() - 1, "one line per customer");
    NumberFormat german = NumberFormat.getInstance(Locale.GERMANY);
    ObjectMapper json = new ObjectMapper();
    for (int r = 0; r < CUSTOMERS; r++) {
      List<String> line = lines.get(r + 1);
      Row expected = input.get(r); // the file is ordered by customer_id, as the fixture is
      for (int i = 0; i < CustomerScores.SCHEMA.size(); i++) {
        StructField f = CustomerScores.SCHEMA.fields()[i];
        String cell = line.get(i);
        String where = "line " + (r + 2) + ", column " + f.name();
        if (expected.isNullAt(i)) {
          assertEquals("", cell, where);
          continue;
        }
        DataType t = f.dataType();
        if (t.equals(DataTypes.DoubleType)) {
          assertTrue(!cell.contains("."), where + ": no decimal point in " + cell);
          assertEquals(expected.getDouble(i), german.parse(cell).doubleValue(), 0.0, where);
        } else if (t.equals(DataTypes.IntegerType)) {
          assertEquals(expected.getInt(i), Integer.parseInt(cell), where);
        } else if (t.equals(DataTypes.DateType)) {
          assertEquals(expected.getDate(i).toLocalDate(), LocalDate.parse(cell), where);
        } else if (t.equals(DataTypes.StringType)) {
          assertEquals(expected.getString(i), cell, where);
        } else {
          JsonNode reasons = json.readTree(cell);
          @SuppressWarnings("unchecked")
          List<Row> rows = (List<Row>) expected.get(i); // the fixture builds rows with Java lists
          assertEquals(rows.size(), reasons.size(), where);
          for (int k = 0; k < rows.size(); k++) {
            JsonNode n = reasons.get(k);
            Row e = rows.get(k);
            assertEquals(e.getInt(0), n.get(CustomerScores.Reason.RANK).asInt(), where);
            assertEquals(e.getString(1), n.get(CustomerScores.Reason.DIRECTION).asText(), where);
            assertEquals(e.getString(2), n.get(CustomerScores.Reason.FEATURE).asText(), where);
            assertEquals(e.getDouble(3), n.get(CustomerScores.Reason.CONTRIBUTION).asDouble(), 0.0, where);
            assertEquals(e.getString(7), n.get(CustomerScores.Reason.TEXT_DE).asText(), where);
          }
        }
      }
    }
  }

  @Test
  void parquetExportHoldsEveryCustomer() {
    List<Row> rows = spark.read().parquet(dir.resolve("out/exports/customer_scores-2025-12-31.parquet").toString())
        .orderBy(CustomerScores.CUSTOMER_ID).collectAsList();
    assertEquals(CUSTOMERS, rows.size());
    assertEquals(input.get(17).getString(9), rows.get(17).getAs(CustomerScores.ABC_REASON_DE));
    assertTrue(rows.get(17).<String>getAs(CustomerScores.CHURN_REASONS).contains("üblich"));
  }

  @Test
  void databaseTableGetsTheRun() throws SQLException {
    assumeTrue(pgDown == null, "PostgreSQL is not reachable: " + pgDown);
    try (Connection c = DriverManager.getConnection(PG_URL, "postgres", ""); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT run_id), MIN(as_of) FROM " + TABLE)) {
      r.next();
      assertEquals(CUSTOMERS, r.getLong(1));
      assertEquals(1, r.getLong(2));
      assertEquals(AS_OF, r.getDate(3).toLocalDate());
    }
    assertTrue(console.contains("-> " + TABLE + " (" + CUSTOMERS + " changed"), console);
  }

  /**
   * The first run has neither payment_risk/invoices nor cross_sell/recommendations: the scores are
   * written, a flag per list says why it is not.
   */
  @Test
  void missingListsAreFlagsNotAFailure() throws IOException {
    assumeTrue(pgDown == null, "PostgreSQL is not reachable: " + pgDown);
    assertTrue(console.contains("-> " + TABLE + " (" + CUSTOMERS + " changed"), console);
    assertTrue(console.contains("the open-invoice list was not written to " + INVOICE_TABLE), console);
    assertTrue(console.contains("the cross-sell recommendation list was not written to " + CROSS_SELL_TABLE), console);
    JsonNode flags = manifest(dir.resolve("out")).path("flags");
    String message = flags.path(0).path("message").asText();
    assertTrue(message.contains("payment_risk/invoices/as_of=2025-12-31 (the payment_risk stage writes it)")
        && message.contains("The customer scores were written"), message);
    String crossSell = flags.path(1).path("message").asText();
    assertTrue(crossSell.contains("cross_sell/recommendations/as_of=2025-12-31 (the cross_sell stage writes it)")
        && crossSell.contains(CROSS_SELL_TABLE + " keeps its previous list")
        && crossSell.contains("bin/crm-analytics run --stages cross_sell,writeback"), crossSell);
    List<String> codes = new ArrayList<>();
    flags.forEach(f -> codes.add(f.path("stage").asText() + " " + f.path("code").asText()));
    assertEquals(List.of("writeback writeback.invoices_not_written", "writeback writeback.cross_sell_not_written"), codes,
        flags.toPrettyString());
  }

  @Test
  void invoiceListReachesItsTableWithTheScores() throws IOException, SQLException {
    assumeTrue(pgDown == null, "PostgreSQL is not reachable: " + pgDown);
    Path out = dir.resolve("with-invoices");
    ScoresFixture.frame(spark, input).write().parquet(out.resolve(Output.CUSTOMER_SCORES.at(AS_OF)).toString());
    List<Row> invoices = List.of(InvoicesFixture.row(0, AS_OF, java.math.BigDecimal.ZERO),
        InvoicesFixture.row(1, AS_OF, java.math.BigDecimal.ZERO), InvoicesFixture.row(2, AS_OF, java.math.BigDecimal.ONE));
    InvoicesFixture.frame(spark, invoices).write().parquet(out.resolve(Output.PAYMENT_RISK_INVOICES.at(AS_OF)).toString());
    String printed = run(config(out, "[jdbc]"));
    assertTrue(printed.contains("-> " + INVOICE_TABLE + " (3 open invoices, 3 changed, 0 no longer open removed)"),
        printed);
    try (Connection c = DriverManager.getConnection(PG_URL, "postgres", ""); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*), SUM(open_amount) FROM " + INVOICE_TABLE)) {
      r.next();
      assertEquals(3, r.getLong(1));
      assertEquals(0, new java.math.BigDecimal("3299.3702").compareTo(r.getBigDecimal(2)), "open amounts, exact");
    }
    List<String> codes = new ArrayList<>();
    manifest(out).path("flags").forEach(f -> codes.add(f.path("code").asText()));
    assertEquals(List.of("writeback.cross_sell_not_written"), codes, "only the cross-sell list is missing here");
  }

  @Test
  void crossSellListReachesItsTableWithTheScores() throws IOException, SQLException {
    assumeTrue(pgDown == null, "PostgreSQL is not reachable: " + pgDown);
    Path out = dir.resolve("with-cross-sell");
    ScoresFixture.frame(spark, input).write().parquet(out.resolve(Output.CUSTOMER_SCORES.at(AS_OF)).toString());
    List<Row> lists = CrossSellFixture.lists(AS_OF, 0, 4, 3);
    CrossSellFixture.frame(spark, lists).write().parquet(out.resolve(Output.CROSS_SELL_RECOMMENDATIONS.at(AS_OF))
        .toString());
    String printed = run(config(out, "[jdbc]"));
    assertTrue(printed.contains("-> " + CROSS_SELL_TABLE + " (12 recommendations, 12 changed, 0 no longer recommended "
        + "removed)"), printed);
    try (Connection c = DriverManager.getConnection(PG_URL, "postgres", ""); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT customer_id), SUM(euro_potential), "
            + "MIN(reason_de), MAX(as_of) FROM " + CROSS_SELL_TABLE)) {
      r.next();
      assertEquals(12, r.getLong(1));
      assertEquals(4, r.getLong(2));
      assertEquals(lists.stream().mapToDouble(x -> (Double) CrossSellFixture.value(x, "euro_potential")).sum(),
          r.getDouble(3), 1e-6, "€ potential");
      assertEquals(lists.stream().map(x -> (String) CrossSellFixture.value(x, "reason_de")).sorted().findFirst()
          .orElseThrow(), r.getString(4), "the German reason (language: de)");
      assertEquals(AS_OF, r.getDate(5).toLocalDate());
    }
    JsonNode flags = manifest(out).path("flags");
    List<String> codes = new ArrayList<>();
    flags.forEach(f -> codes.add(f.path("code").asText()));
    assertEquals(List.of("writeback.invoices_not_written"), codes, "only the invoice list is missing here");
  }

  /** The run's manifest (runs/<run_id>.json): the one run written under {@code out}. */
  static JsonNode manifest(Path out) throws IOException {
    try (Stream<Path> files = Files.walk(out)) {
      List<Path> manifests = files.filter(p -> p.getParent().getFileName().toString().equals("runs")
          && p.getFileName().toString().endsWith(".json")).toList();
      assertEquals(1, manifests.size(), "manifests under " + out + ": " + manifests);
      return new ObjectMapper().readTree(manifests.get(0).toFile());
    }
  }

  @Test
  void missingScoresSayWhichStageToRun() throws IOException {
    UserError e = assertThrows(UserError.class, () -> run(config(dir.resolve("empty-out"), "csv")));
    assertTrue(e.getMessage().contains("writeback needs customer_scores at ")
        && e.getMessage().contains("scores/customer_scores/as_of=2025-12-31")
        && e.getMessage().contains("run --stages scores,writeback"), e.getMessage());
  }

  /** An RFC 4180 reader, independent of the writer: quoted fields, doubled quotes, line breaks inside. */
  static List<List<String>> parse(String text, char sep) {
    List<List<String>> lines = new ArrayList<>();
    List<String> line = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == sep) {
        line.add(cell.toString());
        cell.setLength(0);
      } else if (c == '\n') {
        line.add(cell.toString());
        cell.setLength(0);
        lines.add(line);
        line = new ArrayList<>();
      } else {
        cell.append(c);
      }
    }
    if (cell.length() > 0 || !line.isEmpty()) {
      line.add(cell.toString());
      lines.add(line);
    }
    return lines;
  }
}
