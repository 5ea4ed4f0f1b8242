package org.crmanalytics.jobs.scorecard;

import static org.crmanalytics.jobs.io.Html.escape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.crmanalytics.jobs.io.Html;
import org.crmanalytics.jobs.scorecard.ScorecardData.AbcDistribution;
import org.crmanalytics.jobs.scorecard.ScorecardData.AtRisk;
import org.crmanalytics.jobs.scorecard.ScorecardData.BandCount;
import org.crmanalytics.jobs.scorecard.ScorecardData.Churn;
import org.crmanalytics.jobs.scorecard.ScorecardData.ClassShare;
import org.crmanalytics.jobs.scorecard.ScorecardData.Concentration;
import org.crmanalytics.jobs.scorecard.ScorecardData.DataQuality;
import org.crmanalytics.jobs.scorecard.ScorecardData.FunnelStage;
import org.crmanalytics.jobs.scorecard.ScorecardData.KpiTile;
import org.crmanalytics.jobs.scorecard.ScorecardData.Kpis;
import org.crmanalytics.jobs.scorecard.ScorecardData.Migration;
import org.crmanalytics.jobs.scorecard.ScorecardData.MigrationCell;
import org.crmanalytics.jobs.scorecard.ScorecardData.ModelQuality;
import org.crmanalytics.jobs.scorecard.ScorecardData.RiskBin;
import org.crmanalytics.jobs.scorecard.ScorecardData.Section;
import org.crmanalytics.jobs.scorecard.ScorecardData.TableRows;
import org.crmanalytics.models.kpis.KpiIds;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.components.Line;
import tech.tablesaw.plotly.components.Margin;
import tech.tablesaw.plotly.components.Marker;
import tech.tablesaw.plotly.traces.BarTrace;
import tech.tablesaw.plotly.traces.HeatmapTrace;
import tech.tablesaw.plotly.traces.ScatterTrace;

/**
 * Renders {@link ScorecardData} as one self-contained HTML page: styles, plotly.js and the chart
 * code are inlined, nothing is loaded from elsewhere. Charts are Tablesaw figures; every value
 * from data is escaped; every label comes from the {@link Messages} catalogue.
 */
public final class ScorecardPage {
  /** The ids of the chart elements, one per chart; Tablesaw makes a JavaScript name of each. */
  public static final String CHART_FUNNEL = "chart_funnel";
  public static final String CHART_ABC = "chart_abc";
  public static final String CHART_LORENZ = "chart_lorenz";
  public static final String CHART_MIGRATION = "chart_migration";
  public static final String CHART_CHURN_HISTOGRAM = "chart_churn_histogram";
  public static final String CHART_CHURN_BANDS = "chart_churn_bands";

  private static final Set<String> MONEY = Set.of(KpiIds.REVENUE, KpiIds.WON_VALUE);
  private static final Set<String> PERCENT = Set.of(KpiIds.MARGIN_PERCENT, KpiIds.CHURN_RATE, KpiIds.OFFER_SUCCESS_RATE);
  private static final List<String> METRICS = List.of("roc_auc", "pr_auc", "brier", "lift_top10", "capture_top10");
  private static final int WIDE = 980;
  private static final int HALF = 480;

  private static final String STYLE = """
      body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1f2933;background:#f5f7fa}
      header{background:#1f3a5f;color:#fff;padding:18px 32px}header h1{margin:0 0 4px;font-size:26px}
      header p{margin:0;opacity:.85}nav{padding:8px 32px;background:#e4e9f0;font-size:14px}
      nav a{margin-right:16px;color:#1f3a5f;text-decoration:none}
      main{padding:8px 32px 32px;max-width:1100px}section{background:#fff;border-radius:6px;padding:12px 20px;
      margin:16px 0;box-shadow:0 1px 2px rgba(0,0,0,.08);overflow-x:auto}h2{font-size:19px;margin:6px 0 10px;color:#1f3a5f}
      .tiles{display:flex;flex-wrap:wrap;gap:12px}.tile{border:1px solid #d9e2ec;border-radius:6px;padding:10px 14px;
      min-width:170px}.tile .label{font-size:13px;color:#52606d}.tile .value{font-size:24px;font-weight:600;margin:4px 0}
      .tile .target{font-size:12px;color:#52606d}.good{color:#1e7b34}.bad{color:#b3261e}
      .row{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
      table{border-collapse:collapse;margin:8px 0;font-size:13px}td,th{border:1px solid #d9e2ec;padding:4px 8px;text-align:left}
      th{background:#f0f4f8}td.reasons{min-width:260px}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
      .absent{color:#8a4b00;background:#fff4e5;padding:8px 12px;border-radius:4px}.note{font-size:13px;color:#52606d}
      .grade{font-size:32px;font-weight:700;color:#1f3a5f}footer{font-size:12px;color:#52606d;padding:0 32px 24px}
      """;

