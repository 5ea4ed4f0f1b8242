package org.crmanalytics.jobs.features;

import org.crmanalytics.jobs.cli.Pipeline;
import org.crmanalytics.jobs.io.Output;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.GoldenFiles;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.config.ConfigLoader;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.ingest.IngestHarness;
import org.crmanalytics.jobs.io.OutputLayout;
import org.crmanalytics.jobs.io.RunManifest;
import org.crmanalytics.jobs.realdata.RealData;
import org.crmanalytics.jobs.runner.PipelineRunner;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.models.features.CustomerSnapshot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The features stage on the bundled sample company (ingested once into a temporary folder): it
 * writes snapshot/as_of=D atomically, its values are pinned by a golden file, and DuckDB's RFM on
 * the same silver agrees with it exactly. After an intended change, regenerate the golden file
 * with {@code -Dgolden.update=true} and review the diff.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class FeaturesStageTest {
  private static final Path GOLDEN = Path.of("src/test/resources/features/golden");
  private static SparkSession spark;
  private static PipelineConfig config;
  private static Path out;
  /** The one stage run the tests look at: a snapshot of 1,000 customers takes seconds, not less. */
  private static StageRun run;

  @TempDir static Path tmp;

  @BeforeAll
  static void ingestSample(SparkSession session) {
    spark = session;
    out = tmp.resolve("out");
    config = Pipeline.configLoader(Map.of()).load(RealData.projectRoot().resolve(ConfigLoader.BUNDLED_SAMPLE)).withOutput(out);
    new IngestHarness(spark).run(config);
    run = runStage();
  }

  private record StageRun(RunContext ctx, String console) {}

  private static StageRun runStage() {
    OutputLayout layout = new OutputLayout(out.toString(), config.asOf(), PipelineRunner.newRunId());
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(captured, true, StandardCharsets.UTF_8);
        Console console = new Console(ps, Console.Verbosity.VERBOSE)) {
      RunManifest manifest = new RunManifest(layout.runId(), "features", config.source(), config.asOf().toString(),
          layout.root());
      RunContext ctx = new RunContext(spark, config, layout, manifest, console);
      new FeaturesStage().run(ctx);
      return new StageRun(ctx, captured.toString(StandardCharsets.UTF_8));
    }
  }

  private static Path snapshotFolder() {
    return out.resolve("snapshot/as_of=" + config.asOf());
  }

  private static List<String> files(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesOneRowPerCustomerToTheSnapshotFolderAndCommitsIt() throws IOException {
    String path = Output.SNAPSHOT.path(run.ctx().layout());
    assertEquals(out + "/snapshot/as_of=2025-12-31", path);
    assertEquals(List.of(path), run.ctx().outputs(), "the committed output is recorded for the manifest");
    assertTrue(files(snapshotFolder()).contains("_SUCCESS"), "a complete Spark output: " + files(snapshotFolder()));
    assertFalse(Files.exists(Path.of(run.ctx().layout().staged(path))), "the staged copy was moved into place");
    Dataset<Row> snapshot = spark.read().parquet(snapshotFolder().toString());
    long customers = spark.read().parquet(out.resolve("silver/customers/as_of=2025-12-31").toString()).count();
    assertEquals(1000, customers, "the sample has 1,000 customers");
    assertEquals(customers, snapshot.count());
    assertEquals(customers, snapshot.select(CustomerSnapshot.CUSTOMER_ID).distinct().count());
    assertEquals(List.of(CustomerSnapshot.SCHEMA.fieldNames()), List.of(snapshot.columns()));
    assertTrue(run.console().contains("features") && run.console().contains("1,000 in"), run.console());
  }

  @Test
  void snapshotValuesMatchTheGoldenFile() throws IOException {
    GoldenFiles.assertGolden(GOLDEN.resolve("snapshot-2025-12-31.csv"),
        GoldenFiles.csvLines(spark.read().parquet(snapshotFolder().toString()), CustomerSnapshot.CUSTOMER_ID));
  }

  /** Every table of the sample is configured, so every feature must be filled for some customer. */
  @Test
  void everyFeatureHasValuesOnTheSample() {
    Dataset<Row> snapshot = spark.read().parquet(snapshotFolder().toString());
    Row filled = snapshot.select(Stream.of(snapshot.columns()).map(c -> count(col(c)).as(c)).toArray(Column[]::new))
        .first();
    List<String> empty = new ArrayList<>();
    for (String c : snapshot.columns()) {
      if (filled.<Long>getAs(c) == 0) {
        empty.add(c);
      }
    }
    assertEquals(List.of(), empty, "features null for every customer of the sample");
    assertTrue(snapshot.filter("open_offers > 0").count() > 0, "some customers have open offers at D");
    assertTrue(snapshot.filter("overdue_receivables > 0").count() > 0, "some customers owe overdue money at D");
  }

  @Test
  void aFailedRunLeavesThePreviousSnapshotInPlace() throws IOException {
    List<String> before = files(snapshotFolder());
    Path sales = out.resolve("silver/sales/as_of=2025-12-31");
    Path aside = tmp.resolve("sales-aside");
    Files.move(sales, aside);
    try {
      UserError e = assertThrows(UserError.class, FeaturesStageTest::runStage);
      assertTrue(e.getMessage().startsWith("features needs the silver table sales at "), e.getMessage());
      assertTrue(e.getMessage().endsWith("; run the ingest stage for as_of 2025-12-31 first"
          + " (bin/crm-analytics run --stages ingest,features)"), e.getMessage());
    } finally {
      Files.move(aside, sales);
    }
    assertEquals(before, files(snapshotFolder()), "the previous snapshot is untouched");
  }

  @Test
  void duckDbComputesTheSameRfmAndTwelveMonthFigures() throws SQLException {
    DuckDbSnapshotCheck.Outcome o = DuckDbSnapshotCheck.compare(out.resolve("silver/customers/as_of=2025-12-31"),
        out.resolve("silver/sales/as_of=2025-12-31"), snapshotFolder(), config.asOf(),
        CustomerSnapshot.Settings.DEFAULTS.windowsDays());
    System.out.println("sample cross-check: " + o);
    assertEquals(1000, o.snapshotRows());
    assertEquals(o.expectedRows(), o.snapshotRows());
    assertEquals(0, o.mismatches(), "customers where DuckDB and the snapshot differ (DuckDB/snapshot): " + o.examples());
    assertTrue(o.customersWithOrders12m() > 100, "the comparison covers real orders: " + o);
    assertTrue(o.revenue12m().compareTo(BigDecimal.ZERO) > 0, "the comparison covers real revenue: " + o);
    assertTrue(o.margin12m().compareTo(BigDecimal.ZERO) > 0, "the comparison covers real margin: " + o);
  }

  /**
   * bin/benchmark-stages times Spark on DuckDB's query and on the same figures written for Spark:
   * both must give DuckDB's figures.
   */
  @Test
  void sparkSqlComputesTheSameCoreAggregatesAsDuckDb() throws SQLException {
    Path customers = out.resolve("silver/customers/as_of=2025-12-31");
    Path sales = out.resolve("silver/sales/as_of=2025-12-31");
    List<Integer> windows = CustomerSnapshot.Settings.DEFAULTS.windowsDays();
    Map<String, DuckDbSnapshotCheck.CoreAggregates> queries = Map.of(
        "same-query", DuckDbSnapshotCheck.CoreAggregates.of(DuckDbSnapshotCheck.Dialect.SPARK, customers, sales,
            config.asOf(), windows),
        "orders-first", SparkCoreAggregatesBenchmark.ordersFirst(customers, sales, config.asOf(), windows));
    for (var query : queries.entrySet()) {
      Path sparkResult = tmp.resolve("spark-core-aggregates-" + query.getKey());
      spark.sql(query.getValue().sql()).write().parquet(sparkResult.toString());
      DuckDbSnapshotCheck.Outcome o = DuckDbSnapshotCheck.compare(customers, sales, sparkResult, config.asOf(), windows);
      assertEquals(1000, o.snapshotRows(), query.getKey());
      assertEquals(0, o.mismatches(), query.getKey() + ": customers where DuckDB and Spark SQL differ (DuckDB/Spark): "
          + o.examples());
      assertTrue(o.customersWithOrders12m() > 100 && o.orders730d() > 1000, "the comparison covers real orders: " + o);
    }
  }
}
