package org.crmanalytics.models.crosssell;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.crmanalytics.models.contract.Contract.Customers;
import org.crmanalytics.models.contract.Contract.Sales;

/**
 * The blend (docs/cross-sell.md): per customer one ranked list of the items it does not buy
 * regularly, by € potential = probability of adoption × the white-space gap. The probability is
 * a logistic regression over the methods' evidence (peer penetration, rule confidence and lift,
 * ALS score, whether the customer buys the item a little already), fitted on the validation
 * date V = T − horizon against what customers bought in (V, T]: calibrated on the last period
 * whose outcome is known at T, so nothing after T is read.
 */
public final class CrossSell {
  public static final String PROBABILITY = "probability";
  public static final String EURO_POTENTIAL = "euro_potential";
  /** Which method's evidence the reason quotes: one of the method names below. */
  public static final String METHOD = "method";
  public static final String RULE_ANTECEDENT = "rule_antecedent";
  public static final String RULE_CONFIDENCE = "rule_confidence";
  public static final String RULE_LIFT = "rule_lift";

  public static final String WHITE_SPACE = "white_space";
  public static final String ASSOCIATION_RULES = "association_rules";
  public static final String COLLABORATIVE_FILTERING = "collaborative_filtering";
  public static final String BLEND = "blend";

  static final String HELD = "_held";
  static final String LABEL = "_label";
  private static final String FEATURES = "_features";
  private static final String WEIGHT = "_weight";
  /** The calibration's rows above which non-adoptions are sampled ({@link #fittingRows}). */
  private static final long MAX_FITTING_ROWS = 500_000;
  private static final long ROWS_PER_PARTITION = 100_000;
  /** The regression's inputs: a missing rule or ALS score is 0 there, flagged by _has_rule/_has_cf. */
  private static final String[] EVIDENCE = {WhiteSpace.PENETRATION, "_rule_confidence", "_rule_lift", "_cf_score", HELD,
      "_has_rule", "_has_cf"};

  /**
   * How the probability was obtained: the fitted combination, or (when the validation period has
   * no adoption, or nothing but adoptions) the peers' penetration alone.
   */
  public record Calibration(PipelineModel model, long rows, long adoptions, String description) {
    public boolean fitted() {
      return model != null;
    }
  }

  /**
   * Everything recommending at one date produced.
   *
   * @param recommendations the top k per customer: customer_id, rank, item, € potential,
   *     probability, the gap, method and the reason's figures
   * @param candidates every customer × item with its evidence and probability (the methods'
   *     own rankings for the evaluation)
   */
  public record Result(LocalDate at, Dataset<Row> recommendations, Dataset<Row> candidates, WhiteSpace.Result whiteSpace,
      Dataset<Row> rules, CollaborativeFiltering.Choice collaborativeFiltering, Calibration calibration) {
    /** Frees the cached candidates, once the recommendations are written or evaluated. */
    public void release() {
      candidates.unpersist();
    }
  }

  private CrossSell() {}

  /**
   * Recommends at {@code at} from the customers and their purchases ({@link ItemPurchases#of});
   * only lines dated on or before {@code at} are read.
   */
  public static Result recommend(Dataset<Row> customers, ItemPurchases purchases, LocalDate at, CrossSellSettings s) {
    return recommend(new Evidences(customers, purchases, s, Set.of()), at);
  }

  /** Recommends at {@code at} with the evidence of {@code evidences}, which keeps that of the dates it is told to. */
  public static Result recommend(Evidences evidences, LocalDate at) {
    ItemPurchases purchases = evidences.purchases;
    CrossSellSettings s = evidences.settings;
    CollaborativeFiltering.Choice cf = CollaborativeFiltering.choose(purchases, at, s);
    LocalDate validation = cf.validationDate();
    Dataset<Row> atValidation = evidence(evidences, validation, cf.validationScores()).candidates();
    Dataset<Row> outcome = purchases.bought(validation, at).select(col(Sales.CUSTOMER_ID), col(ItemPurchases.ITEM),
        lit(1.0).as(LABEL));
    Calibration calibration = calibrate(atValidation.join(outcome, new String[] {Sales.CUSTOMER_ID, ItemPurchases.ITEM}, "left")
        .withColumn(LABEL, coalesce(col(LABEL), lit(0.0))));
    Evidence now = evidence(evidences, at, CollaborativeFiltering.scores(purchases, at, s, cf.chosen()));
    Dataset<Row> candidates = withProbability(now.candidates(), calibration)
        .withColumn(EURO_POTENTIAL, col(PROBABILITY).multiply(col(WhiteSpace.POTENTIAL)))
        .withColumn(METHOD, method())
        // read for the top k, the evaluation and the stage's outputs: computed once (release() frees it)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> top = RankingMetrics.top(candidates.filter(col(WhiteSpace.POTENTIAL).gt(0)), s.topK(), col(EURO_POTENTIAL))
        .select(col(Sales.CUSTOMER_ID), col(RankingMetrics.RANK), col(ItemPurchases.ITEM), col(EURO_POTENTIAL), col(PROBABILITY),
            col(WhiteSpace.POTENTIAL), col(WhiteSpace.EXPECTED_SPEND), col(WhiteSpace.OWN_SPEND), col(METHOD),
            col(PeerGroups.PEER_LEVEL), col(PeerGroups.PEER_GROUP), col(WhiteSpace.PENETRATION), col(WhiteSpace.MEDIAN_SPEND),
            col(RULE_ANTECEDENT), col(RULE_CONFIDENCE), col(RULE_LIFT), col(AssociationRules.RULE_SOURCE));
    return new Result(at, top, candidates, now.whiteSpace(), now.rules(), cf, calibration);
  }

