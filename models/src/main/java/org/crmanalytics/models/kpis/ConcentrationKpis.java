package org.crmanalytics.models.kpis;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;
import static org.crmanalytics.models.kpis.KpiOutput.DIMENSION;
import static org.crmanalytics.models.kpis.KpiOutput.DIMENSION_VALUE;
import static org.crmanalytics.models.kpis.KpiOutput.PERIOD;
import static org.crmanalytics.models.kpis.KpiOutput.PERIOD_TYPE;
import static org.crmanalytics.models.kpis.KpiSteps.DATE;
import static org.crmanalytics.models.kpis.KpiSteps.LINE_DIMENSIONS;
import static org.crmanalytics.models.kpis.KpiSteps.NET;
import static org.crmanalytics.models.kpis.KpiSteps.byDimension;
import static org.crmanalytics.models.kpis.KpiSteps.dim;
import static org.crmanalytics.models.kpis.KpiSteps.inPeriods;
import static org.crmanalytics.models.kpis.KpiSteps.percentOf;
import static org.crmanalytics.models.kpis.KpiSteps.toLong;
import static org.crmanalytics.models.kpis.KpiSteps.withCustomerDimensions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.models.contract.Contract.Sales;
import org.crmanalytics.models.contract.Money;
import org.crmanalytics.models.kpis.KpiSettings.Dimension;

/** Revenue concentration: the top customers' revenue share and the Gini coefficient. */
final class ConcentrationKpis {
  private ConcentrationKpis() {}

  /**
   * Revenue concentration among the customers with positive net revenue in the slice: the share of
   * the top {@code topPercent} % of them (rounded up to whole customers) and the Gini coefficient
   * G = 2 sum(i x_i) / (n sum x) - (n + 1) / n over revenues x sorted ascending, i = 1..n.
   *
   * <p>Each slice's revenues are sorted as one array of numbers and summed in ascending order: the
   * result of ranking the customers with a window, without sorting every customer row by the
   * slice's keys. Ties need no customer order here: tied revenues are equal, so the sums are too.
   */
  static Dataset<Row> concentration(Dataset<Row> customerMonths, Dataset<Row> customers, Dataset<Row> periods,
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

}
