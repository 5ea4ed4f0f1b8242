package org.crmanalytics.models.churn;

import java.time.LocalDate;
import org.crmanalytics.models.classify.LabelWindow;

/**
 * Who counts as churned: a customer who ordered in the {@code activeMonths} up to the snapshot
 * date D (so was a buyer at D) and places no order in the {@code horizonMonths} after D.
 * Customers without an order in the active window are not in the population: they had already
 * gone, and a warning about them comes too late.
 */
public record ChurnDefinition(int activeMonths, int horizonMonths) implements LabelWindow {
  public static final ChurnDefinition DEFAULT = new ChurnDefinition(12, 6);

  public ChurnDefinition {
    if (activeMonths < 1 || activeMonths > 120) {
      throw new IllegalArgumentException("active months " + activeMonths + " is not between 1 and 120");
    }
    if (horizonMonths < 1 || horizonMonths > 60) {
      throw new IllegalArgumentException("horizon months " + horizonMonths + " is not between 1 and 60");
    }
  }

  /** Active window (D − active months, D]. */
  public LocalDate activeStart(LocalDate snapshot) {
    return LabelWindow.plusMonths(snapshot, -activeMonths);
  }
}
