package org.crmanalytics.jobs.scorecard;

import org.crmanalytics.jobs.io.Output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.crmanalytics.jobs.GoldenFiles;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.config.ConfigError;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.runner.PipelineRunner;
import org.crmanalytics.jobs.io.Html;
import org.crmanalytics.jobs.runner.Input;
import org.crmanalytics.jobs.scorecard.ScorecardData.Ageing;
import org.crmanalytics.jobs.scorecard.ScorecardData.AtRisk;
import org.crmanalytics.jobs.scorecard.ScorecardData.PaymentAtRisk;
import org.crmanalytics.jobs.scorecard.ScorecardData.PaymentRisk;
import org.crmanalytics.jobs.scorecard.ScorecardFixture.Owed;
import org.crmanalytics.models.scores.CustomerScores;
import org.crmanalytics.jobs.scorecard.ScorecardData.ClassShare;
import org.crmanalytics.models.abc.RevenueConcentration;
import org.crmanalytics.jobs.scorecard.ScorecardData.KpiTile;
import org.crmanalytics.jobs.scorecard.ScorecardData.MigrationCell;
import org.crmanalytics.jobs.scorecard.ScorecardFixture.Classified;
import org.crmanalytics.jobs.scorecard.ScorecardFixture.Scored;
import org.crmanalytics.jobs.scorecard.ScorecardSettings.Language;
import org.crmanalytics.models.kpis.KpiIds;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scorecard stage the way the CLI runs it, on the outputs of {@link ScorecardFixture}: every
 * aggregate is checked against the fixture's plain Java lists, the page against escaping and
 * the absent-input messages, the configuration against its errors. The page in a browser is
 * {@link ScorecardBrowserTest}.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class ScorecardStageTest {
  private static SparkSession spark;
  private static ScorecardData data;

  @TempDir static Path dir;
  @TempDir static Path root;

  @BeforeAll
  static void start(SparkSession session) throws IOException {
    spark = session;
    ScorecardFixture.write(spark, root);
    data = new ScorecardReader(spark, root.toUri().toString().replaceAll("/$", ""), ScorecardFixture.AS_OF,
        ScorecardSettings.DEFAULTS).read(Optional.empty());
  }

  private static String run(PipelineConfig config, ScorecardStage stage) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (Console console = new Console(new PrintStream(buffer, true, StandardCharsets.UTF_8), Console.Verbosity.NORMAL)) {
      new PipelineRunner(console).run(spark, config, List.of(stage), "run");
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }

  @Test
  void tilesShowTheWholeCompanysValuesOfTheYearToDate() {
    ScorecardData.Kpis k = data.kpis().content().orElseThrow();
    assertEquals("2025", k.period());
    assertTrue(k.partial(), "2025 still runs at 2025-03-15");
    Map<String, KpiTile> tiles = k.tiles().stream().collect(Collectors.toMap(KpiTile::kpi, t -> t));
    assertEquals(List.of(KpiIds.REVENUE, KpiIds.MARGIN_PERCENT, KpiIds.NEW_CUSTOMERS, KpiIds.CHURN_RATE,
        KpiIds.OFFERS_WON, KpiIds.WON_VALUE, KpiIds.OFFER_SUCCESS_RATE, KpiIds.VISITS),
        k.tiles().stream().map(KpiTile::kpi).toList(), "tiles in catalogue order, only KPIs the output has");
    assertEquals(new KpiTile(KpiIds.REVENUE, 1234567.5, 1500000.0, 82.3045), tiles.get(KpiIds.REVENUE),
        "not the month's 99, the rep's 55 or 2024's 77");
    assertEquals(new KpiTile(KpiIds.VISITS, 140.0, 200.0, 70.0), tiles.get(KpiIds.VISITS));
    assertEquals(new KpiTile(KpiIds.CHURN_RATE, 8.5, null, null), tiles.get(KpiIds.CHURN_RATE));
    assertEquals(List.of("lead", "qualified", "offer", "negotiation", "won", "lost"),
        k.funnel().stream().map(ScorecardData.FunnelStage::stage).toList());
    assertEquals(List.of(10L, 8L, 6L, 3L, 7L, 5L), k.funnel().stream().map(ScorecardData.FunnelStage::offers).toList());
    assertEquals(250000.0, k.funnel().get(4).value());
    assertEquals(Map.of(KpiIds.CONVERSION_LEAD_QUALIFIED, 78.0, KpiIds.CONVERSION_QUALIFIED_OFFER, 65.0,
        KpiIds.CONVERSION_OFFER_WON, 33.3), k.conversions());
  }

  @Test
  void classDistributionCountsCustomersAndRevenuePerClass() {
    ScorecardData.AbcDistribution abc = data.abc().content().orElseThrow();
    Map<String, List<Classified>> expected = ScorecardFixture.CLASSIFIED.stream()
        .collect(Collectors.groupingBy(c -> String.valueOf(c.abcClass())));
    assertEquals(6, abc.classes().size(), "A-E and the customers without a class");
    for (ClassShare c : abc.classes()) {
      List<Classified> members = expected.get(String.valueOf(c.abcClass()));
      assertEquals(members.size(), c.customers(), "customers of class " + c.abcClass());
      assertEquals(members.stream().mapToDouble(Classified::revenue).sum(), c.revenue(), 1e-9,
          "revenue of class " + c.abcClass());
    }
    assertEquals(null, abc.classes().get(5).abcClass(), "no class last");
  }

  @Test
  void giniAndLorenzCurveMatchTheMeanAbsoluteDifferenceDefinition() {
    RevenueConcentration c = data.abc().content().orElseThrow().concentration().orElseThrow();
    double[] x = ScorecardFixture.CLASSIFIED.stream().mapToDouble(Classified::revenue).filter(v -> v > 0).toArray();
    int n = x.length;
    double mean = java.util.Arrays.stream(x).average().orElseThrow();
    double absoluteDifferences = 0;
    for (double a : x) {
      for (double b : x) {
        absoluteDifferences += Math.abs(a - b);
      }
    }
    // G = Σ Σ |xi − xj| / (2 n² μ): another definition than the rank formula the reader uses.
    assertEquals(absoluteDifferences / (2.0 * n * n * mean), c.gini(), 1e-12);
    assertEquals(n, c.customers(), "customers with revenue above 0 only");
    assertEquals(n + 1, c.customerShare().length, "fewer customers than points: one point per customer, plus (0, 0)");
    double[] sorted = x.clone();
    java.util.Arrays.sort(sorted);
    double total = java.util.Arrays.stream(x).sum();
    double cumulative = 0;
    for (int i = 0; i < n; i++) {
      cumulative += sorted[i];
      assertEquals((i + 1.0) / n, c.customerShare()[i + 1], 1e-12, "customer share at point " + (i + 1));
      assertEquals(cumulative / total, c.revenueShare()[i + 1], 1e-12, "revenue share at point " + (i + 1));
    }
  }

  @Test
  void lorenzCurveOfManyCustomersHasOneHundredPointsAndTheExactGini() {
    // 1,000 customers with revenue 1..1000: Gini = (n − 1) / (3n) for 1..n, exactly.
    List<org.apache.spark.sql.Row> rows = new java.util.ArrayList<>();
    for (int i = 1; i <= 1000; i++) {
      Object[] v = new Object[org.crmanalytics.models.abc.AbcOutput.Customers.SCHEMA.size()];
      v[0] = "x" + i;
      v[org.crmanalytics.models.abc.AbcOutput.Customers.SCHEMA.fieldIndex("revenue")] = java.math.BigDecimal.valueOf(i);
      rows.add(org.apache.spark.sql.RowFactory.create(v));
    }
    RevenueConcentration c = RevenueConcentration.of(
        spark.createDataFrame(rows, org.crmanalytics.models.abc.AbcOutput.Customers.SCHEMA).repartition(4),
        ScorecardReader.LORENZ_POINTS).orElseThrow();
    assertEquals(999.0 / 3000.0, c.gini(), 1e-12);
    assertEquals(ScorecardReader.LORENZ_POINTS + 1, c.customerShare().length);
    // point k: the lowest 10·k customers, whose revenue is 10k(10k+1)/2 of 500,500.
    for (int k = 1; k <= 100; k++) {
      assertEquals(k / 100.0, c.customerShare()[k], 1e-12);
      assertEquals(10.0 * k * (10 * k + 1) / 2 / 500500.0, c.revenueShare()[k], 1e-12, "point " + k);
    }
  }

  @Test
  void migrationKeepsEveryCellAndThePreviousDate() {
    ScorecardData.Migration m = data.migration().content().orElseThrow();
    assertEquals(ScorecardFixture.PREVIOUS, m.previousAsOf());
    assertEquals(ScorecardFixture.MIGRATION.stream().map(r -> r[0] + ">" + r[1] + "=" + r[2]).sorted().toList(),
        m.cells().stream().map(c -> c.previousClass() + ">" + c.abcClass() + "=" + c.customers()).sorted().toList());
    assertEquals(13, m.cells().stream().mapToLong(MigrationCell::customers).sum());
  }

  @Test
  void churnHistogramBandsAndTopListFollowTheScores() {
    ScorecardData.Churn c = data.churn().content().orElseThrow();
    List<Scored> scored = ScorecardFixture.scored();
    assertEquals(30, c.customers());
    assertEquals(29, c.scored(), "c30 has no churn probability");
    assertEquals(ScorecardFixture.ONE_TIME_BUYERS.size(), c.oneTimeBuyers(), "p_alive_caveat counted");
    long[] expected = new long[ScorecardReader.RISK_BINS];
    scored.stream().filter(s -> s.probability() != null)
        .forEach(s -> expected[Math.min((int) Math.floor(s.probability() * 20), 19)]++);
    assertEquals(java.util.Arrays.stream(expected).boxed().toList(),
        c.histogram().stream().map(ScorecardData.RiskBin::customers).toList(), "20 bins of 5 points, 1.0 in the last");
    Map<String, Long> bands = scored.stream().collect(Collectors.groupingBy(s -> String.valueOf(s.band()), Collectors.counting()));
    assertEquals(List.of("high", "medium", "low", "null"), c.bands().stream().map(b -> String.valueOf(b.band())).toList());
    c.bands().forEach(b -> assertEquals(bands.get(String.valueOf(b.band())), b.customers(), "band " + b.band()));

    List<Scored> top = ScorecardFixture.topAtRisk(20);
    assertEquals(top.stream().map(Scored::id).toList(), c.topAtRisk().stream().map(AtRisk::customerId).toList());
    AtRisk first = c.topAtRisk().get(0);
    assertEquals("c29", first.customerId(), "p = 1.0 and clv 29,000");
    assertEquals(ScorecardFixture.HOSTILE_NAME, first.name(), "name from silver customers");
    assertEquals(29000.0, first.valueAtRisk());
    assertEquals(List.of(ScorecardFixture.CHURN_VERSION), c.modelVersions());
  }

  @Test
  void dataQualityIsTheLatestIngestOfThisAsOf() {
    ScorecardData.DataQuality q = data.dataQuality().content().orElseThrow();
    assertEquals(ScorecardFixture.INGEST_RUN, q.runId(),
        "not the older ingest, not the ingest of 2025-03-16, not the later run without ingest");
    assertEquals(ScorecardFixture.INGESTED.stream().map(t -> t[0] + " " + t[1] + " " + t[2] + " " + t[3]).toList(),
        q.tables().stream().map(t -> t.table() + " " + t.read() + " " + t.accepted() + " " + t.quarantined()).toList());
  }

  @Test
  void theRunInProgressWinsWhenItIngestedThisAsOf() {
    org.crmanalytics.jobs.io.RunManifest current = new org.crmanalytics.jobs.io.RunManifest("20250315T090000-0006",
        "run", "c.yaml", ScorecardFixture.AS_OF.toString(), "/out");
    current.table(new org.crmanalytics.jobs.io.TableCounts("customers", "csv", 40, 38, 2, List.of(), "s", "q",
        java.time.Duration.ofSeconds(1)));
    ScorecardReader reader = new ScorecardReader(spark, root.toString(), ScorecardFixture.AS_OF, ScorecardSettings.DEFAULTS);
    assertEquals(ScorecardFixture.INGEST_RUN, reader.dataQuality(Optional.of(current.toJson())).content().orElseThrow().runId(),
        "ingest has not succeeded in the run in progress yet: the latest file counts");
    current.stage("ingest", "succeeded", java.time.Duration.ofSeconds(1), Map.of());
    ScorecardData.DataQuality q = reader.dataQuality(Optional.of(current.toJson())).content().orElseThrow();
    assertEquals("20250315T090000-0006", q.runId());
    assertEquals(List.of(new ScorecardData.TableRows("customers", 40, 38, 2, 0)), q.tables());
  }

  @Test
  void modelQualityIsTheVersionThatScoredTheRun() {
    ScorecardData.ModelQuality q = data.modelQuality().content().orElseThrow();
    assertEquals(ScorecardFixture.CHURN_VERSION, q.version());
    assertEquals("v4", q.promotedVersion());
    assertEquals("B", q.grade());
    assertEquals(ScorecardFixture.MODEL_AUC, q.metrics().get("roc_auc"));
    assertEquals(Map.entry("p_alive", ScorecardFixture.P_ALIVE_AUC), q.bestBaselineAuc().orElseThrow());
  }

  @Test
  void paymentRiskIsAnOptionalInputOfTheStage() {
    // A company without invoices has no payment_risk output; the scorecard runs all the same.
    assertTrue(new ScorecardStage().reads().contains(Input.optional(Output.PAYMENT_RISK_CUSTOMERS)));
  }

  @Test
  void paymentRiskAgesTheReceivablesAndSplitsTheExpectedLossByRegionAndRep() {
    PaymentRisk r = data.paymentRisk().content().orElseThrow();
    List<Owed> owed = ScorecardFixture.owed(true);
    assertEquals(owed.size(), r.customers());
    assertEquals(owed.stream().filter(o -> o.probability() != null).count(), r.scored());
    assertEquals(1, r.inDefault(), "c12");
    assertEquals(sum(owed, Owed::exposure), r.exposure(), 1e-6);
    assertEquals(sum(owed, Owed::expectedLoss), r.expectedLoss(), 1e-6);
    assertEquals(new Ageing(sum(owed, Owed::notDue), sum(owed, Owed::overdue1To30), sum(owed, Owed::overdue31To60),
        sum(owed, Owed::overdue61To90), sum(owed, Owed::overdueOver90)), r.ageing(),
        "not yet due = open receivables − overdue; the buckets from the overdue_* columns");

    Map<String, Double> byRegion = owed.stream().collect(Collectors.groupingBy(o -> String.valueOf(o.region()),
        Collectors.summingDouble(o -> o.expectedLoss() == null ? 0 : o.expectedLoss())));
    assertLossGroups(byRegion, r.byRegion(), "regions from silver customers; c03, c06, c09, c12 and c40 have none");
    Map<String, Double> byRep = owed.stream().collect(Collectors.groupingBy(
        o -> o.id().equals(ScorecardFixture.UNKNOWN_DEBTOR) ? "null" : ScorecardFixture.rep(o.id()),
        Collectors.summingDouble(o -> o.expectedLoss() == null ? 0 : o.expectedLoss())));
    assertLossGroups(byRep, r.byRep(), "reps from customer_scores; c40 is not scored there");

    List<Owed> top = ScorecardFixture.topByExpectedLoss(owed, ScorecardSettings.DEFAULTS.topAtRisk());
    assertEquals(top.stream().map(Owed::id).toList(), r.top().stream().map(PaymentAtRisk::customerId).toList());
    PaymentAtRisk first = r.top().get(0);
    assertEquals(new PaymentAtRisk("c12", "Kunde c12 GmbH", CustomerScores.BAND_IN_DEFAULT, null, 18000.0, 18000.0,
        "credit_hold", "credit hold: in default", top.get(0).reasonsEn()), first, "in default: the whole exposure");
    assertEquals(null, r.top().stream().filter(t -> t.customerId().equals(ScorecardFixture.UNKNOWN_DEBTOR))
        .findFirst().orElseThrow().name(), "not in silver customers: id only");

    assertEquals(List.of(ScorecardFixture.PAYMENT_VERSION), r.modelVersions());
    ScorecardData.ModelQuality q = r.model().content().orElseThrow();
    assertEquals("A", q.grade());
    assertEquals(true, q.promoted());
    assertEquals(ScorecardFixture.PAYMENT_VERSION, q.promotedVersion());
    assertEquals(null, r.noModelReason(), "a model scored this as_of");
  }

  @Test
  void beyondFifteenSalesRepsTheRestIsOneRow() {
    // 26 customers, each with a rep of their own: the 15 largest losses, then "11 others".
    Dataset<Row> owed = ScorecardFixture.paymentRisk(spark, ScorecardFixture.owed(true));
    Dataset<Row> customers = owed.union(owed.withColumn(CustomerScores.CUSTOMER_ID,
        functions.concat(functions.lit("y"), functions.col(CustomerScores.CUSTOMER_ID))));
    Dataset<Row> reps = customers.select(functions.col(CustomerScores.CUSTOMER_ID),
        functions.concat(functions.lit("rep-"), functions.col(CustomerScores.CUSTOMER_ID)).as(CustomerScores.SALES_REP_ID));
    PaymentRisk r = ScorecardReader.paymentRisk(customers, Optional.of(reps), Optional.empty(), 5, Language.EN);
    List<ScorecardData.LossGroup> groups = r.byRep();
    assertEquals(ScorecardReader.LOSS_GROUPS + 1, groups.size());
    List<Double> losses = ScorecardFixture.owed(true).stream().map(o -> o.expectedLoss())
        .flatMap(l -> Stream.of(l, l)).sorted(java.util.Comparator.reverseOrder()).toList();
    assertEquals(losses.subList(0, ScorecardReader.LOSS_GROUPS),
        groups.subList(0, ScorecardReader.LOSS_GROUPS).stream().map(ScorecardData.LossGroup::expectedLoss).toList(),
        "the largest first");
    ScorecardData.LossGroup others = groups.get(ScorecardReader.LOSS_GROUPS);
    assertEquals(11, others.others());
    assertEquals(11, others.customers());
    assertEquals(losses.subList(ScorecardReader.LOSS_GROUPS, losses.size()).stream().mapToDouble(Double::doubleValue).sum(),
        others.expectedLoss(), 1e-6);
    assertEquals(1, r.byRegion().size(), "without silver customers every customer is without region");
    assertEquals(null, r.byRegion().get(0).name());
    assertEquals(26, r.byRegion().get(0).customers());

    ScorecardData.Section<Object> none = ScorecardData.Section.absent("-");
    String html = ScorecardPage.render(new ScorecardData(ScorecardFixture.AS_OF, none.map(x -> null), none.map(x -> null),
        none.map(x -> null), none.map(x -> null), none.map(x -> null), none.map(x -> null),
        ScorecardData.Section.present(r.withModel(ScorecardData.Section.absent("models/payment_risk/promoted.json"), null)),
        List.of()), Messages.of(Language.EN, "EUR"));
    assertTrue(html.contains("<tr><td>11 others</td><td class=\"n\">11</td>"), section(html, "payment-risk"));
    assertTrue(html.contains("<td>(no region)</td><td class=\"n\">26</td>"), section(html, "payment-risk"));
    assertTrue(html.contains("No payment model evaluation: models/payment_risk/promoted.json is not there."),
        "neither a model version in the output nor a promoted model nor a flag");
  }

  private static double sum(List<Owed> owed, java.util.function.Function<Owed, Double> amount) {
    return owed.stream().map(amount).filter(java.util.Objects::nonNull).mapToDouble(Double::doubleValue).sum();
  }

  private static void assertLossGroups(Map<String, Double> expected, List<ScorecardData.LossGroup> groups, String what) {
    assertEquals(expected.size(), groups.size(), what + ": " + groups);
    for (ScorecardData.LossGroup g : groups) {
      assertEquals(expected.get(String.valueOf(g.name())), g.expectedLoss(), 1e-6, what + ": " + g.name());
    }
    for (int i = 1; i < groups.size(); i++) {
      assertTrue(groups.get(i - 1).expectedLoss() >= groups.get(i).expectedLoss(), what + ": largest first");
    }
  }

  @Test
  void thePaymentSectionShowsAgeingLossesTopListAndModelInBothLanguages() {
    List<Owed> owed = ScorecardFixture.owed(true);
    Map<Language, List<String>> expected = Map.of(
        Language.EN, List.of("<h2>Payment risk</h2>",
            "13 customers with open or recent invoices, 12 scored by the payment model, 1 in default: exposure "
                + Messages.of(Language.EN, "EUR").money(sum(owed, Owed::exposure)) + ", expected loss "
                + Messages.of(Language.EN, "EUR").money(sum(owed, Owed::expectedLoss)) + ".",
            "<tr><td>not yet due</td><td class=\"n\">€91,000</td>", "<tr><td>over 90</td><td class=\"n\">€4,000</td>",
            "<tr><td>Total open</td><td class=\"n\">€109,850</td>", "<td>Bayern</td>", "<td>(no region)</td>",
            "<td>(no sales rep)</td>", "Top 13 customers by expected loss",
            "<td>in default</td>", "credit hold<br><span class=\"note\">credit hold: in default</span>",
            "overdue 1\u201330 days: 1100", Html.escape(ScorecardFixture.HOSTILE_REASON),
            "id=\"payment-model-grade\">A<", "Model payment_risk, version pv1 (promoted)",
            "ROC AUC 0.781 against 0.702 for the best baseline (Oldest overdue invoice rule): +0.079."),
        Language.DE, List.of("<h2>Zahlungsrisiko</h2>", "13 Kunden mit offenen oder neuen Rechnungen",
            "<tr><td>noch nicht fällig</td><td class=\"n\">91.000\u00a0€</td>",
            "<tr><td>über 90</td><td class=\"n\">4.000\u00a0€</td>",
            "<td>(ohne Region)</td>", "<td>(ohne Außendienst)</td>", "Die 13 Kunden mit dem höchsten erwarteten Verlust",
            "<td>im Zahlungsausfall</td>", "Liefersperre<br><span class=\"note\">Liefersperre: im Zahlungsausfall</span>",
            "überfällig 1\u201330 Tage: 1100", "id=\"payment-model-grade\">A<", "Version pv1 (freigegeben)",
            "ROC AUC 0,781 gegenüber 0,702 für die beste Vergleichsregel (Vergleichsregel älteste überfällige Rechnung)"));
    for (Map.Entry<Language, List<String>> e : expected.entrySet()) {
      ScorecardData read = new ScorecardReader(spark, root.toString(), ScorecardFixture.AS_OF,
          ScorecardSettings.DEFAULTS.withLanguage(e.getKey())).read(Optional.empty());
      String section = section(ScorecardPage.render(read, Messages.of(e.getKey(), "EUR")), "payment-risk");
      for (String text : e.getValue()) {
        assertTrue(section.contains(text), e.getKey() + ": missing " + text + " in\n" + section);
      }
      assertFalse(section.contains("payment-model-note"), "a model scored: nothing to explain");
      assertEquals(13, section.split("<td class=\"n expected-loss\">", -1).length - 1, "every customer with a loss");
    }
  }

  @Test
  void withoutAPromotedPaymentModelThePaymentSectionGivesTheManifestsReason() throws IOException {
    Path noModel = Files.createTempDirectory(dir, "no-payment-model");
    ScorecardFixture.writePaymentRiskWithoutModel(spark, noModel);
    Map<Language, String> expected = Map.of(Language.EN, "No payment model scored this as_of: ",
        Language.DE, "Kein Zahlungsmodell hat diesen Stichtag bewertet: ");
    for (Map.Entry<Language, String> e : expected.entrySet()) {
      ScorecardData read = new ScorecardReader(spark, noModel.toString(), ScorecardFixture.AS_OF,
          ScorecardSettings.DEFAULTS.withLanguage(e.getKey())).read(Optional.empty());
      PaymentRisk r = read.paymentRisk().content().orElseThrow();
      assertEquals(ScorecardFixture.NO_MODEL_REASON, r.noModelReason());
      assertEquals(0, r.scored());
      assertEquals(List.of("c12"), r.top().stream().map(PaymentAtRisk::customerId).toList(),
          "only the customer in default has an expected loss without a model");
      String section = section(ScorecardPage.render(read, Messages.of(e.getKey(), "EUR")), "payment-risk");
      assertTrue(section.contains(e.getValue() + Html.escape(ScorecardFixture.NO_MODEL_REASON) + "."), section);
      assertFalse(section.contains("payment-model-grade"), "no model, no grade");
    }
  }

  // ---------------------------------------------------------------- cross-sell

  @Test
  void crossSellIsAnOptionalInputOfTheStage() {
    // The cross_sell stage may be skipped (no sales) or not configured; the scorecard runs all the same.
    ScorecardStage stage = new ScorecardStage();
    assertTrue(stage.reads().contains(Input.optional(Output.CROSS_SELL_RECOMMENDATIONS)), stage.reads().toString());
    assertTrue(stage.reads().contains(Input.optional(Output.CROSS_SELL_WHITE_SPACE)), stage.reads().toString());
    assertTrue(stage.optionalNeeds().contains(Output.CROSS_SELL_RECOMMENDATIONS.producer()), stage.optionalNeeds().toString());
  }

  /** The rows of a query over the Parquet under the fixture's root, read by DuckDB: an independent reading. */
  private static List<List<Object>> duck(String sql) throws java.sql.SQLException {
    String resolved = sql;
    for (Output o : List.of(Output.CROSS_SELL_RECOMMENDATIONS, Output.CROSS_SELL_WHITE_SPACE)) {
      resolved = resolved.replace("{" + o.name() + "}", "read_parquet('" + root.resolve(o.at(ScorecardFixture.AS_OF))
          + "/*.parquet')");
    }
    resolved = resolved.replace("{CUSTOMERS}", "read_parquet('" + root.resolve(Output.SILVER.at("customers",
        ScorecardFixture.AS_OF)) + "/*.parquet')");
    List<List<Object>> rows = new java.util.ArrayList<>();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.ResultSet r = c.createStatement().executeQuery(resolved)) {
      while (r.next()) {
        List<Object> row = new java.util.ArrayList<>();
        for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
          row.add(r.getObject(i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static double number(Object o) {
    return ((Number) o).doubleValue();
  }

  @Test
  void crossSellFiguresAreThoseOfThePublishedParquet() throws Exception {
    ScorecardData.CrossSell c = data.crossSell().content().orElseThrow();
    List<Object> totals = duck("select count(distinct customer_id), count(*), sum(euro_potential) "
        + "from {CROSS_SELL_RECOMMENDATIONS}").get(0);
    assertTrue(number(totals.get(1)) > 0, "the cross_sell stage recommended nothing on the fixture");
    assertEquals((long) number(totals.get(0)), c.customers());
    assertEquals((long) number(totals.get(1)), c.recommendations());
    assertEquals(number(totals.get(2)), c.potential(), 1e-6);
    assertEquals(List.of("white_space"), c.published(), "no evaluation where the stage ran: the white space");
    assertEquals("product_group", c.level());

    List<List<Object>> top = duck("select customer_id, item, euro_potential, probability from {CROSS_SELL_RECOMMENDATIONS} "
        + "order by euro_potential desc, customer_id, rank limit " + ScorecardSettings.DEFAULTS.topAtRisk());
    assertEquals(top.stream().map(r -> r.get(0) + " " + r.get(1)).toList(),
        c.top().stream().map(o -> o.customerId() + " " + o.item()).toList(), "the biggest opportunities, in order");
    assertEquals(number(top.get(0).get(2)), c.top().get(0).euroPotential(), 1e-9, "the top opportunity's potential");
    assertEquals(number(top.get(0).get(3)), c.top().get(0).probability(), 1e-12);

    ScorecardData.WhiteSpaceMap w = c.whiteSpace().content().orElseThrow();
    assertEquals("industry", w.peerLevel());
    assertEquals(ScorecardFixture.INDUSTRIES.stream().sorted().toList(), w.groups().stream().sorted().toList(),
        "three industries of ten customers each");
    assertEquals(ScorecardFixture.GROUPS.stream().sorted().toList(), w.items().stream().sorted().toList());
    List<List<Object>> cell = duck("select penetration, buyers, peers from {CROSS_SELL_WHITE_SPACE} "
        + "where peer_level = 'industry' and peer_group = 'Maschinenbau' and item = 'Hydraulik'");
    ScorecardData.WhiteSpaceCell shown = w.cells().stream()
        .filter(x -> x.group().equals("Maschinenbau") && x.item().equals("Hydraulik")).findFirst().orElseThrow();
    assertEquals(number(cell.get(0).get(0)), shown.penetration(), 1e-12, "Maschinenbau × Hydraulik");
    long buyers = java.util.stream.IntStream.rangeClosed(1, 30)
        .filter(n -> ScorecardFixture.industry(n).equals("Maschinenbau") && ScorecardFixture.buys(n, 0)).count();
    assertEquals(buyers, shown.buyers(), "the fixture's own count of Maschinenbau customers buying Hydraulik");
    assertEquals(buyers / 10.0, shown.penetration(), 1e-12);
    List<List<Object>> all = duck("select peer_group, item, penetration from {CROSS_SELL_WHITE_SPACE} where peer_level = 'industry'");
    assertEquals(all.size(), w.cells().size(), "every industry × group with a buyer");
    for (List<Object> r : all) {
      assertEquals(number(r.get(2)), w.cells().stream().filter(x -> x.group().equals(r.get(0)) && x.item().equals(r.get(1)))
          .findFirst().orElseThrow().penetration(), 1e-12, r.get(0) + " × " + r.get(1));
    }

    for (String[] g : List.of(new String[] {"region", "byRegion"}, new String[] {"sales_rep_id", "byRep"})) {
      Map<String, Double> expected = duck("select k." + g[0] + ", sum(r.euro_potential) from {CROSS_SELL_RECOMMENDATIONS} r "
          + "left join {CUSTOMERS} k using (customer_id) group by 1").stream()
          .collect(Collectors.toMap(r -> String.valueOf(r.get(0)), r -> number(r.get(1))));
      List<ScorecardData.GroupTotals> shownGroups = g[1].equals("byRegion") ? c.byRegion() : c.byRep();
      assertEquals(expected.size(), shownGroups.size(), g[0] + ": " + shownGroups);
      for (ScorecardData.GroupTotals t : shownGroups) {
        assertEquals(expected.get(String.valueOf(t.name())), t.sums().get(0), 1e-6, g[0] + " " + t.name());
      }
    }
  }

  @Test
  void crossSellGradeIsThePromotedEvaluationsTestPeriod() {
    ScorecardData.CrossSellGrade g = data.crossSell().content().orElseThrow().grade().content().orElseThrow();
    assertEquals(ScorecardFixture.CROSS_SELL_VERSION, g.version());
    assertEquals("white_space", g.published());
    assertEquals(5, g.k());
    for (Object[] m : ScorecardFixture.CROSS_SELL_TEST) {
      assertEquals(m[3], g.methods().get((String) m[0]).get("precision_at_k"), "precision@k of " + m[0]);
      assertEquals(m[5], g.methods().get((String) m[0]).get("ndcg_at_k"), "NDCG@k of " + m[0]);
    }
  }

  private static Object[] testFigures(String method) {
    return ScorecardFixture.CROSS_SELL_TEST.stream().filter(m -> m[0].equals(method)).findFirst().orElseThrow();
  }

  @Test
  void theCrossSellSectionShowsHeatMapPotentialsOpportunitiesAndGradeInBothLanguages() throws Exception {
    Object[] ws = testFigures("white_space");
    Object[] pop = testFigures("popularity");
    List<Object> top = duck("select euro_potential, reason_en, reason_de from {CROSS_SELL_RECOMMENDATIONS} "
        + "order by euro_potential desc, customer_id, rank limit 1").get(0);
    for (Language language : Language.values()) {
      Messages m = Messages.of(language, "EUR");
      ScorecardData read = new ScorecardReader(spark, root.toString(), ScorecardFixture.AS_OF,
          ScorecardSettings.DEFAULTS.withLanguage(language)).read(Optional.empty());
      String section = section(ScorecardPage.render(read, m), "cross-sell");
      String vsPopularity = language == Language.EN
          ? "precision@5 " + m.decimal((Double) ws[3], 3) + " against " + m.decimal((Double) pop[3], 3)
              + " for the popularity baseline (" + m.decimal((Double) ws[3] / (Double) pop[3], 2) + " times), NDCG@5 "
              + m.decimal((Double) ws[5], 3) + " against " + m.decimal((Double) pop[5], 3) + "."
          : "Precision@5 " + m.decimal((Double) ws[3], 3) + " gegenüber " + m.decimal((Double) pop[3], 3)
              + " für die Vergleichsregel Beliebtheit (" + m.decimal((Double) ws[3] / (Double) pop[3], 2) + "-fach)";
      List<String> expected = List.of(
          "<h2>" + m.text("section.cross_sell") + "</h2>",
          "id=\"" + ScorecardPage.CHART_CROSS_SELL_WHITE_SPACE + "\"",
          "id=\"" + ScorecardPage.CHART_CROSS_SELL_REGION + "\"",
          "<td class=\"n potential\">" + m.money(number(top.get(0))) + "</td>",
          Html.escape((String) top.get(language == Language.EN ? 1 : 2)),
          language == Language.EN ? "Ranking published: white space (comparable customers), as chosen by evaluation "
              + ScorecardFixture.CROSS_SELL_VERSION : "Veröffentlichte Reihenfolge: White Space (vergleichbare Kunden)",
          vsPopularity,
          m.text("crosssell.method_published", m.text("crosssell.method.white_space")));
      for (String text : expected) {
        assertTrue(section.contains(text), language + ": missing " + text + " in\n" + section);
      }
      assertFalse(section.contains("cross-sell-not-evaluated"), "evaluated: nothing to explain");
    }
  }

  @Test
  void withoutAnEvaluationTheCrossSellSectionSaysWhyAndTheCommandToRun() throws IOException {
    Path notEvaluated = Files.createTempDirectory(dir, "cross-sell-not-evaluated");
    ScorecardFixture.writeCrossSell(spark, notEvaluated);
    Map<Language, String> expected = Map.of(
        Language.EN, "Not evaluated: no evaluation is promoted (models/cross_sell/promoted.json is not there), so the "
            + "ranking white space (comparable customers) is published without a grade. Run bin/crm-analytics train "
            + "cross_sell (weekly in the DAG) to grade it against the popularity baseline.",
        Language.DE, "Nicht bewertet: keine Bewertung ist freigegeben (models/cross_sell/promoted.json fehlt)");
    for (Map.Entry<Language, String> e : expected.entrySet()) {
      ScorecardData read = new ScorecardReader(spark, notEvaluated.toString(), ScorecardFixture.AS_OF,
          ScorecardSettings.DEFAULTS.withLanguage(e.getKey())).read(Optional.empty());
      String section = section(ScorecardPage.render(read, Messages.of(e.getKey(), "EUR")), "cross-sell");
      assertTrue(section.contains(e.getValue()), section);
      assertTrue(section.contains("bin/crm-analytics train cross_sell"), "the command to run");
      assertFalse(section.contains("cross-sell-vs-popularity"), "no grade without an evaluation");
      assertTrue(section.contains("id=\"top-opportunities\""), "the recommendations are shown all the same");
    }
    // An evaluation of another level does not grade these recommendations.
    ScorecardFixture.writeCrossSellEvaluation(notEvaluated);
    Path evaluation = notEvaluated.resolve(Output.evaluationFile(ScorecardReader.CROSS_SELL_MODEL,
        ScorecardFixture.CROSS_SELL_VERSION));
    Files.writeString(evaluation, Files.readString(evaluation).replace("\"level\": \"product_group\"", "\"level\": \"product_id\""));
    String section = section(ScorecardPage.render(new ScorecardReader(spark, notEvaluated.toString(), ScorecardFixture.AS_OF,
        ScorecardSettings.DEFAULTS).read(Optional.empty()), Messages.of(Language.EN, "EUR")), "cross-sell");
    assertTrue(section.contains("Not evaluated: the promoted evaluation " + ScorecardFixture.CROSS_SELL_VERSION
        + " was made for the level product_id, the recommendations are at the level product_group."), section);
  }

  private static String section(String html, String id) {
    int start = html.indexOf("<section id=\"" + id + "\">");
    assertTrue(start >= 0, "no section " + id);
    return html.substring(start, html.indexOf("</section>", start));
  }

  @Test
  void theStageWritesOnePageAtomicallyWithEveryValueFromDataEscaped() throws IOException {
    String console = run(ScorecardFixture.config(dir, root, "scorecard: {locale: de, top_at_risk: 5}\n"),
        new ScorecardStage());
    Path page = root.resolve(Output.SCORECARD.at("de", ScorecardFixture.AS_OF));
    assertTrue(Files.isRegularFile(page), "no page at " + page + "; console:\n" + console);
    assertTrue(Files.size(page) < 2_000_000, "a page under 2 MB, plotly's partial bundle included: " + Files.size(page));
    try (Stream<Path> reports = Files.list(page.getParent())) {
      // Hadoop's local file system keeps a .crc checksum beside every file it writes.
      assertEquals(List.of(page.getFileName().toString()), reports.map(p -> p.getFileName().toString())
          .filter(name -> !name.endsWith(".crc")).toList(), "no temporary file left beside the page");
    }
    String html = Files.readString(page);
    assertFalse(html.contains(ScorecardFixture.HOSTILE_NAME), "raw customer name in the page");
    assertTrue(html.contains("&lt;script&gt;window.__xss=1&lt;/script&gt; Müller &amp; Söhne"), "escaped name");
    assertFalse(html.contains("<img src=x"), "raw reason in the page");
    assertTrue(html.contains("&lt;img src=x onerror=&quot;window.__xss=2&quot;&gt; orders &#39;down&#39; &amp; late"));
    assertFalse(html.contains("src=\"http"), "nothing is loaded from elsewhere");
    assertEquals(1, html.split(java.util.regex.Pattern.quote(PlotlyJs.source()), -1).length - 1, "plotly inlined once");
    assertTrue(html.contains("<html lang=\"de\">"));
    assertTrue(html.contains(">1.234.568\u00a0€<"), "German grouping of revenue 1,234,567.5:\n" + snippet(html, "data-kpi=\"revenue\""));
    assertTrue(html.contains("82,3\u00a0% vom Ziel"), "German achievement");
    assertTrue(html.contains("Jahr 2025, bis 15.03.2025"), "German period and date");
    // One definition per KPI: the tile says which, and the funnel says how its conversion differs.
    assertTrue(html.contains("<div class=\"label\">Erfolgsquote</div><div class=\"defined\">gewonnen \u00f7 (gewonnen + "
        + "verloren), im Zeitraum entschiedene Angebote</div>"), snippet(html, "data-kpi=\"offer_success_rate\""));
    assertTrue(html.contains("Die Kachel Erfolgsquote z\u00e4hlt dagegen die im Zeitraum entschiedenen Angebote"));
    assertTrue(html.contains("3 Kunden haben nur einmal gekauft: das Kaufmodell (BG/NBD) z\u00e4hlt sie als aktiv"),
        snippet(html, "id=\"one-time-buyers\""));
    String top = html.substring(html.indexOf("id=\"top-at-risk\""), html.indexOf("</table>", html.indexOf("id=\"top-at-risk\"")));
    assertEquals(5, top.split("<tr><td", -1).length - 1, "top_at_risk: 5 rows in the top list");
    String payments = html.substring(html.indexOf("id=\"top-expected-loss\""),
        html.indexOf("</table>", html.indexOf("id=\"top-expected-loss\"")));
    assertEquals(5, payments.split("<tr><td", -1).length - 1, "top_at_risk: 5 rows in the expected-loss list");
    assertTrue(console.contains("scorecard"), console);
  }

  /**
   * The whole English page but plotly.js, pinned: a change of content, layout or chart code is a
   * reviewed diff. Regenerate with -Dgolden.update=true.
   */
  @Test
  void theEnglishPageMatchesItsGoldenFile() throws IOException {
    Path out = Files.createTempDirectory(dir, "golden");
    ScorecardFixture.write(spark, out);
    run(ScorecardFixture.config(dir, out, ""), new ScorecardStage());
    String html = Files.readString(out.resolve(Output.SCORECARD.at("en", ScorecardFixture.AS_OF)));
    assertTrue(html.contains(PlotlyJs.source()), "plotly inlined");
    List<String> lines = List.of(html.replace(PlotlyJs.source(), "/* plotly.js " + PlotlyJs.version() + " */")
        .split("\n"));
    GoldenFiles.assertGolden(Path.of("src/test/resources/scorecard/golden/scorecard-2025-03-15-en.html"), lines);
  }

  @Test
  void everySectionWithoutInputSaysSoAndThePageIsStillWritten() throws IOException {
    Path empty = Files.createTempDirectory(dir, "empty");
    String console = run(ScorecardFixture.config(dir, empty, ""), new ScorecardStage());
    String html = Files.readString(empty.resolve(Output.SCORECARD.at("en", ScorecardFixture.AS_OF)));
    for (String expected : List.of(
        "No KPI values: kpis/values/as_of=2025-03-15 is not there. Run the kpis stage for this as_of.",
        "No A\u2013E classes: abc/customers/as_of=2025-03-15 is not there.",
        "No class migration: abc/migration/as_of=2025-03-15 is not there.",
        "No churn scores: scores/customer_scores/as_of=2025-03-15 is not there. Run the scores stage",
        "No row accounting: no runs/&lt;run_id&gt;.json (a run that ingested as_of 2025-03-15).",
        "No model evaluation: models/churn/promoted.json is not there.",
        "No payment risk: payment_risk/customers/as_of=2025-03-15 is not there, so the company has no invoices or the "
            + "payment_risk stage has not run for this as_of.",
        "No cross-sell potential: cross_sell/recommendations/as_of=2025-03-15 is not there, so the cross_sell stage was "
            + "skipped or has not run for this as_of.")) {
      assertTrue(html.contains(expected), "missing: " + expected);
    }
    assertFalse(html.contains("class=\"chart\""), "no chart without data");
    assertTrue(console.contains("absent:"), console);
  }

  @Test
  void theCommandLineLanguageWinsOverTheConfig() throws IOException {
    PipelineConfig config = ScorecardFixture.config(dir, root, "scorecard: {locale: de}\n");
    assertEquals(Language.EN, new ScorecardStage(Optional.of(Language.EN)).settings(config).language());
    assertEquals(Language.DE, new ScorecardStage().settings(config).language());
  }

  @Test
  void configurationMistakesNameTheKey() throws IOException {
    Map<String, String> cases = Map.of(
        "scorecard: {locale: fr}\n", "scorecard.locale: must be one of en, de; found 'fr'",
        "scorecard: {top_at_risk: 0}\n", "scorecard.top_at_risk: must be between 1 and 200, found 0",
        "scorecard: {period: week}\n", "scorecard.period: must be one of month, quarter, year; found 'week'",
        "scorecard: {locle: de}\n", "scorecard.locle: unknown key (did you mean 'locale'?)");
    for (Map.Entry<String, String> e : cases.entrySet()) {
      ConfigError error = assertThrows(ConfigError.class, () -> ScorecardFixture.config(dir, root, e.getKey()),
          e.getKey());
      assertTrue(error.getMessage().contains(e.getValue()), error.getMessage());
    }
  }

  @Test
  void aDamagedEvaluationIsAnErrorNamingTheFile() throws IOException {
    Path broken = Files.createTempDirectory(dir, "broken");
    Files.createDirectories(broken.resolve("models/churn/v9"));
    Files.writeString(broken.resolve("models/churn/promoted.json"), "{\"version\": \"v9\"}");
    Files.writeString(broken.resolve("models/churn/v9/evaluation.json"), "{\"grade\": \"A\",");
    UserError e = assertThrows(UserError.class, () -> new ScorecardReader(spark, broken.toString(),
        ScorecardFixture.AS_OF, ScorecardSettings.DEFAULTS).read(Optional.empty()));
    assertTrue(e.getMessage().contains("models/churn/v9/evaluation.json: not valid JSON"), e.getMessage());
    Files.writeString(broken.resolve("models/churn/promoted.json"), "{\"version\": \"../../etc\"}");
    e = assertThrows(UserError.class, () -> new ScorecardReader(spark, broken.toString(),
        ScorecardFixture.AS_OF, ScorecardSettings.DEFAULTS).read(Optional.empty()));
    assertTrue(e.getMessage().contains("promoted.json: version '../../etc' is not a model version"), e.getMessage());
  }

  private static String snippet(String html, String marker) {
    int i = html.indexOf(marker);
    return i < 0 ? "(no " + marker + ")" : html.substring(i, Math.min(html.length(), i + 400));
  }
}
