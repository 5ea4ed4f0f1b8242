package org.crmanalytics.jobs.abc;

import org.crmanalytics.jobs.cli.Pipeline;
import org.crmanalytics.jobs.io.Output;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.crmanalytics.jobs.GoldenFiles;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.runner.PipelineRunner;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.models.abc.AbcOutput;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.ContractTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The abc stage the way the CLI runs it (config file checked, {@link PipelineRunner}) on the
 * fixture company in src/test/resources/abc, whose CSV files are written to silver in the
 * contract's schema: as of 2024-11-30
 * (no previous run) and 2024-12-31 (previous run 2024-11-30). The second run's outputs are pinned
 * by golden files; regenerate them with {@code -Dgolden.update=true} after an intended change and
 * review the diff.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class AbcStageTest {
  private static final Path FIXTURE = Path.of("src/test/resources/abc");
  private static final LocalDate FIRST = LocalDate.of(2024, 11, 30);
  private static final LocalDate SECOND = LocalDate.of(2024, 12, 31);

  private static SparkSession spark;
  private static PipelineConfig config;
  private static String secondConsole;

  @TempDir static Path out;

  @BeforeAll
  static void runTwice(SparkSession session) {
    spark = session;
    config = Pipeline.configLoader(Map.of()).load(FIXTURE.resolve("config.yaml")).withOutput(out);
    // Silver is written from the fixture CSV directly (contract schema and column order) instead
    // of running ingest twice: this test is about abc, and the quality gate's passes would
    // dominate its time.
    for (LocalDate asOf : List.of(FIRST, SECOND)) {
      for (String table : List.of("customers", "sales", "invoices", "payments")) {
        writeSilver(Contract.table(table).orElseThrow(), asOf);
      }
    }
    run(config.withAsOf(FIRST), List.of(new AbcStage()));
    secondConsole = run(config.withAsOf(SECOND), List.of(new AbcStage()));
  }

  private static void writeSilver(ContractTable table, LocalDate asOf) {
    Dataset<Row> csv = spark.read().option("header", "true")
        .csv(FIXTURE.resolve("company/" + table.name() + ".csv").toString());
    List<String> present = List.of(csv.columns());
    Column[] columns = java.util.Arrays.stream(table.schema().fields())
        .map(f -> (present.contains(f.name()) ? functions.col(f.name()) : functions.lit(null))
            .cast(f.dataType()).as(f.name()))
        .toArray(Column[]::new);
    csv.select(columns).write().parquet(out.resolve("silver/" + table.name() + "/as_of=" + asOf).toString());
  }

  private static String run(PipelineConfig c, List<PipelineStage> stages) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(captured, true, StandardCharsets.UTF_8);
        Console console = new Console(ps, Console.Verbosity.VERBOSE)) {
      new PipelineRunner(console).run(spark, c, stages, "run");
    }
    return captured.toString(StandardCharsets.UTF_8);
  }

  private static Path customers(LocalDate asOf) {
    return out.resolve(Output.ABC_CUSTOMERS.at(asOf));
  }

  private static Path migration(LocalDate asOf) {
    return out.resolve(Output.ABC_MIGRATION.at(asOf));
  }

  /** The output in the golden-file form. */
  private static List<String> lines(Path parquet, String... orderBy) {
    return GoldenFiles.csvLines(spark.read().parquet(parquet.toString()), orderBy);
  }

  private static void assertGolden(String name, List<String> actual) throws IOException {
    GoldenFiles.assertGolden(FIXTURE.resolve(name), actual);
  }

  @Test
  void customerClassesMatchTheGoldenFile() throws IOException {
    assertGolden("expected-customers-2024-12-31.csv", lines(customers(SECOND), AbcOutput.Customers.CUSTOMER_ID));
  }

  @Test
  void migrationMatchesTheGoldenFile() throws IOException {
    assertGolden("expected-migration-2024-12-31.csv",
        lines(migration(SECOND), AbcOutput.Migration.PREVIOUS_CLASS, AbcOutput.Migration.CLASS));
  }

  @Test
  void outputsHaveTheDeclaredSchemas() {
    assertEquals(names(AbcOutput.Customers.SCHEMA.fields()),
        names(spark.read().parquet(customers(SECOND).toString()).schema().fields()));
    assertEquals(AbcOutput.Customers.SCHEMA, spark.read().parquet(customers(SECOND).toString()).schema());
    assertEquals(AbcOutput.Migration.SCHEMA, spark.read().parquet(migration(SECOND).toString()).schema());
  }

  private static List<String> names(StructField[] fields) {
    return java.util.Arrays.stream(fields).map(StructField::name).toList();
  }

  @Test
  void theFirstRunHasNoPreviousClass() {
    List<Row> rows = spark.read().parquet(customers(FIRST).toString()).collectAsList();
    assertEquals(8, rows.size(), "one row per fixture customer");
    for (Row r : rows) {
      assertNull(r.getAs(AbcOutput.Customers.PREVIOUS_CLASS), r.toString());
      assertEquals("new", r.getAs(AbcOutput.Customers.DIRECTION), r.toString());
    }
    for (Row r : spark.read().parquet(migration(FIRST).toString()).collectAsList()) {
      assertNull(r.getAs(AbcOutput.Migration.PREVIOUS_AS_OF));
      assertNull(r.getAs(AbcOutput.Migration.PREVIOUS_CLASS));
    }
  }

  @Test
  void theSecondRunComparesWithTheFirst() {
    Map<String, Row> second = spark.read().parquet(customers(SECOND).toString()).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs(AbcOutput.Customers.CUSTOMER_ID), r -> r));
    Map<String, Row> first = spark.read().parquet(customers(FIRST).toString()).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs(AbcOutput.Customers.CUSTOMER_ID), r -> r));
    for (String id : second.keySet()) {
      assertEquals((String) first.get(id).getAs(AbcOutput.Customers.CLASS),
          (String) second.get(id).getAs(AbcOutput.Customers.PREVIOUS_CLASS),
          id + ": previous class is the first run's class");
    }
    // K002's only big order (2023-12-15) leaves the 12-month window between the two runs.
    assertEquals("down", second.get("K002").getAs(AbcOutput.Customers.DIRECTION));
    assertTrue(secondConsole.contains("previous run " + FIRST), secondConsole);
    for (Row r : spark.read().parquet(migration(SECOND).toString()).collectAsList()) {
      assertEquals(java.sql.Date.valueOf(FIRST), r.getAs(AbcOutput.Migration.PREVIOUS_AS_OF));
    }
  }

  @Test
  void runningAgainForTheSameDateGivesTheSameOutputAndIgnoresItself() {
    List<String> before = lines(customers(SECOND), AbcOutput.Customers.CUSTOMER_ID);
    String console = run(config.withAsOf(SECOND), List.of(new AbcStage()));
    assertEquals(before, lines(customers(SECOND), AbcOutput.Customers.CUSTOMER_ID));
    assertTrue(console.contains("previous run " + FIRST), "the previous run is still the earlier date: " + console);
  }

  @Test
  void withoutSilverForTheDateTheStageIsSkippedWithTheReason() {
    String console = run(config.withAsOf(LocalDate.of(2024, 10, 31)), List.of(new AbcStage()));
    assertTrue(console.contains("abc                      skipped: no silver table customers (")
        && console.contains("silver/customers/as_of=2024-10-31), sales (")
        && console.contains("for as_of 2024-10-31; the ingest stage writes it"), console);
    assertTrue(Files.notExists(customers(LocalDate.of(2024, 10, 31))), "nothing written");
  }

  @Test
  void producesTwoFoldersPerDate() {
    assertEquals(List.of("abc/customers/as_of=2024-12-31", "abc/migration/as_of=2024-12-31"),
        new AbcStage().produces(config));
    assertEquals(List.of("ingest"), new AbcStage().needs());
    assertEquals("abc", new AbcStage().name());
  }
}
