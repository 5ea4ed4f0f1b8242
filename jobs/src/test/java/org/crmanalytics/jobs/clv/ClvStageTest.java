package org.crmanalytics.jobs.clv;

import org.crmanalytics.models.btyd.ClvSettings;
import org.crmanalytics.jobs.cli.Pipeline;
import org.crmanalytics.jobs.io.Output;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.GoldenFiles;
import org.crmanalytics.jobs.SampleCompany;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.realdata.RealData;
import org.crmanalytics.jobs.runner.PipelineRunner;
import org.crmanalytics.models.btyd.ClvOutput;
import org.crmanalytics.models.btyd.CustomerLifetimeValue;
import org.crmanalytics.models.btyd.PurchaseModel;
import org.crmanalytics.models.contract.Contract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clv stage the way the CLI runs it (config checked, {@link PipelineRunner}) on the bundled
 * sample company (data-samples/company, mapped by data-samples/mappings/sample.yaml, as of
 * 2025-12-31, default clv settings). Silver customers and sales are written from the CSV files in
 * the contract's schema: this test is about clv, not ingest. The per-customer BTYD summary is
 * pinned by a golden file (exact date arithmetic); the fitted values by properties. A second run
 * with its own clv: section (paretonbd, days, 6 months) covers the other model and unit.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class ClvStageTest {
  private static final Path GOLDEN = Path.of("src/test/resources/clv/expected-summary-2025-12-31.csv");

  private static SparkSession spark;
  private static PipelineConfig config;
  private static String console;
  private static Dataset<Row> output;

  @TempDir static Path out;
  @TempDir static Path paretoOut;
  private static Dataset<Row> paretoOutput;

  @BeforeAll
  static void run(SparkSession session) throws IOException {
    spark = session;
    Path root = RealData.projectRoot();
    config = Pipeline.configLoader(Map.of()).load(root.resolve("data-samples/mappings/sample.yaml")).withOutput(out);
    writeSilver(root, out);
    console = runClv(config);
    output = spark.read().parquet(out.resolve(Output.CLV_CUSTOMERS.at(config.asOf())).toString()).cache();

    // The other purchase model, in days, over 6 months: the clv: section as a user writes it.
    Path yaml = paretoOut.resolve("config.yaml");
    Files.writeString(yaml, """
        as_of: %s
        tables:
          customers: {path: customers.csv}
          sales: {path: sales.csv}
        clv:
          model: paretonbd
          time_unit: days
          horizon_months: 6
        """.formatted(config.asOf()));
    PipelineConfig pareto = Pipeline.configLoader(Map.of()).load(yaml).withOutput(paretoOut);
    writeSilver(root, paretoOut);
    runClv(pareto);
    paretoOutput = spark.read().parquet(paretoOut.resolve(Output.CLV_CUSTOMERS.at(config.asOf())).toString());
  }

  private static void writeSilver(Path root, Path into) {
    for (String table : List.of(Contract.Customers.NAME, Contract.Sales.NAME)) {
      SampleCompany.table(spark, table).write().parquet(into.resolve("silver/" + table + "/as_of=" + config.asOf()).toString());
    }
  }

  private static String runClv(PipelineConfig c) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(captured, true, StandardCharsets.UTF_8);
        Console console = new Console(ps, Console.Verbosity.VERBOSE)) {
      new PipelineRunner(console).run(spark, c, List.of(new ClvStage()), "run");
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void outputHasTheDeclaredSchemaAndOneRowPerCustomer() {
    assertEquals(ClvOutput.SCHEMA, output.schema());
    long customers = spark.read().parquet(out.resolve("silver/customers/as_of=" + config.asOf()).toString()).count();
    assertEquals(customers, output.count(), console);
    assertEquals(customers, output.select(ClvOutput.CUSTOMER_ID).distinct().count(), "one row per customer");
  }

  @Test
  void theSummaryMatchesTheGoldenFile() throws IOException {
    GoldenFiles.assertGolden(GOLDEN, GoldenFiles.csvLines(output.filter(col(ClvOutput.X).isNotNull())
        .select(ClvOutput.CUSTOMER_ID, ClvOutput.X, ClvOutput.T_X, ClvOutput.T, ClvOutput.MONETARY),
        ClvOutput.CUSTOMER_ID));
  }

  @Test
  void buyersHaveConsistentScores() {
    List<Row> buyers = output.filter(col(ClvOutput.X).isNotNull()).collectAsList();
    assertTrue(buyers.size() > 500, "most sample customers ordered: " + buyers.size());
    for (Row r : buyers) {
      double pAlive = r.getAs(ClvOutput.P_ALIVE);
      double orders = r.getAs(ClvOutput.EXPECTED_ORDERS);
      double value = r.getAs(ClvOutput.EXPECTED_ORDER_VALUE);
      double clv = r.getAs(ClvOutput.CLV);
      String who = r.toString();
      assertTrue(pAlive >= 0 && pAlive <= 1, who);
      assertTrue(orders >= 0 && value > 0, who);
      // Discounting at 10 % a year over 12 months: between the undiscounted value and a year's full discount.
      assertTrue(clv <= value * orders * (1 + 1e-9) && clv >= value * orders / 1.1 * (1 - 1e-9), who);
      assertEquals(12, (int) r.getAs(ClvOutput.CLV_HORIZON_MONTHS));
    }
  }

  @Test
  void customersWithoutOrdersHaveNullScores() {
    for (Row r : output.filter(col(ClvOutput.X).isNull()).collectAsList()) {
      for (String c : List.of(ClvOutput.T_X, ClvOutput.T, ClvOutput.P_ALIVE, ClvOutput.EXPECTED_ORDERS,
          ClvOutput.EXPECTED_ORDER_VALUE, ClvOutput.CLV)) {
        assertTrue(r.isNullAt(r.fieldIndex(c)), c + " of " + r);
      }
      assertEquals(12, (int) r.getAs(ClvOutput.CLV_HORIZON_MONTHS));
    }
  }

  @Test
  void paretoNbdInDaysOverSixMonthsIsConfigurable() throws IOException {
    assertEquals(ClvOutput.SCHEMA, paretoOutput.schema());
    assertEquals(output.count(), paretoOutput.count());
    Row r = paretoOutput.filter(col(ClvOutput.X).gt(2)).orderBy(ClvOutput.CUSTOMER_ID).first();
    assertEquals(6, (int) r.getAs(ClvOutput.CLV_HORIZON_MONTHS));
    Row weekly = output.filter(col(ClvOutput.CUSTOMER_ID).equalTo(r.<String>getAs(ClvOutput.CUSTOMER_ID))).first();
    assertEquals(weekly.getDouble(3) * 7, r.getDouble(3), 1e-9, "T in days is 7 x T in weeks");
    String version = r.getAs(ClvOutput.MODEL_VERSION);
    assertTrue(!version.equals(weekly.<String>getAs(ClvOutput.MODEL_VERSION)), "another model, another version");
    PipelineModel loaded = PipelineModel.load(paretoOut.resolve(ClvStage.modelFolder(version)).toString());
    assertTrue(loaded.stages()[1] instanceof org.crmanalytics.models.btyd.ParetoNbdModel, loaded.stages()[1].toString());
    assertTrue(((PurchaseModel<?>) loaded.stages()[1]).describe().startsWith("(days)"));
  }

  @Test
  void theSavedModelsReproduceTheOutput() throws IOException {
    String version = output.select(ClvOutput.MODEL_VERSION).distinct().first().getString(0);
    assertTrue(version.matches(config.asOf() + "-[0-9a-f]{8}"), version);
    Path folder = out.resolve(ClvStage.modelFolder(version));
    assertTrue(Files.isDirectory(folder), "models saved at " + folder);
    try (Stream<Path> listed = Files.list(out.resolve("models/clv"))) {
      assertEquals(1, listed.count(), "one model version");
    }
    PipelineModel loaded = PipelineModel.load(folder.toString());
    assertTrue(((PurchaseModel<?>) loaded.stages()[1]).describe().startsWith("(weeks)"));
    Dataset<Row> sales = spark.read().parquet(out.resolve("silver/sales/as_of=" + config.asOf()).toString());
    Row again = loaded.transform(CustomerLifetimeValue.summary(sales, config.settings(ClvSettings.class)))
        .orderBy(ClvOutput.CUSTOMER_ID).first();
    Row written = output.filter(col(ClvOutput.CUSTOMER_ID).equalTo(again.<String>getAs(ClvOutput.CUSTOMER_ID))).first();
    assertEquals(written.<Double>getAs(ClvOutput.CLV), again.<Double>getAs(ClvOutput.CLV), 1e-9);
    assertTrue(console.contains("clv") && console.contains(version), console);
  }
}
