package org.crmanalytics.jobs.base;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.TreeMap;

/**
 * The jobs' texts in each language: resource bundles {@code i18n/<name>_<lang>.properties} (UTF-8),
 * read with {@link ResourceBundle} and no fallback from one language to another.
 */
public final class Bundles {
  private Bundles() {}

  /** The keys and texts of bundle {@code name} in {@code locale}'s language, sorted by key. */
  public static Map<String, String> load(String name, Locale locale) {
    ResourceBundle bundle;
    try {
      bundle = ResourceBundle.getBundle("i18n." + name, locale, Bundles.class.getClassLoader(),
          ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    } catch (MissingResourceException e) {
      throw new IllegalStateException("text bundle i18n/" + name + "_" + locale.getLanguage()
          + ".properties is missing from the classpath", e);
    }
    Map<String, String> texts = new TreeMap<>();
    bundle.keySet().forEach(k -> texts.put(k, bundle.getString(k)));
    return Collections.unmodifiableMap(texts);
  }

  /**
   * How an amount in {@code currency} (ISO 4217) reads in a bundle's language, {0} the amount: "€{0}" and "{0} €",
   * "CHF {0}". The text of {@code key.symbol} ({0} the amount, {1} the symbol) when the JDK's symbol for the language
   * is one character (€, $, £), else of {@code key.code} with the code.
   */
  public static String currencyTemplate(Map<String, String> texts, String key, Locale locale, String currency) {
    String symbol = java.util.Currency.getInstance(currency).getSymbol(locale);
    String k = key + (symbol.length() == 1 ? ".symbol" : ".code");
    String template = texts.get(k);
    if (template == null) {
      throw new IllegalStateException("'" + k + "' is missing from a text bundle of language " + locale.getLanguage());
    }
    return template.replace("{1}", symbol);
  }
}
