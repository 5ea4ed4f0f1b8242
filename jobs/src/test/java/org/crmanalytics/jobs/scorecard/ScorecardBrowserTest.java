package org.crmanalytics.jobs.scorecard;

import org.crmanalytics.jobs.io.Output;
import static org.crmanalytics.jobs.browser.HeadlessChromium.LAPTOP_WIDTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.browser.HeadlessChromium;
import org.crmanalytics.jobs.runner.PipelineRunner;
import org.crmanalytics.jobs.scorecard.ScorecardSettings.Language;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scorecard of {@link ScorecardFixture} opened from disk in real headless Chromium (Debian's
 * package), driven over the DevTools protocol: no console error or exception, every chart drew
 * its SVG, the tiles and the top list show the fixture's values in each language, no script from
 * data ran, and no request left the file. Screenshots and pages are kept in
 * target/scorecard-artifacts. Without Chromium the test is skipped, or fails when CI=true.
 */
@Tag("spark")
@Tag("browser")
@ExtendWith(SharedSpark.class)
class ScorecardBrowserTest {
  private static final Path ARTIFACTS = Path.of("target", "scorecard-artifacts");
  private static final List<String> CHARTS = List.of(ScorecardPage.CHART_FUNNEL, ScorecardPage.CHART_ABC,
      ScorecardPage.CHART_LORENZ, ScorecardPage.CHART_MIGRATION, ScorecardPage.CHART_CHURN_HISTOGRAM,
      ScorecardPage.CHART_CHURN_BANDS, ScorecardPage.CHART_PAYMENT_AGEING, ScorecardPage.CHART_PAYMENT_REGION,
      ScorecardPage.CHART_PAYMENT_REP, ScorecardPage.CHART_CROSS_SELL_WHITE_SPACE, ScorecardPage.CHART_CROSS_SELL_REGION,
      ScorecardPage.CHART_CROSS_SELL_REP);

  private static Path chromium;
  /** A common laptop's screen width in CSS pixels: the page must fit it in both languages. */
  private static final Map<Language, Path> pages = new java.util.EnumMap<>(Language.class);
  /** The published white space of peer level industry, "industry|group" to penetration, read back from its Parquet. */
  private static final Map<String, Double> penetration = new java.util.HashMap<>();
  /** The published recommendations, biggest € potential first: customer_id, euro_potential, reason_en, reason_de. */
  private static List<org.apache.spark.sql.Row> opportunities;

  @TempDir static Path dir;
  @TempDir static Path root;

