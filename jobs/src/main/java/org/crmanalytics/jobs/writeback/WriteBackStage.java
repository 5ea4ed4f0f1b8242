package org.crmanalytics.jobs.writeback;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.config.ConfigSection;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.jobs.runner.Input;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.jobs.runner.RunContext;

/**
 * Write-back: reads {@code scores/customer_scores/as_of=D} and sends it to every configured target:
 * the CRM database ({@link CrmWriteBack}), a CSV file for a CRM import and a Parquet copy
 * ({@link FileExport}), in the order of {@code writeback.target}. With {@code writeback.invoices},
 * the database also gets {@code payment_risk/invoices/as_of=D}, the open-invoice list, and with
 * {@code writeback.cross_sell} {@code cross_sell/recommendations/as_of=D}, each in a table of its
 * own, after the scores and in the same way.
 */
public final class WriteBackStage implements PipelineStage {
  public static final String NAME = "writeback";
  /** The flag of a run whose open-invoice list was not written (no payment_risk/invoices). */
  public static final String INVOICES_NOT_WRITTEN = NAME + ".invoices_not_written";
  /** The flag of a run whose cross-sell recommendations were not written (no cross_sell/recommendations). */
  public static final String CROSS_SELL_NOT_WRITTEN = NAME + ".cross_sell_not_written";

  /**
   * A list the database gets after the scores, in a table of its own: where it is read, the flag of
   * a run without it, what it is in messages and how its result reads.
   */
  private record ListTable(CrmDataset dataset, Output output, String flag, String noun, String result) {
    static final List<ListTable> ALL = List.of(
        new ListTable(CrmDataset.OPEN_INVOICES, Output.PAYMENT_RISK_INVOICES, INVOICES_NOT_WRITTEN, "open-invoice list",
            "%,d open invoices, %,d changed, %,d no longer open removed"),
        new ListTable(CrmDataset.CROSS_SELL_RECOMMENDATIONS, Output.CROSS_SELL_RECOMMENDATIONS, CROSS_SELL_NOT_WRITTEN,
            "cross-sell recommendation list", "%,d recommendations, %,d changed, %,d no longer recommended removed"));

    static ListTable of(CrmDataset dataset) {
      return ALL.stream().filter(l -> l.dataset == dataset).findFirst().orElseThrow();
    }
  }

  private final UnaryOperator<WriteBackConfig> adjust;

  public WriteBackStage() {
    this(UnaryOperator.identity());
  }

  private WriteBackStage(UnaryOperator<WriteBackConfig> adjust) {
    this.adjust = adjust;
  }

  /** A stage that writes even a run older than the CRM's latest (--force). */
  public static WriteBackStage forced() {
    return new WriteBackStage(WriteBackConfig::withForce);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Input> reads() {
    return List.of(Input.required(Output.CUSTOMER_SCORES), Input.optional(Output.PAYMENT_RISK_INVOICES),
        Input.optional(Output.CROSS_SELL_RECOMMENDATIONS));
  }

  @Override
  public List<String> produces(PipelineConfig config) {
    WriteBackConfig c = settings(config);
    List<String> out = new ArrayList<>();
    for (WriteBackConfig.Sink s : c.sinks()) {
      switch (s) {
        case CSV -> out.add(Output.SCORES_CSV.at(config.asOf()));
        case PARQUET -> out.add(Output.SCORES_PARQUET.at(config.asOf()));
        case JDBC -> {
          out.add("database table " + c.jdbc().orElseThrow().describe() + " (and its history and run log)");
          c.invoices().ifPresent(i -> out.add("database table " + i.describe() + " (the open invoices)"));
          c.crossSell().ifPresent(i -> out.add("database table " + i.describe() + " (the cross-sell recommendations)"));
        }
      }
    }
    return out;
  }

  @Override
  public List<ConfigSection<?>> sections() {
    return List.of(WriteBackConfig.SECTION);
  }

  WriteBackConfig settings(PipelineConfig config) {
    return adjust.apply(config.settings(WriteBackConfig.class));
  }

  @Override
  public void run(RunContext ctx) {
    WriteBackConfig settings = settings(ctx.config());
    LocalDate asOf = ctx.config().asOf();
    SparkSession spark = ctx.spark();
    Console.Stage stage = ctx.begin(NAME, "write-back of customer_scores as of " + asOf);

    Dataset<Row> scores = ctx.require(Output.CUSTOMER_SCORES, NAME);
    List<String> notes = new ArrayList<>();
    long rows = -1;
    for (WriteBackConfig.Sink sink : settings.sinks()) {
      switch (sink) {
        case JDBC -> {
          CrmWriteBack.Result r = new CrmWriteBack(settings, ctx.console()::info).write(scores, asOf);
          rows = r.rows();
          notes.add(String.format(Locale.ROOT, "-> %s (%,d changed, %,d unchanged, %,d stale, %,d history rows)",
              r.table(), r.upserted(), r.unchanged(), r.stale(), r.historyAdded()));
          for (Optional<WriteBackConfig.Jdbc> list : List.of(settings.invoices(), settings.crossSell())) {
            list.ifPresent(table -> notes.add(writeList(ctx, settings, table, r.runId())));
          }
        }
        case CSV -> {
          String file = ctx.path(Output.SCORES_CSV);
          FileExport.csv(scores, settings.decimalComma(), ctx.layout().staged(file),
              file, spark.sparkContext().hadoopConfiguration());
          ctx.committed(file);
          notes.add("-> " + Output.SCORES_CSV.at(asOf));
        }
        case PARQUET -> {
          String folder = ctx.path(Output.SCORES_PARQUET);
          String staged = ctx.layout().staged(folder);
          FileExport.parquet(scores, staged);
          ctx.output().commit(staged, folder);
          ctx.committed(folder);
          notes.add("-> " + Output.SCORES_PARQUET.at(asOf));
        }
      }
    }
    if (rows < 0) {
      rows = scores.count();
    }
    stage.done(rows, rows, String.join("; ", notes));
  }

  /**
   * A list (the open invoices, the cross-sell recommendations) into its CRM table, under the run id of
   * the scores just written. Without the list of this as_of the scores still count as written: a flag
   * says why the list was not, and the table keeps its previous list.
   */
  private static String writeList(RunContext ctx, WriteBackConfig settings, WriteBackConfig.Jdbc table, String runId) {
    LocalDate asOf = ctx.config().asOf();
    ListTable what = ListTable.of(table.dataset());
    Optional<Dataset<Row>> list = ctx.read(what.output());
    if (list.isEmpty()) {
      String producer = what.output().producer();
      String why = ctx.missing(what.output()).orElse(table.dataset().title() + " is absent")
          + ctx.outcome(producer).filter(o -> !o.succeeded())
              .map(o -> " (" + o.stage() + " " + o.status() + (o.reason() == null ? "" : ": " + o.reason()) + ")").orElse("");
      ctx.flag(NAME, what.flag(), "the " + what.noun() + " was not written to " + table.table() + ": " + why
          + ". The customer scores were written; " + table.table() + " keeps its previous list. Run " + producer
          + " for as_of " + asOf + ", then the write-back again (bin/crm-analytics run --stages " + producer
          + ",writeback)");
      return "-> " + table.table() + " not written (no " + what.noun() + ")";
    }
    CrmWriteBack.Result r = new CrmWriteBack(table, settings.retry(), settings.force(), ctx.console()::info)
        .write(list.get(), asOf, runId);
    return "-> " + table.table() + " (" + String.format(Locale.ROOT, what.result(), r.rows(), r.upserted(), r.stale()) + ")";
  }
}
