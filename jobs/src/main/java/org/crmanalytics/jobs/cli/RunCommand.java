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
        + "named with --stages (they read what earlier runs wrote for that date). 'plan' shows the stages.")
public final class RunCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin ConfigOptions options;

  @Option(names = "--stages", split = ",", paramLabel = "STAGE",
      description = "Run only these stages (comma-separated). Default: all.")
  List<String> stages = new ArrayList<>();

  @Override
  public Integer call() {
    PipelineConfig config = options.load();
    StageGraph graph = StageGraph.pipeline();
    try (Console console = common.console()) {
      new PipelineRunner(console).run(config, graph.ordered(stages), "run", common.master());
    }
    return 0;
  }
}
