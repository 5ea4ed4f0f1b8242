package org.crmanalytics.jobs.ingest;

import static org.crmanalytics.jobs.ingest.IngestHarness.config;
import static org.crmanalytics.jobs.ingest.IngestHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.ingest.IngestHarness.Failure;
import org.crmanalytics.jobs.ingest.IngestHarness.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ingest of exports in other encodings, CSV dialects and formats (JSON lines, typed Parquet,
 * whitespace-aligned text, a SQL query over a file), end to end on tiny files with exact row
 * accounting. The companion of {@link BadInputTest}, split off to keep each class short.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class BadInputFormatsTest {
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

  /**
   * One Latin-1 file with umlauts, read twice in one run: as customers declared ISO-8859-1 (read
   * correctly) and as products left at the default UTF-8 (its umlaut rows quarantined with
   * products.encoding, and the sales of those products orphaned).
   */
  @Test
  void aLatin1FileIsReadWithItsDeclaredEncodingAndQuarantinedUnderTheWrongOne() {
    write(dir.resolve("stammdaten.csv"), """
        id,name
        K1,Müller KG
        K2,Beta AG
        K3,Bäckerei Groß
        """, StandardCharsets.ISO_8859_1);
    write(dir.resolve("sales.csv"), """
        order_id,line_no,customer_id,product_id,order_date,net_amount
        O1,1,K1,K2,2024-05-01,10
        O1,2,K1,K1,2024-05-01,20
        O2,1,K3,K3,2024-05-02,30
        """);
    Result r = harness.run(config(dir, """
        as_of: 2024-12-31
        output: out
        tables:
          customers: {path: stammdaten.csv, csv: {encoding: ISO-8859-1}, columns: {customer_id: id}}
          products: {path: stammdaten.csv, columns: {product_id: id}}
          sales: {path: sales.csv}
        quality:
          max_rejected_percent: 100
          max_data_age_days: 366
        """));
    r.assertAccounted("customers", 3, 3, 0);
    assertEquals(List.of("Müller KG", "Beta AG", "Bäckerei Groß"), r.silverValues("customers", "name", "customer_id"));
    r.assertAccounted("products", 3, 1, 2);
    assertEquals(Map.of("products.encoding", 2L), r.rejectedByRule("products"));
    assertEquals(Map.of("products.encoding", 2L), r.quarantineRules("products"));
    assertEquals(List.of("product_id=K1", "product_id=K3"),
        strings(r.quarantine("products").orderBy("key").select("key").collectAsList()));
    r.assertAccounted("sales", 3, 1, 2);
    assertEquals(Map.of("sales.product_id.reference", 2L), r.rejectedByRule("sales"));
    assertEquals(List.of("O1|1|K2"),
        strings(r.silver("sales").select("order_id", "line_no", "product_id").collectAsList()));
  }

  /** A UTF-8 byte order mark before the header, and quoted fields with line breaks and quotes. */
  @Test
  void aByteOrderMarkAndQuotedNewlinesAreHandled() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    String customers = "customer_id,name,segment\r\n"
        + "C1,\"Alpha GmbH\nWerk 2, Halle 3\",A\r\n"
        + "C2,\"Beta \"\"die Zweite\"\" AG\",B\r\n";
    write(dir.resolve("customers.csv"), concat(bom, customers.getBytes(StandardCharsets.UTF_8)));
    write(dir.resolve("sales.csv"), concat(bom, SALES.getBytes(StandardCharsets.UTF_8)));
    Result r = harness.run(config(dir, CONFIG));
    r.assertAccounted("customers", 2, 2, 0);
    assertEquals(List.of("C1|Alpha GmbH\nWerk 2, Halle 3|A", "C2|Beta \"die Zweite\" AG|B"),
        strings(r.silver("customers").orderBy("customer_id").select("customer_id", "name", "segment")
            .collectAsList()), "ids without the BOM; one row per quoted record, later columns not shifted");
    r.assertAccounted("sales", 2, 2, 0);
    assertEquals(List.of("O1", "O2"), r.silverValues("sales", "order_id", "order_id"), "ids without the BOM");
  }

  @Test
  void theGermanCsvDialect() {
    Charset cp1252 = Charset.forName("windows-1252");
    write(dir.resolve("kunden.csv"), """
        Kundennr;Firma;Mitarbeiter;Angelegt am;Kreditlimit
        K1;Müller – Söhne GmbH;1.250;31.12.2019;10.000,00
        K2;Café Größenwahn €;12;01.02.2020;500,5
        """, cp1252);
    write(dir.resolve("umsatz.csv"), """
        Beleg;Pos;Kunde;Datum;Menge;Betrag;Art
        R1;1;K1;31.12.2024;3;1.234,56;R
        R1;2;K1;31.12.2024;1,5;0,99;R
        G1;1;K2;15.06.2024;1-;12,50-;G
        """, cp1252);
    Result r = harness.run(config(dir, """
        as_of: 2024-12-31
        output: out
        defaults:
          format: csv
          csv: {delimiter: ";", encoding: windows-1252}
          dates: ["dd.MM.yyyy"]
          numbers: {decimal: ",", grouping: "."}
        tables:
          customers:
            path: kunden.csv
            columns: {customer_id: Kundennr, name: Firma, employees: Mitarbeiter, created_at: Angelegt am,
                      credit_limit: Kreditlimit}
          sales:
            path: umsatz.csv
            columns:
              order_id: Beleg
              line_no: Pos
              customer_id: Kunde
              order_date: Datum
              quantity: Menge
              net_amount: Betrag
              line_type: {expr: "CASE WHEN Art = 'G' THEN 'return' ELSE 'order' END"}
        """));
    r.assertAccounted("customers", 2, 2, 0);
    r.assertAccounted("sales", 3, 3, 0);
    assertEquals(List.of("K1|Müller – Söhne GmbH|1250|2019-12-31|10000.0000", "K2|Café Größenwahn €|12|2020-02-01|500.5000"),
        strings(r.silver("customers").orderBy("customer_id")
            .selectExpr("customer_id", "name", "employees", "created_at", "credit_limit").collectAsList()));
    assertEquals(List.of("G1|1|K2|2024-06-15|-1.0000|-12.5000|return", "R1|1|K1|2024-12-31|3.0000|1234.5600|order",
            "R1|2|K1|2024-12-31|1.5000|0.9900|order"),
        strings(r.silver("sales").orderBy("order_id", "line_no")
            .selectExpr("order_id", "line_no", "customer_id", "order_date", "quantity", "net_amount", "line_type")
            .collectAsList()));
  }


  // ---------------------------------------------------------------- other formats

  @Test
  void jsonLinesWithABrokenLine() {
    write(dir.resolve("customers.jsonl"), """
        {"customer_id": "C1", "name": "Alpha", "employees": 12, "created_at": "2020-01-01"}
        {"customer_id": "C2", "name": "Beta"}
        """);
    write(dir.resolve("sales.jsonl"), """
        {"order_id": "O1", "line_no": 1, "customer_id": "C1", "order_date": "2024-05-01", "net_amount": 10.5, "quantity": 2}
        {"order_id": "O2", "line_no": 1, "customer_id": "C2", "order_date": "2024-05-02", "net_amount": "7,5"}
        {"order_id": "O3", "line_no": 1, "customer_id": "C1", "order_date":
        """);
    Result r = harness.run(config(dir, """
        as_of: 2024-12-31
        output: out
        defaults: {format: json}
        tables:
          customers: {path: customers.jsonl}
          sales: {path: sales.jsonl}
        quality: {max_rejected_percent: 100, max_data_age_days: 366}
        """));
    r.assertAccounted("customers", 2, 2, 0);
    assertEquals(List.of("C1|Alpha|12|2020-01-01", "C2|Beta|null|null"), strings(r.silver("customers")
        .orderBy("customer_id").select("customer_id", "name", "employees", "created_at").collectAsList()));
    r.assertAccounted("sales", 3, 1, 2);
    assertEquals(Map.of("sales.net_amount.type", 1L, "sales.malformed_record", 1L), r.rejectedByRule("sales"));
    assertEquals(List.of("O1|1|10.5000|2.0000"),
        strings(r.silver("sales").select("order_id", "line_no", "net_amount", "quantity").collectAsList()));
  }

  @Test
  void typedParquetIsCastToTheContract() {
    StructType customers = new StructType()
        .add("customer_id", DataTypes.IntegerType)
        .add("name", DataTypes.StringType)
        .add("employees", DataTypes.DoubleType)
        .add("created_at", DataTypes.DateType)
        .add("credit_limit", DataTypes.DoubleType);
    spark.createDataFrame(List.of(
            RowFactory.create(1, "Alpha", 10.0, Date.valueOf("2020-01-01"), 1000.5),
            RowFactory.create(2, "Beta", 12.5, null, null)), customers)
        .coalesce(1).write().parquet(dir.resolve("customers.parquet").toString());
    StructType sales = new StructType()
        .add("order_id", DataTypes.LongType)
        .add("line_no", DataTypes.IntegerType)
        .add("customer_id", DataTypes.IntegerType)
        .add("order_date", DataTypes.TimestampType)
        .add("net_amount", DataTypes.createDecimalType(10, 2))
        .add("quantity", DataTypes.IntegerType);
    spark.createDataFrame(List.of(
            RowFactory.create(100L, 1, 1, Timestamp.valueOf("2024-05-01 10:00:00"), new BigDecimal("19.99"), 2),
            RowFactory.create(101L, 1, 2, Timestamp.valueOf("2024-05-02 10:00:00"), new BigDecimal("5.00"), 1),
            RowFactory.create(102L, 1, 1, Timestamp.valueOf("2025-03-01 10:00:00"), new BigDecimal("1.00"), 1)), sales)
        .coalesce(1).write().parquet(dir.resolve("sales.parquet").toString());
    Result r = harness.run(config(dir, """
        as_of: 2024-12-31
        output: out
        defaults: {format: parquet}
        tables:
          customers: {path: customers.parquet}
          sales: {path: sales.parquet}
        quality: {max_rejected_percent: 100, max_data_age_days: 366}
        """));
    r.assertAccounted("customers", 2, 1, 1);
    assertEquals(Map.of("customers.employees.type", 1L), r.rejectedByRule("customers"), "12.5 employees");
    assertEquals(List.of("1|Alpha|10|2020-01-01|1000.5000"), strings(r.silver("customers")
        .select("customer_id", "name", "employees", "created_at", "credit_limit").collectAsList()));
    r.assertAccounted("sales", 3, 1, 1, 1); // 102 is dated after as_of: not yet known, not quarantined
    assertEquals(Map.of("sales.customer_id.reference", 1L), r.rejectedByRule("sales"));
    assertEquals(List.of("100|1|1|2024-05-01|19.9900|2.0000|order"), strings(r.silver("sales")
        .select("order_id", "line_no", "customer_id", "order_date", "net_amount", "quantity", "line_type")
        .collectAsList()));
    assertEquals("{\"order_id\":101,\"line_no\":1,\"customer_id\":2,\"order_date\":\"2024-05-02T10:00:00.000Z\","
            + "\"net_amount\":5.00,\"quantity\":1}",
        r.quarantine("sales").filter("rule = 'sales.customer_id.reference'").first().getAs("source_row"),
        "the typed source row as JSON");
  }

  private static final String TEXT_SALES = " order_id   line_no customer_id  order_date net_amount\r\n"
      + "O1  1  C1  2024-01-02  10.50\r\n"
      + "\r\n"
      + "   O2\t1\tC2\t2024-01-03\t5\r\n"
      + "O3  1  C1  2024-01-04\r\n"
      + "O4  1  C1  2024-01-05  1.00  extra\r\n";

  @Test
  void whitespaceAlignedTextIsSplitIntoColumns() {
    write(dir.resolve("customers.txt"), "customer_id   name\r\n  C1   Alpha\r\nC2     Beta\r\n");
    write(dir.resolve("sales.txt"), TEXT_SALES);
    Result r = harness.run(config(dir, """
        as_of: 2024-12-31
        output: out
        defaults: {format: text}
        tables:
          customers: {path: customers.txt}
          sales: {path: sales.txt}
        quality: {max_rejected_percent: 100, max_data_age_days: 366}
        """));
    r.assertAccounted("customers", 2, 2, 0);
    assertEquals(List.of("C1|Alpha", "C2|Beta"),
        strings(r.silver("customers").orderBy("customer_id").select("customer_id", "name").collectAsList()));
    r.assertAccounted("sales", 4, 2, 2);
    assertEquals(Map.of("sales.malformed_record", 2L), r.rejectedByRule("sales"), "too few and too many fields");
    assertEquals(List.of("O1|C1|2024-01-02|10.5000", "O2|C2|2024-01-03|5.0000"), strings(r.silver("sales")
        .orderBy("order_id").select("order_id", "customer_id", "order_date", "net_amount").collectAsList()));
  }

  /** text.encoding is a documented key; a Latin-1 text export must be decoded as Latin-1. */
  @Test
  void textInLatin1IsDecodedWithTheConfiguredEncoding() {
    write(dir.resolve("customers.txt"), "customer_id name\nC1 Müller\nC2 Groß\n", StandardCharsets.ISO_8859_1);
    write(dir.resolve("sales.txt"), "order_id line_no customer_id order_date net_amount\nO1 1 C1 2024-01-02 10.50\n");
    Result r = harness.run(config(dir, """
        as_of: 2024-12-31
        output: out
        defaults: {format: text}
        tables:
          customers: {path: customers.txt, text: {encoding: ISO-8859-1}}
          sales: {path: sales.txt}
        quality: {max_rejected_percent: 100, max_data_age_days: 366}
        """));
    r.assertAccounted("customers", 2, 2, 0);
    assertEquals(List.of("Müller", "Groß"), r.silverValues("customers", "name", "customer_id"));
    r.assertAccounted("sales", 1, 1, 0);
  }

  @Test
  void aQueryOverAFileShapesTheTable() {
    write(dir.resolve("kunden.csv"), """
        id,firma,status
        C1,alpha,active
        C2,beta,deleted
        C3,gamma,active
        """);
    write(dir.resolve("sales.csv"), SALES);
    Result r = harness.run(config(dir, CONFIG.replace("customers: {path: customers.csv}", """
        customers:
            path: kunden.csv
            query: "SELECT id AS customer_id, upper(firma) AS name FROM source WHERE status <> 'deleted'"
        """.stripTrailing())));
    r.assertAccounted("customers", 2, 2, 0);
    assertEquals(List.of("C1|ALPHA", "C3|GAMMA"),
        strings(r.silver("customers").orderBy("customer_id").select("customer_id", "name").collectAsList()));
    r.assertAccounted("sales", 2, 1, 1);
    assertEquals(Map.of("sales.customer_id.reference", 1L), r.rejectedByRule("sales"),
        "C2 was filtered out by the query");
  }

  @Test
  void aBrokenQueryNamesItsKeyAndTheColumnsOfTheFile() {
    write(dir.resolve("kunden.csv"), "id,firma\nC1,alpha\n");
    write(dir.resolve("sales.csv"), SALES);
    Failure f = harness.fail(config(dir, CONFIG.replace("customers: {path: customers.csv}",
        "customers: {path: kunden.csv, query: \"SELECT kundennr AS customer_id FROM source\"}")));
    assertContains(f.message(), "tables.customers.query", "kundennr",
        "The file is available as the view 'source' with columns id, firma");
  }

  /** Under a query a malformed line could not be quarantined, so the file is refused, not half-read. */
  @Test
  void aQueryOverAFileWithAMalformedLineIsRefused() {
    write(dir.resolve("kunden.csv"), "id,firma\nC1,alpha\nC2,beta,extra,fields\n");
    write(dir.resolve("sales.csv"), SALES);
    Failure f = harness.fail(config(dir, CONFIG.replace("customers: {path: customers.csv}",
        "customers: {path: kunden.csv, query: \"SELECT id AS customer_id FROM source\"}")));
    assertContains(f.message(), "tables.customers.query: 1 line(s) of", "kunden.csv",
        "cannot be quarantined", "customers.malformed_record");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
