package org.crmanalytics.jobs.cli;

import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The command line: {@code crm-analytics <command> ...}, locally or under spark-submit. Commands of
 * other jars on the classpath ({@link CommandExtension}: generate and demo-db from the tools jar)
 * follow the pipeline's own; help comes last.
 */
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
      WriteBackCommand.class,
    })
public final class CrmAnalytics {
  /** The commands of the tools jar, named for a helpful error when it is missing. */
  private static final Set<String> TOOL_COMMANDS = Set.of("generate", "demo-db");

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line and returns its exit code (tests call this, not main). */
  public static int execute(String... args) {
    CommandLine cli = commandLine();
    if (args.length > 0 && TOOL_COMMANDS.contains(args[0]) && !cli.getSubcommands().containsKey(args[0])) {
      cli.getErr().println("ERROR: " + args[0] + " comes with the tools jar, which is not on the classpath: "
          + "build it (./mvnw -DskipTests package) and run bin/crm-analytics, or add "
          + "--jars tools/target/crm-analytics-tools.jar to spark-submit");
      return 2;
    }
    return cli.execute(args);
  }

  /** The whole command line: the pipeline's commands, those of other jars on the classpath, help. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new CrmAnalytics());
    Iterator<CommandExtension> extensions = ServiceLoader.load(CommandExtension.class).iterator();
    while (true) {
      try {
        if (!extensions.hasNext()) {
          break;
        }
        cli.addSubcommand(extensions.next());
      } catch (ServiceConfigurationError | LinkageError e) {
        // A tools jar built from other sources than this jar: the pipeline's commands still work.
        System.err.println("WARNING: a command of another jar on the classpath cannot be loaded (rebuild it with "
            + "this jar: ./mvnw -DskipTests package): " + e);
      }
    }
    cli.addSubcommand(new CommandLine.HelpCommand());
    cli.setExecutionExceptionHandler(new ErrorReporter());
    return cli;
  }
}
