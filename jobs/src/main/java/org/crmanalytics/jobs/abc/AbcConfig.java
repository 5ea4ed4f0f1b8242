package org.crmanalytics.jobs.abc;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.crmanalytics.jobs.config.ConfigNode;
import org.crmanalytics.jobs.config.ConfigSection;
import org.crmanalytics.models.abc.AbcSettings;
import org.crmanalytics.models.abc.AbcSettings.Measure;
import org.crmanalytics.models.abc.AbcSettings.Method;
import org.crmanalytics.models.abc.AbcSettings.Weights;

/**
 * Reads the {@code abc:} section into {@link AbcSettings}. Every mistake is a ConfigError naming
 * the key as typed ({@code abc.cutoffs: must increase, ...}); docs/abc.md lists each key.
 */
public final class AbcConfig {
  public static final Set<String> KEYS =
      Set.of("method", "measure", "window_months", "cutoffs", "score_cutoffs", "weights", "xyz", "segment_by");
  public static final Set<String> WEIGHT_KEYS = Set.of("value", "growth", "potential", "loyalty", "payment");
  public static final Set<String> XYZ_KEYS = Set.of("x_max_cv", "y_max_cv");

  public static final ConfigSection<AbcSettings> SECTION =
      new ConfigSection<>("abc", AbcSettings.class, (section, context) -> parse(section, context.asOf()));

  private AbcConfig() {}

  static AbcSettings parse(ConfigNode section, LocalDate asOf) {
    section.allowOnly(KEYS);
    AbcSettings defaults = AbcSettings.defaults(asOf);
    Method method = choice(section.child("method"), Method.class, defaults.method());
    Measure measure = choice(section.child("measure"), Measure.class, defaults.measure());

    ConfigNode windowNode = section.child("window_months");
    long window = windowNode.optLong().orElse((long) defaults.windowMonths());
    if (window < 1 || window > 120) {
      throw windowNode.error("must be 1 to 120 months, found " + window);
    }

    ConfigNode cutoffsNode = section.child("cutoffs");
    ConfigNode scoreCutoffsNode = section.child("score_cutoffs");
    if (method == Method.SCORE && !cutoffsNode.isMissing()) {
      throw cutoffsNode.error("is used by method pareto only (cumulative value share); with method score "
          + "set abc.score_cutoffs (share of customers by score)");
    }
    if (method == Method.PARETO && !scoreCutoffsNode.isMissing()) {
      throw scoreCutoffsNode.error("is used by method score only; with method pareto set abc.cutoffs "
          + "(cumulative value share), or set abc.method: score");
    }
    List<Double> cutoffs = percentages(cutoffsNode, defaults.valueCutoffs());
    List<Double> scoreCutoffs = percentages(scoreCutoffsNode, defaults.scoreCutoffs());

    ConfigNode weightsNode = section.child("weights").allowOnly(WEIGHT_KEYS);
    Weights d = defaults.weights();
    double[] w = {
        weight(weightsNode.child("value"), d.value()),
        weight(weightsNode.child("growth"), d.growth()),
        weight(weightsNode.child("potential"), d.potential()),
        weight(weightsNode.child("loyalty"), d.loyalty()),
        weight(weightsNode.child("payment"), d.payment())};
    if (w[0] + w[1] + w[2] + w[3] + w[4] <= 0) {
      throw weightsNode.error("at least one weight must be above 0");
    }

    ConfigNode xyzNode = section.child("xyz").allowOnly(XYZ_KEYS);
    double xMax = nonNegative(xyzNode.child("x_max_cv"), defaults.xMaxCv());
    double yMax = nonNegative(xyzNode.child("y_max_cv"), defaults.yMaxCv());
    if (yMax <= xMax) {
      throw xyzNode.child("y_max_cv").error("must be above x_max_cv (" + xMax + "), found " + yMax);
    }

    ConfigNode segmentNode = section.child("segment_by");
    Optional<String> segmentBy = segmentNode.optString().map(s -> s.trim().toLowerCase(Locale.ROOT));
    if (segmentBy.isPresent() && segmentBy.get().equals("none")) {
      segmentBy = Optional.empty();
    }
    if (segmentBy.isPresent() && !AbcSettings.SEGMENT_COLUMNS.contains(segmentBy.get())) {
      throw segmentNode.error("must be none or a customers column: " + String.join(", ", AbcSettings.SEGMENT_COLUMNS)
          + "; found '" + segmentBy.get() + "'");
    }
    return new AbcSettings(asOf, method, measure, (int) window, cutoffs, scoreCutoffs,
        new Weights(w[0], w[1], w[2], w[3], w[4]), xMax, yMax, segmentBy);
  }

  private static <E extends Enum<E>> E choice(ConfigNode node, Class<E> type, E defaultValue) {
    Optional<String> typed = node.optString();
    if (typed.isEmpty()) {
      return defaultValue;
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      String name = e.name().toLowerCase(Locale.ROOT);
      names.add(name);
      if (name.equals(typed.get().trim().toLowerCase(Locale.ROOT))) {
        return e;
      }
    }
    throw node.error("must be one of " + String.join(", ", names) + "; found '" + typed.get() + "'");
  }

  private static List<Double> percentages(ConfigNode node, List<Double> defaultValue) {
    if (node.isMissing()) {
      return defaultValue;
    }
    List<Double> out = new ArrayList<>();
    for (String item : node.stringList(List.of())) {
      try {
        out.add(Double.parseDouble(item.trim().replace("%", "").trim()));
      } catch (NumberFormatException e) {
        throw node.error("expected percentages such as [50, 80, 95, 99], found '" + item + "'");
      }
    }
    Optional<String> problem = AbcSettings.checkCutoffs(out);
    if (problem.isPresent()) {
      throw node.error(problem.get());
    }
    return List.copyOf(out);
  }

  private static double weight(ConfigNode node, double defaultValue) {
    return nonNegative(node, defaultValue);
  }

  private static double nonNegative(ConfigNode node, double defaultValue) {
    double v = node.optDouble().orElse(defaultValue);
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw node.error("must be a number of at least 0, found " + v);
    }
    return v;
  }
}
