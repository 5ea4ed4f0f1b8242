package org.crmanalytics.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.runner.PipelineRunner;
import org.crmanalytics.jobs.runner.StageGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Runs the pipeline for one as_of date: every stage in dependency order, or only those "
        + "named with --stages (they read what earlier runs wrote for that date). A stage whose inputs are "
        + "absent is skipped, with the reason in the run manifest; --resume finishes a failed run. "
        + "'plan' shows the stages.")
public final class RunCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin ConfigOptions options;

  @Option(names = "--stages", split = ",", paramLabel = "STAGE",
      description = "Run only these stages (comma-separated). Default: all.")
  List<String> stages = new ArrayList<>();

  @Option(names = "--resume", paramLabel = "RUN_ID",
      description = "Finish the failed run RUN_ID (its manifest is <out>/runs/RUN_ID.json): run the stages it "
          + "planned that have not succeeded, with the same --config, --out and --as-of.")
  String resume;

  @Override
  public Integer call() {
    PipelineConfig config = options.load();
    StageGraph graph = StageGraph.pipeline();
    if (resume != null && !stages.isEmpty()) {
      throw new UserError("--resume runs the stages that run " + resume + " planned; leave out --stages");
    }
    try (Console console = common.console()) {
      PipelineRunner runner = new PipelineRunner(console);
      if (resume != null) {
        runner.resume(config, graph, resume, common.master());
      } else {
        runner.run(config, graph.ordered(stages), "run", common.master());
      }
    }
    return 0;
  }
}
