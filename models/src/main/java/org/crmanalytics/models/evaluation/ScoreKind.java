package org.crmanalytics.models.evaluation;

/** What the evaluated column holds, which decides whether calibration metrics make sense. */
public enum ScoreKind {
  /** A probability in [0, 1]: every metric, calibration included. A value outside [0, 1] is an error. */
  PROBABILITY,
  /**
   * Any number where higher means more likely to churn (e.g. days since the last order): ranking
   * metrics only; Brier score, log loss, ECE and the reliability table are NaN.
   */
  RANKING
}
