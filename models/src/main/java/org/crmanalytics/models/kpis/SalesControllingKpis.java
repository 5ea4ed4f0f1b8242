package org.crmanalytics.models.kpis;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.get;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.not;
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
import static org.crmanalytics.models.kpis.KpiOutput.PARTIAL;
import static org.crmanalytics.models.kpis.KpiOutput.PERIOD;
import static org.crmanalytics.models.kpis.KpiOutput.PERIOD_TYPE;
import static org.crmanalytics.models.kpis.KpiOutput.TARGET;
import static org.crmanalytics.models.kpis.KpiOutput.VALUE;
import static org.crmanalytics.models.kpis.ReportingPeriods.END;
import static org.crmanalytics.models.kpis.ReportingPeriods.START;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.contract.Contract.Activities;
import org.crmanalytics.models.contract.Contract.CampaignMembers;
import org.crmanalytics.models.contract.Contract.Campaigns;
import org.crmanalytics.models.contract.Contract.Customers;
import org.crmanalytics.models.contract.Contract.Offers;
import org.crmanalytics.models.contract.Contract.Products;
import org.crmanalytics.models.contract.Contract.Sales;
import org.crmanalytics.models.contract.Contract.SalesTargets;
import org.crmanalytics.models.contract.Contract.Tickets;
import org.crmanalytics.models.contract.Money;
import org.crmanalytics.models.kpis.KpiSettings.Dimension;
import org.crmanalytics.models.kpis.KpiSettings.PeriodType;
import org.crmanalytics.models.kpis.ReportingPeriods.Period;

/**
 * The sales-controlling KPIs as of a date, from the silver tables: pure DataFrame transforms, no
 * I/O, nothing collected. docs/kpis.md defines every KPI.
 *
 * <p>Every KPI family follows the same path: facts (one row per offer, visit, ticket, customer or
 * customer and month of sales) carry a date and one column per dimension; each fact is joined to
 * the reporting periods that hold its date (a tiny broadcast table), fanned out to one row per
 * configured dimension, aggregated per (period, dimension, value) and unpivoted into the long
 * format. Sums are taken per month first where that shrinks what is fanned out: periods are whole
 * months. The sales lines are read once, as {@link #salesMonths}. Only
 * data up to as_of counts: later facts are dropped and states (won, resolved) that were reached
 * after as_of are undone, so rows dated after as_of cannot change the result.
 */
public final class SalesControllingKpis {
  private static final String DATE = "_date";
  private static final String C_REP = "_c_rep";
  private static final String C_CHANNEL = "_c_channel";
  private static final String C_REGION = "_c_region";
  private static final String C_INDUSTRY = "_c_industry";
  private static final String NET = "_net";
  private static final String COST = "_cost";
  private static final String DAYS = "_days";
  private static final double SECONDS_PER_DAY = 86_400.0;

  private static final Set<Dimension> CUSTOMER_DIMENSIONS =
      EnumSet.of(Dimension.ALL, Dimension.REP, Dimension.CHANNEL, Dimension.REGION, Dimension.INDUSTRY);
  private static final Set<Dimension> SALES_DIMENSIONS =
      EnumSet.of(Dimension.ALL, Dimension.REP, Dimension.CHANNEL, Dimension.REGION, Dimension.INDUSTRY,
          Dimension.PRODUCT_GROUP);
  /** Sales dimensions whose value can differ between the lines of one customer. */
  private static final Set<Dimension> LINE_DIMENSIONS = EnumSet.of(Dimension.CHANNEL, Dimension.PRODUCT_GROUP);
  private static final String[] KEYS = {PERIOD_TYPE, PERIOD, DIMENSION, DIMENSION_VALUE};

  private SalesControllingKpis() {}

  /** All KPIs in {@link KpiOutput#SCHEMA}; periods after as_of are not produced. */
  public static Dataset<Row> transform(KpiInputs in, LocalDate asOf, KpiSettings settings) {
    return transform(in, salesMonths(in, asOf), asOf, settings);
  }