  private final Messages m;
  private final java.time.LocalDate asOf;
  private final StringBuilder body = new StringBuilder();
  private final List<String> chartScripts = new ArrayList<>();

  private ScorecardPage(Messages messages, java.time.LocalDate asOf) {
    this.m = messages;
    this.asOf = asOf;
  }

  public static String render(ScorecardData data, Messages messages) {
    return new ScorecardPage(messages, data.asOf()).page(data);
  }

  private String page(ScorecardData d) {
    absences(d.absences());
    // The funnel is drawn from the KPI values too: its input is the same.
    section("kpis", "section.kpis", "absent.kpis", d.kpis(), this::kpis);
    section("funnel", "section.funnel", "absent.kpis", d.kpis(), this::funnel);
    section("abc", "section.abc", "absent.abc", d.abc(), this::abc);
    section("migration", "section.migration", "absent.migration", d.migration(), this::migration);
    section("churn", "section.churn", "absent.churn", d.churn(), this::churn);
    section("data-quality", "section.data_quality", "absent.data_quality", d.dataQuality(), this::dataQuality);
    section("model-quality", "section.model_quality", "absent.model_quality", d.modelQuality(), this::modelQuality);

    StringBuilder h = new StringBuilder(PlotlyJs.source().length() + body.length() + 64_000);
    h.append("<!DOCTYPE html>\n<html lang=\"").append(m.language().id()).append("\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
        .append("<title>").append(escape(m.text("title") + " " + m.date(d.asOf()))).append("</title>")
        .append("<style>").append(STYLE).append("</style>\n")
        .append("<script>/* plotly.js ").append(PlotlyJs.version()).append(", MIT licence, inlined so the page works offline */\n")
        .append(PlotlyJs.source()).append("\n</script>\n</head><body>\n")
        .append("<header><h1>").append(escape(m.text("title"))).append("</h1><p>")
        .append(escape(m.text("subtitle", m.date(d.asOf())))).append("</p></header>\n<nav>");
    if (!d.absences().isEmpty()) {
      h.append("<a href=\"#absences\">").append(escape(m.text("section.absences"))).append("</a>");
    }
    for (String[] link : new String[][] {{"kpis", "section.kpis"}, {"funnel", "section.funnel"}, {"abc", "section.abc"},
        {"migration", "section.migration"}, {"churn", "section.churn"}, {"data-quality", "section.data_quality"},
        {"model-quality", "section.model_quality"}}) {
      h.append("<a href=\"#").append(link[0]).append("\">").append(escape(m.text(link[1]))).append("</a>");
    }
    h.append("</nav>\n<main>\n").append(body).append("</main>\n<footer>")
        .append(escape(m.text("footer", m.date(d.asOf())))).append("</footer>\n");
    for (String script : chartScripts) {
      h.append("<script>\n").append(script).append("\n</script>\n");
    }
    return h.append("</body></html>\n").toString();
  }

  private <T> void section(String id, String titleKey, String absentKey, Section<T> section, Consumer<T> content) {
    body.append("<section id=\"").append(id).append("\"><h2>").append(escape(m.text(titleKey))).append("</h2>\n");
    if (section.content().isPresent()) {
      content.accept(section.content().get());
    } else {
      body.append("<p class=\"absent\">").append(escape(m.text(absentKey, section.missingInput()))).append("</p>\n");
    }
    body.append("</section>\n");
  }

  /** What is missing for this as_of and why, first on the page; nothing when every stage delivered. */
  private void absences(List<ScorecardData.Absence> absences) {
    if (absences.isEmpty()) {
      return;
    }
    body.append("<section id=\"absences\"><h2>").append(escape(m.text("section.absences"))).append("</h2>\n")
        .append("<p>").append(escape(m.text("absences.intro"))).append("</p>\n");
    table(List.of("absences.col.stage", "absences.col.kind", "absences.col.reason"), rows -> {
      for (ScorecardData.Absence a : absences) {
        String kind = "absences.kind." + a.kind();
        rows.add(List.of(text(a.stage()), text(m.has(kind) ? m.text(kind) : a.kind()), text(a.reason())));
      }
    });
    body.append("</section>\n");
  }

  // ---------------------------------------------------------------- KPIs and funnel

  /** "Year 2025, up to 15 Mar 2025" for a period that still runs at as_of. */
  private String periodLabel(Kpis k) {
    String period = m.text("period." + k.periodType(), k.period());
    return k.partial() ? m.text("period.partial", period, m.date(asOf)) : period;
  }

  private void kpis(Kpis k) {
    body.append("<p class=\"note\" id=\"kpi-period\">").append(escape(periodLabel(k))).append("</p>\n");
    if (k.tiles().isEmpty()) {
      body.append("<p class=\"absent\">").append(escape(m.text("kpis.none_for_period", k.period()))).append("</p>\n");
      return;
    }
    body.append("<div class=\"tiles\">\n");
    for (KpiTile t : k.tiles()) {
      body.append("<div class=\"tile\" data-kpi=\"").append(escape(t.kpi())).append("\"><div class=\"label\">")
          .append(escape(m.text("kpi." + t.kpi()))).append("</div><div class=\"value\">")
          .append(escape(kpiValue(t.kpi(), t.value()))).append("</div><div class=\"target\">");
      if (t.target() == null) {
        body.append(escape(m.text("tile.no_target")));
      } else {
        body.append(escape(m.text("tile.target", kpiValue(t.kpi(), t.target()))));
        if (t.achievement() != null) {
          body.append(" · <span class=\"achievement ").append(t.achievement() >= 100 ? "good" : "bad").append("\">")
              .append(escape(m.text("tile.achievement", m.percent(t.achievement())))).append("</span>");
        }
      }
      body.append("</div></div>\n");
    }
    body.append("</div>\n");
  }

  private String kpiValue(String kpi, double v) {
    return MONEY.contains(kpi) ? m.money(v) : PERCENT.contains(kpi) ? m.percent(v) : m.count(Math.round(v));
  }

  private void funnel(Kpis k) {
    body.append("<p class=\"note\">").append(escape(periodLabel(k))).append("</p>\n");
    if (k.funnel().isEmpty()) {
      body.append("<p class=\"absent\">").append(escape(m.text("funnel.none"))).append("</p>\n");
      return;
    }
    List<FunnelStage> stages = k.funnel();
    int n = stages.size();
    Object[] labels = new Object[n];
    double[] offers = new double[n];
    // plotly draws the first category of a horizontal bar at the bottom: reversed, lead is on top.
    for (int i = 0; i < n; i++) {
      FunnelStage s = stages.get(n - 1 - i);
      labels[i] = m.text("funnel.stage." + s.stage());
      offers[i] = s.offers();
    }
    Figure f = new Figure(layout("chart.funnel", HALF, 320).xAxis(axis("axis.offers")).build(),
        BarTrace.builder(labels, offers).orientation(BarTrace.Orientation.HORIZONTAL)
            .marker(Marker.builder().color("#3e7cb1").build()).name(m.text("axis.offers")).build());
    body.append("<div class=\"row\">").append(chart(CHART_FUNNEL, f)).append("<div>");
    table(List.of("funnel.col.stage", "funnel.col.offers", "funnel.col.value"), rows -> {
      for (FunnelStage s : stages) {
        rows.add(List.of(text(m.text("funnel.stage." + s.stage())), num(m.count(s.offers())), num(m.money(s.value()))));
      }
    });
    if (!k.conversions().isEmpty()) {
      table(List.of("funnel.col.step", "funnel.col.rate"), rows -> k.conversions().forEach((id, rate) ->
          rows.add(List.of(text(m.text("conversion." + id)), num(m.percent(rate))))));
    }
    body.append("</div></div>\n");
  }

  // ---------------------------------------------------------------- A–E

  private void abc(AbcDistribution a) {
    long customers = a.customers();
    double revenue = a.revenue();
    int n = a.classes().size();
    Object[] labels = new Object[n];
    double[] customerShare = new double[n];
    double[] revenueShare = new double[n];
    for (int i = 0; i < n; i++) {
      ClassShare c = a.classes().get(i);
      labels[i] = c.abcClass() == null ? m.text("abc.no_class") : c.abcClass();
      customerShare[i] = customers == 0 ? 0 : 100.0 * c.customers() / customers;
      revenueShare[i] = revenue == 0 ? 0 : 100.0 * c.revenue() / revenue;
    }
    Figure shares = new Figure(layout("chart.abc", HALF, 340).barMode(Layout.BarMode.GROUP)
        .xAxis(axis("axis.class")).yAxis(axis("axis.share")).build(),
        BarTrace.builder(labels, customerShare).name(m.text("abc.customers_share"))
            .marker(Marker.builder().color("#3e7cb1").build()).build(),
        BarTrace.builder(labels, revenueShare).name(m.text("abc.revenue_share"))
            .marker(Marker.builder().color("#f4a259").build()).build());
    body.append("<div class=\"row\">").append(chart(CHART_ABC, shares)).append("<div>");
    table(List.of("abc.col.class", "abc.col.customers", "abc.col.customers_share", "abc.col.revenue",
        "abc.col.revenue_share"), rows -> {
          for (int i = 0; i < n; i++) {
            ClassShare c = a.classes().get(i);
            rows.add(List.of(text(String.valueOf(labels[i])), num(m.count(c.customers())), num(m.percent(customerShare[i])),
                num(m.money(c.revenue())), num(m.percent(revenueShare[i]))));
          }
          rows.add(List.of(text(m.text("abc.total")), num(m.count(customers)), num(m.percent(customers == 0 ? 0 : 100)),
              num(m.money(revenue)), num(m.percent(revenue == 0 ? 0 : 100))));
        });
    body.append("</div></div>\n");
    if (a.concentration().isEmpty()) {
      body.append("<p class=\"note\">").append(escape(m.text("lorenz.none"))).append("</p>\n");
      return;
    }
    Concentration c = a.concentration().get();
    double[] x = new double[c.customerShare().length];
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = 100 * c.customerShare()[i];
      y[i] = 100 * c.revenueShare()[i];
    }
    Figure lorenz = new Figure(layout("chart.lorenz", HALF, 380)
        .xAxis(axis("axis.customer_share")).yAxis(axis("axis.revenue_share")).build(),
        ScatterTrace.builder(x, y).mode(ScatterTrace.Mode.LINE).name(m.text("lorenz.curve"))
            .line(Line.builder().color("#3e7cb1").width(3).build()).build(),
        ScatterTrace.builder(new double[] {0, 100}, new double[] {0, 100}).mode(ScatterTrace.Mode.LINE)
            .name(m.text("lorenz.equality")).line(Line.builder().color("#9aa5b1").dash(Line.Dash.DASH).build()).build());
    body.append("<div class=\"row\">").append(chart(CHART_LORENZ, lorenz)).append("<p class=\"note\" id=\"gini\">")
        .append(escape(m.text("lorenz.gini", m.decimal(c.gini(), 3), m.count(c.customers())))).append("</p></div>\n");
  }

