package org.crmanalytics.jobs.cli;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.runner.PipelineRunner;
import org.crmanalytics.jobs.scorecard.ScorecardSettings.Language;
import org.crmanalytics.jobs.scorecard.ScorecardStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "scorecard", mixinStandardHelpOptions = true,
    description = "Renders the management scorecard of one as_of from the outputs earlier runs wrote "
        + "(reports/scorecard-<as_of>-<language>.html), without running any other stage. See docs/scorecard.md.")
public final class ScorecardCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin ConfigOptions options;

  @Option(names = "--locale", paramLabel = "LANG",
      description = "Language of the page: en or de. Default: 'scorecard.locale' from the config, else en.")
  String locale;

  @Override
  public Integer call() {
    Optional<Language> language = Optional.ofNullable(locale)
        .map(l -> Language.parse(l, problem -> new UserError("--locale: " + problem)));
    PipelineConfig config = options.load();
    try (Console console = common.console()) {
      ScorecardStage stage = new ScorecardStage(language);
      new PipelineRunner(console).run(config, List.of(stage), "scorecard", common.master());
      console.result("scorecard " + config.output() + "/" + stage.page(config));
    }
    return 0;
  }
}
