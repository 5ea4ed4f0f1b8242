package org.crmanalytics.models.crosssell;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.crmanalytics.models.contract.Contract.Customers;
import org.crmanalytics.models.contract.Contract.Sales;

/**
 * Recommend at T, observe (T, T + horizon]: each method's top k of the items a customer did not
 * buy in the lookback window before T, and the blend's, against two baselines (the items most
 * customers bought, and the items most customers of the same industry bought), graded on the
 * items customers newly adopted (docs/cross-sell.md, "Evaluation"). The € columns compare what a
 * list promised per year with what its items brought in the window, scaled to a year.
 */
public final class CrossSellEvaluation {
  public static final String POPULARITY = "popularity";
  public static final String INDUSTRY_POPULARITY = "industry_popularity";
  private static final String PREDICTED = "_predicted_eur";

  /**
   * One list's grade.
   *
   * @param predictedEuro the € per year the list promised (the blend: € potential; white space: the
   *     gap); NaN for a method without € figures
   * @param realisedEuro what the customers spent on the listed items in the window, per year
   */
  public record MethodResult(String method, RankingMetrics.Metrics metrics, double predictedEuro, double realisedEuro) {
    /** Realised over predicted €: 1 is a well-sized potential. */
    public double realisedShare() {
      return predictedEuro > 0 ? realisedEuro / predictedEuro : Double.NaN;
    }
  }

  /** The grades of every list, the blend's first, the baselines last. */
  public record Result(LocalDate recommendedAt, LocalDate observedUntil, int k, List<MethodResult> methods) {
    public Result {
      methods = List.copyOf(methods);
    }

    public MethodResult method(String name) {
      return methods.stream().filter(m -> m.method().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no method " + name + " in " + methods));
    }

    /** A header and one tab-separated line per method, for a job to print or store. */
    public List<String> lines() {
      List<String> out = new ArrayList<>();
      out.add(String.join("\t", "method", "customers", "hit_rate", "precision_at_" + k, "recall_at_" + k, "ndcg_at_" + k,
          "predicted_eur", "realised_eur", "realised_share"));
      for (MethodResult m : methods) {
        RankingMetrics.Metrics x = m.metrics();
        out.add(String.format(Locale.ROOT, "%s\t%d\t%.4f\t%.4f\t%.4f\t%.4f\t%.2f\t%.2f\t%.4f", m.method(), x.customers(),
            x.hitRate(), x.precisionAtK(), x.recallAtK(), x.ndcgAtK(), m.predictedEuro(), m.realisedEuro(), m.realisedShare()));
      }
      return out;
    }
  }

  private CrossSellEvaluation() {}

  /** Recommends at {@code at} (reading nothing after it) and grades the lists on (at, at + horizon]. */
  public static Result evaluate(Dataset<Row> customers, ItemPurchases purchases, LocalDate at, CrossSellSettings s) {
    return evaluate(CrossSell.recommend(customers, purchases, at, s), customers, purchases, s);
  }

  /** Grades what {@link CrossSell#recommend} produced at its date. */
  public static Result evaluate(CrossSell.Result recommended, Dataset<Row> customers, ItemPurchases purchases,
      CrossSellSettings s) {
    LocalDate at = recommended.at();
    LocalDate end = ItemPurchases.monthsFrom(at, s.horizonMonths());
    int k = s.topK();
    Dataset<Row> known = PeerGroups.customersAt(customers, at);
    Dataset<Row> adopted = purchases.adoptedAfter(at, s.lookbackMonths(), s.horizonMonths())
        .join(known.select(Customers.CUSTOMER_ID), Sales.CUSTOMER_ID);
    Dataset<Row> realised = purchases.bought(at, end)
        .select(col(Sales.CUSTOMER_ID), col(ItemPurchases.ITEM), col(ItemPurchases.SPEND).as("_realised"));
    Dataset<Row> fresh = recommended.candidates().filter(col(CrossSell.HELD).equalTo(0.0));
    // each list is graded twice (ranks, €) against the same outcomes (the windows themselves are kept by purchases)
    Dataset<Row> held = purchases.boughtBefore(at, s.lookbackMonths());
    adopted = adopted.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return new Result(at, end, k, grades(fresh, held, known, adopted, realised, k, 12.0 / s.horizonMonths()));
    } finally {
      adopted.unpersist();
    }
  }

