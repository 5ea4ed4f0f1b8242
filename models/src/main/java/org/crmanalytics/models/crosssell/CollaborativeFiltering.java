package org.crmanalytics.models.crosssell;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.log1p;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.contract.Contract.Sales;

/**
 * Collaborative filtering with MLlib's ALS on implicit feedback (Hu, Koren and Volinsky 2008):
 * customer × item preferences from what customers bought in the lookback window, confidence
 * {@code 1 + alpha · r}. The hyper-parameters (rank, regularisation, alpha) are chosen on a
 * validation period only: fitted at V = T − horizon, graded on the adoptions in (V, T], so that
 * nothing after T is read and the evaluation period after T stays unseen.
 */
public final class CollaborativeFiltering {
  public static final String CF_SCORE = "cf_score";
  private static final String USER = "_user";
  private static final String ITEM_INDEX = "_item_index";
  private static final String RATING = "_rating";

  /** What the preference r of a customer for an item is. */
  public enum Feedback {
    /** log(1 + net spend): spend spans orders of magnitude, and alpha · r must stay comparable. */
    SPEND,
    /** Number of orders with the item. */
    ORDERS
  }

  /**
   * @param ranks, regParams, alphas the grid searched on the validation period (every combination)
   * @param maxIter ALS iterations per fit (each one a few Spark jobs)
   * @param blocks user and item blocks of ALS (its parallelism)
   */
  public record Settings(Feedback feedback, List<Integer> ranks, List<Double> regParams, List<Double> alphas, int maxIter,
      int blocks, long seed) {
    public static final Settings DEFAULTS = new Settings(Feedback.ORDERS, List.of(5, 10), List.of(0.01, 0.1),
        List.of(1.0, 10.0), 10, 10, 42L);

    public Settings {
      ranks = List.copyOf(ranks);
      regParams = List.copyOf(regParams);
      alphas = List.copyOf(alphas);
      if (feedback == null || ranks.isEmpty() || regParams.isEmpty() || alphas.isEmpty()
          || ranks.stream().anyMatch(r -> r < 1) || regParams.stream().anyMatch(r -> r < 0)
          || alphas.stream().anyMatch(a -> a < 0) || maxIter < 1 || blocks < 1) {
        throw new IllegalArgumentException("cross-sell ALS settings: a feedback, ranks ≥ 1, regularisation and alpha "
            + "≥ 0 (each at least one value), iterations and blocks ≥ 1: " + this);
      }
    }
  }

  /** One combination of the grid with its validation figures. */
  public record GridPoint(int rank, double regParam, double alpha, RankingMetrics.Metrics validation) {}

  /**
   * What the validation chose: fitted at {@code validationDate}, graded on adoptions in
   * (validationDate, validationEnd]; {@code chosen} has the best NDCG@k (the first in grid order on
   * a tie); {@code validationScores} are its scores at the validation date (the blend calibrates
   * on them).
   */
  public record Choice(LocalDate validationDate, LocalDate validationEnd, GridPoint chosen, List<GridPoint> grid,
      Dataset<Row> validationScores) {
    public Choice {
      grid = List.copyOf(grid);
    }
  }

  private CollaborativeFiltering() {}

  /** Chooses the hyper-parameters for recommending at {@code at}, from data up to {@code at} only. */
  public static Choice choose(ItemPurchases purchases, LocalDate at, CrossSellSettings s) {
    LocalDate validation = ItemPurchases.monthsFrom(at, -s.horizonMonths());
    Dataset<Row> adopted = purchases.adoptedAfter(validation, s.lookbackMonths(), s.horizonMonths());
    Settings cf = s.collaborativeFiltering();
    List<GridPoint> grid = new ArrayList<>();
    GridPoint best = null;
    Dataset<Row> bestScores = null;
    for (int rank : cf.ranks()) {
      for (double reg : cf.regParams()) {
        for (double alpha : cf.alphas()) {
          Dataset<Row> scores = scores(purchases, validation, s, rank, reg, alpha);
          RankingMetrics.Metrics m = RankingMetrics.of(RankingMetrics.top(scores, s.topK(), col(CF_SCORE)), adopted,
              s.topK());
          GridPoint point = new GridPoint(rank, reg, alpha, m);
          grid.add(point);
          if (best == null || m.ndcgAtK() > best.validation().ndcgAtK()) {
            best = point;
            bestScores = scores;
          }
        }
      }
    }
    return new Choice(validation, at, best, grid, bestScores);
  }

