package org.crmanalytics.models.churn;

/**
 * Loads churn models saved before the prior shift moved to models/classify: a saved pipeline names
 * its stages' classes, and Spark's loader finds them by that name. New models use
 * {@link org.crmanalytics.models.classify.PriorShift}.
 */
public final class PriorShift extends org.crmanalytics.models.classify.PriorShift {
  private static final long serialVersionUID = 1L;

  public PriorShift(String uid) {
    super(uid);
  }
}
