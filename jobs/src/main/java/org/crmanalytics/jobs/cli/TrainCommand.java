package org.crmanalytics.jobs.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.churn.ChurnTrainingJob;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.crosssell.CrossSellStage;
import org.crmanalytics.jobs.crosssell.CrossSellTrainingJob;
import org.crmanalytics.jobs.paymentrisk.PaymentRiskStage;
import org.crmanalytics.jobs.paymentrisk.PaymentTrainingJob;
import org.crmanalytics.jobs.runner.PipelineRunner;
import org.crmanalytics.jobs.runner.PipelineStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Trains a model on the silver tables of one as_of (run ingest for that date first), evaluates "
        + "it against naive baselines and saves a new version under <out>/models/<model>/; it is promoted for "
        + "scoring only when it beats the best baseline. Models: churn, payment_risk, cross_sell (its evaluation "
        + "chooses the ranking the cross_sell stage publishes).")
public final class TrainCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin ConfigOptions options;

  @Parameters(index = "0", paramLabel = "MODEL", description = "The model to train: churn, payment_risk or cross_sell (the evaluation that chooses the "
      + "ranking the cross_sell stage publishes).")
  String model;

  @Override
  public Integer call() {
    PipelineStage job = job(model);
    PipelineConfig config = options.load();
    try (Console console = common.console()) {
      new PipelineRunner(console).run(config, List.of(job), "train " + model, common.master());
    }
    return 0;
  }

  public static PipelineStage job(String model) {
    List<String> models = Pipeline.trainedModels();
    if (!models.contains(model)) {
      throw new UserError("unknown model '" + model + "'; models are " + String.join(", ", models));
    }
    return switch (model) {
      case PaymentRiskStage.NAME -> new PaymentTrainingJob();
      case CrossSellStage.NAME -> new CrossSellTrainingJob();
      default -> new ChurnTrainingJob();
    };
  }
}