  /** The scores at {@code at} with the chosen hyper-parameters. */
  public static Dataset<Row> scores(ItemPurchases purchases, LocalDate at, CrossSellSettings s, GridPoint chosen) {
    return scores(purchases, at, s, chosen.rank(), chosen.regParam(), chosen.alpha());
  }

  /**
   * ALS fitted on the preferences at {@code at}: customer_id, item, {@link #CF_SCORE} for every
   * item a customer with purchases in the lookback window has not bought then. Customers without
   * purchases get no row (ALS knows nothing of them).
   */
  static Dataset<Row> scores(ItemPurchases purchases, LocalDate at, CrossSellSettings s, int rank, double regParam,
      double alpha) {
    Settings cf = s.collaborativeFiltering();
    Dataset<Row> bought = purchases.boughtBefore(at, s.lookbackMonths());
    Dataset<Row> preference = bought.select(col(Sales.CUSTOMER_ID), col(ItemPurchases.ITEM),
        (cf.feedback() == Feedback.SPEND ? log1p(col(ItemPurchases.SPEND)) : col(ItemPurchases.ORDERS).cast("double"))
            .as(RATING));
    Dataset<Row> users = indexed(preference.select(Sales.CUSTOMER_ID).distinct(), Sales.CUSTOMER_ID, USER);
    Dataset<Row> items = indexed(preference.select(ItemPurchases.ITEM).distinct(), ItemPurchases.ITEM, ITEM_INDEX);
    Dataset<Row> ratings = preference.join(users, Sales.CUSTOMER_ID).join(items, ItemPurchases.ITEM);
    ALSModel model = new ALS().setImplicitPrefs(true).setRank(rank).setRegParam(regParam).setAlpha(alpha)
        .setMaxIter(cf.maxIter()).setNumUserBlocks(cf.blocks()).setNumItemBlocks(cf.blocks()).setSeed(cf.seed())
        .setUserCol(USER).setItemCol(ITEM_INDEX).setRatingCol(RATING).setPredictionCol(CF_SCORE)
        .setColdStartStrategy("drop").fit(ratings);
    Dataset<Row> candidates = users.crossJoin(items)
        .join(bought.select(Sales.CUSTOMER_ID, ItemPurchases.ITEM), new String[] {Sales.CUSTOMER_ID, ItemPurchases.ITEM},
            "left_anti");
    return model.transform(candidates).select(col(Sales.CUSTOMER_ID), col(ItemPurchases.ITEM),
        col(CF_SCORE).cast("double").as(CF_SCORE));
  }

  /**
   * Dense int ids 0.. in the order of the string ids (reproducible from run to run), numbered on
   * the executors: ALS needs int ids, and no id list is collected to the driver.
   */
  static Dataset<Row> indexed(Dataset<Row> distinctIds, String idColumn, String indexColumn) {
    JavaRDD<Row> numbered = distinctIds.select(idColumn).orderBy(idColumn).javaRDD().zipWithIndex()
        .map(t -> RowFactory.create(t._1().getString(0), Math.toIntExact(t._2())));
    StructType schema = new StructType().add(idColumn, DataTypes.StringType, false).add(indexColumn, DataTypes.IntegerType, false);
    return distinctIds.sparkSession().createDataFrame(numbered, schema);
  }
}
