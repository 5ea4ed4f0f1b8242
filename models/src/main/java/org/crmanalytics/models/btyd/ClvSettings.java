package org.crmanalytics.models.btyd;

import java.time.LocalDate;

/**
 * Settings of the CLV score ({@link CustomerLifetimeValue}): which purchase model, in which time
 * unit, calibrated on all orders up to {@code asOf}, forecasting {@code horizonMonths} calendar
 * months discounted at {@code annualDiscountRate}.
 */
public record ClvSettings(LocalDate asOf, PurchaseModelKind model, BtydTimeUnit timeUnit, int horizonMonths,
    double annualDiscountRate, long maxDistinctRows) {
  public static final int MAX_HORIZON_MONTHS = 120;
  /** 4 million distinct rows: at most 128 MB of blocks on the driver (4 doubles a row). */
  public static final long DEFAULT_MAX_DISTINCT_ROWS = 4_000_000L;

  public enum PurchaseModelKind { BGNBD, PARETONBD }

  public ClvSettings {
    if (horizonMonths < 1 || horizonMonths > MAX_HORIZON_MONTHS) {
      throw new IllegalArgumentException("horizon must be 1 to " + MAX_HORIZON_MONTHS + " months, found " + horizonMonths);
    }
    if (!(annualDiscountRate >= 0 && annualDiscountRate < 1)) {
      throw new IllegalArgumentException("annual discount rate must be at least 0 and below 1, found " + annualDiscountRate);
    }
  }

  /** The same settings for a model calibrated on the orders up to another date. */
  public ClvSettings withAsOf(LocalDate date) {
    return new ClvSettings(date, model, timeUnit, horizonMonths, annualDiscountRate, maxDistinctRows);
  }

  public static ClvSettings defaults(LocalDate asOf) {
    return new ClvSettings(asOf, PurchaseModelKind.BGNBD, BtydTimeUnit.WEEKS, 12, 0.10, DEFAULT_MAX_DISTINCT_ROWS);
  }

  /** What the model version's fingerprint covers besides the fitted coefficients. */
  public String describe() {
    return "model=" + model.name().toLowerCase(java.util.Locale.ROOT) + " time_unit=" + timeUnit.key()
        + " horizon_months=" + horizonMonths + " annual_discount_rate=" + annualDiscountRate + " as_of=" + asOf;
  }
}
