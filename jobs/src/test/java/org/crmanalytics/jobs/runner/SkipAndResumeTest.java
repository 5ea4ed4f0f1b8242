package org.crmanalytics.jobs.runner;

import org.crmanalytics.jobs.cli.Pipeline;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.abc.AbcStage;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.RunRefused;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.features.FeaturesStage;
import org.crmanalytics.jobs.kpis.KpiStage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner skips stages whose inputs are absent (and the stages that need them) and resumes a
 * failed run from its manifest: real Spark, real Parquet outputs, the manifests as written.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class SkipAndResumeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SparkSession spark;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
  }

  /**
   * A test stage that writes one row carrying its run id to {@code marker/<name>/as_of=<date>}, so
   * the output says which run wrote it. It can be told to fail, or to need a file that is absent.
   */
  private record MarkerStage(String name, List<String> needs, List<String> optionalNeeds, String ending,
      String requiredInput) implements PipelineStage {
    static MarkerStage of(String name, String... needs) {
      return new MarkerStage(name, List.of(needs), List.of(), null, null);
    }

    MarkerStage failingOnce() {
      return new MarkerStage(name, needs, optionalNeeds, "fail", requiredInput);
    }

    /** Finds that the whole run is pointless, as ingest does with an as_of far after the newest sale. */
    MarkerStage refusing() {
      return new MarkerStage(name, needs, optionalNeeds, "refuse", requiredInput);
    }

    /** Runs and then publishes nothing, as churn does with a model that is not promoted. */
    MarkerStage withheld() {
      return new MarkerStage(name, needs, optionalNeeds, "withhold", requiredInput);
    }

    MarkerStage requiring(String relativePath) {
      return new MarkerStage(name, needs, optionalNeeds, ending, relativePath);
    }

    /** These of its needs are optional. */
    MarkerStage optional(String... optional) {
      return new MarkerStage(name, needs, List.of(optional), ending, requiredInput);
    }

    @Override
    public List<String> produces(PipelineConfig config) {
      return List.of(folder(name, config));
    }

    static String folder(String name, PipelineConfig config) {
      return "marker/" + name + "/as_of=" + config.asOf();
    }

    @Override
    public Optional<String> missingInputs(RunContext ctx) {
      if (requiredInput == null || ctx.output().exists(ctx.layout().root() + "/" + requiredInput)) {
        return Optional.empty();
      }
      return Optional.of("test input " + requiredInput + " is absent");
    }

    @Override
    public void run(RunContext ctx) {
      if ("fail".equals(ending)) {
        throw new IllegalStateException("injected failure in stage " + name);
      }
      if ("refuse".equals(ending)) {
        throw new RunRefused("test stage " + name + " refuses the run");
      }
      if ("withhold".equals(ending)) {
        throw new StageWithheld("test stage " + name + " publishes nothing");
      }
      String path = ctx.layout().root() + "/" + folder(name, ctx.config());
      String staged = ctx.layout().staged(path);
      ctx.output().stage(ctx.spark().range(1).withColumn("run_id", lit(ctx.runId())), staged);
      ctx.output().commit(staged, path);
      ctx.committed(path);
    }
  }

  private static PipelineConfig config(Path dir, String asOf) throws IOException {
    Path file = dir.resolve("pipeline.yaml");
    if (!Files.exists(file)) {
      Files.writeString(file, "tables: {customers: {path: c.csv}, sales: {path: s.csv}}\n");
    }
    return Pipeline.configLoader(Map.of()).load(file).withOutput(dir.resolve("out"))
        .withAsOf(java.time.LocalDate.parse(asOf));
  }

  private static PipelineRunner runner(ByteArrayOutputStream printed) {
    return new PipelineRunner(new Console(new PrintStream(printed, true, StandardCharsets.UTF_8),
        Console.Verbosity.NORMAL));
  }

  private static JsonNode manifest(String path) throws IOException {
    return JSON.readTree(Files.readString(Path.of(java.net.URI.create(path))));
  }

  /** stage -> status, in the order the manifest lists them. */
  private static Map<String, String> statuses(JsonNode manifest) {
    Map<String, String> out = new LinkedHashMap<>();
    manifest.get("stages").forEach(s -> out.put(s.get("stage").asText(), s.get("status").asText()));
    return out;
  }

  private static String writtenBy(PipelineConfig config, String stage) {
    return spark.read().parquet(config.output() + "/" + MarkerStage.folder(stage, config))
        .first().getAs("run_id");
  }

  /** The modification times of an output's data files: unchanged when the output was not rewritten. */
  private static List<FileTime> fileTimes(PipelineConfig config, String stage) throws IOException {
    List<FileTime> times = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of(config.output(), MarkerStage.folder(stage, config)))) {
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().toList()) {
        times.add(Files.getLastModifiedTime(f));
      }
    }
    assertFalse(times.isEmpty(), "no Parquet files in the output of " + stage);
    return times;
  }

  @Test
  void aFailedStageSkipsOnlyItsDependantsAndTheResumeRunsWhatDidNotSucceed(@TempDir Path dir) throws Exception {
    PipelineConfig config = config(dir, "2025-12-31");
    MarkerStage a = MarkerStage.of("a");
    MarkerStage b = MarkerStage.of("b", "a");
    MarkerStage c = MarkerStage.of("c", "b");
    MarkerStage d = MarkerStage.of("d", "a");
    StageGraph broken = new StageGraph(List.of(a, b.failingOnce(), c, d));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    // b fails: c, which requires it, is skipped; d, which does not, still runs.
    PipelineRunner first = runner(printed);
    String firstPath = first.run(spark, config, broken.ordered(List.of()), "run");
    assertEquals(PipelineRunner.PARTIAL, first.lastStatus());
    Path runs = dir.resolve("out/runs");
    JsonNode firstManifest = manifest(firstPath);
    String firstId = firstManifest.get("run_id").asText();
    assertEquals("partial", firstManifest.get("status").asText());
    assertEquals(Map.of("a", "succeeded", "b", "failed", "c", "skipped", "d", "succeeded"), statuses(firstManifest),
        firstManifest.toPrettyString());
    assertEquals("IllegalStateException: injected failure in stage b", stageNode(firstManifest, "b").get("reason")
        .asText());
    assertEquals("needs b, which failed", stageNode(firstManifest, "c").get("reason").asText());
    assertEquals(List.of("a", "b", "c", "d"), JSON.convertValue(firstManifest.get("planned"), List.class));
    String text = printed.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("run " + firstId + " partial after "), text);
    assertTrue(text.contains("; succeeded a, d; manifest "), text);
    assertTrue(text.contains("  b            failed: IllegalStateException: injected failure in stage b"), text);
    assertTrue(text.contains("  c            skipped: needs b, which failed"), text);
    assertTrue(text.contains("to finish it after fixing the cause: bin/crm-analytics run --resume " + firstId), text);
    assertEquals(firstId, writtenBy(config, "a"));
    assertEquals(firstId, writtenBy(config, "d"));
    List<FileTime> aTimes = fileTimes(config, "a");
    Thread.sleep(1100); // file times have a resolution of one second on some file systems

    // The cause is fixed (b no longer fails): the resume runs b and c, and not a or d.
    StageGraph fixed = new StageGraph(List.of(a, b, c, d));
    PipelineRunner resumer = runner(printed);
    String secondPath = resumer.resume(spark, config, fixed, firstId).orElseThrow();
    assertEquals(PipelineRunner.SUCCEEDED, resumer.lastStatus());
    JsonNode second = manifest(secondPath);
    String secondId = second.get("run_id").asText();
    assertEquals("succeeded", second.get("status").asText(), second.toPrettyString());
    assertEquals(firstId, second.get("resumes").asText());
    assertEquals(Map.of("a", firstId, "d", firstId), JSON.convertValue(second.get("completed_earlier"), Map.class));
    assertEquals(Map.of("b", "succeeded", "c", "succeeded"), statuses(second));
    assertEquals(firstId, writtenBy(config, "a"), "a was not rerun");
    assertEquals(aTimes, fileTimes(config, "a"), "a's files were not rewritten");
    assertEquals(firstId, writtenBy(config, "d"), "d was not rerun");
    for (String stage : List.of("b", "c")) {
      assertEquals(secondId, writtenBy(config, stage), stage + " ran in the resume");
    }

    // Resuming the resume: everything planned has succeeded, nothing runs and no manifest is added.
    long manifests;
    try (Stream<Path> files = Files.list(runs)) {
      manifests = files.filter(SkipAndResumeTest::isManifest).count();
    }
    assertEquals(Optional.empty(), runner(printed).resume(spark, config, fixed, secondId));
    try (Stream<Path> files = Files.list(runs)) {
      assertEquals(manifests, files.filter(SkipAndResumeTest::isManifest).count());
    }
    assertTrue(printed.toString(StandardCharsets.UTF_8).contains("run " + secondId
        + ": every planned stage (a, b, c, d) has succeeded; nothing to resume"), printed.toString());
  }

  @Test
  void aWithheldStageSkipsWhatRequiresItAndTheStagesThatCanDoWithoutItRunFlagged(@TempDir Path dir)
      throws Exception {
    PipelineConfig config = config(dir, "2025-12-31");
    MarkerStage a = MarkerStage.of("a");
    MarkerStage w = MarkerStage.of("w", "a");
    MarkerStage s = MarkerStage.of("s", "a", "w").optional("w");
    MarkerStage r = MarkerStage.of("r", "w");
    MarkerStage t = MarkerStage.of("t", "s");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PipelineRunner runner = runner(printed);
    JsonNode m = manifest(runner.run(spark, config,
        new StageGraph(List.of(a, w.withheld(), s, r, t)).ordered(List.of()), "run"));
    assertEquals(PipelineRunner.PARTIAL, runner.lastStatus());
    assertEquals("partial", m.get("status").asText());
    assertEquals(Map.of("a", "succeeded", "w", "withheld", "s", "succeeded", "r", "skipped", "t", "succeeded"),
        statuses(m), m.toPrettyString());
    assertEquals("test stage w publishes nothing", stageNode(m, "w").get("reason").asText());
    assertEquals("needs w, which was withheld", stageNode(m, "r").get("reason").asText());
    assertEquals(List.of("w"), JSON.convertValue(stageNode(m, "s").get("without"), List.class));
    assertEquals(1, m.get("flags").size(), m.toPrettyString());
    JsonNode flag = m.get("flags").get(0);
    assertEquals("s", flag.get("stage").asText());
    assertEquals("s.without_w", flag.get("code").asText());
    assertEquals("runs without w (withheld: test stage w publishes nothing); what it reads from w stays empty",
        flag.get("message").asText());
    String text = printed.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("w withheld: test stage w publishes nothing"), text);
    assertTrue(text.contains("  w            withheld: test stage w publishes nothing"), text);
    assertTrue(text.contains("  s            ran without w"), text);
    assertFalse(Files.exists(Path.of(config.output(), MarkerStage.folder("r", config))));

    // Once w publishes, the resume runs w, what ran without it (s) and everything after them (r, t).
    String runId = m.get("run_id").asText();
    JsonNode resumed = manifest(runner(printed).resume(spark, config, new StageGraph(List.of(a, w, s, r, t)), runId)
        .orElseThrow());
    assertEquals(Map.of("w", "succeeded", "s", "succeeded", "r", "succeeded", "t", "succeeded"), statuses(resumed));
    assertEquals(Map.of("a", runId), JSON.convertValue(resumed.get("completed_earlier"), Map.class));
    assertEquals("succeeded", resumed.get("status").asText());
  }

  @Test
  void quietPrintsTheResultOnlyWhatWasWrittenAndWhatDidNotDeliver(@TempDir Path dir) throws Exception {
    PipelineConfig config = config(dir, "2025-12-31");
    StageGraph graph = new StageGraph(List.of(MarkerStage.of("a"), MarkerStage.of("b", "a").failingOnce()));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PipelineRunner quiet = new PipelineRunner(new Console(new PrintStream(printed, true, StandardCharsets.UTF_8),
        Console.Verbosity.QUIET));
    String id = manifest(quiet.run(spark, config, graph.ordered(List.of()), "run")).get("run_id").asText();
    List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
    // The warning as it happens, then the summary; no progress lines.
    assertEquals(4, lines.size(), String.join("\n", lines));
    assertEquals("WARNING: b failed: IllegalStateException: injected failure in stage b", lines.get(0));
    assertTrue(lines.get(1).startsWith("run " + id + " partial after "), lines.get(1));
    assertTrue(lines.get(1).contains("; succeeded a; manifest "), lines.get(1));
    assertEquals("  b            failed: IllegalStateException: injected failure in stage b", lines.get(2));
    assertTrue(lines.get(3).startsWith("to finish it after fixing the cause: bin/crm-analytics run --resume " + id),
        lines.get(3));
  }

  @Test
  void aRefusedRunStopsAtOnceAndSaysSoOnceWithoutResumeAdvice(@TempDir Path dir) throws Exception {
    PipelineConfig config = config(dir, "2025-12-31");
    StageGraph graph = new StageGraph(List.of(MarkerStage.of("a"), MarkerStage.of("b", "a").refusing(),
        MarkerStage.of("c", "a"), MarkerStage.of("d", "b")));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PipelineRunner runner = runner(printed);
    RunRefused refused = assertThrows(RunRefused.class, () -> runner.run(spark, config, graph.ordered(List.of()), "run"));
    assertEquals("test stage b refuses the run", refused.getMessage());
    assertEquals(PipelineRunner.FAILED, runner.lastStatus());
    String text = printed.toString(StandardCharsets.UTF_8);
    assertFalse(text.contains("refuses the run"), "the CLI prints the message, once:\n" + text);
    assertFalse(text.contains("skipped"), text);
    assertFalse(text.contains("--resume"), text);
    assertTrue(text.contains(" failed after "), text);
    assertTrue(text.contains("; succeeded a; manifest "), text);
    assertFalse(Files.exists(Path.of(config.output(), MarkerStage.folder("c", config))), "c did not run");
    try (Stream<Path> files = Files.list(dir.resolve("out/runs"))) {
      JsonNode m = manifest(files.filter(SkipAndResumeTest::isManifest).findFirst().orElseThrow().toUri().toString());
      assertEquals("failed", m.get("status").asText());
      assertEquals(Map.of("a", "succeeded", "b", "failed"), statuses(m));
    }
  }

  @Test
  void aRunWhoseFirstStageFailsFailsWithThatError(@TempDir Path dir) throws Exception {
    PipelineConfig config = config(dir, "2025-12-31");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PipelineRunner runner = runner(printed);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> runner.run(spark, config,
        new StageGraph(List.of(MarkerStage.of("a").failingOnce(), MarkerStage.of("b", "a"))).ordered(List.of()),
        "run"));
    assertEquals("injected failure in stage a", e.getMessage());
    assertEquals(PipelineRunner.FAILED, runner.lastStatus());
    JsonNode m = manifest(dir.resolve("out/runs/" + onlyRunId(dir) + ".json").toUri().toString());
    assertEquals("failed", m.get("status").asText());
    assertEquals("injected failure in stage a", m.get("error").asText());
    assertEquals(Map.of("a", "failed", "b", "skipped"), statuses(m));
  }

  @Test
  void optionalNeedsMustBeNeeds() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new StageGraph(List.of(MarkerStage.of("a"), MarkerStage.of("b").optional("a"))));
    assertEquals("b: optional needs [a] are not all in its needs []", e.getMessage());
  }

  private static JsonNode stageNode(JsonNode manifest, String stage) {
    for (JsonNode s : manifest.get("stages")) {
      if (s.get("stage").asText().equals(stage)) {
        return s;
      }
    }
    throw new AssertionError("no stage " + stage + " in " + manifest.toPrettyString());
  }

  @Test
  void aResumeOfAResumeRunsWhatIsStillLeft(@TempDir Path dir) throws Exception {
    PipelineConfig config = config(dir, "2025-12-31");
    MarkerStage a = MarkerStage.of("a");
    MarkerStage b = MarkerStage.of("b", "a");
    MarkerStage c = MarkerStage.of("c", "b");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    runner(printed).run(spark, config, new StageGraph(List.of(a, b.failingOnce(), c)).ordered(List.of()), "run");
    String firstId = onlyRunId(dir);
    // The first resume fails again, in c.
    runner(printed).resume(spark, config, new StageGraph(List.of(a, b, c.failingOnce())), firstId);
    String secondId = otherRunId(dir, firstId);
    JsonNode second = manifest(dir.resolve("out/runs/" + secondId + ".json").toUri().toString());
    assertEquals(Map.of("b", "succeeded", "c", "failed"), statuses(second));

    String thirdPath = runner(printed).resume(spark, config, new StageGraph(List.of(a, b, c)), secondId).orElseThrow();
    JsonNode third = manifest(thirdPath);
    assertEquals(Map.of("c", "succeeded"), statuses(third));
    assertEquals(Map.of("a", firstId, "b", secondId), JSON.convertValue(third.get("completed_earlier"), Map.class));
    assertEquals(firstId, writtenBy(config, "a"));
    assertEquals(secondId, writtenBy(config, "b"));
    assertEquals(third.get("run_id").asText(), writtenBy(config, "c"));
  }

  @Test
  void aResumeRefusesAnotherDateOrConfigurationOrRun(@TempDir Path dir) throws Exception {
    PipelineConfig config = config(dir, "2025-12-31");
    MarkerStage a = MarkerStage.of("a");
    StageGraph graph = new StageGraph(List.of(a, MarkerStage.of("b", "a").failingOnce()));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    runner(printed).run(spark, config, graph.ordered(List.of()), "run");
    String runId = onlyRunId(dir);

    UserError otherDate = assertThrows(UserError.class,
        () -> runner(printed).resume(spark, config(dir, "2026-01-31"), graph, runId));
    assertEquals("--resume: run " + runId + " was for as_of 2025-12-31, this one is for 2026-01-31; resume with "
        + "--as-of 2025-12-31, or start a new run without --resume", otherDate.getMessage());

    Files.writeString(dir.resolve("pipeline.yaml"), "tables: {customers: {path: c2.csv}, sales: {path: s.csv}}\n");
    UserError otherConfig = assertThrows(UserError.class,
        () -> runner(printed).resume(spark, config(dir, "2025-12-31"), graph, runId));
    assertTrue(otherConfig.getMessage().startsWith("--resume: run " + runId + " used the configuration "
        + dir.resolve("pipeline.yaml")), otherConfig.getMessage());
    assertTrue(otherConfig.getMessage().contains("differs from it (SHA-256 differs)"), otherConfig.getMessage());

    UserError unknown = assertThrows(UserError.class,
        () -> runner(printed).resume(spark, config, graph, "20200101T000000-abcd"));
    assertTrue(unknown.getMessage().startsWith("--resume: no run 20200101T000000-abcd under " + config.output()),
        unknown.getMessage());
    UserError notAnId = assertThrows(UserError.class,
        () -> runner(printed).resume(spark, config, graph, "../../etc/passwd"));
    assertTrue(notAnId.getMessage().startsWith("--resume: '../../etc/passwd' is not a run id"), notAnId.getMessage());
  }

  @Test
  void aManifestRewrittenWithoutItsChecksumFileStillResumes(@TempDir Path dir) throws Exception {
    PipelineConfig config = config(dir, "2025-12-31");
    MarkerStage a = MarkerStage.of("a");
    MarkerStage b = MarkerStage.of("b", "a");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    runner(printed).run(spark, config, new StageGraph(List.of(a, b.failingOnce())).ordered(List.of()), "run");
    String runId = onlyRunId(dir);
    Path manifest = dir.resolve("out/runs/" + runId + ".json");
    // Copied by hand or by a tool: same content, a different file, the hidden .crc now stale.
    Files.writeString(manifest, Files.readString(manifest) + "\n");
    JsonNode resumed = manifest(runner(printed).resume(spark, config, new StageGraph(List.of(a, b)), runId).orElseThrow());
    assertEquals(Map.of("b", "succeeded"), statuses(resumed));
  }

  @Test
  void aStageWithAnAbsentInputIsSkippedAndSoAreTheStagesThatNeedIt(@TempDir Path dir) throws Exception {
    PipelineConfig config = config(dir, "2025-12-31");
    MarkerStage a = MarkerStage.of("a");
    MarkerStage x = MarkerStage.of("x", "a").requiring("tickets-export");
    MarkerStage y = MarkerStage.of("y", "x");
    MarkerStage z = MarkerStage.of("z", "a");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    String path = runner(printed).run(spark, config, new StageGraph(List.of(a, x, y, z)).ordered(List.of()), "run");
    JsonNode m = manifest(path);
    assertEquals("partial", m.get("status").asText());
    assertEquals(List.of("a", "x", "y", "z"), List.copyOf(statuses(m).keySet()));
    assertEquals(List.of("succeeded", "skipped", "skipped", "succeeded"), List.copyOf(statuses(m).values()));
    assertEquals("test input tickets-export is absent", m.get("stages").get(1).get("reason").asText());
    assertEquals("needs x, which was skipped", m.get("stages").get(2).get("reason").asText());
    assertFalse(Files.exists(Path.of(config.output(), MarkerStage.folder("x", config))));
    assertFalse(Files.exists(Path.of(config.output(), MarkerStage.folder("y", config))));
    String text = printed.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("skipped: test input tickets-export is absent"), text);
    assertTrue(text.contains("  y            skipped: needs x, which was skipped"), text);

    // With the input there, a resume runs the two skipped stages and nothing else.
    Files.createDirectories(Path.of(config.output(), "tickets-export"));
    JsonNode resumed = manifest(runner(printed).resume(spark, config, new StageGraph(List.of(a, x, y, z)),
        m.get("run_id").asText()).orElseThrow());
    assertEquals(Map.of("x", "succeeded", "y", "succeeded"), statuses(resumed));
  }

  @Test
  void theStagesAfterIngestAreSkippedWithoutSilver(@TempDir Path dir) throws Exception {
    PipelineConfig config = config(dir, "2025-12-31");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    String path = runner(printed).run(spark, config,
        List.of(new FeaturesStage(), new AbcStage(), new KpiStage()), "run");
    JsonNode m = manifest(path);
    String silver = config.output().startsWith("/") ? "file:" + config.output() : config.output();
    for (JsonNode stage : m.get("stages")) {
      assertEquals("skipped", stage.get("status").asText(), stage.toString());
      assertEquals("no silver table customers (" + silver + "/silver/customers/as_of=2025-12-31), sales ("
          + silver + "/silver/sales/as_of=2025-12-31) for as_of 2025-12-31; the ingest stage writes it",
          stage.get("reason").asText());
    }
  }

  /** runs/ also holds Hadoop's hidden .crc checksum files. */
  private static boolean isManifest(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".json") && !name.startsWith(".");
  }

  private static String onlyRunId(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("out/runs"))) {
      List<String> ids = files.filter(SkipAndResumeTest::isManifest)
          .map(f -> f.getFileName().toString().replace(".json", "")).toList();
      assertEquals(1, ids.size(), ids.toString());
      return ids.get(0);
    }
  }

  private static String otherRunId(Path dir, String known) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("out/runs"))) {
      List<String> ids = files.filter(SkipAndResumeTest::isManifest)
          .map(f -> f.getFileName().toString().replace(".json", ""))
          .filter(id -> !id.equals(known)).toList();
      assertEquals(1, ids.size(), ids.toString());
      return ids.get(0);
    }
  }
}
