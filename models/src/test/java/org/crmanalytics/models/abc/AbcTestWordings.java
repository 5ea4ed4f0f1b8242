package org.crmanalytics.models.abc;

import java.util.Map;

/** The A–E reasons' wording for the tests, as the jobs module's {@code i18n/abc_<lang>.properties} words it. */
final class AbcTestWordings {
  static final AbcWording EN = new AbcWording(Map.ofEntries(
      Map.entry("none.revenue", "no revenue"), Map.entry("none.margin", "no margin"),
      Map.entry("negative.revenue", "negative revenue"), Map.entry("negative.margin", "negative margin"),
      Map.entry("returns_exceed_orders", "(returns exceed orders)"), Map.entry("window", "in the last {months} months"),
      Map.entry("top.revenue", "top %d %% of revenue"), Map.entry("top.margin", "top %d %% of margin"),
      Map.entry("growth", "%+.0f %% growth"), Map.entry("new_customer", "new in the last 12 months"),
      Map.entry("score", "score")), false);
  static final AbcWording DE = new AbcWording(Map.ofEntries(
      Map.entry("none.revenue", "kein Umsatz"), Map.entry("none.margin", "keine Marge"),
      Map.entry("negative.revenue", "negativer Umsatz"), Map.entry("negative.margin", "negative Marge"),
      Map.entry("returns_exceed_orders", "(Retouren übersteigen Bestellungen)"),
      Map.entry("window", "in den letzten {months} Monaten"),
      Map.entry("top.revenue", "Top %d %% des Umsatzes"), Map.entry("top.margin", "Top %d %% der Marge"),
      Map.entry("growth", "%+.0f %% Wachstum"), Map.entry("new_customer", "neu in den letzten 12 Monaten"),
      Map.entry("score", "Score")), true);

  private AbcTestWordings() {}
}
