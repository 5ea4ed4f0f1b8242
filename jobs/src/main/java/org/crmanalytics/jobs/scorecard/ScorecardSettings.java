package org.crmanalytics.jobs.scorecard;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.crmanalytics.jobs.config.ConfigNode;
import org.crmanalytics.jobs.config.ConfigSection;

/**
 * The {@code scorecard:} section. Every mistake is a ConfigError naming the key as typed;
 * docs/scorecard.md lists each key.
 *
 * @param language labels, number and date formats of the page
 * @param period the KPI period the tiles and the funnel show: the one that contains as_of
 * @param topAtRisk how many customers the value-at-risk list shows
 */
public record ScorecardSettings(Language language, Period period, int topAtRisk) {
  public static final String LOCALE = "locale";
  public static final String PERIOD = "period";
  public static final String TOP_AT_RISK = "top_at_risk";
  public static final Set<String> KEYS = Set.of(LOCALE, PERIOD, TOP_AT_RISK);
  public static final int MAX_TOP_AT_RISK = 200;

  public static final ScorecardSettings DEFAULTS = new ScorecardSettings(Language.EN, Period.YEAR, 20);

  public enum Language {
    EN(Locale.ENGLISH), DE(Locale.GERMANY);

    private final Locale locale;

    Language(Locale locale) {
      this.locale = locale;
    }

    public Locale locale() {
      return locale;
    }

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The language named by {@code typed} (case ignored), or a message listing the known ones. */
    public static Language parse(String typed, java.util.function.Function<String, RuntimeException> error) {
      String wanted = typed.trim().toLowerCase(Locale.ROOT);
      return Arrays.stream(values()).filter(l -> l.id().equals(wanted)).findFirst()
          .orElseThrow(() -> error.apply("must be one of " + ids() + "; found '" + typed + "'"));
    }

    public static String ids() {
      return Arrays.stream(values()).map(Language::id).collect(Collectors.joining(", "));
    }
  }

  /** KPI period types as the kpis output names them (period_type). */
  public enum Period {
    MONTH, QUARTER, YEAR;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The label of the period containing {@code date}, as the kpis output writes it. */
    public String label(java.time.LocalDate date) {
      return switch (this) {
        case MONTH -> String.format(Locale.ROOT, "%04d-%02d", date.getYear(), date.getMonthValue());
        case QUARTER -> date.getYear() + "-Q" + ((date.getMonthValue() - 1) / 3 + 1);
        case YEAR -> Integer.toString(date.getYear());
      };
    }
  }

  public ScorecardSettings withLanguage(Language newLanguage) {
    return new ScorecardSettings(newLanguage, period, topAtRisk);
  }

  public static final ConfigSection<ScorecardSettings> SECTION =
      new ConfigSection<>("scorecard", ScorecardSettings.class, (section, context) -> parse(section));

  static ScorecardSettings parse(ConfigNode section) {
    section.allowOnly(KEYS);
    ConfigNode localeNode = section.child(LOCALE);
    Language language = localeNode.optString().map(s -> Language.parse(s, localeNode::error))
        .orElse(DEFAULTS.language());
    ConfigNode periodNode = section.child(PERIOD);
    Period period = periodNode.optString().map(typed -> Arrays.stream(Period.values())
            .filter(p -> p.id().equals(typed.trim().toLowerCase(Locale.ROOT))).findFirst()
            .orElseThrow(() -> periodNode.error("must be one of month, quarter, year; found '" + typed + "'")))
        .orElse(DEFAULTS.period());
    ConfigNode topNode = section.child(TOP_AT_RISK);
    long top = topNode.optLong().orElse((long) DEFAULTS.topAtRisk());
    if (top < 1 || top > MAX_TOP_AT_RISK) {
      throw topNode.error("must be between 1 and " + MAX_TOP_AT_RISK + ", found " + top);
    }
    return new ScorecardSettings(language, period, (int) top);
  }
}
