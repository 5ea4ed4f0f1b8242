package org.crmanalytics.jobs.classify;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.crmanalytics.jobs.base.Bundles;
import org.crmanalytics.models.explain.FeatureLabels;
import org.crmanalytics.models.explain.ReasonWording;
import org.crmanalytics.models.explain.ValueFormat.Language;

/**
 * The wording of the risk models' reasons per language, from {@code i18n/reasons_<lang>.properties}: the
 * labels of the features and the sentence templates that models/explain fills in.
 */
public final class ReasonWordings {
  private static final String FEATURE = "feature.";
  private static final String WINDOW = "window.";
  private static final String PEERS = "peers.";

  private ReasonWordings() {}

  public static Locale locale(Language language) {
    return language == Language.EN ? Locale.ENGLISH : Locale.GERMAN;
  }

  /** @param currency the company's currency, an ISO 4217 code (checked by the configuration) */
  public static ReasonWording of(Language language, String currency) {
    Map<String, String> t = Bundles.load("reasons", locale(language));
    return new ReasonWording(withPrefix(t, FEATURE), withPrefix(t, WINDOW), withPrefix(t, PEERS),
        text(t, "reason", language), text(t, "reason.typical", language), text(t, "reason.typical.group", language),
        text(t, "reason.typical.all", language), text(t, "value.none", language), text(t, "value.day", language),
        text(t, "value.days", language), text(t, "value.percent", language),
        Bundles.currencyTemplate(t, "value.money", locale(language), currency), separator(t, "number.grouping", language),
        separator(t, "number.decimal", language));
  }

  /** The snapshot's features worded in both languages; a model adds its own with {@link FeatureLabels#with}. */
  public static FeatureLabels snapshotLabels(String currency) {
    return FeatureLabels.snapshot(of(Language.EN, currency), of(Language.DE, currency));
  }

  private static Map<String, String> withPrefix(Map<String, String> texts, String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    texts.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    return out;
  }

  private static String text(Map<String, String> texts, String key, Language language) {
    String t = texts.get(key);
    if (t == null) {
      throw new IllegalStateException("'" + key + "' is missing from i18n/reasons_" + locale(language).getLanguage()
          + ".properties");
    }
    return t;
  }

  private static char separator(Map<String, String> texts, String key, Language language) {
    String s = text(texts, key, language);
    if (s.length() != 1) {
      throw new IllegalStateException(key + " in i18n/reasons_" + locale(language).getLanguage()
          + ".properties must be one character, found '" + s + "'");
    }
    return s.charAt(0);
  }
}
