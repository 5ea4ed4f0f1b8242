package org.crmanalytics.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Date;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.models.contract.Contract.Customers;
import org.crmanalytics.models.contract.Contract.Sales;
import org.crmanalytics.models.crosssell.CrossSellEvaluation;
import org.crmanalytics.models.crosssell.CrossSellSettings;
import org.crmanalytics.models.crosssell.ItemPurchases;
import org.crmanalytics.models.crosssell.RankingMetrics;
import org.crmanalytics.tools.generate.GroundTruth.ComplementGroups;
import org.crmanalytics.tools.generate.GroundTruth.GroupAdoptionTruth;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The cross-sell oracle on a hand-built company: its scores from the truth, its lists, and their grade. */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class CrossSellOracleTest {
  private static final LocalDate T = LocalDate.of(2025, 6, 30);
  private static final double H_A = 0.01;
  private static final double H_B = 0.01;
  private static final double H_C = 0.01;
  private static final double H_D = 0.02;
  private static final double LIFT = 3.0;
  /** Top 2, so that the second rank counts. */
  private static final CrossSellSettings TOP_2 = new CrossSellSettings("product_group", 12, 6, 2,
      CrossSellSettings.DEFAULTS.peers(), CrossSellSettings.DEFAULTS.whiteSpace(), CrossSellSettings.DEFAULTS.rules(),
      CrossSellSettings.DEFAULTS.collaborativeFiltering());

  private static Dataset<Row> truth(SparkSession spark) {
    List<Row> rows = List.of(
        // K1 held A from the start (A -> C lifts C); B was taken up before T but K1 did not buy it in the lookback.
        truthRow("K1", "A", true, null, H_A), truthRow("K1", "B", false, "2024-03-01", H_B),
        truthRow("K1", "C", false, null, H_C), truthRow("K1", "D", false, null, H_D),
        // K2 holds only B: its C has no lift, so D ranks first.
        truthRow("K2", "A", false, null, H_A), truthRow("K2", "B", true, null, H_B),
        truthRow("K2", "C", false, null, H_C), truthRow("K2", "D", false, null, H_D),
        // K3's account is opened after T: it is not graded.
        truthRow("K3", "A", true, null, H_A), truthRow("K3", "B", false, null, H_B),
        truthRow("K3", "C", false, null, H_C), truthRow("K3", "D", false, null, H_D));
    return spark.createDataFrame(rows, GroupAdoptionTruth.SCHEMA);
  }

  private static Row truthRow(String customer, String group, boolean initial, String adopted, double hazard) {
    return RowFactory.create(customer, group, initial, adopted == null ? null : Date.valueOf(adopted), hazard);
  }

  private static Dataset<Row> complements(SparkSession spark) {
    return spark.createDataFrame(List.of(RowFactory.create("A", "C", LIFT)), ComplementGroups.SCHEMA);
  }

  @Test
  void scoresAreTheChanceOfTakingUpWithinTheHorizonWithTheComplementLiftAndHeldGroupsFirst(SparkSession spark) {
    Map<String, Double> score = new HashMap<>();
    for (Row r : CrossSellOracle.scores(truth(spark), complements(spark), T, 6).collectAsList()) {
      score.put(r.getString(0) + "/" + r.getString(1), r.getDouble(2));
    }
    assertEquals(12, score.size(), score.toString());
    assertEquals(1 - Math.exp(-H_C * LIFT * 6), score.get("K1/C"), 1e-12, "K1 holds A, the antecedent of C");
    assertEquals(1 - Math.exp(-H_C * 6), score.get("K2/C"), 1e-12, "K2 does not hold A");
    assertEquals(1 - Math.exp(-H_D * 6), score.get("K1/D"), 1e-12);
    assertEquals(1.0, score.get("K1/B"), 1e-12, "taken up before T: the oracle knows K1 buys B");
    assertEquals(1.0, score.get("K2/B"), 1e-12, "held from the start");
  }

  @Test
  void theOracleListsAreGradedOnNewAdoptionsWithTheEvaluationsMetrics(SparkSession spark) {
    StructType customerSchema = new StructType().add(Customers.CUSTOMER_ID, DataTypes.StringType)
        .add(Customers.CREATED_AT, DataTypes.DateType);
    Dataset<Row> customers = spark.createDataFrame(List.of(
        RowFactory.create("K1", Date.valueOf("2020-01-01")), RowFactory.create("K2", Date.valueOf("2020-01-01")),
        RowFactory.create("K3", Date.valueOf("2025-08-01"))), customerSchema);
    StructType salesSchema = new StructType().add(Sales.CUSTOMER_ID, DataTypes.StringType)
        .add(Sales.ORDER_ID, DataTypes.StringType).add(Sales.ORDER_DATE, DataTypes.DateType)
        .add(Sales.LINE_TYPE, DataTypes.StringType).add(Sales.NET_AMOUNT, DataTypes.DoubleType)
        .add("product_group", DataTypes.StringType);
    Dataset<Row> sales = spark.createDataFrame(List.of(
        // the lookback (T - 12 months, T]: K1 buys A, K2 buys B
        sale("K1", "o1", "2025-02-01", "A"), sale("K2", "o2", "2025-03-01", "B"),
        // the horizon (T, T + 6 months]: K1 buys D (its oracle rank 3: B held, C lifted, then D) and A again;
        // K2 takes up D (its rank 1, before A and C, tied and ordered by name); K3 (not a customer at T) takes up C.
        sale("K1", "o3", "2025-09-01", "D"), sale("K1", "o3", "2025-09-01", "A"),
        sale("K2", "o4", "2025-10-01", "D"), sale("K3", "o5", "2025-10-01", "C"),
        // after the horizon: not an adoption of the period
        sale("K2", "o6", "2026-01-15", "C")), salesSchema);
    ItemPurchases purchases = ItemPurchases.of(ItemPurchases.lines(sales, null, "product_group"));

    CrossSellEvaluation.Result r = CrossSellOracle.grade(customers, purchases, truth(spark), complements(spark), T, TOP_2);
    assertEquals(T, r.recommendedAt());
    assertEquals(LocalDate.of(2025, 12, 31), r.observedUntil());
    RankingMetrics.Metrics m = r.method(CrossSellOracle.ORACLE).metrics();
    // K1's top 2 is B then C (D missed); K2's is D then A (D hit at rank 1). K3 was not a customer at T.
    assertEquals(2, m.customers());
    assertEquals(0.5, m.hitRate(), 1e-12);
    assertEquals((0.0 + 0.5) / 2, m.precisionAtK(), 1e-12);
    assertEquals((0.0 + 1.0) / 2, m.recallAtK(), 1e-12);
    assertEquals((0.0 + 1.0) / 2, m.ndcgAtK(), 1e-12);
  }

  private static Row sale(String customer, String order, String date, String group) {
    return RowFactory.create(customer, order, Date.valueOf(date), Sales.TYPE_ORDER, 100.0, group);
  }
}
