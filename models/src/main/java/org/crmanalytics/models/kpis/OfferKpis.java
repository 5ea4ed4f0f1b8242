package org.crmanalytics.models.kpis;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;
import static org.crmanalytics.models.kpis.KpiOutput.DIMENSION;
import static org.crmanalytics.models.kpis.KpiOutput.DIMENSION_VALUE;
import static org.crmanalytics.models.kpis.KpiOutput.KPI;
import static org.crmanalytics.models.kpis.KpiOutput.PERIOD;
import static org.crmanalytics.models.kpis.KpiOutput.PERIOD_TYPE;
import static org.crmanalytics.models.kpis.KpiOutput.VALUE;
import static org.crmanalytics.models.kpis.KpiSteps.C_CHANNEL;
import static org.crmanalytics.models.kpis.KpiSteps.C_INDUSTRY;
import static org.crmanalytics.models.kpis.KpiSteps.C_REGION;
import static org.crmanalytics.models.kpis.KpiSteps.C_REP;
import static org.crmanalytics.models.kpis.KpiSteps.DATE;
import static org.crmanalytics.models.kpis.KpiSteps.DAYS;
import static org.crmanalytics.models.kpis.KpiSteps.asInt;
import static org.crmanalytics.models.kpis.KpiSteps.byDimension;
import static org.crmanalytics.models.kpis.KpiSteps.days;
import static org.crmanalytics.models.kpis.KpiSteps.dim;
import static org.crmanalytics.models.kpis.KpiSteps.inPeriods;
import static org.crmanalytics.models.kpis.KpiSteps.offerUnits;
import static org.crmanalytics.models.kpis.KpiSteps.onOrBefore;
import static org.crmanalytics.models.kpis.KpiSteps.percentOf;
import static org.crmanalytics.models.kpis.KpiSteps.percentileOfSorted;
import static org.crmanalytics.models.kpis.KpiSteps.summedPerPeriod;
import static org.crmanalytics.models.kpis.KpiSteps.toLong;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.models.contract.Contract.Offers;
import org.crmanalytics.models.contract.Money;
import org.crmanalytics.models.kpis.KpiSettings.Dimension;

/** Offer KPIs as of a date: the funnel and its conversions, days in each stage, won and lost offers. */
final class OfferKpis {
  private OfferKpis() {}

  /**
   * Offers as they stood at the end of the as_of day: offers created later are dropped; a
   * qualification after as_of is not yet known; an offer closed after as_of is still open, at the
   * stage its recorded times and value show (offer when it has a value, else qualified when
   * qualified, else lead). Adds the funnel flags and the slice columns.
   */
  static Dataset<Row> offersAsOf(Dataset<Row> offers, Dataset<Row> customers, LocalDate asOf) {
    Column amount = col(Offers.AMOUNT);
    Column qualified = col("_qualified");
    Column reopened = col(Offers.CLOSED_AT).isNotNull().and(not(onOrBefore(col(Offers.CLOSED_AT), asOf)));
    Column openStage = when(amount.isNotNull(), "offer").when(qualified.isNotNull(), "qualified").otherwise("lead");
    Column stage = col("_stage");
    Column reachedOffer = stage.isin("offer", "negotiation", "won").or(stage.equalTo("lost").and(amount.isNotNull()));
    return offers
        .filter(onOrBefore(col(Offers.CREATED_AT), asOf)
            .and(col(Offers.LEAD_CREATED_AT).isNull().or(onOrBefore(col(Offers.LEAD_CREATED_AT), asOf))))
        .join(customers, new String[] {Offers.CUSTOMER_ID}, "left")
        .withColumn("_qualified", when(onOrBefore(col(Offers.QUALIFIED_AT), asOf), col(Offers.QUALIFIED_AT)))
        .withColumn("_closed", when(onOrBefore(col(Offers.CLOSED_AT), asOf), col(Offers.CLOSED_AT)))
        .withColumn("_status", when(reopened, "open").otherwise(col(Offers.STATUS)))
        .withColumn("_stage", when(reopened, openStage).otherwise(col(Offers.STAGE)))
        .withColumn("_reached_offer", reachedOffer)
        .withColumn("_reached_qualified", col("_reached_offer").or(stage.equalTo("qualified")).or(qualified.isNotNull()))
        .withColumn("_entry", to_date(least(col(Offers.LEAD_CREATED_AT), qualified, col(Offers.CREATED_AT))))
        .withColumn(dim(Dimension.REP), coalesce(col(Offers.REP_ID), col(C_REP)))
        .withColumn(dim(Dimension.CHANNEL), coalesce(col(Offers.CHANNEL), col(C_CHANNEL)))
        .withColumn(dim(Dimension.REGION), col(C_REGION))
        .withColumn(dim(Dimension.INDUSTRY), col(C_INDUSTRY));
  }

