package org.crmanalytics.models.payments;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.Contract.Customers;
import org.crmanalytics.models.contract.Contract.DunningNotices;
import org.crmanalytics.models.contract.Contract.Invoices;
import org.crmanalytics.models.contract.Contract.Payments;
import org.crmanalytics.models.contract.Contract.Sales;
import org.crmanalytics.models.contract.Contract.Tickets;
import org.crmanalytics.models.contract.Money;

/**
 * The receivables as they stood at the end of day D: per invoice ({@link #invoicesAt}) and per
 * customer ({@link #customersAt}). Only what is dated on or before D counts (invoices issued, payments
 * paid, reminders sent, write-offs, orders, tickets), so the same silver gives the snapshot of any
 * earlier D. Payments on account are allocated by {@link PaymentAllocation}. docs/payment-risk.md
 * defines every column.
 */
public final class Receivables {
  private Receivables() {}

  // invoicesAt columns (besides the invoice's own invoice_id, customer_id, invoice_date, due_date, amount)
  public static final String OPEN_AMOUNT = "open_amount";
  public static final String DAYS_PAST_DUE = "days_past_due";
  public static final String AGEING_BUCKET = "ageing_bucket";
  public static final String DUNNING_LEVEL = "dunning_level";
  public static final String WRITTEN_OFF = "written_off";

  public static final String BUCKET_PAID = "paid";
  public static final String BUCKET_NOT_DUE = "not_due";
  public static final String BUCKET_1_30 = "1-30";
  public static final String BUCKET_31_60 = "31-60";
  public static final String BUCKET_61_90 = "61-90";
  public static final String BUCKET_OVER_90 = "over_90";

  // customersAt features
  /** Sum of open amounts at D (invoices only; credit notes and unallocated credits are not netted). */
  public static final String OPEN_RECEIVABLES = "open_receivables";
  /** Open amount of invoices whose due date is before D. */
  public static final String OVERDUE_RECEIVABLES = "overdue_receivables";
  public static final String OVERDUE_1_30 = "overdue_1_30";
  public static final String OVERDUE_31_60 = "overdue_31_60";
  public static final String OVERDUE_61_90 = "overdue_61_90";
  public static final String OVERDUE_OVER_90 = "overdue_over_90";
  /** Highest days past due over the open invoices at D; 0 when none is overdue. */
  public static final String MAX_DAYS_PAST_DUE = "max_days_past_due";
  /** Value of positive order lines ordered by D whose order has no invoice issued by D. */
  public static final String OPEN_ORDERS = "open_orders";
  /** open_receivables + open_orders. */
  public static final String EXPOSURE = "exposure";
  public static final String SHARE_PAID_LATE_3M = "share_paid_late_3m";
  public static final String SHARE_PAID_LATE_12M = "share_paid_late_12m";
  public static final String WEIGHTED_DAYS_LATE_3M = "weighted_days_late_3m";
  public static final String WEIGHTED_DAYS_LATE_12M = "weighted_days_late_12m";
  /** weighted_days_late_3m − weighted_days_late_12m. */
  public static final String DAYS_LATE_TREND = "days_late_trend";
  public static final String SKONTO_SHARE_3M = "skonto_share_3m";
  /** Skonto share of the invoices due in the 12 months before the 3-month window: (D−15m, D−3m]. */
  public static final String SKONTO_SHARE_PREV_12M = "skonto_share_prev_12m";
  /** skonto_share_3m − skonto_share_prev_12m. */
  public static final String SKONTO_CHANGE = "skonto_change";
  public static final String PARTIAL_PAYMENTS_12M = "partial_payments_12m";
  public static final String DAYS_SINCE_LAST_PAYMENT = "days_since_last_payment";
  public static final String CREDIT_LIMIT_UTILISATION = "credit_limit_utilisation";
  public static final String DUNNING_LEVEL_MAX = "dunning_level_max";
  public static final String DUNNING_NOTICES_12M = "dunning_notices_12m";
  public static final String INVOICE_COMPLAINTS_12M = "invoice_complaints_12m";
  public static final String ORDER_VALUE_3M_VS_12M = "order_value_3m_vs_12m";

