package org.crmanalytics.jobs.crosssell;

import static org.crmanalytics.jobs.classify.ClassifierConfig.doubleIn;
import static org.crmanalytics.jobs.classify.ClassifierConfig.intIn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.crmanalytics.jobs.config.ConfigNode;
import org.crmanalytics.jobs.config.ConfigSection;
import org.crmanalytics.models.crosssell.AssociationRules;
import org.crmanalytics.models.crosssell.CollaborativeFiltering;
import org.crmanalytics.models.crosssell.CrossSellSettings;
import org.crmanalytics.models.crosssell.PeerGroups;
import org.crmanalytics.models.crosssell.WhiteSpace;

/**
 * Binds the {@code cross_sell:} section into {@link CrossSellSettings}. Every key is optional;
 * docs/cross-sell.md ("Configuration") lists them with their defaults.
 */
public final class CrossSellConfig {
  public static final Set<String> KEYS = Set.of("level", "lookback_months", "horizon_months", "top_k", "peers",
      "white_space", "rules", "als");
  public static final Set<String> PEER_KEYS = Set.of("size_band_starts", "min_group_size");
  public static final Set<String> WHITE_SPACE_KEYS = Set.of("spend_percentile", "per_employee",
      "regular_share_of_median");
  public static final Set<String> RULE_KEYS = Set.of("min_support", "min_confidence", "min_lift");
  public static final Set<String> ALS_KEYS = Set.of("feedback", "ranks", "reg_params", "alphas", "max_iter", "blocks",
      "seed");

  /**
   * The stage's ALS grid when the section names none: one point (rank 10, regParam 0.1, alpha 10)
   * and 5 iterations in 2 blocks instead of the models' 2 × 2 × 2 grid of 10 iterations in 10 blocks. The grid is fitted at
   * each date the stage recommends at (three: the choice, the test, as_of), and on a company of a
   * thousand customers with a dozen product groups the full grid alone took longer than the whole
   * stage may (docs/cross-sell.md, "Speed").
   */
  public static final CollaborativeFiltering.Settings STAGE_ALS = new CollaborativeFiltering.Settings(
      CollaborativeFiltering.Feedback.ORDERS, List.of(10), List.of(0.1), List.of(10.0), 5, 2,
      CollaborativeFiltering.Settings.DEFAULTS.seed());

  public static final ConfigSection<CrossSellSettings> SECTION =
      new ConfigSection<>("cross_sell", CrossSellSettings.class, (section, context) -> parse(section));

  private CrossSellConfig() {}

  static CrossSellSettings parse(ConfigNode section) {
    section.allowOnly(KEYS);
    CrossSellSettings d = CrossSellSettings.DEFAULTS;
    String level = section.child("level").string(d.level());
    if (!level.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw section.child("level").error("must name a column of sales or products (product_group, product_id), "
          + "found '" + level + "'");
    }
    ConfigNode p = section.child("peers").allowOnly(PEER_KEYS);
    PeerGroups.Settings peers = valid(p, () -> new PeerGroups.Settings(
        numbers(p.child("size_band_starts"), d.peers().sizeBandStarts(), Integer::valueOf),
        intIn(p.child("min_group_size"), d.peers().minGroupSize(), 1, 1_000_000)));
    ConfigNode w = section.child("white_space").allowOnly(WHITE_SPACE_KEYS);
    WhiteSpace.Settings whiteSpace = valid(w, () -> new WhiteSpace.Settings(
        doubleIn(w.child("spend_percentile"), d.whiteSpace().spendPercentile(), 0, 1),
        w.child("per_employee").bool(d.whiteSpace().perEmployee()),
        doubleIn(w.child("regular_share_of_median"), d.whiteSpace().regularShareOfMedian(), 0, 100)));
    ConfigNode r = section.child("rules").allowOnly(RULE_KEYS);
    AssociationRules.Settings rules = valid(r, () -> new AssociationRules.Settings(
        doubleIn(r.child("min_support"), d.rules().minSupport(), 0, 1),
        doubleIn(r.child("min_confidence"), d.rules().minConfidence(), 0, 1),
        doubleIn(r.child("min_lift"), d.rules().minLift(), 0, 1e6)));
    ConfigNode a = section.child("als").allowOnly(ALS_KEYS);
    CollaborativeFiltering.Settings s = STAGE_ALS;
    CollaborativeFiltering.Settings als = valid(a, () -> new CollaborativeFiltering.Settings(feedback(a.child("feedback"),
        s.feedback()), numbers(a.child("ranks"), s.ranks(), Integer::valueOf),
        numbers(a.child("reg_params"), s.regParams(), Double::valueOf),
        numbers(a.child("alphas"), s.alphas(), Double::valueOf),
        intIn(a.child("max_iter"), s.maxIter(), 1, 1000), intIn(a.child("blocks"), s.blocks(), 1, 10_000),
        a.child("seed").optLong().orElse(s.seed())));
    return valid(section, () -> new CrossSellSettings(level,
        intIn(section.child("lookback_months"), d.lookbackMonths(), 1, 60),
        intIn(section.child("horizon_months"), d.horizonMonths(), 1, 24),
        intIn(section.child("top_k"), d.topK(), 1, 100), peers, whiteSpace, rules, als));
  }

  private static CollaborativeFiltering.Feedback feedback(ConfigNode node, CollaborativeFiltering.Feedback def) {
    String v = node.string(def.name().toLowerCase(Locale.ROOT));
    try {
      return CollaborativeFiltering.Feedback.valueOf(v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw node.error("must be orders or spend, found '" + v + "'");
    }
  }

  /** A list of numbers (a single value counts as a list of one). */
  private static <T> List<T> numbers(ConfigNode node, List<T> def, Function<String, T> parse) {
    if (node.isMissing()) {
      return def;
    }
    List<T> out = new ArrayList<>();
    for (String v : node.stringList(List.of())) {
      try {
        out.add(parse.apply(v.trim()));
      } catch (NumberFormatException e) {
        throw node.error("expected a list of numbers, found '" + v + "'");
      }
    }
    return out;
  }

  /** The record's own checks (ascending bands, non-empty grids) as an error at the section's key. */
  private static <T> T valid(ConfigNode node, Supplier<T> make) {
    try {
      return make.get();
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }
}
