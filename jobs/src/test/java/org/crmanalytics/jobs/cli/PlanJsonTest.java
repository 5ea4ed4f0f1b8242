package org.crmanalytics.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.jobs.runner.StageGraph;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plan --json}: the plan a scheduler reads, printed alone on stdout, without Spark. */
@Tag("unit")
class PlanJsonTest {

  /** Runs {@code plan --json} with {@code args} and returns what it printed, parsed. */
  static JsonNode planJson(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream old = System.out;
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      List<String> all = new ArrayList<>(List.of("plan", "--json"));
      all.addAll(List.of(args));
      code = CrmAnalytics.execute(all.toArray(String[]::new));
    } finally {
      System.setOut(old);
    }
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, printed);
    try {
      return new ObjectMapper().readTree(printed);
    } catch (java.io.IOException e) {
      throw new AssertionError("plan --json printed no JSON: " + printed, e);
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void everyStageOfTheGraphWithItsNeedsWritesAndTaskArguments(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("c.yaml");
    Files.writeString(config, "as_of: 2025-06-30\ntables: {customers: {path: c.csv}, sales: {path: s.csv}}\n");
    JsonNode plan = planJson("--config", config.toString(), "--out", dir.resolve("o").toString());

    assertEquals(1, plan.get("format").asInt());
    assertEquals("org.crmanalytics.jobs.cli.CrmAnalytics", plan.get("main_class").asText());
    assertEquals("2025-06-30", plan.get("as_of").asText());
    assertEquals(dir.resolve("o").toString(), plan.get("output").asText());
    StageGraph graph = Pipeline.graph();
    List<PipelineStage> ordered = graph.ordered(List.of());
    assertEquals(ordered.size(), plan.get("stages").size());
    for (int i = 0; i < ordered.size(); i++) {
      PipelineStage expected = ordered.get(i);
      JsonNode stage = plan.get("stages").get(i);
      assertEquals(expected.name(), stage.get("name").asText());
      assertEquals(expected.needs(), strings(stage.get("needs")), expected.name());
      assertEquals(expected.optionalNeeds(), strings(stage.path("optional_needs")), expected.name());
      assertEquals(List.of("run", "--stages", expected.name(), "--partial-exit-code", "0", "--as-of", "<as_of>",
          "--config", "<config>", "--out", "<out>"), strings(stage.get("args")), expected.name());
    }
    JsonNode scores = plan.get("stages").get(graph.names().indexOf("scores"));
    assertEquals("scores", scores.get("name").asText());
    assertEquals(List.of("features", "abc", "clv", "churn", "payment_risk", "cross_sell"), strings(scores.get("needs")));
    assertEquals(List.of("abc", "clv", "churn", "payment_risk", "cross_sell"), strings(scores.get("optional_needs")));
    JsonNode crossSell = plan.get("stages").get(graph.names().indexOf("cross_sell"));
    assertEquals(List.of("ingest"), strings(crossSell.get("needs")));
    assertEquals(List.of("cross_sell/recommendations/as_of=2025-06-30", "cross_sell/white_space/as_of=2025-06-30"),
        strings(crossSell.get("writes")));
    assertTrue(plan.get("stages").get(0).path("optional_needs").isMissingNode(), "ingest has none");
    JsonNode ingest = plan.get("stages").get(0);
    assertEquals(List.of("silver/customers/as_of=2025-06-30", "quarantine/customers/as_of=2025-06-30",
        "silver/sales/as_of=2025-06-30", "quarantine/sales/as_of=2025-06-30"), strings(ingest.get("writes")));
    assertEquals(3, plan.get("jobs").size());
    assertEquals("train churn", plan.get("jobs").get(0).get("name").asText());
    assertEquals(List.of("train", "churn", "--as-of", "<as_of>", "--config", "<config>", "--out", "<out>"),
        strings(plan.get("jobs").get(0).get("args")));
    assertEquals("train payment_risk", plan.get("jobs").get(1).get("name").asText());
    assertEquals(List.of("train", "payment_risk", "--as-of", "<as_of>", "--config", "<config>", "--out", "<out>"),
        strings(plan.get("jobs").get(1).get("args")));
    assertEquals("train cross_sell", plan.get("jobs").get(2).get("name").asText());
    assertEquals(List.of("train", "cross_sell", "--as-of", "<as_of>", "--config", "<config>", "--out", "<out>"),
        strings(plan.get("jobs").get(2).get("args")));
  }

  @Test
  void stagesSelectTheirPartOfThePlan(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("c.yaml");
    Files.writeString(config, "tables: {customers: {path: c.csv}, sales: {path: s.csv}}\n");
    JsonNode plan = planJson("--config", config.toString(), "--stages", "abc,ingest");
    assertEquals(List.of("ingest", "abc"), plan.get("stages").findValuesAsText("name"));
  }
}
