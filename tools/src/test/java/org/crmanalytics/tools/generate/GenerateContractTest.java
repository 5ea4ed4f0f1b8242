package org.crmanalytics.tools.generate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.ContractColumn;
import org.crmanalytics.models.contract.ContractTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clean generated company (CSV) passes every rule the contract states: its columns in contract
 * order, values of the contract types, unique keys, referential integrity, allowed values and
 * ranges, no event after the end date, and the ground truth only under ground_truth/. (The
 * Parquet schemas are checked in {@link GenerateSignalTest}, which works on Parquet output.)
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class GenerateContractTest {
  private static final int CUSTOMERS = 1000;
  private static SparkSession spark;
  @TempDir static Path tmp;
  private static GeneratedCompany csv;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
    csv = GeneratedCompany.generate(spark, tmp.resolve("csv"), CUSTOMERS, 42,
        GeneratorSettings.Format.CSV, null);
  }

  @Test
  void csvHeadersAreTheContractColumnsInOrder() throws Exception {
    for (ContractTable table : Contract.TABLES) {
      Path file = csv.dir.resolve(table.name()).resolve(table.name() + "-00000.csv");
      String header = Files.readAllLines(file).get(0);
      assertEquals(String.join(",", names(table.schema().fields())), header, table + " header");
    }
  }

  @Test
  void everyCsvRowParsesWithTheContractTypesAndRequiredValuesArePresent() {
    for (ContractTable table : Contract.TABLES) {
      Dataset<Row> data = csv.table(table.name());
      long rows = data.count(); // FAILFAST: a malformed value fails here
      assertTrue(rows > 0, table + " is empty");
      for (ContractColumn column : table.columns()) {
        if (column.required()) {
          assertEquals(0, data.filter(col(column.name()).isNull()).count(),
              table + "." + column.name() + " is required but has nulls");
        }
      }
    }
  }

  @Test
  void keysAreUnique() {
    for (ContractTable table : Contract.TABLES) {
      Column[] key = table.key().stream().map(c -> col(c)).toArray(Column[]::new);
      long duplicates = csv.table(table.name()).groupBy(key).count()
          .filter(col("count").gt(1)).count();
      assertEquals(0, duplicates, table + " has duplicate keys " + table.key());
    }
  }

  @Test
  void referencesResolve() {
    for (ContractTable table : Contract.TABLES) {
      for (ContractColumn column : table.columns()) {
        if (column.references().isEmpty()) {
          continue;
        }
        ContractTable target = GeneratedCompany.contract(column.references().get());
        String key = target.key().get(0);
        Dataset<Row> keys = csv.table(target.name()).select(col(key).as("ref_key")).distinct();
        long dangling = csv.table(table.name())
            .filter(col(column.name()).isNotNull())
            .join(keys, col(column.name()).equalTo(col("ref_key")), "left_anti")
            .count();
        assertEquals(0, dangling, table + "." + column.name() + " -> " + target);
      }
    }
    Dataset<Row> orderIds = csv.table("sales").select(col("order_id").as("ref")).distinct();
    assertEquals(0, csv.table("invoices")
        .join(orderIds, col("order_id").equalTo(col("ref")), "left_anti").count(),
        "invoices.order_id -> sales");
    assertEquals(0, csv.table("sales").filter(col("original_order_id").isNotNull())
        .join(orderIds, col("original_order_id").equalTo(col("ref")), "left_anti").count(),
        "sales.original_order_id -> sales");
  }

  @Test
  void valuesAreAllowedAndWithinRange() {
    for (ContractTable table : Contract.TABLES) {
      Dataset<Row> data = csv.table(table.name());
      for (ContractColumn column : table.columns()) {
        Column c = col(column.name());
        if (!column.allowedValues().isEmpty()) {
          assertEquals(0, data.filter(c.isNotNull().and(
                  c.isin(column.allowedValues().toArray()).unary_$bang())).count(),
              table + "." + column.name() + " outside " + column.allowedValues());
        }
        column.min().ifPresent(min -> assertEquals(0, data.filter(c.lt(min)).count(),
            table + "." + column.name() + " below " + min));
        column.max().ifPresent(max -> assertEquals(0, data.filter(c.gt(max)).count(),
            table + "." + column.name() + " above " + max));
      }
    }
  }

  @Test
  void noEventLiesAfterTheEndDate() {
    LocalDate end = GeneratedCompany.END;
    for (ContractTable table : Contract.TABLES) {
      for (ContractColumn column : table.columns()) {
        if (!column.notAfterAsOf()) {
          continue;
        }
        Row latest = csv.table(table.name()).agg(max(col(column.name()))).first();
        if (latest.isNullAt(0)) {
          continue;
        }
        Object value = latest.get(0);
        LocalDate day = value instanceof Timestamp ts
            ? ts.toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDate()
            : ((Date) value).toLocalDate();
        assertFalse(day.isAfter(end), table + "." + column.name() + " has " + value);
      }
    }
  }

  @Test
  void groundTruthStaysOutOfTheInputTables() {
    Set<String> truthOnly = Arrays.stream(GroundTruth.CustomerTruth.SCHEMA.fieldNames())
        .filter(n -> !n.equals("customer_id") && !n.equals("segment"))
        .collect(Collectors.toSet());
    for (ContractTable table : Contract.TABLES) {
      for (String column : table.schema().fieldNames()) {
        assertFalse(truthOnly.contains(column), table + " carries truth column " + column);
      }
      assertFalse(Files.exists(csv.dir.resolve(table.name()).resolve("ground_truth")));
    }
    assertEquals(CUSTOMERS, csv.truth().count(), "one truth row per customer");
    assertEquals(0, csv.truth().join(csv.table("customers"), "customer_id", "left_anti").count(),
        "truth rows for customers that do not exist");
  }

  @Test
  void amountsReconcile() {
    Dataset<Row> sales = csv.table("sales");
    Dataset<Row> products = csv.table("products");
    assertEquals(0, sales.join(products, "product_id")
            .filter(col("cost_amount").notEqual(col("quantity").multiply(col("unit_cost"))))
            .count(),
        "cost_amount = quantity x unit_cost");
    assertEquals(0, sales.filter(col("line_type").equalTo("return")
            .and(col("quantity").geq(0).or(col("net_amount").geq(0))
                .or(col("original_order_id").isNull()))).count(),
        "returns have negative quantity and amount and name their order");
    Dataset<Row> orderTotals = sales.groupBy("order_id").agg(sum("net_amount").as("net"));
    assertEquals(0, csv.table("invoices").join(orderTotals, "order_id")
            .filter(col("amount").notEqual(col("net"))).count(),
        "invoice amount = order net sum");
    assertEquals(csv.table("invoices").count(), orderTotals.count(), "one invoice per order");
    Dataset<Row> paid = csv.table("payments").groupBy("invoice_id").agg(sum("amount").as("paid"));
    assertEquals(0, csv.table("invoices").join(paid, "invoice_id")
            .filter(col("amount").geq(0).and(col("paid").gt(col("amount")))).count(),
        "no invoice is overpaid");
    double returnShare = sales.filter(col("line_type").equalTo("return")).count()
        / (double) sales.count();
    assertTrue(returnShare > 0.002 && returnShare < 0.06, "return lines share " + returnShare);
  }

  @Test
  void nothingIsBoughtAfterChurnOrPaidAfterDefault() {
    Dataset<Row> truth = csv.truth();
    assertEquals(0, csv.table("sales").join(truth, "customer_id")
        .filter(col("churned").and(col("order_date").gt(col("churn_date")))).count());
    Dataset<Row> invoices = csv.table("invoices").select("invoice_id", "customer_id");
    assertEquals(0, csv.table("payments").join(invoices, "invoice_id").join(truth, "customer_id")
        .filter(col("will_default").and(col("paid_at").gt(col("default_date")))).count());
  }

  @Test
  void proportionsArePlausible() {
    Dataset<Row> truth = csv.truth();
    double churned = truth.filter(col("churned")).count() / (double) CUSTOMERS;
    double defaulted = truth.filter(col("will_default")).count() / (double) CUSTOMERS;
    assertTrue(churned > 0.12 && churned < 0.28, "churn rate " + churned);
    assertTrue(defaulted > 0.01 && defaulted < 0.06, "default rate " + defaulted);
    double linesPerCustomer = csv.table("sales").count() / (double) CUSTOMERS;
    assertTrue(linesPerCustomer > 18 && linesPerCustomer < 34,
        "sales lines per customer " + linesPerCustomer);
    Row margin = csv.table("sales").agg(sum("net_amount"), sum("cost_amount")).first();
    double m = 1 - margin.getDecimal(1).doubleValue() / margin.getDecimal(0).doubleValue();
    assertTrue(m > 0.15 && m < 0.45, "gross margin " + m);
    List<Row> statuses = csv.table("offers").groupBy("status").agg(count(lit(1))).collectAsList();
    assertEquals(3, statuses.size(), "open, won and lost offers: " + statuses);
    assertTrue(csv.table("tickets").filter(col("resolved_at").isNull()).count() > 0,
        "some tickets still open");
    assertTrue(csv.table("customers").filter(col("country").notEqual("DE")).count() > 0,
        "some customers in AT/CH");
    assertEquals(DataTypes.StringType, csv.table("customers").schema().apply("postal_code")
        .dataType());
  }

  private static List<String> names(StructField[] fields) {
    return Arrays.stream(fields).map(StructField::name).toList();
  }
}
