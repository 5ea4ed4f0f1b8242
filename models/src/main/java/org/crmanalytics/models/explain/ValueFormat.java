package org.crmanalytics.models.explain;

import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * How a feature's value reads in a reason, in English and German. Separators are fixed here rather
 * than taken from the JVM's locale data, so the texts are the same on every machine.
 */
public enum ValueFormat {
  /** Whole numbers grouped: 1,234 / 1.234 (one decimal when not whole). */
  COUNT,
  /** A number of days: 45 days / 45 Tage. */
  DAYS,
  /** Rounded to whole currency units, grouped, without a currency sign: 12,345 / 12.345. */
  MONEY,
  /** A fraction shown as whole percent: -0.45 reads -45% / -45 %. */
  PERCENT,
  /** Up to two decimals: 1.85 / 1,85. */
  NUMBER;

  public enum Language {
    EN,
    DE
  }

  public String format(Double value, Language language) {
    if (value == null || value.isNaN() || value.isInfinite()) {
      return language == Language.EN ? "no value" : "kein Wert";
    }
    double v = value;
    return switch (this) {
      case COUNT -> number(v, v == Math.rint(v) ? "#,##0" : "#,##0.0", language);
      case DAYS -> number(v, "#,##0.#", language) + (Math.abs(v) == 1
          ? (language == Language.EN ? " day" : " Tag")
          : (language == Language.EN ? " days" : " Tage"));
      case MONEY -> number(v, "#,##0", language);
      case PERCENT -> number(v * 100, "#,##0", language) + (language == Language.EN ? "%" : " %");
      case NUMBER -> number(v, "#,##0.##", language);
    };
  }

  private static String number(double v, String pattern, Language language) {
    DecimalFormatSymbols symbols = new DecimalFormatSymbols(Locale.ROOT);
    symbols.setGroupingSeparator(language == Language.EN ? ',' : '.');
    symbols.setDecimalSeparator(language == Language.EN ? '.' : ',');
    symbols.setMinusSign('-');
    DecimalFormat f = new DecimalFormat(pattern, symbols);
    f.setRoundingMode(RoundingMode.HALF_UP);
    String s = f.format(v);
    // -0.4 rounded to a whole number prints "-0".
    return s.equals("-0") ? "0" : s;
  }
}
