package org.crmanalytics.jobs.cli;

import java.util.List;
import java.util.Map;
import org.crmanalytics.jobs.abc.AbcStage;
import org.crmanalytics.jobs.churn.ChurnStage;
import org.crmanalytics.jobs.clv.ClvStage;
import org.crmanalytics.jobs.config.ConfigLoader;
import org.crmanalytics.jobs.config.ConfigSection;
import org.crmanalytics.jobs.crosssell.CrossSellStage;
import org.crmanalytics.jobs.features.FeaturesStage;
import org.crmanalytics.jobs.ingest.IngestStage;
import org.crmanalytics.jobs.kpis.KpiStage;
import org.crmanalytics.jobs.runner.StageGraph;
import org.crmanalytics.jobs.scorecard.ScorecardStage;
import org.crmanalytics.jobs.paymentrisk.PaymentRiskStage;
import org.crmanalytics.jobs.scores.ScoresStage;
import org.crmanalytics.jobs.writeback.WriteBackStage;

/** The program: the pipeline's stages, assembled here so that the runner knows none of them. */
public final class Pipeline {
  private Pipeline() {}

  /** The full pipeline as it stands. */
  public static StageGraph graph() {
    return new StageGraph(List.of(new IngestStage(), new FeaturesStage(), new AbcStage(), new KpiStage(),
        new ClvStage(), new ChurnStage(), new PaymentRiskStage(), new CrossSellStage(), new ScoresStage(), new WriteBackStage(), new ScorecardStage()));
  }

  /** The sections of the configuration file the stages own, bound by the loader into their settings. */
  public static List<ConfigSection<?>> sections() {
    StageGraph graph = graph();
    return graph.names().stream().flatMap(n -> graph.stage(n).sections().stream()).toList();
  }

  /** A loader for this program's configuration files; {@code env} is what {@code ${VAR}} reads. */
  public static ConfigLoader configLoader(Map<String, String> env) {
    return new ConfigLoader(env, sections());
  }

  /** The models that {@code train <model>} fits, on its own schedule (weekly), outside the stage graph. */
  public static List<String> trainedModels() {
    return List.of(ChurnStage.NAME, PaymentRiskStage.NAME, CrossSellStage.NAME);
  }
}
