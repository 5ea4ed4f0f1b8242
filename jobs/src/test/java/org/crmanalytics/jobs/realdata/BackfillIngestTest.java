package org.crmanalytics.jobs.realdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.ingest.IngestHarness;
import org.crmanalytics.jobs.ingest.IngestHarness.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backfill: the bundled sample company's export (as of 2025-12-31) read as of half a year
 * earlier. The later rows are not yet known on that date, not bad: they are counted apart, the
 * run is not stopped although they are far more than the 5 % threshold, and every row is still
 * accounted for against an independent count of the source.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class BackfillIngestTest {
  private static final LocalDate EARLIER = LocalDate.of(2025, 6, 30);
  private static final List<String> TABLES = List.of("customers", "sales", "invoices", "payments");

  private static SparkSession spark;

  @TempDir static Path out;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
  }

  private static PipelineConfig sample(LocalDate asOf, String folder) {
    PipelineConfig all = IngestHarness.load(Path.of("..", "data-samples", "mappings", "sample.yaml"));
    Map<String, PipelineConfig.TableSource> some = new LinkedHashMap<>();
    TABLES.forEach(t -> some.put(t, all.tables().get(t)));
    return all.withTables(some).withAsOf(asOf).withOutput(out.resolve(folder));
  }

  @Test
  void anEarlierAsOfCountsLaterRowsApartAndDoesNotStop() {
    PipelineConfig config = sample(EARLIER, "backfill");
    Result r = new IngestHarness(spark).run(config);
    for (String t : TABLES) {
      long read = spark.read().option("header", true)
          .csv(config.tables().get(t).path().orElseThrow()).count(); // independent of the gate
      assertEquals(read, r.read(t), t + ": read counts every line of the export");
      r.assertAccounted(t, read, r.accepted(t), r.quarantined(t), r.afterAsOf(t));
      assertTrue(r.quarantineRules(t).keySet().stream().noneMatch(rule -> rule.endsWith(".after_as_of")),
          t + ": rows after as_of are not in quarantine: " + r.quarantineRules(t));
    }
    long sales = r.read("sales");
    assertTrue(r.afterAsOf("sales") > sales * 0.05, "the test needs more than the 5 % threshold: "
        + r.afterAsOf("sales") + " of " + sales);
    assertTrue(r.afterAsOf("payments") > 0 && r.afterAsOf("invoices") > 0);
    assertFalse(r.silver("sales").agg(max(col("order_date"))).first().getDate(0).toLocalDate().isAfter(EARLIER));
    assertTrue(r.console().contains("after as_of 2025-06-30 (not yet known; left for a later run)"), r.console());
  }
}
