package org.crmanalytics.jobs.cli;

import org.crmanalytics.jobs.base.Console;
import picocli.CommandLine.Option;

/** Options every command shares (mixed in with picocli's @Mixin). */
public final class CommonOptions {
  @Option(names = {"-q", "--quiet"}, description = "Print only results and errors.")
  boolean quiet;

  @Option(names = {"-v", "--verbose"}, description = "Print details, and Spark's INFO log.")
  boolean verbose;

  @Option(
      names = "--master",
      description = "Spark master when run without spark-submit (default: ${DEFAULT-VALUE}).",
      defaultValue = "local[*]")
  String master;

  public Console.Verbosity verbosity() {
    return quiet ? Console.Verbosity.QUIET : verbose ? Console.Verbosity.VERBOSE : Console.Verbosity.NORMAL;
  }

  public String master() {
    return master;
  }

  /** Raises Spark's and our log level to INFO for --verbose. */
  public void applyLogLevel() {
    if (verbose) {
      org.apache.logging.log4j.core.config.Configurator.setRootLevel(org.apache.logging.log4j.Level.INFO);
      // the task failures log4j2.properties keeps quiet, with their stack traces
      org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.spark.executor.Executor",
          org.apache.logging.log4j.Level.ERROR);
      org.apache.logging.log4j.core.config.Configurator.setLevel("org.apache.spark.scheduler.TaskSetManager",
          org.apache.logging.log4j.Level.WARN);
    }
  }

  public Console console() {
    applyLogLevel();
    return Console.stdout(verbosity());
  }
}
