package org.crmanalytics.jobs.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The command line: {@code crm-analytics <command> ...}, locally or under spark-submit. */
@Command(
    name = "crm-analytics",
    mixinStandardHelpOptions = true,
    version = "crm-analytics 0.1.0",
    description = "CRM analytics and churn-scoring pipeline on Spark.",
    subcommands = {
      IngestCommand.class,
      RunCommand.class,
      PlanCommand.class,
      TrainCommand.class,
      ScorecardCommand.class,
      GenerateCommand.class,
      DemoDbCommand.class,
      WriteBackCommand.class,
      CommandLine.HelpCommand.class,
    })
public final class CrmAnalytics {
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code (tests call this, not main). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new CrmAnalytics());
    cli.setExecutionExceptionHandler(new ErrorReporter());
    return cli.execute(args);
  }
}
