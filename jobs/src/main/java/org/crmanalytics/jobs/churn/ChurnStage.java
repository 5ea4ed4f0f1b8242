package org.crmanalytics.jobs.churn;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.jobs.io.ModelStore;
import org.crmanalytics.jobs.classify.ModelTraining;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.config.ConfigSection;
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.jobs.runner.Input;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.jobs.runner.Publication;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.jobs.runner.StageWithheld;
import org.crmanalytics.models.classify.ModelFeatures;
import org.crmanalytics.models.churn.ChurnLabels;
import org.crmanalytics.models.churn.ChurnSettings;
import org.crmanalytics.models.classify.ClassifierTrainer;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.features.CustomerSnapshot;
import org.crmanalytics.models.scores.CustomerScores;

/**
 * Scores the churn risk of every customer in the population at as_of (an order in the active
 * window) with the promoted model: probability, risk band, and the reasons. When no model has
 * been promoted yet, it trains one first, so that a first run on new data gives scores; when that
 * model is not promoted either, the stage is withheld (no churn output, the reason and the
 * evaluation file in the manifest) and the run goes on.
 */
public final class ChurnStage implements PipelineStage {
  public static final String NAME = "churn";

  @Override
  public String name() {
    return NAME;
  }

  /** Without a clv output a model is trained and scores without the CLV features (said so). */
  @Override
  public List<Input> reads() {
    return List.of(Input.required(Output.SNAPSHOT), Input.required(Output.SILVER), Input.optional(Output.CLV_CUSTOMERS));
  }

  @Override
  public Optional<String> missingInputs(RunContext ctx) {
    return ctx.missing(Output.SNAPSHOT)
        .or(() -> ctx.missingSilver(Contract.Customers.NAME, Contract.Sales.NAME));
  }

  @Override
  public List<ConfigSection<?>> sections() {
    return List.of(ChurnConfig.SECTION);
  }

  @Override
  public void run(RunContext ctx) {
    ChurnSettings cfg = ctx.config().settings(ChurnSettings.class);
    LocalDate asOf = ctx.config().asOf();
    ModelTraining.ForScoring forScoring = ModelTraining.forScoring(ctx, NAME, () -> new ChurnTrainingJob().train(ctx));
    if (forScoring.model().isEmpty()) {
      // Not a failure: the run goes on, and the scores stage falls back to its documented rule.
      throw new StageWithheld(forScoring.why() + ", so no churn score is published. The early-warning list uses the "
          + "recency rule (churn_basis = rule) until a model is promoted");
    }
    ModelStore.StoredModel model = forScoring.model().get();
    Console.Stage st = ctx.begin(NAME, "churn scores as of " + asOf);

    Dataset<Row> snapshot = ctx.require(Output.SNAPSHOT, NAME);
    Dataset<Row> rows = snapshot.join(ChurnInputs.btydAt(ctx), new String[] {CustomerSnapshot.CUSTOMER_ID}, "left");
    ModelFeatures features = new ModelFeatures(model.features());
    List<String> missing = features.missingIn(rows.schema());
    if (!missing.isEmpty()) {
      throw new UserError("churn model " + model.version() + " needs the features " + String.join(", ", missing)
          + ", which the snapshot of " + asOf + " does not provide; check the features section (windows) "
          + "against the model's training configuration, or train a new model (bin/crm-analytics train churn)");
    }
    long activeDays = ChronoUnit.DAYS.between(cfg.definition().activeStart(asOf), asOf);
    Dataset<Row> population = rows.filter(col(CustomerSnapshot.DAYS_SINCE_LAST_ORDER).lt(activeDays));
    Dataset<Row> scored = model.pipeline().transform(features.prepare(population));
    Dataset<Row> out = ChurnReasons.explain(scored, model, features, cfg, population, ctx.config().currency())
        .select(col(CustomerScores.CUSTOMER_ID),
            col(ChurnLabels.PROBABILITY).as(CustomerScores.CHURN_PROBABILITY),
            when(col(ChurnLabels.PROBABILITY).geq(cfg.highBand()), lit("high"))
                .when(col(ChurnLabels.PROBABILITY).geq(cfg.mediumBand()), lit("medium"))
                .otherwise(lit("low")).as(CustomerScores.CHURN_BAND),
            col(CustomerScores.CHURN_REASONS_EN), col(CustomerScores.CHURN_REASONS_DE),
            col(CustomerScores.CHURN_REASONS),
            lit(model.version()).as(CustomerScores.CHURN_MODEL_VERSION));

    Publication publication = ctx.publication();
    Dataset<Row> written = publication.stage(Output.CHURN_CUSTOMERS, out);
    long customers = snapshot.count();
    List<Row> bands = written.groupBy(CustomerScores.CHURN_BAND).count().collectAsList().stream()
        .sorted(java.util.Comparator.comparingInt(r -> CustomerScores.urgency(r.getString(0)))).toList();
    long scoredRows = bands.stream().mapToLong(r -> r.getLong(1)).sum();
    publication.commit();
    st.done(customers, scoredRows, String.format(Locale.ROOT, "model %s; %s; %,d not in the population (no order "
        + "in the last %d months)", model.version(), String.join(", ", bands.stream()
            .map(r -> r.getString(0) + " " + r.getLong(1)).toList()), customers - scoredRows,
        cfg.definition().activeMonths()));
  }
}
