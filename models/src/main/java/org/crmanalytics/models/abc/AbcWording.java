package org.crmanalytics.models.abc;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The wording of the A–E reasons in one language, given by the jobs module (its
 * {@code i18n/abc_<lang>.properties}): models builds the sentences, but holds no words of its own.
 * Keys with a measure suffix exist for each measure ({@code none.revenue}, {@code none.margin}).
 * Patterns with {@code %d}, {@code %+.0f} are Spark format strings; {@code {months}} is the window.
 *
 * @param texts key → text
 * @param decimalComma whether the score is written 0,85 (German) instead of 0.85
 */
public record AbcWording(Map<String, String> texts, boolean decimalComma) {
  /** none.*, negative.*: "no revenue"; window: "in the last {months} months"; top.*: "top %d %% of revenue". */
  public static final Set<String> KEYS = Set.of("none.revenue", "none.margin", "negative.revenue", "negative.margin",
      "returns_exceed_orders", "window", "top.revenue", "top.margin", "growth", "new_customer", "score");

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
