package org.crmanalytics.jobs.quality;

import static org.crmanalytics.jobs.browser.HeadlessChromium.LAPTOP_WIDTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.crmanalytics.jobs.browser.HeadlessChromium;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The data-quality report opened from disk in headless Chromium at a laptop's width: long source
 * and configuration paths wrap instead of widening the page, and a run where no rule fired says so.
 * Pages and screenshots are kept in target/data-quality-artifacts. Without Chromium the test is
 * skipped, or fails when CI=true.
 */
@Tag("browser")
class DataQualityReportBrowserTest {
  private static final Path ARTIFACTS = Path.of("target", "data-quality-artifacts");
  /** The scorecard's browser test uses the same width: a common laptop's screen in CSS pixels. */

  private static Path chromium;

  @BeforeAll
  static void findChromium() throws Exception {
    chromium = HeadlessChromium.requiredForTest();
    Files.createDirectories(ARTIFACTS);
  }

  /** What the page shows, and its layout faults (HeadlessChromium.OVERFLOW), read by one script. */
  private static final String INSPECT = """
      ({
        layout: %s,
        rules: Array.from(document.querySelectorAll('#rules-fired tr[data-rule]')).map(r => r.dataset.rule),
        noRuleFired: (e => e ? e.textContent.trim() : null)(document.getElementById('no-rule-fired')),
        height: document.documentElement.scrollHeight
      })""".formatted(HeadlessChromium.OVERFLOW);

  /** Opens the page from disk, keeps a screenshot and checks that it fits the window. */
  private static JsonNode open(String name, String html) throws Exception {
    Path page = ARTIFACTS.resolve(name + ".html").toAbsolutePath();
    Files.writeString(page, html);
    try (HeadlessChromium browser = HeadlessChromium.start(chromium, LAPTOP_WIDTH, 900)) {
      browser.send("Page.enable", Map.of());
      browser.send("Page.navigate", Map.of("url", page.toUri().toString()));
      browser.awaitEvent(e -> "Page.loadEventFired".equals(e.path("method").asText()), Duration.ofSeconds(60));
      JsonNode shown = browser.evaluate(INSPECT);
      browser.send("Emulation.setDeviceMetricsOverride", Map.of("width", LAPTOP_WIDTH,
          "height", shown.path("height").asInt(900), "deviceScaleFactor", 1, "mobile", false));
      JsonNode shot = browser.send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
      Files.write(ARTIFACTS.resolve(name + ".png"), Base64.getDecoder().decode(shot.path("data").asText()));

      JsonNode layout = shown.path("layout");
      assertEquals("[]", layout.path("overflowing").toString(), "tables wider than their section at " + LAPTOP_WIDTH + " px");
      assertEquals("[]", layout.path("scrollingSections").toString(), "sections that scroll sideways at " + LAPTOP_WIDTH + " px");
      assertFalse(layout.path("pageScrolls").asBoolean(), "the page scrolls sideways at " + LAPTOP_WIDTH + " px");
      return shown;
    }
  }

  @Test
  void longPathsWrapAndTheFiredRulesFitTheWindow() throws Exception {
    JsonNode shown = open("data-quality-fired", DataQualityReport.html(DataQualityReportTest.pageWithFiredRules()));
    assertEquals("[\"customers.customer_id.missing\",\"customers.created_at.type\",\"customers.duplicate_key\","
        + "\"sales.customer_id.reference\",\"sales.sign\"]", shown.path("rules").toString());
  }

  @Test
  void aCleanRunSaysNoRuleFiredAndFitsTheWindow() throws Exception {
    JsonNode shown = open("data-quality-clean", DataQualityReport.html(DataQualityReportTest.pageWithoutFiredRules()));
    assertEquals("No rule fired: every row read was accepted without a warning.", shown.path("noRuleFired").asText());
  }
}
