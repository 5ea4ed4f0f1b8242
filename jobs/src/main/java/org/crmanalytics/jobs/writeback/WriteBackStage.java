package org.crmanalytics.jobs.writeback;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.models.scores.CustomerScores;

/**
 * Write-back: reads {@code scores/customer_scores/as_of=D} and sends it to every configured target:
 * the CRM database ({@link CrmWriteBack}), a CSV file for a CRM import and a Parquet copy
 * ({@link FileExport}), in the order of {@code writeback.target}.
 */
public final class WriteBackStage implements PipelineStage {
  public static final String NAME = "writeback";
  /** The stage whose output this one reads. */
  public static final String NEEDS = "scores";

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
  public List<String> needs() {
    return List.of(NEEDS);
  }

  @Override
  public List<String> produces(PipelineConfig config) {
    WriteBackConfig c = settings(config);
    List<String> out = new ArrayList<>();
    for (WriteBackConfig.Sink s : c.sinks()) {
      switch (s) {
        case CSV -> out.add(FileExport.csvFile(config.asOf()));
        case PARQUET -> out.add(FileExport.parquetFolder(config.asOf()));
        case JDBC -> out.add("database table " + c.jdbc().orElseThrow().describe() + " (and its history and run log)");
      }
    }
    return out;
  }

  @Override
  public void check(PipelineConfig config) {
    settings(config);
  }

  WriteBackConfig settings(PipelineConfig config) {
    return adjust.apply(WriteBackConfig.of(config));
  }

  @Override
  public void run(RunContext ctx) {
    WriteBackConfig settings = settings(ctx.config());
    LocalDate asOf = ctx.config().asOf();
    SparkSession spark = ctx.spark();
    Console.Stage stage = ctx.console().stage(NAME, spark);
    spark.sparkContext().setJobGroup(NAME, "write-back of customer_scores as of " + asOf, false);

    String input = ctx.layout().root() + "/" + CustomerScores.folder(asOf);
    if (!ctx.output().exists(input)) {
      throw new UserError("writeback needs customer_scores at " + input + "; run the scores stage for as_of " + asOf
          + " first (bin/crm-analytics run --stages " + NEEDS + "," + NAME + ")");
    }
    Dataset<Row> scores = spark.read().parquet(input);
    List<String> notes = new ArrayList<>();
    long rows = -1;
    for (WriteBackConfig.Sink sink : settings.sinks()) {
      switch (sink) {
        case JDBC -> {
          CrmWriteBack.Result r = new CrmWriteBack(settings, ctx.console()::info).write(scores, asOf);
          rows = r.customers();
          notes.add(String.format(Locale.ROOT, "-> %s (%,d changed, %,d stale, %,d history rows)", r.table(),
              r.upserted(), r.markedStale(), r.historyAdded()));
        }
        case CSV -> {
          String file = ctx.layout().root() + "/" + FileExport.csvFile(asOf);
          FileExport.csv(scores, settings.decimalComma(), ctx.layout().staged(file),
              file, spark.sparkContext().hadoopConfiguration());
          ctx.committed(file);
          notes.add("-> " + FileExport.csvFile(asOf));
        }
        case PARQUET -> {
          String folder = ctx.layout().root() + "/" + FileExport.parquetFolder(asOf);
          String staged = ctx.layout().staged(folder);
          FileExport.parquet(scores, staged);
          ctx.output().commit(staged, folder);
          ctx.committed(folder);
          notes.add("-> " + FileExport.parquetFolder(asOf));
        }
      }
    }
    if (rows < 0) {
      rows = scores.count();
    }
    stage.done(rows, rows, String.join("; ", notes));
  }
}
