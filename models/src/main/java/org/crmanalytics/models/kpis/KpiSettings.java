package org.crmanalytics.models.kpis;

import java.util.List;
import java.util.Locale;

/**
 * How the sales-controlling KPIs are cut: which period types and dimensions are produced, how far
 * back, the churn look-back and the customer share used for revenue concentration. The as_of date
 * is not part of it: it belongs to the run, the settings to the configuration.
 *
 * @param periods period types produced, in this order
 * @param dimensions dimensions produced; {@link Dimension#ALL} is the company as a whole
 * @param historyMonths months produced up to and including the month of as_of; quarters and years
 *     are produced for every quarter and year these months touch
 * @param churnLookbackMonths a customer who ordered in this many months before a period's start is
 *     active at its start, and churned when he orders nothing in the period
 * @param topCustomerPercent the top share of customers (by revenue) whose revenue share is reported
 */
public record KpiSettings(
    List<PeriodType> periods,
    List<Dimension> dimensions,
    int historyMonths,
    int churnLookbackMonths,
    int topCustomerPercent) {

  public static final int DEFAULT_HISTORY_MONTHS = 24;
  public static final int MAX_HISTORY_MONTHS = 240;
  public static final int DEFAULT_CHURN_LOOKBACK_MONTHS = 12;
  public static final int MAX_CHURN_LOOKBACK_MONTHS = 120;
  public static final int DEFAULT_TOP_CUSTOMER_PERCENT = 10;

  public KpiSettings {
    periods = List.copyOf(periods);
    dimensions = List.copyOf(dimensions);
    if (periods.isEmpty() || dimensions.isEmpty()) {
      throw new IllegalArgumentException("at least one period type and one dimension are needed");
    }
    if (historyMonths < 1 || historyMonths > MAX_HISTORY_MONTHS) {
      throw new IllegalArgumentException("historyMonths must be 1.." + MAX_HISTORY_MONTHS + ": " + historyMonths);
    }
    if (churnLookbackMonths < 1 || churnLookbackMonths > MAX_CHURN_LOOKBACK_MONTHS) {
      throw new IllegalArgumentException(
          "churnLookbackMonths must be 1.." + MAX_CHURN_LOOKBACK_MONTHS + ": " + churnLookbackMonths);
    }
    if (topCustomerPercent < 1 || topCustomerPercent > 100) {
      throw new IllegalArgumentException("topCustomerPercent must be 1..100: " + topCustomerPercent);
    }
  }

  public static KpiSettings defaults() {
    return new KpiSettings(List.of(PeriodType.values()), List.of(Dimension.values()),
        DEFAULT_HISTORY_MONTHS, DEFAULT_CHURN_LOOKBACK_MONTHS, DEFAULT_TOP_CUSTOMER_PERCENT);
  }

  public KpiSettings withPeriods(List<PeriodType> newPeriods) {
    return new KpiSettings(newPeriods, dimensions, historyMonths, churnLookbackMonths, topCustomerPercent);
  }

  public KpiSettings withDimensions(List<Dimension> newDimensions) {
    return new KpiSettings(periods, newDimensions, historyMonths, churnLookbackMonths, topCustomerPercent);
  }

  public KpiSettings withHistoryMonths(int months) {
    return new KpiSettings(periods, dimensions, months, churnLookbackMonths, topCustomerPercent);
  }

  /** Calendar periods; their labels are the ones sales_targets.period uses. */
  public enum PeriodType {
    /** {@code 2025-03} */
    MONTH,
    /** {@code 2025-Q1} */
    QUARTER,
    /** {@code 2025} */
    YEAR;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What a KPI is broken down by; the value of the breakdown is in the output's dimension_value. */
  public enum Dimension {
    /** The company as a whole; dimension_value is {@code all}. */
    ALL,
    /** Sales rep: the offer's or activity's rep, otherwise the customer's sales rep. */
    REP,
    /** Sales channel: the order's or offer's channel, otherwise the customer's main channel. */
    CHANNEL,
    /** The customer's region. */
    REGION,
    /** The customer's industry. */
    INDUSTRY,
    /** The product group of the ordered article (sales KPIs only). */
    PRODUCT_GROUP,
    /** Campaigns the customer was targeted by (churn only). */
    CAMPAIGN;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
