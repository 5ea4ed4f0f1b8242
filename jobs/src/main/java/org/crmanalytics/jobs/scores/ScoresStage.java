package org.crmanalytics.jobs.scores;

import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.rank;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructField;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.jobs.runner.Input;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.jobs.runner.Publication;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.models.abc.AbcOutput;
import org.crmanalytics.models.btyd.ClvOutput;
import org.crmanalytics.models.btyd.ClvSettings;
import org.crmanalytics.models.btyd.CustomerLifetimeValue;
import org.crmanalytics.models.churn.ChurnSettings;
import org.crmanalytics.models.crosssell.CrossSell;
import org.crmanalytics.models.crosssell.ItemPurchases;
import org.crmanalytics.models.crosssell.RankingMetrics;
import org.crmanalytics.models.features.CustomerSnapshot;
import org.crmanalytics.models.scores.CustomerScores;

/**
 * customer_scores: one row per customer of the snapshot (every customer known at as_of) with the
 * A–E class, the CLV, the churn risk and value at risk, and the reasons; plus the early-warning
 * list (high and medium risk, ranked by value at risk within each sales rep). A score whose stage
 * wrote nothing for this as_of is null, and the stage says so. Without a churn score the churn band
 * comes from a documented rule, recency against the customer's usual gap between orders, marked
 * {@code churn_basis = rule} (docs/customer-scores.md).
 */
public final class ScoresStage implements PipelineStage {
  public static final String NAME = "scores";
  /** The rule's bands: no order for this many usual gaps. */
  public static final double RULE_MEDIUM_GAPS = 2.0;
  public static final double RULE_HIGH_GAPS = 3.0;

  /** The scores this stage joins, each from its stage's output; absent ones stay null. */
  private static final List<Output> SCORES = List.of(Output.ABC_CUSTOMERS, Output.CLV_CUSTOMERS,
      Output.CHURN_CUSTOMERS, Output.PAYMENT_RISK_CUSTOMERS, Output.CROSS_SELL_RECOMMENDATIONS);
  /** The columns of customer_scores that the payment_risk stage gives, under their own names. */
  private static final List<String> PAYMENT_COLUMNS = List.of(CustomerScores.PAYMENT_DEFAULT_PROBABILITY,
      CustomerScores.PAYMENT_RISK_BAND, CustomerScores.PAYMENT_EXPOSURE, CustomerScores.PAYMENT_OVERDUE,
      CustomerScores.PAYMENT_EXPECTED_LOSS, CustomerScores.PAYMENT_ACTION, CustomerScores.PAYMENT_ACTION_REASON_EN,
      CustomerScores.PAYMENT_ACTION_REASON_DE, CustomerScores.PAYMENT_REASONS_EN, CustomerScores.PAYMENT_REASONS_DE,
      CustomerScores.PAYMENT_REASONS, CustomerScores.PAYMENT_MODEL_VERSION);

  @Override
  public String name() {
    return NAME;
  }

  /** Only the snapshot is indispensable: each score whose output is absent stays null. */
  @Override
  public List<Input> reads() {
    List<Input> reads = new ArrayList<>(List.of(Input.required(Output.SNAPSHOT)));
    SCORES.forEach(o -> reads.add(Input.optional(o)));
    return reads;
  }

  @Override
  public Optional<String> missingInputs(RunContext ctx) {
    return ctx.missing(Output.SNAPSHOT);
  }

