package org.crmanalytics.models.abc;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Everything the A–E classification depends on besides its input tables; immutable and already
 * validated (the jobs module turns configuration mistakes into errors naming the key). The class
 * letters are A, B, C, ... as many as there are cut-offs plus one, at most five.
 *
 * @param asOf the last day whose data counts
 * @param method what the classes are cut from: the value's cumulative share or the score's rank
 * @param measure what "value" means: net revenue, or contribution margin (net minus cost)
 * @param windowMonths months before as_of that the value, XYZ and payment behaviour look at
 * @param valueCutoffs {@link Method#PARETO}: upper bounds, in percent, of the cumulative value
 *     share at which each class starts ({@code [50, 80, 95, 99]}: A starts below 50 %, ...)
 * @param scoreCutoffs {@link Method#SCORE}: upper bounds, in percent of the customers ranked by
 *     score, at which each class starts ({@code [10, 30, 60, 90]})
 * @param weights weights of the score's components; only their ratios matter
 * @param xMaxCv a coefficient of variation of the monthly revenue up to this is X
 * @param yMaxCv up to this (and above {@code xMaxCv}) Y; above it, or without positive revenue, Z
 * @param segmentBy the customers column within whose values classes are cut; empty: all together
 */
public record AbcSettings(
    LocalDate asOf,
    Method method,
    Measure measure,
    int windowMonths,
    List<Double> valueCutoffs,
    List<Double> scoreCutoffs,
    Weights weights,
    double xMaxCv,
    double yMaxCv,
    Optional<String> segmentBy) {

  public static final List<Double> DEFAULT_VALUE_CUTOFFS = List.of(50.0, 80.0, 95.0, 99.0);
  /** The classic three classes A/B/C: 80 % / 15 % / 5 % of the value. */
  public static final List<Double> THREE_CLASS_VALUE_CUTOFFS = List.of(80.0, 95.0);
  public static final List<Double> DEFAULT_SCORE_CUTOFFS = List.of(10.0, 30.0, 60.0, 90.0);
  public static final int DEFAULT_WINDOW_MONTHS = 12;
  public static final double DEFAULT_X_MAX_CV = 0.5;
  public static final double DEFAULT_Y_MAX_CV = 1.0;
  /** Growth always compares the last 12 months with the 12 before, whatever the window. */
  public static final int GROWTH_MONTHS = 12;
  public static final List<String> SEGMENT_COLUMNS = List.of("industry", "region", "segment", "country", "channel");

  public enum Method { PARETO, SCORE }

  public enum Measure { REVENUE, MARGIN }

  /** Weights of the score components; each at least 0, together more than 0. */
  public record Weights(double value, double growth, double potential, double loyalty, double payment) {
    public static final Weights DEFAULT = new Weights(0.4, 0.2, 0.1, 0.2, 0.1);

    public Weights {
      for (double w : new double[] {value, growth, potential, loyalty, payment}) {
        if (!(w >= 0) || Double.isInfinite(w)) {
          throw new IllegalArgumentException("weights must be finite and at least 0: " + this);
        }
      }
      if (value + growth + potential + loyalty + payment <= 0) {
        throw new IllegalArgumentException("at least one weight must be above 0");
      }
    }
  }

  public AbcSettings {
    if (windowMonths < 1 || windowMonths > 120) {
      throw new IllegalArgumentException("windowMonths must be 1..120: " + windowMonths);
    }
    valueCutoffs = List.copyOf(valueCutoffs);
    scoreCutoffs = List.copyOf(scoreCutoffs);
    checkCutoffs(valueCutoffs).ifPresent(p -> {
      throw new IllegalArgumentException("valueCutoffs " + p);
    });
    checkCutoffs(scoreCutoffs).ifPresent(p -> {
      throw new IllegalArgumentException("scoreCutoffs " + p);
    });
    checkXyz(xMaxCv, yMaxCv).ifPresent(p -> {
      throw new IllegalArgumentException(p);
    });
    segmentBy.ifPresent(c -> {
      if (!SEGMENT_COLUMNS.contains(c)) {
        throw new IllegalArgumentException("segmentBy must be one of " + SEGMENT_COLUMNS + ": " + c);
      }
    });
  }

  /** The defaults of docs/abc.md for one as_of. */
  public static AbcSettings defaults(LocalDate asOf) {
    return new AbcSettings(asOf, Method.PARETO, Measure.REVENUE, DEFAULT_WINDOW_MONTHS, DEFAULT_VALUE_CUTOFFS,
        DEFAULT_SCORE_CUTOFFS, Weights.DEFAULT, DEFAULT_X_MAX_CV, DEFAULT_Y_MAX_CV, Optional.empty());
  }

  public AbcSettings withMethod(Method m) {
    return new AbcSettings(asOf, m, measure, windowMonths, valueCutoffs, scoreCutoffs, weights, xMaxCv, yMaxCv, segmentBy);
  }

  public AbcSettings withMeasure(Measure m) {
    return new AbcSettings(asOf, method, m, windowMonths, valueCutoffs, scoreCutoffs, weights, xMaxCv, yMaxCv, segmentBy);
  }

  public AbcSettings withValueCutoffs(List<Double> c) {
    return new AbcSettings(asOf, method, measure, windowMonths, c, scoreCutoffs, weights, xMaxCv, yMaxCv, segmentBy);
  }

  public AbcSettings withScoreCutoffs(List<Double> c) {
    return new AbcSettings(asOf, method, measure, windowMonths, valueCutoffs, c, weights, xMaxCv, yMaxCv, segmentBy);
  }

  public AbcSettings withWeights(Weights w) {
    return new AbcSettings(asOf, method, measure, windowMonths, valueCutoffs, scoreCutoffs, w, xMaxCv, yMaxCv, segmentBy);
  }

  public AbcSettings withSegmentBy(String column) {
    return new AbcSettings(asOf, method, measure, windowMonths, valueCutoffs, scoreCutoffs, weights, xMaxCv, yMaxCv,
        Optional.of(column));
  }

  public AbcSettings withWindowMonths(int months) {
    return new AbcSettings(asOf, method, measure, months, valueCutoffs, scoreCutoffs, weights, xMaxCv, yMaxCv, segmentBy);
  }

  public AbcSettings withXyz(double xMax, double yMax) {
    return new AbcSettings(asOf, method, measure, windowMonths, valueCutoffs, scoreCutoffs, weights, xMax, yMax, segmentBy);
  }

  /** The cut-offs that the configured method uses. */
  public List<Double> cutoffs() {
    return method == Method.PARETO ? valueCutoffs : scoreCutoffs;
  }

  /** The class letters in use, best first: A..E for four cut-offs, A..C for two. */
  public List<String> classes() {
    return classLetters(cutoffs().size() + 1);
  }

  public static List<String> classLetters(int count) {
    return List.of("A", "B", "C", "D", "E").subList(0, count);
  }

  /** Why a list of cut-offs is unusable, or empty when it is fine (shared with the config check). */
  public static Optional<String> checkCutoffs(List<Double> cutoffs) {
    if (cutoffs.isEmpty() || cutoffs.size() > 4) {
      return Optional.of("must have 1 to 4 values (2 to 5 classes), found " + cutoffs.size());
    }
    for (int i = 0; i < cutoffs.size(); i++) {
      double c = cutoffs.get(i);
      if (!(c > 0 && c < 100)) {
        return Optional.of("must be percentages above 0 and below 100, found " + c);
      }
      if (i > 0 && c <= cutoffs.get(i - 1)) {
        return Optional.of("must increase, found " + cutoffs.get(i - 1) + " then " + c);
      }
    }
    return Optional.empty();
  }

  public static Optional<String> checkXyz(double xMax, double yMax) {
    if (!(xMax >= 0) || Double.isInfinite(xMax) || !(yMax >= 0) || Double.isInfinite(yMax)) {
      return Optional.of("XYZ cut-offs must be finite and at least 0");
    }
    if (yMax <= xMax) {
      return Optional.of("y_max_cv must be above x_max_cv, found x_max_cv " + xMax + " and y_max_cv " + yMax);
    }
    return Optional.empty();
  }
}
