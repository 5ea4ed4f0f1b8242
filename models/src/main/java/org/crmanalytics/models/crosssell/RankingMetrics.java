package org.crmanalytics.models.crosssell;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log2;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.crmanalytics.models.contract.Contract.Sales;

/**
 * Top-k lists and how well they find what customers went on to buy (docs/cross-sell.md,
 * "Evaluation"). The averages run over the customers with at least one relevant item; a customer
 * without a list counts with no hits.
 *
 * <ul>
 *   <li>hit rate: share of customers with at least one relevant item in their top k;
 *   <li>precision@k: hits / k; recall@k: hits / relevant items;
 *   <li>NDCG@k (Järvelin and Kekäläinen 2002, binary relevance): DCG = Σ over hits at rank r of
 *       1 / log2(r + 1), divided by the DCG of an ideal list, Σ_{r=1}^{min(relevant, k)} 1 / log2(r + 1).
 * </ul>
 */
public final class RankingMetrics {
  /** Which list a row belongs to, where several are graded at once ({@link #byList}). */
  public static final String LIST = "_list";
  /** Position in a customer's list, 1 first. */
  public static final String RANK = "rank";

  /** The averages over {@code customers} customers with at least one relevant item. */
  public record Metrics(long customers, double hitRate, double precisionAtK, double recallAtK, double ndcgAtK) {}

  private RankingMetrics() {}

  /**
   * The top {@code k} rows per customer by the scores (highest first, the first score deciding;
   * remaining ties by item, so that a list is reproducible), with their {@link #RANK}.
   */
  public static Dataset<Row> top(Dataset<Row> scored, int k, Column... scores) {
    Column[] order = new Column[scores.length + 1];
    for (int i = 0; i < scores.length; i++) {
      order[i] = scores[i].desc_nulls_last();
    }
    order[scores.length] = col(ItemPurchases.ITEM).asc();
    return scored.withColumn(RANK, row_number().over(Window.partitionBy(col(Sales.CUSTOMER_ID)).orderBy(order)))
        .filter(col(RANK).leq(k));
  }

  /**
   * @param lists customer_id, item, {@link #RANK}
   * @param relevant customer_id, item: what each customer went on to buy
   */
  public static Metrics of(Dataset<Row> lists, Dataset<Row> relevant, int k) {
    return byList(lists.withColumn(LIST, lit("")), List.of(""), relevant, k).get("");
  }

  /**
   * Several lists graded in one query: {@code lists} holds them all, told apart by {@link #LIST};
   * each named list is graded against the same customers (a list without rows for a customer
   * counts with no hits there).
   *
   * @param names the lists' names, in the order of the map returned
   */
  public static Map<String, Metrics> byList(Dataset<Row> lists, List<String> names, Dataset<Row> relevant, int k) {
    Column[] idealDcg = new Column[k];
    double ideal = 0;
    for (int r = 1; r <= k; r++) {
      ideal += 1 / (Math.log(r + 1) / Math.log(2));
      idealDcg[r - 1] = lit(ideal);
    }
    Dataset<Row> rel = relevant.select(col(Sales.CUSTOMER_ID), col(ItemPurchases.ITEM)).distinct();
    Dataset<Row> perCustomer = rel.groupBy(col(Sales.CUSTOMER_ID)).agg(count(lit(1)).as("_relevant"));
    Dataset<Row> hits = lists.filter(col(RANK).leq(k)).join(rel, new String[] {Sales.CUSTOMER_ID, ItemPurchases.ITEM})
        .groupBy(col(LIST), col(Sales.CUSTOMER_ID))
        .agg(count(lit(1)).as("_hits"), sum(lit(1.0).divide(log2(col(RANK).plus(1)))).as("_dcg"));
    Dataset<Row> named = relevant.sparkSession().createDataset(names, Encoders.STRING()).toDF(LIST);
    Column h = coalesce(col("_hits"), lit(0L));
    Column dcg = coalesce(col("_dcg"), lit(0.0));
    Map<String, Metrics> out = new LinkedHashMap<>();
    names.forEach(n -> out.put(n, new Metrics(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN)));
    perCustomer.crossJoin(named).join(hits, new String[] {LIST, Sales.CUSTOMER_ID}, "left")
        .groupBy(col(LIST))
        .agg(count(lit(1)), avg(when(h.gt(0), 1.0).otherwise(0.0)), avg(h.divide(k)), avg(h.divide(col("_relevant"))),
            avg(dcg.divide(element_at(array(idealDcg), least(col("_relevant").cast("int"), lit(k))))))
        .collectAsList()
        .forEach(r -> out.put(r.getString(0), new Metrics(r.getLong(1), r.getDouble(2), r.getDouble(3), r.getDouble(4),
            r.getDouble(5))));
    return out;
  }
}
