package org.crmanalytics.jobs.clv;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.cli.Console;
import org.crmanalytics.jobs.cli.UserError;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.io.OutputLayout;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.models.btyd.ClvOutput;
import org.crmanalytics.models.btyd.ClvSettings;
import org.crmanalytics.models.btyd.CustomerLifetimeValue;
import org.crmanalytics.models.btyd.GammaGammaModel;
import org.crmanalytics.models.btyd.PurchaseModel;
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
  public List<String> needs() {
    return List.of("ingest");
  }

  @Override
  public List<String> produces(PipelineConfig config) {
    return List.of(customersFolder(config.asOf()), "models/clv/" + config.asOf() + "-<fingerprint>");
  }

  @Override
  public void check(PipelineConfig config) {
    settings(config);
  }

  public static ClvSettings settings(PipelineConfig config) {
    return ClvConfig.parse(config.section(NAME), config.asOf());
  }

  /** Relative to the output root. */
  public static String customersFolder(LocalDate asOf) {
    return "clv/customers/as_of=" + asOf;
  }

  public static String modelFolder(String version) {
    return "models/clv/" + version;
  }

  @Override
  public void run(RunContext ctx) {
    ClvSettings settings = settings(ctx.config());
    SparkSession spark = ctx.spark();
    Console.Stage stage = ctx.console().stage(NAME, spark);
    spark.sparkContext().setJobGroup(NAME, "CLV as of " + settings.asOf(), false);

    Dataset<Row> customers = ctx.requiredSilver(Contract.Customers.NAME, NAME);
    Dataset<Row> sales = ctx.requiredSilver(Contract.Sales.NAME, NAME);
    // The summary is read by both fits and the scoring: computed once.
    Dataset<Row> summary = CustomerLifetimeValue.summary(sales, settings).persist();
    try {
      Row buyers = summary.agg(count(col(ClvOutput.X)), sum(col(ClvOutput.X).gt(0).cast("long"))).first();
      if (buyers.getLong(0) == 0) {
        throw new UserError("clv: no order with a positive net value up to as_of " + settings.asOf()
            + " in " + ctx.layout().silver(Contract.Sales.NAME) + "; CLV needs purchase histories");
      }
      if (buyers.isNullAt(1) || buyers.getLong(1) == 0) {
        throw new UserError("clv: none of the " + buyers.getLong(0) + " customers with orders up to "
            + settings.asOf() + " has a repeat order; the spend model (Gamma-Gamma) needs repeat buyers");
      }
      PipelineModel fitted = CustomerLifetimeValue.fit(summary, settings);
      String version = CustomerLifetimeValue.version(fitted, settings);
      String modelPath = ctx.layout().root() + "/" + modelFolder(version);
      String stagedModel = ctx.layout().staged(modelPath);
      try {
        fitted.write().overwrite().save(stagedModel);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot save the CLV models to " + stagedModel, e);
      }

      String customersPath = customersPath(ctx.layout());
      String stagedCustomers = ctx.layout().staged(customersPath);
      ctx.output().stage(CustomerLifetimeValue.score(fitted, summary, customers, settings, version), stagedCustomers);
      Row totals = spark.read().parquet(stagedCustomers)
          .agg(count(col(ClvOutput.CUSTOMER_ID)), count(col(ClvOutput.X)), sum(col(ClvOutput.CLV)),
              avg(col(ClvOutput.P_ALIVE)))
          .first();
      ctx.output().commit(stagedModel, modelPath);
      ctx.committed(modelPath);
      ctx.output().commit(stagedCustomers, customersPath);
      ctx.committed(customersPath);

      PurchaseModel<?> purchases = (PurchaseModel<?>) fitted.stages()[1];
      GammaGammaModel spend = (GammaGammaModel) fitted.stages()[0];
      ctx.console().detail("clv: " + settings.model().name().toLowerCase(Locale.ROOT) + " " + purchases.describe());
      ctx.console().detail("clv: gamma-gamma " + spend.describe());
      stage.done(customers.count(), totals.getLong(0), String.format(Locale.ROOT,
          "model %s; %,d customers with orders; CLV %d months total %,.2f; mean P(alive) %.3f", version,
          totals.getLong(1), settings.horizonMonths(), totals.isNullAt(2) ? 0.0 : totals.getDouble(2),
          totals.isNullAt(3) ? 0.0 : totals.getDouble(3)));
    } finally {
      summary.unpersist();
    }
  }

  static String customersPath(OutputLayout layout) {
    return layout.root() + "/" + customersFolder(layout.asOf());
  }
}