  /** The schema of {@link #invoicesAt}. */
  public static final StructType INVOICE_SCHEMA = new StructType()
      .add(Invoices.INVOICE_ID, DataTypes.StringType)
      .add(Invoices.CUSTOMER_ID, DataTypes.StringType)
      .add(Invoices.INVOICE_DATE, DataTypes.DateType)
      .add(Invoices.DUE_DATE, DataTypes.DateType)
      .add(Invoices.AMOUNT, Contract.MONEY)
      .add(OPEN_AMOUNT, Contract.MONEY)
      .add(DAYS_PAST_DUE, DataTypes.IntegerType)
      .add(AGEING_BUCKET, DataTypes.StringType)
      .add(DUNNING_LEVEL, DataTypes.IntegerType)
      .add(WRITTEN_OFF, DataTypes.BooleanType);

  /** The schema of {@link #customersAt}: money as {@link Money#SUM}, counts and days as int, ratios as double. */
  public static final StructType CUSTOMER_SCHEMA = customerSchema();

  private static StructType customerSchema() {
    Map<String, DataType> f = new LinkedHashMap<>();
    f.put(Invoices.CUSTOMER_ID, DataTypes.StringType);
    for (String m : List.of(OPEN_RECEIVABLES, OVERDUE_RECEIVABLES, OVERDUE_1_30, OVERDUE_31_60, OVERDUE_61_90,
        OVERDUE_OVER_90)) {
      f.put(m, Money.SUM);
    }
    f.put(MAX_DAYS_PAST_DUE, DataTypes.IntegerType);
    f.put(OPEN_ORDERS, Money.SUM);
    f.put(EXPOSURE, Money.SUM);
    for (String r : List.of(SHARE_PAID_LATE_3M, SHARE_PAID_LATE_12M, WEIGHTED_DAYS_LATE_3M, WEIGHTED_DAYS_LATE_12M,
        DAYS_LATE_TREND, SKONTO_SHARE_3M, SKONTO_SHARE_PREV_12M, SKONTO_CHANGE)) {
      f.put(r, DataTypes.DoubleType);
    }
    f.put(PARTIAL_PAYMENTS_12M, DataTypes.IntegerType);
    f.put(DAYS_SINCE_LAST_PAYMENT, DataTypes.IntegerType);
    f.put(CREDIT_LIMIT_UTILISATION, DataTypes.DoubleType);
    f.put(DUNNING_LEVEL_MAX, DataTypes.IntegerType);
    f.put(DUNNING_NOTICES_12M, DataTypes.IntegerType);
    f.put(INVOICE_COMPLAINTS_12M, DataTypes.IntegerType);
    f.put(ORDER_VALUE_3M_VS_12M, DataTypes.DoubleType);
    StructType s = new StructType();
    for (Map.Entry<String, DataType> e : f.entrySet()) {
      s = s.add(e.getKey(), e.getValue(), true);
    }
    return s;
  }

  /**
   * Whether dunning levels are point in time: true when the silver has dunning_notices. Without
   * them the level comes from invoices.dunning_level (undated), counted only for invoices already
   * due at D; a caller should say so next to the features.
   */
  public static boolean dunningPointInTime(Map<String, Dataset<Row>> silver) {
    return silver.get(DunningNotices.NAME) != null;
  }

  /**
   * One row per invoice (amount above 0) issued on or before D, with its state at the end of D
   * ({@link #INVOICE_SCHEMA}).
   */
  public static Dataset<Row> invoicesAt(Map<String, Dataset<Row>> silver, LocalDate asOf) {
    Dataset<Row> s = state(silver, asOf);
    List<Column> out = new ArrayList<>();
    for (StructField f : INVOICE_SCHEMA.fields()) {
      out.add(col(f.name()).cast(f.dataType()).as(f.name()));
    }
    return s.select(out.toArray(Column[]::new));
  }

  /** The key under which {@link #withAllocation} keeps the allocated payments in the silver map. */
  private static final String ALLOCATED = "_allocated_payments";

