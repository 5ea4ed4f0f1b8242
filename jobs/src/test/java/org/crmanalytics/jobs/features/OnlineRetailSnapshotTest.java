package org.crmanalytics.jobs.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.realdata.RealData;
import org.crmanalytics.jobs.realdata.SharedIngest;
import org.crmanalytics.jobs.runner.PipelineRunner;
import org.crmanalytics.models.features.CustomerSnapshot.Settings;
import org.crmanalytics.models.features.CustomerSnapshot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot of the real UCI Online Retail file (UCI Machine Learning Repository data set 352,
 * CC BY 4.0), ingested through data-samples/mappings/online-retail.yaml, against DuckDB's RFM on the
 * same silver Parquet: at the file's as_of and at an earlier date from the same silver. The data set
 * lives in ../shared/datasets (or $CRM_DATASETS); absent, the tests are skipped, except on CI.
 */
@Tag("spark")
@Tag("realdata")
@ExtendWith(SharedSpark.class)
class OnlineRetailSnapshotTest {
  private static final String FILE = "online-retail/online_retail_2010-2011.csv.gz";
  private static final String SOURCE = "UCI Online Retail (UCI Machine Learning Repository, data set 352)";

  private static SparkSession spark;
  private static PipelineConfig config;
  private static Path file;

  @TempDir static Path out;

  @BeforeAll
  static void ingestAndSnapshot(SparkSession session) {
    file = RealData.find(FILE, SOURCE);
    if (file == null) {
      return;
    }
    spark = session;
    config = SharedIngest.copyInto(spark, "online-retail.yaml", out);
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(captured, true, StandardCharsets.UTF_8);
        Console console = new Console(ps, Console.Verbosity.NORMAL)) {
      new PipelineRunner(console).run(spark, config, List.of(new FeaturesStage()), "features");
    }
    System.out.println(captured.toString(StandardCharsets.UTF_8));
  }

  @BeforeEach
  void needsTheDataSet() {
    RealData.assumePresent(file, FILE, SOURCE);
  }

  private static Path silver(String table) {
    return out.resolve("silver/" + table + "/as_of=" + config.asOf());
  }

  @Test
  void duckDbAgreesAtTheAsOfDate() throws SQLException {
    DuckDbSnapshotCheck.Outcome o = DuckDbSnapshotCheck.compare(silver("customers"), silver("sales"),
        out.resolve("snapshot/as_of=2011-12-09"), LocalDate.of(2011, 12, 9), Settings.DEFAULTS.windowsDays());
    System.out.println("online retail cross-check at 2011-12-09: " + o);
    assertEquals(4_372, o.snapshotRows(), "one row per CustomerID of the file");
    assertEquals(o.expectedRows(), o.snapshotRows());
    assertEquals(0, o.mismatches(), "customers where DuckDB and the snapshot differ (DuckDB/snapshot): " + o.examples());
    assertTrue(o.customersWithOrders12m() > 4_000, o.toString());
    assertTrue(o.revenue12m().compareTo(new BigDecimal("7000000")) > 0, "the file's net revenue with a customer is about 8.3 M: " + o);
  }

  /** A training snapshot: an earlier date computed from the same silver sees only what was known then. */
  @Test
  void duckDbAgreesAtAnEarlierDateFromTheSameSilver() throws SQLException {
    LocalDate earlier = LocalDate.of(2011, 6, 30);
    Settings windows = new Settings(List.of(30, 90, 180), List.of(90));
    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    for (String t : config.tables().keySet()) {
      tables.put(t, spark.read().parquet(silver(t).toString()));
    }
    Path early = out.resolve("early-snapshot");
    CustomerSnapshot.transform(tables, earlier, windows).write().parquet(early.toString());
    DuckDbSnapshotCheck.Outcome o = DuckDbSnapshotCheck.compare(silver("customers"), silver("sales"), early, earlier,
        windows.windowsDays());
    System.out.println("online retail cross-check at 2011-06-30: " + o);
    assertTrue(o.snapshotRows() > 2_000 && o.snapshotRows() < 4_372,
        "only customers whose first invoice was by 2011-06-30: " + o);
    assertEquals(o.expectedRows(), o.snapshotRows());
    assertEquals(0, o.mismatches(), "customers where DuckDB and the snapshot differ (DuckDB/snapshot): " + o.examples());
    assertTrue(o.customersWithOrders12m() > 2_000, o.toString());
  }

  @Test
  void tablesTheMappingDoesNotHaveGiveNullFeatures() {
    Dataset<Row> snapshot = spark.read().parquet(out.resolve("snapshot/as_of=2011-12-09").toString());
    for (String c : List.of(CustomerSnapshot.OPEN_OFFERS, CustomerSnapshot.visits(90), CustomerSnapshot.OPEN_COMPLAINTS,
        CustomerSnapshot.OPEN_RECEIVABLES, CustomerSnapshot.MAX_DUNNING_LEVEL_12M, CustomerSnapshot.CAMPAIGN_RESPONSES_12M,
        CustomerSnapshot.CREDIT_LIMIT_UTILISATION)) {
      assertEquals(0, snapshot.filter(snapshot.col(c).isNotNull()).count(), c + " must be null: no such data");
    }
    assertTrue(snapshot.filter(snapshot.col(CustomerSnapshot.PRODUCT_GROUP_COUNT_12M).gt(0)).count() > 4_000,
        "the mapping has products with groups");
    assertTrue(snapshot.filter(snapshot.col(CustomerSnapshot.RETURN_SHARE_12M).gt(0)).count() > 1_000,
        "cancellations are return lines");
  }
}
