package org.crmanalytics.tools.generate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.ContractTable;

/** Test helper: generates a small company and reads its tables back with the contract schema. */
final class GeneratedCompany {
  static final LocalDate END = LocalDate.of(2025, 12, 31);

  final SparkSession spark;
  final Path dir;
  final GeneratorSettings.Format format;
  final CompanyGenerator.Result result;

  private GeneratedCompany(SparkSession spark, Path dir, GeneratorSettings.Format format,
      CompanyGenerator.Result result) {
    this.spark = spark;
    this.dir = dir;
    this.format = format;
    this.result = result;
  }

  static GeneratedCompany generate(SparkSession spark, Path dir, long customers, long seed,
      GeneratorSettings.Format format, Integer partitions) {
    GeneratorSettings settings =
        new GeneratorSettings(customers, 3, seed, END, format, dir.toString(), partitions);
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    try (Console console = new Console(quiet, Console.Verbosity.QUIET)) {
      return new GeneratedCompany(spark, dir, format,
          CompanyGenerator.generate(spark, settings, console));
    }
  }

  static ContractTable contract(String table) {
    return Contract.table(table).orElseThrow();
  }

  private final Map<String, Dataset<Row>> tables = new HashMap<>();

  /**
   * An input table, read with its contract schema (CSV in FAILFAST mode: bad rows fail) and
   * cached: the tests query each table many times.
   */
  Dataset<Row> table(String name) {
    return tables.computeIfAbsent(name, n -> read(n, contract(n).schema()).cache());
  }

  Dataset<Row> truth() {
    return tables.computeIfAbsent(GroundTruth.CustomerTruth.NAME,
        n -> read(GroundTruth.FOLDER + "/" + n, GroundTruth.CustomerTruth.SCHEMA).cache());
  }

  Dataset<Row> affinity() {
    return read(GroundTruth.FOLDER + "/" + GroundTruth.IndustryAffinity.NAME,
        GroundTruth.IndustryAffinity.SCHEMA);
  }

  Dataset<Row> groupAdoption() {
    return read(GroundTruth.FOLDER + "/" + GroundTruth.GroupAdoptionTruth.NAME,
        GroundTruth.GroupAdoptionTruth.SCHEMA);
  }

  Dataset<Row> complements() {
    return read(GroundTruth.FOLDER + "/" + GroundTruth.ComplementGroups.NAME,
        GroundTruth.ComplementGroups.SCHEMA);
  }

  private Dataset<Row> read(String folder, StructType schema) {
    String path = dir.resolve(folder).toString();
    if (format == GeneratorSettings.Format.PARQUET) {
      return spark.read().parquet(path);
    }
    return spark.read()
        .schema(schema)
        .option("header", "true")
        .option("mode", "FAILFAST")
        .option("escape", "\"")
        .option("dateFormat", "yyyy-MM-dd")
        .option("timestampFormat", "yyyy-MM-dd HH:mm:ss")
        .csv(path);
  }

  /** Every file under the output folder, relative paths sorted. */
  List<Path> files() {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
