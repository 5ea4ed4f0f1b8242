package org.crmanalytics.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.runner.PipelineRunner;
import org.crmanalytics.jobs.runner.StageGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Runs the pipeline for one as_of date: every stage in dependency order, or only those "
        + "named with --stages (they read what earlier runs wrote for that date). A stage whose inputs are "
        + "absent is skipped, with the reason in the run manifest; a stage that fails or is withheld ends only "
        + "itself and the stages that require it. --resume finishes a failed or partial run. 'plan' shows the "
        + "stages.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:succeeded: every stage succeeded",
        "3:partial: a stage failed, was withheld or was skipped; the others delivered (the summary names "
            + "what is missing and why; --partial-exit-code changes the code)",
        "2:failed on a user error (configuration, data contract, quality gate)",
        "1:failed otherwise"})
public final class RunCommand implements Callable<Integer> {
  /** The default exit code of a run in which some stage failed, was withheld or was skipped. */
  public static final int EXIT_PARTIAL = 3;

  @Mixin CommonOptions common;
  @Mixin ConfigOptions options;

  @Option(names = "--stages", split = ",", paramLabel = "STAGE",
      description = "Run only these stages (comma-separated). Default: all.")
  List<String> stages = new ArrayList<>();

  @Option(names = "--partial-exit-code", paramLabel = "CODE", defaultValue = "3",
      description = "The exit code of a run that ends partial (default: ${DEFAULT-VALUE}). The scheduler's tasks "
          + "(plan --json) pass 0: a task runs one stage, and a stage withheld or skipped is no task failure; the "
          + "manifest and the scorecard still say what is missing.")
  int partialExitCode;

  @Option(names = "--resume", paramLabel = "RUN_ID",
      description = "Finish the failed run RUN_ID (its manifest is <out>/runs/RUN_ID.json): run the stages it "
          + "planned that have not succeeded with all their inputs, and those that read their outputs, with the same "
          + "--config, --out and --as-of.")
  String resume;

  @Override
  public Integer call() {
    PipelineConfig config = options.load();
    StageGraph graph = Pipeline.graph();
    if (resume != null && !stages.isEmpty()) {
      throw new UserError("--resume runs the stages that run " + resume + " planned; leave out --stages");
    }
    try (Console console = common.console()) {
      PipelineRunner runner = new PipelineRunner(console);
      if (resume != null) {
        if (runner.resume(config, graph, resume, common.master()).isEmpty()) {
          return 0;
        }
      } else {
        runner.run(config, graph.ordered(stages), "run", common.master());
      }
      // A failed run has thrown: ErrorReporter gives it 2 or 1.
      return runner.lastStatus().equals(PipelineRunner.PARTIAL) ? partialExitCode : 0;
    }
  }
}
