package org.crmanalytics.jobs.crosssell;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.config.ConfigSection;
import org.crmanalytics.jobs.io.ModelStore;
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.jobs.runner.Input;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.jobs.runner.Publication;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.models.contract.Contract.Customers;
import org.crmanalytics.models.contract.Contract.Products;
import org.crmanalytics.models.contract.Contract.Sales;
import org.crmanalytics.models.crosssell.AssociationRules;
import org.crmanalytics.models.crosssell.CrossSell;
import org.crmanalytics.models.crosssell.CrossSellOutput;
import org.crmanalytics.models.crosssell.CrossSellSettings;
import org.crmanalytics.models.crosssell.ItemPurchases;
import org.crmanalytics.models.crosssell.PeerGroups;
import org.crmanalytics.models.crosssell.RankingMetrics;
import org.crmanalytics.models.crosssell.WhiteSpace;
import org.crmanalytics.models.explain.ValueFormat.Language;

/**
 * Cross-sell potential at as_of (docs/cross-sell.md): per customer the top k items it does not buy
 * regularly, with the € potential per year, the probability, the ranking published and a reason in
 * English and German; and the white-space table.
 *
 * <p>Which ranking is published comes from the last {@code train cross_sell}
 * ({@link CrossSellTrainingJob}, on the training schedule): the blend only when that evaluation chose
 * it for the same level; otherwise, and before any evaluation, the white space, the method controllers
 * trust, and the console says so. The evaluation recommends at two past dates in full, which takes
 * minutes even for a small company; the daily stage only publishes.
 */
public final class CrossSellStage implements PipelineStage {
  public static final String NAME = "cross_sell";

  /** Columns of the recommendations output besides the models' (customer_id, rank, item, ...): CrossSellOutput. */
  public static final String METHOD = CrossSellOutput.METHOD;
  public static final String EVIDENCE = CrossSellOutput.EVIDENCE;
  public static final String REASON_EN = CrossSellOutput.REASON_EN;
  public static final String REASON_DE = CrossSellOutput.REASON_DE;
  public static final String LEVEL = CrossSellOutput.LEVEL;
  public static final String AS_OF = CrossSellOutput.AS_OF;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Input> reads() {
    return List.of(Input.required(Output.SILVER));
  }

  @Override
  public Optional<String> missingInputs(RunContext ctx) {
    return Inputs.missing(ctx);
  }

  @Override
  public List<ConfigSection<?>> sections() {
    return List.of(CrossSellConfig.SECTION);
  }

  @Override
  public void run(RunContext ctx) {
    LocalDate asOf = ctx.config().asOf();
    Console.Stage st = ctx.begin(NAME, "cross-sell potential as of " + asOf);
    Inputs in = Inputs.read(ctx, NAME);
    CrossSellSettings s = in.settings();
    Dataset<Row> customers = in.customers();
    ModelStore store = new ModelStore(NAME, ctx.layout().root(), ctx.output());
    Optional<JsonNode> choice = store.promotedMetadata();
    String published;
    String why;
    if (choice.isEmpty()) {
      published = CrossSell.WHITE_SPACE;
      why = "not evaluated yet";
      ctx.flag(NAME, NAME + ".not_evaluated", "no evaluation under " + store.promotedFile() + ": the white space is "
          + "published; bin/crm-analytics train cross_sell grades the blend against it (weekly in the DAG)");
    } else if (!choice.get().path(CrossSellTrainingJob.LEVEL).asText().equals(s.level())) {
      published = CrossSell.WHITE_SPACE;
      why = "the evaluation " + choice.get().path("version").asText() + " was for the level "
          + choice.get().path(CrossSellTrainingJob.LEVEL).asText() + ", not " + s.level();
      ctx.flag(NAME, NAME + ".not_evaluated", why + ": the white space is published; run train cross_sell again");
    } else {
      published = choice.get().path(CrossSellTrainingJob.PUBLISHED).asText();
      why = "chosen by evaluation " + choice.get().path("version").asText() + ": "
          + choice.get().path("why").asText();
    }
    ItemPurchases purchases = in.purchases(asOf);
    Dataset<Row> ranked;
    Dataset<Row> table;
    CrossSell.Result blend = null;
    if (CrossSell.BLEND.equals(published)) {
      blend = CrossSell.recommend(customers, purchases, asOf, s);
      ranked = blend.recommendations();
      table = blend.whiteSpace().table();
    } else {
      WhiteSpace.Result whiteSpace = WhiteSpace.at(customers, purchases, asOf, s);
      ranked = whiteSpaceRanking(whiteSpace.customers(), s.topK());
      table = whiteSpace.table();
    }
    Dataset<Row> out = recommendations(ranked, published, s.level(), asOf, ctx.config().currency());

    Publication publication = ctx.publication();
    publication.stage(Output.CROSS_SELL_RECOMMENDATIONS, out);
    publication.stage(Output.CROSS_SELL_WHITE_SPACE, table.withColumn(LEVEL, lit(s.level())));
    long rows = publication.rows(Output.CROSS_SELL_RECOMMENDATIONS);
    long whiteSpaceRows = publication.rows(Output.CROSS_SELL_WHITE_SPACE);
    publication.commit();
    if (blend != null) {
      blend.release();
    }
    purchases.release();
    purchases.lines().unpersist();
    st.done(rows, rows, String.format(Locale.ROOT, "%s published (%s); %,d white-space rows; level %s",
        published, why, whiteSpaceRows, s.level()));
  }