  private void migration(Migration mig) {
    if (mig.previousAsOf() == null) {
      long all = mig.cells().stream().mapToLong(MigrationCell::customers).sum();
      body.append("<p class=\"note\">").append(escape(m.text("migration.no_previous", m.count(all)))).append("</p>\n");
      return;
    }
    Set<String> classes = new TreeSet<>();
    for (MigrationCell c : mig.cells()) {
      if (c.previousClass() != null) {
        classes.add(c.previousClass());
      }
      if (c.abcClass() != null) {
        classes.add(c.abcClass());
      }
    }
    List<String> before = new ArrayList<>(classes);
    before.add(null); // new customers: not in the previous run
    List<String> now = new ArrayList<>(classes);
    now.add(null); // gone: not in this run
    double[][] z = new double[before.size()][now.size()];
    long[][] counts = new long[before.size()][now.size()];
    for (MigrationCell c : mig.cells()) {
      int row = before.indexOf(c.previousClass());
      int col = now.indexOf(c.abcClass());
      counts[row][col] += c.customers();
      z[row][col] += c.customers();
    }
    Object[] xLabels = now.stream().map(s -> s == null ? m.text("migration.gone") : s).toArray();
    Object[] yLabels = before.stream().map(s -> s == null ? m.text("migration.new") : s).toArray();
    Figure heat = new Figure(layout("chart.migration", HALF, 380)
        .xAxis(axis("axis.class_now")).yAxis(Axis.builder().title(m.text("axis.class_before"))
            .autoRange(Axis.AutoRange.REVERSED).build()).build(),
        HeatmapTrace.builder(xLabels, yLabels, z).build());
    body.append("<p class=\"note\">").append(escape(m.text("migration.intro", m.date(mig.previousAsOf()))))
        .append("</p>\n<div class=\"row\">").append(chart(CHART_MIGRATION, heat)).append("<div>");
    body.append("<table id=\"migration-table\"><tr><th>").append(escape(m.text("migration.col.previous"))).append("</th>");
    for (Object x : xLabels) {
      body.append("<th>").append(escape(String.valueOf(x))).append("</th>");
    }
    body.append("</tr>\n");
    for (int r = 0; r < before.size(); r++) {
      body.append("<tr><th>").append(escape(String.valueOf(yLabels[r]))).append("</th>");
      for (int c = 0; c < now.size(); c++) {
        body.append("<td class=\"n\">").append(counts[r][c] == 0 ? "" : escape(m.count(counts[r][c]))).append("</td>");
      }
      body.append("</tr>\n");
    }
    body.append("</table></div></div>\n");
  }

