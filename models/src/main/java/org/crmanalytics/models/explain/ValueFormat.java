package org.crmanalytics.models.explain;

import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * How a feature's value reads in a reason; the words and separators of each language come from a
 * {@link ReasonWording}. Separators are those of the wording rather than the JVM's locale data, so
 * the texts are the same on every machine.
 */
public enum ValueFormat {
  /** Whole numbers grouped: 1,234 / 1.234 (one decimal when not whole). */
  COUNT,
  /** A number of days: 45 days / 45 Tage. */
  DAYS,
  /** Rounded to whole currency units, grouped, with the company's currency: €12,345 / 12.345 €, -€80. */
  MONEY,
  /** A fraction shown as whole percent: -0.45 reads -45% / -45 %. */
  PERCENT,
  /** Up to two decimals: 1.85 / 1,85. */
  NUMBER;

  /** The languages reasons are written in (a column each). */
  public enum Language {
    EN,
    DE
  }

  public String format(Double value, ReasonWording wording) {
    if (value == null || value.isNaN() || value.isInfinite()) {
      return wording.noValue();
    }
    double v = value;
    return switch (this) {
      case COUNT -> number(v, v == Math.rint(v) ? "#,##0" : "#,##0.0", wording);
      case DAYS -> ReasonWording.fill(Math.abs(v) == 1 ? wording.day() : wording.days(), number(v, "#,##0.#", wording));
      case MONEY -> money(v, wording);
      case PERCENT -> ReasonWording.fill(wording.percent(), number(v * 100, "#,##0", wording));
      case NUMBER -> number(v, "#,##0.##", wording);
    };
  }

  private static String money(double v, ReasonWording wording) {
    return inCurrency(wording.money(), number(Math.abs(v), "#,##0", wording), v);
  }

  /**
   * {@code value} in a currency's template ("€{0}", "{0} €"), its amount formatted without the sign: the sign goes
   * first, -€80 and not €-80, and an amount that rounds to 0 has none.
   */
  public static String inCurrency(String template, String unsignedAmount, double value) {
    String amount = ReasonWording.fill(template, unsignedAmount);
    return value < 0 && unsignedAmount.chars().anyMatch(c -> c >= '1' && c <= '9') ? "-" + amount : amount;
  }

  private static String number(double v, String pattern, ReasonWording wording) {
    DecimalFormatSymbols symbols = new DecimalFormatSymbols(Locale.ROOT);
    symbols.setGroupingSeparator(wording.grouping());
    symbols.setDecimalSeparator(wording.decimal());
    symbols.setMinusSign('-');
    DecimalFormat f = new DecimalFormat(pattern, symbols);
    f.setRoundingMode(RoundingMode.HALF_UP);
    String s = f.format(v);
    // -0.4 rounded to a whole number prints "-0".
    return s.equals("-0") ? "0" : s;
  }
}
