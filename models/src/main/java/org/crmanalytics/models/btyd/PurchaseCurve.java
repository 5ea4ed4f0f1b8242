package org.crmanalytics.models.btyd;

import java.io.Serializable;

/** What a fitted purchase model (BG/NBD, Pareto/NBD) says about one customer; times in its unit. */
public interface PurchaseCurve extends Serializable {
  double pAlive(double x, double tx, double bigT);

  /** Expected purchases in (T, T + t]. */
  double conditionalExpectedPurchases(double t, double x, double tx, double bigT);

  /** Expected purchases in (0, t] of a customer picked at random at time 0. */
  double expectedPurchases(double t);
}
