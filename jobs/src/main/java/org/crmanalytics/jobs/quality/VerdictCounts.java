package org.crmanalytics.jobs.quality;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.crmanalytics.jobs.quality.QualityRule.Level;

/**
 * The gate's verdicts, counted on the way through the pass that writes silver (Spark's observed
 * metrics), so that counting costs no pass of its own: rows seen, accepted, rejected per rule, and
 * per rule the rows breaking it (for a warning: the accepted rows breaking it), and optionally the
 * newest date of one column among the accepted rows.
 */
public final class VerdictCounts {
  private final Observation observation = new Observation();
  private final List<QualityRule> rules;
  private final Dataset<Row> observed;
  private Map<String, Object> values;

  private final boolean dated;

  private VerdictCounts(Dataset<Row> gated, List<QualityRule> rules, String dateColumn) {
    this.rules = List.copyOf(rules);
    this.dated = dateColumn != null;
    Column accepted = col(QualityGate.RULE).isNull();
    List<Column> metrics = new ArrayList<>();
    metrics.add(count(when(accepted, lit(1))).as("accepted"));
    if (dated) {
      metrics.add(max(when(accepted, col(dateColumn))).as("newest"));
    }
    for (int i = 0; i < rules.size(); i++) {
      QualityRule r = rules.get(i);
      Column breaks = array_contains(col(QualityGate.VIOLATIONS), r.id());
      metrics.add(count(when(col(QualityGate.RULE).equalTo(r.id()), lit(1))).as("rejected_" + i));
      metrics.add(count(when(r.level() == Level.WARN ? accepted.and(breaks) : breaks, lit(1))).as("breaking_" + i));
    }
    this.observed = gated.observe(observation, metrics.get(0), metrics.subList(1, metrics.size()).toArray(Column[]::new));
  }

  /** Counts the verdicts of {@code gated} (the output of {@link QualityGate#verdict}) as {@link #observed} is read. */
  public static VerdictCounts observe(Dataset<Row> gated, List<QualityRule> rules) {
    return new VerdictCounts(gated, rules, null);
  }

  /** As {@link #observe(Dataset, List)}, and the newest value of the date column {@code dateColumn} among accepted rows. */
  public static VerdictCounts observe(Dataset<Row> gated, List<QualityRule> rules, String dateColumn) {
    return new VerdictCounts(gated, rules, dateColumn);
  }

  /** The newest date of the observed date column among the accepted rows; empty when none was accepted. */
  public Optional<LocalDate> newest() {
    if (!dated) {
      throw new IllegalStateException("no date column was observed");
    }
    Object v = values().get("newest");
    return Optional.ofNullable(v).map(d -> d instanceof Date sql ? sql.toLocalDate() : (LocalDate) d);
  }

  /** The gated rows; the counts are known once one action over them has finished. */
  public Dataset<Row> observed() {
    return observed;
  }

  public long accepted() {
    return value("accepted");
  }

  /** Rows rejected as bad data: every rejecting rule but the after-as_of ones. */
  public long quarantined() {
    long n = 0;
    for (int i = 0; i < rules.size(); i++) {
      n += QualityGate.notYetKnown(rules.get(i)) ? 0 : value("rejected_" + i);
    }
    return n;
  }

  /** Rows held back because they are dated after as_of (not yet known, not bad). */
  public long afterAsOf() {
    long n = 0;
    for (int i = 0; i < rules.size(); i++) {
      n += QualityGate.notYetKnown(rules.get(i)) ? value("rejected_" + i) : 0;
    }
    return n;
  }

  /** Rows this rule rejected. */
  public long rejected(String ruleId) {
    return value("rejected_" + index(ruleId));
  }

  /** Rows breaking this rule: all of them for an error rule, the accepted ones for a warning. */
  public long breaking(String ruleId) {
    return value("breaking_" + index(ruleId));
  }

  private int index(String ruleId) {
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).id().equals(ruleId)) {
        return i;
      }
    }
    throw new IllegalArgumentException("not a rule of this gate: " + ruleId);
  }

  private long value(String metric) {
    return ((Number) values().get(metric)).longValue();
  }

  private Map<String, Object> values() {
    if (values == null) {
      try {
        values = observation.getAsJava(); // waits for the action that read observed()
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the gate's counts", e);
      }
    }
    return values;
  }
}
