package org.crmanalytics.models.btyd;

import java.util.Locale;

/**
 * The unit of x's time axis (t_x, T, horizons) and hence of the rate parameters (alpha, beta).
 * Always explicit: a model fitted in weeks asked for "12 months" converts them to weeks here,
 * never by assuming some number of periods per month.
 */
public enum BtydTimeUnit {
  DAYS(1),
  WEEKS(7);

  /** The mean Gregorian month, 365.2425 / 12 days. */
  public static final double DAYS_PER_MONTH = 365.2425 / 12;

  private final int days;

  BtydTimeUnit(int days) {
    this.days = days;
  }

  public int days() {
    return days;
  }

  public double fromDays(double d) {
    return d / days;
  }

  public double fromMonths(double months) {
    return months * DAYS_PER_MONTH / days;
  }

  /** Lower-case name as written in configuration and saved with models ("days", "weeks"). */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static BtydTimeUnit parse(String s) {
    for (BtydTimeUnit u : values()) {
      if (u.key().equals(s == null ? null : s.trim().toLowerCase(Locale.ROOT))) {
        return u;
      }
    }
    throw new IllegalArgumentException("time unit must be days or weeks, found '" + s + "'");
  }
}
