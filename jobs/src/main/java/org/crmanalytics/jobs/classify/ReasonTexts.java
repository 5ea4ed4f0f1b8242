package org.crmanalytics.jobs.classify;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;
import org.crmanalytics.jobs.base.Bundles;
import org.crmanalytics.models.explain.ReasonWording;
import org.crmanalytics.models.explain.ValueFormat.Language;

/**
 * The texts of {@code i18n/reasons_<lang>.properties} and the reason wording, per language: what a
 * stage that words its own reasons (payment actions, cross-sell) reads, inside a UDF too.
 */
public final class ReasonTexts implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Map<Language, ReasonWording> wordings = new EnumMap<>(Language.class);
  private final Map<Language, Map<String, String>> texts = new EnumMap<>(Language.class);

  /** @param currency the company's currency, an ISO 4217 code */
  public ReasonTexts(String currency) {
    for (Language l : Language.values()) {
      wordings.put(l, ReasonWordings.of(l, currency));
      texts.put(l, Bundles.load("reasons", ReasonWordings.locale(l)));
    }
  }

  public ReasonWording wording(Language language) {
    return wordings.get(language);
  }

  /** The text of {@code key}; an error naming the file when it is missing. */
  public String text(Language language, String key) {
    String t = texts.get(language).get(key);
    if (t == null) {
      throw new IllegalStateException("'" + key + "' is missing from i18n/reasons_"
          + ReasonWordings.locale(language).getLanguage() + ".properties");
    }
    return t;
  }
}