  // ---------------------------------------------------------------- churn

  private void churn(Churn c) {
    body.append("<p class=\"note\">").append(escape(m.text("churn.summary", m.count(c.customers()), m.count(c.scored()))))
        .append("</p>\n<div class=\"row\">");
    Object[] bins = new Object[c.histogram().size()];
    double[] counts = new double[bins.length];
    for (int i = 0; i < bins.length; i++) {
      RiskBin b = c.histogram().get(i);
      bins[i] = m.decimal(100 * b.lower(), 0) + "–" + m.decimal(100 * b.upper(), 0);
      counts[i] = b.customers();
    }
    body.append(chart(CHART_CHURN_HISTOGRAM, new Figure(layout("chart.churn_histogram", HALF, 340)
        .xAxis(axis("axis.churn_probability")).yAxis(axis("axis.customers")).build(),
        BarTrace.builder(bins, counts).name(m.text("axis.customers"))
            .marker(Marker.builder().color("#d1495b").build()).build())));
    Object[] bands = new Object[c.bands().size()];
    double[] bandCounts = new double[bands.length];
    for (int i = 0; i < bands.length; i++) {
      BandCount b = c.bands().get(i);
      bands[i] = band(b.band());
      bandCounts[i] = b.customers();
    }
    body.append(chart(CHART_CHURN_BANDS, new Figure(layout("chart.churn_bands", HALF, 340)
        .yAxis(axis("axis.customers")).build(),
        BarTrace.builder(bands, bandCounts).name(m.text("axis.customers"))
            .marker(Marker.builder().color("#edae49").build()).build())));
    body.append("</div>\n<h3>").append(escape(m.text("churn.top", m.count(c.topAtRisk().size())))).append("</h3>\n");
    if (c.topAtRisk().isEmpty()) {
      body.append("<p class=\"note\">").append(escape(m.text("churn.none_at_risk"))).append("</p>\n");
      return;
    }
    body.append("<table id=\"top-at-risk\"><tr>");
    for (String col : List.of("rank", "customer", "class", "rep", "probability", "band", "clv", "value_at_risk", "reasons")) {
      body.append("<th>").append(escape(m.text("churn.col." + col))).append("</th>");
    }
    body.append("</tr>\n");
    int rank = 0;
    for (AtRisk r : c.topAtRisk()) {
      rank++;
      body.append("<tr><td class=\"n\">").append(rank).append("</td><td class=\"customer\">");
      if (r.name() != null) {
        body.append(escape(r.name())).append("<br>");
      }
      body.append("<code>").append(escape(r.customerId())).append("</code></td><td>").append(escape(r.abcClass()))
          .append("</td><td>").append(escape(r.salesRep())).append("</td><td class=\"n\">")
          .append(r.churnProbability() == null ? "" : escape(m.percent(100 * r.churnProbability())))
          .append("</td><td>").append(escape(r.churnBand() == null ? "" : band(r.churnBand())))
          .append("</td><td class=\"n\">").append(r.clv() == null ? "" : escape(m.money(r.clv())))
          .append("</td><td class=\"n value-at-risk\">").append(r.valueAtRisk() == null ? "" : escape(m.money(r.valueAtRisk())))
          .append("</td><td class=\"reasons\">").append(escape(r.reasons())).append("</td></tr>\n");
    }
    body.append("</table>\n");
  }

