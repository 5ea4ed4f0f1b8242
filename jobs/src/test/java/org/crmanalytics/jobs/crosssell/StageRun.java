package org.crmanalytics.jobs.crosssell;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.cli.Pipeline;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.runner.PipelineRunner;
import org.crmanalytics.jobs.runner.PipelineStage;

/** Stages of the pipeline (and train-cross_sell) run in-process on silver under {@code out} (sample config, as of 2025-12-31). */
record StageRun(JsonNode manifest, String console) {
  static final ObjectMapper JSON = new ObjectMapper();

  static StageRun of(SparkSession spark, Path out, List<String> stages) throws IOException {
    Path file = out.resolve("config.yaml");
    Files.writeString(file, """
        as_of: 2025-12-31
        tables:
          customers: {path: unused/customers.csv}
          sales: {path: unused/sales.csv}
        """);
    PipelineConfig config = Pipeline.configLoader(Map.of()).load(file).withOutput(out);
    List<PipelineStage> ordered = stages.stream().map(s -> s.equals(CrossSellTrainingJob.NAME)
        ? new CrossSellTrainingJob() : Pipeline.graph().stage(s)).toList();
    // As in a run that ingests: the quality gate's observation puts an ObservationManager into the
    // session, and a task that carries the session (a fitted regression's summary) then fails.
    Observation observed = new Observation("ingest-like");
    spark.range(1).observe(observed, count(lit(1))).count();
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    String path = new PipelineRunner(new Console(new PrintStream(text, true, StandardCharsets.UTF_8),
        Console.Verbosity.NORMAL)).run(spark, config, ordered, "test");
    return new StageRun(JSON.readTree(Files.readString(Path.of(java.net.URI.create(path)))),
        text.toString(StandardCharsets.UTF_8));
  }
}
