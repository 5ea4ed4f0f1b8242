package org.crmanalytics.jobs.scorecard;

import org.crmanalytics.models.abc.RevenueConcentration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.crmanalytics.jobs.io.Html;
import org.crmanalytics.jobs.scorecard.ScorecardData.AbcDistribution;
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.jobs.scorecard.ScorecardData.Ageing;
import org.crmanalytics.jobs.scorecard.ScorecardData.CrossSell;
import org.crmanalytics.jobs.scorecard.ScorecardData.CrossSellGrade;
import org.crmanalytics.jobs.scorecard.ScorecardData.GroupTotals;
import org.crmanalytics.jobs.scorecard.ScorecardData.Opportunity;
import org.crmanalytics.jobs.scorecard.ScorecardData.WhiteSpaceCell;
import org.crmanalytics.jobs.scorecard.ScorecardData.WhiteSpaceMap;
import org.crmanalytics.jobs.scorecard.ScorecardData.LossGroup;
import org.crmanalytics.jobs.scorecard.ScorecardData.PaymentAtRisk;
import org.crmanalytics.jobs.scorecard.ScorecardData.PaymentRisk;
import org.crmanalytics.jobs.scorecard.ScorecardData.AtRisk;
import org.crmanalytics.jobs.scorecard.ScorecardData.BandCount;
import org.crmanalytics.jobs.scorecard.ScorecardData.Churn;
import org.crmanalytics.jobs.scorecard.ScorecardData.ClassShare;
import org.crmanalytics.jobs.scorecard.ScorecardData.DataQuality;
import org.crmanalytics.jobs.scorecard.ScorecardData.FunnelStage;
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
 * code are inlined, nothing is loaded from elsewhere. This class prepares what the page shows
 * (labels from the {@link Messages} catalogue, formatted numbers, Tablesaw figures); the markup is
 * the jte templates under {@code src/main/jte/scorecard}, which escape every value.
 */
public final class ScorecardPage {
  /** The ids of the chart elements, one per chart; Tablesaw makes a JavaScript name of each. */
  public static final String CHART_FUNNEL = "chart_funnel";
  public static final String CHART_ABC = "chart_abc";
  public static final String CHART_LORENZ = "chart_lorenz";
  public static final String CHART_MIGRATION = "chart_migration";
  public static final String CHART_CHURN_HISTOGRAM = "chart_churn_histogram";
  public static final String CHART_CHURN_BANDS = "chart_churn_bands";
  public static final String CHART_PAYMENT_AGEING = "chart_payment_ageing";
  public static final String CHART_PAYMENT_REGION = "chart_payment_region";
  public static final String CHART_PAYMENT_REP = "chart_payment_rep";
  public static final String CHART_CROSS_SELL_WHITE_SPACE = "chart_cross_sell_white_space";
  public static final String CHART_CROSS_SELL_REGION = "chart_cross_sell_region";
  public static final String CHART_CROSS_SELL_REP = "chart_cross_sell_rep";

  private static final Set<String> MONEY = Set.of(KpiIds.REVENUE, KpiIds.WON_VALUE);
  private static final Set<String> PERCENT = Set.of(KpiIds.MARGIN_PERCENT, KpiIds.CHURN_RATE, KpiIds.OFFER_SUCCESS_RATE);
  private static final List<String> METRICS = List.of("roc_auc", "pr_auc", "brier", "lift_top10", "capture_top10");
  private static final int HALF = 480;
  /** The cross-sell evaluation's figures per method, in table order, and its baseline. */
  private static final List<String> CROSS_SELL_METRICS = List.of("hit_rate", "precision_at_k", "recall_at_k", "ndcg_at_k",
      "realised_share");
  private static final String POPULARITY = org.crmanalytics.models.crosssell.CrossSellEvaluation.POPULARITY;
  /** The sections in page order: element id, title key, key of the text shown when the input is absent. */
  private static final List<String[]> SECTIONS = List.of(new String[] {"kpis", "section.kpis", "absent.kpis"},
      new String[] {"funnel", "section.funnel", "absent.kpis"}, new String[] {"abc", "section.abc", "absent.abc"},
      new String[] {"migration", "section.migration", "absent.migration"},
      new String[] {"churn", "section.churn", "absent.churn"},
      new String[] {"payment-risk", "section.payment_risk", "absent.payment_risk"},
      new String[] {"cross-sell", "section.cross_sell", "absent.cross_sell"},
      new String[] {"data-quality", "section.data_quality", "absent.data_quality"},
      new String[] {"model-quality", "section.model_quality", "absent.model_quality"});

  /** A table cell's text (escaped by the template); numeric cells are right-aligned. */
  public record Cell(String text, boolean numeric) {}

  /** A plain table: header texts and rows. */
  public record Table(List<String> headers, List<List<Cell>> rows) {}

  /** A section of the page: its element id, title, and the text shown instead when its input is absent. */
  public record Part(String id, String title, String absent) {}