  /**
   * The funnel of the offers that entered it in the period (lead created, else qualified, else
   * offer created): count and value per stage reached by as_of, and the conversion between the
   * steps lead, qualified, offer and won. Negotiation is an optional part of the offer step.
   */
  static Dataset<Row> funnel(Dataset<Row> offers, Dataset<Row> periods, List<Dimension> dims) {
    Map<String, Column> sums = new LinkedHashMap<>();
    sums.put("_n", count(lit(1)));
    sums.put("_q", sum(asInt(col("_reached_qualified"))));
    sums.put("_o", sum(asInt(col("_reached_offer"))));
    sums.put("_w", sum(asInt(col("_stage").equalTo("won"))));
    for (String stage : KpiIds.STAGES) {
      sums.put("_count_" + stage, sum(asInt(col("_stage").equalTo(stage))));
      sums.put("_value_" + stage,
          sum(when(col("_stage").equalTo(stage), offerUnits()).otherwise(0L)));
    }
    Dataset<Row> agg = summedPerPeriod(offers.withColumn(DATE, col("_entry")), periods, dims, sums);
    Map<String, Column> kpis = new LinkedHashMap<>();
    for (String stage : KpiIds.STAGES) {
      kpis.put(KpiIds.funnelCount(stage), col("_count_" + stage));
      kpis.put(KpiIds.funnelValue(stage), Money.fromUnits(col("_value_" + stage)));
    }
    kpis.put(KpiIds.CONVERSION_LEAD_QUALIFIED, percentOf(col("_q"), col("_n")));
    kpis.put(KpiIds.CONVERSION_QUALIFIED_OFFER, percentOf(col("_o"), col("_q")));
    kpis.put(KpiIds.CONVERSION_OFFER_WON, percentOf(col("_w"), col("_o")));
    return toLong(agg, kpis);
  }

  /**
   * Days spent in a stage, counted in the period the stage was left: lead (lead created to
   * qualified), qualified (qualified to offer created, offers that reached the offer step), offer
   * (offer created to closed). Negative spans (times recorded out of order) are left out.
   */
  static Dataset<Row> stageDurations(Dataset<Row> offers, Dataset<Row> periods, List<Dimension> dims) {
    Column lead = col(Offers.LEAD_CREATED_AT);
    Column qualified = col("_qualified");
    Column created = col(Offers.CREATED_AT);
    Column closed = col("_closed");
    Dataset<Row> spans = stageSpan(offers.filter(lead.isNotNull().and(qualified.isNotNull())), "lead", lead, qualified)
        .unionByName(stageSpan(offers.filter(qualified.isNotNull().and(col("_reached_offer"))), "qualified",
            qualified, created))
        .unionByName(stageSpan(offers.filter(closed.isNotNull().and(col("_reached_offer"))), "offer", created, closed))
        .filter(col(DAYS).geq(0));
    Dataset<Row> agg = byDimension(inPeriods(spans, periods), dims)
        .groupBy(col(PERIOD_TYPE), col(PERIOD), col(DIMENSION), col(DIMENSION_VALUE), col("_step"))
        .agg(avg(col(DAYS)).as("_mean"), SortedNumbers.ascending(col(DAYS)).as("_days"))
        .withColumn("_median", percentileOfSorted(col("_days"), 0.5))
        .withColumn("_p90", percentileOfSorted(col("_days"), 0.9));
    Column step = col("_step");
    Column medianId = when(step.equalTo("lead"), KpiIds.LEAD_QUALIFICATION_DAYS_MEDIAN)
        .when(step.equalTo("offer"), KpiIds.OFFER_PROCESSING_DAYS_MEDIAN);
    Column p90Id = when(step.equalTo("lead"), KpiIds.LEAD_QUALIFICATION_DAYS_P90)
        .when(step.equalTo("offer"), KpiIds.OFFER_PROCESSING_DAYS_P90);
    return agg
        .select(col(PERIOD_TYPE), col(PERIOD), col(DIMENSION), col(DIMENSION_VALUE), explode(array(
            struct(concat(lit("days_in_"), step).as(KPI), col("_mean").as(VALUE)),
            struct(medianId.as(KPI), col("_median").as(VALUE)),
            struct(p90Id.as(KPI), col("_p90").as(VALUE)))).as("_k"))
        .select(col(PERIOD_TYPE), col(PERIOD), col(DIMENSION), col(DIMENSION_VALUE),
            col("_k." + KPI).as(KPI), col("_k." + VALUE).cast("double").as(VALUE))
        .filter(col(KPI).isNotNull().and(col(VALUE).isNotNull()));
  }

  private static Dataset<Row> stageSpan(Dataset<Row> offers, String step, Column from, Column to) {
    return offers.select(lit(step).as("_step"), to_date(to).as(DATE), days(from, to).as(DAYS),
        col(dim(Dimension.REP)), col(dim(Dimension.CHANNEL)), col(dim(Dimension.REGION)), col(dim(Dimension.INDUSTRY)));
  }

  /**
   * Offers decided (won or lost by as_of) in the period, by closed_at, or created_at where
   * closed_at is missing: won, lost, won value and the success rate won / (won + lost).
   */
  static Dataset<Row> offerOutcomes(Dataset<Row> offers, Dataset<Row> periods, List<Dimension> dims) {
    Column won = col("_status").equalTo("won");
    Dataset<Row> decided = offers.filter(col("_status").isin("won", "lost"))
        .withColumn(DATE, to_date(coalesce(col("_closed"), col(Offers.CREATED_AT))));
    Map<String, Column> sums = new LinkedHashMap<>();
    sums.put("_won", sum(asInt(won)));
    sums.put("_lost", sum(asInt(not(won))));
    sums.put("_won_value", sum(when(won, offerUnits()).otherwise(0L)));
    Dataset<Row> agg = summedPerPeriod(decided, periods, dims, sums);
    Map<String, Column> kpis = new LinkedHashMap<>();
    kpis.put(KpiIds.OFFERS_WON, col("_won"));
    kpis.put(KpiIds.OFFERS_LOST, col("_lost"));
    kpis.put(KpiIds.WON_VALUE, Money.fromUnits(col("_won_value")));
    kpis.put(KpiIds.OFFER_SUCCESS_RATE, percentOf(col("_won"), col("_won").plus(col("_lost"))));
    return toLong(agg, kpis);
  }

}