  /**
   * As {@link #transform(KpiInputs, LocalDate, KpiSettings)}, from the given {@link #salesMonths}
   * of the same inputs and as_of. Several KPIs read them: a caller that persists them computes the
   * sales lines once.
   */
  public static Dataset<Row> transform(KpiInputs in, Dataset<Row> salesMonths, LocalDate asOf, KpiSettings settings) {
    List<Period> reported = ReportingPeriods.list(asOf, settings);
    Dataset<Row> periods = ReportingPeriods.table(in.customers().sparkSession(), asOf, settings);
    Dataset<Row> customers = customerAttributes(in.customers());
    Dataset<Row> customerMonths = withSalesDimensions(salesMonths);
    List<Dimension> salesDims = dimensions(settings, in.products().isPresent()
        ? SALES_DIMENSIONS : CUSTOMER_DIMENSIONS);
    List<Dimension> customerDims = dimensions(settings, CUSTOMER_DIMENSIONS);

    List<Dataset<Row>> parts = new ArrayList<>();
    if (!salesDims.isEmpty()) {
      // Months before the first reported period count in no revenue or concentration KPI.
      LocalDate firstDay = reported.stream().map(Period::start).min(LocalDate::compareTo).orElseThrow();
      Dataset<Row> reportedMonths = customerMonths.filter(col(DATE).geq(lit(Date.valueOf(firstDay))));
      parts.add(revenueAndMargin(reportedMonths, periods, salesDims));
      parts.add(concentration(reportedMonths, customers, periods, salesDims, settings.topCustomerPercent()));
    }
    Dataset<Row> orderMonths = orderMonths(customerMonths);
    churn(in, orderMonths, customers, reported, periods, settings).ifPresent(parts::add);
    if (!customerDims.isEmpty()) {
      parts.add(newCustomers(orderMonths, customers, periods, customerDims));
      in.offers().ifPresent(o -> {
        Dataset<Row> offers = offersAsOf(o, customers, asOf);
        parts.add(funnel(offers, periods, customerDims));
        parts.add(stageDurations(offers, periods, customerDims));
        parts.add(offerOutcomes(offers, periods, customerDims));
      });
      in.activities().ifPresent(a -> parts.add(visits(a, customers, periods, customerDims, asOf)));
      in.tickets().ifPresent(t -> parts.add(complaints(t, customers, periods, customerDims, asOf)));
    }
    if (parts.isEmpty()) { // only dimensions whose tables are absent (campaign without campaign_members)
      return in.customers().sparkSession().createDataFrame(List.of(), KpiOutput.SCHEMA);
    }
    Dataset<Row> actuals = parts.get(0);
    for (Dataset<Row> part : parts.subList(1, parts.size())) {
      actuals = actuals.unionByName(part);
    }
    boolean targeted = settings.dimensions().contains(Dimension.REP) || settings.dimensions().contains(Dimension.ALL);
    Dataset<Row> withTargets = targeted && in.salesTargets().isPresent()
        ? withTargets(actuals, in.salesTargets().get(), periods, settings.dimensions())
        : actuals.withColumn(TARGET, lit(null).cast("double"));
    Dataset<Row> result = withTargets
        .join(broadcast(periods.select(PERIOD_TYPE, PERIOD, PARTIAL)), new String[] {PERIOD_TYPE, PERIOD})
        .select(Arrays.stream(KpiOutput.SCHEMA.fieldNames()).map(c -> col(c)).toArray(Column[]::new));
    return conform(result, KpiOutput.SCHEMA);
  }