  /** The class migration matrix: column labels, and per row its label and counts ("" for none). */
  public record MigrationRow(String label, List<String> counts) {}

  /** One customer of the value-at-risk list, formatted. */
  public record AtRiskRow(int rank, String name, String customerId, String abcClass, String salesRep,
      String probability, String band, String clv, String valueAtRisk, String reasons) {}

  /** One customer of the expected-loss list, formatted; {@code actionReason} null without an action. */
  public record PaymentRow(int rank, String name, String customerId, String band, String probability, String exposure,
      String expectedLoss, String action, String actionReason, String reasons) {}

  /** One recommendation of the biggest-opportunities list, formatted. */
  public record OpportunityRow(int rank, String name, String customerId, String item, String potential,
      String probability, String reason) {}

  /** One table of the row accounting, formatted. */
  public record AccountingRow(String table, String read, String accepted, String quarantined, String afterAsOf,
      String quarantinedPercent) {}

  private final Messages m;
  private final ScorecardData d;
  private final List<String> chartScripts = new ArrayList<>();

  private ScorecardPage(ScorecardData data, Messages messages) {
    this.m = messages;
    this.d = data;
    // The charts' scripts close the page, in this order.
    d.kpis().content().filter(k -> !k.funnel().isEmpty()).ifPresent(this::funnelChart);
    d.abc().content().ifPresent(this::abcCharts);
    d.migration().content().filter(mig -> mig.previousAsOf() != null).ifPresent(mig -> migrationChart());
    d.churn().content().ifPresent(this::churnCharts);
    d.paymentRisk().content().ifPresent(this::paymentCharts);
    d.crossSell().content().ifPresent(this::crossSellCharts);
  }

  public static String render(ScorecardData data, Messages messages) {
    return Html.render("scorecard/page.jte", new ScorecardPage(data, messages));
  }

  // ---------------------------------------------------------------- page

  public Messages m() {
    return m;
  }

  public ScorecardData data() {
    return d;
  }

  public String date() {
    return m.date(d.asOf());
  }

  public String plotlySource() {
    return PlotlyJs.source();
  }

  public String plotlyVersion() {
    return PlotlyJs.version();
  }

  public List<String> chartScripts() {
    return chartScripts;
  }

  public List<Part> parts() {
    List<Section<?>> inputs = List.of(d.kpis(), d.kpis(), d.abc(), d.migration(), d.churn(), d.paymentRisk(),
        d.crossSell(), d.dataQuality(), d.modelQuality());
    List<Part> out = new ArrayList<>();
    for (int i = 0; i < SECTIONS.size(); i++) {
      String[] s = SECTIONS.get(i);
      Section<?> input = inputs.get(i);
      out.add(new Part(s[0], m.text(s[1]), input.content().isPresent() ? null : m.text(s[2], input.missingInput())));
    }
    return out;
  }

  /** What is missing for this as_of and why, first on the page; null when every stage delivered. */
  public Table absences() {
    if (d.absences().isEmpty()) {
      return null;
    }
    List<List<Cell>> rows = new ArrayList<>();
    for (ScorecardData.Absence a : d.absences()) {
      String kind = "absences.kind." + a.kind();
      rows.add(List.of(text(a.stage()), text(m.has(kind) ? m.text(kind) : a.kind()), text(a.reason())));
    }
    return table(List.of("absences.col.stage", "absences.col.kind", "absences.col.reason"), rows);
  }

  // ---------------------------------------------------------------- KPIs and funnel

  public Kpis kpis() {
    return d.kpis().content().orElseThrow();
  }

  /** "Year 2025, up to 15 Mar 2025" for a period that still runs at as_of. */
  public String periodLabel() {
    Kpis k = kpis();
    String period = m.text("period." + k.periodType(), k.period());
    return k.partial() ? m.text("period.partial", period, m.date(d.asOf())) : period;
  }

  public String kpiValue(String kpi, double v) {
    return MONEY.contains(kpi) ? m.money(v) : PERCENT.contains(kpi) ? m.percent(v) : m.count(Math.round(v));
  }

  public Table funnelStages() {
    List<List<Cell>> rows = new ArrayList<>();
    for (FunnelStage s : kpis().funnel()) {
      rows.add(List.of(text(m.text("funnel.stage." + s.stage())), num(m.count(s.offers())), num(m.money(s.value()))));
    }
    return table(List.of("funnel.col.stage", "funnel.col.offers", "funnel.col.value"), rows);
  }

  /** The conversion rates, or null when there are none. */
  public Table conversions() {
    if (kpis().conversions().isEmpty()) {
      return null;
    }
    List<List<Cell>> rows = new ArrayList<>();
    kpis().conversions().forEach((id, rate) -> rows.add(List.of(text(m.text("conversion." + id)), num(m.percent(rate)))));
    return table(List.of("funnel.col.step", "funnel.col.rate"), rows);
  }

