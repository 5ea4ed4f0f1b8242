package org.crmanalytics.models.btyd;

/**
 * A purchase model's likelihood and closed forms (BG/NBD, Pareto/NBD), by coefficient array in the
 * order of {@link #parameterNames()}. Instance methods, so that one {@link PurchaseModel} and one
 * {@link PurchaseCurve} implementation serve every such model; each math class keeps its public
 * static methods of the same meaning, which these delegate to.
 */
interface PurchaseMath extends LogLikelihood {
  /** P(alive at T) of a customer with (x, t_x, T). */
  double aliveProbability(double[] p, double x, double tx, double bigT);

  /** Expected purchases in (T, T + t] of a customer with (x, t_x, T). */
  double expectedPurchasesAfter(double[] p, double t, double x, double tx, double bigT);

  /** Expected purchases in (0, t] of a customer picked at random at time 0. */
  double expectedPurchasesFromStart(double[] p, double t);
}
