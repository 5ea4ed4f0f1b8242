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
}
