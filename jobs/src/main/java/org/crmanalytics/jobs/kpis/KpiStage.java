package org.crmanalytics.jobs.kpis;

import static org.apache.spark.sql.functions.lit;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.config.ConfigNode;
import org.crmanalytics.jobs.config.ConfigSection;
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.jobs.runner.Input;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.jobs.runner.Publication;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.kpis.KpiInputs;
import org.crmanalytics.models.kpis.KpiSettings.Dimension;
import org.crmanalytics.models.kpis.KpiSettings.PeriodType;
import org.crmanalytics.models.kpis.KpiSettings;
import org.crmanalytics.models.kpis.SalesControllingKpis;

/**
 * Sales-controlling KPIs: reads the silver tables of the run's as_of that exist, computes the
 * KPIs (docs/kpis.md) and the escalation list of overdue tickets, and commits both atomically.
 */
public final class KpiStage implements PipelineStage {
  public static final String NAME = "kpis";

  private static final String OBJECT_AGGREGATE_FALLBACK = "spark.sql.objectHashAggregate.sortBased.fallbackThreshold";
  private static final String SLICES_PER_TASK = "100000";

  static final String PERIODS = "periods";
  static final String DIMENSIONS = "dimensions";
  static final String HISTORY_MONTHS = "history_months";
  static final String TOP_CUSTOMER_PERCENT = "top_customer_percent";
  static final String CHURN = "churn";
  static final String LOOKBACK_MONTHS = "lookback_months";

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

  /** The {@code kpis:} section as settings; every error names the key as typed. */
  static final ConfigSection<KpiSettings> SECTION =
      new ConfigSection<>("kpis", KpiSettings.class, (section, context) -> settings(section));

  private static KpiSettings settings(ConfigNode section) {
    section.allowOnly(Set.of(PERIODS, DIMENSIONS, HISTORY_MONTHS, TOP_CUSTOMER_PERCENT, CHURN));
    KpiSettings defaults = KpiSettings.defaults();
    List<PeriodType> periods = names(section.child(PERIODS), PeriodType.class, PeriodType::id, "period");
    List<Dimension> dimensions = names(section.child(DIMENSIONS), Dimension.class, Dimension::id, "dimension");
    int history = bounded(section.child(HISTORY_MONTHS), defaults.historyMonths(), 1, KpiSettings.MAX_HISTORY_MONTHS);
    int top = bounded(section.child(TOP_CUSTOMER_PERCENT), defaults.topCustomerPercent(), 1, 100);
    ConfigNode churn = section.child(CHURN).allowOnly(Set.of(LOOKBACK_MONTHS));
    int lookback = bounded(churn.child(LOOKBACK_MONTHS), defaults.churnLookbackMonths(), 1,
        KpiSettings.MAX_CHURN_LOOKBACK_MONTHS);
    return new KpiSettings(periods, dimensions, history, lookback, top);
  }

  /** A list of known names; all of them, in declaration order, when the key is absent. */
  private static <E extends Enum<E>> List<E> names(ConfigNode node, Class<E> type, Function<E, String> id,
      String what) {
    E[] all = type.getEnumConstants();
    List<String> known = Arrays.stream(all).map(id).toList();
    List<String> typed = node.stringList(known);
    if (typed.isEmpty()) {
      throw node.error("is empty; name at least one " + what + " of " + String.join(", ", known));
    }
    Set<E> out = new LinkedHashSet<>();
    for (String name : typed) {
      String wanted = name.trim().toLowerCase(Locale.ROOT);
      E match = Arrays.stream(all).filter(e -> id.apply(e).equals(wanted)).findFirst()
          .orElseThrow(() -> node.error("'" + name + "' is not a " + what + "; " + what + "s are "
              + String.join(", ", known)));
      if (!out.add(match)) {
        throw node.error("names " + wanted + " twice");
      }
    }
    return new ArrayList<>(out);
  }

  private static int bounded(ConfigNode node, int defaultValue, int min, int max) {
    long value = node.optLong().orElse((long) defaultValue);
    if (value < min || value > max) {
      throw node.error("must be between " + min + " and " + max + ", found " + value);
    }
    return (int) value;
  }

  @Override
  public Optional<String> missingInputs(RunContext ctx) {
    return ctx.missingSilver(Contract.Customers.NAME, Contract.Sales.NAME);
  }

  @Override
  public void run(RunContext ctx) {
    KpiSettings settings = ctx.config().settings(KpiSettings.class);
    LocalDate asOf = ctx.config().asOf();
    SparkSession spark = ctx.spark();
    Console.Stage stage = ctx.begin(NAME, "sales-controlling KPIs as of " + asOf);

    List<String> absent = new ArrayList<>();
    Map<String, Dataset<Row>> tables = ctx.silverTables(KpiInputs.TABLES, NAME, absent);
    if (!absent.isEmpty()) {
      ctx.console().detail("kpis: absent (optional, their KPIs are skipped): " + String.join(", ", absent));
    }
    // Parquet footers: cheap; one job for all tables instead of one per table.
    long rowsIn = tables.values().stream().map(t -> t.select(lit(1))).reduce(Dataset::union).orElseThrow().count();
    KpiInputs inputs = KpiInputs.of(tables);

    Publication publication = ctx.publication();
    // Read by the revenue, concentration, churn and new-customer KPIs: the sales lines are summed once.
    Dataset<Row> salesMonths = SalesControllingKpis.salesMonths(inputs, asOf).persist(StorageLevel.MEMORY_AND_DISK());
    RuntimeConfig conf = spark.conf();
    String fallback = conf.contains(OBJECT_AGGREGATE_FALLBACK) ? conf.get(OBJECT_AGGREGATE_FALLBACK) : null;
    try {
      // Concentration and the medians collect each slice's values. Past 128 slices in a task
      // (Spark's default) the collecting aggregate falls back to sorting every row by the slice's
      // names, which costs more than all the rest; the slices are a few thousand.
      conf.set(OBJECT_AGGREGATE_FALLBACK, SLICES_PER_TASK);
      String families = ctx.layout().staging() + "/kpi-families";
      publication.stage(Output.KPI_VALUES, SalesControllingKpis.transform(inputs, salesMonths, asOf, settings,
          parts -> ctx.output().stageParts(parts, families)));
    } finally {
      if (fallback == null) {
        conf.unset(OBJECT_AGGREGATE_FALLBACK);
      } else {
        conf.set(OBJECT_AGGREGATE_FALLBACK, fallback);
      }
      salesMonths.unpersist(false);
    }
    publication.stage(Output.KPI_ESCALATIONS, SalesControllingKpis.escalations(inputs, asOf));
    long rowsOut = publication.rows(Output.KPI_VALUES);
    long overdue = publication.rows(Output.KPI_ESCALATIONS);
    publication.commit();
    stage.done(rowsIn, rowsOut, inputs.tickets().isEmpty() ? "no tickets table: no escalations"
        : String.format(Locale.ROOT, "%,d overdue %s", overdue, overdue == 1 ? "ticket" : "tickets"));
  }

}
