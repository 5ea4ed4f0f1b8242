package org.crmanalytics.jobs.ingest;

import static org.crmanalytics.jobs.ingest.IngestHarness.config;
import static org.crmanalytics.jobs.ingest.IngestHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.ingest.IngestHarness.Failure;
import org.crmanalytics.jobs.ingest.IngestHarness.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What real exports need from a mapping, end to end through ingest: extra files joined in a
 * table's query ({@code sources}), words that mean "no value" ({@code null_values}), a malformed
 * line kept whole in quarantine, and a MariaDB source under the documented {@code jdbc:mariadb:} URL.
 */
@Tag("spark")
@Tag("db")
@ExtendWith(SharedSpark.class)
class MappingSourcesTest {
  private static final String CUSTOMERS = """
      customer_id,name,employees,created_at
      C1,Alpha GmbH,10,2020-01-01
      C2,Beta AG,20,2021-06-30
      """;

  private static SparkSession spark;
  private static IngestHarness harness;

  @TempDir Path dir;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
    harness = new IngestHarness(spark);
  }

  private static String readText(Path file) {
    try {
      return java.nio.file.Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void assertContains(String text, String... parts) {
    for (String p : parts) {
      assertTrue(text.contains(p), "expected '" + p + "' in:\n" + text);
    }
  }

  // Order lines carry no date and no customer: both come from the order header file, a German
  // export with its own dialect (semicolons, windows-1252, "NULL" for an empty value).
  private Path orderLinesAndHeaders(String query) {
    write(dir.resolve("customers.csv"), CUSTOMERS);
    write(dir.resolve("lines.csv"), """
        order_no,pos,article,amount
        A1,1,P1,100.50
        A1,2,P2,20
        A2,1,P1,30
        A3,1,P3,5
        """);
    write(dir.resolve("headers.csv"), """
        Auftrag;Kunde;Datum;Bemerkung
        A1;C1;01.05.2024;Grüße
        A2;C2;01.06.2024;NULL
        A3;NULL;02.06.2024;-
        """, Charset.forName("windows-1252"));
    return config(dir, """
        as_of: 2024-12-31
        output: out
        tables:
          customers: {path: customers.csv}
          sales:
            path: lines.csv
            sources:
              headers:
                path: headers.csv
                csv: {delimiter: ";", encoding: windows-1252}
                null_values: ["NULL", "-"]
            query: >
              %s
            dates: ["dd.MM.yyyy", "yyyy-MM-dd"]
            columns: {order_id: order_no, line_no: pos, product_id: article, net_amount: amount}
        quality:
          max_rejected_percent: 100
          max_data_age_days: 366
        """.formatted(query));
  }

  @Test
  void aQueryJoinsAnExtraSourceByItsNameAndReadCountsTheQuerysRows() {
    Result r = harness.run(orderLinesAndHeaders(
        "SELECT l.*, h.Kunde AS customer_id, h.Datum AS order_date FROM source l LEFT JOIN headers h ON l.order_no = h.Auftrag"));
    // A3's header says NULL for the customer: read as no value, so the row is quarantined as missing.
    r.assertAccounted("sales", 4, 3, 1);
    assertEquals(Map.of("sales.customer_id.missing", 1L), r.rejectedByRule("sales"));
    assertEquals(List.of("A1|1|C1|2024-05-01", "A1|2|C1|2024-05-01", "A2|1|C2|2024-06-01"),
        r.silver("sales").orderBy("order_id", "line_no").collectAsList().stream()
            .map(x -> x.getAs("order_id") + "|" + x.getAs("line_no") + "|" + x.getAs("customer_id") + "|"
                + x.getAs("order_date")).toList());
    assertContains(r.table("sales").path("source").asText(), "joined with headers");
  }

  @Test
  void aQueryThatNamesAnUnknownViewListsTheViewsItCanUse() {
    Failure f = harness.fail(orderLinesAndHeaders(
        "SELECT l.*, h.Kunde AS customer_id, h.Datum AS order_date FROM source l JOIN header h ON l.order_no = h.Auftrag"));
    assertContains(f.message(), "tables.sales.query", "The file is available as the view 'source' with columns "
        + "order_no, pos, article, amount; the extra sources as the views 'headers' (Auftrag, Kunde, Datum, Bemerkung)");
  }

  @Test
  void aMissingExtraSourceIsNamedByTableAndSourceName() {
    Path cfg = orderLinesAndHeaders("SELECT * FROM source");
    write(cfg, readText(cfg).replace("path: headers.csv", "path: kopf.csv"));
    Failure f = harness.fail(cfg);
    assertContains(f.message(), "tables.sales.sources.headers.path: nothing found at", "kopf.csv");
  }

  @Test
  void nullValuesReadAsNoValueInsteadOfATypeError() {
    write(dir.resolve("customers.csv"), """
        customer_id,name,employees,created_at
        C1,Alpha,NULL,2020-01-01
        C2,Beta, n/a ,NULL
        C3,Gamma,-,2020-01-01
        C4,Delta,kaputt,2020-01-01
        """);
    write(dir.resolve("sales.csv"), "order_id,line_no,customer_id,order_date,net_amount\nO1,1,C1,2024-05-01,10\n");
    String yaml = """
        as_of: 2024-12-31
        output: out
        defaults:
          null_values: ["NULL", "-", "n/a"]
        tables:
          customers: {path: customers.csv}
          sales: {path: sales.csv}
        quality:
          max_rejected_percent: 100
          max_data_age_days: 366
        """;
    Result r = harness.run(config(dir, yaml));
    r.assertAccounted("customers", 4, 3, 1);
    assertEquals(Map.of("customers.employees.type", 1L), r.rejectedByRule("customers"), "only 'kaputt' is a bad value");
    assertEquals(List.of("null", "null", "null"), r.silverValues("customers", "employees", "customer_id"));
    String raw = r.quarantine("customers").first().getAs("source_row");
    assertContains(raw, "\"employees\":\"kaputt\"");
  }

  @Test
  void aLineWithTooManyFieldsKeepsEveryValueInQuarantine() {
    write(dir.resolve("customers.csv"), CUSTOMERS + "C3,Gamma,30,2020-01-01,EXTRA-1,EXTRA-2\n");
    write(dir.resolve("sales.csv"), "order_id,line_no,customer_id,order_date,net_amount\nO1,1,C1,2024-05-01,10\n");
    Result r = harness.run(config(dir, """
        as_of: 2024-12-31
        output: out
        tables:
          customers: {path: customers.csv}
          sales: {path: sales.csv}
        quality:
          max_rejected_percent: 100
          max_data_age_days: 366
        """));
    r.assertAccounted("customers", 3, 2, 1);
    Row q = r.quarantine("customers").first();
    assertEquals("customers.malformed_record", q.getAs("rule"));
    assertContains(q.getAs("source_row"), "C3,Gamma,30,2020-01-01,EXTRA-1,EXTRA-2");
    assertFalse(r.silver("customers").collectAsList().toString().contains("EXTRA"));
  }

  @Test
  void aPaymentOnAccountNamesItsCustomerAndOneNamingNobodyIsQuarantined() {
    write(dir.resolve("customers.csv"), CUSTOMERS);
    write(dir.resolve("sales.csv"), "order_id,line_no,customer_id,order_date,net_amount\nO1,1,C1,2024-05-01,10\n");
    write(dir.resolve("invoices.csv"), """
        invoice_id,customer_id,invoice_date,due_date,amount
        I1,C1,2024-05-02,2024-06-01,10
        """);
    write(dir.resolve("payments.csv"), """
        payment_id,invoice_id,customer_id,paid_at,amount
        P1,I1,,2024-05-20,5
        P2,,C1,2024-05-25,5
        P3,,,2024-05-26,7
        P4,,C9,2024-05-27,7
        """);
    Result r = harness.run(config(dir, """
        as_of: 2024-12-31
        output: out
        tables:
          customers: {path: customers.csv}
          sales: {path: sales.csv}
          invoices: {path: invoices.csv}
          payments: {path: payments.csv}
        quality:
          max_rejected_percent: 100
          max_data_age_days: 366
        """));
    r.assertAccounted("payments", 4, 2, 2);
    assertEquals(Map.of("payments.invoice_or_customer", 1L, "payments.customer_id.reference", 1L),
        r.rejectedByRule("payments"));
    assertEquals(List.of("null", "C1"), r.silverValues("payments", "customer_id", "payment_id"));
  }

  // ------------------------------------------------------------------ MariaDB

  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/test";

  private static void mariadb(String... sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(MARIADB, "root", ""); Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  @Test
  void theDocumentedMariadbUrlReadsAnIntegerKeyAsTheContractsStringId() throws SQLException {
    mariadb("DROP TABLE IF EXISTS mapping17_customers",
        "CREATE TABLE mapping17_customers (customerNumber INT PRIMARY KEY, customerName VARCHAR(50), since DATE)",
        "INSERT INTO mapping17_customers VALUES (103, 'Atelier graphique', '2020-01-01'), (112, 'Signal Gift Stores', '2021-02-03')");
    write(dir.resolve("sales.csv"), "order_id,line_no,customer_id,order_date,net_amount\nO1,1,103,2024-11-01,10\n");
    Result r = harness.run(config(dir, """
        as_of: 2024-12-31
        output: out
        connections:
          erp: {url: "%s", user: root, password: ""}
        tables:
          customers:
            format: jdbc
            connection: erp
            table: mapping17_customers
            columns: {customer_id: customerNumber, name: customerName, created_at: since}
          sales: {path: sales.csv}
        """.formatted(MARIADB)));
    r.assertAccounted("customers", 2, 2, 0);
    assertEquals(List.of("103", "112"), r.silverValues("customers", "customer_id", "customer_id"));
    assertEquals(List.of("Atelier graphique", "Signal Gift Stores"), r.silverValues("customers", "name", "customer_id"));
    r.assertAccounted("sales", 1, 1, 0);
  }

  @Test
  void aDatabaseErrorWhileRowsAreReadIsOneMessageNamingTableAndSource() throws SQLException {
    mariadb("DROP TABLE IF EXISTS mapping17_accounts",
        "CREATE TABLE mapping17_accounts (customerNumber VARCHAR(10), customerName VARCHAR(50))",
        "INSERT INTO mapping17_accounts VALUES ('103', 'Atelier'), ('K-7', 'Kunde sieben')");
    write(dir.resolve("sales.csv"), "order_id,line_no,customer_id,order_date,net_amount\nO1,1,103,2024-11-01,10\n");
    // The scalar subquery has more than one row: the database fails only once rows are fetched
    // on an executor (Spark's schema query, WHERE 1=0, passes).
    Failure f = harness.fail(config(dir, """
        as_of: 2024-12-31
        output: out
        connections:
          erp: {url: "%s", user: root, password: ""}
        tables:
          customers:
            format: jdbc
            connection: erp
            query: SELECT customerNumber, (SELECT customerName FROM mapping17_accounts) AS name FROM mapping17_accounts
            columns: {customer_id: customerNumber}
          sales: {path: sales.csv}
        """.formatted(MARIADB)));
    assertContains(f.message(), "tables.customers: reading jdbc query on 'erp' (jdbc:mariadb://127.0.0.1:3306/test) failed",
        "Subquery returns more than 1 row", "tables.customers.query");
    assertFalse(f.message().contains("\tat "), "no stack trace: " + f.message());
  }
}