  /** The methods' evidence at one date. */
  record Evidence(Dataset<Row> candidates, WhiteSpace.Result whiteSpace, Dataset<Row> rules) {}

  /**
   * The evidence that does not depend on ALS (the white space, the rules) at each date a run recommends or calibrates
   * at. A run that reads one date twice keeps it: the training's validation period recommends at the date its test
   * period calibrates at, and the white space and rules there are the same (ALS's scores are not: each period chooses
   * its own hyper-parameters). Kept dates are persisted on first use until {@link #release()}.
   */
  public static final class Evidences {
    private final Dataset<Row> customers;
    private final ItemPurchases purchases;
    private final CrossSellSettings settings;
    private final Set<LocalDate> kept;
    private final Map<LocalDate, Fixed> byDate = new HashMap<>();

    /** @param kept the dates read more than once */
    public Evidences(Dataset<Row> customers, ItemPurchases purchases, CrossSellSettings settings, Set<LocalDate> kept) {
      this.customers = customers;
      this.purchases = purchases;
      this.settings = settings;
      this.kept = Set.copyOf(kept);
    }

    public Dataset<Row> customers() {
      return customers;
    }

    public ItemPurchases purchases() {
      return purchases;
    }

    public CrossSellSettings settings() {
      return settings;
    }

    private Fixed at(LocalDate date) {
      Fixed known = byDate.get(date);
      if (known != null) {
        return known;
      }
      Fixed fixed = Fixed.at(PeerGroups.customersAt(customers, date), purchases, date, settings);
      if (kept.contains(date)) {
        fixed = new Fixed(fixed.candidates().persist(StorageLevel.MEMORY_AND_DISK()), fixed.whiteSpace(), fixed.rules());
        byDate.put(date, fixed);
      }
      return fixed;
    }

    /** Frees the kept evidence. */
    public void release() {
      byDate.values().forEach(f -> f.candidates().unpersist());
      byDate.clear();
    }
  }

  /** The white space and rules at a date: the candidates before ALS's scores are joined. */
  private record Fixed(Dataset<Row> candidates, WhiteSpace.Result whiteSpace, Dataset<Row> rules) {
    static Fixed at(Dataset<Row> customers, ItemPurchases purchases, LocalDate at, CrossSellSettings s) {
      WhiteSpace.Result whiteSpace = WhiteSpace.at(customers, purchases, at, s);
      Dataset<Row> rules = AssociationRules.at(purchases, at, s);
      Dataset<Row> byRule = AssociationRules.recommend(AssociationRules.customerItems(purchases, at, s.lookbackMonths()),
              rules)
          .select(col(Sales.CUSTOMER_ID), col(ItemPurchases.ITEM), col(AssociationRules.ANTECEDENT).as(RULE_ANTECEDENT),
              col(AssociationRules.CONFIDENCE).as(RULE_CONFIDENCE), col(AssociationRules.LIFT).as(RULE_LIFT),
              col(AssociationRules.RULE_SOURCE));
      Dataset<Row> candidates = whiteSpace.customers().filter(not(col(WhiteSpace.REGULAR_BUYER)))
          .join(byRule, new String[] {Sales.CUSTOMER_ID, ItemPurchases.ITEM}, "left");
      return new Fixed(candidates, whiteSpace, rules);
    }
  }

  /**
   * Every customer × item it does not buy regularly, with the white-space figures, the best rule
   * (null when none applies) and the ALS score (null for customers without purchases).
   */
  static Evidence evidence(Evidences evidences, LocalDate at, Dataset<Row> byCf) {
    Fixed fixed = evidences.at(at);
    String[] key = {Sales.CUSTOMER_ID, ItemPurchases.ITEM};
    Dataset<Row> candidates = fixed.candidates().join(byCf, key, "left")
        .withColumn(HELD, when(col(WhiteSpace.OWN_SPEND).gt(0), 1.0).otherwise(0.0))
        .withColumn("_has_rule", when(col(RULE_CONFIDENCE).isNotNull(), 1.0).otherwise(0.0))
        .withColumn("_has_cf", when(col(CollaborativeFiltering.CF_SCORE).isNotNull(), 1.0).otherwise(0.0))
        .withColumn("_rule_confidence", coalesce(col(RULE_CONFIDENCE), lit(0.0)))
        .withColumn("_rule_lift", coalesce(col(RULE_LIFT), lit(0.0)))
        .withColumn("_cf_score", coalesce(col(CollaborativeFiltering.CF_SCORE), lit(0.0)));
    return new Evidence(candidates, fixed.whiteSpace(), fixed.rules());
  }