  @Override
  public void run(RunContext ctx) {
    LocalDate asOf = ctx.config().asOf();
    Console.Stage st = ctx.begin(NAME, "customer scores as of " + asOf);
    Dataset<Row> snapshot = ctx.require(Output.SNAPSHOT, NAME);
    Map<Output, Optional<Dataset<Row>>> inputs = new LinkedHashMap<>();
    List<String> absent = new ArrayList<>();
    for (Output score : SCORES) {
      String stage = score.producer();
      Optional<Dataset<Row>> input = ctx.read(score);
      inputs.put(score, input);
      if (input.isEmpty()) {
        absent.add(stage);
        // The runner has flagged a stage of this run that did not succeed; this says the rest.
        if (ctx.outcome(stage).filter(o -> !o.succeeded()).isEmpty()) {
          ctx.flag(NAME, NAME + ".no_" + stage, "no " + stage + " output for as_of " + asOf + " (" + ctx.path(score)
              + "); its columns in customer_scores are null");
        }
      }
    }
    long activeDays = ChronoUnit.DAYS.between(ctx.config().settings(ChurnSettings.class).definition().activeStart(asOf), asOf);
    Dataset<Row> scores = transform(snapshot, inputs.get(Output.ABC_CUSTOMERS), inputs.get(Output.CLV_CUSTOMERS),
        inputs.get(Output.CHURN_CUSTOMERS), inputs.get(Output.PAYMENT_RISK_CUSTOMERS),
        inputs.get(Output.CROSS_SELL_RECOMMENDATIONS), activeDays, asOf, ctx.runId());

    Publication publication = ctx.publication();
    Dataset<Row> written = publication.stage(Output.CUSTOMER_SCORES, scores);
    publication.stage(Output.EARLY_WARNING, earlyWarning(written));
    long customers = snapshot.count();
    long rows = publication.rows(Output.CUSTOMER_SCORES);
    if (rows != customers) {
      throw new IllegalStateException("customer_scores has " + rows + " rows for " + customers + " customers");
    }
    if (inputs.get(Output.CHURN_CUSTOMERS).isEmpty()) {
      long ruled = written.filter(col(CustomerScores.CHURN_BASIS).equalTo(CustomerScores.BASIS_RULE)
          .and(col(CustomerScores.CHURN_BAND).isin("high", "medium"))).count();
      ctx.flag(NAME, NAME + ".churn_rule", String.format(Locale.ROOT, "no churn score for as_of %s: the early-warning "
          + "list (%,d customers) rests on the rule 'no order for %.0f (medium) or %.0f (high) usual gaps', "
          + "churn_basis = rule, not on a model", asOf, ruled, RULE_MEDIUM_GAPS, RULE_HIGH_GAPS));
    }
    publication.commit();
    st.done(customers, rows, absent.isEmpty() ? "" : "no " + String.join(", ", absent) + " output for " + asOf
        + " (those columns are null)");
  }

  /**
   * One row per snapshot customer in the column order of {@link CustomerScores#SCHEMA}; the columns
   * of an absent score are null. Without {@code churn}, the churn band of the customers with an
   * order in the last {@code activeDays} days comes from {@link #churnRule}.
   */
  public static Dataset<Row> transform(Dataset<Row> snapshot, Optional<Dataset<Row>> abc,
      Optional<Dataset<Row>> clv, Optional<Dataset<Row>> churn, Optional<Dataset<Row>> payment,
      Optional<Dataset<Row>> crossSell, long activeDays, LocalDate asOf, String runId) {
    String id = CustomerScores.CUSTOMER_ID;
    Dataset<Row> rows = snapshot.select(col(CustomerSnapshot.CUSTOMER_ID).as(id),
        col(CustomerSnapshot.SALES_REP_ID).as(CustomerScores.SALES_REP_ID));
    rows = join(rows, abc.map(a -> a.select(col(AbcOutput.Customers.CUSTOMER_ID).as(id),
        col(AbcOutput.Customers.CLASS).as(CustomerScores.ABC_CLASS),
        col(AbcOutput.Customers.SCORE).as(CustomerScores.ABC_SCORE),
        col(AbcOutput.Customers.PREVIOUS_CLASS).as(CustomerScores.PREVIOUS_ABC_CLASS),
        col(AbcOutput.Customers.DIRECTION).as(CustomerScores.ABC_TREND),
        col(AbcOutput.Customers.REASON_EN).as(CustomerScores.ABC_REASON_EN),
        col(AbcOutput.Customers.REASON_DE).as(CustomerScores.ABC_REASON_DE))));
    rows = join(rows, clv.map(c -> c.select(col(id), col(CustomerScores.CLV), col(CustomerScores.CLV_HORIZON_MONTHS),
        col(CustomerScores.P_ALIVE), col(CustomerScores.EXPECTED_ORDERS), col(CustomerScores.EXPECTED_ORDER_VALUE),
        col(ClvOutput.MODEL_VERSION).as(CustomerScores.CLV_MODEL_VERSION), pAliveCaveat())));
    rows = join(rows, churn.map(c -> c.select(col(id), col(CustomerScores.CHURN_PROBABILITY),
        col(CustomerScores.CHURN_BAND), col(CustomerScores.CHURN_REASONS_EN), col(CustomerScores.CHURN_REASONS_DE),
        col(CustomerScores.CHURN_REASONS), col(CustomerScores.CHURN_MODEL_VERSION))
        .withColumn(CustomerScores.CHURN_BASIS, lit(CustomerScores.BASIS_MODEL)))
        .or(() -> Optional.of(churnRule(snapshot, activeDays))));
    rows = join(rows, payment.map(p -> p.select(Stream.concat(Stream.of(id), PAYMENT_COLUMNS.stream())
        .map(c -> col(c)).toArray(Column[]::new))));
    rows = join(rows, crossSell.map(ScoresStage::crossSell));
    if (crossSell.isPresent()) {
      rows = rows.withColumn(CustomerScores.CROSS_SELL_POTENTIAL,
          coalesce(col(CustomerScores.CROSS_SELL_POTENTIAL), lit(0.0)));
    }
    // Every column of an absent score as a typed null, so that what follows can name it.
    rows = withSchemaColumns(rows);
    Column atRisk = col(CustomerScores.CHURN_PROBABILITY).multiply(col(CustomerScores.CLV));
    rows = rows.withColumn(CustomerScores.VALUE_AT_RISK, atRisk)
        .withColumn(CustomerScores.AS_OF, lit(asOf))
        .withColumn(CustomerScores.RUN_ID, lit(runId));
    // Ranked within each rep's customers: by value at risk where the model gave one; by the rule,
    // which has no probability, by CLV (unknown last) and then by how overdue the next order is.
    Column ranked = churn.isPresent() ? atRisk.isNotNull() : col(CustomerScores.CHURN_BAND).isNotNull();
    List<Column> order = churn.isPresent()
        ? List.of(col(CustomerScores.VALUE_AT_RISK).desc(), col(id))
        : List.of(col(CustomerScores.CLV).desc_nulls_last(), col(RULE_GAPS).desc(), col(id));
    rows = rows.withColumn(CustomerScores.RISK_RANK_IN_REP, when(ranked,
        rank().over(Window.partitionBy(col(CustomerScores.SALES_REP_ID), ranked).orderBy(order.toArray(Column[]::new)))));
    List<Column> ordered = new ArrayList<>();
    for (StructField f : CustomerScores.SCHEMA.fields()) {
      ordered.add(col(f.name()).cast(f.dataType()).as(f.name()));
    }
    return rows.select(ordered.toArray(Column[]::new));
  }

