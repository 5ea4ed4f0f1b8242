package org.crmanalytics.jobs.base;

/**
 * A problem the user can fix (configuration, data contract, quality threshold). Its message says
 * what is wrong, where (file, table, key, column) and what to do; it never contains secrets or
 * customer data.
 */
public class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }

  /** The first UserError in a cause chain, or null. */
  public static Throwable find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof UserError) {
        return c;
      }
    }
    return null;
  }
}
