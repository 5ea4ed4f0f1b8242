package org.crmanalytics.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

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
      org.crmanalytics.jobs.scorecard.ScorecardCommand.class,
      org.crmanalytics.jobs.generate.GenerateCommand.class,
      org.crmanalytics.jobs.demodb.DemoDbCommand.class,
      org.crmanalytics.jobs.writeback.WriteBackCommand.class,
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
