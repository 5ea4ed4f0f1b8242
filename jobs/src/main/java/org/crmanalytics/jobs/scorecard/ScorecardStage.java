package org.crmanalytics.jobs.scorecard;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.config.ConfigSection;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.jobs.runner.Input;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.jobs.scorecard.ScorecardSettings.Language;

/**
 * The management scorecard: reads what the scores, kpis, abc, payment_risk and cross_sell stages (and ingest
 * and the model training) wrote for this as_of, reduces it with Spark to small aggregates and writes one
 * self-contained HTML page per language, {@code reports/scorecard-<as_of>-<language>.html}, atomically. A section whose
 * input is absent says so on the page. docs/scorecard.md describes the page.
 */
public final class ScorecardStage implements PipelineStage {
  public static final String NAME = "scorecard";
  /** The stage's own section of the configuration file. */

  private final Optional<Language> languageOverride;

  public ScorecardStage() {
    this(Optional.empty());
  }

  /** With the page's language chosen on the command line ({@code --locale}) over the config's. */
  public ScorecardStage(Optional<Language> languageOverride) {
    this.languageOverride = languageOverride;
  }

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Without scores, KPIs, silver customers, payment risk (a company without invoices has none) or
   * cross-sell potential (the stage skipped or not run) the page still shows the rest, and says
   * which parts are absent and why.
   */
  @Override
  public List<Input> reads() {
    return List.of(Input.required(Output.ABC_CUSTOMERS), Input.required(Output.ABC_MIGRATION),
        Input.optional(Output.CUSTOMER_SCORES), Input.optional(Output.KPI_VALUES), Input.optional(Output.SILVER),
        Input.optional(Output.PAYMENT_RISK_CUSTOMERS), Input.optional(Output.CROSS_SELL_RECOMMENDATIONS),
        Input.optional(Output.CROSS_SELL_WHITE_SPACE));
  }

  @Override
  public List<ConfigSection<?>> sections() {
    return List.of(ScorecardSettings.SECTION);
  }

  @Override
  public List<String> produces(PipelineConfig config) {
    return List.of(page(config));
  }

  /** The page this stage writes for the config, relative to the output root. */
  public String page(PipelineConfig config) {
    return Output.SCORECARD.at(settings(config).language().id(), config.asOf());
  }

  public ScorecardSettings settings(PipelineConfig config) {
    ScorecardSettings s = config.settings(ScorecardSettings.class);
    return languageOverride.map(s::withLanguage).orElse(s);
  }

  @Override
  public void run(RunContext ctx) {
    ScorecardSettings settings = settings(ctx.config());
    LocalDate asOf = ctx.config().asOf();
    SparkSession spark = ctx.spark();
    Console.Stage stage = ctx.begin(NAME, "management scorecard as of " + asOf);

    ScorecardData data = new ScorecardReader(spark, ctx.layout().root(), asOf, settings)
        .read(Optional.of(ctx.manifest().toJson()));
    String html = ScorecardPage.render(data, Messages.of(settings.language(), ctx.config().currency()));
    String page = page(ctx.config());
    String path = ctx.layout().root() + "/" + page;
    ctx.output().writeText(path, html);
    ctx.committed(path);
    List<String> absent = java.util.stream.Stream.of(data.kpis(), data.abc(), data.migration(), data.churn(),
            data.dataQuality(), data.modelQuality(), data.paymentRisk(), data.crossSell())
        .filter(s -> s.content().isEmpty()).map(ScorecardData.Section::missingInput).toList();
    stage.done(String.format(java.util.Locale.ROOT, "%s, %,d bytes, language %s%s", page,
        html.getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
        settings.language().id(), absent.isEmpty() ? "" : "; absent: " + String.join(", ", absent)));
  }
}
