package org.crmanalytics.models.kpis;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;
import static org.crmanalytics.models.kpis.KpiSteps.COST;
import static org.crmanalytics.models.kpis.KpiSteps.C_CHANNEL;
import static org.crmanalytics.models.kpis.KpiSteps.C_INDUSTRY;
import static org.crmanalytics.models.kpis.KpiSteps.C_REGION;
import static org.crmanalytics.models.kpis.KpiSteps.C_REP;
import static org.crmanalytics.models.kpis.KpiSteps.DATE;
import static org.crmanalytics.models.kpis.KpiSteps.NET;
import static org.crmanalytics.models.kpis.KpiSteps.customerAttributes;
import static org.crmanalytics.models.kpis.KpiSteps.dim;
import static org.crmanalytics.models.kpis.KpiSteps.percentOf;
import static org.crmanalytics.models.kpis.KpiSteps.summedPerPeriod;
import static org.crmanalytics.models.kpis.KpiSteps.toLong;
import static org.crmanalytics.models.kpis.KpiSteps.withCustomerDimensions;

import java.sql.Date;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.models.contract.Contract.Products;
import org.crmanalytics.models.contract.Contract.Sales;
import org.crmanalytics.models.contract.Money;
import org.crmanalytics.models.kpis.KpiSettings.Dimension;

/**
 * Sales KPIs from the monthly sales sums ({@link #salesMonths}): revenue, margin and margin percent,
 * and new customers.
 */
final class SalesKpis {
  private SalesKpis() {}


  /**
   * The order and return lines up to as_of summed per customer, month, order channel and product
   * group, with the customer's attributes; the input of the sales KPIs in
   * {@link SalesControllingKpis#transform(KpiInputs, Dataset, LocalDate, KpiSettings)}. Periods are whole months and
   * every sales KPI is a sum over the months of a period or depends only on the months a customer
   * ordered in, so all of them start from these sums, a fraction of the lines. Partitioned by
   * customer: the per-customer steps that follow (revenue per customer and period, order months,
   * first orders) need no further shuffle. Amounts are whole ten-thousandths ({@link Money#units})
   * until a KPI value is taken from them.
   */
  static Dataset<Row> salesMonths(KpiInputs in, LocalDate asOf) {
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
  static Dataset<Row> withSalesDimensions(Dataset<Row> salesMonths) {
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
  static Dataset<Row> orderMonths(Dataset<Row> customerMonths) {
    return customerMonths.filter(col("_ordered")).select(col(Sales.CUSTOMER_ID), col(DATE)).distinct();
  }

  static Dataset<Row> revenueAndMargin(Dataset<Row> salesMonths, Dataset<Row> periods, List<Dimension> dims) {
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
  static Dataset<Row> newCustomers(Dataset<Row> orderMonths, Dataset<Row> customers, Dataset<Row> periods,
      List<Dimension> dims) {
    Dataset<Row> firstOrders = orderMonths.groupBy(col(Sales.CUSTOMER_ID)).agg(min(col(DATE)).as(DATE))
        .join(customers, new String[] {Sales.CUSTOMER_ID}, "left");
    Dataset<Row> agg = summedPerPeriod(withCustomerDimensions(firstOrders), periods, dims,
        Map.of("_new", count(lit(1))));
    return toLong(agg, Map.of(KpiIds.NEW_CUSTOMERS, col("_new")));
  }

}
