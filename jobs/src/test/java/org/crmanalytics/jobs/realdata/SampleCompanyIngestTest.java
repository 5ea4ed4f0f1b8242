package org.crmanalytics.jobs.realdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.SampleCompany;
import org.crmanalytics.jobs.ingest.IngestHarness;
import org.crmanalytics.jobs.ingest.IngestHarness.Result;
import org.crmanalytics.models.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start ingests the bundled sample: the generated files are clean, and the rows
 * of data-samples/company/bad-rows/ (bad on purpose, to show the gate at work) are quarantined,
 * each for its own rule, while every generated row reaches silver and no row is lost.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class SampleCompanyIngestTest {
  /** Every row of data-samples/company/bad-rows/: table | key | rule | reason, as the quarantine holds it. */
  private static final List<String> BAD_ROWS = List.of(
      "customers | customer_id= | customers.customer_id.missing | customer_id missing",
      "customers | customer_id=K000001 | customers.duplicate_key | duplicate key (customer_id): the first row with this key was kept",
      "customers | customer_id=K001001 | customers.created_at.type | created_at is not a date in format yyyy-MM-dd",
      "payments | payment_id=ZE2025-0999999-1 | payments.invoice_or_customer | payment names neither an invoice "
          + "(invoice_id) nor a customer (customer_id): it cannot be attributed to anyone",
      "sales | order_id=A2025-0999005, line_no=1 | sales.duplicate_key | duplicate key (order_id, line_no): "
          + "the first row with this key was kept",
      "sales | order_id=A2025-0999901, line_no=1 | sales.customer_id.reference | customer_id not found in customers",
      "sales | order_id=A2025-0999902, line_no=1 | sales.sign | quantity or net_amount has the wrong sign for its "
          + "line_type (orders are positive, returns negative)",
      "sales | order_id=A2025-0999903, line_no=1 | sales.order_date.type | order_date is not a date in format yyyy-MM-dd");

  private static SparkSession spark;
  private static Result run;

  @TempDir static Path out;

  @BeforeAll
  static void ingestTheSample(SparkSession session) {
    spark = session;
    run = new IngestHarness(spark).run(
        IngestHarness.load(Path.of("..", "data-samples", "mappings", "sample.yaml")).withOutput(out));
  }

  private static long badRows(String table) {
    return BAD_ROWS.stream().filter(r -> r.startsWith(table + " |")).count();
  }

  @Test
  void quarantinesExactlyTheBadRowsWithTheirRules() {
    List<String> quarantined = new ArrayList<>();
    for (String table : run.config().tables().keySet()) {
      for (Row r : run.quarantine(table).select("key", "rule", "reason", "source_file").collectAsList()) {
        quarantined.add(table + " | " + r.getString(0) + " | " + r.getString(1) + " | " + r.getString(2));
        // A duplicate's copy in bad-rows/ is rejected, not the generated row it copies (source order).
        assertTrue(r.getString(3).endsWith("/bad-rows/" + table + ".csv"), "quarantined from " + r.getString(3));
      }
    }
    assertEquals(BAD_ROWS, quarantined.stream().sorted().toList());
  }

  /** read = accepted + quarantined, against an independent count of the files the mapping names. */
  @Test
  void losesNoRowAndKeepsEveryGeneratedRow() {
    for (var table : run.config().tables().entrySet()) {
      String name = table.getKey();
      long lines = spark.read().option("header", true).csv(table.getValue().path().orElseThrow()).count();
      long generated = SampleCompany.table(spark, name).count();
      assertEquals(lines, generated + badRows(name), name + ": the mapping reads the generated file and bad-rows/");
      run.assertAccounted(name, lines, generated, badRows(name));
    }
  }

  @Test
  void theReportListsTheRulesThatFired() throws IOException {
    String report;
    try (Stream<Path> files = Files.list(run.output().resolve("reports"))) {
      report = Files.readString(files.filter(p -> p.getFileName().toString().startsWith("data-quality-"))
          .findFirst().orElseThrow());
    }
    assertTrue(report.contains("All tables within their thresholds; silver tables were updated."), report);
    assertFalse(report.contains("no-rule-fired"), "rules fired");
    for (String row : BAD_ROWS) {
      String rule = row.split(" \\| ")[2];
      assertTrue(report.contains("data-rule=\"" + rule + "\""), rule + " is not in the report");
    }
  }
}
