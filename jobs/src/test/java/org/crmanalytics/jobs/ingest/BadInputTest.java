package org.crmanalytics.jobs.ingest;

import static org.crmanalytics.jobs.ingest.IngestHarness.config;
import static org.crmanalytics.jobs.ingest.IngestHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.ingest.IngestHarness.Failure;
import org.crmanalytics.jobs.ingest.IngestHarness.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest of broken exports, end to end on tiny files: each case states exactly how many rows were
 * read, accepted and quarantined, why, and that nothing was lost (manifest, silver and quarantine
 * agree). Rules are allowed any share here ({@code max_rejected_percent: 100}) unless the
 * threshold itself is under test.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class BadInputTest {
  private static final String CUSTOMERS = """
      customer_id,name,employees,created_at
      C1,Alpha GmbH,10,2020-01-01
      C2,Beta AG,20,2021-06-30
      """;
  private static final String SALES_HEADER = "order_id,line_no,customer_id,order_date,net_amount\n";
  private static final String SALES = SALES_HEADER + """
      O1,1,C1,2024-05-01,100.50
      O2,1,C2,2024-06-01,20
      """;
  private static final String CONFIG = """
      as_of: 2024-12-31
      output: out
      tables:
        customers: {path: customers.csv}
        sales: {path: sales.csv}
      quality:
        max_rejected_percent: 100
        max_data_age_days: 366
      """;

  private static SparkSession spark;
  private static IngestHarness harness;

  @TempDir Path dir;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
    harness = new IngestHarness(spark);
  }

  /** customers.csv, sales.csv and config.yaml in the test's folder. */
  private Path fixture(String customers, String sales) {
    return fixture(customers, sales, CONFIG);
  }

  private Path fixture(String customers, String sales, String yaml) {
    write(dir.resolve("customers.csv"), customers);
    write(dir.resolve("sales.csv"), sales);
    return config(dir, yaml);
  }

  private static String reportOf(Result r) {
    try (Stream<Path> files = Files.list(r.output().resolve("reports"))) {
      Path report = files.filter(p -> p.getFileName().toString().startsWith("data-quality-")).findFirst().orElseThrow();
      return Files.readString(report);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void assertContains(String text, String... parts) {
    for (String p : parts) {
      assertTrue(text.contains(p), "should contain '" + p + "' but was: " + text);
    }
  }

  private static List<String> strings(List<Row> rows) {
    List<String> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.mkString("|")));
    return out;
  }

  /** A run that stopped before committing anything: no silver, no quarantine, no staging left. */
  private static void assertNothingCommitted(Failure f) {
    Path out = f.outputs().output();
    assertFalse(Files.exists(out.resolve("silver")), "no silver may be written");
    assertFalse(Files.exists(out.resolve("quarantine")), "no quarantine may be written");
    assertFalse(Files.exists(out.resolve("_staging")), "staging must be cleaned up");
    assertNotNull(f.manifest(), "the manifest of a failed run is written");
    assertEquals("failed", f.manifest().get("status").asText());
    assertEquals(f.message(), f.manifest().get("error").asText(), "the manifest records the error");
  }

  // ---------------------------------------------------------------- structure errors

  @Test
  void aWrongDelimiterStopsTheRunWithADelimiterHint() {
    Failure f = harness.fail(fixture("customer_id;name\nC1;Alpha GmbH\n", SALES));
    assertContains(f.message(), "table customers", "required column customer_id is missing",
        "Columns found: customer_id;name.", "The header looks ';'-separated",
        "set tables.customers.csv.delimiter: \";\"");
    assertFalse(f.message().contains("Alpha"), "no data in the message: " + f.message());
    assertNothingCommitted(f);
  }

  @Test
  void aMissingRequiredColumnStopsTheRunBeforeDataIsRead() {
    Failure f = harness.fail(fixture(CUSTOMERS, "order_id,line_no,customer_id,net_amount\nO1,1,C1,10\n"));
    assertContains(f.message(), "table sales", "required column order_date is missing",
        "Columns found: order_id, line_no, customer_id, net_amount.", "tables.sales.columns");
    assertFalse(f.message().contains("delimiter"), "no delimiter hint for a real missing column: " + f.message());
    assertNothingCommitted(f);
  }

  @Test
  void aMappedColumnThatIsNotInTheFileNamesItsKey() {
    Failure f = harness.fail(fixture(CUSTOMERS, SALES, CONFIG.replace("sales: {path: sales.csv}",
        "sales: {path: sales.csv, columns: {order_date: Belegdatum}}")));
    assertContains(f.message(), "tables.sales.columns.order_date", "has no column 'Belegdatum'",
        "Columns found: order_id, line_no, customer_id, order_date, net_amount.");
    assertNothingCommitted(f);
  }

  @Test
  void anExpressionOverAMissingColumnNamesItsKey() {
    Failure f = harness.fail(fixture(CUSTOMERS, SALES, CONFIG.replace("sales: {path: sales.csv}",
        "sales: {path: sales.csv, columns: {net_amount: {expr: \"Betrag * 2\"}}}")));
    assertContains(f.message(), "tables.sales.columns.net_amount", "Betrag",
        "Columns found: order_id, line_no, customer_id, order_date, net_amount.");
    assertNothingCommitted(f);
  }

  @Test
  void aColumnNamedTwiceInTheHeaderIsAnError() {
    Failure f = harness.fail(fixture("customer_id,name,name\nC1,Alpha,Beta\n", SALES));
    assertContains(f.message(), "tables.customers", "has the column 'name' twice in its header");
    assertNothingCommitted(f);
  }

  @Test
  void anEmptyFileIsAClearErrorNamingTheFile() {
    Failure f = harness.fail(fixture("", SALES));
    assertContains(f.message(), "tables.customers", dir.resolve("customers.csv").toString(), "is empty");
    assertNothingCommitted(f);
  }

  /** Found before Spark starts and before any table is read: no run begins, no manifest, nothing written. */
  @Test
  void aMissingFileNamesTheKeyAndThePathBeforeTheRunBegins() {
    Path config = fixture("customer_id,name\nC1,Alpha\n", SALES_HEADER);
    Path missing = dir.resolve("sales.csv");
    assertTrue(missing.toFile().delete());
    Failure f = harness.fail(config);
    assertContains(f.message(), "tables.sales.path: nothing found at " + missing, "check the path");
    assertNull(f.manifest(), "refused before the run began");
    assertFalse(f.console().contains("ingest customers"), "no table was read:\n" + f.console());
    assertFalse(Files.exists(f.outputs().output()), "nothing written");
  }

  @Test
  void anOutputFolderThatCannotBeWrittenIsRefusedBeforeTheRunBegins() throws Exception {
    Path config = fixture("customer_id,name\nC1,Alpha\n", SALES);
    Path file = dir.resolve("not-a-folder");
    Files.writeString(file, "x");
    PipelineConfig cfg = IngestHarness.load(config);
    PipelineConfig elsewhere = cfg.withOutput(file.resolve("out").toString());
    Failure f = harness.fail(elsewhere);
    assertContains(f.message(), "output " + file.resolve("out") + " cannot be written: " + file + " is a file, not a folder",
        "choose another folder (--out or 'output' in the config)");
    assertNull(f.manifest(), "refused before the run began");
  }

  @Test
  void aHeaderOnlyFileIsZeroRowsAndTheRunSucceeds() {
    Result r = harness.run(fixture("customer_id,name\n", SALES_HEADER));
    assertEquals("succeeded", r.manifest().get("status").asText());
    r.assertAccounted("customers", 0, 0, 0);
    r.assertAccounted("sales", 0, 0, 0);
  }

  // ---------------------------------------------------------------- keys and references

  @Test
  void theFirstRowOfADuplicateKeyIsKeptAndLaterOnesQuarantined() {
    String customers = """
        customer_id,name,employees
        C1,Alpha first,10
        C2,Beta,20
        C1,Alpha second,11
        C3,Gamma broken,viele
        C3,Gamma good,30
        C1,Alpha third,12
        """;
    String sales = SALES_HEADER + """
        O1,1,C1,2024-05-01,10
        O1,1,C2,2024-05-02,20
        O2,1,C3,2024-05-03,30
        """;
    Result r = harness.run(fixture(customers, sales));
    r.assertAccounted("customers", 6, 3, 3);
    assertEquals(List.of("C1|Alpha first", "C2|Beta", "C3|Gamma good"),
        strings(r.silver("customers").orderBy("customer_id").select("customer_id", "name").collectAsList()),
        "the first of each key in file order; a broken row never displaces a good one");
    assertEquals(Map.of("customers.duplicate_key", 2L, "customers.employees.type", 1L), r.rejectedByRule("customers"));
    assertEquals(List.of("customers.duplicate_key|customer_id=C1|Alpha second",
            "customers.duplicate_key|customer_id=C1|Alpha third", "customers.employees.type|customer_id=C3|Gamma broken"),
        strings(r.quarantine("customers").orderBy("rule", "source_position")
            .selectExpr("rule", "key", "get_json_object(source_row, '$.name')").collectAsList()));
    assertOwnerOnly(r.quarantinePath("customers"));
    r.assertAccounted("sales", 3, 2, 1);
    assertEquals(List.of("sales.duplicate_key|order_id=O1, line_no=1|C2"),
        strings(r.quarantine("sales").selectExpr("rule", "key", "get_json_object(source_row, '$.customer_id')")
            .collectAsList()), "the later line of order O1 / line 1");
  }

  @Test
  void keysThatDifferOnlyInTheirWritingAreDuplicates() {
    // Duplicates are found on the converted key: a padded id and a zero-padded line number
    // name the same record as the plain ones.
    String customers = """
        customer_id,name,employees
        C1,Alpha first,10
        " C1 ",Alpha padded,11
        C2,Beta,20
        """;
    String sales = SALES_HEADER + """
        O1,1,C1,2024-05-01,10
        O1,01,C2,2024-05-02,20
        O1,2,C2,2024-05-03,30
        """;
    Result r = harness.run(fixture(customers, sales));
    r.assertAccounted("customers", 3, 2, 1);
    assertEquals(List.of("customers.duplicate_key|Alpha padded"),
        strings(r.quarantine("customers").selectExpr("rule", "get_json_object(source_row, '$.name')").collectAsList()));
    r.assertAccounted("sales", 3, 2, 1);
    assertEquals(List.of("sales.duplicate_key|C2|2024-05-02"),
        strings(r.quarantine("sales").selectExpr("rule", "get_json_object(source_row, '$.customer_id')",
            "get_json_object(source_row, '$.order_date')").collectAsList()));
  }

  @Test
  void salesOfUnknownOrQuarantinedCustomersAreOrphans() {
    String customers = """
        customer_id,name,employees
        C1,Alpha,10
        C2,Beta,-5
        """;
    String sales = SALES_HEADER + """
        O1,1,C1,2024-05-01,10
        O2,1,C9,2024-05-02,20
        O3,1,C2,2024-05-03,30
        O4,1, ,2024-05-04,40
        """;
    Result r = harness.run(fixture(customers, sales));
    r.assertAccounted("customers", 2, 1, 1);
    assertEquals(Map.of("customers.employees.range", 1L), r.rejectedByRule("customers"));
    r.assertAccounted("sales", 4, 1, 3);
    assertOwnerOnly(r.quarantinePath("sales"));
    assertOwnerOnly(r.silverPath("customers")); // holds customers.name, personal data
    assertNotEquals("rwx------", permissions(r.silverPath("sales")), "sales has no personal column");
    assertEquals(Map.of("sales.customer_id.reference", 2L, "sales.customer_id.missing", 1L), r.rejectedByRule("sales"));
    assertEquals(List.of("O2|sales.customer_id.reference|customer_id not found in customers",
            "O3|sales.customer_id.reference|customer_id not found in customers",
            "O4|sales.customer_id.missing|customer_id missing"),
        strings(r.quarantine("sales").orderBy("key")
            .selectExpr("get_json_object(source_row, '$.order_id')", "rule", "reason").collectAsList()));
    assertManifestCountsWithIntegers(r);
    assertEquals(0, r.table("sales").get("rules").get("sales.order_date.type").asLong(),
        "every error rule is listed, also at 0");
  }

  /** read, accepted, quarantined and every count under rules and warnings are JSON integers. */
  private static void assertManifestCountsWithIntegers(Result r) {
    assertEquals("succeeded", r.manifest().get("status").asText());
    assertEquals("2024-12-31", r.manifest().get("as_of").asText());
    JsonNode jvm = r.manifest().get("driver_jvm");
    long peak = jvm.get("heap_peak_after_gc_bytes").asLong();
    assertTrue(peak > 0 && peak <= jvm.get("heap_max_bytes").asLong(), "heap peak within the heap: " + jvm);
    for (String table : List.of("customers", "sales")) {
      JsonNode t = r.table(table);
      for (String field : List.of("read", "accepted", "quarantined")) {
        assertTrue(t.get(field).isIntegralNumber(), table + "." + field + ": " + t.get(field));
      }
      for (String section : List.of("rules", "warnings")) {
        assertTrue(t.get(section).isObject(), table + "." + section + ": " + t.get(section));
        for (Iterator<Map.Entry<String, JsonNode>> it = t.get(section).fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          assertTrue(e.getValue().isIntegralNumber(), table + "." + section + "." + e.getKey() + ": " + e.getValue());
        }
      }
    }
  }

  private static String permissions(Path p) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Quarantine holds raw customer data: folder rwx------, every file rw-------. */
  static void assertOwnerOnly(Path quarantine) {
    try {
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(quarantine)),
          quarantine.toString());
      try (Stream<Path> files = Files.walk(quarantine)) {
        List<Path> all = files.filter(Files::isRegularFile).toList();
        assertTrue(all.stream().anyMatch(f -> f.toString().endsWith(".parquet")), "parquet files in " + quarantine);
        for (Path f : all) {
          assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------- values

  @Test
  void garbageRowsDatesAndNumbersAreQuarantinedAndTheFirstRuleIsTheReason() {
    String sales = SALES_HEADER + """
        O1,1,C1,2024-05-01,10.50
        O2,1,C1,01.05.2024,10.50
        O3,1,C1,2024-02-30,10.50
        O4,1,C1,2024-05-01,zehn
        O5,1,C1,kaputt,"12,50 EUR"
        O6,eins,C1,2024-05-01,3
        O7,1,C1,2024-05-01,3,surplus
        O8,1,C1,2024-05-01
        """;
    Result r = harness.run(fixture(CUSTOMERS, sales));
    r.assertAccounted("sales", 8, 1, 7);
    assertEquals(Map.of("sales.order_date.type", 3L, "sales.net_amount.type", 1L, "sales.line_no.type", 1L,
        "sales.malformed_record", 2L), r.rejectedByRule("sales"), "O7 has a field too many, O8 one too few");
    assertEquals(r.rejectedByRule("sales"), r.quarantineRules("sales"), "manifest and quarantine agree");
    Row o5 = r.quarantine("sales").filter("key = 'order_id=O5, line_no=1'").first();
    assertEquals("sales.order_date.type", o5.getAs("rule"), "the first rule broken, in column order");
    assertEquals("order_date is not a date in format yyyy-MM-dd", o5.getAs("reason"));
    assertEquals(List.of("sales.order_date.type", "sales.net_amount.type"), o5.getList(o5.fieldIndex("violations")),
        "every rule the row breaks");
    assertEquals("{\"order_id\":\"O5\",\"line_no\":\"1\",\"customer_id\":\"C1\",\"order_date\":\"kaputt\","
        + "\"net_amount\":\"12,50 EUR\"}", o5.getAs("source_row"), "the raw row as JSON");
    assertTrue(o5.<String>getAs("source_file").endsWith("/sales.csv"), o5.<String>getAs("source_file"));
    assertNotNull(o5.getAs("source_position"));
    assertEquals(List.of("1|2024-05-01|10.5000"),
        strings(r.silver("sales").selectExpr("line_no", "order_date", "net_amount").collectAsList()));
  }

  @Test
  void datesAfterAsOfAreCountedApartNotQuarantinedAndAsOfItselfIsKept() {
    String customers = """
        customer_id,name,created_at
        C1,Alpha,2024-12-31
        C2,Beta,2025-01-01
        """;
    String sales = SALES_HEADER + """
        O1,1,C1,2024-12-31,10
        O2,1,C1,2025-01-01,20
        O3,1,C2,2024-06-01,30
        """;
    Result r = harness.run(fixture(customers, sales));
    r.assertAccounted("customers", 2, 1, 0, 1);
    assertEquals(Map.of(), r.rejectedByRule("customers"));
    assertEquals(1L, r.table("customers").path("after_as_of_rules").path("customers.created_at.after_as_of").asLong());
    // O3 (June 2024) names a customer created only in 2025: that is bad data, not future data.
    r.assertAccounted("sales", 3, 1, 1, 1);
    assertEquals(Map.of("sales.customer_id.reference", 1L), r.rejectedByRule("sales"));
    assertEquals(Map.of("sales.customer_id.reference", 1L), r.quarantineRules("sales"));
    assertEquals(List.of("O1"), r.silverValues("sales", "order_id", "order_id"));
    assertContains(r.console(), "1 after as_of 2024-12-31 (not yet known; left for a later run)");
    String report = reportOf(r);
    assertContains(report, "<th>after as_of</th>", "read = accepted + quarantined + after as_of");
  }

  @Test
  void paymentsAndDunningNoticesOfUnknownInvoicesAreQuarantinedWithTheirRule() {
    write(dir.resolve("invoices.csv"), """
        invoice_id,customer_id,invoice_date,due_date,amount
        R1,C1,2024-05-02,2024-06-01,100.50
        """);
    write(dir.resolve("payments.csv"), """
        payment_id,invoice_id,paid_at,amount
        P1,R1,2024-06-03,100.50
        P2,R9,2024-06-04,50
        """);
    write(dir.resolve("dunning_notices.csv"), """
        invoice_id,level,sent_at
        R1,1,2024-06-15
        R9,1,2024-06-15
        R1,2,2025-01-10
        """);
    Result r = harness.run(fixture(CUSTOMERS, SALES, CONFIG.replace("  sales: {path: sales.csv}\n",
        "  sales: {path: sales.csv}\n  invoices: {path: invoices.csv}\n  payments: {path: payments.csv}\n"
            + "  dunning_notices: {path: dunning_notices.csv}\n")));
    r.assertAccounted("payments", 2, 1, 1, 0);
    assertEquals(Map.of("payments.invoice_id.reference", 1L), r.rejectedByRule("payments"));
    assertEquals(List.of("P1"), r.silverValues("payments", "payment_id", "payment_id"));
    // A reminder sent after as_of is not yet known: counted apart, not quarantined.
    r.assertAccounted("dunning_notices", 3, 1, 1, 1);
    assertEquals(Map.of("dunning_notices.invoice_id.reference", 1L), r.rejectedByRule("dunning_notices"));
  }

  @Test
  void anAsOfFarAfterTheNewestSaleStopsTheRunNamingTheDatesAndTheKey() {
    // The newest sale is 2024-06-01; as_of 2024-12-31 is 213 days later.
    Failure f = harness.fail(fixture(CUSTOMERS, SALES, CONFIG.replace("max_data_age_days: 366", "max_data_age_days: 200")));
    assertEquals("as_of 2024-12-31 is 213 days after the newest sale (2024-06-01 in csv " + dir.resolve("sales.csv")
        + "), more than quality.max_data_age_days (200): the scores would describe a time the data does not reach. "
        + "Give --as-of 2024-06-01 or a date up to 200 days after it, load newer data, or raise "
        + "quality.max_data_age_days", f.message());
    assertTrue(f.error() instanceof org.crmanalytics.jobs.base.RunRefused, "the run stops at once");
    assertNothingCommitted(f);
    // At the margin itself (91 days from 2024-06-01 to 2024-08-31) the same data runs.
    harness.run(fixture(CUSTOMERS, SALES, CONFIG.replace("as_of: 2024-12-31", "as_of: 2024-08-31")
        .replace("max_data_age_days: 366", "max_data_age_days: 91"))).assertAccounted("sales", 2, 2, 0, 0);
  }

  @Test
  void rowsAfterAsOfNeverStopTheRunWhateverTheirShare() {
    // A backfill: today's export read as of an earlier date. Two of three sales are not yet known.
    String sales = SALES_HEADER + """
        O1,1,C1,2024-05-01,10
        O2,1,C1,2025-01-01,20
        O3,1,C2,2025-03-01,30
        """;
    Result r = harness.run(fixture(CUSTOMERS, sales, CONFIG.replace("max_rejected_percent: 100", "max_rejected_percent: 5")));
    r.assertAccounted("sales", 3, 1, 0, 2);
    assertFalse(r.table("sales").path("checks").toString().contains("\"breached\":true"), r.table("sales").toString());
  }

  @Test
  void aWarningKeepsTheRowAndIsCountedUnderWarnings() {
    String sales = SALES_HEADER + """
        O1,1,C1,2024-12-31,10
        O2,1,C1,2025-01-01,20
        O3,1,C1,2025-02-01,kaputt
        """;
    Result r = harness.run(fixture(CUSTOMERS, sales, CONFIG + """
          rules:
            sales.order_date.after_as_of: {level: warn}
        """));
    r.assertAccounted("sales", 3, 2, 1);
    assertEquals(Map.of("sales.order_date.after_as_of", 1L), r.warnings("sales"),
        "O2 is kept with a warning; O3 breaks an error rule as well and is quarantined");
    assertEquals(Map.of("sales.net_amount.type", 1L), r.rejectedByRule("sales"));
    assertFalse(r.table("sales").get("rules").has("sales.order_date.after_as_of"),
        "a warning is not an error rule: " + r.table("sales").get("rules"));
    assertEquals(List.of("O1|2024-12-31", "O2|2025-01-01"),
        strings(r.silver("sales").orderBy("order_id").select("order_id", "order_date").collectAsList()));
    assertEquals(List.of("sales.net_amount.type", "sales.order_date.after_as_of"),
        r.quarantine("sales").first().getList(r.quarantine("sales").first().fieldIndex("violations")),
        "the quarantined row lists the warning it also breaks");
    assertContains(r.console(), "1 warnings");
  }

  // ---------------------------------------------------------------- threshold

  @Test
  void aBreachedThresholdFailsTheRunAndKeepsThePreviousSilver() throws IOException {
    Path out = dir.resolve("shared-out");
    Path good = dir.resolve("good");
    write(good.resolve("customers.csv"), CUSTOMERS);
    write(good.resolve("sales.csv"), SALES_HEADER + "OLD,1,C1,2024-01-01,1\n");
    String yaml = CONFIG.replace("max_rejected_percent: 100", """
        max_rejected_percent: 5
          rules:
            sales.customer_id.missing: {max_percent: 10}""");
    PipelineConfig first = IngestHarness.load(config(good, yaml)).withOutput(out);
    harness.run(first);

    Path bad = dir.resolve("bad");
    write(bad.resolve("customers.csv"), CUSTOMERS);
    write(bad.resolve("sales.csv"), SALES_HEADER + """
        N1,1,C1,2024-05-01,10
        N2,1,,2024-05-02,20
        N3,1,C2,2024-05-03,30
        N4,1,,2024-05-04,40
        """);
    Failure f = harness.fail(IngestHarness.load(config(bad, yaml)).withOutput(out));
    assertContains(f.message(), "the quality gate stopped the run; silver was not updated",
        "sales: 2 of 4 rows (50.00 %) rejected by sales.customer_id.missing (\"customer_id missing\"), threshold 10.00 %");
    assertEquals("failed", f.manifest().get("status").asText());
    JsonNode sales = f.manifest().get("tables").get("sales");
    assertEquals(4, sales.get("read").asLong());
    assertEquals(2, sales.get("quarantined").asLong());
    assertEquals(2, sales.get("rules").get("sales.customer_id.missing").asLong());

    Result after = f.outputs();
    assertEquals(List.of("OLD"), after.silverValues("sales", "order_id", "order_id"),
        "silver still holds the previous run's sales");
    assertEquals(List.of("N2", "N4"), strings(after.quarantine("sales").orderBy("source_position")
        .selectExpr("get_json_object(source_row, '$.order_id')").collectAsList()), "quarantine of the failed run");
    assertFalse(Files.exists(out.resolve("_staging")), "staging cleaned up");
    try (Stream<Path> reports = Files.list(out.resolve("reports"))) {
      assertEquals(2, reports.filter(p -> p.getFileName().toString().endsWith(".html")).count(),
          "a quality report per run");
    }
  }

  // ---------------------------------------------------------------- outputs

  @Test
  void noCustomerDataReachesTheConsoleOrTheLog() throws IOException {
    String secretName = "Zacharias Geheimname";
    String brokenName = "Ölmühle Unverwechselbar";
    write(dir.resolve("customers.csv"), "customer_id,name\nC1," + secretName + "\nC2," + brokenName + "\n",
        StandardCharsets.ISO_8859_1);
    write(dir.resolve("sales.csv"), SALES_HEADER + "O1,1,C1,2024-05-01,10\nO2,1,C1,2024-05-01,kaputt-4711\n");
    write(dir.resolve("activities.csv"), """
        activity_id,customer_id,type,occurred_at,notes
        A1,C1,visit,2024-05-01 10:00:00,Kunde droht mit Kündigung-XYZ
        A2,C1,call,2024-05-01 11:00:00,Kunde droht mit Kündigung-XYZ
        A2,C1,call,2024-05-01 11:00:00,Zweitnotiz-QRS
        """);
    Path yaml = config(dir, CONFIG.replace("sales: {path: sales.csv}",
        "sales: {path: sales.csv}\n  activities: {path: activities.csv}"));

    StringWriter log = new StringWriter();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    WriterAppender appender = WriterAppender.newBuilder().setName("capture").setTarget(log)
        .setLayout(PatternLayout.newBuilder().withPattern("%p %c: %m%n").build()).build();
    appender.start();
    ctx.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
    ctx.getConfiguration().getLoggerConfig("org.crmanalytics").addAppender(appender, Level.ALL, null);
    ctx.updateLoggers();
    Result r;
    try {
      r = harness.run(yaml);
    } finally {
      ctx.getConfiguration().getRootLogger().removeAppender("capture");
      ctx.getConfiguration().getLoggerConfig("org.crmanalytics").removeAppender("capture");
      ctx.updateLoggers();
      appender.stop();
    }
    r.assertAccounted("customers", 2, 1, 1);
    r.assertAccounted("sales", 2, 1, 1);
    r.assertAccounted("activities", 3, 2, 1);
    assertContains(r.console(), "ingest customers", "ingest sales", "ingest activities", "customers.encoding");
    String report;
    try (Stream<Path> s = Files.list(r.output().resolve("reports"))) {
      report = Files.readString(s.filter(p -> p.getFileName().toString().matches("data-quality-.*\\.html"))
          .findFirst().orElseThrow());
    }
    for (String leaked : List.of("Zacharias", "Geheimname", "Unverwechselbar", "hle Unv", "kaputt-4711",
        "Kündigung", "XYZ", "Zweitnotiz")) {
      assertFalse(r.console().contains(leaked), "console shows '" + leaked + "':\n" + r.console());
      assertFalse(log.toString().contains(leaked), "log shows '" + leaked + "':\n" + log);
      assertFalse(report.contains(leaked), "quality report shows '" + leaked + "'");
    }
  }
}
