package org.crmanalytics.models.kpis;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.crmanalytics.models.kpis.KpiOutput.DIMENSION;
import static org.crmanalytics.models.kpis.KpiOutput.DIMENSION_VALUE;
import static org.crmanalytics.models.kpis.KpiOutput.KPI;
import static org.crmanalytics.models.kpis.KpiOutput.PERIOD;
import static org.crmanalytics.models.kpis.KpiOutput.PERIOD_TYPE;
import static org.crmanalytics.models.kpis.KpiOutput.TARGET;
import static org.crmanalytics.models.kpis.KpiOutput.VALUE;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.models.contract.Contract.SalesTargets;
import org.crmanalytics.models.kpis.KpiSettings.Dimension;

/** Targets from sales_targets on the actuals, rolled up to quarters and years, and the achievement KPIs. */
final class TargetKpis {
  private TargetKpis() {}

  /**
   * {@code targets} plus, for the additive KPIs, the target of each coarser period that sales_targets
   * does not give but whose finer periods all have one (a quarter from its 3 months, a year from its
   * 4 quarters): their sum, per rep and KPI. A target given for the coarser period wins.
   */
  private static Dataset<Row> rolledUp(Dataset<Row> targets, String finer, String coarser, Column coarserPeriod,
      int parts) {
    Dataset<Row> derived = targets
        .filter(col(PERIOD_TYPE).equalTo(finer).and(col(SalesTargets.KPI).isin(KpiIds.ADDITIVE.toArray())))
        .groupBy(col(SalesTargets.REP_ID), col(SalesTargets.KPI), coarserPeriod.as(SalesTargets.PERIOD))
        .agg(sum(col(SalesTargets.TARGET)).as(SalesTargets.TARGET), countDistinct(col(SalesTargets.PERIOD)).as("_parts"))
        .filter(col("_parts").equalTo(parts))
        .drop("_parts")
        .withColumn(PERIOD_TYPE, lit(coarser));
    Dataset<Row> missing = derived.join(targets.filter(col(PERIOD_TYPE).equalTo(coarser)),
        new String[] {SalesTargets.REP_ID, SalesTargets.KPI, SalesTargets.PERIOD, PERIOD_TYPE}, "left_anti");
    return targets.unionByName(missing);
  }

  /**
   * Puts each target of sales_targets on the actual of the same KPI, rep and period (dimension
   * rep) and, for the additive KPIs, the sum of the reps' targets on the company's actual of the
   * KPI and period (dimension all), and adds achievement_<kpi> = actual / target in percent. A
   * target without an actual gets 0 for counts and sums, and no value otherwise. Targets of
   * periods not reported are left out. Quarter and year targets of additive KPIs are rolled up from
   * complete months and quarters when not given ({@link #rolledUp}). Rates get no company target: the company's rate is neither
   * the sum nor the plain mean of the reps' rates, and sales_targets carries no weights.
   */
  static Dataset<Row> withTargets(Dataset<Row> actuals, Dataset<Row> salesTargets, Dataset<Row> periods,
      List<Dimension> dims) {
    Column period = col(SalesTargets.PERIOD);
    Dataset<Row> typed = salesTargets
        .select(col(SalesTargets.REP_ID), col(SalesTargets.KPI), period, col(SalesTargets.TARGET))
        .withColumn(PERIOD_TYPE,
            when(period.rlike("^[0-9]{4}$"), "year")
                .when(period.rlike("^[0-9]{4}-Q[1-4]$"), "quarter")
                .when(period.rlike("^[0-9]{4}-[0-9]{2}$"), "month"));
    Dataset<Row> withQuarters = rolledUp(typed, "month", "quarter",
        concat(col(SalesTargets.PERIOD).substr(1, 4), lit("-Q"),
            ceil(col(SalesTargets.PERIOD).substr(6, 2).cast("int").divide(3)).cast("string")), 3);
    Dataset<Row> withYears = rolledUp(withQuarters, "quarter", "year", col(SalesTargets.PERIOD).substr(1, 4), 4);
    Dataset<Row> reported = withYears.join(periods.select(PERIOD_TYPE, PERIOD), new String[] {PERIOD_TYPE, PERIOD});
    Column additive = col(KPI).isin(KpiIds.ADDITIVE.toArray());
    List<Dataset<Row>> parts = new ArrayList<>();
    if (dims.contains(Dimension.REP)) {
      parts.add(reported.select(col(PERIOD_TYPE), col(PERIOD), lit(Dimension.REP.id()).as(DIMENSION),
          col(SalesTargets.REP_ID).as(DIMENSION_VALUE), col(SalesTargets.KPI).as(KPI),
          col(SalesTargets.TARGET).cast("double").as(TARGET)));
    }
    if (dims.contains(Dimension.ALL)) {
      // Summed as decimals, so the company target does not depend on the order of the rows.
      parts.add(reported.filter(col(SalesTargets.KPI).isin(KpiIds.ADDITIVE.toArray()))
          .groupBy(col(PERIOD_TYPE), col(PERIOD), col(SalesTargets.KPI).as(KPI))
          .agg(sum(col(SalesTargets.TARGET)).cast("double").as(TARGET))
          .select(col(PERIOD_TYPE), col(PERIOD), lit(Dimension.ALL.id()).as(DIMENSION),
              lit(KpiOutput.ALL_VALUE).as(DIMENSION_VALUE), col(KPI), col(TARGET)));
    }
    Dataset<Row> targets = parts.stream().reduce(Dataset::unionByName).orElseThrow();
    Dataset<Row> joined = actuals
        .join(targets, new String[] {PERIOD_TYPE, PERIOD, DIMENSION, DIMENSION_VALUE, KPI}, "full_outer")
        .withColumn(VALUE, when(col(VALUE).isNull().and(additive), lit(0.0)).otherwise(col(VALUE)));
    // Each row and, where it has a target, its achievement row come out of one pass over the
    // joined rows: a second reader of them would compute every KPI a second time.
    Column itself = struct(col(KPI).as(KPI), col(VALUE).as(VALUE), col(TARGET).as(TARGET));
    Column achievement = when(col(TARGET).gt(0).and(col(VALUE).isNotNull()), struct(
        concat(lit(KpiIds.ACHIEVEMENT_PREFIX), col(KPI)).as(KPI),
        col(VALUE).multiply(100).divide(col(TARGET)).as(VALUE),
        lit(null).cast("double").as(TARGET)));
    return joined
        .select(col(PERIOD_TYPE), col(PERIOD), col(DIMENSION), col(DIMENSION_VALUE),
            explode(array(itself, achievement)).as("_r"))
        .filter(col("_r").isNotNull())
        .select(col(PERIOD_TYPE), col(PERIOD), col(DIMENSION), col(DIMENSION_VALUE),
            col("_r." + KPI).as(KPI), col("_r." + VALUE).as(VALUE), col("_r." + TARGET).as(TARGET));
  }
}
