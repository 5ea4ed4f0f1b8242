package org.crmanalytics.tools.bench;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.Contract.Sales;
import org.crmanalytics.models.crosssell.CrossSellEvaluation;
import org.crmanalytics.models.crosssell.CrossSellSettings;
import org.crmanalytics.models.crosssell.ItemPurchases;
import org.crmanalytics.models.crosssell.PeerGroups;
import org.crmanalytics.models.crosssell.RankingMetrics;
import org.crmanalytics.tools.generate.GroundTruth;
import org.crmanalytics.tools.generate.GroundTruth.ComplementGroups;
import org.crmanalytics.tools.generate.GroundTruth.GroupAdoptionTruth;

/**
 * The cross-sell oracle of a generated company: at T = as_of − horizon, every customer's product
 * groups it did not buy in the lookback window, ranked by what the generator knows (ground truth
 * {@code group_adoption}, {@code complement_groups}), graded on the groups newly adopted in
 * (T, T + horizon] with the models' own definitions and metric code (ItemPurchases, PeerGroups,
 * RankingMetrics), so the figures sit beside the test period of {@code train cross_sell}.
 *
 * <p>The oracle's score is the chance of taking the group up within the horizon,
 * {@code 1 − exp(−hazard · lift · months)}, with the complement lift where the customer holds an
 * antecedent at T; a group the customer truly holds at T (held from the start or taken up before T)
 * but did not buy in the lookback scores 1: the generator knows it is a buyer of it.
 */
public final class CrossSellOracle {
  public static final String ORACLE = "oracle";
  static final String SCORE = "_oracle_score";

  private CrossSellOracle() {}

  /** Reads the generated company in {@code format} (csv or parquet) and grades the oracle at as_of − horizon. */
  public static CrossSellEvaluation.Result grade(SparkSession spark, Path company, String format, LocalDate asOf,
      CrossSellSettings s) {
    Dataset<Row> products = read(spark, company, Contract.Products.NAME, schema(Contract.Products.NAME), format);
    ItemPurchases purchases = ItemPurchases.of(s.lines(read(spark, company, Contract.Sales.NAME,
        schema(Contract.Sales.NAME), format), products));
    return grade(read(spark, company, Contract.Customers.NAME, schema(Contract.Customers.NAME), format), purchases,
        read(spark, company, GroundTruth.FOLDER + "/" + GroupAdoptionTruth.NAME, GroupAdoptionTruth.SCHEMA, format),
        read(spark, company, GroundTruth.FOLDER + "/" + ComplementGroups.NAME, ComplementGroups.SCHEMA, format),
        ItemPurchases.monthsFrom(asOf, -s.horizonMonths()), s);
  }

  /**
   * Recommends at {@code at} from the truth and grades on (at, at + horizon].
   *
   * @param purchases sales lines at the product-group level ({@link ItemPurchases#of})
   */
  public static CrossSellEvaluation.Result grade(Dataset<Row> customers, ItemPurchases purchases, Dataset<Row> truth,
      Dataset<Row> complements, LocalDate at, CrossSellSettings s) {
    LocalDate end = ItemPurchases.monthsFrom(at, s.horizonMonths());
    Dataset<Row> known = PeerGroups.customersAt(customers, at).select(col(Contract.Customers.CUSTOMER_ID));
    Dataset<Row> held = purchases.boughtBefore(at, s.lookbackMonths())
        .select(col(Sales.CUSTOMER_ID), col(ItemPurchases.ITEM));
    Dataset<Row> adopted = purchases.adoptedAfter(at, s.lookbackMonths(), s.horizonMonths())
        .join(known, Sales.CUSTOMER_ID);
    Dataset<Row> candidates = scores(truth, complements, at, s.horizonMonths())
        .join(known, Sales.CUSTOMER_ID)
        .join(held, new String[] {Sales.CUSTOMER_ID, ItemPurchases.ITEM}, "left_anti");
    RankingMetrics.Metrics metrics = RankingMetrics.of(RankingMetrics.top(candidates, s.topK(), col(SCORE)), adopted,
        s.topK());
    return new CrossSellEvaluation.Result(at, end, s.topK(),
        List.of(new CrossSellEvaluation.MethodResult(ORACLE, metrics, Double.NaN, Double.NaN)));
  }

  /** customer_id, item (the product group), {@link #SCORE}: the oracle's score of every group at {@code at}. */
  static Dataset<Row> scores(Dataset<Row> truth, Dataset<Row> complements, LocalDate at, int horizonMonths) {
    Column heldAt = col(GroupAdoptionTruth.INITIALLY_HELD)
        .or(coalesce(col(GroupAdoptionTruth.ADOPTED_DATE).leq(lit(java.sql.Date.valueOf(at))), lit(false)));
    Dataset<Row> t = truth.withColumn("_held", heldAt);
    // lifts per customer and complement, from the antecedents held at T (renamed: t is joined to itself)
    Dataset<Row> lifts = t.filter(col("_held"))
        .select(col(GroupAdoptionTruth.CUSTOMER_ID).as("_customer"),
            col(GroupAdoptionTruth.PRODUCT_GROUP).as(ComplementGroups.ANTECEDENT_GROUP))
        .join(complements, ComplementGroups.ANTECEDENT_GROUP)
        .groupBy(col("_customer"), col(ComplementGroups.COMPLEMENT_GROUP).as("_group"))
        .agg(max(col(ComplementGroups.HAZARD_LIFT)).as("_lift"));
    Dataset<Row> withLift = t.join(lifts, col(GroupAdoptionTruth.CUSTOMER_ID).equalTo(col("_customer"))
        .and(col(GroupAdoptionTruth.PRODUCT_GROUP).equalTo(col("_group"))), "left");
    Column rate = col(GroupAdoptionTruth.MONTHLY_HAZARD).multiply(coalesce(col("_lift"), lit(1.0)))
        .multiply(horizonMonths);
    return withLift.select(col(GroupAdoptionTruth.CUSTOMER_ID).as(Sales.CUSTOMER_ID),
        col(GroupAdoptionTruth.PRODUCT_GROUP).as(ItemPurchases.ITEM),
        when(col("_held"), lit(1.0)).otherwise(lit(1.0).minus(exp(rate.multiply(-1)))).as(SCORE));
  }

  private static StructType schema(String table) {
    return Contract.table(table).orElseThrow().schema();
  }

  /** A generated table with its schema (CSV as the generator writes it). */
  private static Dataset<Row> read(SparkSession spark, Path company, String folder, StructType schema, String format) {
    String path = company.resolve(folder).toString();
    if (format.equals("parquet")) {
      return spark.read().parquet(path);
    }
    return spark.read().schema(schema).option("header", "true").option("escape", "\"")
        .option("dateFormat", "yyyy-MM-dd").option("timestampFormat", "yyyy-MM-dd HH:mm:ss").csv(path);
  }
}
