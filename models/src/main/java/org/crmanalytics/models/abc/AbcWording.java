package org.crmanalytics.models.abc;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The wording of the A–E reasons in one language, given by the jobs module (its
 * {@code i18n/abc_<lang>.properties}): models builds the sentences, but holds no words of its own.
 * Keys with a measure suffix exist for each measure ({@code none.revenue}, {@code none.margin}).
 * Patterns with {@code %d}, {@code %s}, {@code %+.0f} are Spark format strings; {@code {months}}
 * is the window; {@code {from}}, {@code {to}}, {@code {share}} are percentages filled in by models.
 *
 * @param texts key → text
 * @param decimalComma whether the score is written 0,85 (German) instead of 0.85
 */
public record AbcWording(Map<String, String> texts, boolean decimalComma) {
  /**
   * none.*, negative.*: "no revenue"; window: "in the last {months} months"; band.first/next/last.*:
   * the part of the value a class stands for ({from}, {to}, {share} in percent); rank.*: "rank %d of
   * %d by revenue"; growth_from.*: "revenue grew from %s to %s year on year"; money: an amount in the company's
   * currency, {0} the whole amount ("€{0}", "{0} €").
   */
  public static final Set<String> KEYS = Set.of("none.revenue", "none.margin", "negative.revenue", "negative.margin",
      "returns_exceed_orders", "window", "band.first.revenue", "band.first.margin", "band.next.revenue",
      "band.next.margin", "band.last.revenue", "band.last.margin", "rank.revenue", "rank.margin", "growth",
      "growth_from.revenue", "growth_from.margin", "new_customer", "score", "money");

  public AbcWording {
    texts = Map.copyOf(texts);
    Set<String> missing = new TreeSet<>(KEYS);
    missing.removeAll(texts.keySet());
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("the A-E reason wording lacks " + missing);
    }
  }

  String text(String key) {
    return texts.get(key);
  }

  String text(String key, AbcSettings.Measure measure) {
    return texts.get(key + "." + measure.name().toLowerCase(java.util.Locale.ROOT));
  }
}
