package org.crmanalytics.models.churn;

import java.time.LocalDate;

/**
 * Who counts as churned: a customer who ordered in the {@code activeMonths} up to the snapshot
 * date D (so was a buyer at D) and places no order in the {@code horizonMonths} after D.
 * Customers without an order in the active window are not in the population: they had already
 * gone, and a warning about them comes too late.
 */
public record ChurnDefinition(int activeMonths, int horizonMonths) {
  public static final ChurnDefinition DEFAULT = new ChurnDefinition(12, 6);

  public ChurnDefinition {
    if (activeMonths < 1 || activeMonths > 120) {
      throw new IllegalArgumentException("active months " + activeMonths + " is not between 1 and 120");
    }
    if (horizonMonths < 1 || horizonMonths > 60) {
      throw new IllegalArgumentException("horizon months " + horizonMonths + " is not between 1 and 60");
    }
  }

  /** The last day of the label window (D, D + horizon]. */
  public LocalDate labelEnd(LocalDate snapshot) {
    return plusMonths(snapshot, horizonMonths);
  }

  /**
   * Calendar months that keep month ends: 2025-06-30 + 6 months is 2025-12-31, not the 30th, so
   * that windows of month-end snapshots cover whole months.
   */
  public static LocalDate plusMonths(LocalDate date, long months) {
    LocalDate moved = date.plusMonths(months);
    return date.getDayOfMonth() == date.lengthOfMonth() ? moved.withDayOfMonth(moved.lengthOfMonth()) : moved;
  }

  /** The label of D is known only when the data reaches the end of its label window. */
  public boolean labelComplete(LocalDate snapshot, LocalDate dataKnownUntil) {
    return !labelEnd(snapshot).isAfter(dataKnownUntil);
  }

  /** Active window (D − active months, D]. */
  public LocalDate activeStart(LocalDate snapshot) {
    return plusMonths(snapshot, -activeMonths);
  }
}
