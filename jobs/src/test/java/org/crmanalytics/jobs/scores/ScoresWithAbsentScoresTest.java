package org.crmanalytics.jobs.scores;

import org.crmanalytics.jobs.cli.Pipeline;
import org.crmanalytics.jobs.io.Output;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.SampleCompany;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.churn.ChurnStage;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.runner.PipelineRunner;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.jobs.runner.StageGraph;
import org.crmanalytics.jobs.runner.StageWithheld;
import org.crmanalytics.models.btyd.ClvOutput;
import org.crmanalytics.models.features.CustomerSnapshot;
import org.crmanalytics.models.scores.CustomerScores;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * customer_scores when a score's stage wrote nothing: one row per customer all the same, the absent
 * columns null, and without churn the early-warning list by the documented recency rule. The
 * sample company through the real features, abc and clv stages (once per class); churn is
 * withheld by a stand-in of the same name (a model that is not promoted); scores, writeback and
 * scorecard are the real stages.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class ScoresWithAbsentScoresTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalDate AS_OF = SampleCompany.AS_OF;

  @TempDir static Path dir;
  static SparkSession spark;
  static PipelineConfig config;
  static Dataset<Row> snapshot;
  static String root;

  @BeforeAll
  static void upToClv(SparkSession session) throws IOException {
    spark = session;
    Path out = dir.resolve("out");
    SampleCompany.writeSilver(spark, out, AS_OF);
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "as_of: " + AS_OF + "\n"
        + "tables:\n  customers: {path: unused/customers.csv}\n  sales: {path: unused/sales.csv}\n"
        + "writeback:\n  target: [csv]\n");
    config = Pipeline.configLoader(Map.of()).load(file).withOutput(out);
    run(Pipeline.graph().ordered(List.of("features", "abc", "clv")), new ByteArrayOutputStream());
    root = out.toString();
    snapshot = spark.read().parquet(out.resolve("snapshot/as_of=" + AS_OF).toString()).cache();
  }

  /** Runs the stages; returns the manifest, the runner's status in "status_seen". */
  private static JsonNode run(List<PipelineStage> stages, ByteArrayOutputStream printed) throws IOException {
    PipelineRunner runner = new PipelineRunner(new Console(new PrintStream(printed, true, StandardCharsets.UTF_8),
        Console.Verbosity.NORMAL));
    String path = runner.run(spark, config, stages, "run");
    com.fasterxml.jackson.databind.node.ObjectNode m =
        (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(Files.readString(Path.of(java.net.URI.create(path))));
    m.put("status_seen", runner.lastStatus());
    return m;
  }

  /** The churn stage with a model that is not promoted: it withholds, as the real one does then. */
  private record WithheldChurn() implements PipelineStage {
    @Override
    public String name() {
      return ChurnStage.NAME;
    }

    @Override
    public List<String> needs() {
      return new ChurnStage().needs();
    }

    @Override
    public List<String> produces(PipelineConfig config) {
      return new ChurnStage().produces(config);
    }

    @Override
    public void run(RunContext context) {
      throw new StageWithheld("the model trained now (churn-test) is not promoted");
    }
  }

  private static Map<String, String> statuses(JsonNode manifest) {
    Map<String, String> out = new LinkedHashMap<>();
    manifest.get("stages").forEach(s -> out.put(s.get("stage").asText(), s.get("status").asText()));
    return out;
  }

  private static Dataset<Row> scores() {
    return spark.read().parquet(root + "/" + Output.CUSTOMER_SCORES.at(AS_OF));
  }

  @Test
  void aWithheldChurnLeavesScoresWritebackAndScorecardRunningAndTheRunPartial() throws IOException {
    StageGraph graph = new StageGraph(List.of(Pipeline.graph().stage("ingest"),
        Pipeline.graph().stage("features"), Pipeline.graph().stage("abc"),
        Pipeline.graph().stage("kpis"), Pipeline.graph().stage("clv"), new WithheldChurn(),
        Pipeline.graph().stage("payment_risk"), Pipeline.graph().stage("cross_sell"), Pipeline.graph().stage("scores"), Pipeline.graph().stage("writeback"),
        Pipeline.graph().stage("scorecard")));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    JsonNode m = run(graph.ordered(List.of("churn", "scores", "writeback", "scorecard")), printed);
    String text = printed.toString(StandardCharsets.UTF_8);
    assertEquals("partial", m.get("status").asText(), text);
    assertEquals(PipelineRunner.PARTIAL, m.get("status_seen").asText());
    assertEquals(Map.of("churn", "withheld", "scores", "succeeded", "writeback", "succeeded", "scorecard", "succeeded"),
        statuses(m), m.toPrettyString());
    assertTrue(text.contains("  churn        withheld: the model trained now (churn-test) is not promoted"), text);
    assertTrue(text.contains("  scores       ran without churn"), text);
    assertTrue(text.contains("bin/crm-analytics run --resume " + m.get("run_id").asText()), text);
    List<String> codes = new ArrayList<>();
    m.get("flags").forEach(f -> codes.add(f.get("code").asText()));
    // payment_risk and cross_sell did not run for this as_of: their columns are null, and scores says so.
    assertEquals(List.of("scores.without_churn", "scores.no_payment_risk", "scores.no_cross_sell", "scores.churn_rule"), codes,
        m.toPrettyString());

    // Every customer of the snapshot, A–E and CLV filled, churn by the rule.
    Dataset<Row> scores = scores();
    assertEquals(snapshot.count(), scores.count());
    assertEquals(0, scores.filter(col(CustomerScores.ABC_CLASS).isNull()).count());
    assertTrue(scores.filter(col(CustomerScores.CLV).isNotNull()).count() > 0);
    assertTrue(scores.filter(col(CustomerScores.P_ALIVE).isNotNull()).count() > 0);
    // The caveat marks exactly BG/NBD's one-time buyers, whose P(alive) is 1 by construction.
    Dataset<Row> clv = spark.read().parquet(root + "/" + Output.CLV_CUSTOMERS.at(AS_OF));
    List<String> oneTime = clv.filter(col(ClvOutput.CLV_MODEL).equalTo("bgnbd").and(col(ClvOutput.X).equalTo(0))
        .and(col(ClvOutput.P_ALIVE).isNotNull())).select(ClvOutput.CUSTOMER_ID).orderBy(ClvOutput.CUSTOMER_ID)
        .as(Encoders.STRING()).collectAsList();
    assertFalse(oneTime.isEmpty(), "the fixture has one-time buyers under BG/NBD");
    Dataset<Row> caveat = scores.filter(col(CustomerScores.P_ALIVE_CAVEAT).isNotNull());
    assertEquals(oneTime, caveat.select(CustomerScores.CUSTOMER_ID).orderBy(CustomerScores.CUSTOMER_ID)
        .as(Encoders.STRING()).collectAsList());
    assertEquals(List.of(CustomerScores.ONE_TIME_BUYER), caveat.select(CustomerScores.P_ALIVE_CAVEAT).distinct()
        .as(Encoders.STRING()).collectAsList());
    assertEquals(0, caveat.filter(col(CustomerScores.P_ALIVE).lt(1.0 - 1e-9)).count(), "P(alive) 1 by construction");
    assertEquals(0, scores.filter(col(CustomerScores.CHURN_PROBABILITY).isNotNull()).count());
    assertEquals(0, scores.filter(col(CustomerScores.CHURN_BASIS).equalTo(CustomerScores.BASIS_MODEL)).count());
    Dataset<Row> warning = spark.read().parquet(root + "/" + Output.EARLY_WARNING.at(AS_OF));
    assertTrue(warning.count() > 0, "the rule gives an early-warning list");
    assertEquals(warning.count(), warning.filter(col(CustomerScores.CHURN_BASIS).equalTo(CustomerScores.BASIS_RULE))
        .count());
    assertTrue(Files.isRegularFile(Path.of(root, Output.SCORES_CSV.at(AS_OF))), "writeback wrote its file");
    String html = Files.readString(Path.of(root, Output.SCORECARD.at("en", AS_OF)));
    assertTrue(html.contains("the model trained now (churn-test) is not promoted"), "the scorecard says why");
  }

  @Test
  void scoresWritebackAndScorecardRunAsWritebackAdvisesWithoutAnyChurnOutput() throws IOException {
    // What `run --stages scores,writeback,scorecard` runs (RunCommand: the pipeline's graph).
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    JsonNode m = run(Pipeline.graph().ordered(List.of("scores", "writeback", "scorecard")), printed);
    String text = printed.toString(StandardCharsets.UTF_8);
    assertEquals("succeeded", m.get("status").asText(), text);
    assertEquals(Map.of("scores", "succeeded", "writeback", "succeeded", "scorecard", "succeeded"), statuses(m));
    List<String> codes = new ArrayList<>();
    m.get("flags").forEach(f -> codes.add(f.get("code").asText()));
    assertEquals(List.of("scores.no_churn", "scores.no_payment_risk", "scores.no_cross_sell", "scores.churn_rule"), codes,
        m.toPrettyString());
    assertEquals(snapshot.count(), scores().count());
    assertEquals(List.of(CustomerScores.SCHEMA.fieldNames()), List.of(scores().columns()));
  }

  @Test
  void eachAbsentScoreLeavesItsColumnsNullAndEveryCustomerARow() {
    Optional<Dataset<Row>> abc = Optional.of(spark.read().parquet(root + "/" + Output.ABC_CUSTOMERS.at(AS_OF)));
    Optional<Dataset<Row>> clv = Optional.of(spark.read().parquet(root + "/" + Output.CLV_CUSTOMERS.at(AS_OF)));
    // A churn output as the churn stage writes it, for every customer of the population.
    Optional<Dataset<Row>> churn = Optional.of(snapshot.filter(col(CustomerSnapshot.DAYS_SINCE_LAST_ORDER).lt(365))
        .select(col(CustomerSnapshot.CUSTOMER_ID).as(CustomerScores.CUSTOMER_ID),
            lit(0.7).as(CustomerScores.CHURN_PROBABILITY), lit("high").as(CustomerScores.CHURN_BAND),
            lit("en").as(CustomerScores.CHURN_REASONS_EN), lit("de").as(CustomerScores.CHURN_REASONS_DE),
            lit(null).cast(CustomerScores.REASONS_TYPE).as(CustomerScores.CHURN_REASONS),
            lit("churn-v1").as(CustomerScores.CHURN_MODEL_VERSION)));
    long customers = snapshot.count();
    Map<String, List<String>> columnsOf = Map.of(
        "abc", List.of(CustomerScores.ABC_CLASS, CustomerScores.ABC_SCORE, CustomerScores.ABC_REASON_EN),
        "clv", List.of(CustomerScores.CLV, CustomerScores.P_ALIVE, CustomerScores.CLV_MODEL_VERSION,
            CustomerScores.VALUE_AT_RISK),
        "churn", List.of(CustomerScores.CHURN_PROBABILITY, CustomerScores.CHURN_MODEL_VERSION,
            CustomerScores.VALUE_AT_RISK));
    for (String absent : List.of("abc", "clv", "churn")) {
      Dataset<Row> out = ScoresStage.transform(snapshot, absent.equals("abc") ? Optional.empty() : abc,
          absent.equals("clv") ? Optional.empty() : clv, absent.equals("churn") ? Optional.empty() : churn, Optional.empty(), Optional.empty(), 365,
          AS_OF, "run-1").cache();
      assertEquals(customers, out.count(), absent);
      assertEquals(List.of(CustomerScores.SCHEMA.fieldNames()), List.of(out.columns()), absent);
      for (String c : columnsOf.get(absent)) {
        assertEquals(0, out.filter(col(c).isNotNull()).count(), absent + " absent: " + c + " is null");
      }
      for (String other : List.of("abc", "clv", "churn")) {
        if (!other.equals(absent)) {
          String c = columnsOf.get(other).get(0);
          assertTrue(out.filter(col(c).isNotNull()).count() > 0, absent + " absent: " + c + " is filled");
        }
      }
      String basis = absent.equals("churn") ? CustomerScores.BASIS_RULE : CustomerScores.BASIS_MODEL;
      assertTrue(out.filter(col(CustomerScores.CHURN_BASIS).equalTo(basis)).count() > 0, absent);
      out.unpersist();
    }
  }

  @Test
  void theRuleComparesRecencyWithTheUsualGap() {
    Dataset<Row> rule = ScoresStage.churnRule(snapshot, 365);
    Map<String, Row> byId = new HashMap<>();
    for (Row r : snapshot.collectAsList()) {
      byId.put(r.getAs(CustomerSnapshot.CUSTOMER_ID), r);
    }
    // The population's usual gap: the median of the repeat buyers' own gaps (lower median).
    List<Double> gaps = new ArrayList<>();
    for (Row r : byId.values()) {
      Integer days = r.getAs(CustomerSnapshot.DAYS_SINCE_LAST_ORDER);
      Double gap = r.getAs(CustomerSnapshot.MEAN_ORDER_GAP_DAYS);
      if (days != null && days < 365 && gap != null && gap > 0) {
        gaps.add(gap);
      }
    }
    gaps.sort(null);
    double typical = gaps.get((int) Math.ceil(gaps.size() * 0.5) - 1);
    int repeat = 0;
    int once = 0;
    for (Row r : rule.collectAsList()) {
      Row s = byId.get(r.<String>getAs(CustomerScores.CUSTOMER_ID));
      int days = s.<Integer>getAs(CustomerSnapshot.DAYS_SINCE_LAST_ORDER);
      Double own = s.getAs(CustomerSnapshot.MEAN_ORDER_GAP_DAYS);
      boolean isRepeat = own != null && own > 0;
      double gap = isRepeat ? own : typical;
      double times = days / gap;
      String band = times >= 3 ? "high" : times >= 2 ? "medium" : "low";
      assertEquals(band, r.getAs(CustomerScores.CHURN_BAND), r.toString());
      assertEquals(CustomerScores.BASIS_RULE, r.getAs(CustomerScores.CHURN_BASIS));
      String en = r.getAs(CustomerScores.CHURN_REASONS_EN);
      String de = r.getAs(CustomerScores.CHURN_REASONS_DE);
      assertTrue(en.startsWith("no order for " + days + " days"), en);
      assertTrue(en.contains(String.format(java.util.Locale.ROOT, "%.1f times the usual gap", times)
          + (isRepeat ? " between its orders (" : " of repeat buyers (")
          + String.format(java.util.Locale.ROOT, "%.0f days)", gap)), en);
      assertTrue(de.startsWith("seit " + days + " Tagen keine Bestellung"), de);
      assertTrue(de.contains(String.format(java.util.Locale.GERMANY, "das %.1f-Fache", times)), de);
      assertTrue(en.endsWith("rule, not a churn model") && de.endsWith("Regel, kein Churn-Modell"));
      if (isRepeat) {
        repeat++;
      } else {
        once++;
      }
    }
    assertTrue(repeat > 0 && once > 0, repeat + " repeat and " + once + " one-time buyers judged");
    long population = snapshot.filter(col(CustomerSnapshot.DAYS_SINCE_LAST_ORDER).lt(365)).count();
    assertEquals(population, repeat + once, "every customer of the population gets a band");
    List<Row> withoutOrders = snapshot.filter(col(CustomerSnapshot.DAYS_SINCE_LAST_ORDER).isNull())
        .select(CustomerSnapshot.CUSTOMER_ID).collectAsList();
    for (Row r : withoutOrders) {
      assertEquals(0, rule.filter(col(CustomerScores.CUSTOMER_ID).equalTo(r.getString(0))).count(),
          "a customer without orders gets no band");
    }
  }
}
