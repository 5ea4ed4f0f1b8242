package org.crmanalytics.jobs.scorecard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crmanalytics.jobs.io.Html;
import org.crmanalytics.jobs.scorecard.ScorecardData.AbcDistribution;
import org.crmanalytics.jobs.scorecard.ScorecardData.ClassShare;
import org.crmanalytics.jobs.scorecard.ScorecardData.Migration;
import org.crmanalytics.jobs.scorecard.ScorecardData.MigrationCell;
import org.crmanalytics.jobs.scorecard.ScorecardData.Section;
import org.crmanalytics.jobs.scorecard.ScorecardSettings.Language;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The message catalogue, the number formats, escaping and plotly, without Spark or a browser. */
@Tag("unit")
class ScorecardPageTest {
  private static final Messages EN = Messages.of(Language.EN, "EUR");
  private static final Messages DE = Messages.of(Language.DE, "EUR");

  @Test
  void bothLanguagesHaveTheSameKeys() {
    assertEquals(Messages.catalogue(Language.EN).keySet(), Messages.catalogue(Language.DE).keySet());
  }

  @Test
  void chartLabelsNeedNoEscapingInsideTablesawsScript() {
    // Tablesaw writes titles into '...' JavaScript strings after HTML-escaping them.
    for (Language l : Language.values()) {
      Messages.catalogue(l).forEach((key, text) -> {
        if (key.startsWith("chart.") || key.startsWith("axis.")) {
          assertFalse(text.matches(".*['\"&<>\\\\].*"), l.id() + " " + key + ": " + text);
        }
      });
    }
  }

  @Test
  void everyKpiTileMetricAndStageHasALabel() {
    for (Messages m : List.of(EN, DE)) {
      ScorecardReader.TILE_KPIS.forEach(k -> assertTrue(m.has("kpi." + k), k));
      ScorecardReader.CONVERSIONS.forEach(k -> assertTrue(m.has("conversion." + k), k));
      org.crmanalytics.models.kpis.KpiIds.STAGES.forEach(s -> assertTrue(m.has("funnel.stage." + s), s));
      for (String period : List.of("month", "quarter", "year")) {
        assertTrue(m.has("period." + period), period);
      }
    }
  }

  @Test
  void everyCrossSellMethodAndLevelHasALabel() {
    // The methods and baselines the evaluation grades, and the levels the stage recommends at.
    for (Messages m : List.of(EN, DE)) {
      for (String method : List.of(org.crmanalytics.models.crosssell.CrossSell.BLEND,
          org.crmanalytics.models.crosssell.CrossSell.WHITE_SPACE, org.crmanalytics.models.crosssell.CrossSell.ASSOCIATION_RULES,
          org.crmanalytics.models.crosssell.CrossSell.COLLABORATIVE_FILTERING,
          org.crmanalytics.models.crosssell.CrossSellEvaluation.POPULARITY,
          org.crmanalytics.models.crosssell.CrossSellEvaluation.INDUSTRY_POPULARITY)) {
        assertTrue(m.has("crosssell.method." + method), method);
      }
      for (String level : List.of("product_group", "product_id")) {
        assertTrue(m.has("crosssell.level." + level), level);
      }
    }
  }

  @Test
  void numbersAndDatesFollowTheLanguage() {
    assertEquals("1,234.5", EN.decimal(1234.5, 1));
    assertEquals("1.234,5", DE.decimal(1234.5, 1));
    assertEquals("12.3%", EN.percent(12.34));
    assertEquals("12,3\u00a0%", DE.percent(12.34));
    assertEquals("31,3\u00a0%", DE.percent(31.25), "half up");
    assertEquals("1.234.568\u00a0€", DE.money(1234567.5));
    assertEquals("-€1,235", EN.money(-1234.5), "the sign before the currency");
    assertEquals("€0", EN.money(-0.4));
    assertEquals("CHF\u00a01,235", Messages.of(Language.EN, "CHF").money(1234.5));
    assertEquals("1.235\u00a0CHF", Messages.of(Language.DE, "CHF").money(1234.5));
    assertEquals("Mar 15, 2025", EN.date(LocalDate.of(2025, 3, 15)));
    assertEquals("15.03.2025", DE.date(LocalDate.of(2025, 3, 15)));
    assertEquals("15.03.2025, 06:05 UTC", DE.dateTime(Instant.parse("2025-03-15T06:05:59Z")));
    assertEquals(",.", DE.plotlySeparators());
    assertEquals(".,", EN.plotlySeparators());
  }

  @Test
  void escapingKeepsMarkupFromDataAsText() {
    assertEquals("&lt;script&gt;a&amp;b &quot;c&quot; &#39;d&#39;&lt;/script&gt;", Html.escape("<script>a&b \"c\" 'd'</script>"));
    assertEquals("", Html.escape(null));
    assertEquals("x = [\"<\\/script><\\!--\"];", Html.scriptBody("x = [\"</script><!--\"];"));
  }