  private static List<MethodResult> grades(Dataset<Row> fresh, Dataset<Row> held, Dataset<Row> known, Dataset<Row> adopted,
      Dataset<Row> realised, int k, double perYear) {
    Map<String, Dataset<Row>> lists = new LinkedHashMap<>();
    lists.put(CrossSell.BLEND, list(RankingMetrics.top(fresh, k, col(CrossSell.EURO_POTENTIAL)), col(CrossSell.EURO_POTENTIAL)));
    lists.put(CrossSell.WHITE_SPACE, list(RankingMetrics.top(fresh, k, col(WhiteSpace.PENETRATION), col(WhiteSpace.POTENTIAL)),
        col(WhiteSpace.POTENTIAL)));
    lists.put(CrossSell.ASSOCIATION_RULES, list(RankingMetrics.top(fresh.filter(col(CrossSell.RULE_CONFIDENCE).isNotNull()), k,
        col(CrossSell.RULE_CONFIDENCE), col(CrossSell.RULE_LIFT)), null));
    lists.put(CrossSell.COLLABORATIVE_FILTERING, list(RankingMetrics.top(
        fresh.filter(col(CollaborativeFiltering.CF_SCORE).isNotNull()), k, col(CollaborativeFiltering.CF_SCORE)), null));
    lists.put(POPULARITY, list(popularity(known, held, k, false), null));
    lists.put(INDUSTRY_POPULARITY, list(popularity(known, held, k, true), null));
    // every list graded in one query for the ranks and one for the €, from the lists computed once
    Dataset<Row> all = lists.entrySet().stream().map(e -> e.getValue().withColumn(RankingMetrics.LIST, lit(e.getKey())))
        .reduce(Dataset::unionByName).orElseThrow().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<String> names = List.copyOf(lists.keySet());
      Map<String, RankingMetrics.Metrics> metrics = RankingMetrics.byList(all, names, adopted, k);
      Map<String, Row> euro = new HashMap<>();
      all.join(realised, new String[] {Sales.CUSTOMER_ID, ItemPurchases.ITEM}, "left")
          .groupBy(col(RankingMetrics.LIST))
          .agg(sum(col(PREDICTED)), sum(coalesce(col("_realised"), lit(0.0))))
          .collectAsList().forEach(r -> euro.put(r.getString(0), r));
      List<MethodResult> out = new ArrayList<>();
      for (String method : names) {
        Row e = euro.get(method);
        out.add(new MethodResult(method, metrics.get(method), e == null || e.isNullAt(1) ? Double.NaN : e.getDouble(1),
            e == null || e.isNullAt(2) ? 0.0 : e.getDouble(2) * perYear));
      }
      return out;
    } finally {
      all.unpersist();
    }
  }

  /** A list's rows as graded: customer_id, item, rank and the € it promised (null for a method without € figures). */
  private static Dataset<Row> list(Dataset<Row> top, Column predicted) {
    return top.select(col(Sales.CUSTOMER_ID), col(ItemPurchases.ITEM), col(RankingMetrics.RANK),
        (predicted == null ? lit(null) : predicted).cast("double").as(PREDICTED));
  }

  /**
   * The baselines: every customer's top k of the items it did not buy, by how many customers
   * bought each (in the customer's industry first, when {@code byIndustry}; then overall).
   */
  static Dataset<Row> popularity(Dataset<Row> customers, Dataset<Row> held, int k, boolean byIndustry) {
    Dataset<Row> overall = held.groupBy(col(ItemPurchases.ITEM)).agg(count(lit(1)).as("_buyers"));
    Dataset<Row> c = customers.select(col(Customers.CUSTOMER_ID), col(Customers.INDUSTRY).cast("string").as("_industry"));
    Dataset<Row> candidates = c.crossJoin(overall)
        .join(held.select(Sales.CUSTOMER_ID, ItemPurchases.ITEM), new String[] {Sales.CUSTOMER_ID, ItemPurchases.ITEM},
            "left_anti");
    if (!byIndustry) {
      return RankingMetrics.top(candidates, k, col("_buyers"));
    }
    Dataset<Row> inIndustry = held.join(c, Sales.CUSTOMER_ID).groupBy(col("_industry"), col(ItemPurchases.ITEM))
        .agg(count(lit(1)).as("_industry_buyers"));
    return RankingMetrics.top(candidates.join(inIndustry, new String[] {"_industry", ItemPurchases.ITEM}, "left"), k,
        coalesce(col("_industry_buyers"), lit(0L)), col("_buyers"));
  }
}