  /**
   * Tickets of every type that are still open at the end of the as_of day and whose due time lies
   * on or before that day; days_overdue counts whole days since the due date (0: due on as_of).
   * Empty when the tickets table is absent.
   */
  public static Dataset<Row> escalations(KpiInputs in, LocalDate asOf) {
    if (in.tickets().isEmpty()) {
      return in.customers().sparkSession().createDataFrame(List.of(), KpiOutput.ESCALATION_SCHEMA);
    }
    Column day = lit(Date.valueOf(asOf));
    Dataset<Row> open = ticketsAsOf(in.tickets().get(), customerAttributes(in.customers()), asOf)
        .filter(col("_resolved").isNull()
            .and(col(Tickets.DUE_AT).isNotNull())
            .and(to_date(col(Tickets.DUE_AT)).leq(day)));
    Dataset<Row> list = open.select(
        col(Tickets.TICKET_ID).as(KpiOutput.TICKET_ID),
        col(Tickets.CUSTOMER_ID).as(KpiOutput.CUSTOMER_ID),
        col(C_REP).as(KpiOutput.REP_ID),
        col(Tickets.TYPE).as(KpiOutput.TICKET_TYPE),
        col(Tickets.PRIORITY).as(KpiOutput.PRIORITY),
        col(Tickets.DUE_AT).as(KpiOutput.DUE_AT),
        datediff(day, to_date(col(Tickets.DUE_AT))).as(KpiOutput.DAYS_OVERDUE))
        .orderBy(col(KpiOutput.DAYS_OVERDUE).desc(), col(KpiOutput.TICKET_ID));
    return conform(list, KpiOutput.ESCALATION_SCHEMA);
  }

  // ---- shared steps -----------------------------------------------------------------------------

  private static List<Dimension> dimensions(KpiSettings settings, Set<Dimension> supported) {
    return settings.dimensions().stream().filter(supported::contains).toList();
  }

  private static String dim(Dimension d) {
    return "_dim_" + d.id();
  }

  /** Computed columns have Spark's own nullability; the output promises the schema's. */
  private static Dataset<Row> conform(Dataset<Row> rows, StructType schema) {
    return rows.sparkSession().createDataFrame(rows.toJavaRDD(), schema);
  }

  private static Dataset<Row> customerAttributes(Dataset<Row> customers) {
    return customers.select(
        col(Customers.CUSTOMER_ID),
        col(Customers.SALES_REP_ID).as(C_REP),
        col(Customers.CHANNEL).as(C_CHANNEL),
        col(Customers.REGION).as(C_REGION),
        col(Customers.INDUSTRY).as(C_INDUSTRY));
  }

