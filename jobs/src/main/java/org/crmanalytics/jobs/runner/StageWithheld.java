package org.crmanalytics.jobs.runner;

/**
 * Thrown by a stage that ran but publishes nothing on purpose (a churn model that is not
 * promoted): not a failure. The runner records the stage as withheld with this reason, skips the
 * stages that require it, and runs those that can do without it.
 */
public final class StageWithheld extends RuntimeException {
  public StageWithheld(String reason) {
    super(reason, null, false, false);
  }
}
