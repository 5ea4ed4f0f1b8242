package org.crmanalytics.jobs.cluster;

import org.crmanalytics.jobs.cli.Pipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.ingest.IngestStage;
import org.crmanalytics.jobs.runner.PipelineRunner;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The same ingest on a real multi-process cluster ({@link LocalCluster}) gives exactly the rows and
 * counts of local mode: nothing in the gate relies on the driver seeing the data.
 */
@Tag("spark")
@Tag("cluster")
@ExtendWith(LocalCluster.class)
class LocalClusterIngestTest {

  /** The local-mode half, run by {@link LocalCluster} before the cluster starts. */
  record LocalRun(Path dir, PipelineConfig cluster) {}

  static LocalRun runLocal(SparkSession spark, Path dir) throws Exception {
    Path config = writeCompany(dir);
    PipelineConfig local = Pipeline.configLoader(Map.of()).load(config).withOutput(dir.resolve("out-local"));
    run(spark, local);
    return new LocalRun(dir, local.withOutput(dir.resolve("out-cluster")));
  }

  @Test
  @org.junit.jupiter.api.Timeout(300)
  void clusterIngestEqualsLocalIngest() throws Exception {
    SparkSession clusterSpark = LocalCluster.session();
    Path dir = LocalCluster.localRuns().ingest().dir();
    PipelineConfig cluster = LocalCluster.localRuns().ingest().cluster();
    run(clusterSpark, cluster);
    for (String table : List.of("customers", "sales")) {
      Dataset<Row> a = clusterSpark.read().parquet(dir.resolve("out-local/silver/" + table).toString());
      Dataset<Row> b = clusterSpark.read().parquet(dir.resolve("out-cluster/silver/" + table).toString());
      assertEquals(a.count(), b.count(), table + " row count");
      assertEquals(0, a.except(b).count(), table + ": rows only in the local result");
      assertEquals(0, b.except(a).count(), table + ": rows only in the cluster result");
      Dataset<Row> qa = clusterSpark.read().parquet(dir.resolve("out-local/quarantine/" + table).toString())
          .select("rule", "key");
      Dataset<Row> qb = clusterSpark.read().parquet(dir.resolve("out-cluster/quarantine/" + table).toString())
          .select("rule", "key");
      assertEquals(0, qa.except(qb).count() + qb.except(qa).count(), table + " quarantine differs");
    }
    JsonNode m = manifest(dir.resolve("out-cluster"));
    assertEquals(1000, m.at("/tables/sales/read").asLong());
    assertEquals(m.at("/tables/sales/read").asLong(),
        m.at("/tables/sales/accepted").asLong() + m.at("/tables/sales/quarantined").asLong());
    assertEquals(10, m.at("/tables/sales/rules/sales.customer_id.reference").asLong());
    assertEquals(5, m.at("/tables/sales/rules/sales.duplicate_key").asLong());
  }

  private static void run(SparkSession spark, PipelineConfig config) {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    try (Console console = new Console(quiet, Console.Verbosity.QUIET)) {
      new PipelineRunner(console).run(spark, config, List.of(new IngestStage()), "ingest");
    }
  }

  private static JsonNode manifest(Path out) throws Exception {
    try (var files = Files.list(out.resolve("runs"))) {
      Path f = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
      return new ObjectMapper().readTree(f.toFile());
    }
  }

  /** 100 customers; 1000 sales lines, of which 10 reference unknown customers and 5 repeat a key. */
  private static Path writeCompany(Path dir) throws Exception {
    StringBuilder customers = new StringBuilder("customer_id,name,region\n");
    for (int i = 0; i < 100; i++) {
      customers.append("K").append(i).append(",Firma ").append(i).append(",Bayern\n");
    }
    StringBuilder sales = new StringBuilder("order_id,line_no,customer_id,order_date,net_amount\n");
    for (int i = 0; i < 985; i++) {
      sales.append("A").append(i / 3).append(',').append(i % 3 + 1).append(",K").append(i % 100)
          .append(",2025-0").append(i % 9 + 1).append("-15,").append(i).append(".50\n");
    }
    for (int i = 0; i < 10; i++) {
      sales.append("B").append(i).append(",1,X").append(i).append(",2025-03-01,10.00\n");
    }
    for (int i = 0; i < 5; i++) {
      sales.append("A").append(i).append(",1,K1,2025-03-01,99.00\n"); // same key as an earlier line
    }
    Files.createDirectories(dir.resolve("in"));
    Files.writeString(dir.resolve("in/customers.csv"), customers);
    Files.writeString(dir.resolve("in/sales.csv"), sales);
    Path config = dir.resolve("company.yaml");
    Files.writeString(config, """
        as_of: 2025-12-31
        tables:
          customers: {path: in/customers.csv}
          sales: {path: in/sales.csv}
        """);
    return config;
  }
}
