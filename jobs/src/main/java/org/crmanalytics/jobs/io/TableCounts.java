package org.crmanalytics.jobs.io;

import java.time.Duration;
import java.util.List;

/**
 * Row accounting of one ingested table: {@code read = accepted + quarantined}, and per rule the
 * rows it rejected (the first error rule a row breaks) and the rows that break it at all.
 */
public record TableCounts(
    String table,
    String source,
    long read,
    long accepted,
    long quarantined,
    List<RuleCount> rules,
    String silverPath,
    String quarantinePath,
    Duration elapsed) {

  public TableCounts {
    rules = List.copyOf(rules);
    if (read != accepted + quarantined) {
      throw new IllegalStateException("row accounting of " + table + " is broken: read " + read
          + " != accepted " + accepted + " + quarantined " + quarantined);
    }
  }

  /** Rows kept although they break a warning-level rule. */
  public long warned() {
    return rules.stream().filter(r -> r.level().equals("warn")).mapToLong(RuleCount::violating).sum();
  }

  public List<RuleCount> breaches() {
    return rules.stream().filter(RuleCount::breached).toList();
  }

  /**
   * @param rejected rows quarantined with this rule as their reason
   * @param violating rows that break the rule (a rejected row may break several)
   * @param maxPercent the share of the table above which the run fails (error rules only)
   */
  public record RuleCount(String id, String level, String reason, long rejected, long violating,
      Double maxPercent, boolean breached) {}
}
