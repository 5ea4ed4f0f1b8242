package org.crmanalytics.models.kpis;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.get;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.try_divide;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;
import static org.crmanalytics.models.kpis.KpiOutput.DIMENSION;
import static org.crmanalytics.models.kpis.KpiOutput.DIMENSION_VALUE;
import static org.crmanalytics.models.kpis.KpiOutput.KPI;
import static org.crmanalytics.models.kpis.KpiOutput.PERIOD;
import static org.crmanalytics.models.kpis.KpiOutput.PERIOD_TYPE;
import static org.crmanalytics.models.kpis.KpiOutput.VALUE;
import static org.crmanalytics.models.kpis.ReportingPeriods.END;
import static org.crmanalytics.models.kpis.ReportingPeriods.START;

import java.sql.Date;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.contract.Contract.Customers;
import org.crmanalytics.models.contract.Contract.Offers;
import org.crmanalytics.models.contract.Money;
import org.crmanalytics.models.kpis.KpiSettings.Dimension;
import org.crmanalytics.models.kpis.KpiSettings.PeriodType;

/**
 * The steps every KPI family of {@link SalesControllingKpis} shares: the fact columns, joining facts
 * to the reporting periods, fanning them out per dimension, summing per month and period, and the
 * long output format.
 */
final class KpiSteps {
  private KpiSteps() {}

  static final String DATE = "_date";
  static final String C_REP = "_c_rep";
  static final String C_CHANNEL = "_c_channel";
  static final String C_REGION = "_c_region";
  static final String C_INDUSTRY = "_c_industry";
  static final String NET = "_net";
  static final String COST = "_cost";
  static final String DAYS = "_days";
  static final double SECONDS_PER_DAY = 86_400.0;

  static final Set<Dimension> CUSTOMER_DIMENSIONS =
      EnumSet.of(Dimension.ALL, Dimension.REP, Dimension.CHANNEL, Dimension.REGION, Dimension.INDUSTRY);
  static final Set<Dimension> SALES_DIMENSIONS =
      EnumSet.of(Dimension.ALL, Dimension.REP, Dimension.CHANNEL, Dimension.REGION, Dimension.INDUSTRY,
          Dimension.PRODUCT_GROUP);
  /** Sales dimensions whose value can differ between the lines of one customer. */
  static final Set<Dimension> LINE_DIMENSIONS = EnumSet.of(Dimension.CHANNEL, Dimension.PRODUCT_GROUP);
  static final String[] KEYS = {PERIOD_TYPE, PERIOD, DIMENSION, DIMENSION_VALUE};

  static List<Dimension> dimensions(KpiSettings settings, Set<Dimension> supported) {
    return settings.dimensions().stream().filter(supported::contains).toList();
  }

  static String dim(Dimension d) {
    return "_dim_" + d.id();
  }

  /** Computed columns have Spark's own nullability; the output promises the schema's. */
  static Dataset<Row> conform(Dataset<Row> rows, StructType schema) {
    return rows.sparkSession().createDataFrame(rows.toJavaRDD(), schema);
  }

  static Dataset<Row> customerAttributes(Dataset<Row> customers) {
    return customers.select(
        col(Customers.CUSTOMER_ID),
        col(Customers.SALES_REP_ID).as(C_REP),
        col(Customers.CHANNEL).as(C_CHANNEL),
        col(Customers.REGION).as(C_REGION),
        col(Customers.INDUSTRY).as(C_INDUSTRY));
  }

  /** Facts whose slices are the customer's own rep, channel, region and industry. */
  static Dataset<Row> withCustomerDimensions(Dataset<Row> facts) {
    return facts
        .withColumn(dim(Dimension.REP), col(C_REP))
        .withColumn(dim(Dimension.CHANNEL), col(C_CHANNEL))
        .withColumn(dim(Dimension.REGION), col(C_REGION))
        .withColumn(dim(Dimension.INDUSTRY), col(C_INDUSTRY));
  }

  /**
   * One row per fact and reporting period that holds the fact's {@code _date}. Each fact is
   * joined on the start of its month, quarter and year: an equality join, where a range join
   * would compare every fact with every period.
   */
  static Dataset<Row> inPeriods(Dataset<Row> facts, Dataset<Row> periods) {
    Dataset<Row> p = broadcast(periods.select(PERIOD_TYPE, PERIOD, START, END, ReportingPeriods.KEY));
    Column[] starts = Arrays.stream(PeriodType.values())
        .map(t -> struct(lit(t.id()).as("_type"), trunc(col(DATE), t.id()).as("_start")))
        .toArray(Column[]::new);
    return facts.withColumn("_in", explode(array(starts)))
        .join(p, col("_in._type").equalTo(p.col(PERIOD_TYPE))
            .and(col("_in._start").equalTo(p.col(START)))
            .and(col(DATE).leq(p.col(END))))
        .drop("_in");
  }

