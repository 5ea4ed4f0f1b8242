package org.crmanalytics.jobs.quality;

import org.apache.spark.sql.Column;

/**
 * One data-quality rule: an id ({@code sales.customer_id.missing}), a level, a reason a person
 * can act on, and the condition under which a row violates it.
 *
 * @param adjustable whether configuration may lower it to a warning (rules that protect the
 *     contract itself, such as a missing key, may not be lowered)
 * @param violation true where the row breaks the rule; null for rules the gate evaluates with a
 *     join (duplicate keys, references)
 */
public record QualityRule(
    String id, Kind kind, String column, Level level, boolean adjustable, String reason, Column violation) {

  public enum Level { ERROR, WARN }

  /** Rule kinds in the order a rejected row's reason is chosen (the first violated one). */
  public enum Kind {
    MALFORMED, ENCODING, MISSING, TYPE, ALLOWED, RANGE, AFTER_AS_OF, CONSISTENCY, DUPLICATE_KEY, REFERENCE
  }

  public QualityRule withLevel(Level newLevel) {
    return new QualityRule(id, kind, column, newLevel, adjustable, reason, violation);
  }

}
