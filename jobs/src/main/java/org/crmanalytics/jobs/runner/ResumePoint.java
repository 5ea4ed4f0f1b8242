package org.crmanalytics.jobs.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.io.AtomicOutput;
import org.crmanalytics.jobs.io.RunManifest;

/**
 * Where an earlier run stopped: the stages it planned that have not succeeded yet, read from its
 * manifest and checked against this run's as_of and configuration, so that a resume never mixes
 * outputs of two different dates or configurations.
 *
 * @param runId the run being resumed
 * @param status that run's recorded outcome: failed, partial, succeeded (with a stage that ran
 *     without an optional input), or running when its process ended without finishing the manifest
 * @param planned the stages that run planned, in order (carried into the resuming run's manifest)
 * @param completed each stage that already succeeded, with the run that completed it
 * @param remaining the stages to run now, in dependency order: those that did not succeed with all
 *     their inputs, and the planned stages that read their outputs
 */
public record ResumePoint(String runId, String status, List<String> planned, Map<String, String> completed,
    List<PipelineStage> remaining) {
  /** The run ids that {@link PipelineRunner#newRunId} makes; anything else is not looked up as a path. */
  private static final Pattern RUN_ID = Pattern.compile("\\d{8}T\\d{6}-[0-9a-f]{4}");

  public static ResumePoint of(PipelineConfig config, StageGraph graph, String runId, AtomicOutput files) {
    if (!RUN_ID.matcher(runId).matches()) {
      throw new UserError("--resume: '" + runId + "' is not a run id (like 20251231T020000-1a2b); "
          + "the run ids are the file names in " + config.output() + "/runs/");
    }
    String path = config.output() + "/runs/" + runId + ".json";
    String json = files.readText(path).orElseThrow(() -> new UserError("--resume: no run " + runId
        + " under " + config.output() + " (looked for " + path + "); pass the --out of that run"));
    RunManifest.Recorded previous;
    try {
      previous = RunManifest.read(path, json);
    } catch (IllegalArgumentException e) {
      throw new UserError("--resume: " + e.getMessage());
    }
    if (!previous.asOf().equals(String.valueOf(config.asOf()))) {
      throw new UserError("--resume: run " + runId + " was for as_of " + previous.asOf() + ", this one is for "
          + config.asOf() + "; resume with --as-of " + previous.asOf() + ", or start a new run without --resume");
    }
    String sha = configSha256(config);
    if (previous.configSha256() == null || !previous.configSha256().equals(sha)) {
      throw new UserError("--resume: run " + runId + " used the configuration " + previous.config()
          + " and this run's configuration " + config.source() + " differs from it"
          + (previous.configSha256() == null ? " (that run recorded no fingerprint)" : " (SHA-256 differs)")
          + "; resume with the configuration of that run unchanged, or start a new run without --resume");
    }
    if (previous.planned() == null) {
      throw new UserError("--resume: run " + runId + " recorded no planned stages (an older version wrote "
          + path + "); start a new run without --resume");
    }
    Map<String, String> completed = new LinkedHashMap<>(previous.completed());
    // What did not complete, and what read its outputs: those outputs are stale once it runs again.
    Set<String> again = graph.withDependants(previous.planned().stream().filter(s -> !completed.containsKey(s))
        .collect(Collectors.toCollection(LinkedHashSet::new)));
    List<String> left = previous.planned().stream().filter(again::contains).toList();
    left.forEach(completed::remove);
    List<PipelineStage> remaining = left.isEmpty() ? List.of() : graph.ordered(left);
    return new ResumePoint(runId, previous.status(), previous.planned(), completed, remaining);
  }

  /** SHA-256 of the configuration file's bytes; null when the source is not a readable file. */
  public static String configSha256(PipelineConfig config) {
    Path file = Path.of(config.source()).toAbsolutePath().normalize();
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UserError("cannot read the configuration " + file + " to fingerprint it: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
