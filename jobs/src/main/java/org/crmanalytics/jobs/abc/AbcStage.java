package org.crmanalytics.jobs.abc;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.months_between;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.base.Bundles;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.config.ConfigSection;
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.jobs.runner.Input;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.jobs.runner.Publication;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.models.abc.AbcClassification.PaymentTables;
import org.crmanalytics.models.abc.AbcClassification.PreviousRun;
import org.crmanalytics.models.abc.AbcClassification;
import org.crmanalytics.models.abc.AbcOutput;
import org.crmanalytics.models.abc.AbcSettings.Measure;
import org.crmanalytics.models.abc.AbcSettings;
import org.crmanalytics.models.abc.AbcWording;
import org.crmanalytics.models.contract.Contract;

/**
 * A–E classification: reads the silver tables of this as_of (customers and sales; invoices and
 * payments when both were ingested), classifies every customer, compares with the latest earlier
 * abc output, and writes the customer classes and the migration matrix, each atomically.
 */
public final class AbcStage implements PipelineStage {
  public static final String NAME = "abc";

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
    return List.of(AbcConfig.SECTION);
  }

  @Override
  public Optional<String> missingInputs(RunContext ctx) {
    return ctx.missingSilver(Contract.Customers.NAME, Contract.Sales.NAME);
  }

  @Override
  public void run(RunContext ctx) {
    AbcSettings settings = ctx.config().settings(AbcSettings.class);
    SparkSession spark = ctx.spark();
    Console.Stage stage = ctx.begin(NAME, "A-E classification as of " + settings.asOf());

    Dataset<Row> customers = ctx.requiredSilver(Contract.Customers.NAME, NAME);
    Dataset<Row> sales = ctx.requiredSilver(Contract.Sales.NAME, NAME);
    Optional<Dataset<Row>> invoices = ctx.silver(Contract.Invoices.NAME);
    Optional<Dataset<Row>> payments = ctx.silver(Contract.Payments.NAME);
    Optional<PaymentTables> paymentTables = invoices.isPresent() && payments.isPresent()
        ? Optional.of(new PaymentTables(invoices.get(), payments.get())) : Optional.empty();
    List<String> notes = new ArrayList<>();
    if (paymentTables.isEmpty()) {
      ctx.console().detail("abc: no invoices and payments in silver: the score has no payment component");
    }
    if (settings.measure() == Measure.MARGIN) {
      notes.addAll(checkMargin(sales, settings));
    }
    Optional<PreviousRun> previous = previousRun(ctx, settings.asOf());
    previous.ifPresentOrElse(
        p -> notes.add("previous run " + p.asOf()),
        () -> notes.add("no previous run"));

    Publication publication = ctx.publication();
    Dataset<Row> classified = publication.stage(Output.ABC_CUSTOMERS,
        AbcClassification.transform(customers, sales, paymentTables, previous, settings, wording(Locale.ENGLISH,
            ctx.config().currency()), wording(Locale.GERMAN, ctx.config().currency())));
    // The migration reads the staged classes back instead of recomputing the classification.
    publication.stage(Output.ABC_MIGRATION, AbcClassification.migration(classified, previous));

    long customersIn = customers.count();
    long customersOut = 0;
    List<String> distribution = new ArrayList<>();
    // One row per class: at most five rows reach the driver.
    for (Row r : classified.groupBy(col(AbcOutput.Customers.CLASS))
        .agg(count(lit(1)), sum(col(AbcOutput.Customers.VALUE)))
        .orderBy(col(AbcOutput.Customers.CLASS)).collectAsList()) {
      customersOut += r.getLong(1);
      distribution.add(String.format(Locale.ROOT, "%s %,d", r.getString(0), r.getLong(1)));
    }
    publication.commit();
    notes.add(0, String.join(", ", distribution));
    stage.done(customersIn, customersOut, String.join("; ", notes));
  }

  /**
   * Margin needs cost_amount: with none in the window every customer would have margin 0 and land
   * in the last class, so that is an error; lines without it are left out of the margin and counted.
   */
  private static List<String> checkMargin(Dataset<Row> sales, AbcSettings settings) {
    if (sales.schema().getFieldIndex(Contract.Sales.COST_AMOUNT).isEmpty()) {
      throw new UserError("abc.measure: margin needs sales.cost_amount, which the sales table does not have; "
          + "map cost_amount in tables.sales.columns or set abc.measure: revenue");
    }
    var asOf = to_date(lit(settings.asOf().toString()));
    Row r = sales.filter(col(Contract.Sales.ORDER_DATE).leq(asOf)
            .and(floor(months_between(asOf, col(Contract.Sales.ORDER_DATE))).lt(settings.windowMonths())))
        .agg(count(lit(1)), count(col(Contract.Sales.COST_AMOUNT)))
        .first();
    long lines = r.getLong(0);
    long withCost = r.getLong(1);
    if (lines > 0 && withCost == 0) {
      throw new UserError("abc.measure: margin needs sales.cost_amount, but none of the " + lines
          + " sales lines of the window has one; map cost_amount or set abc.measure: revenue");
    }
    return lines == withCost ? List.of()
        : List.of(String.format(Locale.ROOT, "%,d of %,d lines without cost_amount left out of the margin",
            lines - withCost, lines));
  }

  /** The latest abc output under the output root with an as_of before this one. */
  static Optional<PreviousRun> previousRun(RunContext ctx, LocalDate asOf) {
    String root = ctx.layout().root();
    Optional<LocalDate> latest = previousAsOf(ctx.spark(), Output.ABC_CUSTOMERS.history(root), asOf);
    return latest.map(d -> new PreviousRun(d,
        ctx.spark().read().parquet(root + "/" + Output.ABC_CUSTOMERS.at(d))));
  }

  static Optional<LocalDate> previousAsOf(SparkSession spark, String folder, LocalDate asOf) {
    try {
      Path root = new Path(folder);
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(root)) {
        return Optional.empty();
      }
      LocalDate best = null;
      for (FileStatus s : fs.listStatus(root)) {
        String name = s.getPath().getName();
        if (!s.isDirectory() || !name.startsWith("as_of=")) {
          continue; // also skips ".as_of=...replaced-..." left by an interrupted commit
        }
        try {
          LocalDate d = LocalDate.parse(name.substring("as_of=".length()));
          if (d.isBefore(asOf) && (best == null || d.isAfter(best))) {
            best = d;
          }
        } catch (DateTimeParseException e) {
          // not an output of this stage
        }
      }
      return Optional.ofNullable(best);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
  }

  /** The reasons' words in one language, from {@code i18n/abc_<lang>.properties}, amounts in {@code currency}. */
  static AbcWording wording(Locale locale, String currency) {
    Map<String, String> texts = new java.util.HashMap<>(Bundles.load("abc", locale));
    texts.put("money", Bundles.currencyTemplate(texts, "money", locale, currency));
    return new AbcWording(texts, ",".equals(texts.get("number.decimal")));
  }
}