  /** Known bands translated; anything else shown as the data has it. */
  private String band(String band) {
    if (band == null) {
      return m.text("band.none");
    }
    return m.has("band." + band) ? m.text("band." + band) : band;
  }

  // ---------------------------------------------------------------- data and model quality

  private void dataQuality(DataQuality q) {
    String started = q.startedAt();
    try {
      started = m.dateTime(java.time.Instant.parse(q.startedAt()));
    } catch (RuntimeException e) {
      // shown as the manifest has it
    }
    body.append("<p class=\"note\">").append(escape(m.text("dq.run", q.runId(), started))).append("</p>\n");
    body.append("<table id=\"row-accounting\"><tr>");
    for (String col : List.of("table", "read", "accepted", "quarantined", "after_as_of", "quarantined_percent")) {
      body.append("<th>").append(escape(m.text("dq.col." + col))).append("</th>");
    }
    body.append("</tr>\n");
    for (TableRows t : q.tables()) {
      body.append("<tr data-table=\"").append(escape(t.table())).append("\"><td>").append(escape(t.table()))
          .append("</td><td class=\"n\">").append(escape(m.count(t.read()))).append("</td><td class=\"n\">")
          .append(escape(m.count(t.accepted()))).append("</td><td class=\"n\">").append(escape(m.count(t.quarantined())))
          .append("</td><td class=\"n\">").append(escape(m.count(t.afterAsOf()))).append("</td><td class=\"n\">")
          .append(t.read() == 0 ? "" : escape(m.percent(100.0 * t.quarantined() / t.read()))).append("</td></tr>\n");
    }
    body.append("</table>\n");
  }