  /**
   * {@code silver} with the payment allocation computed once and kept (persisted), for computing
   * the receivables at many dates: the allocation does not depend on D (filtering it by
   * {@code paid_at <= D} gives the payments known at D), and it is the costliest step (a shuffle of
   * every invoice and payment by customer). Unchanged without payments. {@link #release} frees it.
   */
  public static Map<String, Dataset<Row>> withAllocation(Map<String, Dataset<Row>> silver) {
    Dataset<Row> payments = silver.get(Payments.NAME);
    if (payments == null || silver.containsKey(ALLOCATED)) {
      return silver;
    }
    Map<String, Dataset<Row>> out = new java.util.HashMap<>(silver);
    out.put(ALLOCATED, PaymentAllocation.allocate(invoices(silver), payments)
        .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK()));
    return out;
  }

  /** Frees what {@link #withAllocation} kept. */
  public static void release(Map<String, Dataset<Row>> silver) {
    Dataset<Row> allocated = silver.get(ALLOCATED);
    if (allocated != null) {
      allocated.unpersist();
    }
  }

  /** The invoices silver table; receivables cannot be computed without it. */
  static Dataset<Row> invoices(Map<String, Dataset<Row>> silver) {
    Dataset<Row> invoices = silver.get(Invoices.NAME);
    if (invoices == null) {
      throw new IllegalArgumentException("receivables need the silver table " + Invoices.NAME);
    }
    return invoices;
  }

  private static boolean has(Dataset<Row> table, String column) {
    return List.of(table.columns()).contains(column);
  }

  /**
   * Payment parts that reached an invoice (invoice_id, payment_id, paid_at, amount), all dates;
   * null without a payments table.
   */
  static Dataset<Row> invoicePayments(Map<String, Dataset<Row>> silver) {
    Dataset<Row> payments = silver.get(Payments.NAME);
    if (payments == null) {
      return null;
    }
    Dataset<Row> allocated = silver.get(ALLOCATED);
    return (allocated != null ? allocated : PaymentAllocation.allocate(invoices(silver), payments))
        .filter(col(Payments.INVOICE_ID).isNotNull())
        .select(col(Payments.INVOICE_ID).as("_iid"), col(Payments.PAYMENT_ID), col(Payments.PAID_AT),
            col(Payments.AMOUNT).as("_pay"));
  }

  /**
   * Invoices issued by D with internal columns: _billed, _paid (units paid by D), _payments (count),
   * _settled (day the running total reached the amount), _open (units), order_id, plus the public
   * columns of {@link #INVOICE_SCHEMA}.
   */
  static Dataset<Row> state(Map<String, Dataset<Row>> silver, LocalDate asOf) {
    Dataset<Row> invoices = invoices(silver);
    Column d = lit(java.sql.Date.valueOf(asOf));
    Dataset<Row> bills = invoices
        .filter(col(Invoices.INVOICE_DATE).leq(d).and(col(Invoices.AMOUNT).gt(0)))
        .select(col(Invoices.INVOICE_ID), col(Invoices.CUSTOMER_ID),
            has(invoices, Invoices.ORDER_ID) ? col(Invoices.ORDER_ID) : lit(null).cast("string").as(Invoices.ORDER_ID),
            col(Invoices.INVOICE_DATE), col(Invoices.DUE_DATE), col(Invoices.AMOUNT).cast(Contract.MONEY).as(Invoices.AMOUNT),
            has(invoices, Invoices.DUNNING_LEVEL) ? col(Invoices.DUNNING_LEVEL).cast("int").as("_undated_level")
                : lit(null).cast("int").as("_undated_level"),
            has(invoices, Invoices.WRITTEN_OFF_AT) ? col(Invoices.WRITTEN_OFF_AT).as("_written_off_at")
                : lit(null).cast("date").as("_written_off_at"));
    Dataset<Row> paid = invoicePayments(silver);
    Dataset<Row> state;
    if (paid == null) {
      state = bills.withColumn("_paid", lit(0L)).withColumn("_payments", lit(0L))
          .withColumn("_settled", lit(null).cast("date"));
    } else {
      // As CustomerSnapshot.paymentBehaviour: each invoice with its payments, the running total
      // over them gives the day it was settled in full.
      WindowSpec running = Window.partitionBy(col(Invoices.INVOICE_ID)).orderBy(col(Payments.PAID_AT),
          col(Payments.PAYMENT_ID)).rowsBetween(Window.unboundedPreceding(), Window.currentRow());
      Dataset<Row> known = paid.filter(col(Payments.PAID_AT).leq(d));
      List<Column> keys = new ArrayList<>();
      for (String c : bills.columns()) {
        keys.add(col(c));
      }
      state = bills.join(known, bills.col(Invoices.INVOICE_ID).equalTo(known.col("_iid")), "left")
          .withColumn("_running", sum(Money.units(col("_pay"))).over(running))
          .groupBy(keys.toArray(Column[]::new))
          .agg(coalesce(sum(Money.units(col("_pay"))), lit(0L)).as("_paid"),
              count(col(Payments.PAYMENT_ID)).as("_payments"),
              min(when(col("_running").geq(Money.units(col(Invoices.AMOUNT))), col(Payments.PAID_AT))).as("_settled"));
    }
    Dataset<Row> notices = silver.get(DunningNotices.NAME);
    Column level;
    if (notices != null) {
      Dataset<Row> levels = notices.filter(col(DunningNotices.SENT_AT).leq(d))
          .groupBy(col(DunningNotices.INVOICE_ID).as("_nid"))
          .agg(max(col(DunningNotices.LEVEL)).cast("int").as("_notice_level"));
      state = state.join(levels, state.col(Invoices.INVOICE_ID).equalTo(levels.col("_nid")), "left").drop("_nid");
      level = coalesce(col("_notice_level"), lit(0));
    } else if (has(invoices, Invoices.DUNNING_LEVEL)) {
      // Undated: a reminder cannot precede the due date, so only invoices due before D keep it.
      level = when(col(Invoices.DUE_DATE).lt(d), coalesce(col("_undated_level"), lit(0))).otherwise(lit(0));
    } else {
      level = lit(null).cast("int");
    }
    Column open = greatest(Money.units(col(Invoices.AMOUNT)).minus(col("_paid")), lit(0L));
    Column dpd = when(col("_open").gt(0).and(col(Invoices.DUE_DATE).lt(d)), datediff(d, col(Invoices.DUE_DATE)))
        .otherwise(lit(0));
    Column dpdCol = col(DAYS_PAST_DUE);
    Column bucket = when(col("_open").leq(0), lit(BUCKET_PAID))
        .when(dpdCol.leq(0), lit(BUCKET_NOT_DUE))
        .when(dpdCol.leq(30), lit(BUCKET_1_30))
        .when(dpdCol.leq(60), lit(BUCKET_31_60))
        .when(dpdCol.leq(90), lit(BUCKET_61_90))
        .otherwise(lit(BUCKET_OVER_90));
    return state
        .withColumn("_open", open)
        .withColumn(OPEN_AMOUNT, Money.fromUnits(col("_open")).cast(Contract.MONEY))
        .withColumn(DAYS_PAST_DUE, dpd)
        .withColumn(AGEING_BUCKET, bucket)
        .withColumn(DUNNING_LEVEL, level)
        .withColumn(WRITTEN_OFF, coalesce(col("_written_off_at").leq(d), lit(false)));
  }

  /** {@code (D − months, D]}. */
  private static Column within(Column day, LocalDate asOf, int months) {
    return between(day, asOf.minusMonths(months), asOf);
  }

  /** {@code (fromExclusive, toInclusive]}. */
  private static Column between(Column day, LocalDate fromExclusive, LocalDate toInclusive) {
    return day.gt(lit(java.sql.Date.valueOf(fromExclusive))).and(day.leq(lit(java.sql.Date.valueOf(toInclusive))));
  }

  private static Column share(Column count, Column of) {
    return when(of.gt(0), count.cast("double").divide(of.cast("double")));
  }

  /**
   * One row per customer with an invoice (of any sign) issued on or before D: customer_id and the
   * features of {@link #CUSTOMER_SCHEMA}. A feature whose source table is absent is null for every
   * customer (dunning features: see {@link #dunningPointInTime}).
   */
  public static Dataset<Row> customersAt(Map<String, Dataset<Row>> silver, LocalDate asOf, ReceivablesSettings settings) {
    Dataset<Row> invoices = invoices(silver);
    Column d = lit(java.sql.Date.valueOf(asOf));
    Dataset<Row> s = state(silver, asOf);

    Column due = col(Invoices.DUE_DATE);
    Column openUnits = col("_open");
    Column overdue = openUnits.gt(0).and(due.lt(d));
    Column dpd = col(DAYS_PAST_DUE);
    Column settled = col("_settled").isNotNull();
    Column late = when(settled, col("_settled").gt(due)).otherwise(due.lt(d));
    Column daysLate = datediff(coalesce(col("_settled"), d), due).cast("double");
    Column weight = col(Invoices.AMOUNT).cast("double");
    Column skonto = settled.and(col("_settled").leq(date_add(col(Invoices.INVOICE_DATE), settings.skontoDays())));
    Column due3 = within(due, asOf, 3);
    Column due12 = within(due, asOf, 12);
    Column duePrev = between(due, asOf.minusMonths(15), asOf.minusMonths(3));
    Column partial = col("_payments").gt(1).or(col("_paid").gt(0).and(openUnits.gt(0)));
    Column hasOrderId = col(Invoices.ORDER_ID).isNotNull();
    Dataset<Row> byInvoices = s.groupBy(col(Invoices.CUSTOMER_ID).as("_cid")).agg(
        sum(openUnits).as("_open_u"),
        sum(when(overdue, openUnits)).as("_overdue_u"),
        sum(when(overdue.and(dpd.leq(30)), openUnits)).as("_o1"),
        sum(when(overdue.and(dpd.gt(30)).and(dpd.leq(60)), openUnits)).as("_o2"),
        sum(when(overdue.and(dpd.gt(60)).and(dpd.leq(90)), openUnits)).as("_o3"),
        sum(when(overdue.and(dpd.gt(90)), openUnits)).as("_o4"),
        max(dpd).as("_max_dpd"),
        count(when(due3, lit(1))).as("_due3"),
        count(when(due12, lit(1))).as("_due12"),
        count(when(duePrev, lit(1))).as("_duePrev"),
        count(when(due3.and(late), lit(1))).as("_late3"),
        count(when(due12.and(late), lit(1))).as("_late12"),
        sum(when(due3, weight.multiply(daysLate))).as("_wdl3"),
        sum(when(due3, weight)).as("_w3"),
        sum(when(due12, weight.multiply(daysLate))).as("_wdl12"),
        sum(when(due12, weight)).as("_w12"),
        count(when(due3.and(skonto), lit(1))).as("_sk3"),
        count(when(duePrev.and(skonto), lit(1))).as("_skPrev"),
        count(when(due12.and(partial), lit(1))).as("_partial12"),
        max(when(openUnits.gt(0), col(DUNNING_LEVEL))).as("_dun_open"),
        max(hasOrderId).as("_links_orders"));
    // The population: every customer with an invoice of any sign issued by D.
    Dataset<Row> rows = invoices.filter(col(Invoices.INVOICE_DATE).leq(d))
        .select(col(Invoices.CUSTOMER_ID)).distinct();
    rows = join(rows, byInvoices);

    Map<String, Column> f = new LinkedHashMap<>();
    Column open = Money.fromUnits(coalesce(col("_open_u"), lit(0L)));
    f.put(OPEN_RECEIVABLES, open);
    f.put(OVERDUE_RECEIVABLES, Money.fromUnits(coalesce(col("_overdue_u"), lit(0L))));
    f.put(OVERDUE_1_30, Money.fromUnits(coalesce(col("_o1"), lit(0L))));
    f.put(OVERDUE_31_60, Money.fromUnits(coalesce(col("_o2"), lit(0L))));
    f.put(OVERDUE_61_90, Money.fromUnits(coalesce(col("_o3"), lit(0L))));
    f.put(OVERDUE_OVER_90, Money.fromUnits(coalesce(col("_o4"), lit(0L))));
    f.put(MAX_DAYS_PAST_DUE, coalesce(col("_max_dpd"), lit(0)));
    f.put(SHARE_PAID_LATE_3M, share(col("_late3"), col("_due3")));
    f.put(SHARE_PAID_LATE_12M, share(col("_late12"), col("_due12")));
    Column wdl3 = when(col("_w3").gt(0), col("_wdl3").divide(col("_w3")));
    Column wdl12 = when(col("_w12").gt(0), col("_wdl12").divide(col("_w12")));
    f.put(WEIGHTED_DAYS_LATE_3M, wdl3);
    f.put(WEIGHTED_DAYS_LATE_12M, wdl12);
    f.put(DAYS_LATE_TREND, wdl3.minus(wdl12));
    Column sk3 = share(col("_sk3"), col("_due3"));
    Column skPrev = share(col("_skPrev"), col("_duePrev"));
    f.put(SKONTO_SHARE_3M, sk3);
    f.put(SKONTO_SHARE_PREV_12M, skPrev);
    f.put(SKONTO_CHANGE, sk3.minus(skPrev));
    f.put(PARTIAL_PAYMENTS_12M, coalesce(col("_partial12"), lit(0L)));
    // Over open invoices; 0 when nothing is open (null only without any dunning source).
    boolean dunningKnown = dunningPointInTime(silver) || has(invoices, Invoices.DUNNING_LEVEL);
    f.put(DUNNING_LEVEL_MAX, dunningKnown ? coalesce(col("_dun_open"), lit(0)) : lit(null));

    // Open orders: ordered by D, not yet invoiced by D; only for customers whose invoices name orders.
    Dataset<Row> sales = silver.get(Sales.NAME);
    Column openOrders = lit(0L);
    if (sales != null && has(invoices, Invoices.ORDER_ID)) {
      Dataset<Row> invoiced = invoices.filter(col(Invoices.INVOICE_DATE).leq(d).and(col(Invoices.ORDER_ID).isNotNull()))
          .select(col(Invoices.ORDER_ID).as("_invoiced")).distinct();
      Dataset<Row> lines = sales.filter(col(Sales.ORDER_DATE).leq(d).and(col(Sales.NET_AMOUNT).gt(0))
          .and(col(Sales.LINE_TYPE).equalTo(Sales.TYPE_ORDER)));
      Dataset<Row> pending = lines.join(invoiced, lines.col(Sales.ORDER_ID).equalTo(invoiced.col("_invoiced")), "left_anti")
          .groupBy(col(Sales.CUSTOMER_ID).as("_cid"))
          .agg(sum(Money.units(col(Sales.NET_AMOUNT))).as("_open_orders_u"));
      rows = join(rows, pending);
      openOrders = when(coalesce(col("_links_orders"), lit(false)), coalesce(col("_open_orders_u"), lit(0L)))
          .otherwise(lit(0L));
    }
    Column openOrdersMoney = Money.fromUnits(openOrders);
    f.put(OPEN_ORDERS, openOrdersMoney);
    Column exposureUnits = coalesce(col("_open_u"), lit(0L)).plus(openOrders);
    f.put(EXPOSURE, Money.fromUnits(exposureUnits));
    if (sales != null) {
      Dataset<Row> revenue = sales.filter(col(Sales.ORDER_DATE).leq(d))
          .groupBy(col(Sales.CUSTOMER_ID).as("_cid"))
          .agg(sum(when(within(col(Sales.ORDER_DATE), asOf, 3), Money.units(col(Sales.NET_AMOUNT)))).as("_rev3"),
              sum(when(within(col(Sales.ORDER_DATE), asOf, 12), Money.units(col(Sales.NET_AMOUNT)))).as("_rev12"));
      rows = join(rows, revenue);
      Column rev12 = coalesce(col("_rev12"), lit(0L)).cast("double");
      f.put(ORDER_VALUE_3M_VS_12M, when(rev12.notEqual(0),
          coalesce(col("_rev3"), lit(0L)).cast("double").multiply(4).divide(rev12)));
    }

    Dataset<Row> customers = silver.get(Customers.NAME);
    if (customers != null && has(customers, Customers.CREDIT_LIMIT)) {
      Dataset<Row> limits = customers.select(col(Customers.CUSTOMER_ID).as("_cid"),
          col(Customers.CREDIT_LIMIT).cast("double").as("_limit"));
      rows = join(rows, limits);
      f.put(CREDIT_LIMIT_UTILISATION, when(col("_limit").gt(0), exposureUnits.cast("double").divide(10_000.0)
          .divide(col("_limit"))));
    }

    Dataset<Row> owners = invoices.select(col(Invoices.INVOICE_ID).as("_owned"), col(Invoices.CUSTOMER_ID).as("_owner"));
    Dataset<Row> payments = silver.get(Payments.NAME);
    if (payments != null) {
      Column ownCustomer = has(payments, Payments.CUSTOMER_ID) ? col(Payments.CUSTOMER_ID) : lit(null).cast("string");
      Dataset<Row> known = payments.filter(col(Payments.PAID_AT).leq(d).and(col(Payments.AMOUNT).gt(0)));
      Dataset<Row> last = known.join(owners, known.col(Payments.INVOICE_ID).equalTo(owners.col("_owned")), "left")
          .groupBy(coalesce(col("_owner"), ownCustomer).as("_cid"))
          .agg(max(col(Payments.PAID_AT)).as("_last_paid"));
      rows = join(rows, last);
      f.put(DAYS_SINCE_LAST_PAYMENT, datediff(d, col("_last_paid")));
    }

    Dataset<Row> notices = silver.get(DunningNotices.NAME);
    if (notices != null) {
      Dataset<Row> sent = notices.filter(within(col(DunningNotices.SENT_AT), asOf, 12));
      Dataset<Row> perCustomer = sent.join(owners, sent.col(DunningNotices.INVOICE_ID).equalTo(owners.col("_owned")))
          .groupBy(col("_owner").as("_cid")).agg(count(lit(1)).as("_notices12"));
      rows = join(rows, perCustomer);
      f.put(DUNNING_NOTICES_12M, coalesce(col("_notices12"), lit(0L)));
    }

    Dataset<Row> tickets = silver.get(Tickets.NAME);
    if (tickets != null && has(tickets, Tickets.CATEGORY)) {
      Column day = to_date(col(Tickets.CREATED_AT));
      Column isComplaint = settings.complaintCategories().isEmpty() ? lit(false)
          : col(Tickets.CATEGORY).isin(settings.complaintCategories().toArray());
      Dataset<Row> complaints = tickets.filter(within(day, asOf, 12).and(isComplaint))
          .groupBy(col(Tickets.CUSTOMER_ID).as("_cid")).agg(count(lit(1)).as("_complaints12"));
      rows = join(rows, complaints);
      f.put(INVOICE_COMPLAINTS_12M, coalesce(col("_complaints12"), lit(0L)));
    }

    List<Column> out = new ArrayList<>();
    out.add(col(Invoices.CUSTOMER_ID));
    for (StructField field : CUSTOMER_SCHEMA.fields()) {
      if (field.name().equals(Invoices.CUSTOMER_ID)) {
        continue;
      }
      out.add(f.getOrDefault(field.name(), lit(null)).cast(field.dataType()).as(field.name()));
    }
    return rows.select(out.toArray(Column[]::new));
  }

  private static Dataset<Row> join(Dataset<Row> rows, Dataset<Row> byCustomer) {
    return rows.join(byCustomer, rows.col(Invoices.CUSTOMER_ID).equalTo(byCustomer.col("_cid")), "left").drop("_cid");
  }
}
