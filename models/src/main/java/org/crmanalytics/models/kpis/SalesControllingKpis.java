package org.crmanalytics.models.kpis;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.crmanalytics.models.kpis.KpiOutput.PARTIAL;
import static org.crmanalytics.models.kpis.KpiOutput.PERIOD;
import static org.crmanalytics.models.kpis.KpiOutput.PERIOD_TYPE;
import static org.crmanalytics.models.kpis.KpiOutput.TARGET;
import static org.crmanalytics.models.kpis.KpiSteps.CUSTOMER_DIMENSIONS;
import static org.crmanalytics.models.kpis.KpiSteps.DATE;
import static org.crmanalytics.models.kpis.KpiSteps.SALES_DIMENSIONS;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.models.kpis.KpiSettings.Dimension;
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
 *
 * <p>This class is the entry point; each KPI family is a class of this package ({@link SalesKpis},
 * {@link ConcentrationKpis}, {@link ChurnKpis}, {@link OfferKpis}, {@link VisitKpis},
 * {@link TicketKpis}, {@link TargetKpis}) over the shared steps of {@link KpiSteps}.
 */
public final class SalesControllingKpis {
  private SalesControllingKpis() {}

  /** All KPIs in {@link KpiOutput#SCHEMA}; periods after as_of are not produced. */
  public static Dataset<Row> transform(KpiInputs in, LocalDate asOf, KpiSettings settings) {
    return transform(in, SalesKpis.salesMonths(in, asOf), asOf, settings);
  }

  /**
   * As {@link #transform(KpiInputs, LocalDate, KpiSettings)}, from the given {@link #salesMonths}
   * of the same inputs and as_of. Several KPIs read them: a caller that persists them computes the
   * sales lines once.
   */
  public static Dataset<Row> transform(KpiInputs in, Dataset<Row> salesMonths, LocalDate asOf, KpiSettings settings) {
    return transform(in, salesMonths, asOf, settings, parts -> parts.stream().reduce(Dataset::unionByName).orElseThrow());
  }

  /**
   * As {@link #transform(KpiInputs, Dataset, LocalDate, KpiSettings)}, with the KPI families' values
   * (one Dataset each, same columns) made into one by {@code combine}: a caller that writes each
   * family and reads them back keeps each query's plan small.
   */
  public static Dataset<Row> transform(KpiInputs in, Dataset<Row> salesMonths, LocalDate asOf, KpiSettings settings,
      Function<List<Dataset<Row>>, Dataset<Row>> combine) {
    List<Period> reported = ReportingPeriods.list(asOf, settings);
    Dataset<Row> periods = ReportingPeriods.table(in.customers().sparkSession(), asOf, settings);
    Dataset<Row> customers = KpiSteps.customerAttributes(in.customers());
    Dataset<Row> customerMonths = SalesKpis.withSalesDimensions(salesMonths);
    List<Dimension> salesDims = KpiSteps.dimensions(settings, in.products().isPresent()
        ? SALES_DIMENSIONS : CUSTOMER_DIMENSIONS);
    List<Dimension> customerDims = KpiSteps.dimensions(settings, CUSTOMER_DIMENSIONS);

    List<Dataset<Row>> parts = new ArrayList<>();
    if (!salesDims.isEmpty()) {
      // Months before the first reported period count in no revenue or concentration KPI.
      LocalDate firstDay = reported.stream().map(Period::start).min(LocalDate::compareTo).orElseThrow();
      Dataset<Row> reportedMonths = customerMonths.filter(col(DATE).geq(lit(Date.valueOf(firstDay))));
      parts.add(SalesKpis.revenueAndMargin(reportedMonths, periods, salesDims));
      parts.add(ConcentrationKpis.concentration(reportedMonths, customers, periods, salesDims, settings.topCustomerPercent()));
    }
    Dataset<Row> orderMonths = SalesKpis.orderMonths(customerMonths);
    ChurnKpis.churn(in, orderMonths, customers, reported, periods, settings).ifPresent(parts::add);
    if (!customerDims.isEmpty()) {
      parts.add(SalesKpis.newCustomers(orderMonths, customers, periods, customerDims));
      in.offers().ifPresent(o -> {
        Dataset<Row> offers = OfferKpis.offersAsOf(o, customers, asOf);
        parts.add(OfferKpis.funnel(offers, periods, customerDims));
        parts.add(OfferKpis.stageDurations(offers, periods, customerDims));
        parts.add(OfferKpis.offerOutcomes(offers, periods, customerDims));
      });
      in.activities().ifPresent(a -> parts.add(VisitKpis.visits(a, customers, periods, customerDims, asOf)));
      in.tickets().ifPresent(t -> parts.add(TicketKpis.complaints(t, customers, periods, customerDims, asOf)));
    }
    if (parts.isEmpty()) { // only dimensions whose tables are absent (campaign without campaign_members)
      return in.customers().sparkSession().createDataFrame(List.of(), KpiOutput.SCHEMA);
    }
    Dataset<Row> actuals = combine.apply(parts);
    boolean targeted = settings.dimensions().contains(Dimension.REP) || settings.dimensions().contains(Dimension.ALL);
    Dataset<Row> withTargets = targeted && in.salesTargets().isPresent()
        ? TargetKpis.withTargets(actuals, in.salesTargets().get(), periods, settings.dimensions())
        : actuals.withColumn(TARGET, lit(null).cast("double"));
    Dataset<Row> result = withTargets
        .join(broadcast(periods.select(PERIOD_TYPE, PERIOD, PARTIAL)), new String[] {PERIOD_TYPE, PERIOD})
        .select(Arrays.stream(KpiOutput.SCHEMA.fieldNames()).map(c -> col(c)).toArray(Column[]::new));
    return KpiSteps.conform(result, KpiOutput.SCHEMA);
  }

  /**
   * The order and return lines up to as_of summed per customer, month, order channel and product
   * group, with the customer's attributes: the input of the sales KPIs in
   * {@link #transform(KpiInputs, Dataset, LocalDate, KpiSettings)} (see {@link SalesKpis#salesMonths}).
   */
  public static Dataset<Row> salesMonths(KpiInputs in, LocalDate asOf) {
    return SalesKpis.salesMonths(in, asOf);
  }

  /**
   * Tickets of every type that are still open at the end of the as_of day and whose due time lies
   * on or before that day; days_overdue counts whole days since the due date (0: due on as_of).
   * Empty when the tickets table is absent.
   */
  public static Dataset<Row> escalations(KpiInputs in, LocalDate asOf) {
    return TicketKpis.escalations(in, asOf);
  }
}
