package org.crmanalytics.jobs.features;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.config.ConfigError;
import org.crmanalytics.jobs.config.ConfigNode;
import org.crmanalytics.jobs.config.ConfigSection;
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.jobs.runner.Input;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.jobs.runner.Publication;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.features.CustomerSnapshot.Settings;
import org.crmanalytics.models.features.CustomerSnapshot;

/**
 * Features: the point-in-time customer snapshot as of the run's date, from the silver tables that
 * ingest wrote for that date. A table that is not configured or has no silver gives null features.
 */
public final class FeaturesStage implements PipelineStage {
  public static final String NAME = "features";
  public static final String WINDOWS_DAYS = "windows_days";
  public static final String ACTIVITY_WINDOWS_DAYS = "activity_windows_days";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Input> reads() {
    return List.of(Input.required(Output.SILVER));
  }

  @Override
  public List<ConfigSection<?>> sections() {
    return List.of(SECTION);
  }

  @Override
  public Optional<String> missingInputs(RunContext ctx) {
    return ctx.missingSilver(Contract.Customers.NAME, Contract.Sales.NAME);
  }

  /** The {@code features:} section as settings; defaults where a key is absent. */
  static final ConfigSection<Settings> SECTION = new ConfigSection<>("features", Settings.class, (section, c) -> {
    section.allowOnly(Set.of(WINDOWS_DAYS, ACTIVITY_WINDOWS_DAYS));
    return new Settings(
        days(c, section.child(WINDOWS_DAYS), Settings.DEFAULTS.windowsDays()),
        days(c, section.child(ACTIVITY_WINDOWS_DAYS), Settings.DEFAULTS.activityWindowsDays()));
  });

  private static List<Integer> days(ConfigSection.Context config, ConfigNode node, List<Integer> defaults) {
    if (node.isMissing()) {
      return defaults;
    }
    if (node.isObject()) {
      throw node.error("expected a list of whole numbers of days, e.g. [90, 365, 730]");
    }
    List<String> typed = node.stringList(defaults.stream().map(String::valueOf).toList());
    if (typed.isEmpty()) {
      throw node.error("needs at least one window in days, e.g. [90, 365, 730]");
    }
    List<Integer> out = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < typed.size(); i++) {
      String key = node.isScalar() ? node.path() : node.path() + "[" + i + "]";
      String value = typed.get(i).trim();
      int days;
      try {
        days = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new ConfigError(config.source(), key, "expected a whole number of days, found '" + value + "'");
      }
      if (days < 1 || days > Settings.MAX_WINDOW_DAYS) {
        throw new ConfigError(config.source(), key,
            "must be between 1 and " + Settings.MAX_WINDOW_DAYS + " days, found " + days);
      }
      if (!seen.add(days)) {
        throw new ConfigError(config.source(), key, days + " days is listed twice");
      }
      out.add(days);
    }
    return out;
  }

  @Override
  public void run(RunContext ctx) {
    Settings settings = ctx.config().settings(Settings.class);
    Console.Stage st = ctx.begin(NAME, "customer snapshot as of " + ctx.config().asOf());
    List<String> absent = new ArrayList<>();
    Map<String, Dataset<Row>> silver = ctx.silverTables(CustomerSnapshot.INPUT_TABLES, NAME, absent);
    Dataset<Row> snapshot = CustomerSnapshot.transform(silver, ctx.config().asOf(), settings);
    Publication publication = ctx.publication();
    publication.stage(Output.SNAPSHOT, snapshot);
    long customers = silver.get(Contract.Customers.NAME).count();
    long rows = publication.rows(Output.SNAPSHOT);
    publication.commit();
    st.done(customers, rows, absent.isEmpty() ? "" : "no data for " + String.join(", ", absent) + " (features null)");
  }
}