  @BeforeAll
  static void renderBothLanguages(SparkSession spark) throws Exception {
    chromium = HeadlessChromium.requiredForTest();
    ScorecardFixture.write(spark, root);
    Files.createDirectories(ARTIFACTS);
    for (Language language : Language.values()) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      try (Console console = new Console(new PrintStream(buffer, true, StandardCharsets.UTF_8), Console.Verbosity.QUIET)) {
        new PipelineRunner(console).run(spark, ScorecardFixture.config(dir, root, ""),
            List.of(new ScorecardStage(Optional.of(language))), "scorecard");
      }
      Path page = ARTIFACTS.resolve("scorecard-" + language.id() + ".html");
      Files.copy(root.resolve(Output.SCORECARD.at(language.id(), ScorecardFixture.AS_OF)), page,
          StandardCopyOption.REPLACE_EXISTING);
      pages.put(language, page.toAbsolutePath());
    }
    for (org.apache.spark.sql.Row r : spark.read().parquet(root.resolve(Output.CROSS_SELL_WHITE_SPACE.at(ScorecardFixture.AS_OF))
        .toString()).filter("peer_level = 'industry'").select("peer_group", "item", "penetration").collectAsList()) {
      penetration.put(r.getString(0) + "|" + r.getString(1), r.getDouble(2));
    }
    opportunities = spark.read().parquet(root.resolve(Output.CROSS_SELL_RECOMMENDATIONS.at(ScorecardFixture.AS_OF)).toString())
        .orderBy(org.apache.spark.sql.functions.col("euro_potential").desc(), org.apache.spark.sql.functions.col("customer_id"),
            org.apache.spark.sql.functions.col("rank"))
        .select("customer_id", "euro_potential", "reason_en", "reason_de").limit(ScorecardSettings.DEFAULTS.topAtRisk())
        .collectAsList();
  }

  /** What the page shows, read by one script in the browser. */
  private static final String INSPECT = """
      (() => {
        // ASCII white space only: German percentages keep their no-break space.
        const text = e => e ? e.textContent.replace(/[ \\t\\n\\r]+/g, ' ').trim() : null;
        const charts = {};
        for (const div of document.querySelectorAll('.chart')) {
          charts[div.id] = {
            svgs: div.querySelectorAll('.plot-container .main-svg').length,
            title: text(div.querySelector('.gtitle')),
            bars: div.querySelectorAll('.barlayer .point').length,
            lines: div.querySelectorAll('.scatterlayer .trace .lines path').length,
            heatmaps: div.querySelectorAll('.heatmaplayer image').length,
            xTicks: Array.from(div.querySelectorAll('.xaxislayer-above .xtick text')).map(text)
          };
        }
        const tiles = {};
        for (const t of document.querySelectorAll('.tile')) {
          tiles[t.dataset.kpi] = {value: text(t.querySelector('.value')), target: text(t.querySelector('.target'))};
        }
        const top = Array.from(document.querySelectorAll('#top-at-risk tr')).slice(1)
          .map(r => Array.from(r.cells).map(text));
        const paymentTop = Array.from(document.querySelectorAll('#top-expected-loss tr')).slice(1)
          .map(r => Array.from(r.cells).map(text));
        const opportunities = Array.from(document.querySelectorAll('#top-opportunities tr')).slice(1)
          .map(r => Array.from(r.cells).map(text));
        // plotly keeps the figure's data on its element: the heat map's cells as drawn.
        const heat = document.getElementById('chart_cross_sell_white_space');
        const whiteSpace = heat && heat.data ? {x: heat.data[0].x, y: heat.data[0].y, z: heat.data[0].z} : null;
        return {
          charts, tiles, top, paymentTop, opportunities, whiteSpace,
          crossSellGrade: text(document.getElementById('cross-sell-vs-popularity')),
          paymentGrade: text(document.getElementById('payment-model-grade')),
          xss: typeof window.__xss,
          external: document.querySelectorAll('script[src], link[href], img[src], iframe').length,
          title: document.title,
          gini: text(document.getElementById('gini')),
          auc: text(document.getElementById('auc-vs-baseline')),
          grade: text(document.getElementById('model-grade')),
          rows: Array.from(document.querySelectorAll('#row-accounting tr[data-table]')).map(r => Array.from(r.cells).map(text)),
          height: document.documentElement.scrollHeight
        };
      })()
      """;

  private record Visit(JsonNode page, JsonNode layout, List<String> errors, List<String> requests) {}

  private static Visit visit(Language language) throws Exception {
    Path page = pages.get(language);
    String url = page.toUri().toString();
    try (HeadlessChromium browser = HeadlessChromium.start(chromium, LAPTOP_WIDTH, 900)) {
      for (String domain : List.of("Runtime", "Log", "Network", "Page")) {
        browser.send(domain + ".enable", Map.of());
      }
      browser.send("Page.navigate", Map.of("url", url));
      browser.awaitEvent(e -> "Page.loadEventFired".equals(e.path("method").asText()), Duration.ofSeconds(60));
      browser.waitFor("document.querySelectorAll('.chart').length > 0 && Array.from(document.querySelectorAll('.chart'))"
          + ".every(d => d.querySelector('.plot-container .main-svg'))", Duration.ofSeconds(60));
      JsonNode shown = browser.evaluate(INSPECT);
      JsonNode layout = browser.evaluate(HeadlessChromium.OVERFLOW);

      // A screenshot of the whole page, for a person to look at.
      browser.send("Emulation.setDeviceMetricsOverride", Map.of("width", LAPTOP_WIDTH,
          "height", shown.path("height").asInt(900), "deviceScaleFactor", 1, "mobile", false));
      Thread.sleep(300); // let plotly's responsive charts settle at the new size
      JsonNode shot = browser.send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
      Files.write(ARTIFACTS.resolve("scorecard-" + language.id() + ".png"),
          Base64.getDecoder().decode(shot.path("data").asText()));

      List<String> errors = new ArrayList<>();
      for (JsonNode e : browser.events("Runtime.consoleAPICalled")) {
        String type = e.path("params").path("type").asText();
        if (type.equals("error") || type.equals("assert") || type.equals("warning")) {
          errors.add("console." + type + ": " + e.path("params").path("args"));
        }
      }
      browser.events("Runtime.exceptionThrown").forEach(e -> errors.add("exception: " + e.path("params")));
      for (JsonNode e : browser.events("Log.entryAdded")) {
        JsonNode entry = e.path("params").path("entry");
        if (entry.path("level").asText().matches("error|warning")) {
          errors.add("log " + entry.path("level").asText() + ": " + entry.path("text").asText() + " " + entry.path("url").asText());
        }
      }
      List<String> requests = browser.events("Network.requestWillBeSent").stream()
          .map(e -> e.path("params").path("request").path("url").asText()).toList();
      return new Visit(shown, layout, errors, requests);
    }
  }

  private static void assertDrawnOffline(Visit v, String pageUrl) {
    assertEquals(List.of(), v.errors(), "console errors, warnings or exceptions");
    for (String request : v.requests()) {
      assertTrue(request.equals(pageUrl) || request.startsWith("data:") || request.startsWith("blob:"),
          "a request left the file: " + request);
    }
    assertEquals(0, v.page().path("external").asInt(), "script, link, img or iframe elements that load something");
    assertEquals("[]", v.layout().path("overflowing").toString(), "tables wider than their section at " + LAPTOP_WIDTH + " px");
    assertEquals("[]", v.layout().path("scrollingSections").toString(), "sections that scroll sideways at " + LAPTOP_WIDTH + " px");
    assertFalse(v.layout().path("pageScrolls").asBoolean(), "the page scrolls sideways at " + LAPTOP_WIDTH + " px");
    assertEquals("undefined", v.page().path("xss").asText(), "a script from customer data ran");
    JsonNode charts = v.page().path("charts");
    assertEquals(CHARTS.size(), charts.size(), "charts on the page: " + charts);
    for (String id : CHARTS) {
      JsonNode c = charts.path(id);
      assertTrue(c.path("svgs").asInt() >= 1, id + " drew no SVG: " + c);
      assertTrue(!c.path("title").isNull() && !c.path("title").asText().isBlank(), id + " has no title: " + c);
    }
    assertEquals(6, charts.path(ScorecardPage.CHART_FUNNEL).path("bars").asInt(), "six funnel stages");
    assertEquals(12, charts.path(ScorecardPage.CHART_ABC).path("bars").asInt(), "two bars for A-E and no class");
    assertEquals(2, charts.path(ScorecardPage.CHART_LORENZ).path("lines").asInt(), "Lorenz curve and equality line");
    assertEquals(1, charts.path(ScorecardPage.CHART_MIGRATION).path("heatmaps").asInt(), "heat map image");
    assertEquals(ScorecardReader.RISK_BINS, charts.path(ScorecardPage.CHART_CHURN_HISTOGRAM).path("bars").asInt());
    assertEquals(4, charts.path(ScorecardPage.CHART_CHURN_BANDS).path("bars").asInt(), "high, medium, low, none");
    assertEquals(5, charts.path(ScorecardPage.CHART_PAYMENT_AGEING).path("bars").asInt(), "not yet due and four ages");
    assertEquals(3, charts.path(ScorecardPage.CHART_PAYMENT_REGION).path("bars").asInt(), "Bayern, Hessen, no region");
    long reps = ScorecardFixture.owed(true).stream()
        .map(o -> o.id().equals(ScorecardFixture.UNKNOWN_DEBTOR) ? "none" : ScorecardFixture.rep(o.id())).distinct().count();
    assertEquals(reps, charts.path(ScorecardPage.CHART_PAYMENT_REP).path("bars").asInt(), "each rep and no rep");
    assertEquals("A", v.page().path("paymentGrade").asText());
    JsonNode paymentTop = v.page().path("paymentTop");
    List<ScorecardFixture.Owed> expectedLoss = ScorecardFixture.topByExpectedLoss(ScorecardFixture.owed(true), 20);
    assertEquals(expectedLoss.size(), paymentTop.size(), "rows of the expected-loss list");
    for (int i = 0; i < expectedLoss.size(); i++) {
      assertTrue(paymentTop.get(i).get(1).asText().endsWith(expectedLoss.get(i).id()), "row " + (i + 1) + ": " + paymentTop.get(i));
    }
    JsonNode top = v.page().path("top");
    List<ScorecardFixture.Scored> expected = ScorecardFixture.topAtRisk(20);
    assertEquals(expected.size(), top.size(), "rows of the top list");
    for (int i = 0; i < expected.size(); i++) {
      assertTrue(top.get(i).get(1).asText().endsWith(expected.get(i).id()), "row " + (i + 1) + ": " + top.get(i));
    }
    assertEquals(ScorecardFixture.HOSTILE_NAME + "c29", top.get(0).get(1).asText(), "the name shows as text, the id below it");

    assertEquals(1, charts.path(ScorecardPage.CHART_CROSS_SELL_WHITE_SPACE).path("heatmaps").asInt(), "white-space heat map");
    JsonNode heat = v.page().path("whiteSpace");
    assertEquals(ScorecardFixture.INDUSTRIES.size(), heat.path("y").size(), "a row per industry: " + heat);
    assertEquals(ScorecardFixture.GROUPS.size(), heat.path("x").size(), "a column per product group: " + heat);
    for (int r = 0; r < heat.path("y").size(); r++) {
      for (int c = 0; c < heat.path("x").size(); c++) {
        String cell = heat.path("y").get(r).asText() + "|" + heat.path("x").get(c).asText();
        assertEquals(100 * penetration.getOrDefault(cell, 0.0), heat.path("z").get(r).get(c).asDouble(), 1e-9,
            "heat map cell " + cell + " against cross_sell/white_space");
      }
    }
    assertEquals(3, charts.path(ScorecardPage.CHART_CROSS_SELL_REGION).path("bars").asInt(), "Bayern, Hessen, no region");
    assertEquals(3, charts.path(ScorecardPage.CHART_CROSS_SELL_REP).path("bars").asInt(), "r0, r1, r2");
    JsonNode shown = v.page().path("opportunities");
    assertEquals(opportunities.size(), shown.size(), "rows of the biggest opportunities");
    for (int i = 0; i < opportunities.size(); i++) {
      assertTrue(shown.get(i).get(1).asText().endsWith(opportunities.get(i).getString(0)), "row " + (i + 1) + ": " + shown.get(i));
    }
  }

  /** A method's precision@k of the fixture's promoted evaluation, as the page formats it. */
  private static String precision(Language language, String method) {
    return Messages.of(language, "EUR").decimal((Double) ScorecardFixture.CROSS_SELL_TEST.stream().filter(m -> m[0].equals(method))
        .findFirst().orElseThrow()[3], 3);
  }

  /** The top opportunity's € potential and reason in the page's language, as published. */
  private static void assertTopOpportunity(Visit v, Messages m, int reasonColumn) {
    JsonNode first = v.page().path("opportunities").get(0);
    assertEquals(m.money(opportunities.get(0).getDouble(1)), first.get(3).asText(), "€ potential: " + first);
    assertEquals(opportunities.get(0).getString(reasonColumn), first.get(5).asText(), "reason: " + first);
  }

  @Test
  void englishPageDrawsEveryChartOfflineAndShowsTheFixture() throws Exception {
    Visit v = visit(Language.EN);
    assertDrawnOffline(v, pages.get(Language.EN).toUri().toString());
    JsonNode tiles = v.page().path("tiles");
    assertEquals("€1,234,568", tiles.path("revenue").path("value").asText());
    assertEquals("Target €1,500,000 · 82.3% of target", tiles.path("revenue").path("target").asText());
    assertEquals("Target 200 · 70.0% of target", tiles.path("visits").path("target").asText());
    assertEquals("31.3%", tiles.path("margin_percent").path("value").asText());
    assertEquals("no target", tiles.path("churn_rate").path("target").asText());
    assertEquals("Offers of the period by stage", v.page().path("charts").path(ScorecardPage.CHART_FUNNEL).path("title").asText(),
        "plotly 2 shows Tablesaw's titles");
    assertEquals("B", v.page().path("grade").asText());
    assertEquals("ROC AUC 0.812 against 0.744 for the best baseline (P(alive) baseline): +0.068.", v.page().path("auc").asText());
    assertEquals("[[\"customers\",\"31\",\"30\",\"1\",\"0\",\"3.2%\"],[\"sales\",\"1,200\",\"1,188\",\"12\",\"0\",\"1.0%\"]]",
        v.page().path("rows").toString());
    assertTrue(v.page().path("gini").asText().startsWith("Gini coefficient 0.6"), v.page().path("gini").asText());
    assertEquals(ScorecardFixture.HOSTILE_REASON, v.page().path("top").get(findRow(v, "c27")).get(8).asText(),
        "reasons show as text");
    JsonNode inDefault = v.page().path("paymentTop").get(0);
    assertEquals("[\"1\",\"Kunde c12 GmbHc12\",\"in default\",\"\",\"€18,000\",\"€18,000\","
        + "\"credit holdcredit hold: in default\",\"in default: 4,000 overdue, the oldest invoice 120 days past due\"]",
        inDefault.toString());
    assertEquals("Expected loss by region", v.page().path("charts").path(ScorecardPage.CHART_PAYMENT_REGION).path("title").asText());
    assertTopOpportunity(v, Messages.of(Language.EN, "EUR"), 2);
    assertEquals("Share of customers buying, by industry and group %",
        v.page().path("charts").path(ScorecardPage.CHART_CROSS_SELL_WHITE_SPACE).path("title").asText());
    assertTrue(v.page().path("crossSellGrade").asText().contains("precision@5 " + precision(Language.EN, "white_space")
        + " against " + precision(Language.EN, "popularity") + " for the popularity baseline"), v.page().path("crossSellGrade").asText());
  }

  @Test
  void germanPageUsesGermanLabelsNumbersAndDates() throws Exception {
    Visit v = visit(Language.DE);
    assertDrawnOffline(v, pages.get(Language.DE).toUri().toString());
    JsonNode tiles = v.page().path("tiles");
    assertEquals("1.234.568\u00a0€", tiles.path("revenue").path("value").asText());
    assertEquals("Ziel 1.500.000\u00a0€ · 82,3\u00a0% vom Ziel", tiles.path("revenue").path("target").asText());
    assertEquals("31,3\u00a0%", tiles.path("margin_percent").path("value").asText());
    assertEquals("Management-Scorecard 15.03.2025", v.page().path("title").asText());
    assertEquals("Angebote des Zeitraums nach Stufe",
        v.page().path("charts").path(ScorecardPage.CHART_FUNNEL).path("title").asText());
    assertEquals("[[\"customers\",\"31\",\"30\",\"1\",\"0\",\"3,2\u00a0%\"],[\"sales\",\"1.200\",\"1.188\",\"12\",\"0\",\"1,0\u00a0%\"]]",
        v.page().path("rows").toString());
    assertTrue(v.page().path("auc").asText().startsWith("ROC AUC 0,812 gegenüber 0,744"), v.page().path("auc").asText());
    assertTrue(v.page().path("top").get(findRow(v, "c28")).get(8).asText().startsWith("Aufträge in den letzten 90 Tagen"),
        "German reasons");
    JsonNode inDefault = v.page().path("paymentTop").get(0);
    assertEquals("im Zahlungsausfall", inDefault.get(2).asText());
    assertEquals("18.000\u00a0€", inDefault.get(5).asText());
    assertEquals("LiefersperreLiefersperre: im Zahlungsausfall", inDefault.get(6).asText());
    assertTrue(inDefault.get(7).asText().startsWith("im Zahlungsausfall: 4.000"), "German reasons: " + inDefault);
    assertEquals("Offene Forderungen nach Tagen überfällig",
        v.page().path("charts").path(ScorecardPage.CHART_PAYMENT_AGEING).path("title").asText());
    assertTopOpportunity(v, Messages.of(Language.DE, "EUR"), 3);
    assertEquals("Potenzial nach Außendienst", v.page().path("charts").path(ScorecardPage.CHART_CROSS_SELL_REP).path("title").asText());
    assertTrue(v.page().path("crossSellGrade").asText().contains("Precision@5 " + precision(Language.DE, "white_space")
        + " gegenüber " + precision(Language.DE, "popularity")), v.page().path("crossSellGrade").asText());
  }

  private static int findRow(Visit v, String customerId) {
    JsonNode top = v.page().path("top");
    for (int i = 0; i < top.size(); i++) {
      if (top.get(i).get(1).asText().endsWith(customerId)) {
        return i;
      }
    }
    throw new AssertionError(customerId + " is not in the top list: " + top);
  }
}
