package org.crmanalytics.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.runner.PipelineStage;

/**
 * The plan as a scheduler reads it ({@code plan --json}): one task per stage with the exact
 * arguments it runs, its needs (the task dependencies), those of them it can run without, and what
 * it writes, plus the training jobs.
 * The run date, configuration and output root are placeholders the scheduler fills in, so one
 * plan serves every run. The format is documented in docs/scheduling.md; version 1.
 */
public final class SchedulePlan {
  public static final int FORMAT_VERSION = 1;
  public static final String AS_OF = "<as_of>";
  public static final String CONFIG = "<config>";
  public static final String OUT = "<out>";
  static final String MAIN_CLASS = CrmAnalytics.class.getName();

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ObjectNode root = JSON.createObjectNode();

  private SchedulePlan() {}

  public static SchedulePlan of(PipelineConfig config, List<PipelineStage> stages, List<String> trainedModels) {
    SchedulePlan plan = new SchedulePlan();
    ObjectNode root = plan.root;
    root.put("format", FORMAT_VERSION);
    root.put("main_class", MAIN_CLASS);
    root.put("config", config.source());
    root.put("as_of", String.valueOf(config.asOf()));
    root.put("output", config.output());
    ObjectNode placeholders = root.putObject("placeholders");
    placeholders.put(AS_OF, "the run date, yyyy-MM-dd");
    placeholders.put(CONFIG, "the pipeline configuration file");
    placeholders.put(OUT, "the output root");
    ArrayNode stageArray = root.putArray("stages");
    for (PipelineStage s : stages) {
      ObjectNode n = stageArray.addObject();
      n.put("name", s.name());
      s.needs().forEach(n.putArray("needs")::add);
      // The needs it can run without: its task runs also when theirs failed (docs/scheduling.md).
      if (!s.optionalNeeds().isEmpty()) {
        s.optionalNeeds().forEach(n.putArray("optional_needs")::add);
      }
      s.produces(config).forEach(n.putArray("writes")::add);
      // One stage per task: a stage withheld or skipped is no task failure, the next tasks run.
      taskArgs(List.of("run", "--stages", s.name(), "--partial-exit-code", "0")).forEach(n.putArray("args")::add);
    }
    ArrayNode jobs = root.putArray("jobs");
    for (String model : trainedModels) {
      ObjectNode n = jobs.addObject();
      n.put("name", "train " + model);
      taskArgs(List.of("train", model)).forEach(n.putArray("args")::add);
    }
    return plan;
  }

  /** A command followed by the options every scheduled task passes, as placeholders. */
  private static List<String> taskArgs(List<String> command) {
    List<String> args = new ArrayList<>(command);
    args.addAll(List.of("--as-of", AS_OF, "--config", CONFIG, "--out", OUT));
    return args;
  }

  /**
   * The plan as the Airflow DAGs read it: a Python module of literals (airflow-dags/crm_analytics_plan.py)
   * with every stage's needs, optional needs and task arguments, and the training jobs. It holds
   * nothing that depends on the configuration, so the committed file is the same for every company;
   * a test fails when it differs from what the stages declare now.
   */
  public String toAirflowModule() {
    ObjectMapper compact = new ObjectMapper();
    StringBuilder py = new StringBuilder();
    py.append("\"\"\"The crm-analytics pipeline as the Airflow DAGs run it, generated from the stages' declarations\n")
        .append("(what each reads and writes). Do not edit: regenerate with\n\n")
        .append("    bin/crm-analytics plan --airflow > airflow-dags/crm_analytics_plan.py\n")
        .append("\"\"\"\n")
        .append("FORMAT = ").append(FORMAT_VERSION).append("\n\n")
        .append("STAGES = [\n");
    try {
      for (var stage : root.get("stages")) {
        ObjectNode n = compact.createObjectNode();
        n.put("name", stage.get("name").asText());
        n.set("needs", stage.get("needs"));
        n.set("optional_needs", stage.has("optional_needs") ? stage.get("optional_needs") : compact.createArrayNode());
        n.set("args", stage.get("args"));
        py.append("    ").append(compact.writeValueAsString(n)).append(",\n");
      }
      py.append("]\n\nJOBS = [\n");
      for (var job : root.get("jobs")) {
        ObjectNode n = compact.createObjectNode();
        n.put("name", job.get("name").asText().replace(' ', '_'));
        n.set("args", job.get("args"));
        py.append("    ").append(compact.writeValueAsString(n)).append(",\n");
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return py.append("]\n").toString();
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
