package org.crmanalytics.models.features;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_seconds;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.Contract.Activities;
import org.crmanalytics.models.contract.Contract.CampaignMembers;
import org.crmanalytics.models.contract.Contract.Customers;
import org.crmanalytics.models.contract.Contract.Invoices;
import org.crmanalytics.models.contract.Contract.Offers;
import org.crmanalytics.models.contract.Contract.Payments;
import org.crmanalytics.models.contract.Contract.Products;
import org.crmanalytics.models.contract.Contract.Sales;
import org.crmanalytics.models.contract.Contract.Tickets;
import org.crmanalytics.models.contract.Money;
import org.crmanalytics.models.payments.PaymentAllocation;

/**
 * The point-in-time picture of every customer as of a date D: one row per customer known at D,
 * computed only from what was known at D. docs/features.md defines every column; keep both in step.
 *
 * <p>"Known at D": an event dated after D did not happen yet (a sale, a visit, a payment); a state
 * change after D had not happened yet (an offer won after D is open at D, a ticket resolved after D
 * is open at D, an invoice paid after D is unpaid at D). Timestamps count by their calendar day in
 * the session time zone, the same rule the quality gate applies to as_of. Windows of N days are
 * {@code (D - N days, D]}; windows of 12 months are {@code (D - 12 months, D]} and the 12 months
 * before are {@code (D - 24 months, D - 12 months]}.
 *
 * <p>Tables that are absent from the input map give null features; a present table gives 0 for a
 * customer without rows in counts and sums, and null where a mean or a ratio is undefined.
 */
public final class CustomerSnapshot {
  /** Sums of money: a sum of MONEY values keeps its 4 decimals and gains room for the total. */
  public static final DataType MONEY_SUM = Money.SUM;

  public static final String CUSTOMER_ID = "customer_id";
  public static final String AS_OF = "as_of";
  public static final String INDUSTRY = Customers.INDUSTRY;
  public static final String REGION = Customers.REGION;
  public static final String COUNTRY = Customers.COUNTRY;
  public static final String SEGMENT = Customers.SEGMENT;
  public static final String EMPLOYEES = Customers.EMPLOYEES;
  public static final String CHANNEL = Customers.CHANNEL;
  public static final String SALES_REP_ID = Customers.SALES_REP_ID;
  public static final String CREDIT_LIMIT = Customers.CREDIT_LIMIT;
  public static final String CUSTOMER_AGE_DAYS = "customer_age_days";

  public static final String DAYS_SINCE_LAST_ORDER = "days_since_last_order";
  public static final String DAYS_SINCE_FIRST_ORDER = "days_since_first_order";
  public static final String ORDER_COUNT_12M = "order_count_12m";
  public static final String ORDER_COUNT_PREV_12M = "order_count_prev_12m";
  public static final String REVENUE_12M = "revenue_12m";
  public static final String REVENUE_PREV_12M = "revenue_prev_12m";
  public static final String REVENUE_TREND = "revenue_trend";
  public static final String MARGIN_12M = "margin_12m";
  public static final String MARGIN_PREV_12M = "margin_prev_12m";
  public static final String MARGIN_TREND = "margin_trend";
  public static final String ORDER_DAYS = "order_days";
  public static final String MEAN_ORDER_GAP_DAYS = "mean_order_gap_days";
  public static final String LAST_ORDER_GAP_DAYS = "last_order_gap_days";
  public static final String LAST_GAP_VS_MEAN_GAP = "last_gap_vs_mean_gap";
  public static final String RECENCY_VS_MEAN_GAP = "recency_vs_mean_gap";
  public static final String PRODUCT_GROUP_COUNT_12M = "product_group_count_12m";
  public static final String PRODUCT_GROUP_REVENUE_SHARE_12M = "product_group_revenue_share_12m";
  public static final String RETURN_SHARE_12M = "return_share_12m";

  public static final String DAYS_SINCE_LAST_VISIT = "days_since_last_visit";

  public static final String OPEN_OFFERS = "open_offers";
  public static final String OPEN_OFFER_VALUE = "open_offer_value";
  public static final String OFFERS_WON_12M = "offers_won_12m";
  public static final String OFFERS_LOST_12M = "offers_lost_12m";
  public static final String OFFER_WIN_RATE_12M = "offer_win_rate_12m";