  private void modelQuality(ModelQuality q) {
    body.append("<div class=\"row\"><div><div class=\"label\">").append(escape(m.text("mq.grade")))
        .append("</div><div class=\"grade\" id=\"model-grade\">").append(escape(q.grade() == null ? "–" : q.grade()))
        .append("</div></div><div><p>").append(escape(m.text("mq.model", q.model(), q.version())));
    if (q.promoted() != null) {
      body.append(" (").append(escape(m.text(q.promoted() ? "mq.promoted" : "mq.not_promoted"))).append(")");
    }
    body.append("</p>");
    if (q.promotedVersion() != null && q.version() != null && !q.promotedVersion().equals(q.version())) {
      body.append("<p class=\"note\">").append(escape(m.text("mq.promoted_differs", q.version(), q.promotedVersion())))
          .append("</p>");
    }
    Double auc = q.metrics().get("roc_auc");
    body.append("<p id=\"auc-vs-baseline\">");
    if (auc == null) {
      body.append(escape(m.text("mq.no_auc")));
    } else if (q.bestBaselineAuc().isEmpty()) {
      body.append(escape(m.text("mq.no_baseline", m.decimal(auc, 3))));
    } else {
      Map.Entry<String, Double> best = q.bestBaselineAuc().get();
      double diff = auc - best.getValue();
      body.append(escape(m.text("mq.auc_vs_baseline", m.decimal(auc, 3), m.decimal(best.getValue(), 3),
          baselineName(best.getKey()), (diff >= 0 ? "+" : "−") + m.decimal(Math.abs(diff), 3))));
    }
    body.append("</p></div></div>\n");
    Map<String, Map<String, Double>> columns = new LinkedHashMap<>();
    columns.put(m.text("mq.col.model"), q.metrics());
    q.baselines().forEach((name, metrics) -> columns.put(baselineName(name), metrics));
    body.append("<table id=\"model-metrics\"><tr><th>").append(escape(m.text("mq.col.metric"))).append("</th>");
    columns.keySet().forEach(c -> body.append("<th>").append(escape(c)).append("</th>"));
    body.append("</tr>\n");
    for (String metric : METRICS) {
      if (columns.values().stream().noneMatch(c -> c.containsKey(metric))) {
        continue;
      }
      body.append("<tr><td>").append(escape(m.text("mq.metric." + metric))).append("</td>");
      for (Map<String, Double> c : columns.values()) {
        Double v = c.get(metric);
        body.append("<td class=\"n\">").append(v == null ? "" : escape(m.decimal(v, 3))).append("</td>");
      }
      body.append("</tr>\n");
    }
    body.append("</table>\n");
  }

