package org.crmanalytics.jobs.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.ingest.IngestHarness;
import org.crmanalytics.models.features.CustomerSnapshot.Settings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code features:} section: defaults, accepted values, and errors that name the key as typed. */
@Tag("unit")
class FeaturesConfigTest {
  private static final String TABLES = """
      as_of: 2025-12-31
      tables:
        customers: {format: csv, path: customers.csv}
        sales: {format: csv, path: sales.csv}
      """;

  @TempDir Path dir;

  private PipelineConfig load(String features) {
    return IngestHarness.load(IngestHarness.config(dir, TABLES + features));
  }

  private String error(String features) {
    UserError e = assertThrows(UserError.class, () -> load(features));
    return e.getMessage();
  }

  @Test
  void withoutASectionTheDefaultWindowsApply() {
    PipelineConfig config = load("");
    assertEquals(Settings.DEFAULTS, config.settings(Settings.class));
    assertEquals(List.of(90, 365, 730), Settings.DEFAULTS.windowsDays());
    assertEquals(List.of(90, 365), Settings.DEFAULTS.activityWindowsDays());
  }

  @Test
  void windowsAreRead() {
    Settings s = load("""
        features:
          windows_days: [30, 180]
          activity_windows_days: 14
        """).settings(Settings.class);
    assertEquals(new Settings(List.of(30, 180), List.of(14)), s);
  }

  @Test
  void theStageNamesItsNeedsAndOutput() {
    FeaturesStage stage = new FeaturesStage();
    assertEquals("features", stage.name());
    assertEquals(List.of("ingest"), stage.needs());
    assertEquals(List.of("snapshot/as_of=2025-12-31"), stage.produces(load("")));
    assertEquals(List.of("snapshot/as_of=2024-06-30"),
        stage.produces(load("").withAsOf(LocalDate.of(2024, 6, 30))));
  }

  @Test
  void errorsNameTheKeyAsTyped() {
    assertContains(error("features: {window_days: [90]}\n"),
        "features.window_days: unknown key (did you mean 'windows_days'?)");
    assertContains(error("features: {windows_days: [90, ninety]}\n"),
        "features.windows_days[1]: expected a whole number of days, found 'ninety'");
    assertContains(error("features: {windows_days: abc}\n"),
        "features.windows_days: expected a whole number of days, found 'abc'");
    assertContains(error("features: {windows_days: []}\n"),
        "features.windows_days: needs at least one window in days");
    assertContains(error("features: {windows_days: [90, 0]}\n"),
        "features.windows_days[1]: must be between 1 and 36500 days, found 0");
    assertContains(error("features: {activity_windows_days: [90, 365, 90]}\n"),
        "features.activity_windows_days[2]: 90 days is listed twice");
    assertContains(error("features: {windows_days: {a: 1}}\n"),
        "features.windows_days: expected a list of whole numbers of days");
    assertContains(error("features: [90]\n"), "features: expected a section with keys activity_windows_days, windows_days");
  }

  private static void assertContains(String message, String expected) {
    assertTrue(message.contains(expected), "expected\n  " + expected + "\nin\n  " + message);
  }
}
