package org.crmanalytics.jobs.cli;

import org.crmanalytics.jobs.base.FailureText;
import org.crmanalytics.jobs.base.UserError;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * Turns a failure into one readable message and exit code 2 for the user's mistakes (config,
 * data contract, quality threshold) or 1 for everything else; a stack trace only with --verbose.
 * (A run that ends partial is no exception: {@code run} returns {@link RunCommand#EXIT_PARTIAL}.)
 */
final class ErrorReporter implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
    boolean verbose = parsed.hasMatchedOption("--verbose") || anySubcommandVerbose(parsed);
    Throwable userError = UserError.find(e);
    if (userError != null) {
      cli.getErr().println("ERROR: " + userError.getMessage());
      if (verbose) {
        e.printStackTrace(cli.getErr());
      }
      return 2;
    }
    cli.getErr().println("ERROR: " + FailureText.of(e));
    if (verbose) {
      e.printStackTrace(cli.getErr());
    } else {
      cli.getErr().println("(run again with --verbose for the stack trace)");
    }
    return 1;
  }

  private static boolean anySubcommandVerbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