  /**
   * What the stage and {@code train cross_sell} read: silver customers, sales and products, the
   * settings at the level the data has, and what was left out and why (flagged by {@link #read}).
   */
  record Inputs(Dataset<Row> customers, Dataset<Row> sales, Dataset<Row> products, CrossSellSettings settings,
      List<String> leftOut) {
    static Optional<String> missing(RunContext ctx) {
      return ctx.missingSilver(Customers.NAME, Sales.NAME)
          .map(m -> m + ". Cross-sell potential is read from customers and sales; without them it is not computed");
    }

    static Inputs read(RunContext ctx, String stage) {
      Dataset<Row> customers = ctx.requiredSilver(Customers.NAME, stage);
      Dataset<Row> sales = ctx.requiredSilver(Sales.NAME, stage);
      Dataset<Row> products = ctx.silver(Products.NAME).orElse(null);
      List<String> leftOut = new ArrayList<>();
      CrossSellSettings s = level(ctx.config().settings(CrossSellSettings.class), sales, products, leftOut);
      if (customers.filter(col(Customers.INDUSTRY).isNotNull()).isEmpty()) {
        leftOut.add("no customer has an industry: every customer is compared with all customers (peer level all), and "
            + "the industry-popularity baseline is the plain popularity");
      }
      leftOut.forEach(why -> ctx.flag(stage, NAME + ".left_out", why));
      return new Inputs(customers, sales, products, s, leftOut);
    }

    /** The purchases up to {@code asOf}, their lines persisted: every method reads them, at every date. */
    ItemPurchases purchases(LocalDate asOf) {
      return ItemPurchases.of(settings.lines(sales, products)
          .filter(col(Sales.ORDER_DATE).leq(lit(java.sql.Date.valueOf(asOf)))).persist(StorageLevel.MEMORY_AND_DISK()));
    }
  }

  /**
   * The level as configured, or product_id when the configured level is a column of products and
   * there is no products table (the recommendations are then products, not groups).
   */
  static CrossSellSettings level(CrossSellSettings s, Dataset<Row> sales, Dataset<Row> products, List<String> leftOut) {
    boolean onSales = Arrays.asList(sales.columns()).contains(s.level());
    if (onSales || (products != null && Arrays.asList(products.columns()).contains(s.level()))) {
      return s;
    }
    leftOut.add("no products table" + (products == null ? "" : " column " + s.level()) + ": the level "
        + s.level() + " cannot be read, so products (product_id) are recommended instead");
    return s.withLevel(Sales.PRODUCT_ID);
  }