  /** Facts whose slices are the customer's own rep, channel, region and industry. */
  private static Dataset<Row> withCustomerDimensions(Dataset<Row> facts) {
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
  private static Dataset<Row> inPeriods(Dataset<Row> facts, Dataset<Row> periods) {
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
  private static Dataset<Row> byDimension(Dataset<Row> facts, List<Dimension> dims) {
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
  private static Dataset<Row> summedPerPeriod(Dataset<Row> facts, Dataset<Row> periods, List<Dimension> dims,
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
  private static Dataset<Row> toLong(Dataset<Row> aggregated, Map<String, Column> kpis) {
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
  private static Column offerUnits() {
    return coalesce(Money.units(col(Offers.AMOUNT)), lit(0L));
  }

  private static Column percentOf(Column part, Column whole) {
    return try_divide(part.cast("double").multiply(100), whole.cast("double"));
  }

  private static Column days(Column from, Column to) {
    return unix_seconds(to).minus(unix_seconds(from)).divide(lit(SECONDS_PER_DAY));
  }

  /**
   * The percentile p of ascending numbers (an array without nulls) as Spark's percentile aggregate
   * computes it: the value at position (n - 1) p, interpolated linearly between the two values
   * around it unless they are equal; null for no numbers. One sorted array serves every
   * percentile of a group, where each percentile aggregate would count the values anew.
   */
  private static Column percentileOfSorted(Column sorted, double p) {
    Column position = size(sorted).minus(1).cast("double").multiply(p);
    Column lower = floor(position);
    Column higher = ceil(position);
    Column low = get(sorted, lower.cast("int"));
    Column high = get(sorted, higher.cast("int"));
    return when(size(sorted).equalTo(0), lit(null).cast("double"))
        .when(lower.equalTo(higher).or(low.equalTo(high)), low)
        .otherwise(higher.minus(position).multiply(low).plus(position.minus(lower).multiply(high)));
  }

  private static Column onOrBefore(Column timestamp, LocalDate asOf) {
    return to_date(timestamp).leq(lit(Date.valueOf(asOf)));
  }

  private static Column asInt(Column condition) {
    return when(condition, 1).otherwise(0);
  }

  // ---- sales ------------------------------------------------------------------------------------

  /**
   * The order and return lines up to as_of summed per customer, month, order channel and product
   * group, with the customer's attributes; the input of the sales KPIs in
   * {@link #transform(KpiInputs, Dataset, LocalDate, KpiSettings)}. Periods are whole months and
   * every sales KPI is a sum over the months of a period or depends only on the months a customer
   * ordered in, so all of them start from these sums, a fraction of the lines. Partitioned by
   * customer: the per-customer steps that follow (revenue per customer and period, order months,
   * first orders) need no further shuffle. Amounts are whole ten-thousandths ({@link Money#units})
   * until a KPI value is taken from them.
   */
  public static Dataset<Row> salesMonths(KpiInputs in, LocalDate asOf) {
    Dataset<Row> lines = in.sales()
        .filter(col(Sales.ORDER_DATE).leq(lit(Date.valueOf(asOf))))
        .select(col(Sales.CUSTOMER_ID), trunc(col(Sales.ORDER_DATE), "month").as(DATE), col(Sales.LINE_TYPE),
            col(Sales.PRODUCT_ID), Money.units(col(Sales.NET_AMOUNT)).as(NET),
            Money.units(col(Sales.COST_AMOUNT)).as(COST), col(Sales.CHANNEL).as("_order_channel"));
    Column group = lit(null).cast("string");
    if (in.products().isPresent()) {
      lines = lines.join(in.products().get().select(col(Products.PRODUCT_ID), col(Products.PRODUCT_GROUP).as("_group")),
          new String[] {Sales.PRODUCT_ID}, "left");
      group = col("_group");
    }
    Column costed = col(COST).isNotNull();
    return lines.repartition(col(Sales.CUSTOMER_ID))
        .groupBy(col(Sales.CUSTOMER_ID), col(DATE), col("_order_channel"), group.as("_group"))
        .agg(sum(col(NET)).as(NET),
            sum(when(costed, col(NET).minus(col(COST)))).as("_margin"),
            sum(when(costed, col(NET))).as("_costed_revenue"),
            // months with an order line: the customer ordered in them (returns are not orders)
            max(col(Sales.LINE_TYPE).equalTo(Sales.TYPE_ORDER)).as("_ordered"))
        .join(customerAttributes(in.customers()), new String[] {Sales.CUSTOMER_ID}, "left");
  }

  /** Sales months with the slice columns; the channel is the order's, else the customer's. */
  private static Dataset<Row> withSalesDimensions(Dataset<Row> salesMonths) {
    return salesMonths
        .withColumn(dim(Dimension.REP), col(C_REP))
        .withColumn(dim(Dimension.CHANNEL), coalesce(col("_order_channel"), col(C_CHANNEL)))
        .withColumn(dim(Dimension.REGION), col(C_REGION))
        .withColumn(dim(Dimension.INDUSTRY), col(C_INDUSTRY))
        .withColumn(dim(Dimension.PRODUCT_GROUP), col("_group"));
  }

  /**
   * The months each customer ordered in (returns are not orders). The customer's attributes are
   * joined to the far fewer rows derived from these.
   */
  private static Dataset<Row> orderMonths(Dataset<Row> customerMonths) {
    return customerMonths.filter(col("_ordered")).select(col(Sales.CUSTOMER_ID), col(DATE)).distinct();
  }

  private static Dataset<Row> revenueAndMargin(Dataset<Row> salesMonths, Dataset<Row> periods, List<Dimension> dims) {
    Map<String, Column> sums = new LinkedHashMap<>();
    sums.put("_revenue", sum(col(NET)));
    sums.put("_margin", sum(col("_margin")));
    sums.put("_costed_revenue", sum(col("_costed_revenue")));
    Dataset<Row> agg = summedPerPeriod(salesMonths, periods, dims, sums);
    Map<String, Column> kpis = new LinkedHashMap<>();
    kpis.put(KpiIds.REVENUE, Money.fromUnits(col("_revenue")));
    kpis.put(KpiIds.MARGIN, Money.fromUnits(col("_margin")));
    kpis.put(KpiIds.MARGIN_PERCENT,
        percentOf(Money.fromUnits(col("_margin")), Money.fromUnits(col("_costed_revenue"))));
    return toLong(agg, kpis);
  }

  /** Customers whose first order line (returns aside) over all history up to as_of is in the period. */
  private static Dataset<Row> newCustomers(Dataset<Row> orderMonths, Dataset<Row> customers, Dataset<Row> periods,
      List<Dimension> dims) {
    Dataset<Row> firstOrders = orderMonths.groupBy(col(Sales.CUSTOMER_ID)).agg(min(col(DATE)).as(DATE))
        .join(customers, new String[] {Sales.CUSTOMER_ID}, "left");
    Dataset<Row> agg = summedPerPeriod(withCustomerDimensions(firstOrders), periods, dims,
        Map.of("_new", count(lit(1))));
    return toLong(agg, Map.of(KpiIds.NEW_CUSTOMERS, col("_new")));
  }

  /**
   * Revenue concentration among the customers with positive net revenue in the slice: the share of
   * the top {@code topPercent} % of them (rounded up to whole customers) and the Gini coefficient
   * G = 2 sum(i x_i) / (n sum x) - (n + 1) / n over revenues x sorted ascending, i = 1..n.
   *
   * <p>Each slice's revenues are sorted as one array of numbers and summed in ascending order: the
   * result of ranking the customers with a window, without sorting every customer row by the
   * slice's keys. Ties need no customer order here: tied revenues are equal, so the sums are too.
   */
  private static Dataset<Row> concentration(Dataset<Row> customerMonths, Dataset<Row> customers, Dataset<Row> periods,
      List<Dimension> dims, int topPercent) {
    // A customer's revenue in a period is the same in his slice of all, rep, region and industry:
    // summed once and labelled per dimension. Channel and product group split a customer's lines.
    List<Dimension> ofCustomer = dims.stream().filter(d -> !LINE_DIMENSIONS.contains(d)).toList();
    List<Dataset<Row>> revenues = new ArrayList<>();
    if (!ofCustomer.isEmpty()) {
      Dataset<Row> totals = customerRevenues(customerMonths, periods).join(customers, new String[] {Sales.CUSTOMER_ID}, "left");
      revenues.add(byDimension(withCustomerDimensions(totals), ofCustomer));
    }
    for (Dimension d : dims.stream().filter(LINE_DIMENSIONS::contains).toList()) {
      revenues.add(byDimension(customerRevenues(customerMonths, periods, col(dim(d))), List.of(d)));
    }
    Dataset<Row> perCustomer = revenues.stream()
        .map(r -> r.select(col(ReportingPeriods.KEY), col(DIMENSION), col(DIMENSION_VALUE), col("_x")))
        .reduce(Dataset::union).orElseThrow()
        .filter(col("_x").gt(0));
    // Grouped by the period's number, not its names: one int instead of two strings per customer row.
    Dataset<Row> agg = perCustomer.groupBy(col(ReportingPeriods.KEY), col(DIMENSION), col(DIMENSION_VALUE))
        .agg(SortedNumbers.concentration(col("_x"), topPercent).as("_sums"))
        .join(broadcast(periods.select(ReportingPeriods.KEY, PERIOD_TYPE, PERIOD)), ReportingPeriods.KEY)
        .select(col(PERIOD_TYPE), col(PERIOD), col(DIMENSION), col(DIMENSION_VALUE),
            col("_sums.top").as("_top"), col("_sums.weighted").as("_weighted"), col("_sums.total").as("_total"),
            col("_sums.count").as("_count"));
    Map<String, Column> kpis = new LinkedHashMap<>();
    kpis.put(KpiIds.TOP_CUSTOMER_REVENUE_SHARE, percentOf(col("_top"), col("_total")));
    kpis.put(KpiIds.REVENUE_GINI, col("_weighted").multiply(2).divide(col("_count").multiply(col("_total")))
        .minus(col("_count").plus(1).divide(col("_count"))));
    return toLong(agg, kpis);
  }

  /**
   * Each customer's net revenue per period (keyed by {@link ReportingPeriods#KEY}; as a double: the
   * ranked value) and per value of the given slice columns, from the monthly sums.
   */
  private static Dataset<Row> customerRevenues(Dataset<Row> customerMonths, Dataset<Row> periods, Column... keys) {
    List<Column> monthKeys = new ArrayList<>(List.of(col(Sales.CUSTOMER_ID), col(DATE)));
    monthKeys.addAll(List.of(keys));
    List<Column> periodKeys = new ArrayList<>(List.of(col(ReportingPeriods.KEY), col(Sales.CUSTOMER_ID)));
    periodKeys.addAll(List.of(keys));
    Dataset<Row> monthly = customerMonths.groupBy(monthKeys.toArray(Column[]::new)).agg(sum(col(NET)).as(NET));
    return inPeriods(monthly, periods).groupBy(periodKeys.toArray(Column[]::new))
        .agg(Money.fromUnits(sum(col(NET))).cast("double").as("_x"));
  }

  /** Months counted from year 0: consecutive months differ by 1. */
  private static Column monthIndex(Column date) {
    return year(date).multiply(12).plus(month(date)).minus(1);
  }

  private static int monthIndex(LocalDate date) {
    return date.getYear() * 12 + date.getMonthValue() - 1;
  }

  /**
   * Churn: customers with an order in the {@code churnLookbackMonths} months before a period's
   * start are active at its start; those of them without an order in the period (up to as_of for
   * the running period) are churned. Returns are not orders.
   *
   * <p>Worked from each customer's order months in one pass, without a row per customer and
   * period: for an order month m followed by the customer's next order month m' (none: never), m
   * is the customer's last order before every period start s with m < s <= m', so the customer is
   * active exactly at the starts s in [m + 1, min(m + lookback, m')], and churned in such a period
   * when m' lies after the period's last month. These spells are disjoint per customer, so active
   * and churned customers are counts of spells, grouped per slice and (clipped) spell before they
   * meet the periods.
   */
  private static Optional<Dataset<Row>> churn(KpiInputs in, Dataset<Row> orderMonths, Dataset<Row> customers,
      List<Period> reported, Dataset<Row> periods, KpiSettings settings) {
    List<Dimension> dims = dimensions(settings, CUSTOMER_DIMENSIONS);
    boolean byCampaign = settings.dimensions().contains(Dimension.CAMPAIGN) && in.campaignMembers().isPresent();
    if (dims.isEmpty() && !byCampaign) {
      return Optional.empty();
    }
    int firstStart = reported.stream().mapToInt(p -> monthIndex(p.start())).min().orElseThrow();
    int lastStart = reported.stream().mapToInt(p -> monthIndex(p.start())).max().orElseThrow();
    int never = reported.stream().mapToInt(p -> monthIndex(p.end())).max().orElseThrow() + 1;
    Column month = col("_m");
    Column next = lead(month, 1).over(Window.partitionBy(col(Sales.CUSTOMER_ID)).orderBy(month));
    // Spells clipped to the reported starts, so that few distinct spells remain to be counted.
    Dataset<Row> spells = orderMonths.withColumn("_m", monthIndex(col(DATE)))
        .select(col(Sales.CUSTOMER_ID),
            greatest(month.plus(1), lit(firstStart)).as("_from"),
            least(month.plus(settings.churnLookbackMonths()), next, lit(lastStart)).as("_to"), // least skips null
            coalesce(next, lit(never)).as("_next"))
        .filter(col("_from").leq(col("_to")));
    Dataset<Row> windows = broadcast(periods.select(col(PERIOD_TYPE), col(PERIOD),
        monthIndex(col(START)).as("_s"), monthIndex(col(END)).as("_e")));
    Map<String, Column> kpis = new LinkedHashMap<>();
    kpis.put(KpiIds.ACTIVE_CUSTOMERS, col("_active_n"));
    kpis.put(KpiIds.CHURNED_CUSTOMERS, col("_churned_n"));
    kpis.put(KpiIds.CHURN_RATE, percentOf(col("_churned_n"), col("_active_n")));
    Dataset<Row> out = null;
    if (!dims.isEmpty()) {
      Dataset<Row> bySlice = byDimension(withCustomerDimensions(
          spells.join(customers, new String[] {Sales.CUSTOMER_ID}, "left")), dims)
          .groupBy(col(DIMENSION), col(DIMENSION_VALUE), col("_from"), col("_to"), col("_next"))
          .agg(count(lit(1)).as("_spells"));
      out = toLong(churnCounts(bySlice, windows), kpis);
    }
    if (byCampaign) {
      // A customer counts for a campaign from the first period that starts after he was targeted
      // (a month start s with s > the targeted day: s after the targeted month);
      // a membership without any date counts in every period.
      Dataset<Row> members = in.campaignMembers().get().select(
          col(CampaignMembers.CAMPAIGN_ID).as("_campaign"),
          col(CampaignMembers.CUSTOMER_ID).as("_member"),
          col(CampaignMembers.ADDED_AT).as("_added"));
      Column targeted = col("_added");
      if (in.campaigns().isPresent()) {
        members = members.join(in.campaigns().get().select(col(Campaigns.CAMPAIGN_ID).as("_campaign"),
            col(Campaigns.START_DATE).as("_campaign_start")), new String[] {"_campaign"}, "left");
        targeted = coalesce(col("_added"), col("_campaign_start"));
      }
      members = members.withColumn("_targeted", targeted);
      Dataset<Row> byCampaignSpells = spells
          .join(members, col(Sales.CUSTOMER_ID).equalTo(col("_member")))
          // greatest skips null: an undated membership leaves the spell as it is.
          .withColumn("_from", greatest(col("_from"), monthIndex(col("_targeted")).plus(1)))
          .filter(col("_from").leq(col("_to")))
          .groupBy(lit(Dimension.CAMPAIGN.id()).as(DIMENSION), col("_campaign").as(DIMENSION_VALUE), col("_from"),
              col("_to"), col("_next"))
          .agg(count(lit(1)).as("_spells"));
      Dataset<Row> campaignKpis = toLong(churnCounts(byCampaignSpells, windows), kpis);
      out = out == null ? campaignKpis : out.unionByName(campaignKpis);
    }
    return Optional.of(out);
  }

  /** Active customers: the spells that cover the period's start; churned: of those, no order up to its end. */
  private static Dataset<Row> churnCounts(Dataset<Row> spellCounts, Dataset<Row> windows) {
    Column spellCount = col("_spells");
    return spellCounts.join(windows, col("_s").between(col("_from"), col("_to")))
        .groupBy(KEYS[0], KEYS[1], KEYS[2], KEYS[3])
        .agg(sum(spellCount).as("_active_n"), sum(when(col("_next").gt(col("_e")), spellCount).otherwise(0L)).as("_churned_n"));
  }

  // ---- offers -----------------------------------------------------------------------------------

  /**
   * Offers as they stood at the end of the as_of day: offers created later are dropped; a
   * qualification after as_of is not yet known; an offer closed after as_of is still open, at the
   * stage its recorded times and value show (offer when it has a value, else qualified when
   * qualified, else lead). Adds the funnel flags and the slice columns.
   */
  private static Dataset<Row> offersAsOf(Dataset<Row> offers, Dataset<Row> customers, LocalDate asOf) {
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
  private static Dataset<Row> funnel(Dataset<Row> offers, Dataset<Row> periods, List<Dimension> dims) {
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
  private static Dataset<Row> stageDurations(Dataset<Row> offers, Dataset<Row> periods, List<Dimension> dims) {
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
  private static Dataset<Row> offerOutcomes(Dataset<Row> offers, Dataset<Row> periods, List<Dimension> dims) {
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

  // ---- activities -------------------------------------------------------------------------------

  /** Visits (activities of type visit) in the period; per rep: visits with a rep / reps who visited. */
  private static Dataset<Row> visits(Dataset<Row> activities, Dataset<Row> customers, Dataset<Row> periods,
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

  // ---- tickets ----------------------------------------------------------------------------------

  /** Tickets opened by as_of, resolved only when resolved by as_of, with the customer's attributes. */
  private static Dataset<Row> ticketsAsOf(Dataset<Row> tickets, Dataset<Row> customers, LocalDate asOf) {
    return tickets.filter(onOrBefore(col(Tickets.CREATED_AT), asOf))
        .join(customers, new String[] {Tickets.CUSTOMER_ID}, "left")
        .withColumn("_resolved", when(onOrBefore(col(Tickets.RESOLVED_AT), asOf), col(Tickets.RESOLVED_AT)));
  }

  /**
   * Complaints opened and resolved in the period, the median handling time of those resolved,
   * and the complaints open at the period's end (as_of for the running period) and of those the
   * ones overdue (due on or before that day).
   */
  private static Dataset<Row> complaints(Dataset<Row> tickets, Dataset<Row> customers, Dataset<Row> periods,
      List<Dimension> dims, LocalDate asOf) {
    Dataset<Row> complaints = withCustomerDimensions(ticketsAsOf(tickets, customers, asOf)
        .filter(col(Tickets.TYPE).equalTo("complaint")));
    Dataset<Row> opened = summedPerPeriod(complaints.withColumn(DATE, to_date(col(Tickets.CREATED_AT))), periods, dims,
        Map.of("_opened", count(lit(1))));
    Column handling = days(col(Tickets.CREATED_AT), col("_resolved"));
    Dataset<Row> resolved = byDimension(inPeriods(complaints.filter(col("_resolved").isNotNull())
        .withColumn(DATE, to_date(col("_resolved"))), periods), dims)
        .groupBy(KEYS[0], KEYS[1], KEYS[2], KEYS[3])
        .agg(count(lit(1)).as("_resolved_n"), SortedNumbers.ascending(when(handling.geq(0), handling)).as("_handlings"))
        .withColumn("_handling", percentileOfSorted(col("_handlings"), 0.5));
    Dataset<Row> p = broadcast(periods.select(PERIOD_TYPE, PERIOD, END));
    Column end = p.col(END);
    Dataset<Row> openAtEnd = complaints.join(p, to_date(col(Tickets.CREATED_AT)).leq(end)
        .and(col("_resolved").isNull().or(to_date(col("_resolved")).gt(end))));
    Dataset<Row> open = byDimension(openAtEnd, dims).groupBy(KEYS[0], KEYS[1], KEYS[2], KEYS[3])
        .agg(count(lit(1)).as("_open"),
            sum(asInt(col(Tickets.DUE_AT).isNotNull().and(to_date(col(Tickets.DUE_AT)).leq(col(END))))).as("_overdue"));
    Map<String, Column> openedKpis = Map.of(KpiIds.COMPLAINTS_OPENED, col("_opened"));
    Map<String, Column> resolvedKpis = new LinkedHashMap<>();
    resolvedKpis.put(KpiIds.COMPLAINTS_RESOLVED, col("_resolved_n"));
    resolvedKpis.put(KpiIds.COMPLAINT_HANDLING_DAYS_MEDIAN, col("_handling"));
    Map<String, Column> openKpis = new LinkedHashMap<>();
    openKpis.put(KpiIds.COMPLAINTS_OPEN, col("_open"));
    openKpis.put(KpiIds.COMPLAINTS_OVERDUE, col("_overdue"));
    return toLong(opened, openedKpis).unionByName(toLong(resolved, resolvedKpis)).unionByName(toLong(open, openKpis));
  }

  // ---- targets ----------------------------------------------------------------------------------

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
  private static Dataset<Row> withTargets(Dataset<Row> actuals, Dataset<Row> salesTargets, Dataset<Row> periods,
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
