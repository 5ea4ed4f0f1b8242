package org.crmanalytics.jobs.quality;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.crmanalytics.jobs.config.ConfigNode;
import org.crmanalytics.jobs.config.ConfigSection;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.ContractTable;

/**
 * The {@code quality:} section: the gate's thresholds. docs/data-quality.md lists the rules.
 *
 * @param maxRejectedPercent default for every rule: the run fails when the rows one rule
 *     rejects exceed this share of the table's rows
 * @param rules per rule id ({@code sales.customer_id.missing}) overrides
 * @param maxDataAgeDays the run fails when as_of lies more than this many days after the newest
 *     accepted sale: its scores would describe a past the data does not reach
 */
public record QualitySettings(double maxRejectedPercent, Map<String, RuleSetting> rules, long maxDataAgeDays) {
  public static final int DEFAULT_MAX_DATA_AGE_DAYS = 183;

  public static final ConfigSection<QualitySettings> SECTION =
      new ConfigSection<>("quality", QualitySettings.class, (node, context) -> parse(node));

  public QualitySettings {
    rules = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rules));
  }

  /** A rule's level (error quarantines the row, warn keeps it) and its own threshold. */
  public record RuleSetting(Optional<String> level, Optional<Double> maxPercent) {}

  /** The threshold of one rule: its own, else the default. */
  public double maxPercent(String ruleId) {
    RuleSetting s = rules.get(ruleId);
    return s == null ? maxRejectedPercent : s.maxPercent().orElse(maxRejectedPercent);
  }

  /** Every rule id must exist, and only a rule whose rows keep the contract's shape may be set to warn. */
  static QualitySettings parse(ConfigNode node) {
    node.allowOnly(Set.of("max_rejected_percent", "rules", "max_data_age_days"));
    long maxAge = node.child("max_data_age_days").optLong().orElse((long) DEFAULT_MAX_DATA_AGE_DAYS);
    if (maxAge < 0) {
      throw node.child("max_data_age_days").error("must be 0 or more days, found " + maxAge);
    }
    double max = node.child("max_rejected_percent").optDouble().orElse(5.0);
    checkPercent(node.child("max_rejected_percent"), max);
    Map<String, QualityRule> known = new LinkedHashMap<>();
    for (ContractTable t : Contract.TABLES) {
      QualityRules.catalogue(t).forEach(r -> known.put(r.id(), r));
    }
    Map<String, RuleSetting> rules = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> e : node.child("rules").entries().entrySet()) {
      String id = e.getKey();
      QualityRule rule = known.get(id);
      if (rule == null) {
        String table = id.contains(".") ? id.substring(0, id.indexOf('.')) : id;
        List<String> same = known.keySet().stream().filter(k -> k.startsWith(table + ".")).toList();
        throw e.getValue().error("is not a rule" + (same.isEmpty() ? "" : "; rules of " + table + ": "
            + String.join(", ", same)));
      }
      ConfigNode r = e.getValue().allowOnly(Set.of("level", "max_percent"));
      Optional<String> level = r.child("level").optString().map(s -> s.toLowerCase(Locale.ROOT));
      if (level.isPresent() && !Set.of("error", "warn").contains(level.get())) {
        throw r.child("level").error("must be error (quarantine the row) or warn (keep it), found '"
            + level.get() + "'");
      }
      if (level.isPresent() && level.get().equals("warn") && !rule.adjustable()) {
        throw r.child("level").error("cannot be warn: a row breaking this rule cannot be stored in the contract's shape");
      }
      Optional<Double> pct = r.child("max_percent").optDouble();
      pct.ifPresent(p -> checkPercent(r.child("max_percent"), p));
      rules.put(id, new RuleSetting(level, pct));
    }
    return new QualitySettings(max, rules, maxAge);
  }

  private static void checkPercent(ConfigNode node, double p) {
    if (p < 0 || p > 100) {
      throw node.error("must be a percentage between 0 and 100, found " + p);
    }
  }
}
