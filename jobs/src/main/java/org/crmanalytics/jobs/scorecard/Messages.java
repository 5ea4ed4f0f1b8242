package org.crmanalytics.jobs.scorecard;

import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Map;
import org.crmanalytics.jobs.base.Bundles;
import org.crmanalytics.jobs.scorecard.ScorecardSettings.Language;
import org.crmanalytics.models.explain.ValueFormat;

/**
 * The scorecard's message catalogue of one language (resource bundle
 * {@code i18n/messages_<lang>.properties}, UTF-8) and its number and date formats: every label of
 * the page comes from here.
 */
public final class Messages {
  private final Language language;
  private final Map<String, String> texts;
  private final DecimalFormatSymbols symbols;
  private final String money;

  private Messages(Language language, Map<String, String> texts, String currency) {
    this.language = language;
    this.texts = texts;
    this.symbols = DecimalFormatSymbols.getInstance(language.locale());
    this.money = Bundles.currencyTemplate(texts, "format.money", language.locale(), currency);
  }

  /** @param currency the company's currency (ISO 4217), which amounts are shown in */
  public static Messages of(Language language, String currency) {
    return new Messages(language, catalogue(language), currency);
  }

  /** The catalogue's keys and texts, sorted (the test compares the languages' key sets). */
  static Map<String, String> catalogue(Language language) {
    return Bundles.load("messages", language.locale());
  }

  public Language language() {
    return language;
  }

  /** The text of {@code key}, with {@code {0}}, {@code {1}}, ... replaced by the (formatted) arguments. */
  public String text(String key, Object... args) {
    String t = texts.get(key);
    if (t == null) {
      throw new IllegalStateException("message '" + key + "' is missing from i18n/messages_" + language.id()
          + ".properties");
    }
    for (int i = 0; i < args.length; i++) {
      t = t.replace("{" + i + "}", String.valueOf(args[i]));
    }
    return t;
  }

  public boolean has(String key) {
    return texts.containsKey(key);
  }

  /** A whole number with grouping: 1,234 or 1.234. */
  public String count(long n) {
    return decimal(n, 0);
  }

  /** A number with grouping and exactly {@code digits} decimals: 1,234.5 or 1.234,5. */
  public String decimal(double x, int digits) {
    DecimalFormat f = new DecimalFormat(digits == 0 ? "#,##0" : "#,##0." + "0".repeat(digits), symbols);
    f.setRoundingMode(RoundingMode.HALF_UP); // 31.25 % reads 31.3 %, as a reader rounds
    return f.format(x);
  }

  /** Money in the company's currency, whole units: €1,235 or 1.235 €. */
  public String money(double x) {
    return ValueFormat.inCurrency(money, decimal(Math.abs(x), 0), x);
  }

  /** A percentage given as 0–100, one decimal: 12.3% or 12,3 % (German puts a space before %). */
  public String percent(double p) {
    return decimal(p, 1) + text("format.percent_suffix");
  }

  public String date(LocalDate d) {
    return DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(language.locale()).format(d);
  }

  /** An instant as date and time of day in UTC, e.g. 15.03.2025, 06:00 UTC. */
  public String dateTime(java.time.Instant t) {
    java.time.ZonedDateTime utc = t.atZone(java.time.ZoneOffset.UTC);
    return date(utc.toLocalDate()) + ", " + DateTimeFormatter.ofPattern("HH:mm").format(utc) + " UTC";
  }

  /** plotly's layout.separators: decimal point then thousands separator. */
  public String plotlySeparators() {
    return "" + symbols.getDecimalSeparator() + symbols.getGroupingSeparator();
  }
}
