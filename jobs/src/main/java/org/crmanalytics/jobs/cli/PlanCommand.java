package org.crmanalytics.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.config.PipelineConfig.TableSource;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.runner.PipelineRunner;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.jobs.runner.StageGraph;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.ContractTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "Checks the configuration and shows what a run would do, without starting Spark: the "
        + "source of each table, the optional tables that are absent, and the stages in order with what "
        + "each reads and writes.")
public final class PlanCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin ConfigOptions options;

  @Option(names = "--stages", split = ",", paramLabel = "STAGE", description = "Plan only these stages.")
  List<String> stages = new ArrayList<>();

  @Option(names = "--json", description = "Print the plan as JSON for schedulers (docs/scheduling.md): the "
      + "stages in order with what each needs and writes and the command-line arguments of one task per stage, "
      + "and the training jobs.")
  boolean json;

  @Option(names = "--airflow", description = "Print the plan as the Python module the Airflow DAGs read "
      + "(airflow-dags/crm_analytics_plan.py): every stage's needs and task arguments, and the training jobs.")
  boolean airflow;

  @Override
  public Integer call() {
    PipelineConfig config = options.load();
    StageGraph graph = Pipeline.graph();
    List<PipelineStage> ordered = graph.ordered(stages);
    if (airflow || json) {
      ordered.forEach(s -> s.check(config));
    } else {
      PipelineRunner.checkAll(config, ordered);
    }
    if (airflow) {
      System.out.print(SchedulePlan.of(config, ordered, Pipeline.trainedModels()).toAirflowModule());
      return 0;
    }
    if (json) {
      System.out.println(SchedulePlan.of(config, ordered, Pipeline.trainedModels()).toJson());
      return 0;
    }
    try (Console console = common.console()) {
      console.result("configuration " + config.source() + " is valid");
      console.result("as_of   " + config.asOf());
      console.result("output  " + config.output());
      console.result("");
      console.result("tables:");
      for (ContractTable t : Contract.TABLES) {
        TableSource s = config.tables().get(t.name());
        console.result(String.format("  %-17s %s", t.name(),
            s == null ? "absent (optional; scores that need it are skipped)" : s.describe()));
      }
      console.result("");
      console.result("stages, in order:");
      int i = 1;
      for (PipelineStage s : ordered) {
        console.result(String.format("  %d. %-12s needs %s", i++, s.name(),
            s.needs().isEmpty() ? "sources" : String.join(", ", s.needs())));
        for (String out : s.produces(config)) {
          console.result("       writes " + out);
        }
      }
    }
    return 0;
  }
}
