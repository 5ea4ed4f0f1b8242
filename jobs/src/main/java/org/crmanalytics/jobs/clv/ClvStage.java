package org.crmanalytics.jobs.clv;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.config.ConfigSection;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.jobs.runner.Input;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.jobs.runner.Publication;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.models.btyd.ClvFit;
import org.crmanalytics.models.btyd.ClvOutput;
import org.crmanalytics.models.btyd.ClvSettings;
import org.crmanalytics.models.btyd.CustomerLifetimeValue;
import org.crmanalytics.models.contract.Contract;

/**
 * Customer lifetime value: reads silver customers and sales of this as_of, fits Gamma-Gamma and
 * BG/NBD (or Pareto/NBD) on all orders up to as_of, saves the fitted PipelineModel under
 * {@code models/clv/<version>/} and writes one row per customer to {@code clv/customers/as_of=D},
 * each atomically. See docs/clv.md.
 */
public final class ClvStage implements PipelineStage {
  public static final String NAME = "clv";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Input> reads() {
    return List.of(Input.required(Output.SILVER));
  }

  @Override
  public List<String> produces(PipelineConfig config) {
    return List.of(Output.CLV_CUSTOMERS.at(config.asOf()), modelFolder(config.asOf() + "-<fingerprint>"));
  }

  /** Skipped, like the other stages that read silver, when ingest left no customers or sales. */
  @Override
  public java.util.Optional<String> missingInputs(RunContext ctx) {
    return ctx.missingSilver(Contract.Customers.NAME, Contract.Sales.NAME);
  }

  @Override
  public List<ConfigSection<?>> sections() {
    return List.of(ClvConfig.SECTION);
  }


  public static String modelFolder(String version) {
    return Output.modelVersion(NAME, version);
  }

  @Override
  public void run(RunContext ctx) {
    ClvSettings settings = ctx.config().settings(ClvSettings.class);
    SparkSession spark = ctx.spark();
    Console.Stage stage = ctx.begin(NAME, "CLV as of " + settings.asOf());

    Dataset<Row> customers = ctx.requiredSilver(Contract.Customers.NAME, NAME);
    Dataset<Row> sales = ctx.requiredSilver(Contract.Sales.NAME, NAME);
    // The summary is read by both fits and the scoring: computed once.
    Dataset<Row> summary = CustomerLifetimeValue.summary(sales, settings).persist();
    try {
      // Never fails for what the data are: degenerate fits fall back (docs/clv.md, "Degenerate
      // fits") and every finding is a flag in the run manifest and a console warning.
      ClvFit fit = CustomerLifetimeValue.fitWithFallback(summary, settings);
      for (ClvFit.Finding finding : fit.findings()) {
        ctx.flag(NAME, finding.code(), finding.message());
      }
      PipelineModel fitted = fit.pipeline(summary);
      String version = CustomerLifetimeValue.version(fit, fitted, settings);
      Publication publication = ctx.publication();
      publication.stage(modelFolder(version), staged -> {
        try {
          fitted.write().overwrite().save(staged);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot save the CLV models to " + staged, e);
        }
      });
      Row totals = publication.stage(Output.CLV_CUSTOMERS,
              CustomerLifetimeValue.score(fit, summary, customers, settings, version))
          .agg(count(col(ClvOutput.CUSTOMER_ID)), count(col(ClvOutput.X)), sum(col(ClvOutput.CLV)),
              avg(col(ClvOutput.P_ALIVE)))
          .first();
      publication.commit();

      if (fit.purchases() != null) {
        ctx.console().detail("clv: " + fit.purchaseModel() + " " + fit.purchases().describe());
      }
      if (fit.spend() != null) {
        ctx.console().detail("clv: gamma-gamma " + fit.spend().describe());
      }
      stage.done(customers.count(), totals.getLong(0), String.format(Locale.ROOT,
          "model %s (%s); %,d customers with orders; CLV %d months total %s; mean P(alive) %s", version, fit.basis(),
          totals.getLong(1), settings.horizonMonths(),
          totals.isNullAt(2) ? "not available" : String.format(Locale.ROOT, "%,.2f", totals.getDouble(2)),
          totals.isNullAt(3) ? "not available" : String.format(Locale.ROOT, "%.3f", totals.getDouble(3))));
    } finally {
      summary.unpersist();
    }
  }
}
