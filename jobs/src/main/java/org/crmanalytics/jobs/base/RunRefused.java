package org.crmanalytics.jobs.base;

/**
 * A {@link UserError} that makes the whole run pointless, found only once a stage has read the
 * data (an as_of far after the newest sale): the run stops at once, without skipping the other
 * stages one by one or offering a resume, since the fix (another as_of or configuration) needs a
 * new run.
 */
public class RunRefused extends UserError {
  private static final long serialVersionUID = 1L;

  public RunRefused(String message) {
    super(message);
  }
}
