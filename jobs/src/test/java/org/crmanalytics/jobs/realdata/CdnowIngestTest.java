package org.crmanalytics.jobs.realdata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.ingest.IngestHarness;
import org.crmanalytics.jobs.ingest.IngestHarness.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest of the real CDNOW master file (Fader &amp; Hardie; the CDNOW data set from
 * brucehardie.com, via the public copies listed in ../shared/datasets/README.md) through the
 * bundled mapping data-samples/mappings/cdnow.yaml: whitespace-aligned text with CRLF line ends
 * and a header line. Expected values are computed here from the raw file with plain Java.
 */
@Tag("spark")
@Tag("realdata")
@ExtendWith(SharedSpark.class)
class CdnowIngestTest {
  private static final String FILE = "cdnow/CDNOW_master.txt";
  private static final String SOURCE = "CDNOW purchase histories (Fader & Hardie, brucehardie.com)";

  private static SparkSession spark;
  private static Result run;
  private static RawFacts raw;

  @TempDir static Path out;

  record RawFacts(long lines, long customers, BigDecimal dollars, long cds) {}

  private static Path file;

  @BeforeAll
  static void ingest(SparkSession session) throws IOException {
    file = RealData.find(FILE, SOURCE);
    if (file == null) {
      return;
    }
    raw = readRaw(file);
    spark = session;
    run = new IngestHarness(spark).run(RealData.mapping("cdnow.yaml", out));
  }

  @BeforeEach
  void needsTheDataSet() {
    RealData.assumePresent(file, FILE, SOURCE);
  }

  @Test
  void theRawFileHasThePublishedFacts() {
    assertEquals(69_659, raw.lines(), "transactions");
    assertEquals(23_570, raw.customers(), "customers");
  }

  @Test
  void everyPurchaseIsAccepted() {
    run.assertAccounted("sales", 69_659, 69_659, 0);
    run.assertAccounted("customers", 23_570, 23_570, 0);
    assertEquals(Map.of(), run.rejectedByRule("sales"));
    assertEquals("succeeded", run.manifest().get("status").asText());
  }

  @Test
  void dollarsAndCdsSumToTheRawFile() {
    Row sums = run.silver("sales").selectExpr("sum(net_amount)", "sum(quantity)").first();
    assertEquals(0, raw.dollars().compareTo(sums.getDecimal(0)),
        "sum(net_amount) " + sums.getDecimal(0) + " vs raw dollar_value " + raw.dollars());
    assertEquals(0, BigDecimal.valueOf(raw.cds()).compareTo(sums.getDecimal(1)),
        "sum(quantity) " + sums.getDecimal(1) + " vs raw number_of_cds " + raw.cds());
  }

  @Test
  void purchasesOfOneDayFormOneOrderWithNumberedLines() {
    Row r = run.silver("sales").selectExpr("count(DISTINCT order_id)", "count(DISTINCT customer_id)",
        "min(order_date)", "max(order_date)", "max(line_no)").first();
    assertEquals(23_570, r.getLong(1), "customers with purchases");
    assertEquals("1997-01-01", r.get(2).toString(), "first purchase");
    assertEquals("1998-06-30", r.get(3).toString(), "last purchase");
    assertEquals(0, run.silver("sales").groupBy("order_id", "line_no").count().filter("count > 1").count(),
        "(order_id, line_no) is unique");
  }

  private static RawFacts readRaw(Path file) throws IOException {
    long lines = 0;
    long cds = 0;
    Set<String> customers = new HashSet<>();
    BigDecimal dollars = BigDecimal.ZERO;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
      String header = in.readLine();
      if (header == null || !header.trim().startsWith("customer_id")) {
        throw new IllegalStateException("unexpected header: " + header);
      }
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.trim().split("\\s+");
        if (f.length != 4) {
          throw new IllegalStateException("line " + (lines + 2) + ": " + line);
        }
        lines++;
        customers.add(f[0]);
        cds += Long.parseLong(f[2]);
        dollars = dollars.add(new BigDecimal(f[3]));
      }
    }
    return new RawFacts(lines, customers.size(), dollars, cds);
  }
}