  private String baselineName(String id) {
    return m.has("mq.baseline." + id) ? m.text("mq.baseline." + id) : id;
  }

  // ---------------------------------------------------------------- building blocks

  private record Cell(String html, boolean numeric) {}

  private static Cell text(String s) {
    return new Cell(escape(s), false);
  }

  private static Cell num(String s) {
    return new Cell(escape(s), true);
  }

  private void table(List<String> headerKeys, Consumer<List<List<Cell>>> fill) {
    List<List<Cell>> rows = new ArrayList<>();
    fill.accept(rows);
    body.append("<table><tr>");
    headerKeys.forEach(k -> body.append("<th>").append(escape(m.text(k))).append("</th>"));
    body.append("</tr>\n");
    for (List<Cell> row : rows) {
      body.append("<tr>");
      row.forEach(c -> body.append(c.numeric() ? "<td class=\"n\">" : "<td>").append(c.html()).append("</td>"));
      body.append("</tr>\n");
    }
    body.append("</table>\n");
  }

  private Layout.LayoutBuilder layout(String titleKey, int width, int height) {
    return Layout.builder().title(m.text(titleKey)).width(width).height(height)
        .margin(Margin.builder().top(50).bottom(60).left(70).right(20).build());
  }

  private Axis axis(String titleKey) {
    return Axis.builder().title(m.text(titleKey)).build();
  }

  /**
   * The chart's element, and its code for the end of the page: Tablesaw's script with the
   * language's number separators and plotly's tool bar (with its link to plotly's site) switched off (the page stays offline).
   */
  private String chart(String id, Figure figure) {
    if (!id.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("chart id " + id + " is not a JavaScript name");
    }
    String js = figure.asJavascript(id).trim();
    if (!js.startsWith("<script>") || !js.endsWith("</script>")) {
      throw new IllegalStateException("unexpected chart code from Tablesaw for " + id);
    }
    js = js.substring("<script>".length(), js.length() - "</script>".length());
    String call = ", data, layout);";
    if (!js.contains(call)) {
      throw new IllegalStateException("Tablesaw's chart code for " + id + " has no Plotly.newPlot(..." + call);
    }
    js = js.replace(call, ", data, layout, {displayModeBar: false, responsive: true});")
        .replace("Plotly.newPlot(", "layout.separators = '" + m.plotlySeparators() + "';\nPlotly.newPlot(");
    chartScripts.add(Html.scriptBody(js));
    return "<div class=\"chart\" id=\"" + id + "\"></div>";
  }
}