  private void funnelChart(Kpis k) {
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
    chart(CHART_FUNNEL, new Figure(layout("chart.funnel", HALF, 320).xAxis(axis("axis.offers")).build(),
        BarTrace.builder(labels, offers).orientation(BarTrace.Orientation.HORIZONTAL)
            .marker(Marker.builder().color("#3e7cb1").build()).name(m.text("axis.offers")).build()));
  }

  // ---------------------------------------------------------------- A–E

  private String classLabel(ClassShare c) {
    return c.abcClass() == null ? m.text("abc.no_class") : c.abcClass();
  }

  private static double share(double part, double whole) {
    return whole == 0 ? 0 : 100.0 * part / whole;
  }

  public Table abcClasses() {
    AbcDistribution a = d.abc().content().orElseThrow();
    long customers = a.customers();
    double revenue = a.revenue();
    List<List<Cell>> rows = new ArrayList<>();
    for (ClassShare c : a.classes()) {
      rows.add(List.of(text(classLabel(c)), num(m.count(c.customers())), num(m.percent(share(c.customers(), customers))),
          num(m.money(c.revenue())), num(m.percent(share(c.revenue(), revenue)))));
    }
    rows.add(List.of(text(m.text("abc.total")), num(m.count(customers)), num(m.percent(customers == 0 ? 0 : 100)),
        num(m.money(revenue)), num(m.percent(revenue == 0 ? 0 : 100))));
    return table(List.of("abc.col.class", "abc.col.customers", "abc.col.customers_share", "abc.col.revenue",
        "abc.col.revenue_share"), rows);
  }

  /** The Gini sentence under the Lorenz curve, or null when there is no curve. */
  public String gini() {
    return d.abc().content().orElseThrow().concentration()
        .map(c -> m.text("lorenz.gini", m.decimal(c.gini(), 3), m.count(c.customers()))).orElse(null);
  }

