package org.crmanalytics.jobs.io;

import java.time.Duration;
import java.util.List;

/**
 * Row accounting of one ingested table: {@code read = accepted + quarantined + afterAsOf}, and per
 * rule the rows it rejected (the first error rule a row breaks) and the rows that break it at all.
 * Rows dated after the run's as_of are not bad data, only not yet known on that date: they are
 * counted apart ({@code afterAsOf}), go neither to silver nor to quarantine, and never stop a run
 * (backfills and backtests read today's export at an earlier as_of).
 */
public record TableCounts(
    String table,
    String source,
    long read,
    long accepted,
    long quarantined,
    long afterAsOf,
    List<RuleCount> rules,
    String silverPath,
    String quarantinePath,
    Duration elapsed) {

  public TableCounts {
    rules = List.copyOf(rules);
    if (read != accepted + quarantined + afterAsOf) {
      throw new IllegalStateException("row accounting of " + table + " is broken: read " + read
          + " != accepted " + accepted + " + quarantined " + quarantined + " + after as_of " + afterAsOf);
    }
  }

  /** A table without rows dated after as_of. */
  public TableCounts(String table, String source, long read, long accepted, long quarantined, List<RuleCount> rules,
      String silverPath, String quarantinePath, Duration elapsed) {
    this(table, source, read, accepted, quarantined, 0, rules, silverPath, quarantinePath, elapsed);
  }

  /** Rows kept although they break a warning-level rule. */
  public long warned() {
    return rules.stream().filter(r -> r.level().equals("warn")).mapToLong(RuleCount::violating).sum();
  }

  public List<RuleCount> breaches() {
    return rules.stream().filter(RuleCount::breached).toList();
  }

  /**
   * @param rejected rows quarantined with this rule as their reason (for an after-as_of rule: the
   *     rows held back as not yet known)
   * @param violating rows that break the rule (a rejected row may break several)
   * @param maxPercent the share of the table above which the run fails (error rules only; none
   *     for after-as_of rules)
   * @param notYetKnown an after-as_of rule at level error: its rows are counted as after as_of,
   *     not quarantined
   */
  public record RuleCount(String id, String level, String reason, long rejected, long violating,
      Double maxPercent, boolean breached, boolean notYetKnown) {

    public RuleCount(String id, String level, String reason, long rejected, long violating, Double maxPercent,
        boolean breached) {
      this(id, level, reason, rejected, violating, maxPercent, breached, false);
    }
  }
}
