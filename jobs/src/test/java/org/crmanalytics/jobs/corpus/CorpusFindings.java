package org.crmanalytics.jobs.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crmanalytics.jobs.base.UserError;

/**
 * What the corpus runs found, company by company and stage by stage, as a Markdown report: the
 * table, the messages a user sees, the manifest's flags and console warnings, and one stack trace
 * per distinct failure. It records; the test asserts.
 */
final class CorpusFindings {
  static final List<String> STAGES = List.of(
      "ingest", "features", "abc", "kpis", "clv", "churn", "scores", "writeback", "scorecard");

  private record Result(JsonNode manifest, Throwable failure) {}

  private static final class Company {
    Result run;
    String printed = "";
    final Map<String, Result> probes = new LinkedHashMap<>();
    Result secondWriteBack;
  }

  private final Map<String, Company> companies = new LinkedHashMap<>();

  synchronized void run(String company, JsonNode manifest, Throwable failure, String printed) {
    Company c = companies.computeIfAbsent(company, k -> new Company());
    c.run = new Result(manifest, failure);
    c.printed = printed;
  }

  synchronized void probe(String company, String stage, JsonNode manifest, Throwable failure) {
    companies.get(company).probes.put(stage, new Result(manifest, failure));
  }

  synchronized void secondWriteBack(String company, JsonNode manifest, Throwable failure) {
    companies.get(company).secondWriteBack = new Result(manifest, failure);
  }