  @Test
  void classLabelsFromDataCannotEndTheChartScript() {
    String hostile = "</script><script>window.__xss=3</script>";
    ScorecardData data = new ScorecardData(LocalDate.of(2025, 3, 15),
        Section.absent("kpis/values/as_of=2025-03-15"),
        Section.present(new AbcDistribution(List.of(new ClassShare("A", 2, 10), new ClassShare(hostile, 1, 5)),
            Optional.empty())),
        Section.present(new Migration(LocalDate.of(2025, 2, 28), List.of(new MigrationCell(hostile, "A", 1)))),
        Section.absent("scores/customer_scores/as_of=2025-03-15"),
        Section.absent("runs/<run_id>.json"),
        Section.absent("models/churn/promoted.json"));
    String html = ScorecardPage.render(data, EN);
    // Outside the inlined plotly.js, "</script" may only close the page's own script elements.
    String page = html.replace(PlotlyJs.source(), "");
    Matcher m = Pattern.compile("(?i)</script").matcher(page);
    List<Integer> closes = new ArrayList<>();
    while (m.find()) {
      closes.add(m.start());
    }
    int charts = page.split("class=\"chart\"", -1).length - 1;
    assertEquals(2, charts, "class shares and migration");
    assertEquals(1 + charts, closes.size(), "only plotly's and the charts' script elements end");
    String escaped = "&lt;/script&gt;&lt;script&gt;window.__xss=3&lt;/script&gt;";
    String chartString = "\"<\\/script><script>window.__xss=3<\\/script>\"";
    assertTrue(page.contains(escaped), "table cell escaped");
    assertTrue(page.contains(chartString), "chart label kept as a JavaScript string");
    assertFalse(page.replace(escaped, "").replace(chartString, "").contains("window.__xss=3"),
        "the label appears only escaped or as a string literal");
  }

  @Test
  void plotlyIsVersionTwoFromTheClasspath() {
    assertTrue(PlotlyJs.version().startsWith("2."), PlotlyJs.version());
    assertFalse(PlotlyJs.source().toLowerCase(java.util.Locale.ROOT).contains("</script"));
  }

  @Test
  void absentSectionsNameTheirInputInBothLanguages() {
    ScorecardData none = new ScorecardData(LocalDate.of(2025, 3, 15), Section.absent("k"), Section.absent("a"),
        Section.absent("m"), Section.absent("s"), Section.absent("r"), Section.absent("e"));
    for (Map.Entry<Messages, String> e : Map.of(EN, "is not there", DE, "fehlt").entrySet()) {
      String html = ScorecardPage.render(none, e.getKey());
      for (String input : List.of("k", "a", "m", "s", "e")) {
        assertTrue(html.contains(": " + input + " " + e.getValue()), input + " in " + e.getKey().language());
      }
      // Without invoices there is no payment_risk output: one sentence instead of the section.
      assertTrue(html.contains(": payment_risk/customers/as_of=2025-03-15 " + e.getValue()),
          "payment risk in " + e.getKey().language());
      // Without the cross_sell stage (skipped, not configured): one sentence instead of the section.
      String crossSell = html.substring(html.indexOf("<section id=\"cross-sell\">"),
          html.indexOf("</section>", html.indexOf("<section id=\"cross-sell\">")));
      assertEquals(1, crossSell.split("<p", -1).length - 1, "one line: " + crossSell);
      assertTrue(crossSell.contains(": cross_sell/recommendations/as_of=2025-03-15 " + e.getValue()),
          "cross-sell in " + e.getKey().language());
    }
  }

  @Test
  void theMissingPartsAndTheirReasonsComeFirstInBothLanguages() {
    List<ScorecardData.Absence> absent = List.of(
        new ScorecardData.Absence("churn", "withheld", "the model trained now (churn-1) is not promoted"),
        new ScorecardData.Absence("scores", "flag", "runs without churn (withheld: ...)"),
        new ScorecardData.Absence("writeback", "failed", "crm <unreachable>"));
    ScorecardData data = new ScorecardData(LocalDate.of(2025, 3, 15), Section.absent("k"), Section.absent("a"),
        Section.absent("m"), Section.absent("s"), Section.absent("r"), Section.absent("e"), Section.absent("p"), absent);
    for (Map.Entry<Messages, List<String>> e : Map.of(
        EN, List.of("What is missing and why", "withheld", "note", "failed"),
        DE, List.of("Was fehlt und warum", "zurückgehalten", "Hinweis", "fehlgeschlagen")).entrySet()) {
      String html = ScorecardPage.render(data, e.getKey());
      for (String label : e.getValue()) {
        assertTrue(html.contains(Html.escape(label)), label + " in " + e.getKey().language());
      }
      assertTrue(html.contains("<a href=\"#absences\">"), "linked from the navigation");
      assertTrue(html.indexOf("id=\"absences\"") < html.indexOf("id=\"kpis\""), "before the first section");
      assertTrue(html.contains("the model trained now (churn-1) is not promoted"));
      assertTrue(html.contains("crm &lt;unreachable&gt;"), "escaped");
    }
    String none = ScorecardPage.render(new ScorecardData(LocalDate.of(2025, 3, 15), Section.absent("k"),
        Section.absent("a"), Section.absent("m"), Section.absent("s"), Section.absent("r"), Section.absent("e")), EN);
    assertFalse(none.contains("id=\"absences\""), "nothing missing, no list");
  }
}
