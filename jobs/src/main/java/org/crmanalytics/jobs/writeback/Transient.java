package org.crmanalytics.jobs.writeback;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import org.crmanalytics.jobs.writeback.WriteBackConfig.Retry;

/** Which database errors are worth another attempt, and the attempts themselves. */
public final class Transient {
  /**
   * Serialization failure and deadlock (PostgreSQL), a session ended by an administrator or a
   * server restart (PostgreSQL 57P01-57P03; MariaDB KILL gives 70100).
   */
  private static final Set<String> STATES = Set.of("40001", "40P01", "57P01", "57P02", "57P03", "70100");
  /** MariaDB: deadlock, lock wait timeout, connection killed, server shutdown. */
  private static final Set<Integer> MARIADB_CODES = Set.of(1213, 1205, 1927, 1053);

  private Transient() {}

  /** Whether {@code t} or a cause is a connection loss (SQLState class 08) or one of the above. */
  public static boolean is(Throwable t) {
    for (Throwable c = t; c != null && c != c.getCause(); c = c.getCause()) {
      if (c instanceof SQLException s) {
        for (SQLException n = s; n != null; n = n.getNextException() == n ? null : n.getNextException()) {
          String state = n.getSQLState();
          if (state != null && (state.startsWith("08") || STATES.contains(state))) {
            return true;
          }
          if (MARIADB_CODES.contains(n.getErrorCode())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Work that talks to the database; {@code attempt} counts from 1. */
  @FunctionalInterface
  public interface Attempt<T> {
    T run(int attempt) throws Exception;
  }

  /** Something to say before a retry (the console on the driver, the log on an executor). */
  @FunctionalInterface
  public interface RetryListener {
    void retrying(int failedAttempt, Duration wait, Exception cause);
  }

  /**
   * Runs {@code work}, again after a transient failure, at most {@code retry.attempts()} times,
   * waiting {@link Retry#wait} between attempts (Failsafe's retry policy); a permanent failure, or the
   * last attempt's, is thrown as it was raised.
   */
  public static <T> T retry(Retry retry, RetryListener listener, Attempt<T> work) throws Exception {
    RetryPolicy<T> policy = RetryPolicy.<T>builder()
        .handleIf(failure -> failure instanceof Exception && is(failure))
        .withMaxAttempts(retry.attempts())
        // Our own schedule: Failsafe's withBackoff refuses a zero backoff or a maximum equal to it.
        .withDelayFn(done -> retry.wait(done.getAttemptCount()))
        .onRetryScheduled(e -> listener.retrying(e.getAttemptCount(), e.getDelay(), (Exception) e.getLastException()))
        .build();
    try {
      return Failsafe.with(policy).get(context -> work.run(context.getAttemptCount() + 1));
    } catch (FailsafeException e) {
      // Failsafe wraps checked exceptions (and an interrupted wait); callers see the original.
      if (e.getCause() instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