  /** What the command line prints for this failure (ErrorReporter's rule), first line only. */
  static String userMessage(Throwable e) {
    if (e == null) {
      return "";
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof UserError) {
        return "ERROR: " + firstLine(c.getMessage());
      }
    }
    return "ERROR: " + firstLine(e.toString());
  }

  /** The reason a manifest gives for a stage that did not succeed, whatever the field is called. */
  static String reason(JsonNode stage) {
    for (String field : List.of("reason", "error", "message")) {
      String text = stage.path(field).asText("");
      if (!text.isBlank()) {
        return text;
      }
    }
    return "";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "null";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }

  /** One table cell: the stage's fate in a run (ok, skipped, failed) with its message. */
  private static String cell(Result r, String stage) {
    if (r == null) {
      return "";
    }
    if (r.manifest != null) {
      for (JsonNode s : r.manifest.path("stages")) {
        if (!s.path("stage").asText().equals(stage)) {
          continue;
        }
        String status = s.path("status").asText();
        String why = reason(s);
        if (status.equals("succeeded")) {
          return "ok (" + Math.round(s.path("seconds").asDouble()) + " s)";
        }
        if (status.equals("failed") && why.isBlank() && r.failure != null) {
          why = userMessage(r.failure);
        }
        return status + (why.isBlank() ? "" : ": " + firstLine(why));
      }
    }
    return r.failure != null ? "not reached" : "";
  }

  private static String runStatus(Result r) {
    if (r.manifest == null) {
      return r.failure != null ? "failed before a manifest: " + userMessage(r.failure) : "no manifest";
    }
    return r.manifest.path("status").asText();
  }

  synchronized void write(Path file) throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Corpus findings (CorpusEndToEndTest, ").append(Instant.now()).append(")\n\n");
    md.append("Cells: the stage's status in the full `run` (manifest), with the message a user sees. "
        + "`not reached`: the run had ended before it. `alone:` (only with -Dcorpus.probe=true): the same "
        + "stage run by itself afterwards on what the run left. `writeback (MariaDB)`: `run --stages writeback` "
        + "with the write-back connection switched to MariaDB.\n\n");
    md.append("| company | run |");
    STAGES.forEach(s -> md.append(' ').append(s).append(" |"));
    md.append(" writeback (MariaDB) |\n|---|---|");
    STAGES.forEach(s -> md.append("---|"));
    md.append("---|\n");
    for (Map.Entry<String, Company> e : companies.entrySet()) {
      Company c = e.getValue();
      md.append("| ").append(e.getKey()).append(" | ").append(esc(runStatus(c.run))).append(" |");
      for (String stage : STAGES) {
        String cell = cell(c.run, stage);
        Result probe = c.probes.get(stage);
        if (probe != null) {
          String alone = cell(probe, stage);
          cell += "; alone: " + (alone.isEmpty() ? runStatus(probe) + " " + userMessage(probe.failure) : alone);
        }
        md.append(' ').append(esc(cell)).append(" |");
      }
      md.append(' ').append(esc(c.secondWriteBack == null ? "" : cell(c.secondWriteBack, "writeback")
          + (c.secondWriteBack.failure != null && cell(c.secondWriteBack, "writeback").isEmpty()
              ? userMessage(c.secondWriteBack.failure) : ""))).append(" |\n");
    }

    md.append("\n## Per company: run error, flags, console warnings\n");
    for (Map.Entry<String, Company> e : companies.entrySet()) {
      Company c = e.getValue();
      md.append("\n### ").append(e.getKey()).append("\n\n");
      if (c.run.failure != null) {
        md.append("- run failed: `").append(userMessage(c.run.failure)).append("`\n");
      }
      if (c.run.manifest != null) {
        md.append("- manifest status `").append(c.run.manifest.path("status").asText()).append('`');
        if (c.run.manifest.hasNonNull("error")) {
          md.append(", error `").append(firstLine(c.run.manifest.path("error").asText())).append('`');
        }
        md.append('\n');
        c.run.manifest.path("tables").properties().forEach(t -> md.append("- table ").append(t.getKey())
            .append(": read ").append(t.getValue().path("read").asText()).append(", accepted ")
            .append(t.getValue().path("accepted").asText()).append(", quarantined ")
            .append(t.getValue().path("quarantined").asText()).append(quarantinedBy(t.getValue())).append('\n'));
        c.run.manifest.path("flags").forEach(f -> md.append("- flag ").append(f.path("stage").asText()).append(' ')
            .append(f.path("code").asText()).append(": ").append(firstLine(f.path("message").asText())).append('\n'));
      }
      for (String line : c.printed.split("\n")) {
        if (line.startsWith("WARNING:")) {
          md.append("- console `").append(line.strip()).append("`\n");
        }
      }
      c.probes.forEach((stage, p) -> {
        if (p.failure != null) {
          md.append("- alone ").append(stage).append(": `").append(userMessage(p.failure)).append("`\n");
        }
      });
      if (c.secondWriteBack != null && c.secondWriteBack.failure != null) {
        md.append("- writeback (MariaDB): `").append(userMessage(c.secondWriteBack.failure)).append("`\n");
      }
    }

    md.append("\n## Stack traces, one per distinct failure\n");
    Map<String, Set<String>> where = new LinkedHashMap<>();
    Map<String, Throwable> traces = new LinkedHashMap<>();
    companies.forEach((name, c) -> {
      List<Map.Entry<String, Result>> all = new ArrayList<>();
      all.add(Map.entry("run", c.run));
      c.probes.forEach((stage, p) -> all.add(Map.entry("alone " + stage, p)));
      if (c.secondWriteBack != null) {
        all.add(Map.entry("writeback (MariaDB)", c.secondWriteBack));
      }
      for (Map.Entry<String, Result> a : all) {
        Throwable t = a.getValue().failure;
        if (t != null) {
          String key = distinct(t);
          where.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(name + " (" + a.getKey() + ")");
          traces.putIfAbsent(key, t);
        }
      }
    });
    traces.forEach((key, t) -> {
      StringWriter trace = new StringWriter();
      t.printStackTrace(new PrintWriter(trace));
      md.append("\n### ").append(firstLine(userMessage(t))).append("\n\nSeen in: ")
          .append(String.join(", ", where.get(key))).append("\n\n```\n").append(trace.toString().strip())
          .append("\n```\n");
    });
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, md);
  }

  /** " (rule: n, ...)" for the rules that rejected rows, or "". */
  private static String quarantinedBy(JsonNode table) {
    List<String> rules = new ArrayList<>();
    table.path("rules").properties().forEach(r -> {
      if (r.getValue().asLong() > 0) {
        rules.add(r.getKey() + ": " + r.getValue().asText());
      }
    });
    table.path("warnings").properties().forEach(r -> {
      if (r.getValue().asLong() > 0) {
        rules.add("warning " + r.getKey() + ": " + r.getValue().asText());
      }
    });
    return rules.isEmpty() ? "" : " (" + String.join(", ", rules) + ")";
  }

  /** A failure's identity across companies: its class and message without paths, ids and numbers. */
  private static String distinct(Throwable t) {
    return t.getClass().getName() + ": " + firstLine(String.valueOf(t.getMessage()))
        .replaceAll("(file:)?/tmp/\\S+", "PATH").replaceAll("Lambda\\S+", "Lambda")
        .replaceAll("[0-9][0-9a-fA-FxE.+-]*", "N");
  }

  private static String esc(String s) {
    String one = s.replace("|", "\\|").replace("\n", " ");
    return one.length() > 220 ? one.substring(0, 217) + "..." : one;
  }
}
