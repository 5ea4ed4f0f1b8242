package org.crmanalytics.jobs.churn;

import org.crmanalytics.models.churn.ChurnSettings;
import org.crmanalytics.jobs.cli.Pipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.crmanalytics.jobs.config.ConfigError;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.models.evaluation.PromotionRule;
import org.crmanalytics.models.explain.ReasonRules;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The churn: keys of the promotion rule and the snapshot history, checked without Spark. */
@Tag("unit")
class ChurnConfigTest {
  @TempDir Path dir;

  private ChurnSettings load(String churn) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, """
        as_of: 2025-12-31
        tables:
          customers: {path: c.csv}
          sales: {path: s.csv}
        """ + churn);
    PipelineConfig config = Pipeline.configLoader(Map.of()).load(file);
    return config.settings(ChurnSettings.class);
  }

  @Test
  void defaultsAreTheDocumentedOnes() throws IOException {
    ChurnSettings c = load("");
    assertEquals(PromotionRule.DEFAULT, c.promotion());
    assertEquals(new PromotionRule(100, 20, 20, 1000, 0.95, 42, 0.10, 0.05), c.promotion());
    assertEquals(3, c.minHistoryMonths());
    assertEquals(List.of("industry"), c.peerGroups());
    assertEquals(new ReasonRules(20, 0.25, 0.10, 1, 7), c.reasons());
  }

  @Test
  void peerGroupsAndReasonRules() throws IOException {
    ChurnSettings c = load("""
        churn:
          segment_by: [Segment, industry]
          reasons: {min_peers: 50, min_relative_difference: 0.5, min_percent_points: 20, min_days: 14}
        """);
    assertEquals(List.of("segment", "industry"), c.peerGroups());
    assertEquals(new ReasonRules(50, 0.5, 0.2, 1, 14), c.reasons());
    assertEquals(List.of(), load("churn: {segment_by: none}\n").peerGroups(), "all customers only");
    assertEquals(List.of("region"), load("churn: {segment_by: region}\n").peerGroups());
    ConfigError alone = assertThrows(ConfigError.class, () -> load("churn: {segment_by: [segment, none]}\n"));
    assertTrue(firstLine(alone).endsWith("churn.segment_by: none means all customers and stands alone; found "
        + "[segment, none]"), firstLine(alone));
    ConfigError unknown = assertThrows(ConfigError.class, () -> load("churn: {segment_by: [postcode]}\n"));
    assertTrue(firstLine(unknown).endsWith("churn.segment_by: must be one of channel, industry, none, region, segment "
        + "or a list of them; found 'postcode'"), firstLine(unknown));
    ConfigError peers = assertThrows(ConfigError.class, () -> load("churn: {reasons: {min_peers: 1}}\n"));
    assertTrue(firstLine(peers).endsWith("churn.reasons.min_peers: must be 2 to 1000000, found 1"), firstLine(peers));
  }

  @Test
  void everyPromotionKeyIsReadAndTheBootstrapSharesTheTrainingSeed() throws IOException {
    ChurnSettings c = load("""
        churn:
          training: {min_history_months: 6, seed: 7}
          promotion: {min_test_rows: 500, min_positives: 50, min_negatives: 60, bootstrap_resamples: 0, confidence: 0.9,
                      top_share: 0.2, lift_tolerance: 0}
        """);
    assertEquals(new PromotionRule(500, 50, 60, 0, 0.9, 7, 0.2, 0.0), c.promotion());
    assertEquals(6, c.minHistoryMonths());
  }

  @Test
  void badValuesNameTheirKey() {
    ConfigError e = assertThrows(ConfigError.class, () -> load("""
        churn:
          promotion: {confidence: 1.5}
        """));
    assertTrue(firstLine(e).endsWith("churn.promotion.confidence: must be a number from 0.5 to 0.999, found 1.5"),
        firstLine(e));
    ConfigError min = assertThrows(ConfigError.class, () -> load("""
        churn:
          promotion: {min_positives: 0}
        """));
    assertTrue(firstLine(min).endsWith("churn.promotion.min_positives: must be 1 to 10000000, found 0"),
        firstLine(min));
    assertThrows(ConfigError.class, () -> load("""
        churn:
          promotion: {min_rows: 10}
        """));
    ConfigError share = assertThrows(ConfigError.class, () -> load("""
        churn:
          promotion: {top_share: 10}
        """));
    assertTrue(firstLine(share).endsWith("churn.promotion.top_share: must be a number from 0.01 to 1.0, found 10.0"),
        firstLine(share));
  }

  private static String firstLine(ConfigError e) {
    return e.getMessage().lines().findFirst().orElse("");
  }
}
