package org.crmanalytics.models.crosssell;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.crmanalytics.models.classify.LabelWindow;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.Contract.Products;
import org.crmanalytics.models.contract.Contract.Sales;

/**
 * Sales lines at the recommended level ({@link #ITEM}: a product group, or a product) and what
 * each customer bought of each item in a window. Every other class of this package reads sales
 * through here, so that the point-in-time rule lives in one place: a window ends at a date, and
 * nothing after it is read.
 */
public final class ItemPurchases {
  /** The recommended thing: the value of the level column (product group, product). */
  public static final String ITEM = "item";
  /** Net spend in the window (returns netted), in the sales' currency. */
  public static final String SPEND = "spend";
  /** Orders in the window with an order line of the item. */
  public static final String ORDERS = "orders";
  static final String AMOUNT = "_amount";

  private final Dataset<Row> lines;
  /** (from, to] → the persisted aggregate of {@link #bought}. */
  private final Map<List<LocalDate>, Dataset<Row>> windows = new HashMap<>();

  private ItemPurchases(Dataset<Row> lines) {
    this.lines = lines;
  }

  /**
   * The sales lines with their item: the level column of the line itself (product_id) or of its
   * product (product_group). Lines without an item are left out: they cannot be recommended.
   *
   * @param products may be null when the level is a column of the sales lines
   */
  public static Dataset<Row> lines(Dataset<Row> sales, Dataset<Row> products, String level) {
    Dataset<Row> withItem;
    if (Arrays.asList(sales.columns()).contains(level)) {
      withItem = sales.withColumn(ITEM, col(level).cast("string"));
    } else {
      if (products == null || !Arrays.asList(products.columns()).contains(level)) {
        throw new IllegalArgumentException("cross-sell level " + level + " is neither a column of sales nor of "
            + "products" + (products == null ? " (no products table)" : ""));
      }
      Dataset<Row> items = products.select(col(Products.PRODUCT_ID).as("_pid"), col(level).cast("string").as(ITEM));
      withItem = sales.join(items, sales.col(Sales.PRODUCT_ID).equalTo(items.col("_pid")), "inner").drop("_pid");
    }
    return withItem.filter(col(ITEM).isNotNull())
        .select(col(Sales.CUSTOMER_ID), col(Sales.ORDER_ID), col(Sales.ORDER_DATE), col(Sales.LINE_TYPE),
            col(Sales.NET_AMOUNT).cast(Contract.MONEY).as(AMOUNT), col(ITEM));
  }

  /** Months before or after a date, keeping month ends (as the churn and payment windows do). */
  public static LocalDate monthsFrom(LocalDate date, long months) {
    return LabelWindow.plusMonths(date, months);
  }

  /**
   * The purchases of the given lines (from {@link #lines}), whose windows every method and every
   * date of one run reads: each window's per-customer aggregate is computed once and kept until
   * {@link #release}. The evaluation of one training run reads about six distinct windows some
   * fifty times (the ALS grid alone reads its lookback window once per point).
   */
  public static ItemPurchases of(Dataset<Row> lines) {
    return new ItemPurchases(lines);
  }

  /** The item lines themselves (orders as baskets need them). */
  public Dataset<Row> lines() {
    return lines;
  }

  /** Lines dated in (from, to]. */
  Dataset<Row> in(LocalDate from, LocalDate to) {
    Column day = col(Sales.ORDER_DATE);
    return lines.filter(day.gt(lit(java.sql.Date.valueOf(from))).and(day.leq(lit(java.sql.Date.valueOf(to)))));
  }

  /**
   * Per customer and item in (from, to]: {@link #SPEND} and {@link #ORDERS}, only where the net
   * spend is positive (what the customer bought; a fully returned item was not bought).
   */
  public Dataset<Row> bought(LocalDate from, LocalDate to) {
    return windows.computeIfAbsent(List.of(from, to), w -> in(from, to)
        .groupBy(col(Sales.CUSTOMER_ID), col(ITEM))
        // summed as decimals, exact in any order: a sum of doubles depends on the partitioning, and
        // a cluster's last bits differed from a local run's
        .agg(sum(col(AMOUNT)).cast("double").as(SPEND),
            countDistinct(when(col(Sales.LINE_TYPE).equalTo(Sales.TYPE_ORDER), col(Sales.ORDER_ID))).as(ORDERS))
        .filter(col(SPEND).gt(0))
        .persist(StorageLevel.MEMORY_AND_DISK()));
  }

  /** What a customer bought in the lookback window up to {@code at}: (at − months, at]. */
  public Dataset<Row> boughtBefore(LocalDate at, int lookbackMonths) {
    return bought(monthsFrom(at, -lookbackMonths), at);
  }

  /**
   * What a customer newly adopted in (at, at + horizon]: bought then, and not bought in the
   * lookback window before {@code at}.
   */
  public Dataset<Row> adoptedAfter(LocalDate at, int lookbackMonths, int horizonMonths) {
    Dataset<Row> before = boughtBefore(at, lookbackMonths).select(col(Sales.CUSTOMER_ID), col(ITEM));
    return bought(at, monthsFrom(at, horizonMonths))
        .join(before, new String[] {Sales.CUSTOMER_ID, ITEM}, "left_anti");
  }

  /** Frees the windows computed so far (the lines stay the caller's). */
  public void release() {
    windows.values().forEach(Dataset::unpersist);
    windows.clear();
  }
}