  /** {@link CustomerScores#P_ALIVE_CAVEAT}: BG/NBD's P(alive) of a customer without a repeat order is 1 by construction. */
  static Column pAliveCaveat() {
    Column bgnbd = col(ClvOutput.CLV_MODEL).equalTo(CustomerLifetimeValue.key(ClvSettings.PurchaseModelKind.BGNBD));
    return when(bgnbd.and(col(ClvOutput.X).equalTo(0)).and(col(ClvOutput.P_ALIVE).isNotNull()),
        lit(CustomerScores.ONE_TIME_BUYER)).as(CustomerScores.P_ALIVE_CAVEAT);
  }

  /**
   * Per customer with a recommendation: the sum of its € potential, its first three items and the
   * ranking they come from (the recommendations' columns, docs/cross-sell.md). The sum is taken in
   * rank order: a plain sum of doubles adds in the order rows arrive, which depends on the
   * partitioning, so a cluster's last bits could differ from a local run's.
   */
  static Dataset<Row> crossSell(Dataset<Row> recommendations) {
    Column rank = col(RankingMetrics.RANK);
    Column item = col(ItemPurchases.ITEM);
    Column inRankOrder = array_sort(collect_list(struct(rank, col(CrossSell.EURO_POTENTIAL))));
    return recommendations.groupBy(col(CustomerScores.CUSTOMER_ID))
        .agg(aggregate(inRankOrder, lit(0.0), (total, r) -> total.plus(r.getField(CrossSell.EURO_POTENTIAL)))
                .as(CustomerScores.CROSS_SELL_POTENTIAL),
            max(when(rank.equalTo(1), item)).as(CustomerScores.CROSS_SELL_ITEM_1),
            max(when(rank.equalTo(2), item)).as(CustomerScores.CROSS_SELL_ITEM_2),
            max(when(rank.equalTo(3), item)).as(CustomerScores.CROSS_SELL_ITEM_3),
            max(col(CrossSell.METHOD)).as(CustomerScores.CROSS_SELL_METHOD));
  }

  /** The columns of {@link CustomerScores#SCHEMA} that {@code rows} lacks, added as typed nulls. */
  private static Dataset<Row> withSchemaColumns(Dataset<Row> rows) {
    List<String> present = List.of(rows.columns());
    for (StructField f : CustomerScores.SCHEMA.fields()) {
      if (!present.contains(f.name())) {
        rows = rows.withColumn(f.name(), lit(null).cast(f.dataType()));
      }
    }
    return rows;
  }

  /** Days since the last order in usual gaps, a column of the rule's output (not of customer_scores). */
  private static final String RULE_GAPS = "_rule_gaps";