  /** One row per fact and dimension: (dimension, value), "(none)" where the fact has no value. */
  static Dataset<Row> byDimension(Dataset<Row> facts, List<Dimension> dims) {
    if (dims.isEmpty()) {
      throw new IllegalArgumentException("no dimension to slice by");
    }
    Column[] slices = dims.stream()
        .map(d -> struct(
            lit(d.id()).as(DIMENSION),
            (d == Dimension.ALL ? lit(KpiOutput.ALL_VALUE) : coalesce(col(dim(d)), lit(KpiOutput.NOT_RECORDED)))
                .as(DIMENSION_VALUE)))
        .toArray(Column[]::new);
    return facts.withColumn("_slice", explode(array(slices)))
        .withColumn(DIMENSION, col("_slice." + DIMENSION))
        .withColumn(DIMENSION_VALUE, col("_slice." + DIMENSION_VALUE))
        .drop("_slice");
  }

  /**
   * Counts and sums per (period, dimension, value), taken per month and slice first and then summed
   * per period: periods are whole months, and a slice's months are far fewer rows than its facts,
   * which would otherwise be repeated once per period type. Each of {@code sums} (a count or a sum,
   * by name) comes out under its name.
   */
  static Dataset<Row> summedPerPeriod(Dataset<Row> facts, Dataset<Row> periods, List<Dimension> dims,
      Map<String, Column> sums) {
    Column[] monthly = sums.entrySet().stream().map(e -> e.getValue().as(e.getKey())).toArray(Column[]::new);
    Column[] perPeriod = sums.keySet().stream().map(name -> sum(col(name)).as(name)).toArray(Column[]::new);
    Dataset<Row> months = byDimension(facts.withColumn(DATE, trunc(col(DATE), "month")), dims)
        .groupBy(col(DATE), col(DIMENSION), col(DIMENSION_VALUE))
        .agg(monthly[0], Arrays.copyOfRange(monthly, 1, monthly.length));
    return inPeriods(months, periods).groupBy(KEYS[0], KEYS[1], KEYS[2], KEYS[3])
        .agg(perPeriod[0], Arrays.copyOfRange(perPeriod, 1, perPeriod.length));
  }

  /** Aggregates to long rows: one per KPI whose value is not null. */
  static Dataset<Row> toLong(Dataset<Row> aggregated, Map<String, Column> kpis) {
    Column[] entries = kpis.entrySet().stream()
        .map(e -> struct(lit(e.getKey()).as(KPI), e.getValue().cast("double").as(VALUE)))
        .toArray(Column[]::new);
    return aggregated
        .select(col(PERIOD_TYPE), col(PERIOD), col(DIMENSION), col(DIMENSION_VALUE), explode(array(entries)).as("_k"))
        .select(col(PERIOD_TYPE), col(PERIOD), col(DIMENSION), col(DIMENSION_VALUE),
            col("_k." + KPI).as(KPI), col("_k." + VALUE).as(VALUE))
        .filter(col(VALUE).isNotNull());
  }

  /** An offer's value in ten-thousandths ({@link Money#units}), 0 when it has none. */
  static Column offerUnits() {
    return coalesce(Money.units(col(Offers.AMOUNT)), lit(0L));
  }

  static Column percentOf(Column part, Column whole) {
    return try_divide(part.cast("double").multiply(100), whole.cast("double"));
  }

  static Column days(Column from, Column to) {
    return unix_seconds(to).minus(unix_seconds(from)).divide(lit(SECONDS_PER_DAY));
  }

  /**
   * The percentile p of ascending numbers (an array without nulls) as Spark's percentile aggregate
   * computes it: the value at position (n - 1) p, interpolated linearly between the two values
   * around it unless they are equal; null for no numbers. One sorted array serves every
   * percentile of a group, where each percentile aggregate would count the values anew.
   */
  static Column percentileOfSorted(Column sorted, double p) {
    Column position = size(sorted).minus(1).cast("double").multiply(p);
    Column lower = floor(position);
    Column higher = ceil(position);
    Column low = get(sorted, lower.cast("int"));
    Column high = get(sorted, higher.cast("int"));
    return when(size(sorted).equalTo(0), lit(null).cast("double"))
        .when(lower.equalTo(higher).or(low.equalTo(high)), low)
        .otherwise(higher.minus(position).multiply(low).plus(position.minus(lower).multiply(high)));
  }

  static Column onOrBefore(Column timestamp, LocalDate asOf) {
    return to_date(timestamp).leq(lit(Date.valueOf(asOf)));
  }

  static Column asInt(Column condition) {
    return when(condition, 1).otherwise(0);
  }


  /** Months counted from year 0: consecutive months differ by 1. */
  static Column monthIndex(Column date) {
    return year(date).multiply(12).plus(month(date)).minus(1);
  }

  static int monthIndex(LocalDate date) {
    return date.getYear() * 12 + date.getMonthValue() - 1;
  }

}
