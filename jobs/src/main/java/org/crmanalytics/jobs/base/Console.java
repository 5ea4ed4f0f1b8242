package org.crmanalytics.jobs.base;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;
import org.apache.spark.sql.SparkSession;

/**
 * The pipeline's voice on the terminal: one line per finished stage with rows and elapsed time,
 * and, while a stage runs longer than a few seconds, a live line with Spark's task progress.
 * Prints keys and counts only, never customer data.
 */
public final class Console implements AutoCloseable {
  public enum Verbosity { QUIET, NORMAL, VERBOSE }

  private static final long PROGRESS_AFTER_MS = 3_000;
  private static final long HEARTBEAT_MS = 60_000;

  private final PrintStream out;
  private final Verbosity verbosity;
  private final boolean interactive;
  private final ScheduledExecutorService ticker;

  public Console(PrintStream out, Verbosity verbosity) {
    this.out = out;
    this.verbosity = verbosity;
    this.interactive = System.console() != null;
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "console-progress");
              t.setDaemon(true);
              return t;
            });
  }

  public static Console stdout(Verbosity verbosity) {
    return new Console(System.out, verbosity);
  }

  /** A line that always prints, even with --quiet (results, errors). */
  public void result(String line) {
    out.println(line);
  }

  /** A line for the normal run log. */
  public void info(String line) {
    if (verbosity != Verbosity.QUIET) {
      out.println(line);
    }
  }

  /** Detail shown with --verbose. */
  public void detail(String line) {
    if (verbosity == Verbosity.VERBOSE) {
      out.println("  " + line);
    }
  }

  public void warn(String line) {
    out.println("WARNING: " + line);
  }

  /**
   * Starts timing a stage. With a session, a stage that runs long shows Spark's task progress
   * (a live line on a terminal, a line every 10 s in a log).
   */
  public Stage stage(String name, SparkSession spark) {
    return new Stage(name, spark);
  }

  @Override
  public void close() {
    ticker.shutdownNow();
  }

  /** A running stage; {@link #done} prints its summary line. */
  public final class Stage {
    private final String name;
    private final long startNanos = System.nanoTime();
    private final ScheduledFuture<?> progress;
    private volatile String lastProgress = "";

    private Stage(String name, SparkSession spark) {
      this.name = name;
      if (spark != null && verbosity != Verbosity.QUIET) {
        // On a terminal a bar redrawn in place; in a log (Airflow, a file) one line per stage, and
        // a sign of life only from a stage that takes minutes.
        long first = interactive ? PROGRESS_AFTER_MS : HEARTBEAT_MS;
        long period = interactive ? 500 : HEARTBEAT_MS;
        this.progress =
            ticker.scheduleAtFixedRate(
                () -> showProgress(spark.sparkContext().statusTracker()),
                first, period, TimeUnit.MILLISECONDS);
      } else {
        this.progress = null;
      }
    }

    private void showProgress(SparkStatusTracker tracker) {
      if (!interactive) {
        out.println(String.format(Locale.ROOT, "  %-22s still running after %s", name, format(elapsed())));
        return;
      }
      int total = 0;
      int done = 0;
      for (int id : tracker.getActiveStageIds()) {
        SparkStageInfo info = tracker.getStageInfo(id).getOrElse(() -> null);
        if (info != null) {
          total += info.numTasks();
          done += info.numCompletedTasks();
        }
      }
      if (total == 0) {
        return;
      }
      String line =
          String.format(Locale.ROOT, "  %-22s [%s] %d/%d tasks  %s", name, bar(done, total), done,
              total, format(elapsed()));
      out.print("\r" + line);
      out.flush();
      lastProgress = line;
    }

    public Duration elapsed() {
      return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Ends the stage and prints "name  rows in -> rows out  elapsed". Returns the elapsed time. */
    public Duration done(long rowsIn, long rowsOut, String note) {
      stopProgress();
      Duration elapsed = elapsed();
      info(String.format(Locale.ROOT, "%-24s %,14d in %,14d out  %8s%s", name, rowsIn, rowsOut,
          format(elapsed), note == null || note.isEmpty() ? "" : "  " + note));
      return elapsed;
    }

    /** Ends a stage that has no row counts. */
    public Duration done(String note) {
      stopProgress();
      Duration elapsed = elapsed();
      info(String.format(Locale.ROOT, "%-24s %s  %8s", name, note, format(elapsed)));
      return elapsed;
    }

    private void stopProgress() {
      if (progress != null) {
        progress.cancel(false);
        if (interactive && !lastProgress.isEmpty()) {
          out.print("\r" + " ".repeat(lastProgress.length()) + "\r");
        }
      }
    }
  }

  private static String bar(int done, int total) {
    int width = 20;
    int filled = total == 0 ? 0 : (int) ((long) done * width / total);
    return "#".repeat(filled) + ".".repeat(width - filled);
  }

  public static String format(Duration d) {
    long ms = d.toMillis();
    return ms < 60_000
        ? String.format(Locale.ROOT, "%.1fs", ms / 1000.0)
        : String.format(Locale.ROOT, "%dm%02ds", ms / 60_000, (ms / 1000) % 60);
  }
}