  static Calibration calibrate(Dataset<Row> all) {
    // the regression passes over its rows once per iteration: each pass would recompute every method
    Dataset<Row> labelled = all.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return calibrateCached(labelled);
    } finally {
      labelled.unpersist();
    }
  }

  private static Calibration calibrateCached(Dataset<Row> labelled) {
    Row counts = labelled.agg(count(lit(1)), sum(col(LABEL))).first();
    long rows = counts.getLong(0);
    long adoptions = counts.isNullAt(1) ? 0 : (long) counts.getDouble(1);
    if (adoptions == 0 || adoptions == rows) {
      return new Calibration(null, rows, adoptions, "penetration alone: the validation period has " + rows
          + " candidates of which " + adoptions + " were bought, too few to fit a combination");
    }
    VectorAssembler assembler = new VectorAssembler().setInputCols(EVIDENCE).setOutputCol(FEATURES);
    LogisticRegression regression = new LogisticRegression().setFeaturesCol(FEATURES).setLabelCol(LABEL)
        .setWeightCol(WEIGHT).setProbabilityCol("_probability").setRawPredictionCol("_raw")
        .setPredictionCol("_predicted").setRegParam(0.001).setMaxIter(50);
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {assembler, regression})
        .fit(fittingRows(labelled, rows, adoptions, MAX_FITTING_ROWS));
    return new Calibration(model, rows, adoptions, "logistic regression on " + rows + " validation candidates, "
        + adoptions + " bought");
  }

  /**
   * The rows the regression is fitted on, with a {@link #WEIGHT}: all of them up to
   * {@code maxRows} ({@link #MAX_FITTING_ROWS}); above it every adoption and a seeded sample of the rest, each
   * sampled row weighted by the inverse of its sampling rate, so that the weighted likelihood
   * estimates the full one (seven coefficients need no more rows, and each of the 50 optimiser
   * steps passes over all rows given). Few rows are fitted in one partition: each step is a Spark
   * job with a task per partition.
   */
  static Dataset<Row> fittingRows(Dataset<Row> labelled, long rows, long adoptions, long maxRows) {
    long negatives = rows - adoptions;
    double rate = rows <= maxRows ? 1.0 : Math.max(maxRows - adoptions, 1) / (double) negatives;
    Dataset<Row> sampled = rate >= 1.0 ? labelled
        : labelled.filter(col(LABEL).equalTo(1.0)).unionByName(labelled.filter(col(LABEL).equalTo(0.0)).sample(rate, 42L));
    long kept = Math.min(rows, maxRows);
    return sampled.coalesce((int) Math.max(1, kept / ROWS_PER_PARTITION))
        .withColumn(WEIGHT, when(col(LABEL).equalTo(1.0), lit(1.0)).otherwise(lit(1.0 / Math.min(rate, 1.0))));
  }

  /**
   * The fitted regression's probability as a column expression, 1 / (1 + e^−(b + w·x)), the same as
   * its transform: a freshly fitted logistic regression keeps its training summary, which holds
   * the SparkSession, and its transform's UDF carries the model into the tasks; that fails to
   * serialise once the session has an observation registered (the quality gate registers one in
   * every run that ingests).
   */
  static Dataset<Row> withProbability(Dataset<Row> candidates, Calibration calibration) {
    if (!calibration.fitted()) {
      return candidates.withColumn(PROBABILITY, col(WhiteSpace.PENETRATION));
    }
    LogisticRegressionModel regression = (LogisticRegressionModel) calibration.model().stages()[1];
    double[] weights = regression.coefficients().toArray();
    Column margin = lit(regression.intercept());
    for (int i = 0; i < EVIDENCE.length; i++) {
      margin = margin.plus(col(EVIDENCE[i]).cast("double").multiply(weights[i]));
    }
    return candidates.withColumn(PROBABILITY, lit(1.0).divide(lit(1.0).plus(exp(margin.multiply(-1.0)))));
  }

  /**
   * The evidence a reason can say out loud: the rule when its confidence beats the peers'
   * penetration, else the peers; ALS only contributes to the probability (it has no reason to
   * give) and is named only where neither peers nor rules say anything.
   */
  private static Column method() {
    Column rule = col(RULE_CONFIDENCE);
    return when(rule.isNotNull().and(rule.geq(col(WhiteSpace.PENETRATION))), lit(ASSOCIATION_RULES))
        .when(col(WhiteSpace.PENETRATION).gt(0), lit(WHITE_SPACE))
        .when(col(CollaborativeFiltering.CF_SCORE).isNotNull(), lit(COLLABORATIVE_FILTERING))
        .otherwise(lit(WHITE_SPACE));
  }
}
