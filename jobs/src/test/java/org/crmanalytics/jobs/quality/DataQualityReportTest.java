package org.crmanalytics.jobs.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.crmanalytics.jobs.io.TableCounts;
import org.crmanalytics.jobs.io.TableCounts.RuleCount;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The data-quality report's page: the scorecard's look, long paths, and what it says when no rule fired. */
@Tag("unit")
class DataQualityReportTest {
  /** A source path as long as a real one on a cluster, without a space or hyphen where a browser could break it. */
  static final String LONG_PATH = "file:/data/exports/crm_nightly/" + "very_long_folder_name_".repeat(8)
      + "/sales_2025_*.csv";

  /** A run that quarantined rows, with a breach, a warning and a JDBC source with a long URL. */
  static DataQualityReport.Page pageWithFiredRules() {
    TableCounts customers = new TableCounts("customers",
        "jdbc table crm.accounts on 'crm' (jdbc:postgresql://crm-db.internal.example.com:5432/crm_production"
            + "?sslmode=verify-full&applicationName=crm-analytics-nightly-ingest)",
        1003, 1000, 3, List.of(
            new RuleCount("customers.customer_id.missing", "error", "customer_id missing", 1, 1, 5.0, false),
            new RuleCount("customers.created_at.type", "error",
                "created_at is not a date in format yyyy-MM-dd", 1, 1, 5.0, false),
            new RuleCount("customers.duplicate_key", "error",
                "duplicate key (customer_id): the first row with this key was kept", 1, 1, 5.0, false)),
        "silver/customers", "quarantine/customers", Duration.ofSeconds(3));
    TableCounts sales = new TableCounts("sales", LONG_PATH, 24_763, 23_000, 1_763, List.of(
        new RuleCount("sales.customer_id.reference", "error", "customer_id not found in customers",
            1_763, 1_763, 5.0, true),
        new RuleCount("sales.sign", "warn",
            "quantity or net_amount has the wrong sign for its line_type (orders are positive, returns negative)",
            0, 12, null, false)),
        "silver/sales", "quarantine/sales", Duration.ofSeconds(9));
    return new DataQualityReport.Page("20261207T120000-ab12", LocalDate.of(2025, 12, 31),
        "/home/controller/" + "crm_analytics_configuration_".repeat(6) + "/company.yaml",
        List.of(customers, sales),
        List.of("sales: 1,763 of 24,763 rows (7.12 %) rejected by sales.customer_id.reference "
            + "(\"customer_id not found in customers\"), threshold 5.00 %"));
  }

  /** A clean run: every row accepted, no warning. */
  static DataQualityReport.Page pageWithoutFiredRules() {
    TableCounts products = new TableCounts("products", LONG_PATH, 281, 281, 0, List.of(
        new RuleCount("products.duplicate_key", "error", "duplicate key (product_id)", 0, 0, 5.0, false)),
        "silver/products", "quarantine/products", Duration.ofSeconds(1));
    return new DataQualityReport.Page("20261207T120000-cd34", LocalDate.of(2025, 12, 31), "sample.yaml",
        List.of(products), List.of());
  }

  @Test
  void aRunWithoutRejectionsOrWarningsSaysNoRuleFiredInsteadOfAnEmptyTable() {
    String html = DataQualityReport.html(pageWithoutFiredRules());
    assertTrue(html.contains("<p class=\"note\" id=\"no-rule-fired\">No rule fired"), html);
    assertFalse(html.contains("id=\"rules-fired\""), "no empty table of rules");
  }

  @Test
  void firedRulesAreListedWithBreachesAndWarningsMarked() {
    String html = DataQualityReport.html(pageWithFiredRules());
    assertFalse(html.contains("no-rule-fired"), "rules fired");
    assertTrue(html.contains("<tr class=\"breached\" data-rule=\"sales.customer_id.reference\">"), html);
    assertTrue(html.contains("<tr class=\"warn\" data-rule=\"sales.sign\">"), html);
    assertTrue(html.contains("<tr class=\"\" data-rule=\"customers.duplicate_key\">"), html);
    assertTrue(html.contains("The gate stopped the run"), html);
    assertTrue(html.contains("<td class=\"path\"><code>" + LONG_PATH + "</code></td>"), "a path can wrap: " + html);
  }

  /**
   * Both reports use one stylesheet (src/main/jte/shared/style.jte), not copies that drift apart:
   * the report's style element is the scorecard's, as pinned by the scorecard's golden page.
   */
  @Test
  void theReportHasTheScorecardsStylesheet() throws IOException {
    String scorecard = Files.readString(Path.of("src/test/resources/scorecard/golden/scorecard-2025-03-15-en.html"));
    String report = DataQualityReport.html(pageWithFiredRules());
    assertEquals(style(scorecard), style(report));
  }

  private static String style(String html) {
    int start = html.indexOf("<style>");
    assertTrue(start >= 0, "no style element");
    return html.substring(start, html.indexOf("</style>", start) + "</style>".length());
  }
}
