package org.crmanalytics.jobs.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.crmanalytics.jobs.base.UserError;

/**
 * Versioned models (churn, payment default) under {@code <out>/models/<model>/}: one folder per version with the fitted
 * pipeline, {@code metadata.json} (Spark version, training window, features, fingerprint of the
 * training data, metrics) and the evaluation report; {@code promoted.json} names the version that
 * scoring uses. A version is never overwritten.
 */
public final class ModelStore {
  public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String model;
  private final String root;
  private final AtomicOutput output;

  /** @param model the model's name: its folder under models/ and its {@code train} command's argument */
  public ModelStore(String model, String outputRoot, AtomicOutput output) {
    this.model = model;
    this.root = outputRoot + "/" + Output.modelStore(model);
    this.output = output;
  }

  /** {@code <out>/models/<model>}. */
  public String root() {
    return root;
  }

  /** The parts of a version's folder. */
  public static final String PIPELINE = "pipeline";
  public static final String METADATA = "metadata.json";
  public static final String EVALUATION_JSON = "evaluation.json";
  public static final String EVALUATION_TEXT = "evaluation.txt";
  public static final String TEST_PREDICTIONS = "test_predictions";

  public String folder(String version) {
    return root + "/" + version;
  }

  public String pipeline(String version) {
    return folder(version) + "/" + PIPELINE;
  }

  public String metadata(String version) {
    return folder(version) + "/" + METADATA;
  }

  public String evaluationJson(String version) {
    return folder(version) + "/" + EVALUATION_JSON;
  }

  public String evaluationText(String version) {
    return folder(version) + "/" + EVALUATION_TEXT;
  }

  /** The model's predictions on its test snapshot (Parquet). */
  public String testPredictions(String version) {
    return folder(version) + "/" + TEST_PREDICTIONS;
  }

  public String promotedFile() {
    return root + "/promoted.json";
  }

  /** A fitted model with what scoring needs to know about it. */
  public record StoredModel(String version, PipelineModel pipeline, List<String> features, String algorithm,
      JsonNode metadata) {}

  /**
   * Writes a new version into {@code into}, the run's staging twin of its folder, which the caller
   * commits; refuses a version that exists already.
   */
  public void write(String version, String into, PipelineModel pipeline, ObjectNode metadata, String evaluationJson,
      String evaluationText) {
    if (output.exists(folder(version))) {
      throw new UserError(model + " model version " + version + " exists already at " + folder(version)
          + "; versions are never overwritten");
    }
    try {
      pipeline.write().save(into + "/" + PIPELINE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the " + model + " model to " + into, e);
    }
    output.writeText(into + "/" + EVALUATION_JSON, evaluationJson);
    output.writeText(into + "/" + EVALUATION_TEXT, evaluationText);
    output.writeText(into + "/" + METADATA, metadata.toPrettyString());
  }

  public void promote(String version) {
    ObjectNode p = JSON.createObjectNode();
    p.put("version", version);
    output.writeText(promotedFile(), p.toPrettyString());
  }

  /** The promoted version's metadata.json, when a version is promoted. */
  public Optional<JsonNode> promotedMetadata() {
    return promotedVersion().map(v -> read(metadata(v)));
  }

  public Optional<String> promotedVersion() {
    if (!output.exists(promotedFile())) {
      return Optional.empty();
    }
    return Optional.of(read(promotedFile()).path("version").asText());
  }

  /** The newest version with metadata (by its {@code created_at}), promoted or not; empty when none was ever trained. */
  public Optional<StoredVersion> latestVersion() {
    return output.folders(root).stream().filter(v -> output.exists(metadata(v)))
        .map(v -> new StoredVersion(v, read(metadata(v))))
        .max(java.util.Comparator.comparing(StoredVersion::createdAt).thenComparing(StoredVersion::version));
  }

  /** A stored version and its metadata.json. */
  public record StoredVersion(String version, JsonNode metadata) {
    /** When it was trained; the epoch when its metadata does not say (written by an older version of the code). */
    Instant createdAt() {
      try {
        return Instant.parse(metadata.path("created_at").asText());
      } catch (java.time.format.DateTimeParseException e) {
        return Instant.EPOCH;
      }
    }
  }

  /** The promoted model, or an error that says how to get one. */
  public StoredModel loadPromoted() {
    String version = promotedVersion().orElseThrow(() -> new UserError("no promoted " + model + " model under " + root
        + "; train one with bin/crm-analytics train " + model + " (a model is promoted only when it beats the naive baselines)"));
    return load(version);
  }

  public StoredModel load(String version) {
    if (!output.exists(metadata(version))) {
      throw new UserError(model + " model version " + version + " has no metadata at " + metadata(version));
    }
    JsonNode meta = read(metadata(version));
    List<String> features = new ArrayList<>();
    meta.path("features").forEach(f -> features.add(f.asText()));
    return new StoredModel(version, PipelineModel.load(pipeline(version)), features,
        meta.path("algorithm").asText(), meta);
  }

  private JsonNode read(String path) {
    try {
      return JSON.readTree(output.readText(path).orElseThrow(() -> new UserError(path + " is missing")));
    } catch (IOException e) {
      throw new UserError(path + " is not valid JSON (" + e.getMessage() + "); restore it or train again");
    }
  }
}