  public static final String OPEN_COMPLAINTS = "open_complaints";
  public static final String COMPLAINTS_12M = "complaints_12m";
  public static final String OVERDUE_TICKETS = "overdue_tickets";
  public static final String MEAN_DAYS_TO_RESOLVE_12M = "mean_days_to_resolve_12m";

  public static final String MEAN_DAYS_LATE_12M = "mean_days_late_12m";
  public static final String MEAN_DAYS_LATE_PREV_12M = "mean_days_late_prev_12m";
  public static final String DAYS_LATE_TREND = "days_late_trend";
  public static final String SHARE_PAID_LATE_12M = "share_paid_late_12m";
  public static final String MAX_DUNNING_LEVEL_12M = "max_dunning_level_12m";
  public static final String OPEN_RECEIVABLES = "open_receivables";
  public static final String OVERDUE_RECEIVABLES = "overdue_receivables";
  public static final String CREDIT_LIMIT_UTILISATION = "credit_limit_utilisation";

  public static final String CAMPAIGN_RESPONSES_12M = "campaign_responses_12m";

  /** Orders with at least one order line in the last {@code days} days. */
  public static String orderCount(int days) {
    return "order_count_" + days + "d";
  }

  /** Net revenue (orders minus returns) in the last {@code days} days. */
  public static String revenue(int days) {
    return "revenue_" + days + "d";
  }

  public static String visits(int days) {
    return "visits_" + days + "d";
  }

  public static String calls(int days) {
    return "calls_" + days + "d";
  }

  /**
   * The windows of the snapshot.
   *
   * @param windowsDays the RFM windows in days (order count and revenue per window)
   * @param activityWindowsDays the windows in days for visits and calls
   */
  public record Settings(List<Integer> windowsDays, List<Integer> activityWindowsDays) {
    public static final Settings DEFAULTS = new Settings(List.of(90, 365, 730), List.of(90, 365));
    /** Longer windows reach before any CRM data and before date arithmetic is safe. */
    public static final int MAX_WINDOW_DAYS = 36_500;

    public Settings {
      windowsDays = checked(windowsDays, "windowsDays");
      activityWindowsDays = checked(activityWindowsDays, "activityWindowsDays");
    }

    private static List<Integer> checked(List<Integer> days, String what) {
      if (days.isEmpty()) {
        throw new IllegalArgumentException(what + ": at least one window");
      }
      Set<Integer> seen = new HashSet<>();
      for (Integer d : days) {
        if (d == null || d < 1 || d > MAX_WINDOW_DAYS) {
          throw new IllegalArgumentException(what + ": " + d + " is not between 1 and " + MAX_WINDOW_DAYS);
        }
        if (!seen.add(d)) {
          throw new IllegalArgumentException(what + ": " + d + " is listed twice");
        }
      }
      return List.copyOf(days);
    }
  }

  /** The tables the snapshot reads; customers and sales are required, the others optional. */
  public static final List<String> INPUT_TABLES = List.of(Customers.NAME, Products.NAME, Sales.NAME, Invoices.NAME,
      Payments.NAME, Activities.NAME, Offers.NAME, Tickets.NAME, CampaignMembers.NAME);

  /** The snapshot schema with the default windows (pinned by a golden file). */
  public static final StructType SCHEMA = schema(Settings.DEFAULTS);

  private CustomerSnapshot() {}

