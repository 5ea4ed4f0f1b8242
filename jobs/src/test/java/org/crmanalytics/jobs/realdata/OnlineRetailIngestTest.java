package org.crmanalytics.jobs.realdata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.ingest.IngestHarness.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Ingest of the real UCI Online Retail file (UCI Machine Learning Repository, data set 352,
 * "Online Retail", Chen, Sain & Guo 2012, CC BY 4.0) through the bundled mapping
 * data-samples/mappings/online-retail.yaml. Every one of the 541,909 lines must be accounted for,
 * and the money must reconcile with the published total: the expected values are computed here
 * from the raw gz file with plain Java, not with the pipeline.
 */
@Tag("spark")
@Tag("realdata")
@ExtendWith(SharedSpark.class)
class OnlineRetailIngestTest {
  private static final String FILE = "online-retail/online_retail_2010-2011.csv.gz";
  private static final String SOURCE = "UCI Online Retail (UCI Machine Learning Repository data set 352, CC BY 4.0)";

  private static SparkSession spark;
  private static Result run;
  private static RawFacts raw;

  /** What the raw file says, counted without Spark. */
  record RawFacts(long rows, long withoutCustomer, long customers, long stockCodes, long returnLinesWithCustomer,
      BigDecimal total) {}

  private static Path file;

  @BeforeAll
  static void ingest(SparkSession session) throws IOException {
    file = RealData.find(FILE, SOURCE);
    if (file == null) {
      return;
    }
    raw = readRaw(file);
    spark = session;
    run = SharedIngest.of(spark, "online-retail.yaml");
  }

  @BeforeEach
  void needsTheDataSet() {
    RealData.assumePresent(file, FILE, SOURCE);
  }

  @Test
  void theRawFileHasThePublishedFacts() {
    assertEquals(541_909, raw.rows(), "rows");
    assertEquals(135_080, raw.withoutCustomer(), "rows without CustomerID");
    assertEquals(4_372, raw.customers(), "distinct CustomerID");
    assertEquals(4_070, raw.stockCodes(), "distinct StockCode");
    assertEquals(new BigDecimal("9747747.93"), raw.total().setScale(2, RoundingMode.HALF_UP),
        "sum(Quantity * UnitPrice)");
  }

  @Test
  void everySalesLineIsAcceptedOrQuarantinedForAMissingCustomer() {
    run.assertAccounted("sales", raw.rows(), raw.rows() - raw.withoutCustomer(), raw.withoutCustomer());
    assertEquals(541_909, run.read("sales"));
    assertEquals(135_080, run.quarantined("sales"));
    assertEquals(Map.of("sales.customer_id.missing", 135_080L), run.rejectedByRule("sales"), "manifest");
    assertEquals(Map.of("sales.customer_id.missing", 135_080L), run.quarantineRules("sales"), "quarantine");
    assertEquals("succeeded", run.manifest().get("status").asText());
  }

  @Test
  void customersAndProductsAreDerivedOncePerKey() {
    run.assertAccounted("customers", raw.customers(), raw.customers(), 0);
    run.assertAccounted("products", raw.stockCodes(), raw.stockCodes(), 0);
    assertEquals(4_372, run.accepted("customers"));
    assertEquals(4_070, run.accepted("products"));
  }

  @Test
  void cancellationsOfKnownCustomersAreKeptAsReturns() {
    long returns = run.silver("sales").filter("line_type = 'return'").count();
    assertEquals(raw.returnLinesWithCustomer(), returns, "C-invoice lines with a CustomerID");
    assertEquals(0, run.silver("sales").filter("line_type = 'return' AND (quantity >= 0 OR net_amount > 0)").count(),
        "returns are negative");
  }

  @Test
  void nothingIsLostInMoney() {
    BigDecimal accepted = run.silver("sales").selectExpr("sum(net_amount)").first().getDecimal(0);
    Row q = run.quarantine("sales").selectExpr(
        "sum(try_cast(get_json_object(source_row, '$.Quantity') AS DECIMAL(18,4))"
            + " * try_cast(get_json_object(source_row, '$.UnitPrice') AS DECIMAL(18,4)))",
        "count(get_json_object(source_row, '$.Quantity'))").first();
    assertEquals(135_080, q.getLong(1), "every quarantined row keeps its raw Quantity");
    BigDecimal total = accepted.add(q.getDecimal(0));
    assertEquals(0, raw.total().compareTo(total),
        "accepted net_amount " + accepted + " + quarantined raw amounts " + q.getDecimal(0) + " = " + total
            + ", the raw file sums to " + raw.total());
    assertEquals(new BigDecimal("9747747.93"), total.setScale(2, RoundingMode.HALF_UP));
  }

  private static RawFacts readRaw(Path file) throws IOException {
    long rows = 0;
    long withoutCustomer = 0;
    long returns = 0;
    Set<String> customers = new HashSet<>();
    Set<String> stockCodes = new HashSet<>();
    BigDecimal total = BigDecimal.ZERO;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.UTF_8))) {
      List<String> header = splitCsv(in.readLine(), in);
      int invoice = header.indexOf("InvoiceNo");
      int stock = header.indexOf("StockCode");
      int quantity = header.indexOf("Quantity");
      int price = header.indexOf("UnitPrice");
      int customer = header.indexOf("CustomerID");
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isEmpty()) {
          continue;
        }
        List<String> f = splitCsv(line, in);
        if (f.size() != header.size()) {
          throw new IllegalStateException("line " + (rows + 2) + " has " + f.size() + " fields: " + line);
        }
        rows++;
        stockCodes.add(f.get(stock));
        total = total.add(new BigDecimal(f.get(quantity)).multiply(new BigDecimal(f.get(price))));
        String id = f.get(customer).trim();
        if (id.isEmpty()) {
          withoutCustomer++;
        } else {
          customers.add(id);
          if (f.get(invoice).startsWith("C")) {
            returns++;
          }
        }
      }
    }
    return new RawFacts(rows, withoutCustomer, customers.size(), stockCodes.size(), returns, total);
  }

  /** RFC 4180 fields of one record; a quoted field may continue on the next lines. */
  static List<String> splitCsv(String line, BufferedReader more) throws IOException {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    String rest = line;
    while (true) {
      for (int i = 0; i < rest.length(); i++) {
        char c = rest.charAt(i);
        if (quoted) {
          if (c == '"' && i + 1 < rest.length() && rest.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else if (c == '"') {
            quoted = false;
          } else {
            field.append(c);
          }
        } else if (c == '"') {
          quoted = true;
        } else if (c == ',') {
          fields.add(field.toString());
          field.setLength(0);
        } else {
          field.append(c);
        }
      }
      if (!quoted) {
        break;
      }
      rest = more.readLine();
      if (rest == null) {
        throw new IllegalStateException("unterminated quote at the end of the file");
      }
      field.append('\n');
    }
    fields.add(field.toString());
    return fields;
  }
}
