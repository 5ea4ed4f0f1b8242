package org.crmanalytics.jobs.clv;

import org.crmanalytics.jobs.cli.Pipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.crmanalytics.jobs.config.ConfigError;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.models.btyd.BtydTimeUnit;
import org.crmanalytics.models.btyd.ClvSettings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The clv: section, checked without Spark; errors name the key as typed. */
@Tag("unit")
class ClvConfigTest {
  @TempDir Path dir;

  private PipelineConfig load(String clv) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, """
        as_of: 2025-12-31
        tables:
          customers: {path: c.csv}
          sales: {path: s.csv}
        """ + clv);
    return Pipeline.configLoader(Map.of()).load(file);
  }

  @Test
  void defaultsAreBgnbdInWeeksOverTwelveMonthsAtTenPercent() throws IOException {
    ClvSettings s = load("").settings(ClvSettings.class);
    assertEquals(ClvSettings.defaults(LocalDate.of(2025, 12, 31)), s);
    assertEquals(BtydTimeUnit.WEEKS, s.timeUnit());
    assertEquals(12, s.horizonMonths());
    assertEquals(0.10, s.annualDiscountRate());
  }

  @Test
  void everyKeyIsRead() throws IOException {
    ClvSettings s = load("""
        clv:
          model: paretonbd
          time_unit: days
          horizon_months: 24
          annual_discount_rate: 0.08
          max_distinct_rows: 5000
        """).settings(ClvSettings.class);
    assertEquals(new ClvSettings(LocalDate.of(2025, 12, 31), ClvSettings.PurchaseModelKind.PARETONBD,
        BtydTimeUnit.DAYS, 24, 0.08, 5000), s);
  }

  @Test
  void errorsNameTheKey() throws IOException {
    assertError("clv:\n  horizon_months: 0\n", "clv.horizon_months", "1 to 120");
    assertError("clv:\n  horizon_months: twelve\n", "clv.horizon_months", "whole number");
    assertError("clv:\n  annual_discount_rate: 10\n", "clv.annual_discount_rate", "0.08 for 8 %");
    assertError("clv:\n  time_unit: months\n", "clv.time_unit", "days or weeks");
    assertError("clv:\n  model: bgnb\n", "clv.model", "bgnbd or paretonbd");
    assertError("clv:\n  horizon: 12\n", "clv.horizon", "horizon_months");
  }

  private void assertError(String yaml, String key, String hint) throws IOException {
    ConfigError e = assertThrows(ConfigError.class, () -> load(yaml));
    assertTrue(e.getMessage().contains(key) && e.getMessage().contains(hint), e.getMessage());
  }
}