  /** The columns in output order; customer_id and as_of are never null. */
  public static StructType schema(Settings s) {
    List<StructField> f = new ArrayList<>();
    f.add(new StructField(CUSTOMER_ID, DataTypes.StringType, false, Metadata.empty()));
    f.add(new StructField(AS_OF, DataTypes.DateType, false, Metadata.empty()));
    add(f, DataTypes.StringType, INDUSTRY, REGION, COUNTRY, SEGMENT);
    add(f, DataTypes.IntegerType, EMPLOYEES);
    add(f, DataTypes.StringType, CHANNEL, SALES_REP_ID);
    add(f, Contract.MONEY, CREDIT_LIMIT);
    add(f, DataTypes.IntegerType, CUSTOMER_AGE_DAYS, DAYS_SINCE_LAST_ORDER, DAYS_SINCE_FIRST_ORDER);
    for (int d : s.windowsDays()) {
      add(f, DataTypes.LongType, orderCount(d));
      add(f, MONEY_SUM, revenue(d));
    }
    add(f, DataTypes.LongType, ORDER_COUNT_12M, ORDER_COUNT_PREV_12M);
    add(f, MONEY_SUM, REVENUE_12M, REVENUE_PREV_12M);
    add(f, DataTypes.DoubleType, REVENUE_TREND);
    add(f, MONEY_SUM, MARGIN_12M, MARGIN_PREV_12M);
    add(f, DataTypes.DoubleType, MARGIN_TREND);
    add(f, DataTypes.LongType, ORDER_DAYS);
    add(f, DataTypes.DoubleType, MEAN_ORDER_GAP_DAYS);
    add(f, DataTypes.IntegerType, LAST_ORDER_GAP_DAYS);
    add(f, DataTypes.DoubleType, LAST_GAP_VS_MEAN_GAP, RECENCY_VS_MEAN_GAP);
    add(f, DataTypes.LongType, PRODUCT_GROUP_COUNT_12M);
    add(f, DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, true),
        PRODUCT_GROUP_REVENUE_SHARE_12M);
    add(f, DataTypes.DoubleType, RETURN_SHARE_12M);
    for (int d : s.activityWindowsDays()) {
      add(f, DataTypes.LongType, visits(d), calls(d));
    }
    add(f, DataTypes.IntegerType, DAYS_SINCE_LAST_VISIT);
    add(f, DataTypes.LongType, OPEN_OFFERS);
    add(f, MONEY_SUM, OPEN_OFFER_VALUE);
    add(f, DataTypes.LongType, OFFERS_WON_12M, OFFERS_LOST_12M);
    add(f, DataTypes.DoubleType, OFFER_WIN_RATE_12M);
    add(f, DataTypes.LongType, OPEN_COMPLAINTS, COMPLAINTS_12M, OVERDUE_TICKETS);
    add(f, DataTypes.DoubleType, MEAN_DAYS_TO_RESOLVE_12M);
    add(f, DataTypes.DoubleType, MEAN_DAYS_LATE_12M, MEAN_DAYS_LATE_PREV_12M, DAYS_LATE_TREND,
        SHARE_PAID_LATE_12M);
    add(f, DataTypes.IntegerType, MAX_DUNNING_LEVEL_12M);
    add(f, MONEY_SUM, OPEN_RECEIVABLES, OVERDUE_RECEIVABLES);
    add(f, DataTypes.DoubleType, CREDIT_LIMIT_UTILISATION);
    add(f, DataTypes.LongType, CAMPAIGN_RESPONSES_12M);
    return new StructType(f.toArray(StructField[]::new));
  }

  private static void add(List<StructField> fields, DataType type, String... names) {
    for (String n : names) {
      fields.add(new StructField(n, type, true, Metadata.empty()));
    }
  }

  /**
   * One row per customer of {@code silver.get("customers")} known at {@code asOf} (created on or
   * before it, or without a creation date), with the columns of {@link #schema(Settings)}.
   *
   * @param silver accepted tables by contract table name, in the contract's schema; customers and
   *     sales are required, every other table may be missing
   */
  public static Dataset<Row> transform(Map<String, Dataset<Row>> silver, LocalDate asOf, Settings s) {
    for (String required : List.of(Customers.NAME, Sales.NAME)) {
      if (silver.get(required) == null) {
        throw new IllegalArgumentException("the customer snapshot needs the table " + required);
      }
    }
    Periods p = new Periods(asOf);
    Map<String, Column> features = new LinkedHashMap<>();

    Dataset<Row> customers = silver.get(Customers.NAME)
        .filter(col(Customers.CREATED_AT).isNull().or(col(Customers.CREATED_AT).leq(p.d)));
    Dataset<Row> rows = customers.select(
        col(Customers.CUSTOMER_ID), col(Customers.INDUSTRY), col(Customers.REGION), col(Customers.COUNTRY),
        col(Customers.SEGMENT), col(Customers.EMPLOYEES), col(Customers.CHANNEL), col(Customers.SALES_REP_ID),
        col(Customers.CREDIT_LIMIT), col(Customers.CREATED_AT).as("_created_at"));
    features.put(AS_OF, p.d);
    for (String copied : List.of(INDUSTRY, REGION, COUNTRY, SEGMENT, EMPLOYEES, CHANNEL, SALES_REP_ID, CREDIT_LIMIT)) {
      features.put(copied, col(copied));
    }
    features.put(CUSTOMER_AGE_DAYS, datediff(p.d, col("_created_at")));

    rows = join(rows, salesByCustomer(silver.get(Sales.NAME), p, s));
    rows = join(rows, orderDays(silver.get(Sales.NAME), p));
    salesFeatures(features, p, s);

    Dataset<Row> products = silver.get(Products.NAME);
    if (products != null) {
      rows = join(rows, productGroups(silver.get(Sales.NAME), products, p));
      features.put(PRODUCT_GROUP_COUNT_12M, coalesce(col("_groups_12m"), lit(0L)));
      features.put(PRODUCT_GROUP_REVENUE_SHARE_12M, col("_group_shares_12m"));
    }
    Dataset<Row> activities = silver.get(Activities.NAME);
    if (activities != null) {
      rows = join(rows, activities(activities, p, s));
      for (int d : s.activityWindowsDays()) {
        features.put(visits(d), coalesce(col("_" + visits(d)), lit(0L)));
        features.put(calls(d), coalesce(col("_" + calls(d)), lit(0L)));
      }
      features.put(DAYS_SINCE_LAST_VISIT, datediff(p.d, col("_last_visit")));
    }
    Dataset<Row> offers = silver.get(Offers.NAME);
    if (offers != null) {
      rows = join(rows, offers(offers, p));
      features.put(OPEN_OFFERS, coalesce(col("_open_offers"), lit(0L)));
      features.put(OPEN_OFFER_VALUE, coalesce(col("_open_offer_value"), lit(0)));
      Column won = coalesce(col("_won_12m"), lit(0L));
      Column lost = coalesce(col("_lost_12m"), lit(0L));
      features.put(OFFERS_WON_12M, won);
      features.put(OFFERS_LOST_12M, lost);
      features.put(OFFER_WIN_RATE_12M, when(won.plus(lost).gt(0), won.cast("double").divide(won.plus(lost))));
    }
    Dataset<Row> tickets = silver.get(Tickets.NAME);
    if (tickets != null) {
      rows = join(rows, tickets(tickets, p));
      features.put(OPEN_COMPLAINTS, coalesce(col("_open_complaints"), lit(0L)));
      features.put(COMPLAINTS_12M, coalesce(col("_complaints_12m"), lit(0L)));
      features.put(OVERDUE_TICKETS, coalesce(col("_overdue_tickets"), lit(0L)));
      features.put(MEAN_DAYS_TO_RESOLVE_12M, col("_mean_days_to_resolve_12m"));
    }
    Dataset<Row> invoices = silver.get(Invoices.NAME);
    if (invoices != null) {
      rows = join(rows, dunning(invoices, p));
      features.put(MAX_DUNNING_LEVEL_12M,
          when(coalesce(col("_dunned_invoices"), lit(0L)).equalTo(0), lit(0)).otherwise(col("_max_dunning")));
      Dataset<Row> payments = silver.get(Payments.NAME);
      if (payments != null) {
        rows = join(rows, paymentBehaviour(invoices, payments, p));
        Column open = coalesce(col("_open_receivables"), lit(0));
        features.put(MEAN_DAYS_LATE_12M, col("_days_late_12m"));
        features.put(MEAN_DAYS_LATE_PREV_12M, col("_days_late_prev_12m"));
        features.put(DAYS_LATE_TREND, col("_days_late_12m").minus(col("_days_late_prev_12m")));
        features.put(SHARE_PAID_LATE_12M, when(col("_due_12m").gt(0),
            col("_late_12m").cast("double").divide(col("_due_12m"))));
        features.put(OPEN_RECEIVABLES, open);
        features.put(OVERDUE_RECEIVABLES, coalesce(col("_overdue_receivables"), lit(0)));
        features.put(CREDIT_LIMIT_UTILISATION, when(col(CREDIT_LIMIT).gt(0),
            open.cast("double").divide(col(CREDIT_LIMIT).cast("double"))));
      }
    }
    Dataset<Row> members = silver.get(CampaignMembers.NAME);
    if (members != null) {
      rows = join(rows, members.filter(col(CampaignMembers.RESPONDED_AT).leq(p.d))
          .groupBy(col(CampaignMembers.CUSTOMER_ID).as("_cid"))
          .agg(count(when(p.in12m(col(CampaignMembers.RESPONDED_AT)), lit(1))).as("_responses_12m")));
      features.put(CAMPAIGN_RESPONSES_12M, coalesce(col("_responses_12m"), lit(0L)));
    }

    StructType schema = schema(s);
    List<Column> out = new ArrayList<>();
    out.add(col(CUSTOMER_ID));
    for (StructField field : schema.fields()) {
      if (field.name().equals(CUSTOMER_ID)) {
        continue;
      }
      Column value = features.getOrDefault(field.name(), lit(null));
      out.add(value.cast(field.dataType()).as(field.name()));
    }
    return rows.select(out.toArray(Column[]::new));
  }

  /** The dates every window is measured from; all windows end at D inclusive. */
  private static final class Periods {
    final LocalDate asOf;
    final Column d;
    final LocalDate months12;
    final LocalDate months24;

    Periods(LocalDate asOf) {
      this.asOf = asOf;
      this.d = lit(java.sql.Date.valueOf(asOf));
      this.months12 = asOf.minusMonths(12);
      this.months24 = asOf.minusMonths(24);
    }

    /** {@code (from, D]} for a date column. */
    Column since(Column day, LocalDate fromExclusive) {
      return day.gt(lit(java.sql.Date.valueOf(fromExclusive))).and(day.leq(d));
    }

    Column inDays(Column day, int days) {
      return since(day, asOf.minusDays(days));
    }

    Column in12m(Column day) {
      return since(day, months12);
    }

    Column inPrev12m(Column day) {
      return day.gt(lit(java.sql.Date.valueOf(months24))).and(day.leq(lit(java.sql.Date.valueOf(months12))));
    }

    Column known(Column day) {
      return day.leq(d);
    }
  }

  private static Dataset<Row> join(Dataset<Row> rows, Dataset<Row> byCustomer) {
    return rows.join(byCustomer, rows.col(CUSTOMER_ID).equalTo(byCustomer.col("_cid")), "left").drop("_cid");
  }

  /**
   * Windowed order counts and sums. Orders are counted in two steps (per order, then per
   * customer) so that every window counts an order once without a distinct aggregate per window.
   */
  private static Dataset<Row> salesByCustomer(Dataset<Row> sales, Periods p, Settings s) {
    Column day = col(Sales.ORDER_DATE);
    Column isOrder = col(Sales.LINE_TYPE).equalTo(Sales.TYPE_ORDER);
    Column isReturn = col(Sales.LINE_TYPE).equalTo(Sales.TYPE_RETURN);
    // Sums run on whole ten-thousandths (Money) up to the customer, where they become decimals.
    Column net = Money.units(col(Sales.NET_AMOUNT));
    Column hasCost = col(Sales.COST_AMOUNT).isNotNull();
    Column margin = net.minus(Money.units(col(Sales.COST_AMOUNT)));
    List<Column> perOrder = new ArrayList<>();
    List<Column> perCustomer = new ArrayList<>();
    Map<String, Column> windows = new LinkedHashMap<>();
    for (int d : s.windowsDays()) {
      windows.put(d + "d", p.inDays(day, d));
    }
    windows.put("12m", p.in12m(day));
    windows.put("prev_12m", p.inPrev12m(day));
    for (Map.Entry<String, Column> w : windows.entrySet()) {
      String k = w.getKey();
      perOrder.add(max(when(isOrder.and(w.getValue()), lit(1L)).otherwise(lit(0L))).as("_o_" + k));
      perOrder.add(sum(when(w.getValue(), net)).as("_r_" + k));
      perCustomer.add(sum(col("_o_" + k)).as("_orders_" + k));
      perCustomer.add(Money.fromUnits(sum(col("_r_" + k))).as("_revenue_" + k));
    }
    for (String k : List.of("12m", "prev_12m")) {
      Column in = windows.get(k);
      perOrder.add(count(when(in, lit(1))).as("_l_" + k));
      perOrder.add(sum(when(in.and(hasCost), margin)).as("_m_" + k));
      perCustomer.add(sum(col("_l_" + k)).as("_lines_" + k));
      perCustomer.add(Money.fromUnits(sum(col("_m_" + k))).as("_margin_" + k));
    }
    perOrder.add(sum(when(windows.get("12m").and(isOrder), net)).as("_ord_12m"));
    perOrder.add(sum(when(windows.get("12m").and(isReturn), net)).as("_ret_12m"));
    perCustomer.add(Money.fromUnits(sum(col("_ord_12m"))).as("_ordered_12m"));
    perCustomer.add(Money.fromUnits(sum(col("_ret_12m"))).as("_returned_12m"));
    return sales.filter(p.known(day))
        .groupBy(col(Sales.CUSTOMER_ID).as("_cid"), col(Sales.ORDER_ID))
        .agg(perOrder.get(0), perOrder.subList(1, perOrder.size()).toArray(Column[]::new))
        .groupBy(col("_cid"))
        .agg(perCustomer.get(0), perCustomer.subList(1, perCustomer.size()).toArray(Column[]::new));
  }

  /** Distinct order days with the gap to the previous one; the last gap is that of the last day. */
  private static Dataset<Row> orderDays(Dataset<Row> sales, Periods p) {
    WindowSpec byDay = Window.partitionBy(col("_cid")).orderBy(col("_day"));
    return sales
        .filter(p.known(col(Sales.ORDER_DATE)).and(col(Sales.LINE_TYPE).equalTo(Sales.TYPE_ORDER)))
        .select(col(Sales.CUSTOMER_ID).as("_cid"), col(Sales.ORDER_DATE).as("_day"))
        .distinct()
        .withColumn("_gap", datediff(col("_day"), lag(col("_day"), 1).over(byDay)))
        .groupBy(col("_cid"))
        .agg(count(lit(1)).as("_order_days"), min(col("_day")).as("_first_order"),
            max(col("_day")).as("_last_order"), max_by(col("_gap"), col("_day")).as("_last_gap"));
  }

  private static void salesFeatures(Map<String, Column> f, Periods p, Settings s) {
    for (int d : s.windowsDays()) {
      f.put(orderCount(d), coalesce(col("_orders_" + d + "d"), lit(0L)));
      f.put(revenue(d), coalesce(col("_revenue_" + d + "d"), lit(0)));
    }
    f.put(ORDER_COUNT_12M, coalesce(col("_orders_12m"), lit(0L)));
    f.put(ORDER_COUNT_PREV_12M, coalesce(col("_orders_prev_12m"), lit(0L)));
    Column revenue12 = coalesce(col("_revenue_12m"), lit(0));
    Column revenuePrev = coalesce(col("_revenue_prev_12m"), lit(0));
    f.put(REVENUE_12M, revenue12);
    f.put(REVENUE_PREV_12M, revenuePrev);
    f.put(REVENUE_TREND, change(revenue12, revenuePrev));
    // No line in the window: nothing earned, margin 0. Lines without any cost: margin unknown.
    Column margin12 = when(coalesce(col("_lines_12m"), lit(0L)).equalTo(0), lit(0)).otherwise(col("_margin_12m"));
    Column marginPrev = when(coalesce(col("_lines_prev_12m"), lit(0L)).equalTo(0), lit(0))
        .otherwise(col("_margin_prev_12m"));
    f.put(MARGIN_12M, margin12);
    f.put(MARGIN_PREV_12M, marginPrev);
    f.put(MARGIN_TREND, change(margin12, marginPrev));
    f.put(DAYS_SINCE_LAST_ORDER, datediff(p.d, col("_last_order")));
    f.put(DAYS_SINCE_FIRST_ORDER, datediff(p.d, col("_first_order")));
    Column days = coalesce(col("_order_days"), lit(0L));
    f.put(ORDER_DAYS, days);
    // Consecutive gaps telescope: their mean is (last day - first day) / (days - 1).
    Column meanGap = when(days.geq(2),
        datediff(col("_last_order"), col("_first_order")).cast("double").divide(days.minus(1)));
    f.put(MEAN_ORDER_GAP_DAYS, meanGap);
    f.put(LAST_ORDER_GAP_DAYS, col("_last_gap"));
    f.put(LAST_GAP_VS_MEAN_GAP, col("_last_gap").cast("double").divide(meanGap));
    f.put(RECENCY_VS_MEAN_GAP, datediff(p.d, col("_last_order")).cast("double").divide(meanGap));
    f.put(RETURN_SHARE_12M, when(col("_ordered_12m").gt(0),
        lit(0.0).minus(coalesce(col("_returned_12m"), lit(0)).cast("double"))
            .divide(col("_ordered_12m").cast("double"))));
  }

  /** Relative change of {@code now} against {@code before}; null unless {@code before} is positive. */
  private static Column change(Column now, Column before) {
    return when(before.gt(0), now.minus(before).cast("double").divide(before.cast("double")));
  }

  /** Product groups of the last 12 months: distinct groups ordered, and each group's revenue share. */
  private static Dataset<Row> productGroups(Dataset<Row> sales, Dataset<Row> products, Periods p) {
    Dataset<Row> groups = products.filter(col(Products.PRODUCT_GROUP).isNotNull())
        .select(col(Products.PRODUCT_ID).as("_pid"), col(Products.PRODUCT_GROUP).as("_group"));
    Dataset<Row> lines = sales.filter(p.in12m(col(Sales.ORDER_DATE)));
    lines = lines.join(groups, lines.col(Sales.PRODUCT_ID).equalTo(groups.col("_pid")));
    // Per customer and group first: whether an order line was in it (breadth), and its revenue.
    Dataset<Row> perGroup = lines.groupBy(col(Sales.CUSTOMER_ID).as("_cid"), col("_group"))
        .agg(sum(Money.units(col(Sales.NET_AMOUNT))).as("_units"),
            max(col(Sales.LINE_TYPE).equalTo(Sales.TYPE_ORDER)).as("_ordered"));
    Column total = Money.fromUnits(col("_total")).cast("double");
    Column shares = functions.transform(col("_entries"),
        e -> struct(e.getField("_group"), Money.fromUnits(e.getField("_units")).cast("double").divide(total)));
    // A customer with only returns in the window has shares but no group ordered.
    return perGroup.groupBy(col("_cid"))
        .agg(count(when(col("_ordered"), lit(1))).as("_groups_12m"),
            sum(col("_units")).as("_total"),
            array_sort(collect_list(struct(col("_group"), col("_units")))).as("_entries"))
        .select(col("_cid"), col("_groups_12m"),
            when(col("_total").gt(0), map_from_entries(shares)).as("_group_shares_12m"));
  }

  private static Dataset<Row> activities(Dataset<Row> activities, Periods p, Settings s) {
    Column day = to_date(col(Activities.OCCURRED_AT));
    Column visit = col(Activities.TYPE).equalTo("visit");
    Column call = col(Activities.TYPE).equalTo("call");
    List<Column> aggs = new ArrayList<>();
    for (int d : s.activityWindowsDays()) {
      aggs.add(count(when(visit.and(p.inDays(day, d)), lit(1))).as("_" + visits(d)));
      aggs.add(count(when(call.and(p.inDays(day, d)), lit(1))).as("_" + calls(d)));
    }
    aggs.add(max(when(visit, day)).as("_last_visit"));
    return activities.filter(p.known(day))
        .groupBy(col(Activities.CUSTOMER_ID).as("_cid"))
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
  }

  /**
   * Offers made by D. An offer is closed at D when it is won or lost and was closed by D (or has no
   * closing date, so that the date it closed is unknown); every other offer is open at D.
   */
  private static Dataset<Row> offers(Dataset<Row> offers, Periods p) {
    Column closedDay = to_date(col(Offers.CLOSED_AT));
    Column status = col(Offers.STATUS);
    Column closedAfterD = closedDay.isNotNull().and(closedDay.gt(p.d));
    Column open = status.equalTo("open").or(status.isin("won", "lost").and(closedAfterD));
    return offers.filter(p.known(to_date(col(Offers.CREATED_AT))))
        .groupBy(col(Offers.CUSTOMER_ID).as("_cid"))
        .agg(count(when(open, lit(1))).as("_open_offers"),
            Money.sum(when(open, col(Offers.AMOUNT))).as("_open_offer_value"),
            count(when(status.equalTo("won").and(p.in12m(closedDay)), lit(1))).as("_won_12m"),
            count(when(status.equalTo("lost").and(p.in12m(closedDay)), lit(1))).as("_lost_12m"));
  }

  /** Tickets opened by D; a ticket is open at D unless it was resolved by D. */
  private static Dataset<Row> tickets(Dataset<Row> tickets, Periods p) {
    Column resolvedDay = to_date(col(Tickets.RESOLVED_AT));
    Column resolved = resolvedDay.isNotNull().and(resolvedDay.leq(p.d));
    Column open = not(resolved);
    Column complaint = col(Tickets.TYPE).equalTo("complaint");
    Column overdue = open.and(to_date(col(Tickets.DUE_AT)).lt(p.d));
    Column daysToResolve = unix_seconds(col(Tickets.RESOLVED_AT)).minus(unix_seconds(col(Tickets.CREATED_AT)))
        .cast("double").divide(86_400.0);
    return tickets.filter(p.known(to_date(col(Tickets.CREATED_AT))))
        .groupBy(col(Tickets.CUSTOMER_ID).as("_cid"))
        .agg(count(when(open.and(complaint), lit(1))).as("_open_complaints"),
            count(when(complaint.and(p.in12m(to_date(col(Tickets.CREATED_AT)))), lit(1))).as("_complaints_12m"),
            count(when(overdue, lit(1))).as("_overdue_tickets"),
            avg(when(resolved.and(p.in12m(resolvedDay)), daysToResolve)).as("_mean_days_to_resolve_12m"));
  }

  /**
   * Highest dunning level of invoices of the last 12 months. The contract's dunning level carries
   * no date, so only invoices already due before D count: a reminder cannot precede the due date.
   */
  private static Dataset<Row> dunning(Dataset<Row> invoices, Periods p) {
    Column considered = p.in12m(col(Invoices.INVOICE_DATE)).and(col(Invoices.DUE_DATE).lt(p.d));
    return invoices.filter(p.known(col(Invoices.INVOICE_DATE)))
        .groupBy(col(Invoices.CUSTOMER_ID).as("_cid"))
        .agg(count(when(considered, lit(1))).as("_dunned_invoices"),
            max(when(considered, col(Invoices.DUNNING_LEVEL))).as("_max_dunning"));
  }

  /**
   * Invoices (amount above zero, invoiced by D) against the payments known at D, payments on
   * account allocated to open invoices first ({@link PaymentAllocation}; credits left over settle
   * nothing). An invoice is settled on the day the running total of its payments first reaches
   * its amount.
   */
  private static Dataset<Row> paymentBehaviour(Dataset<Row> invoices, Dataset<Row> payments, Periods p) {
    Dataset<Row> bills = invoices
        .filter(p.known(col(Invoices.INVOICE_DATE)).and(col(Invoices.AMOUNT).gt(0)))
        .select(col(Invoices.INVOICE_ID), col(Invoices.CUSTOMER_ID).as("_cid"), col(Invoices.DUE_DATE),
            col(Invoices.AMOUNT).as("_billed"));
    Dataset<Row> paid = PaymentAllocation.allocate(invoices, payments)
        .filter(p.known(col(Payments.PAID_AT)).and(col(Payments.INVOICE_ID).isNotNull()))
        .select(col(Payments.INVOICE_ID).as("_iid"), col(Payments.PAYMENT_ID), col(Payments.PAID_AT),
            col(Payments.AMOUNT));
    // Each invoice with its payments (one row of nulls when it has none), in one join: the running
    // total and the per-invoice sums are taken where the join left the rows, partitioned by invoice.
    WindowSpec running = Window.partitionBy(col(Invoices.INVOICE_ID)).orderBy(col(Payments.PAID_AT),
        col(Payments.PAYMENT_ID)).rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    Dataset<Row> state = bills.join(paid, bills.col(Invoices.INVOICE_ID).equalTo(paid.col("_iid")), "left")
        .withColumn("_running", sum(Money.units(col(Payments.AMOUNT))).over(running))
        .groupBy(col(Invoices.INVOICE_ID), col("_cid"), col(Invoices.DUE_DATE), col("_billed"))
        .agg(sum(Money.units(col(Payments.AMOUNT))).as("_paid"),
            min(when(col("_running").geq(Money.units(col("_billed"))), col(Payments.PAID_AT))).as("_settled"));
    Column due = col(Invoices.DUE_DATE);
    // In whole ten-thousandths (Money), like the payments summed above.
    Column outstanding = greatest(Money.units(col("_billed")).minus(coalesce(col("_paid"), lit(0L))), lit(0L));
    Column settled = col("_settled").isNotNull();
    Column delay = datediff(col("_settled"), due);
    Column late = when(settled, delay.gt(0)).otherwise(due.lt(p.d));
    Column due12 = p.in12m(due);
    return state.groupBy(col("_cid"))
        .agg(Money.fromUnits(sum(outstanding)).as("_open_receivables"),
            Money.fromUnits(sum(when(due.lt(p.d), outstanding))).as("_overdue_receivables"),
            avg(when(due12.and(settled), delay)).as("_days_late_12m"),
            avg(when(p.inPrev12m(due).and(settled), delay)).as("_days_late_prev_12m"),
            count(when(due12, lit(1))).as("_due_12m"),
            count(when(due12.and(late), lit(1))).as("_late_12m"));
  }
}
