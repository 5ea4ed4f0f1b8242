package org.crmanalytics.jobs.clv;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Set;
import org.crmanalytics.jobs.config.ConfigNode;
import org.crmanalytics.jobs.config.ConfigSection;
import org.crmanalytics.models.btyd.BtydTimeUnit;
import org.crmanalytics.models.btyd.ClvSettings.PurchaseModelKind;
import org.crmanalytics.models.btyd.ClvSettings;

/**
 * Reads the {@code clv:} section into {@link ClvSettings}, before Spark starts. Every mistake is a
 * ConfigError naming the key as typed ({@code clv.horizon_months: ...}); docs/clv.md lists each key.
 * The calibration period is all orders up to as_of; it has no key.
 */
public final class ClvConfig {

  public static final Set<String> KEYS =
      Set.of("model", "time_unit", "horizon_months", "annual_discount_rate", "max_distinct_rows");

  public static final ConfigSection<ClvSettings> SECTION =
      new ConfigSection<>("clv", ClvSettings.class, (section, context) -> parse(section, context.asOf()));

  private ClvConfig() {}

  static ClvSettings parse(ConfigNode section, LocalDate asOf) {
    section.allowOnly(KEYS);
    ClvSettings defaults = ClvSettings.defaults(asOf);

    ConfigNode modelNode = section.child("model");
    PurchaseModelKind model = modelNode.optString().map(s -> switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "bgnbd" -> PurchaseModelKind.BGNBD;
      case "paretonbd" -> PurchaseModelKind.PARETONBD;
      default -> throw modelNode.error("must be bgnbd or paretonbd, found '" + s + "'");
    }).orElse(defaults.model());

    ConfigNode unitNode = section.child("time_unit");
    BtydTimeUnit unit = unitNode.optString().map(s -> {
      try {
        return BtydTimeUnit.parse(s);
      } catch (IllegalArgumentException e) {
        throw unitNode.error("must be days or weeks, found '" + s + "'");
      }
    }).orElse(defaults.timeUnit());

    ConfigNode horizonNode = section.child("horizon_months");
    long horizon = horizonNode.optLong().orElse((long) defaults.horizonMonths());
    if (horizon < 1 || horizon > ClvSettings.MAX_HORIZON_MONTHS) {
      throw horizonNode.error("must be 1 to " + ClvSettings.MAX_HORIZON_MONTHS + " months, found " + horizon);
    }

    ConfigNode rateNode = section.child("annual_discount_rate");
    double rate = rateNode.optDouble().orElse(defaults.annualDiscountRate());
    if (!(rate >= 0 && rate < 1)) {
      throw rateNode.error("must be a yearly rate from 0 to below 1 (0.10 = 10 %), found " + rate
          + (rate >= 1 ? "; write a percentage as a fraction, e.g. 0.08 for 8 %" : ""));
    }

    ConfigNode rowsNode = section.child("max_distinct_rows");
    long rows = rowsNode.optLong().orElse(defaults.maxDistinctRows());
    if (rows < 0) {
      throw rowsNode.error("must be 0 or more, found " + rows);
    }
    return new ClvSettings(asOf, model, unit, (int) horizon, rate, rows);
  }
}
