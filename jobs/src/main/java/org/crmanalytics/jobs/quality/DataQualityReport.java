package org.crmanalytics.jobs.quality;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.io.Html;
import org.crmanalytics.jobs.io.TableCounts;
import org.crmanalytics.jobs.io.TableCounts.RuleCount;

/**
 * The data-quality report of a run: one self-contained HTML page (no scripts, no CDN) with the
 * row accounting per table and every rule that fired. Counts and rule texts only, no row data.
 * The markup is the template {@code src/main/jte/quality/report.jte}; it shares the scorecard's
 * stylesheet ({@code src/main/jte/shared/style.jte}) so that both reports look alike.
 */
public final class DataQualityReport {
  /** What the template shows; the methods format its numbers. */
  public record Page(String runId, LocalDate asOf, String configuration, List<TableCounts> tables,
      List<String> breaches) {

    /** The rules of {@code table} that rejected or flagged a row. */
    public List<RuleCount> fired(TableCounts table) {
      return table.rules().stream().filter(r -> r.violating() != 0 || r.rejected() != 0).toList();
    }

    /** Whether no rule of any table rejected or flagged a row: the report says so instead of an empty table. */
    public boolean noRuleFired() {
      return tables.stream().allMatch(t -> fired(t).isEmpty());
    }

    public String rowClass(RuleCount r) {
      return r.breached() ? "breached" : r.level().equals("warn") ? "warn" : "";
    }

    public String level(RuleCount r) {
      return r.notYetKnown() ? "after as_of" : r.level();
    }

    public String count(long n) {
      return String.format(Locale.ROOT, "%,d", n);
    }

    public String percent(long part, long whole) {
      return whole == 0 ? "" : percent(100.0 * part / whole);
    }

    public String percent(Double p) {
      return p == null ? "" : String.format(Locale.ROOT, "%.2f %%", p);
    }
  }

  private DataQualityReport() {}

  public static String html(String runId, PipelineConfig config, List<TableCounts> tables, List<String> breaches) {
    return html(new Page(runId, config.asOf(), config.source(), tables, breaches));
  }

  public static String html(Page page) {
    return Html.render("quality/report.jte", page);
  }
}
