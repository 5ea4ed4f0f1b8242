package org.crmanalytics.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
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

  /**
   * One table of the sample with the contract's schema. Columns the contract gained later as
   * optional and the sample's file does not carry come back as typed nulls, as ingest fills them.
   */
  public static Dataset<Row> table(SparkSession spark, String table) {
    ContractTable t = Contract.table(table).orElseThrow();
    Path csv = folder().resolve(table);
    List<String> header = header(csv);
    StructType fileSchema = new StructType(header.stream()
        .map(name -> t.schema().apply(name))
        .toArray(StructField[]::new));
    Dataset<Row> rows = spark.read()
        .option("header", true).option("enforceSchema", false).option("multiLine", true).option("mode", "FAILFAST")
        .option("dateFormat", "yyyy-MM-dd").option("timestampFormat", "yyyy-MM-dd HH:mm:ss")
        .schema(fileSchema)
        .csv(csv.toString());
    return rows.select(Arrays.stream(t.schema().fields())
        .map(f -> header.contains(f.name())
            ? functions.col(f.name())
            : functions.lit(null).cast(f.dataType()).as(f.name()))
        .toArray(Column[]::new));
  }

  private static List<String> header(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      Path first = files.filter(f -> f.toString().endsWith(".csv")).sorted().findFirst()
          .orElseThrow(() -> new IllegalStateException("no CSV file in " + folder));
      String line = Files.readAllLines(first, StandardCharsets.UTF_8).get(0);
      return Arrays.stream(line.split(",")).map(String::strip).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every contract table the sample has, by name (an optional table it lacks is absent, as after ingest). */
  public static Map<String, Dataset<Row>> tables(SparkSession spark) {
    Map<String, Dataset<Row>> out = new LinkedHashMap<>();
    for (ContractTable t : Contract.TABLES) {
      if (Files.isDirectory(folder().resolve(t.name()))) {
        out.put(t.name(), table(spark, t.name()));
      } else if (t.required()) {
        throw new IllegalStateException("the sample lacks the required table " + t.name() + " in " + folder());
      }
    }
    return out;
  }

  /** Writes every table as the silver of {@code asOf} under {@code outputRoot}, as ingest would. */
  public static void writeSilver(SparkSession spark, Path outputRoot, LocalDate asOf) {
    tables(spark).forEach((name, rows) -> rows.write().mode("overwrite")
        .parquet(outputRoot.resolve("silver/" + name + "/as_of=" + asOf).toString()));
  }
}