  /** The white space's ranking: the items a customer does not buy regularly with a gap, by penetration, then gap. */
  static Dataset<Row> whiteSpaceRanking(Dataset<Row> potentials, int k) {
    Dataset<Row> open = potentials.filter(not(col(WhiteSpace.REGULAR_BUYER)).and(col(WhiteSpace.POTENTIAL).gt(0)))
        .withColumn(CrossSell.PROBABILITY, col(WhiteSpace.PENETRATION))
        .withColumn(CrossSell.EURO_POTENTIAL, col(WhiteSpace.PENETRATION).multiply(col(WhiteSpace.POTENTIAL)))
        .withColumn(CrossSell.METHOD, lit(CrossSell.WHITE_SPACE))
        .withColumn(CrossSell.RULE_ANTECEDENT, lit(null).cast(DataTypes.createArrayType(DataTypes.StringType)))
        .withColumn(CrossSell.RULE_CONFIDENCE, lit(null).cast(DataTypes.DoubleType))
        .withColumn(CrossSell.RULE_LIFT, lit(null).cast(DataTypes.DoubleType))
        .withColumn(AssociationRules.RULE_SOURCE, lit(null).cast(DataTypes.StringType));
    return RankingMetrics.top(open, k, col(WhiteSpace.PENETRATION), col(WhiteSpace.POTENTIAL));
  }

  /**
   * The published rows: the ranking's columns with {@link #METHOD} the ranking published, {@link
   * #EVIDENCE} what the reason quotes, and the reason in English and German.
   */
  static Dataset<Row> recommendations(Dataset<Row> ranked, String published, String level, LocalDate asOf,
      String currency) {
    CrossSellWording wording = new CrossSellWording(currency);
    UDF1<Row, Row> texts = in -> {
      CrossSellWording.Figures f = new CrossSellWording.Figures(in.getString(0), in.getString(1), in.getString(2),
          in.isNullAt(3) ? null : in.getString(3), in.getDouble(4), in.isNullAt(5) ? null : in.getDouble(5),
          in.getDouble(6), in.isNullAt(7) ? null : in.getList(7), in.isNullAt(8) ? null : in.getDouble(8),
          in.isNullAt(9) ? null : in.getDouble(9), in.isNullAt(10) ? null : in.getString(10));
      return RowFactory.create(wording.reason(Language.EN, f), wording.reason(Language.DE, f));
    };
    StructType textType = new StructType().add("en", DataTypes.StringType).add("de", DataTypes.StringType);
    Column t = udf(texts, textType).apply(struct(col(ItemPurchases.ITEM), col(CrossSell.METHOD), col(PeerGroups.PEER_LEVEL),
        col(PeerGroups.PEER_GROUP), col(WhiteSpace.PENETRATION), col(WhiteSpace.MEDIAN_SPEND), col(WhiteSpace.OWN_SPEND),
        col(CrossSell.RULE_ANTECEDENT), col(CrossSell.RULE_CONFIDENCE), col(CrossSell.RULE_LIFT),
        col(AssociationRules.RULE_SOURCE)));
    return ranked.withColumn("_t", t).select(
        col(Sales.CUSTOMER_ID), col(RankingMetrics.RANK).cast(DataTypes.IntegerType).as(RankingMetrics.RANK),
        col(ItemPurchases.ITEM), lit(level).as(LEVEL),
        col(CrossSell.EURO_POTENTIAL), col(WhiteSpace.POTENTIAL), col(CrossSell.PROBABILITY),
        lit(published).as(METHOD), col(CrossSell.METHOD).as(EVIDENCE),
        col("_t.en").as(REASON_EN), col("_t.de").as(REASON_DE),
        col(PeerGroups.PEER_LEVEL), col(PeerGroups.PEER_GROUP), col(WhiteSpace.PENETRATION), col(WhiteSpace.MEDIAN_SPEND),
        col(WhiteSpace.EXPECTED_SPEND), col(WhiteSpace.OWN_SPEND),
        col(CrossSell.RULE_ANTECEDENT), col(CrossSell.RULE_CONFIDENCE), col(CrossSell.RULE_LIFT),
        col(AssociationRules.RULE_SOURCE), lit(java.sql.Date.valueOf(asOf)).as(AS_OF))
        .orderBy(col(Sales.CUSTOMER_ID), col(RankingMetrics.RANK));
  }
}
