package org.crmanalytics.jobs.scorecard;

import org.crmanalytics.jobs.cli.Pipeline;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.jobs.io.RunManifest;
import org.crmanalytics.jobs.io.TableCounts;
import org.crmanalytics.models.abc.AbcOutput;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.kpis.KpiIds;
import org.crmanalytics.models.kpis.KpiOutput;
import org.crmanalytics.models.payments.PaymentDefaultLabels;
import org.crmanalytics.models.payments.Receivables;
import org.crmanalytics.models.scores.CustomerScores;

/**
 * The outputs of one small run as of {@link #AS_OF}, written in the production schemas: KPI
 * values, A–E classes and migration, customer_scores (with hostile names and reasons), the silver
 * customers, run manifests, a churn model evaluation, and the payment_risk customers with a
 * promoted payment model. The expected figures are kept in plain
 * Java lists here, so tests compute what the page must show without Spark.
 */
final class ScorecardFixture {
  static final LocalDate AS_OF = LocalDate.of(2025, 3, 15);
  static final LocalDate PREVIOUS = LocalDate.of(2025, 2, 28);
  static final String HOSTILE_NAME = "<script>window.__xss=1</script> Müller & Söhne";
  static final String HOSTILE_REASON = "<img src=x onerror=\"window.__xss=2\"> orders 'down' & late";
  static final String CHURN_VERSION = "v3";
  static final String INGEST_RUN = "20250315T060000-0002";

  /** One scored customer as the fixture writes it. */
  record Scored(String id, Double probability, String band, Double clv, Double valueAtRisk, String reasonsEn,
      String reasonsDe, String name) {}

  /** Revenue of the abc customers, by class. */
  record Classified(String id, String abcClass, double revenue) {}

  static final List<Classified> CLASSIFIED = List.of(
      new Classified("c01", "A", 5000), new Classified("c02", "A", 3000), new Classified("c03", "B", 1200),
      new Classified("c04", "B", 800), new Classified("c05", "C", 500), new Classified("c06", "C", 300),
      new Classified("c07", "D", 200), new Classified("c08", "D", 100), new Classified("c09", "E", 50),
      new Classified("c10", "E", 0), new Classified("c11", "E", -20), new Classified("c12", null, 0));

  /** KPI rows of the whole company for the year 2025 (partial): id, value, target. */
  static final List<Object[]> YEAR_KPIS = List.of(
      new Object[] {KpiIds.REVENUE, 1234567.5, 1500000.0},
      new Object[] {KpiIds.ACHIEVEMENT_PREFIX + KpiIds.REVENUE, 82.3045, null},
      new Object[] {KpiIds.MARGIN_PERCENT, 31.25, null},
      new Object[] {KpiIds.NEW_CUSTOMERS, 12.0, 10.0},
      new Object[] {KpiIds.ACHIEVEMENT_PREFIX + KpiIds.NEW_CUSTOMERS, 120.0, null},
      new Object[] {KpiIds.CHURN_RATE, 8.5, null},
      new Object[] {KpiIds.OFFERS_WON, 7.0, null},
      new Object[] {KpiIds.WON_VALUE, 250000.0, null},
      new Object[] {KpiIds.OFFER_SUCCESS_RATE, 58.3333, null},
      new Object[] {KpiIds.VISITS, 140.0, 200.0},
      new Object[] {KpiIds.ACHIEVEMENT_PREFIX + KpiIds.VISITS, 70.0, null},
      new Object[] {KpiIds.funnelCount("lead"), 10.0, null},
      new Object[] {KpiIds.funnelCount("qualified"), 8.0, null},
      new Object[] {KpiIds.funnelCount("offer"), 6.0, null},
      new Object[] {KpiIds.funnelCount("negotiation"), 3.0, null},
      new Object[] {KpiIds.funnelCount("won"), 7.0, null},
      new Object[] {KpiIds.funnelCount("lost"), 5.0, null},
      new Object[] {KpiIds.funnelValue("won"), 250000.0, null},
      new Object[] {KpiIds.CONVERSION_LEAD_QUALIFIED, 78.0, null},
      new Object[] {KpiIds.CONVERSION_QUALIFIED_OFFER, 65.0, null},
      new Object[] {KpiIds.CONVERSION_OFFER_WON, 33.3, null});