  /**
   * The churn band without a churn model, for the customers with an order in the last
   * {@code activeDays} days (the churn model's population): days since the last order against the
   * customer's usual gap between order days ({@code mean_order_gap_days}); for a customer with one
   * order day, against the median usual gap of the population's repeat buyers. High from
   * {@value #RULE_HIGH_GAPS} gaps, medium from {@value #RULE_MEDIUM_GAPS}, else low. No band when no
   * gap is known (no repeat buyer at all). The reason says it in English and German.
   */
  public static Dataset<Row> churnRule(Dataset<Row> snapshot, long activeDays) {
    Column recency = col(CustomerSnapshot.DAYS_SINCE_LAST_ORDER);
    Dataset<Row> population = snapshot.filter(recency.isNotNull().and(recency.lt(activeDays)));
    Column days = recency.cast("string");
    Column ownGap = col(CustomerSnapshot.MEAN_ORDER_GAP_DAYS);
    Row typical = population.filter(ownGap.gt(0)).agg(percentile_approx(ownGap, lit(0.5), lit(10000))).first();
    Column typicalGap = typical.isNullAt(0) ? lit(null).cast("double") : lit(((Number) typical.get(0)).doubleValue());
    Column repeat = ownGap.gt(0);
    Column gap = when(repeat, ownGap).otherwise(typicalGap);
    Column gaps = recency.cast("double").divide(gap);
    Column band = when(gaps.geq(RULE_HIGH_GAPS), lit("high")).when(gaps.geq(RULE_MEDIUM_GAPS), lit("medium"))
        .when(gaps.isNotNull(), lit("low"));
    Column times = format_string("%.1f", gaps);
    Column gapDays = format_string("%.0f", gap);
    Column en = when(repeat, concat(lit("no order for "), days, lit(" days, "), times,
        lit(" times the usual gap between its orders ("), gapDays, lit(" days); rule, not a churn model")))
        .otherwise(concat(lit("no order for "), days, lit(" days after its only order day, "), times,
            lit(" times the usual gap of repeat buyers ("), gapDays, lit(" days); rule, not a churn model")));
    Column timesDe = regexp_replace(times, "\\.", ",");
    Column de = when(repeat, concat(lit("seit "), days, lit(" Tagen keine Bestellung, das "), timesDe,
        lit("-Fache des üblichen Abstands zwischen seinen Bestellungen ("), gapDays,
        lit(" Tage); Regel, kein Churn-Modell")))
        .otherwise(concat(lit("seit "), days, lit(" Tagen keine Bestellung nach dem einzigen Bestelltag, das "),
            timesDe, lit("-Fache des üblichen Abstands von Wiederkäufern ("), gapDays,
            lit(" Tage); Regel, kein Churn-Modell")));
    return population.filter(gaps.isNotNull()).select(col(CustomerSnapshot.CUSTOMER_ID).as(CustomerScores.CUSTOMER_ID),
        band.as(CustomerScores.CHURN_BAND), en.as(CustomerScores.CHURN_REASONS_EN),
        de.as(CustomerScores.CHURN_REASONS_DE), lit(CustomerScores.BASIS_RULE).as(CustomerScores.CHURN_BASIS),
        gaps.as(RULE_GAPS));
  }

  private static Dataset<Row> join(Dataset<Row> rows, Optional<Dataset<Row>> right) {
    return right.map(r -> rows.join(r, new String[] {CustomerScores.CUSTOMER_ID}, "left")).orElse(rows);
  }

  /**
   * The customers a rep should call first: high and medium risk, ranked within the rep by value at
   * risk (by the rule: by CLV), with what the band rests on ({@code churn_basis}: model or rule).
   */
  public static Dataset<Row> earlyWarning(Dataset<Row> scores) {
    return scores.filter(col(CustomerScores.CHURN_BAND).isin("high", "medium"))
        .select(col(CustomerScores.SALES_REP_ID), col(CustomerScores.RISK_RANK_IN_REP), col(CustomerScores.CUSTOMER_ID),
            col(CustomerScores.CHURN_BAND), col(CustomerScores.CHURN_PROBABILITY), col(CustomerScores.CLV),
            col(CustomerScores.VALUE_AT_RISK), col(CustomerScores.ABC_CLASS), col(CustomerScores.CHURN_REASONS_EN),
            col(CustomerScores.CHURN_REASONS_DE), col(CustomerScores.CHURN_BASIS))
        .orderBy(col(CustomerScores.SALES_REP_ID), col(CustomerScores.RISK_RANK_IN_REP));
  }
}
