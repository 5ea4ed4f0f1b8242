package org.crmanalytics.jobs.base;

/**
 * One line that says what went wrong: a user error's message as it is; anything else as the type
 * and first message line of its innermost cause. Spark wraps a task's exception in exceptions
 * whose messages embed the executor's whole stack trace, which a person should not have to read.
 */
public final class FailureText {
  private FailureText() {}

  public static String of(Throwable e) {
    Throwable user = UserError.find(e);
    if (user != null) {
      return user.getMessage();
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "" : root.getMessage().strip();
    int newline = message.indexOf('\n');
    return root.getClass().getSimpleName() + (message.isEmpty() ? ""
        : ": " + (newline < 0 ? message : message.substring(0, newline).strip()));
  }
}
