package org.crmanalytics.jobs.crosssell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.crmanalytics.jobs.cli.Pipeline;
import org.crmanalytics.jobs.config.ConfigError;
import org.crmanalytics.models.crosssell.CollaborativeFiltering;
import org.crmanalytics.models.crosssell.CrossSellSettings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cross_sell:} section: defaults, every key bound, errors naming the key as typed. */
@Tag("unit")
class CrossSellConfigTest {
  @TempDir Path dir;

  private CrossSellSettings load(String section) throws IOException {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, """
        as_of: 2025-12-31
        tables:
          customers: {path: c.csv}
          sales: {path: s.csv}
        """ + section);
    return Pipeline.configLoader(Map.of()).load(file).settings(CrossSellSettings.class);
  }

  @Test
  void withoutTheSectionTheModelsDefaultsAndTheStagesOnePointGrid() throws IOException {
    CrossSellSettings s = load("");
    CrossSellSettings d = CrossSellSettings.DEFAULTS;
    assertEquals(d.withCollaborativeFiltering(CrossSellConfig.STAGE_ALS), s);
    assertEquals(List.of(10), s.collaborativeFiltering().ranks());
  }

  @Test
  void everyKeyIsBound() throws IOException {
    CrossSellSettings s = load("""
        cross_sell:
          level: product_id
          lookback_months: 24
          horizon_months: 3
          top_k: 7
          peers: {size_band_starts: [1, 20, 100], min_group_size: 5}
          white_space: {spend_percentile: 0.9, per_employee: true, regular_share_of_median: 0.5}
          rules: {min_support: 0.05, min_confidence: 0.2, min_lift: 1.5}
          als: {feedback: spend, ranks: [4, 8], reg_params: 0.05, alphas: [2], max_iter: 3, blocks: 2, seed: 7}
        """);
    assertEquals("product_id", s.level());
    assertEquals(24, s.lookbackMonths());
    assertEquals(3, s.horizonMonths());
    assertEquals(7, s.topK());
    assertEquals(List.of(1, 20, 100), s.peers().sizeBandStarts());
    assertEquals(5, s.peers().minGroupSize());
    assertEquals(0.9, s.whiteSpace().spendPercentile());
    assertTrue(s.whiteSpace().perEmployee());
    assertEquals(0.5, s.whiteSpace().regularShareOfMedian());
    assertEquals(0.05, s.rules().minSupport());
    assertEquals(0.2, s.rules().minConfidence());
    assertEquals(1.5, s.rules().minLift());
    assertEquals(new CollaborativeFiltering.Settings(CollaborativeFiltering.Feedback.SPEND, List.of(4, 8), List.of(0.05),
        List.of(2.0), 3, 2, 7L), s.collaborativeFiltering());
  }

  @Test
  void anUnknownKeyIsAnErrorWithTheClosestKnownOne() {
    ConfigError e = assertThrows(ConfigError.class, () -> load("""
        cross_sell:
          als: {rank: [5]}
        """));
    assertTrue(e.getMessage().contains("cross_sell.als.rank") && e.getMessage().contains("did you mean 'ranks'?"),
        e.getMessage());
    ConfigError top = assertThrows(ConfigError.class, () -> load("""
        cross_sell:
          top_n: 3
        """));
    assertTrue(top.getMessage().contains("cross_sell.top_n") && top.getMessage().contains("did you mean 'top_k'?"),
        top.getMessage());
  }

  @Test
  void valuesOutOfRangeNameTheirKey() {
    ConfigError bands = assertThrows(ConfigError.class, () -> load("""
        cross_sell:
          peers: {size_band_starts: [10, 5]}
        """));
    assertTrue(bands.getMessage().contains("cross_sell.peers") && bands.getMessage().contains("strictly ascending"),
        bands.getMessage());
    ConfigError k = assertThrows(ConfigError.class, () -> load("cross_sell: {top_k: 0}\n"));
    assertTrue(k.getMessage().contains("cross_sell.top_k") && k.getMessage().contains("1 to 100"), k.getMessage());
    ConfigError feedback = assertThrows(ConfigError.class, () -> load("cross_sell: {als: {feedback: clicks}}\n"));
    assertTrue(feedback.getMessage().contains("cross_sell.als.feedback") && feedback.getMessage().contains("orders or spend"),
        feedback.getMessage());
    ConfigError ranks = assertThrows(ConfigError.class, () -> load("cross_sell: {als: {ranks: [five]}}\n"));
    assertTrue(ranks.getMessage().contains("cross_sell.als.ranks"), ranks.getMessage());
  }
}
