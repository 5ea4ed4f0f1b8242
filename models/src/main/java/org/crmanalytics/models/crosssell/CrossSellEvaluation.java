package org.crmanalytics.models.crosssell;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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
  public static Result evaluate(Dataset<Row> customers, Dataset<Row> lines, LocalDate at, CrossSellSettings s) {
    return evaluate(CrossSell.recommend(customers, lines, at, s), customers, lines, s);
  }

  /** Grades what {@link CrossSell#recommend} produced at its date. */
  public static Result evaluate(CrossSell.Result recommended, Dataset<Row> customers, Dataset<Row> lines,
      CrossSellSettings s) {
    LocalDate at = recommended.at();
    LocalDate end = ItemPurchases.monthsFrom(at, s.horizonMonths());
    int k = s.topK();
    Dataset<Row> known = PeerGroups.customersAt(customers, at);
    Dataset<Row> adopted = ItemPurchases.adoptedAfter(lines, at, s.lookbackMonths(), s.horizonMonths())
        .join(known.select(Customers.CUSTOMER_ID), Sales.CUSTOMER_ID);
    Dataset<Row> realised = ItemPurchases.bought(lines, at, end)
        .select(col(Sales.CUSTOMER_ID), col(ItemPurchases.ITEM), col(ItemPurchases.SPEND).as("_realised"));
    Dataset<Row> fresh = recommended.candidates().filter(col(CrossSell.HELD).equalTo(0.0));
    // each list is graded twice (ranks, €) against the same outcomes and holdings: computed once
    Dataset<Row> held = ItemPurchases.boughtBefore(lines, at, s.lookbackMonths()).persist(StorageLevel.MEMORY_AND_DISK());
    adopted = adopted.persist(StorageLevel.MEMORY_AND_DISK());
    realised = realised.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return new Result(at, end, k, grades(fresh, held, known, adopted, realised, k, 12.0 / s.horizonMonths()));
    } finally {
      held.unpersist();
      adopted.unpersist();
      realised.unpersist();
    }
  }

  private static List<MethodResult> grades(Dataset<Row> fresh, Dataset<Row> held, Dataset<Row> known, Dataset<Row> adopted,
      Dataset<Row> realised, int k, double perYear) {
    List<MethodResult> out = new ArrayList<>();
    out.add(grade(CrossSell.BLEND, RankingMetrics.top(fresh, k, col(CrossSell.EURO_POTENTIAL)), col(CrossSell.EURO_POTENTIAL),
        adopted, realised, k, perYear));
    out.add(grade(CrossSell.WHITE_SPACE, RankingMetrics.top(fresh, k, col(WhiteSpace.PENETRATION), col(WhiteSpace.POTENTIAL)),
        col(WhiteSpace.POTENTIAL), adopted, realised, k, perYear));
    out.add(grade(CrossSell.ASSOCIATION_RULES, RankingMetrics.top(fresh.filter(col(CrossSell.RULE_CONFIDENCE).isNotNull()), k,
        col(CrossSell.RULE_CONFIDENCE), col(CrossSell.RULE_LIFT)), null, adopted, realised, k, perYear));
    out.add(grade(CrossSell.COLLABORATIVE_FILTERING, RankingMetrics.top(
        fresh.filter(col(CollaborativeFiltering.CF_SCORE).isNotNull()), k, col(CollaborativeFiltering.CF_SCORE)), null,
        adopted, realised, k, perYear));
    out.add(grade(POPULARITY, popularity(known, held, k, false), null, adopted, realised, k, perYear));
    out.add(grade(INDUSTRY_POPULARITY, popularity(known, held, k, true), null, adopted, realised, k, perYear));
    return out;
  }

  private static MethodResult grade(String method, Dataset<Row> lists, Column predicted, Dataset<Row> adopted,
      Dataset<Row> realised, int k, double perYear) {
    RankingMetrics.Metrics metrics = RankingMetrics.of(lists, adopted, k);
    Row euro = lists.join(realised, new String[] {Sales.CUSTOMER_ID, ItemPurchases.ITEM}, "left")
        .agg(predicted == null ? lit(null).cast("double") : sum(predicted), sum(coalesce(col("_realised"), lit(0.0))))
        .first();
    return new MethodResult(method, metrics, euro.isNullAt(0) ? Double.NaN : euro.getDouble(0),
        euro.isNullAt(1) ? 0.0 : euro.getDouble(1) * perYear);
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
