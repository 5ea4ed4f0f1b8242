package org.crmanalytics.jobs.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record of one run, written to {@code runs/<run_id>.json}: what ran with which inputs, row
 * counts per table (read = accepted + quarantined + after_as_of, and a count per rule), timings and the outcome.
 * Holds keys and counts only.
 */
public final class RunManifest {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ObjectNode root = JSON.createObjectNode();
  private final ObjectNode tables;
  private final ArrayNode stages;
  private final HeapWatch heap = new HeapWatch();

  public RunManifest(String runId, String command, String config, String asOf, String output) {
    root.put("run_id", runId);
    root.put("command", command);
    root.put("config", config);
    root.put("as_of", asOf);
    root.put("output", output);
    root.put("started_at", Instant.now().toString());
    root.put("status", "running");
    stages = root.putArray("stages");
    tables = root.putObject("tables");
  }

  /**
   * The stages this run set out to run, in order, and a fingerprint of its configuration file:
   * what {@code run --resume} needs to finish the run and to refuse a different configuration.
   */
  public synchronized void plan(List<String> stageNames, String configSha256) {
    ArrayNode planned = root.putArray("planned");
    stageNames.forEach(planned::add);
    if (configSha256 != null) {
      root.put("config_sha256", configSha256);
    }
  }

  /** This run resumes {@code runId}; {@code completedEarlier} maps each stage left out to the run that completed it. */
  public synchronized void resumes(String runId, Map<String, String> completedEarlier) {
    root.put("resumes", runId);
    ObjectNode earlier = root.putObject("completed_earlier");
    completedEarlier.forEach(earlier::put);
  }

  public synchronized void spark(String master, String version, String applicationId) {
    ObjectNode s = root.putObject("spark");
    s.put("master", master);
    s.put("version", version);
    s.put("application_id", applicationId);
  }

  public synchronized void table(TableCounts counts) {
    ObjectNode t = tables.putObject(counts.table());
    t.put("source", counts.source());
    t.put("read", counts.read());
    t.put("accepted", counts.accepted());
    t.put("quarantined", counts.quarantined());
    t.put("after_as_of", counts.afterAsOf());
    ObjectNode rules = t.putObject("rules");
    ObjectNode warnings = t.putObject("warnings");
    ObjectNode notYetKnown = t.putObject("after_as_of_rules");
    ArrayNode checks = t.putArray("checks");
    for (TableCounts.RuleCount r : counts.rules()) {
      if (r.notYetKnown()) {
        notYetKnown.put(r.id(), r.rejected());
      } else if (r.level().equals("error")) {
        rules.put(r.id(), r.rejected());
      } else {
        warnings.put(r.id(), r.violating());
      }
      ObjectNode c = checks.addObject();
      c.put("rule", r.id());
      c.put("level", r.level());
      c.put("reason", r.reason());
      c.put("rejected", r.rejected());
      c.put("violating", r.violating());
      if (r.maxPercent() != null) {
        c.put("max_percent", r.maxPercent());
      }
      c.put("breached", r.breached());
      if (r.notYetKnown()) {
        c.put("not_yet_known", true);
      }
    }
    t.put("silver", counts.silverPath());
    t.put("quarantine", counts.quarantinePath());
    t.put("seconds", counts.elapsed().toMillis() / 1000.0);
  }

  public synchronized void stage(String name, String status, Duration elapsed, Map<String, Object> details) {
    ObjectNode s = stages.addObject();
    s.put("stage", name);
    s.put("status", status);
    s.put("seconds", elapsed.toMillis() / 1000.0);
    details.forEach((k, v) -> s.putPOJO(k, v));
  }

  /**
   * How a stage ended, with the reason when it did not succeed ({@code reason}) and the optional
   * inputs it ran without ({@code without}).
   */
  public synchronized void stage(String name, String status, Duration elapsed, String reason, List<String> without) {
    ObjectNode s = stages.addObject();
    s.put("stage", name);
    s.put("status", status);
    s.put("seconds", elapsed.toMillis() / 1000.0);
    if (reason != null) {
      s.put("reason", reason);
    }
    if (!without.isEmpty()) {
      without.forEach(s.putArray("without")::add);
    }
  }

  /** A stage that did not run because an input was absent, with the reason. */
  public synchronized void skipped(String name, String reason) {
    ObjectNode s = stages.addObject();
    s.put("stage", name);
    s.put("status", "skipped");
    s.put("seconds", 0.0);
    s.put("reason", reason);
  }

  /**
   * A finding about a stage's result that a reader must see although the stage succeeded: a
   * degenerate model fit, a fallback taken, a score left out. {@code code} is a stable identifier
   * (for example {@code clv.bgnbd_degenerate}); {@code message} says it in plain words.
   */
  public synchronized void flag(String stage, String code, String message) {
    ObjectNode f = (root.has("flags") ? (ArrayNode) root.get("flags") : root.putArray("flags")).addObject();
    f.put("stage", stage);
    f.put("code", code);
    f.put("message", message);
  }

  /** The rows of a committed dataset, by its path. */
  public synchronized void outputRows(String path, long rows) {
    (root.has("output_rows") ? (ObjectNode) root.get("output_rows") : root.putObject("output_rows")).put(path, rows);
  }

  public synchronized void finish(String status, String error, List<String> outputs) {
    root.put("status", status);
    ObjectNode jvm = root.putObject("driver_jvm");
    jvm.put("heap_max_bytes", Runtime.getRuntime().maxMemory());
    jvm.put("heap_peak_after_gc_bytes", heap.peakAfterGcBytes());
    heap.close();
    root.put("finished_at", Instant.now().toString());
    if (error != null) {
      root.put("error", error);
    }
    ArrayNode o = root.putArray("outputs");
    outputs.forEach(o::add);
  }

  /** The parts of a written manifest that a resume reads. */
  public record Recorded(String runId, String asOf, String config, String configSha256, String status,
      List<String> planned, Map<String, String> completed) {}

  /**
   * Reads a manifest written by this class. {@code completed} maps every stage that succeeded with
   * all its inputs in that run, or in the runs it resumed, to the run that completed it; a stage
   * that ran without an optional input is not complete (a resume runs it again).
   */
  public static Recorded read(String path, String json) {
    JsonNode m;
    try {
      m = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(path + " is not a run manifest: " + e.getOriginalMessage(), e);
    }
    if (m == null || !m.isObject() || !m.hasNonNull("run_id") || !m.hasNonNull("as_of")) {
      throw new IllegalArgumentException(path + " is not a run manifest (no run_id or as_of)");
    }
    List<String> planned = null;
    if (m.has("planned")) {
      planned = new ArrayList<>();
      for (JsonNode n : m.get("planned")) {
        planned.add(n.asText());
      }
    }
    Map<String, String> completed = new LinkedHashMap<>();
    m.path("completed_earlier").fields().forEachRemaining(e -> completed.put(e.getKey(), e.getValue().asText()));
    String runId = m.get("run_id").asText();
    for (JsonNode s : m.path("stages")) {
      if ("succeeded".equals(s.path("status").asText()) && s.path("without").isEmpty()) {
        completed.put(s.path("stage").asText(), runId);
      }
    }
    return new Recorded(runId, m.get("as_of").asText(), m.path("config").asText(null),
        m.path("config_sha256").asText(null), m.path("status").asText(), planned, completed);
  }

  public synchronized String toJson() {
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
