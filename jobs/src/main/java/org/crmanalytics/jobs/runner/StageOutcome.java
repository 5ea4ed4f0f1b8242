package org.crmanalytics.jobs.runner;

import java.util.List;

/**
 * How one stage of a run ended.
 *
 * @param stage the stage's name
 * @param status succeeded, withheld (ran, publishes nothing on purpose), failed, or skipped (did
 *     not run: an input it requires is absent, or a stage it requires did not succeed)
 * @param reason why it did not succeed; null when it did
 * @param without the optional inputs it ran without (their columns or sections are empty)
 */
public record StageOutcome(String stage, String status, String reason, List<String> without) {
  public static final String SUCCEEDED = "succeeded";
  public static final String WITHHELD = "withheld";
  public static final String FAILED = "failed";
  public static final String SKIPPED = "skipped";

  public boolean succeeded() {
    return status.equals(SUCCEEDED);
  }

  /** Succeeded with every input: what a resume need not run again. */
  public boolean complete() {
    return succeeded() && without.isEmpty();
  }
}
