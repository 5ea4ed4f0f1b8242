package org.crmanalytics.tools.generate;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.date_sub;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.ContractTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planted signals are in the input tables, where a model can find them: churners order
 * less, complain more and are visited less before they leave; defaulters pay later and later;
 * industries buy their typical product groups; orders follow the seasons. Works on Parquet
 * output, whose schemas must be the contract's exactly.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class GenerateSignalTest {
  private static final int CUSTOMERS = 2000;
  private static final String START = "2023-01-01";
  private static final String END = "2025-12-31";

  private static SparkSession spark;
  @TempDir static Path tmp;
  private static GeneratedCompany company;
  private static Dataset<Row> truth;
  private static Dataset<Row> orders;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
    company = GeneratedCompany.generate(spark, tmp.resolve("company"), CUSTOMERS, 42,
        GeneratorSettings.Format.PARQUET, null);
    truth = company.truth().cache();
    orders = company.table("sales").filter(col("line_type").equalTo("order"))
        .select("customer_id", "order_id", "order_date").distinct().cache();
  }

  @Test
  void parquetSchemasAreTheContractsExactly() {
    for (ContractTable table : Contract.TABLES) {
      StructField[] expected = table.schema().fields();
      StructField[] actual = company.table(table.name()).schema().fields();
      assertEquals(names(expected), names(actual), table + " columns");
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i].dataType(), actual[i].dataType(),
            table + "." + expected[i].name() + " type");
      }
    }
  }

  /** Switched churners with a full year of history before their churn date. */
  private static Dataset<Row> churnersWithAYear() {
    return truth.filter(col("churn_cause").equalTo("switched")
            .and(col("churn_date").geq(to_date(lit("2024-01-01")))))
        .join(company.table("customers").select("customer_id", "created_at", "channel"),
            "customer_id")
        .filter(col("created_at").leq(date_sub(col("churn_date"), 365)));
  }

  /** Events of {@code events} (date column {@code at}) in the 6 months before churn, and before. */
  private static double[] lastAndPreviousHalfYear(Dataset<Row> churners, Dataset<Row> events,
      String at) {
    Column daysBefore = datediff(col("churn_date"), to_date(col(at)));
    Row r = churners.join(events, "customer_id")
        .agg(sum(when(daysBefore.geq(0).and(daysBefore.lt(182)), 1).otherwise(0)),
            sum(when(daysBefore.geq(182).and(daysBefore.lt(365)), 1).otherwise(0)))
        .first();
    return new double[] {r.getLong(0), r.getLong(1)};
  }

  @Test
  void churnersOrderLessInTheirLastHalfYear() {
    Dataset<Row> churners = churnersWithAYear().cache();
    long n = churners.count();
    assertTrue(n >= 40, "enough churners to compare: " + n);
    double[] counts = lastAndPreviousHalfYear(churners, orders, "order_date");
    assertTrue(counts[0] < 0.6 * counts[1],
        "orders in the 6 months before churn " + counts[0] + " vs the 6 months before that "
            + counts[1]);

    Dataset<Row> stayers = truth.filter(col("churned").unary_$bang())
        .join(company.table("customers").select("customer_id", "created_at"), "customer_id")
        .filter(col("created_at").leq(to_date(lit("2025-01-01"))));
    double stayerOrders = stayers.join(orders, "customer_id")
        .filter(col("order_date").gt(to_date(lit("2025-07-01")))).count()
        / (double) stayers.count();
    double churnerOrders = counts[0] / n;
    assertTrue(churnerOrders < 0.6 * stayerOrders,
        "orders per customer in the last half year: churners " + churnerOrders
            + ", non-churners " + stayerOrders);
  }

  @Test
  void churnersComplainMoreBeforeTheyLeave() {
    Dataset<Row> complaints = company.table("tickets").filter(col("type").equalTo("complaint"))
        .select(col("customer_id"), col("created_at").as("filed_at"));
    Dataset<Row> churners = churnersWithAYear().cache();
    double churnerRate = lastAndPreviousHalfYear(churners, complaints, "filed_at")[0]
        / (churners.count() * 6.0);
    Dataset<Row> stayers = truth.filter(col("churned").unary_$bang())
        .join(company.table("customers").select("customer_id", "created_at"), "customer_id");
    Row months = stayers.agg(sum(datediff(to_date(lit(END)),
        greatest(col("created_at"), to_date(lit(START)))).divide(30.4))).first();
    double stayerRate = stayers.join(complaints, "customer_id").count() / months.getDouble(0);
    assertTrue(churnerRate > 2 * stayerRate,
        "complaints per customer-month: churners before leaving " + churnerRate
            + ", non-churners " + stayerRate);
  }

  @Test
  void churnersAreVisitedLessBeforeTheyLeave() {
    Dataset<Row> visits = company.table("activities").filter(col("type").equalTo("visit"))
        .select("customer_id", "occurred_at");
    Dataset<Row> fieldChurners = churnersWithAYear().filter(col("channel").equalTo("field"));
    double[] counts = lastAndPreviousHalfYear(fieldChurners, visits, "occurred_at");
    assertTrue(counts[0] < 0.75 * counts[1],
        "visits in the 6 months before churn " + counts[0] + " vs before " + counts[1]);
  }

  @Test
  void defaultersPayLaterAndLaterBeforeTheyDefault() {
    Dataset<Row> defaulters = truth.filter(col("will_default")
        .and(col("default_date").geq(to_date(lit("2024-07-01")))))
        .select("customer_id", "default_date");
    Dataset<Row> paidAt = company.table("payments").groupBy("invoice_id")
        .agg(org.apache.spark.sql.functions.max("paid_at").as("paid_at"));
    Column lateness = datediff(coalesce(col("paid_at"), col("default_date")), col("due_date"));
    Column dueBefore = datediff(col("default_date"), col("due_date"));
    Row r = company.table("invoices").filter(col("amount").gt(0))
        .join(defaulters, "customer_id")
        .join(paidAt, "invoice_id", "left")
        .agg(avg(when(dueBefore.geq(0).and(dueBefore.lt(150)), lateness)),
            avg(when(dueBefore.geq(270).and(dueBefore.lt(540)), lateness)),
            countDistinct(col("customer_id")))
        .first();
    assertTrue(r.getLong(2) >= 10, "enough defaulters: " + r.getLong(2));
    double recent = r.getDouble(0);
    double earlier = r.getDouble(1);
    assertTrue(recent > earlier + 20,
        "days late in the 5 months before default " + recent + " vs a year earlier " + earlier);
  }

  @Test
  void industriesBuyTheirTypicalProductGroups() {
    Dataset<Row> buyers = company.table("sales")
        .join(company.table("products").select("product_id", "product_group"), "product_id")
        .join(company.table("customers").select("customer_id", "industry"), "customer_id")
        .select("customer_id", "industry", "product_group").distinct();
    Map<String, Long> industrySize = new HashMap<>();
    for (Row r : company.table("customers").groupBy("industry").count().collectAsList()) {
      industrySize.put(r.getString(0), r.getLong(1));
    }
    Map<String, Double> overall = new HashMap<>();
    for (Row r : buyers.groupBy("product_group").agg(count(lit(1))).collectAsList()) {
      overall.put(r.getString(0), r.getLong(1) / (double) CUSTOMERS);
    }
    Map<String, List<Row>> affinity = new HashMap<>();
    for (Row r : company.affinity().collectAsList()) {
      affinity.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
    }
    int checked = 0;
    int matching = 0;
    for (Row r : buyers.groupBy("industry", "product_group").agg(count(lit(1)).as("n"))
        .collectAsList().stream()
        .filter(x -> industrySize.get(x.getString(0)) >= 80)
        .collect(java.util.stream.Collectors.groupingBy(x -> x.getString(0)))
        .values().stream().map(rows -> rows.stream().max(Comparator.comparingDouble(
            x -> x.getLong(2) / (double) industrySize.get(x.getString(0))
                / overall.get(x.getString(1)))).orElseThrow())
        .toList()) {
      List<String> topAffinity = affinity.get(r.getString(0)).stream()
          .sorted(Comparator.comparingDouble((Row a) -> a.getDouble(2)).reversed())
          .limit(3).map(a -> a.getString(1)).toList();
      checked++;
      if (topAffinity.contains(r.getString(1))) {
        matching++;
      }
    }
    assertTrue(checked >= 6 && matching >= 0.7 * checked,
        matching + " of " + checked + " industries' most over-bought group is a top-3 affinity");
  }

  @Test
  void ordersFollowTheSeasons() {
    Map<Integer, Long> byMonth = new HashMap<>();
    for (Row r : orders.groupBy(month(col("order_date"))).count().collectAsList()) {
      byMonth.put(r.getInt(0), r.getLong(1));
    }
    assertTrue(byMonth.get(8) < 0.8 * byMonth.get(3),
        "August " + byMonth.get(8) + " vs March " + byMonth.get(3));
    assertTrue(byMonth.get(11) > byMonth.get(8), "November beats August: " + byMonth);
  }

  @Test
  void fieldSalesWinsMoreOffersThanTheWeb() {
    Map<String, Double> winRate = new HashMap<>();
    for (Row r : company.table("offers").filter(col("status").notEqual("open"))
        .filter(col("qualified_at").isNotNull())
        .groupBy("channel")
        .agg(avg(when(col("status").equalTo("won"), 1.0).otherwise(0.0)))
        .collectAsList()) {
      winRate.put(r.getString(0), r.getDouble(1));
    }
    assertTrue(winRate.get("field") > winRate.get("web") + 0.05, "win rates " + winRate);
  }

  /**
   * Per customer that bought before 2025 and product group it did not buy in 2023–2024: whether it
   * bought the group in 2025 ({@code taken_up}), with the customer's industry and the truth's segment.
   */
  private static Dataset<Row> takeUps() {
    Dataset<Row> bought = company.table("sales").filter(col("line_type").equalTo("order"))
        .join(company.table("products").select("product_id", "product_group"), "product_id")
        .groupBy("customer_id", "product_group")
        .agg(max(when(col("order_date").lt(to_date(lit("2025-01-01"))), 1).otherwise(0)).as("before"),
            max(when(col("order_date").geq(to_date(lit("2025-01-01"))), 1).otherwise(0)).as("in_2025"));
    Dataset<Row> existing = bought.filter(col("before").equalTo(1)).select("customer_id").distinct()
        .join(company.table("customers").select("customer_id", "industry"), "customer_id")
        .join(truth.select("customer_id", "segment"), "customer_id");
    Dataset<Row> groups = company.table("products").select("product_group").distinct();
    return existing.crossJoin(groups)
        .join(bought, new String[] {"customer_id", "product_group"}, "left")
        .filter(coalesce(col("before"), lit(0)).equalTo(0))
        .withColumn("taken_up", coalesce(col("in_2025"), lit(0)).cast("double"));
  }

  private static double share(Dataset<Row> pairs) {
    return pairs.agg(avg(col("taken_up"))).first().getDouble(0);
  }

  @Test
  void groupsOfHighIndustryAffinityAreTakenUpMoreOften() {
    Dataset<Row> pairs = takeUps().join(company.affinity(),
        new String[] {"industry", "product_group"});
    double high = share(pairs.filter(col("weight").geq(1.5)));
    double base = share(pairs.filter(col("weight").lt(0.7)));
    assertTrue(high > 1.5 * base, "taken up in 2025: high-affinity groups " + high + ", base " + base);
  }

  @Test
  void largerCustomersTakeUpServiceAndMeasuringSoonerThanSmallOnes() {
    Dataset<Row> pairs = takeUps()
        .filter(col("product_group").isin("Service & Wartung", "Mess- & Prüftechnik"));
    double large = share(pairs.filter(col("segment").isin("Groß", "Key Account")));
    double small = share(pairs.filter(col("segment").equalTo("Klein")));
    assertTrue(large > 2 * small, "service and measuring taken up in 2025: Groß and Key Account " + large
        + ", Klein " + small);
  }

  @Test
  void holdersOfAnAntecedentTakeUpItsComplementMoreOften() {
    Dataset<Row> pairs = takeUps();
    Dataset<Row> boughtBefore = company.table("sales").filter(col("order_date").lt(to_date(lit("2025-01-01"))))
        .join(company.table("products").select("product_id", "product_group"), "product_id")
        .select(col("customer_id"), col("product_group").as(GroundTruth.ComplementGroups.ANTECEDENT_GROUP))
        .distinct().withColumn("holds_antecedent", lit(1));
    Dataset<Row> complements = pairs.join(company.complements()
            .withColumnRenamed(GroundTruth.ComplementGroups.COMPLEMENT_GROUP, "product_group"), "product_group")
        .join(boughtBefore, new String[] {"customer_id", GroundTruth.ComplementGroups.ANTECEDENT_GROUP}, "left");
    double holders = share(complements.filter(col("holds_antecedent").isNotNull()));
    double others = share(complements.filter(col("holds_antecedent").isNull()));
    assertTrue(holders > 1.5 * others, "complements taken up in 2025: by holders of the antecedent " + holders
        + ", by others " + others);
  }

  @Test
  void everyGroupTakenUpInTheHistoryIsBoughtWithinDaysOfItsAdoption() {
    Dataset<Row> adopted = company.groupAdoption()
        .filter(col(GroundTruth.GroupAdoptionTruth.ADOPTED_DATE).isNotNull());
    Dataset<Row> lines = company.table("sales")
        .join(company.table("products").select("product_id", "product_group"), "product_id")
        .select("customer_id", "product_group", "order_date");
    long total = adopted.count();
    long shown = adopted.join(lines, new String[] {"customer_id", "product_group"})
        .filter(datediff(col("order_date"), col(GroundTruth.GroupAdoptionTruth.ADOPTED_DATE)).between(0, 5))
        .select("customer_id", "product_group").distinct().count();
    assertTrue(total > CUSTOMERS / 4, "adoptions in the history: " + total);
    assertTrue(shown >= 0.95 * total, shown + " of " + total + " adoptions show in the sales within 5 days");
  }

  private static List<String> names(StructField[] fields) {
    return java.util.Arrays.stream(fields).map(StructField::name).toList();
  }
}