  static final List<Object[]> MIGRATION = List.of(
      new Object[] {"A", "A", 2L}, new Object[] {"B", "A", 1L}, new Object[] {"B", "B", 1L},
      new Object[] {"C", "C", 2L}, new Object[] {"D", "D", 2L}, new Object[] {"E", "E", 2L},
      new Object[] {null, "E", 1L}, new Object[] {"C", null, 1L}, new Object[] {"D", "B", 1L});

  /** Customers with one order, whose BG/NBD P(alive) is 1 by construction. */
  static final List<String> ONE_TIME_BUYERS = List.of("c03", "c11", "c17");

  static List<Scored> scored() {
    List<Scored> out = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      String id = String.format(Locale.ROOT, "c%02d", i);
      // 0.0, 0.034, ..., 0.986 and c30 unscored; c29 is exactly 1.0 (the last bin includes it).
      Double p = i == 30 ? null : i == 29 ? 1.0 : (i - 1) * 0.034;
      String band = p == null ? null : p >= 0.6 ? "high" : p >= 0.3 ? "medium" : "low";
      double clv = 1000.0 * i;
      Double var = p == null ? null : p * clv;
      String reason = i == 27 ? HOSTILE_REASON : "orders in the last 90 days: " + (i % 5) + " (typical: 6)";
      String reasonDe = i == 27 ? HOSTILE_REASON : "Aufträge in den letzten 90 Tagen: " + (i % 5) + " (üblich: 6)";
      String name = i == 29 ? HOSTILE_NAME : "Kunde " + id + " GmbH";
      out.add(new Scored(id, p, band, clv, var, reason, reasonDe, name));
    }
    return out;
  }

  /** The top {@code n} by value at risk, highest first, ties by id: what the page must list. */
  static List<Scored> topAtRisk(int n) {
    return scored().stream().filter(s -> s.valueAtRisk() != null)
        .sorted(Comparator.comparing(Scored::valueAtRisk).reversed().thenComparing(Scored::id))
        .limit(n).toList();
  }

  private ScorecardFixture() {}

  /** Writes every output under {@code root}. */
  static void write(SparkSession spark, Path root) throws IOException {
    writeKpis(spark, root);
    writeAbc(spark, root);
    writeScores(spark, root);
    writeManifests(root);
    writeModel(root);
    writePaymentRisk(spark, root, owed(true));
    writePaymentModel(root);
    writeCrossSell(spark, root);
    writeCrossSellEvaluation(root);
  }

  /** A configuration file for {@link #AS_OF} with the given scorecard section (the sources are never read). */
  static Path configFile(Path dir, String scorecardSection) throws IOException {
    Path file = dir.resolve("scorecard-" + System.nanoTime() + ".yaml");
    Files.writeString(file, "as_of: " + AS_OF + "\n"
        + "tables:\n  customers: {path: customers.csv}\n  sales: {path: sales.csv}\n" + scorecardSection);
    return file;
  }

  static PipelineConfig config(Path dir, Path root, String scorecardSection) throws IOException {
    return Pipeline.configLoader(Map.of()).load(configFile(dir, scorecardSection)).withOutput(root);
  }

  private static void parquet(SparkSession spark, List<Row> rows, StructType schema, Path folder) {
    spark.createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.Overwrite).parquet(folder.toString());
  }

  private static void writeKpis(SparkSession spark, Path root) {
    List<Row> rows = new ArrayList<>();
    for (Object[] k : YEAR_KPIS) {
      rows.add(RowFactory.create("year", "2025", true, KpiOutput.ALL_VALUE, KpiOutput.ALL_VALUE, k[0], k[1], k[2]));
    }
    // Other periods and slices the scorecard must not pick up.
    rows.add(RowFactory.create("month", "2025-03", true, KpiOutput.ALL_VALUE, KpiOutput.ALL_VALUE, KpiIds.REVENUE, 99.0, null));
    rows.add(RowFactory.create("year", "2024", false, KpiOutput.ALL_VALUE, KpiOutput.ALL_VALUE, KpiIds.REVENUE, 77.0, null));
    rows.add(RowFactory.create("year", "2025", true, "rep", "r1", KpiIds.REVENUE, 55.0, 66.0));
    parquet(spark, rows, KpiOutput.SCHEMA, root.resolve(Output.KPI_VALUES.at(AS_OF)));
  }

  private static void writeAbc(SparkSession spark, Path root) {
    StructType schema = AbcOutput.Customers.SCHEMA;
    List<Row> rows = new ArrayList<>();
    for (Classified c : CLASSIFIED) {
      Object[] values = new Object[schema.size()];
      values[schema.fieldIndex(AbcOutput.Customers.CUSTOMER_ID)] = c.id();
      values[schema.fieldIndex(AbcOutput.Customers.CLASS)] = c.abcClass();
      values[schema.fieldIndex(AbcOutput.Customers.REVENUE)] = new BigDecimal(c.revenue()).setScale(4);
      values[schema.fieldIndex(AbcOutput.Customers.VALUE)] = new BigDecimal(c.revenue()).setScale(4);
      rows.add(RowFactory.create(values));
    }
    parquet(spark, rows, schema, root.resolve(Output.ABC_CUSTOMERS.at(AS_OF)));
    List<Row> migration = new ArrayList<>();
    for (Object[] m : MIGRATION) {
      migration.add(RowFactory.create(Date.valueOf(PREVIOUS), m[0], m[1], m[2]));
    }
    parquet(spark, migration, AbcOutput.Migration.SCHEMA, root.resolve(Output.ABC_MIGRATION.at(AS_OF)));
  }

  private static void writeScores(SparkSession spark, Path root) {
    StructType schema = CustomerScores.SCHEMA;
    List<Row> rows = new ArrayList<>();
    List<Row> customers = new ArrayList<>();
    StructType customersSchema = Contract.table(Contract.Customers.NAME).orElseThrow().schema();
    List<Owed> owed = owed(true);
    for (Scored s : scored()) {
      Object[] v = new Object[schema.size()];
      v[schema.fieldIndex(CustomerScores.CUSTOMER_ID)] = s.id();
      v[schema.fieldIndex(CustomerScores.AS_OF)] = Date.valueOf(AS_OF);
      v[schema.fieldIndex(CustomerScores.RUN_ID)] = "20250315T070000-0003";
      v[schema.fieldIndex(CustomerScores.SALES_REP_ID)] = rep(s.id());
      v[schema.fieldIndex(CustomerScores.ABC_CLASS)] = "ABCDE".substring(s.id().hashCode() % 5, s.id().hashCode() % 5 + 1);
      v[schema.fieldIndex(CustomerScores.CLV)] = s.clv();
      boolean oneTimeBuyer = ONE_TIME_BUYERS.contains(s.id());
      v[schema.fieldIndex(CustomerScores.P_ALIVE)] = oneTimeBuyer ? 1.0 : 0.8;
      v[schema.fieldIndex(CustomerScores.P_ALIVE_CAVEAT)] = oneTimeBuyer ? CustomerScores.ONE_TIME_BUYER : null;
      v[schema.fieldIndex(CustomerScores.CHURN_PROBABILITY)] = s.probability();
      v[schema.fieldIndex(CustomerScores.CHURN_BAND)] = s.band();
      v[schema.fieldIndex(CustomerScores.VALUE_AT_RISK)] = s.valueAtRisk();
      v[schema.fieldIndex(CustomerScores.CHURN_REASONS_EN)] = s.reasonsEn();
      v[schema.fieldIndex(CustomerScores.CHURN_REASONS_DE)] = s.reasonsDe();
      v[schema.fieldIndex(CustomerScores.CHURN_MODEL_VERSION)] = s.probability() == null ? null : CHURN_VERSION;
      rows.add(RowFactory.create(v));
      Object[] c = new Object[customersSchema.size()];
      c[customersSchema.fieldIndex(Contract.Customers.CUSTOMER_ID)] = s.id();
      c[customersSchema.fieldIndex(Contract.Customers.CUSTOMER_NAME)] = s.name();
      c[customersSchema.fieldIndex(Contract.Customers.REGION)] = owed.stream().filter(o -> o.id().equals(s.id()))
          .findFirst().map(Owed::region).orElse(null);
      int n = Integer.parseInt(s.id().substring(1));
      c[customersSchema.fieldIndex(Contract.Customers.INDUSTRY)] = industry(n);
      c[customersSchema.fieldIndex(Contract.Customers.EMPLOYEES)] = 10 * n;
      c[customersSchema.fieldIndex(Contract.Customers.SALES_REP_ID)] = rep(s.id());
      customers.add(RowFactory.create(c));
    }
    parquet(spark, rows, schema, root.resolve(Output.CUSTOMER_SCORES.at(AS_OF)));
    parquet(spark, customers, customersSchema, root.resolve(Output.SILVER.at(org.crmanalytics.models.contract.Contract.Customers.NAME, AS_OF)));
  }

  /** Row counts of the ingest run the page must show: table, read, accepted, quarantined. */
  static final List<Object[]> INGESTED = List.of(
      new Object[] {"customers", 31L, 30L, 1L}, new Object[] {"sales", 1200L, 1188L, 12L});

  private static void writeManifests(Path root) throws IOException {
    Path runs = Files.createDirectories(root.resolve(ScorecardReader.RUNS_FOLDER));
    // An older ingest of the same as_of, the one the page shows, an ingest of another as_of and
    // a later run without ingest: only the second may be picked.
    writeManifest(runs, "20250315T050000-0001", "2025-03-15T05:00:00Z", AS_OF,
        List.<Object[]>of(new Object[] {"customers", 5L, 5L, 0L}), true);
    writeManifest(runs, INGEST_RUN, INGEST_STARTED, AS_OF, INGESTED, true);
    writeManifest(runs, "20250316T050000-0004", "2025-03-16T05:00:00Z", AS_OF.plusDays(1),
        List.<Object[]>of(new Object[] {"customers", 9L, 9L, 0L}), true);
    writeManifest(runs, "20250315T080000-0005", "2025-03-15T08:00:00Z", AS_OF, List.<Object[]>of(), false);
  }

  static final String INGEST_STARTED = "2025-03-15T06:00:00Z";

  /** A manifest as the runner writes it, with a fixed start time so that pages are reproducible. */
  private static void writeManifest(Path runs, String runId, String startedAt, LocalDate asOf, List<Object[]> tables,
      boolean ingest) throws IOException {
    RunManifest m = new RunManifest(runId, "run", "fixture.yaml", asOf.toString(), "/out");
    for (Object[] t : tables) {
      m.table(new TableCounts((String) t[0], "csv fixture", (Long) t[1], (Long) t[2], (Long) t[3], List.of(),
          "silver", "quarantine", Duration.ofSeconds(1)));
    }
    if (ingest) {
      m.stage("ingest", "succeeded", Duration.ofSeconds(2), Map.of());
    }
    m.stage("abc", "succeeded", Duration.ofSeconds(1), Map.of());
    m.finish("succeeded", null, List.of());
    ObjectNode json = (ObjectNode) new ObjectMapper().readTree(m.toJson());
    json.put("started_at", startedAt);
    Files.writeString(runs.resolve(runId + ".json"), json.toPrettyString());
  }

  static final double MODEL_AUC = 0.812;
  static final double RECENCY_AUC = 0.701;
  static final double P_ALIVE_AUC = 0.744;

  private static void writeModel(Path root) throws IOException {
    Path churn = Files.createDirectories(root.resolve("models/churn"));
    // promoted is a newer version than the one that scored the run: the page shows the scoring one.
    Files.writeString(churn.resolve("promoted.json"), "{\"version\": \"v4\"}");
    Files.createDirectories(churn.resolve(CHURN_VERSION));
    Files.writeString(churn.resolve(CHURN_VERSION + "/evaluation.json"), String.format(Locale.ROOT, """
        {"model": "churn", "version": "%s", "grade": "B", "promoted": false,
         "metrics": {"roc_auc": %s, "pr_auc": 0.41, "brier": 0.112, "lift_top10": 3.1, "capture_top10": 0.31},
         "baselines": {"recency": {"roc_auc": %s, "pr_auc": 0.30, "brier": 0.150, "lift_top10": 2.2, "capture_top10": 0.22},
                       "p_alive": {"roc_auc": %s, "pr_auc": 0.33, "brier": 0.140, "lift_top10": 2.5, "capture_top10": 0.25}},
         "reliability": []}
        """, CHURN_VERSION, MODEL_AUC, RECENCY_AUC, P_ALIVE_AUC));
  }

  static String rep(String customerId) {
    return "r" + (customerId.hashCode() % 3);
  }

  // ---------------------------------------------------------------- cross-sell

  static final List<String> INDUSTRIES = List.of("Handel", "Maschinenbau", "Chemie");
  static final List<String> GROUPS = List.of("Hydraulik", "Pneumatik", "Antriebe", "Sensorik", "Werkzeuge", "Service");
  /** Out of 10: how likely a customer of each industry (rows, {@link #INDUSTRIES}) buys each group ({@link #GROUPS}). */
  private static final int[][] AFFINITY = {{1, 1, 2, 3, 9, 7}, {9, 8, 6, 3, 4, 5}, {2, 3, 2, 9, 2, 8}};
  static final String CROSS_SELL_VERSION = "2025-03-15-ab12";

  static String industry(int customer) {
    return INDUSTRIES.get(customer % 3);
  }

  /** Whether customer c{@code n} bought group {@code g} in the year before as_of: by its industry's affinity. */
  static boolean buys(int n, int g) {
    return (n * 7 + g * 3) % 10 < AFFINITY[n % 3][g];
  }

  private static Path crossSellRun;

  /**
   * The cross_sell stage's outputs for the fixture's customers: the real stage, run once per JVM on
   * silver customers, products and a year of sales before as_of (without a promoted evaluation it
   * publishes the white space), then copied under {@code root}. Its run manifest stays behind.
   */
  static synchronized void writeCrossSell(SparkSession spark, Path root) throws IOException {
    if (crossSellRun == null) {
      Path run = Files.createTempDirectory("scorecard-cross-sell");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(run)));
      writeScores(spark, run);
      writeSales(spark, run);
      try (org.crmanalytics.jobs.base.Console console = new org.crmanalytics.jobs.base.Console(
          new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), org.crmanalytics.jobs.base.Console.Verbosity.QUIET)) {
        new org.crmanalytics.jobs.runner.PipelineRunner(console).run(spark, config(run, run, ""),
            List.of(Pipeline.graph().stage(Output.CROSS_SELL_RECOMMENDATIONS.producer())), "run");
      }
      crossSellRun = run;
    }
    for (Output o : List.of(Output.CROSS_SELL_RECOMMENDATIONS, Output.CROSS_SELL_WHITE_SPACE)) {
      Path from = crossSellRun.resolve(o.at(AS_OF));
      if (!Files.isDirectory(from)) {
        throw new IllegalStateException("the cross_sell stage wrote no " + o.at(AS_OF));
      }
      org.apache.commons.io.FileUtils.copyDirectory(from.toFile(), root.resolve(o.at(AS_OF)).toFile());
    }
  }

  private static void writeSales(SparkSession spark, Path root) {
    StructType productSchema = Contract.table(Contract.Products.NAME).orElseThrow().schema();
    List<Row> products = new ArrayList<>();
    for (int g = 0; g < GROUPS.size(); g++) {
      Object[] v = new Object[productSchema.size()];
      v[productSchema.fieldIndex(Contract.Products.PRODUCT_ID)] = "P" + g;
      v[productSchema.fieldIndex(Contract.Products.PRODUCT_GROUP)] = GROUPS.get(g);
      products.add(RowFactory.create(v));
    }
    parquet(spark, products, productSchema, root.resolve(Output.SILVER.at(Contract.Products.NAME, AS_OF)));
    StructType schema = Contract.table(Contract.Sales.NAME).orElseThrow().schema();
    List<Row> sales = new ArrayList<>();
    for (int n = 1; n <= 30; n++) {
      for (int g = 0; g < GROUPS.size(); g++) {
        if (!buys(n, g)) {
          continue;
        }
        // Two orders in the lookback window, amounts that differ by customer and group.
        for (LocalDate date : List.of(LocalDate.of(2024, 6, 10), LocalDate.of(2025, 1, 20))) {
          Object[] v = new Object[schema.size()];
          v[schema.fieldIndex(Contract.Sales.ORDER_ID)] = String.format(Locale.ROOT, "o%02d-%d-%s", n, g, date);
          v[schema.fieldIndex(Contract.Sales.LINE_NO)] = 1;
          v[schema.fieldIndex(Contract.Sales.CUSTOMER_ID)] = String.format(Locale.ROOT, "c%02d", n);
          v[schema.fieldIndex(Contract.Sales.ORDER_DATE)] = Date.valueOf(date);
          v[schema.fieldIndex(Contract.Sales.PRODUCT_ID)] = "P" + g;
          v[schema.fieldIndex(Contract.Sales.QUANTITY)] = BigDecimal.ONE.setScale(4);
          v[schema.fieldIndex(Contract.Sales.NET_AMOUNT)] = money(100.0 * (g + 1) * (1 + (n + g) % 7));
          v[schema.fieldIndex(Contract.Sales.LINE_TYPE)] = Contract.Sales.TYPE_ORDER;
          sales.add(RowFactory.create(v));
        }
      }
    }
    parquet(spark, sales, schema, root.resolve(Output.SILVER.at(Contract.Sales.NAME, AS_OF)));
  }

  /** The test period's figures of the promoted evaluation: method, customers, hit rate, precision, recall, NDCG, realised share. */
  static final List<Object[]> CROSS_SELL_TEST = List.of(
      new Object[] {"blend", 12, 0.583, 0.150, 0.611, 0.402, 0.81}, new Object[] {"white_space", 12, 0.667, 0.183, 0.694, 0.471, 0.05},
      new Object[] {"popularity", 12, 0.500, 0.117, 0.472, 0.335, null},
      new Object[] {"industry_popularity", 12, 0.667, 0.167, 0.653, 0.448, null});

  /** A promoted cross-sell evaluation as train cross_sell writes it: the white space chosen, a test period. */
  static void writeCrossSellEvaluation(Path root) throws IOException {
    Path store = Files.createDirectories(root.resolve(Output.modelVersion(ScorecardReader.CROSS_SELL_MODEL, CROSS_SELL_VERSION)));
    Files.writeString(root.resolve(Output.promotedFile(ScorecardReader.CROSS_SELL_MODEL)),
        "{\"version\": \"" + CROSS_SELL_VERSION + "\"}");
    StringBuilder methods = new StringBuilder();
    for (Object[] m : CROSS_SELL_TEST) {
      methods.append(methods.length() == 0 ? "" : ",\n").append(String.format(Locale.ROOT,
          "\"%s\": {\"customers\": %d, \"hit_rate\": %s, \"precision_at_k\": %s, \"recall_at_k\": %s, \"ndcg_at_k\": %s, "
              + "\"realised_share\": %s}", m));
    }
    Files.writeString(store.resolve("evaluation.json"), String.format(Locale.ROOT, """
        {"model": "cross_sell", "as_of": "2025-03-15", "level": "product_group", "k": 5, "lookback_months": 12,
         "horizon_months": 6, "first_order": "2022-01-03", "published": "white_space",
         "selection": {"evaluated_on": "validation", "chosen": "white_space", "rule": "...",
                       "why": "validation 2024-03-15 to 2024-09-15: NDCG@5 blend 0.380, white space 0.455"},
         "test": {"recommended_at": "2024-09-15", "observed_until": "2025-03-15", "methods": {%s}},
         "left_out": []}
        """, methods));
  }

  private static void delete(Path dir) {
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind does no harm
    }
  }

  // ---------------------------------------------------------------- payment risk

  static final String PAYMENT_VERSION = "pv1";
  static final double PAYMENT_AUC = 0.781;
  static final double DAYS_PAST_DUE_AUC = 0.702;
  /** A customer of payment_risk who is not in customer_scores nor in silver customers: no rep, no region. */
  static final String UNKNOWN_DEBTOR = "c40";
  static final String NO_MODEL_REASON = "the model trained now (2025-03-15-ab12cd34-0007) is not better than the "
      + "baselines; the evaluation is in models/payment_risk/2025-03-15-ab12cd34-0007/evaluation.txt. The receivables "
      + "(exposure, overdue by age, open invoices) are published; the default probability, band (except in_default), "
      + "expected loss and actions of the others are null";

  /**
   * One customer of the payment_risk customers output; amounts by age (not yet due, 1–30, 31–60,
   * 61–90, over 90 days past due), region as silver customers has it.
   */
  record Owed(String id, String region, Double probability, String band, double notDue, double overdue1To30,
      double overdue31To60, double overdue61To90, double overdueOver90, double openOrders, boolean inDefault,
      String action, String actionReasonEn, String actionReasonDe, String reasonsEn, String reasonsDe, String version) {
    double overdue() {
      return overdue1To30 + overdue31To60 + overdue61To90 + overdueOver90;
    }

    double open() {
      return notDue + overdue();
    }

    double exposure() {
      return open() + openOrders;
    }

    /** As the stage computes it: the probability times the exposure, the whole exposure in default. */
    Double expectedLoss() {
      if (inDefault) {
        return exposure();
      }
      return probability == null ? null : probability * exposure();
    }
  }

  /**
   * c01..c12 and {@link #UNKNOWN_DEBTOR}; c12 is in default; c07's reasons are hostile. Without a
   * model ({@code scored} false) only c12 has a band and an expected loss, as the stage writes it.
   */
  static List<Owed> owed(boolean scored) {
    List<Owed> out = new ArrayList<>();
    for (int i = 1; i <= 13; i++) {
      String id = i == 13 ? UNKNOWN_DEBTOR : String.format(Locale.ROOT, "c%02d", i);
      String region = i == 13 || i % 3 == 0 ? null : i % 3 == 1 ? "Bayern" : "Hessen";
      boolean inDefault = i == 12;
      Double p = inDefault || !scored ? null : 0.03 * i;
      String band = inDefault ? CustomerScores.BAND_IN_DEFAULT : p == null ? null : p >= 0.3 ? "high" : p >= 0.1 ? "medium" : "low";
      String action = inDefault ? "credit_hold" : i == 11 && scored ? "review" : null;
      String actionEn = action == null ? null : action.equals("credit_hold") ? "credit hold: in default" : "review: default probability 33%";
      String actionDe = action == null ? null : action.equals("credit_hold") ? "Liefersperre: im Zahlungsausfall"
          : "prüfen: Ausfallwahrscheinlichkeit 33 %";
      String reasonsEn = i == 7 ? HOSTILE_REASON : inDefault ? "in default: 4,000 overdue, the oldest invoice 120 days past due"
          : p == null ? null : "overdue 1\u201330 days: " + (100 * i) + " (typical: 0)";
      String reasonsDe = i == 7 ? HOSTILE_REASON : inDefault ? "im Zahlungsausfall: 4.000 überfällig, die älteste Rechnung 120 Tage"
          : p == null ? null : "überfällig 1\u201330 Tage: " + (100 * i) + " (üblich: 0)";
      out.add(new Owed(id, region, p, band, 1000.0 * i, 100.0 * i, 50.0 * i, i % 2 == 0 ? 200 : 0, inDefault ? 4000 : 0,
          i == 5 ? 500 : 0, inDefault, action, actionEn, actionDe, reasonsEn, reasonsDe, scored ? PAYMENT_VERSION : null));
    }
    return out;
  }

  /** The top {@code n} by expected loss above 0, highest first, ties by id: what the page must list. */
  static List<Owed> topByExpectedLoss(List<Owed> owed, int n) {
    return owed.stream().filter(o -> o.expectedLoss() != null && o.expectedLoss() > 0)
        .sorted(Comparator.comparing(Owed::expectedLoss).reversed().thenComparing(Owed::id)).limit(n).toList();
  }

  /** The payment_risk customers output's schema as the stage writes it (customer_scores' payment columns first). */
  static StructType paymentRiskSchema() {
    StructType schema = new StructType();
    for (String c : List.of(CustomerScores.CUSTOMER_ID, CustomerScores.PAYMENT_DEFAULT_PROBABILITY,
        CustomerScores.PAYMENT_RISK_BAND, CustomerScores.PAYMENT_EXPOSURE, CustomerScores.PAYMENT_OVERDUE,
        CustomerScores.PAYMENT_EXPECTED_LOSS, CustomerScores.PAYMENT_ACTION, CustomerScores.PAYMENT_ACTION_REASON_EN,
        CustomerScores.PAYMENT_ACTION_REASON_DE, CustomerScores.PAYMENT_REASONS_EN, CustomerScores.PAYMENT_REASONS_DE,
        CustomerScores.PAYMENT_REASONS, CustomerScores.PAYMENT_MODEL_VERSION)) {
      schema = schema.add(CustomerScores.SCHEMA.apply(c));
    }
    schema = schema.add(PaymentDefaultLabels.IN_DEFAULT, DataTypes.BooleanType, false);
    for (String money : List.of(Receivables.OPEN_RECEIVABLES, Receivables.OPEN_ORDERS, Receivables.OVERDUE_1_30,
        Receivables.OVERDUE_31_60, Receivables.OVERDUE_61_90, Receivables.OVERDUE_OVER_90)) {
      schema = schema.add(money, DataTypes.createDecimalType(28, 4), true);
    }
    return schema.add(Receivables.MAX_DAYS_PAST_DUE, DataTypes.IntegerType, true)
        .add(Receivables.DUNNING_LEVEL_MAX, DataTypes.IntegerType, true);
  }

  static void writePaymentRisk(SparkSession spark, Path root, List<Owed> owed) {
    paymentRisk(spark, owed).coalesce(1).write().mode(SaveMode.Overwrite)
        .parquet(root.resolve(Output.PAYMENT_RISK_CUSTOMERS.at(AS_OF)).toString());
  }

  /** The payment_risk customers output of {@code owed}, in the stage's schema. */
  static org.apache.spark.sql.Dataset<Row> paymentRisk(SparkSession spark, List<Owed> owed) {
    StructType schema = paymentRiskSchema();
    List<Row> rows = new ArrayList<>();
    for (Owed o : owed) {
      rows.add(RowFactory.create(o.id(), o.probability(), o.band(), o.exposure(), o.overdue(), o.expectedLoss(),
          o.action(), o.actionReasonEn(), o.actionReasonDe(), o.reasonsEn(), o.reasonsDe(), null, o.version(),
          o.inDefault(), money(o.open()), money(o.openOrders()), money(o.overdue1To30()), money(o.overdue31To60()),
          money(o.overdue61To90()), money(o.overdueOver90()), o.overdueOver90() > 0 ? 120 : 0, 0));
    }
    return spark.createDataFrame(rows, schema);
  }

  private static BigDecimal money(double amount) {
    return BigDecimal.valueOf(amount).setScale(4);
  }

  private static void writePaymentModel(Path root) throws IOException {
    Path store = Files.createDirectories(root.resolve(Output.modelStore(ScorecardReader.PAYMENT_MODEL)));
    Files.writeString(store.resolve("promoted.json"), "{\"version\": \"" + PAYMENT_VERSION + "\"}");
    Files.createDirectories(store.resolve(PAYMENT_VERSION));
    Files.writeString(store.resolve(PAYMENT_VERSION + "/evaluation.json"), String.format(Locale.ROOT, """
        {"model": "payment_risk", "version": "%s", "grade": "A", "promoted": true,
         "metrics": {"roc_auc": %s, "pr_auc": 0.38, "brier": 0.09},
         "baselines": {"max_days_past_due": {"roc_auc": %s, "pr_auc": 0.25},
                       "base_rate": {"roc_auc": 0.5, "pr_auc": 0.1}},
         "reliability": []}
        """, PAYMENT_VERSION, PAYMENT_AUC, DAYS_PAST_DUE_AUC));
  }

  /**
   * A run without a promoted payment model under {@code root}: the payment_risk customers as the
   * stage writes them then, and the manifest with its flag payment_risk.no_model.
   */
  static void writePaymentRiskWithoutModel(SparkSession spark, Path root) throws IOException {
    writePaymentRisk(spark, root, owed(false));
    Path runs = Files.createDirectories(root.resolve(ScorecardReader.RUNS_FOLDER));
    RunManifest m = new RunManifest("20250315T070000-0007", "run", "fixture.yaml", AS_OF.toString(), "/out");
    m.flag(ScorecardReader.PAYMENT_MODEL, ScorecardReader.NO_MODEL_FLAG, NO_MODEL_REASON);
    m.stage(ScorecardReader.PAYMENT_MODEL, "succeeded", Duration.ofSeconds(3), Map.of());
    m.finish("succeeded", null, List.of());
    ObjectNode json = (ObjectNode) new ObjectMapper().readTree(m.toJson());
    json.put("started_at", "2025-03-15T07:00:00Z");
    Files.writeString(runs.resolve("20250315T070000-0007.json"), json.toPrettyString());
  }
}
