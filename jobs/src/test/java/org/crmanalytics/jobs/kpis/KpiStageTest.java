package org.crmanalytics.jobs.kpis;

import org.crmanalytics.jobs.cli.Pipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.jobs.GoldenFiles;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.config.ConfigError;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.runner.PipelineRunner;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.kpis.KpiIds;
import org.crmanalytics.models.kpis.KpiOutput;
import org.crmanalytics.models.kpis.KpiSettings.Dimension;
import org.crmanalytics.models.kpis.KpiSettings.PeriodType;
import org.crmanalytics.models.kpis.KpiSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stage as the runner runs it: its configuration section, what it reads (the silver tables
 * of the as_of that exist) and what it commits, pinned by golden files. After an intended change,
 * regenerate with {@code -Dgolden.update=true}, review the diff and commit the files.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class KpiStageTest {
  private static final Path GOLDEN = Path.of("src/test/resources/kpis/golden");

  @TempDir
  static Path dir;
  private static SparkSession spark;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
  }

  private static PipelineConfig config(String name, String kpisSection) throws IOException {
    Path folder = dir.resolve(name);
    Files.createDirectories(folder);
    Path file = folder.resolve("config.yaml");
    Files.writeString(file, """
        as_of: 2025-03-15
        output: out
        tables:
          customers: {path: customers.csv}
          sales: {path: sales.csv}
        """ + kpisSection);
    return Pipeline.configLoader(Map.of()).load(file);
  }

  private static void writeSilver(PipelineConfig config, Map<String, List<Row>> tables) {
    KpiFixture.frames(spark, tables).forEach((table, frame) ->
        frame.write().parquet(config.output() + "/silver/" + table + "/as_of=" + config.asOf()));
  }

  private static String run(PipelineConfig config) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(captured, true, StandardCharsets.UTF_8);
        Console console = new Console(ps, Console.Verbosity.VERBOSE)) {
      new PipelineRunner(console).run(spark, config, List.of(new KpiStage()), "kpis");
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  /** The KPI values in the golden-file form, one line per period, slice and KPI. */
  private static List<String> kpiLines(String path) {
    return GoldenFiles.csvLines(spark.read().parquet(path), KpiOutput.PERIOD_TYPE, KpiOutput.PERIOD,
        KpiOutput.DIMENSION, KpiOutput.DIMENSION_VALUE, KpiOutput.KPI);
  }

  private static void assertGolden(String file, List<String> actual) throws IOException {
    GoldenFiles.assertGolden(GOLDEN.resolve(file), actual);
  }

  @Test
  void goldenOutputOfTheStage() throws IOException {
    PipelineConfig config = config("golden", "kpis: {history_months: 3}\n");
    writeSilver(config, KpiFixture.company());
    String console = run(config);

    String root = "file:" + config.output();
    assertGolden("kpis-2025-03-15.csv", kpiLines(root + "/kpis/values/as_of=2025-03-15"));
    assertGolden("escalations-2025-03-15.csv",
        GoldenFiles.csvLines(spark.read().parquet(root + "/kpis/escalations/as_of=2025-03-15"), KpiOutput.TICKET_ID));
    assertTrue(console.contains("overdue tickets"), console);
    String manifest = Files.list(Path.of(config.output(), "runs")).filter(p -> p.toString().endsWith(".json")).map(p -> {
      try {
        return Files.readString(p);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).findFirst().orElseThrow();
    assertTrue(manifest.contains("kpis/values/as_of=2025-03-15") && manifest.contains("kpis/escalations/as_of=2025-03-15"),
        manifest);
    assertTrue(!Files.exists(Path.of(config.output(), "_staging")), "staging removed");
  }

  @Test
  void runsWithOnlyTheRequiredTables() throws IOException {
    PipelineConfig config = config("required-only", "");
    Map<String, List<Row>> company = KpiFixture.company();
    writeSilver(config, Map.of(Contract.Customers.NAME, company.get(Contract.Customers.NAME),
        Contract.Sales.NAME, company.get(Contract.Sales.NAME)));
    String console = run(config);
    assertTrue(console.contains("absent (optional, their KPIs are skipped): products, activities, offers, tickets, "
        + "campaigns, campaign_members, sales_targets"), console);
    assertTrue(console.contains("no tickets table: no escalations"), console);
    String root = "file:" + config.output();
    assertTrue(spark.read().parquet(root + "/kpis/escalations/as_of=2025-03-15").isEmpty());
    assertTrue(kpiLines(root + "/kpis/values/as_of=2025-03-15").stream().noneMatch(l -> l.contains(",visits,")));
    // Default history: 24 months up to March 2025 (from April 2023), so the orders of 2024 show.
    List<String> lines = kpiLines(root + "/kpis/values/as_of=2025-03-15");
    assertTrue(lines.contains("month,2024-02,false,all,all,revenue,40.000000,"), String.join("\n", lines));
    assertTrue(lines.stream().noneMatch(l -> l.startsWith("month,2023-03,") || l.startsWith("month,2025-04,")));
  }

  @Test
  void missingSilverSalesSkipsTheStageWithTheReason() throws IOException {
    PipelineConfig config = config("no-ingest", "");
    writeSilver(config, Map.of(Contract.Customers.NAME, KpiFixture.company().get(Contract.Customers.NAME)));
    String console = run(config);
    assertTrue(console.contains("skipped: no silver table sales (")
        && console.contains("/silver/sales/as_of=2025-03-15) for as_of 2025-03-15; the ingest stage writes it"), console);
    assertTrue(Files.notExists(Path.of(config.output(), "kpis/values/as_of=2025-03-15")), "nothing written");
  }

  @Test
  void outputSchemasArePinned() throws IOException {
    assertGolden("kpis-schema.json", List.of(KpiOutput.SCHEMA.prettyJson().split("\n")));
    assertGolden("escalations-schema.json", List.of(KpiOutput.ESCALATION_SCHEMA.prettyJson().split("\n")));
  }

  @Test
  void writtenColumnsHaveTheSchemaTypesAndOnlyTheConfiguredPeriodsAndDimensions() throws IOException {
    PipelineConfig config = config("narrow", "kpis: {history_months: 1, periods: quarter, dimensions: [all, campaign]}\n");
    Map<String, List<Row>> company = KpiFixture.company();
    writeSilver(config, Map.of(Contract.Customers.NAME, company.get(Contract.Customers.NAME),
        Contract.Sales.NAME, company.get(Contract.Sales.NAME),
        Contract.Campaigns.NAME, company.get(Contract.Campaigns.NAME),
        Contract.CampaignMembers.NAME, company.get(Contract.CampaignMembers.NAME),
        Contract.SalesTargets.NAME, company.get(Contract.SalesTargets.NAME)));
    run(config);
    String root = "file:" + config.output();
    assertTypes(KpiOutput.SCHEMA, spark.read().parquet(root + "/kpis/values/as_of=2025-03-15").schema());
    assertTypes(KpiOutput.ESCALATION_SCHEMA, spark.read().parquet(root + "/kpis/escalations/as_of=2025-03-15").schema());
    List<String> lines = kpiLines(root + "/kpis/values/as_of=2025-03-15");
    List<String> slices = lines.stream().skip(1).map(l -> String.join(",", List.of(l.split(",")).subList(0, 4)))
        .distinct().sorted().toList();
    assertEquals(List.of("quarter,2025-Q1,true,all", "quarter,2025-Q1,true,campaign"), slices);
    // Without the rep dimension only the company's row of a count or sum carries a target: the
    // reps' targets summed.
    List<String> targeted = lines.stream().skip(1).filter(l -> !l.endsWith(",")).toList();
    assertTrue(targeted.stream().allMatch(l -> l.split(",")[3].equals("all")
        && KpiIds.ADDITIVE.contains(l.split(",")[5])), String.join("\n", targeted));
    assertTrue(targeted.contains("quarter,2025-Q1,true,all,all,revenue,1550.000000,2000.000000"), String.join("\n", targeted));
    assertTrue(lines.contains("quarter,2025-Q1,true,all,all,achievement_revenue,77.500000,"), String.join("\n", lines));
  }

  /** Parquet read back makes every column nullable; names and types must be the schema's. */
  private static void assertTypes(StructType expected, StructType actual) {
    List<String> e = new ArrayList<>();
    for (StructField f : expected.fields()) {
      e.add(f.name() + " " + f.dataType().simpleString());
    }
    List<String> a = new ArrayList<>();
    for (StructField f : actual.fields()) {
      a.add(f.name() + " " + f.dataType().simpleString());
    }
    assertEquals(e, a);
  }

  // ---- configuration --------------------------------------------------------------------------

  private static String error(String section) throws IOException {
    ConfigError e = assertThrows(ConfigError.class, () -> config("config-" + Math.abs(section.hashCode()), section),
        section);
    return e.getMessage().substring(e.getMessage().indexOf(": ") + 2);
  }

  @Test
  void withoutASectionTheDefaultsApply() throws IOException {
    assertEquals(KpiSettings.defaults(), config("defaults", "").settings(KpiSettings.class));
  }

  @Test
  void everyKeyIsRead() throws IOException {
    KpiSettings s = config("all-keys", """
        kpis:
          periods: [year, Quarter]
          dimensions: [all, region, campaign]
          history_months: 36
          top_customer_percent: 20
          churn: {lookback_months: 6}
        """).settings(KpiSettings.class);
    assertEquals(new KpiSettings(List.of(PeriodType.YEAR, PeriodType.QUARTER),
        List.of(Dimension.ALL, Dimension.REGION, Dimension.CAMPAIGN), 36, 6, 20), s);
  }

  /** The message, after checking that docs/kpis.md quotes it. */
  private static String documented(String message) throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "kpis.md"));
    assertTrue(doc.contains(message), "docs/kpis.md does not quote: " + message);
    return message;
  }

  @Test
  void everyKeyIsDocumented() throws IOException {
    List<String> doc = Files.readAllLines(Path.of("..", "docs", "kpis.md"));
    List<String> documented = new ArrayList<>();
    for (String line : doc.subList(doc.indexOf("## Configuration"), doc.size())) {
      if (line.startsWith("| `")) {
        documented.add(line.substring(3, line.indexOf('`', 3)));
      }
    }
    assertEquals(List.of(KpiStage.PERIODS, KpiStage.DIMENSIONS, KpiStage.HISTORY_MONTHS, KpiStage.TOP_CUSTOMER_PERCENT,
        KpiStage.CHURN + "." + KpiStage.LOOKBACK_MONTHS), documented);
  }

  @Test
  void configErrorsNameTheKeyAsTyped() throws IOException {
    assertEquals(documented("kpis.period: unknown key (did you mean 'periods'?); known keys here: churn, dimensions, "
        + "history_months, periods, top_customer_percent"), error("kpis: {period: [month]}\n"));
    assertEquals(documented("kpis.periods: 'week' is not a period; periods are month, quarter, year"),
        error("kpis: {periods: [month, week]}\n"));
    assertEquals(documented("kpis.periods: is empty; name at least one period of month, quarter, year"),
        error("kpis: {periods: []}\n"));
    assertEquals(documented("kpis.dimensions: 'segment' is not a dimension; dimensions are all, rep, channel, region, "
        + "industry, product_group, campaign"), error("kpis: {dimensions: [rep, segment]}\n"));
    assertEquals(documented("kpis.dimensions: names all twice"), error("kpis: {dimensions: [all, ALL]}\n"));
    assertEquals(documented("kpis.history_months: must be between 1 and 240, found 0"), error("kpis: {history_months: 0}\n"));
    assertEquals(documented("kpis.top_customer_percent: must be between 1 and 100, found 101"),
        error("kpis: {top_customer_percent: 101}\n"));
    assertEquals(documented("kpis.churn.lookback_months: expected a whole number, found 'twelve'"),
        error("kpis: {churn: {lookback_months: twelve}}\n"));
    assertEquals(documented("kpis.churn.lookback_months: must be between 1 and 120, found 121"),
        error("kpis: {churn: {lookback_months: 121}}\n"));
    assertTrue(error("kpis: {churn: {lookback: 6}}\n").startsWith("kpis.churn.lookback: unknown key"));
    assertEquals(documented("kpis: expected a section with keys churn, dimensions, history_months, periods, top_customer_percent"),
        error("kpis: monthly\n"));
  }

  @Test
  void producesNamesBothOutputs() throws IOException {
    PipelineConfig config = config("produces", "");
    assertEquals(List.of("kpis/values/as_of=2025-03-15", "kpis/escalations/as_of=2025-03-15"),
        new KpiStage().produces(config));
    assertEquals(List.of("ingest"), new KpiStage().needs());
    assertEquals("kpis", new KpiStage().name());
  }
}
