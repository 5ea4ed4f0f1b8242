package org.crmanalytics.models.kpis;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.try_divide;
import static org.apache.spark.sql.functions.when;
import static org.crmanalytics.models.kpis.KpiOutput.DIMENSION;
import static org.crmanalytics.models.kpis.KpiSteps.C_CHANNEL;
import static org.crmanalytics.models.kpis.KpiSteps.C_INDUSTRY;
import static org.crmanalytics.models.kpis.KpiSteps.C_REGION;
import static org.crmanalytics.models.kpis.KpiSteps.C_REP;
import static org.crmanalytics.models.kpis.KpiSteps.DATE;
import static org.crmanalytics.models.kpis.KpiSteps.KEYS;
import static org.crmanalytics.models.kpis.KpiSteps.byDimension;
import static org.crmanalytics.models.kpis.KpiSteps.dim;
import static org.crmanalytics.models.kpis.KpiSteps.inPeriods;
import static org.crmanalytics.models.kpis.KpiSteps.onOrBefore;
import static org.crmanalytics.models.kpis.KpiSteps.toLong;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.models.contract.Contract.Activities;
import org.crmanalytics.models.kpis.KpiSettings.Dimension;

/** Visits and visits per rep, from the activities. */
final class VisitKpis {
  private VisitKpis() {}

  /** Visits (activities of type visit) in the period; per rep: visits with a rep / reps who visited. */
  static Dataset<Row> visits(Dataset<Row> activities, Dataset<Row> customers, Dataset<Row> periods,
      List<Dimension> dims, LocalDate asOf) {
    Dataset<Row> facts = activities
        .filter(col(Activities.TYPE).equalTo("visit").and(onOrBefore(col(Activities.OCCURRED_AT), asOf)))
        .join(customers, new String[] {Activities.CUSTOMER_ID}, "left")
        .withColumn(DATE, to_date(col(Activities.OCCURRED_AT)))
        .withColumn(dim(Dimension.REP), coalesce(col(Activities.REP_ID), col(C_REP)))
        .withColumn(dim(Dimension.CHANNEL), col(C_CHANNEL))
        .withColumn(dim(Dimension.REGION), col(C_REGION))
        .withColumn(dim(Dimension.INDUSTRY), col(C_INDUSTRY));
    // Counted per month and slice first (periods are whole months): far fewer rows to repeat per
    // period type and slice than the visits themselves. The rep is a key, so reps stay countable.
    Column rep = col(dim(Dimension.REP));
    Dataset<Row> monthly = facts
        .groupBy(trunc(col(DATE), "month").as(DATE), rep, col(dim(Dimension.CHANNEL)),
            col(dim(Dimension.REGION)), col(dim(Dimension.INDUSTRY)))
        .agg(count(lit(1)).as("_n"));
    Dataset<Row> agg = byDimension(inPeriods(monthly, periods), dims).groupBy(KEYS[0], KEYS[1], KEYS[2], KEYS[3])
        .agg(sum(col("_n")).as("_visits"), coalesce(sum(when(rep.isNotNull(), col("_n"))), lit(0L)).as("_with_rep"),
            countDistinct(rep).as("_reps"));
    Map<String, Column> kpis = new LinkedHashMap<>();
    kpis.put(KpiIds.VISITS, col("_visits"));
    kpis.put(KpiIds.VISITS_PER_REP,
        when(col(DIMENSION).notEqual(Dimension.REP.id()), try_divide(col("_with_rep").cast("double"), col("_reps"))));
    return toLong(agg, kpis);
  }

}
