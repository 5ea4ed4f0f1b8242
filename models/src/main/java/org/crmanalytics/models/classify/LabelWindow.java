package org.crmanalytics.models.classify;

import java.time.LocalDate;

/**
 * The months after a snapshot date D in which its label is observed: (D, D + horizon]. A label is
 * known only when the data reaches the end of its window; {@link TimeSplit} keeps the windows of
 * training, validation and test apart.
 */
public interface LabelWindow {
  int horizonMonths();

  /** The last day of the label window (D, D + horizon]. */
  default LocalDate labelEnd(LocalDate snapshot) {
    return plusMonths(snapshot, horizonMonths());
  }

  /** The label of D is known only when the data reaches the end of its label window. */
  default boolean labelComplete(LocalDate snapshot, LocalDate dataKnownUntil) {
    return !labelEnd(snapshot).isAfter(dataKnownUntil);
  }

  /** A window of {@code months} months. */
  static LabelWindow months(int months) {
    if (months < 1 || months > 60) {
      throw new IllegalArgumentException("horizon months " + months + " is not between 1 and 60");
    }
    return () -> months;
  }

  /**
   * Calendar months that keep month ends: 2025-06-30 + 6 months is 2025-12-31, not the 30th, so
   * that windows of month-end snapshots cover whole months.
   */
  static LocalDate plusMonths(LocalDate date, long months) {
    LocalDate moved = date.plusMonths(months);
    return date.getDayOfMonth() == date.lengthOfMonth() ? moved.withDayOfMonth(moved.lengthOfMonth()) : moved;
  }
}
