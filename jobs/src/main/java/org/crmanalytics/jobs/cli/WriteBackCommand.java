package org.crmanalytics.jobs.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.runner.PipelineRunner;
import org.crmanalytics.jobs.writeback.WriteBackStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "writeback", mixinStandardHelpOptions = true,
    description = "Writes an existing scores output (scores/customer_scores/as_of=DATE under the output root) to the "
        + "targets of the writeback: section, without running the other stages.")
public final class WriteBackCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin ConfigOptions options;

  @Option(names = "--force", description = "Write even when the CRM holds scores of a later as_of (writeback.force).")
  boolean force;

  @Override
  public Integer call() {
    PipelineConfig config = options.load();
    WriteBackStage stage = force ? WriteBackStage.forced() : new WriteBackStage();
    try (Console console = common.console()) {
      new PipelineRunner(console).run(config, List.of(stage), "writeback", common.master());
    }
    return 0;
  }
}
