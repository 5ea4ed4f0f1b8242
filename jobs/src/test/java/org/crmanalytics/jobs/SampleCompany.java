package org.crmanalytics.jobs;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.realdata.RealData;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.ContractTable;

/**
 * The bundled sample company (data-samples/company, as of 2025-12-31). Its files already follow
 * the data contract, so tests that are about a later stage read them with the contract's schemas
 * directly instead of running the quality gate first.
 */
public final class SampleCompany {
  /** The as_of of data-samples/mappings/sample.yaml. */
  public static final LocalDate AS_OF = LocalDate.of(2025, 12, 31);

  private SampleCompany() {}

  public static Path folder() {
    return RealData.projectRoot().resolve("data-samples/company");
  }

  public static Dataset<Row> table(SparkSession spark, String table) {
    ContractTable t = Contract.table(table).orElseThrow();
    return spark.read()
        .option("header", true).option("enforceSchema", false).option("multiLine", true).option("mode", "FAILFAST")
        .option("dateFormat", "yyyy-MM-dd").option("timestampFormat", "yyyy-MM-dd HH:mm:ss")
        .schema(t.schema())
        .csv(folder().resolve(table).toString());
  }

  /** Every contract table of the sample, by name. */
  public static Map<String, Dataset<Row>> tables(SparkSession spark) {
    Map<String, Dataset<Row>> out = new LinkedHashMap<>();
    for (ContractTable t : Contract.TABLES) {
      out.put(t.name(), table(spark, t.name()));
    }
    return out;
  }

  /** Writes every table as the silver of {@code asOf} under {@code outputRoot}, as ingest would. */
  public static void writeSilver(SparkSession spark, Path outputRoot, LocalDate asOf) {
    tables(spark).forEach((name, rows) -> rows.write().mode("overwrite")
        .parquet(outputRoot.resolve("silver/" + name + "/as_of=" + asOf).toString()));
  }
}
