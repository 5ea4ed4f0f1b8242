package org.crmanalytics.models.abc;

import java.util.Map;

/** The A–E reasons' wording for the tests, as the jobs module's {@code i18n/abc_<lang>.properties} words it. */
final class AbcTestWordings {
  static final AbcWording EN = new AbcWording(Map.ofEntries(
      Map.entry("none.revenue", "no revenue"), Map.entry("none.margin", "no margin"),
      Map.entry("negative.revenue", "negative revenue"), Map.entry("negative.margin", "negative margin"),
      Map.entry("returns_exceed_orders", "(returns exceed orders)"), Map.entry("window", "in the last {months} months"),
      Map.entry("band.first.revenue", "among the largest customers, who bring the first {to} % of revenue"),
      Map.entry("band.first.margin", "among the largest customers, who bring the first {to} % of margin"),
      Map.entry("band.next.revenue", "among the customers who bring the next {share} % of revenue ({from}–{to} %)"),
      Map.entry("band.next.margin", "among the customers who bring the next {share} % of margin ({from}–{to} %)"),
      Map.entry("band.last.revenue", "among the smallest customers, who together bring the last {share} % of revenue"),
      Map.entry("band.last.margin", "among the smallest customers, who together bring the last {share} % of margin"),
      Map.entry("rank.revenue", "rank %d of %d by revenue"), Map.entry("rank.margin", "rank %d of %d by margin"),
      Map.entry("growth", "%+.0f %% growth"),
      Map.entry("growth_from.revenue", "revenue grew from %s to %s year on year"),
      Map.entry("growth_from.margin", "margin grew from %s to %s year on year"), Map.entry("new_customer", "new in the last 12 months"),
      Map.entry("score", "score"), Map.entry("money", "€{0}")), false);
  static final AbcWording DE = new AbcWording(Map.ofEntries(
      Map.entry("none.revenue", "kein Umsatz"), Map.entry("none.margin", "keine Marge"),
      Map.entry("negative.revenue", "negativer Umsatz"), Map.entry("negative.margin", "negative Marge"),
      Map.entry("returns_exceed_orders", "(Retouren übersteigen Bestellungen)"),
      Map.entry("window", "in den letzten {months} Monaten"),
      Map.entry("band.first.revenue", "unter den größten Kunden, die die ersten {to} % des Umsatzes bringen"),
      Map.entry("band.first.margin", "unter den größten Kunden, die die ersten {to} % der Marge bringen"),
      Map.entry("band.next.revenue", "unter den Kunden, die die nächsten {share} % des Umsatzes bringen ({from}–{to} %)"),
      Map.entry("band.next.margin", "unter den Kunden, die die nächsten {share} % der Marge bringen ({from}–{to} %)"),
      Map.entry("band.last.revenue",
          "unter den kleinsten Kunden, die zusammen die letzten {share} % des Umsatzes bringen"),
      Map.entry("band.last.margin", "unter den kleinsten Kunden, die zusammen die letzten {share} % der Marge bringen"),
      Map.entry("rank.revenue", "Rang %d von %d nach Umsatz"), Map.entry("rank.margin", "Rang %d von %d nach Marge"),
      Map.entry("growth", "%+.0f %% Wachstum"),
      Map.entry("growth_from.revenue", "Umsatz im Jahresvergleich von %s auf %s gestiegen"),
      Map.entry("growth_from.margin", "Marge im Jahresvergleich von %s auf %s gestiegen"), Map.entry("new_customer", "neu in den letzten 12 Monaten"),
      Map.entry("score", "Score"), Map.entry("money", "{0} €")), true);

  private AbcTestWordings() {}
}
