package org.crmanalytics.jobs.quality;

import java.util.List;
import java.util.Locale;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.io.Html;
import org.crmanalytics.jobs.io.TableCounts;
import org.crmanalytics.jobs.io.TableCounts.RuleCount;

/**
 * The data-quality report of a run: one self-contained HTML page (no scripts, no CDN) with the
 * row accounting per table and every rule that fired. Counts and rule texts only, no row data.
 */
public final class DataQualityReport {
  private DataQualityReport() {}

  public static String html(String runId, PipelineConfig config, List<TableCounts> tables, List<String> breaches) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Data quality ")
        .append(Html.escape(runId)).append("</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}")
        .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px}")
        .append("td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}th{background:#f3f3f3;text-align:left}")
        .append(".bad{background:#fde2e2}.warn{background:#fff6d6}.ok{color:#2a7a2a}")
        .append("</style></head><body>");
    h.append("<h1>Data quality</h1><p>Run <b>").append(Html.escape(runId)).append("</b>, as of <b>")
        .append(config.asOf()).append("</b>, configuration <code>").append(Html.escape(config.source())).append("</code></p>");
    if (breaches.isEmpty()) {
      h.append("<p class=\"ok\">All tables within their thresholds; silver tables were updated.</p>");
    } else {
      h.append("<div class=\"bad\"><p><b>The gate stopped the run; silver tables were not updated.</b></p><ul>");
      breaches.forEach(b -> h.append("<li>").append(Html.escape(b)).append("</li>"));
      h.append("</ul></div>");
    }
    h.append("<h2>Row accounting</h2><table><tr><th>table</th><th>source</th><th>read</th><th>accepted</th>")
        .append("<th>quarantined</th><th>quarantined %</th><th>after as_of</th><th>rows with warnings</th></tr>");
    for (TableCounts t : tables) {
      h.append("<tr><td>").append(Html.escape(t.table())).append("</td><td><code>").append(Html.escape(t.source()))
          .append("</code></td>").append(num(t.read())).append(num(t.accepted())).append(num(t.quarantined()))
          .append("<td class=\"n\">").append(pct(t.quarantined(), t.read())).append("</td>").append(num(t.afterAsOf()))
          .append(num(t.warned()))
          .append("</tr>");
    }
    h.append("</table><h2>Rules that fired</h2><table><tr><th>rule</th><th>level</th><th>reason</th>")
        .append("<th>rows rejected</th><th>rows breaking it</th><th>rejected %</th><th>fails above</th></tr>");
    for (TableCounts t : tables) {
      for (RuleCount r : t.rules()) {
        if (r.violating() == 0 && r.rejected() == 0) {
          continue;
        }
        String cls = r.breached() ? "bad" : r.level().equals("warn") ? "warn" : "";
        h.append("<tr class=\"").append(cls).append("\"><td><code>").append(Html.escape(r.id())).append("</code></td><td>")
            .append(r.notYetKnown() ? "after as_of" : r.level()).append("</td><td>").append(Html.escape(r.reason())).append("</td>").append(num(r.rejected()))
            .append(num(r.violating())).append("<td class=\"n\">").append(pct(r.rejected(), t.read()))
            .append("</td><td class=\"n\">").append(r.maxPercent() == null ? "" : String.format(Locale.ROOT, "%.2f %%", r.maxPercent()))
            .append("</td></tr>");
      }
    }
    h.append("</table><p>Rejected rows are in <code>quarantine/&lt;table&gt;/as_of=").append(config.asOf())
        .append("</code> with their raw source values; each row's <code>rule</code> is the first rule it broke, so a row "
            + "breaking several rules is rejected once. Warnings keep the row. Rows dated after as_of are not yet known "
            + "on that date, not bad: they are counted under <i>after as_of</i>, written neither to silver nor to "
            + "quarantine, and never stop the run (read = accepted + quarantined + after as_of).</p>")
        .append("</body></html>\n");
    return h.toString();
  }

  private static String num(long n) {
    return String.format(Locale.ROOT, "<td class=\"n\">%,d</td>", n);
  }

  private static String pct(long part, long whole) {
    return whole == 0 ? "" : String.format(Locale.ROOT, "%.2f %%", 100.0 * part / whole);
  }
}
