package org.crmanalytics.models.explain;

import java.util.Map;

/**
 * Wordings for the tests, as the jobs module's {@code i18n/reasons_<lang>.properties} word them
 * (models holds no wording of its own): the labels of the features the tests name, the templates.
 */
final class TestWordings {
  static final ReasonWording EN = new ReasonWording(
      Map.of("days_since_last_order", "time since the last order", "revenue_trend",
          "revenue change vs. the year before", "open_complaints", "open complaints", "revenue_12m",
          "revenue in the last 12 months", "order_count_12m", "orders in the last 12 months", "offer_win_rate_12m",
          "offer win rate (12 months)", "share_paid_late_12m", "invoices paid late (12 months)", "employees",
          "number of employees"),
      Map.of("order_count", "orders in the last {0} days", "revenue", "revenue in the last {0} days", "visits",
          "visits in the last {0} days", "calls", "calls in the last {0} days"),
      Map.of("region", "region {0}"),
      "{0}: {1}", "{0} (typical: {1})", "{0} (typical in {2}: {1})",
      "{0} (typical among all customers: {1})", "no value", "{0} day", "{0} days", "{0}%", "€{0}", ',', '.');
  static final ReasonWording DE = new ReasonWording(
      Map.of("days_since_last_order", "Zeit seit dem letzten Auftrag", "revenue_trend", "Umsatzentwicklung zum Vorjahr",
          "open_complaints", "offene Reklamationen", "revenue_12m", "Umsatz der letzten 12 Monate", "order_count_12m",
          "Aufträge der letzten 12 Monate", "offer_win_rate_12m", "Angebotserfolgsquote (12 Monate)",
          "share_paid_late_12m", "verspätet bezahlte Rechnungen (12 Monate)", "employees",
          "Anzahl der Mitarbeitenden"),
      Map.of("order_count", "Aufträge der letzten {0} Tage", "revenue", "Umsatz der letzten {0} Tage", "visits",
          "Besuche der letzten {0} Tage", "calls", "Anrufe der letzten {0} Tage"),
      Map.of("region", "der Region {0}"),
      "{0}: {1}", "{0} (üblich: {1})", "{0} (üblich in {2}: {1})",
      "{0} (üblich bei allen Kunden: {1})", "kein Wert", "{0} Tag", "{0} Tage", "{0} %", "{0} €", '.', ',');

  private TestWordings() {}

  static FeatureLabels labels() {
    return FeatureLabels.snapshot(EN, DE);
  }
}
