package org.crmanalytics.models.kpis;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;
import static org.crmanalytics.models.kpis.KpiOutput.PERIOD;
import static org.crmanalytics.models.kpis.KpiOutput.PERIOD_TYPE;
import static org.crmanalytics.models.kpis.KpiSteps.C_REP;
import static org.crmanalytics.models.kpis.KpiSteps.DATE;
import static org.crmanalytics.models.kpis.KpiSteps.KEYS;
import static org.crmanalytics.models.kpis.KpiSteps.asInt;
import static org.crmanalytics.models.kpis.KpiSteps.byDimension;
import static org.crmanalytics.models.kpis.KpiSteps.conform;
import static org.crmanalytics.models.kpis.KpiSteps.customerAttributes;
import static org.crmanalytics.models.kpis.KpiSteps.days;
import static org.crmanalytics.models.kpis.KpiSteps.inPeriods;
import static org.crmanalytics.models.kpis.KpiSteps.onOrBefore;
import static org.crmanalytics.models.kpis.KpiSteps.percentileOfSorted;
import static org.crmanalytics.models.kpis.KpiSteps.summedPerPeriod;
import static org.crmanalytics.models.kpis.KpiSteps.toLong;
import static org.crmanalytics.models.kpis.KpiSteps.withCustomerDimensions;
import static org.crmanalytics.models.kpis.ReportingPeriods.END;

import java.sql.Date;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.models.contract.Contract.Tickets;
import org.crmanalytics.models.kpis.KpiSettings.Dimension;

/** Complaints opened, resolved, open and overdue, their handling time, and the escalation list. */
final class TicketKpis {
  private TicketKpis() {}

  /** Tickets opened by as_of, resolved only when resolved by as_of, with the customer's attributes. */
  static Dataset<Row> ticketsAsOf(Dataset<Row> tickets, Dataset<Row> customers, LocalDate asOf) {
    return tickets.filter(onOrBefore(col(Tickets.CREATED_AT), asOf))
        .join(customers, new String[] {Tickets.CUSTOMER_ID}, "left")
        .withColumn("_resolved", when(onOrBefore(col(Tickets.RESOLVED_AT), asOf), col(Tickets.RESOLVED_AT)));
  }

  /**
   * Complaints opened and resolved in the period, the median handling time of those resolved,
   * and the complaints open at the period's end (as_of for the running period) and of those the
   * ones overdue (due on or before that day).
   */
  static Dataset<Row> complaints(Dataset<Row> tickets, Dataset<Row> customers, Dataset<Row> periods,
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

  /**
   * Tickets of every type that are still open at the end of the as_of day and whose due time lies
   * on or before that day; days_overdue counts whole days since the due date (0: due on as_of).
   * Empty when the tickets table is absent.
   */
  static Dataset<Row> escalations(KpiInputs in, LocalDate asOf) {
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
}
