package org.crmanalytics.jobs.runner;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.io.AtomicOutput;
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.jobs.io.OutputLayout;
import org.crmanalytics.jobs.io.RunManifest;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.ContractTable;

/** What a stage gets: the session, the validated config, where to write, and the run's record. */
public record RunContext(
    SparkSession spark,
    PipelineConfig config,
    OutputLayout layout,
    AtomicOutput output,
    RunManifest manifest,
    Console console,
    List<String> outputs,
    Map<String, StageOutcome> outcomes) {

  public RunContext(SparkSession spark, PipelineConfig config, OutputLayout layout, RunManifest manifest,
      Console console) {
    this(spark, config, layout, new AtomicOutput(spark.sparkContext().hadoopConfiguration()), manifest,
        console, new ArrayList<>(), new LinkedHashMap<>());
  }

  /**
   * How a stage of this run ended, when it ran earlier in this run: a stage tells the user why an
   * optional input is absent with it (for example churn withheld, and why).
   */
  public Optional<StageOutcome> outcome(String stage) {
    return Optional.ofNullable(outcomes.get(stage));
  }

  public String runId() {
    return layout.runId();
  }

  /**
   * The silver table of this run's as_of, if ingest wrote it. Stages that follow ingest read
   * their inputs here, so an optional table that is absent is simply empty.
   */
  public Optional<Dataset<Row>> silver(String table) {
    String path = layout.silver(table);
    return output.exists(path) ? Optional.of(spark.read().parquet(path)) : Optional.empty();
  }

  /** A silver table the stage cannot do without, or an error that says how to get it. */
  public Dataset<Row> requiredSilver(String table, String stage) {
    return silver(table).orElseThrow(() -> new UserError(stage + " needs the silver table "
        + table + " at " + layout.silver(table) + "; run the ingest stage for as_of " + config.asOf()
        + " first (bin/crm-analytics run --stages ingest," + stage + ")"));
  }

  /**
   * The reason a stage cannot run when one of these silver tables of this as_of is absent, for
   * {@link PipelineStage#missingInputs}; empty when all are there.
   */
  public Optional<String> missingSilver(String... tables) {
    List<String> absent = new ArrayList<>();
    for (String table : tables) {
      if (!output.exists(layout.silver(table))) {
        absent.add(table + " (" + layout.silver(table) + ")");
      }
    }
    return absent.isEmpty() ? Optional.empty()
        : Optional.of("no silver table " + String.join(", ", absent) + " for as_of " + config.asOf()
            + "; the ingest stage writes it");
  }

  /**
   * The silver tables of {@code tables}: the contract's required ones or an error naming
   * {@code stage}, the optional ones when ingested (the names of those absent are added to
   * {@code absent}).
   */
  public Map<String, Dataset<Row>> silverTables(Collection<String> tables, String stage, List<String> absent) {
    Map<String, Dataset<Row>> out = new LinkedHashMap<>();
    for (ContractTable table : Contract.TABLES) {
      if (!tables.contains(table.name())) {
        continue;
      }
      if (table.required()) {
        out.put(table.name(), requiredSilver(table.name(), stage));
      } else {
        silver(table.name()).ifPresentOrElse(t -> out.put(table.name(), t), () -> absent.add(table.name()));
      }
    }
    return out;
  }

  /** Where {@code output} of this run's as_of lives. */
  public String path(Output output) {
    return output.path(layout);
  }

  /** An earlier stage's output of this as_of, when it is there. */
  public Optional<Dataset<Row>> read(Output output) {
    String path = path(output);
    return this.output.exists(path) ? Optional.of(spark.read().parquet(path)) : Optional.empty();
  }

  /** An earlier stage's output that {@code stage} cannot do without, or an error that says how to get it. */
  public Dataset<Row> require(Output output, String stage) {
    return read(output).orElseThrow(() -> new UserError(stage + " needs " + output.label() + " at " + path(output)
        + "; run the " + output.producer() + " stage for as_of " + config.asOf() + " first (bin/crm-analytics run "
        + "--stages " + output.producer() + "," + stage + ")"));
  }

  /** The earlier stages' outputs of this as_of that are absent, as a reason to skip a stage. */
  public Optional<String> missing(Output... outputs) {
    List<String> absent = new ArrayList<>();
    for (Output o : outputs) {
      if (!output.exists(path(o))) {
        absent.add(path(o) + " (the " + o.producer() + " stage writes it)");
      }
    }
    return absent.isEmpty() ? Optional.empty()
        : Optional.of("no " + String.join(", ", absent) + " for as_of " + config.asOf());
  }

  /** The publish step for a stage's outputs: stage each, then commit them together. */
  public Publication publication() {
    return new Publication(this);
  }

  /**
   * Begins a stage's (or a part's) work: its line on the console, and its name on the Spark jobs it
   * starts (the UI and the event log group them by it).
   */
  public Console.Stage begin(String name, String description) {
    Console.Stage stage = console.stage(name, spark);
    spark.sparkContext().setJobGroup(name.replace(' ', '-'), description, false);
    return stage;
  }

  /** Records a finding the user must see (degenerate fit, fallback) in the manifest and on the console. */
  public void flag(String stage, String code, String message) {
    manifest.flag(stage, code, message);
    console.warn(stage + ": " + message);
  }

  /** Records a committed output for the manifest. */
  public synchronized void committed(String path) {
    outputs.add(path);
  }

  /** Records a committed dataset and its rows for the manifest. */
  public synchronized void committed(String path, long rows) {
    outputs.add(path);
    manifest.outputRows(path, rows);
  }
}