  private void abcCharts(AbcDistribution a) {
    long customers = a.customers();
    double revenue = a.revenue();
    int n = a.classes().size();
    Object[] labels = new Object[n];
    double[] customerShare = new double[n];
    double[] revenueShare = new double[n];
    for (int i = 0; i < n; i++) {
      ClassShare c = a.classes().get(i);
      labels[i] = classLabel(c);
      customerShare[i] = share(c.customers(), customers);
      revenueShare[i] = share(c.revenue(), revenue);
    }
    chart(CHART_ABC, new Figure(layout("chart.abc", HALF, 340).barMode(Layout.BarMode.GROUP)
        .xAxis(axis("axis.class")).yAxis(axis("axis.share")).build(),
        BarTrace.builder(labels, customerShare).name(m.text("abc.customers_share"))
            .marker(Marker.builder().color("#3e7cb1").build()).build(),
        BarTrace.builder(labels, revenueShare).name(m.text("abc.revenue_share"))
            .marker(Marker.builder().color("#f4a259").build()).build()));
    if (a.concentration().isEmpty()) {
      return;
    }
    RevenueConcentration c = a.concentration().get();
    double[] x = new double[c.customerShare().length];
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = 100 * c.customerShare()[i];
      y[i] = 100 * c.revenueShare()[i];
    }
    chart(CHART_LORENZ, new Figure(layout("chart.lorenz", HALF, 380)
        .xAxis(axis("axis.customer_share")).yAxis(axis("axis.revenue_share")).build(),
        ScatterTrace.builder(x, y).mode(ScatterTrace.Mode.LINE).name(m.text("lorenz.curve"))
            .line(Line.builder().color("#3e7cb1").width(3).build()).build(),
        ScatterTrace.builder(new double[] {0, 100}, new double[] {0, 100}).mode(ScatterTrace.Mode.LINE)
            .name(m.text("lorenz.equality")).line(Line.builder().color("#9aa5b1").dash(Line.Dash.DASH).build()).build()));
  }

  // ---------------------------------------------------------------- class migration

  public Migration migration() {
    return d.migration().content().orElseThrow();
  }

  public String migrationCustomers() {
    return m.count(migration().cells().stream().mapToLong(MigrationCell::customers).sum());
  }

  /** Classes seen before and now, each list ending with null: new customers, and customers gone. */
  private List<String> classes() {
    Set<String> classes = new TreeSet<>();
    for (MigrationCell c : migration().cells()) {
      if (c.previousClass() != null) {
        classes.add(c.previousClass());
      }
      if (c.abcClass() != null) {
        classes.add(c.abcClass());
      }
    }
    List<String> out = new ArrayList<>(classes);
    out.add(null);
    return out;
  }

  public List<String> migrationColumns() {
    return classes().stream().map(s -> s == null ? m.text("migration.gone") : s).toList();
  }

  private List<String> migrationRowLabels() {
    return classes().stream().map(s -> s == null ? m.text("migration.new") : s).toList();
  }

  private long[][] migrationCounts() {
    List<String> classes = classes();
    long[][] counts = new long[classes.size()][classes.size()];
    for (MigrationCell c : migration().cells()) {
      counts[classes.indexOf(c.previousClass())][classes.indexOf(c.abcClass())] += c.customers();
    }
    return counts;
  }

  public List<MigrationRow> migrationRows() {
    List<String> labels = migrationRowLabels();
    long[][] counts = migrationCounts();
    List<MigrationRow> rows = new ArrayList<>();
    for (int r = 0; r < labels.size(); r++) {
      List<String> cells = new ArrayList<>();
      for (long n : counts[r]) {
        cells.add(n == 0 ? "" : m.count(n));
      }
      rows.add(new MigrationRow(labels.get(r), cells));
    }
    return rows;
  }

  private void migrationChart() {
    long[][] counts = migrationCounts();
    double[][] z = new double[counts.length][];
    for (int r = 0; r < counts.length; r++) {
      z[r] = java.util.Arrays.stream(counts[r]).asDoubleStream().toArray();
    }
    chart(CHART_MIGRATION, new Figure(layout("chart.migration", HALF, 380)
        .xAxis(axis("axis.class_now")).yAxis(Axis.builder().title(m.text("axis.class_before"))
            .autoRange(Axis.AutoRange.REVERSED).build()).build(),
        HeatmapTrace.builder(migrationColumns().toArray(), migrationRowLabels().toArray(), z).build()));
  }

  // ---------------------------------------------------------------- churn

  public Churn churn() {
    return d.churn().content().orElseThrow();
  }

  public List<AtRiskRow> atRisk() {
    List<AtRiskRow> rows = new ArrayList<>();
    int rank = 0;
    for (AtRisk r : churn().topAtRisk()) {
      rows.add(new AtRiskRow(++rank, r.name(), r.customerId(), r.abcClass(), r.salesRep(),
          r.churnProbability() == null ? "" : m.percent(100 * r.churnProbability()),
          r.churnBand() == null ? "" : band(r.churnBand()), r.clv() == null ? "" : m.money(r.clv()),
          r.valueAtRisk() == null ? "" : m.money(r.valueAtRisk()), r.reasons()));
    }
    return rows;
  }

  public List<String> atRiskHeaders() {
    return headers(List.of("rank", "customer", "class", "rep", "probability", "band", "clv", "value_at_risk", "reasons"),
        "churn.col.");
  }

  private void churnCharts(Churn c) {
    Object[] bins = new Object[c.histogram().size()];
    double[] counts = new double[bins.length];
    for (int i = 0; i < bins.length; i++) {
      RiskBin b = c.histogram().get(i);
      bins[i] = m.decimal(100 * b.lower(), 0) + "–" + m.decimal(100 * b.upper(), 0);
      counts[i] = b.customers();
    }
    chart(CHART_CHURN_HISTOGRAM, new Figure(layout("chart.churn_histogram", HALF, 340)
        .xAxis(axis("axis.churn_probability")).yAxis(axis("axis.customers")).build(),
        BarTrace.builder(bins, counts).name(m.text("axis.customers"))
            .marker(Marker.builder().color("#d1495b").build()).build()));
    Object[] bands = new Object[c.bands().size()];
    double[] bandCounts = new double[bands.length];
    for (int i = 0; i < bands.length; i++) {
      BandCount b = c.bands().get(i);
      bands[i] = band(b.band());
      bandCounts[i] = b.customers();
    }
    chart(CHART_CHURN_BANDS, new Figure(layout("chart.churn_bands", HALF, 340)
        .yAxis(axis("axis.customers")).build(),
        BarTrace.builder(bands, bandCounts).name(m.text("axis.customers"))
            .marker(Marker.builder().color("#edae49").build()).build()));
  }

  /** Known bands translated; anything else shown as the data has it. */
  private String band(String band) {
    if (band == null) {
      return m.text("band.none");
    }
    return m.has("band." + band) ? m.text("band." + band) : band;
  }

  // ---------------------------------------------------------------- payment risk

  public PaymentRisk paymentRisk() {
    return d.paymentRisk().content().orElseThrow();
  }

  public String paymentSummary() {
    PaymentRisk r = paymentRisk();
    return m.text("payment.summary", m.count(r.customers()), m.count(r.scored()), m.count(r.inDefault()),
        m.money(r.exposure()), m.money(r.expectedLoss()));
  }

  /** The ageing buckets in page order: not yet due, then by days past due. */
  private List<Map.Entry<String, Double>> ageingBuckets() {
    Ageing a = paymentRisk().ageing();
    return List.of(Map.entry(m.text("payment.ageing.not_due"), a.notDue()),
        Map.entry(m.text("payment.ageing.1_30"), a.overdue1To30()), Map.entry(m.text("payment.ageing.31_60"), a.overdue31To60()),
        Map.entry(m.text("payment.ageing.61_90"), a.overdue61To90()),
        Map.entry(m.text("payment.ageing.over_90"), a.overdueOver90()));
  }

  public Table ageing() {
    double open = paymentRisk().ageing().open();
    List<List<Cell>> rows = new ArrayList<>();
    for (Map.Entry<String, Double> b : ageingBuckets()) {
      rows.add(List.of(text(b.getKey()), num(m.money(b.getValue())), num(m.percent(share(b.getValue(), open)))));
    }
    rows.add(List.of(text(m.text("payment.ageing.total")), num(m.money(open)), num(m.percent(open == 0 ? 0 : 100))));
    return table(List.of("payment.col.bucket", "payment.col.open", "payment.col.share"), rows);
  }

  public Table lossByRegion() {
    return lossTable(paymentRisk().byRegion(), "payment.col.region", "payment.no_region");
  }

  public Table lossByRep() {
    return lossTable(paymentRisk().byRep(), "payment.col.rep", "payment.no_rep");
  }

  private Table lossTable(List<LossGroup> groups, String nameColumn, String noNameKey) {
    return groupTable(groups.stream().map(g -> new GroupTotals(g.name(), g.customers(), List.of(g.exposure(), g.expectedLoss()),
            g.others())).toList(), paymentRisk().expectedLoss(), noNameKey,
        List.of(nameColumn, "payment.col.customers", "payment.col.exposure", "payment.col.expected_loss",
            "payment.col.loss_share"));
  }

  /** A row per region or rep: its label, customers, each sum as money, and the last sum's share of {@code total}. */
  private Table groupTable(List<GroupTotals> groups, double total, String noNameKey, List<String> headerKeys) {
    List<List<Cell>> rows = new ArrayList<>();
    for (GroupTotals g : groups) {
      List<Cell> row = new ArrayList<>(List.of(text(groupLabel(g.name(), g.others(), noNameKey)), num(m.count(g.customers()))));
      g.sums().forEach(sum -> row.add(num(m.money(sum))));
      row.add(num(m.percent(share(g.sums().get(g.sums().size() - 1), total))));
      rows.add(row);
    }
    return table(headerKeys, rows);
  }

  /** A region's or rep's label: its name, "(no region)" for none, "n others" for the row of the rest. */
  private String groupLabel(String name, long others, String noNameKey) {
    return others > 0 ? m.text("payment.others", m.count(others)) : name == null ? m.text(noNameKey) : name;
  }

  public List<String> paymentTopHeaders() {
    return headers(List.of("rank", "customer", "band", "probability", "exposure", "expected_loss", "action", "reasons"),
        "payment.col.");
  }

  public List<PaymentRow> paymentTop() {
    List<PaymentRow> rows = new ArrayList<>();
    int rank = 0;
    for (PaymentAtRisk r : paymentRisk().top()) {
      rows.add(new PaymentRow(++rank, r.name(), r.customerId(), band(r.band()),
          r.probability() == null ? "" : m.percent(100 * r.probability()), r.exposure() == null ? "" : m.money(r.exposure()),
          r.expectedLoss() == null ? "" : m.money(r.expectedLoss()), action(r.action()), r.actionReason(), r.reasons()));
    }
    return rows;
  }

  /** Known actions translated; anything else as the data has it. */
  private String action(String action) {
    if (action == null) {
      return "";
    }
    return m.has("payment.action." + action) ? m.text("payment.action." + action) : action;
  }

  /** The evaluation of the payment model that scored this as_of (else the promoted one), or null. */
  public ModelQuality paymentModel() {
    return paymentRisk().model().content().orElse(null);
  }

  /**
   * The line about the payment model when there is something to say: why no model scored this
   * as_of (the manifest's reason), or that its evaluation is not there; null otherwise.
   */
  public String paymentModelNote() {
    PaymentRisk r = paymentRisk();
    if (r.modelVersions().isEmpty() && r.noModelReason() != null) {
      return m.text("payment.no_model", r.noModelReason());
    }
    if (r.model().content().isEmpty()) {
      return m.text("payment.no_evaluation", r.model().missingInput());
    }
    return r.modelVersions().isEmpty() ? m.text("payment.not_scored") : null;
  }

  private void paymentCharts(PaymentRisk r) {
    List<Map.Entry<String, Double>> buckets = ageingBuckets();
    chart(CHART_PAYMENT_AGEING, new Figure(layout("chart.payment_ageing", HALF, 340)
        .xAxis(axis("axis.days_past_due")).yAxis(axis("axis.open_amount")).build(),
        BarTrace.builder(buckets.stream().map(Map.Entry::getKey).toArray(),
                buckets.stream().mapToDouble(Map.Entry::getValue).toArray())
            .name(m.text("axis.open_amount")).marker(Marker.builder().color("#d1495b").build()).build()));
    lossChart(CHART_PAYMENT_REGION, "chart.payment_region", r.byRegion(), "payment.no_region");
    lossChart(CHART_PAYMENT_REP, "chart.payment_rep", r.byRep(), "payment.no_rep");
  }

  private void lossChart(String id, String titleKey, List<LossGroup> groups, String noNameKey) {
    groupChart(id, titleKey, "axis.expected_loss", groups.stream().map(g -> groupLabel(g.name(), g.others(), noNameKey)).toList(),
        groups.stream().mapToDouble(LossGroup::expectedLoss).toArray());
  }

  /** A horizontal bar per group (region, rep), the first on top. */
  private void groupChart(String id, String titleKey, String axisKey, List<String> groups, double[] values) {
    int n = groups.size();
    Object[] labels = new Object[n];
    double[] x = new double[n];
    // plotly draws the first category of a horizontal bar at the bottom: reversed, the largest is on top.
    for (int i = 0; i < n; i++) {
      labels[i] = groups.get(n - 1 - i);
      x[i] = values[n - 1 - i];
    }
    chart(id, new Figure(layout(titleKey, HALF, 340).xAxis(axis(axisKey)).build(),
        BarTrace.builder(labels, x).orientation(BarTrace.Orientation.HORIZONTAL)
            .marker(Marker.builder().color("#edae49").build()).name(m.text(axisKey)).build()));
  }

  // ---------------------------------------------------------------- cross-sell

  public CrossSell crossSell() {
    return d.crossSell().content().orElseThrow();
  }

  public String crossSellSummary() {
    CrossSell c = crossSell();
    return m.text("crosssell.summary", m.count(c.customers()), m.count(c.recommendations()), level(c.level()),
        m.money(c.potential()), published(c.published()));
  }

  private String level(String level) {
    return level != null && m.has("crosssell.level." + level) ? m.text("crosssell.level." + level) : String.valueOf(level);
  }

  private String method(String method) {
    return m.has("crosssell.method." + method) ? m.text("crosssell.method." + method) : method;
  }

  private String published(List<String> methods) {
    return String.join(", ", methods.stream().map(this::method).toList());
  }

  /** The heat map, or null when there is no white-space table or nothing in it. */
  public WhiteSpaceMap whiteSpace() {
    return crossSell().whiteSpace().content().filter(w -> !w.groups().isEmpty() && !w.items().isEmpty()).orElse(null);
  }

  /** The line under the heat map: what it shows, or why there is none. */
  public List<String> whiteSpaceNotes() {
    Section<WhiteSpaceMap> section = crossSell().whiteSpace();
    if (section.content().isEmpty()) {
      return List.of(m.text("crosssell.no_white_space", section.missingInput()));
    }
    WhiteSpaceMap w = section.content().get();
    if (w.groups().isEmpty() || w.items().isEmpty()) {
      return List.of(m.text("crosssell.empty_white_space"));
    }
    List<String> notes = new ArrayList<>();
    notes.add(m.text(org.crmanalytics.models.crosssell.PeerGroups.ALL.equals(w.peerLevel()) ? "crosssell.white_space_all" : "crosssell.white_space_note"));
    if (w.groupsInTotal() > w.groups().size() || w.itemsInTotal() > w.items().size()) {
      notes.add(m.text("crosssell.white_space_cut", m.count(w.groups().size()), m.count(w.groupsInTotal()),
          m.count(w.items().size()), m.count(w.itemsInTotal())));
    }
    return notes;
  }

  /** Penetration in % per group (rows) × item (columns); a pair without a cell has no buyer: 0. */
  private double[][] penetration(WhiteSpaceMap w) {
    double[][] z = new double[w.groups().size()][w.items().size()];
    for (WhiteSpaceCell c : w.cells()) {
      z[w.groups().indexOf(c.group())][w.items().indexOf(c.item())] = 100 * c.penetration();
    }
    return z;
  }

  public Table potentialByRegion() {
    return potentialTable(crossSell().byRegion(), "crosssell.col.region", "payment.no_region");
  }

  public Table potentialByRep() {
    return potentialTable(crossSell().byRep(), "crosssell.col.rep", "payment.no_rep");
  }

  private Table potentialTable(List<GroupTotals> groups, String nameColumn, String noNameKey) {
    return groupTable(groups, crossSell().potential(), noNameKey,
        List.of(nameColumn, "crosssell.col.customers", "crosssell.col.potential", "crosssell.col.share"));
  }

  public List<String> opportunityHeaders() {
    return headers(List.of("rank", "customer", "item", "potential", "probability", "reason"), "crosssell.col.");
  }

  public List<OpportunityRow> opportunities() {
    List<OpportunityRow> rows = new ArrayList<>();
    int rank = 0;
    for (Opportunity o : crossSell().top()) {
      rows.add(new OpportunityRow(++rank, o.name(), o.customerId(), o.item(), m.money(o.euroPotential()),
          o.probability() == null ? "" : m.percent(100 * o.probability()), o.reason()));
    }
    return rows;
  }

  /** The evaluation of the published ranking, or null when it is not evaluated ({@link #crossSellNotEvaluated}). */
  public CrossSellGrade crossSellGrade() {
    return crossSellNotEvaluated() == null ? crossSell().grade().content().orElseThrow() : null;
  }

  /**
   * Why the published ranking has no evaluation, with the command that makes one; null when the
   * promoted evaluation grades it (same level, a test period).
   */
  public String crossSellNotEvaluated() {
    CrossSell c = crossSell();
    Section<CrossSellGrade> grade = c.grade();
    if (grade.content().isEmpty()) {
      return grade.missingInput().equals(Output.promotedFile(ScorecardReader.CROSS_SELL_MODEL))
          ? m.text("crosssell.not_evaluated", grade.missingInput(), published(c.published()))
          : m.text("crosssell.no_evaluation_file", grade.missingInput());
    }
    CrossSellGrade g = grade.content().get();
    if (c.level() != null && g.level() != null && !c.level().equals(g.level())) {
      return m.text("crosssell.other_level", g.version(), g.level(), c.level());
    }
    if (g.methods().isEmpty()) {
      return m.text("crosssell.no_test", g.version(), String.join("; ", g.leftOut()));
    }
    return null;
  }

  public String crossSellPublished() {
    CrossSellGrade g = crossSellGrade();
    return m.text("crosssell.published", method(g.published()), g.version());
  }

  /** The published ranking's precision@k and NDCG@k on the test period against the popularity baseline's. */
  public String crossSellVsPopularity() {
    CrossSellGrade g = crossSellGrade();
    Map<String, Double> published = g.methods().getOrDefault(g.published(), Map.of());
    Map<String, Double> popularity = g.methods().getOrDefault(POPULARITY, Map.of());
    double precision = published.getOrDefault("precision_at_k", Double.NaN);
    double baseline = popularity.getOrDefault("precision_at_k", Double.NaN);
    String times = baseline > 0 && Double.isFinite(precision) ? m.decimal(precision / baseline, 2) : "\u2013";
    return m.text("crosssell.vs_popularity", m.date(java.time.LocalDate.parse(g.recommendedAt())),
        m.date(java.time.LocalDate.parse(g.observedUntil())), m.count(Math.round(published.getOrDefault("customers", 0.0))),
        g.k(), metric(precision), metric(baseline), times, metric(published.getOrDefault("ndcg_at_k", Double.NaN)),
        metric(popularity.getOrDefault("ndcg_at_k", Double.NaN)));
  }

  private String metric(double v) {
    return Double.isFinite(v) ? m.decimal(v, 3) : "\u2013";
  }

  /** Every method and baseline of the test period: hit rate, precision@k, recall@k, NDCG@k, € realised ÷ predicted. */
  public Table crossSellMetrics() {
    CrossSellGrade g = crossSellGrade();
    List<String> headers = new ArrayList<>(List.of(m.text("crosssell.col.method")));
    for (String metric : CROSS_SELL_METRICS) {
      headers.add(m.text("crosssell.metric." + metric, g.k()));
    }
    List<List<Cell>> rows = new ArrayList<>();
    g.methods().forEach((id, values) -> {
      List<Cell> row = new ArrayList<>();
      row.add(text(id.equals(g.published()) ? m.text("crosssell.method_published", method(id)) : method(id)));
      for (String metric : CROSS_SELL_METRICS) {
        Double v = values.get(metric);
        row.add(num(v == null ? "" : m.decimal(v, metric.equals("realised_share") ? 2 : 3)));
      }
      rows.add(row);
    });
    return new Table(headers, rows);
  }

  private void crossSellCharts(CrossSell c) {
    WhiteSpaceMap w = whiteSpace();
    if (w != null) {
      chart(CHART_CROSS_SELL_WHITE_SPACE, new Figure(Layout.builder().title(m.text("chart.cross_sell_white_space"))
          .width(2 * HALF + 16).height(110 + 26 * w.groups().size())
          .margin(Margin.builder().top(50).bottom(50).left(160).right(20).build())
          .yAxis(Axis.builder().autoRange(Axis.AutoRange.REVERSED).build()).build(),
          HeatmapTrace.builder(w.items().toArray(), w.groups().toArray(), penetration(w)).build()));
    }
    groupChart(CHART_CROSS_SELL_REGION, "chart.cross_sell_region", "axis.potential",
        c.byRegion().stream().map(g -> groupLabel(g.name(), g.others(), "payment.no_region")).toList(),
        c.byRegion().stream().mapToDouble(g -> g.sums().get(0)).toArray());
    groupChart(CHART_CROSS_SELL_REP, "chart.cross_sell_rep", "axis.potential",
        c.byRep().stream().map(g -> groupLabel(g.name(), g.others(), "payment.no_rep")).toList(),
        c.byRep().stream().mapToDouble(g -> g.sums().get(0)).toArray());
  }

  // ---------------------------------------------------------------- data and model quality

  public DataQuality dataQuality() {
    return d.dataQuality().content().orElseThrow();
  }

  /** When the ingest run started, in the page's language; as the manifest has it when unreadable. */
  public String ingestStarted() {
    String started = dataQuality().startedAt();
    try {
      return m.dateTime(java.time.Instant.parse(started));
    } catch (RuntimeException e) {
      return started;
    }
  }

  public List<String> accountingHeaders() {
    return headers(List.of("table", "read", "accepted", "quarantined", "after_as_of", "quarantined_percent"), "dq.col.");
  }

  public List<AccountingRow> accounting() {
    List<AccountingRow> rows = new ArrayList<>();
    for (TableRows t : dataQuality().tables()) {
      rows.add(new AccountingRow(t.table(), m.count(t.read()), m.count(t.accepted()), m.count(t.quarantined()),
          m.count(t.afterAsOf()), t.read() == 0 ? "" : m.percent(100.0 * t.quarantined() / t.read())));
    }
    return rows;
  }

  public ModelQuality modelQuality() {
    return d.modelQuality().content().orElseThrow();
  }

  /** "(promoted)" or "(not promoted)" after the model (churn or payment), or null when unknown. */
  public String promoted(ModelQuality q) {
    Boolean promoted = q.promoted();
    return promoted == null ? null : m.text(promoted ? "mq.promoted" : "mq.not_promoted");
  }

  /** The note that another version of the model is promoted than the one that scored, or null. */
  public String promotedDiffers(ModelQuality q) {
    if (q.promotedVersion() != null && q.version() != null && !q.promotedVersion().equals(q.version())) {
      return m.text("mq.promoted_differs", q.version(), q.promotedVersion());
    }
    return null;
  }

  /** The model's ROC AUC against the best baseline's, in one sentence. */
  public String aucVsBaseline(ModelQuality q) {
    Double auc = q.metrics().get("roc_auc");
    if (auc == null) {
      return m.text("mq.no_auc");
    }
    if (q.bestBaselineAuc().isEmpty()) {
      return m.text("mq.no_baseline", m.decimal(auc, 3));
    }
    Map.Entry<String, Double> best = q.bestBaselineAuc().get();
    double diff = auc - best.getValue();
    return m.text("mq.auc_vs_baseline", m.decimal(auc, 3), m.decimal(best.getValue(), 3),
        baselineName(best.getKey()), (diff >= 0 ? "+" : "−") + m.decimal(Math.abs(diff), 3));
  }

  /** The metrics of the model and each baseline: header texts, then a row per metric any of them has. */
  public Table metrics() {
    ModelQuality q = modelQuality();
    Map<String, Map<String, Double>> columns = new LinkedHashMap<>();
    columns.put(m.text("mq.col.model"), q.metrics());
    q.baselines().forEach((name, metrics) -> columns.put(baselineName(name), metrics));
    List<String> headers = new ArrayList<>();
    headers.add(m.text("mq.col.metric"));
    headers.addAll(columns.keySet());
    List<List<Cell>> rows = new ArrayList<>();
    for (String metric : METRICS) {
      if (columns.values().stream().noneMatch(c -> c.containsKey(metric))) {
        continue;
      }
      List<Cell> row = new ArrayList<>();
      row.add(text(m.text("mq.metric." + metric)));
      for (Map<String, Double> c : columns.values()) {
        Double v = c.get(metric);
        row.add(num(v == null ? "" : m.decimal(v, 3)));
      }
      rows.add(row);
    }
    return new Table(headers, rows);
  }

  private String baselineName(String id) {
    return m.has("mq.baseline." + id) ? m.text("mq.baseline." + id) : id;
  }

  // ---------------------------------------------------------------- building blocks

  private static Cell text(String s) {
    return new Cell(s, false);
  }

  private static Cell num(String s) {
    return new Cell(s, true);
  }

  private List<String> headers(List<String> columns, String prefix) {
    return columns.stream().map(c -> m.text(prefix + c)).toList();
  }

  private Table table(List<String> headerKeys, List<List<Cell>> rows) {
    return new Table(headers(headerKeys, ""), rows);
  }

  private Layout.LayoutBuilder layout(String titleKey, int width, int height) {
    return Layout.builder().title(m.text(titleKey)).width(width).height(height)
        .margin(Margin.builder().top(50).bottom(60).left(70).right(20).build());
  }

  private Axis axis(String titleKey) {
    return Axis.builder().title(m.text(titleKey)).build();
  }

  /**
   * The chart's code for the end of the page (its element is in the template): Tablesaw's script
   * with the language's number separators and plotly's tool bar (with its link to plotly's site)
   * switched off (the page stays offline).
   */
  private void chart(String id, Figure figure) {
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
  }
}
