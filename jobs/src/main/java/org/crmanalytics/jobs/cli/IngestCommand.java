package org.crmanalytics.jobs.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.ingest.IngestStage;
import org.crmanalytics.jobs.runner.PipelineRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Reads the configured sources, checks every row against the data contract and writes "
        + "accepted rows to silver/<table>/, rejected rows with their reason to quarantine/<table>/, "
        + "a data-quality report to reports/ and the run manifest to runs/<run_id>.json.")
public final class IngestCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin ConfigOptions options;

  @Override
  public Integer call() {
    PipelineConfig config = options.load();
    try (Console console = common.console()) {
      new PipelineRunner(console).run(config, List.of(new IngestStage()), "ingest", common.master());
    }
    return 0;
  }
}
