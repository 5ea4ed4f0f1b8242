package org.crmanalytics.tools.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output depends on the arguments only: same seed, byte-identical files; another seed,
 * other data; another partition count, the same rows split into other files.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class GenerateDeterminismTest {
  private static final long CUSTOMERS = 200;
  private static final Pattern FILE_NAME =
      Pattern.compile("(ground_truth/)?([a-z_]+)/\\2-\\d{5}\\.csv");

  private static SparkSession spark;
  @TempDir static Path tmp;
  private static GeneratedCompany first;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
    first = GeneratedCompany.generate(spark, tmp.resolve("first"), CUSTOMERS, 7,
        GeneratorSettings.Format.CSV, null);
  }

  @Test
  void sameSeedGivesByteIdenticalFiles() throws IOException {
    GeneratedCompany again = GeneratedCompany.generate(spark, tmp.resolve("again"), CUSTOMERS, 7,
        GeneratorSettings.Format.CSV, null);
    assertEquals(first.files(), again.files());
    for (Path file : first.files()) {
      assertArrayEquals(Files.readAllBytes(first.dir.resolve(file)),
          Files.readAllBytes(again.dir.resolve(file)), file + " differs between two runs");
    }
  }

  @Test
  void filesHaveDeterministicNamesAndNoSparkMarkers() {
    List<Path> files = first.files();
    assertEquals(16, files.size(), "one file per table for a small company: " + files);
    for (Path file : files) {
      String name = file.toString().replace('\\', '/');
      assertTrue(FILE_NAME.matcher(name).matches(), "unexpected file " + name);
    }
  }

  @Test
  void anotherSeedGivesOtherData() throws IOException {
    GeneratedCompany other = GeneratedCompany.generate(spark, tmp.resolve("other"), CUSTOMERS, 8,
        GeneratorSettings.Format.CSV, null);
    for (String table : List.of("customers", "sales", "products", "activities")) {
      Path file = Path.of(table, table + "-00000.csv");
      assertFalse(
          Files.readString(first.dir.resolve(file)).equals(
              Files.readString(other.dir.resolve(file))),
          table + " is the same for seeds 7 and 8");
    }
  }

  @Test
  void partitionCountChangesFilesNotContent() throws IOException {
    GeneratedCompany split = GeneratedCompany.generate(spark, tmp.resolve("split"), CUSTOMERS, 7,
        GeneratorSettings.Format.CSV, 3);
    Map<String, Long> rows = first.result.rowsPerTable();
    assertEquals(rows, split.result.rowsPerTable());
    for (String table : rows.keySet()) {
      List<String> expected = lines(first.dir.resolve(table));
      List<String> actual = lines(split.dir.resolve(table));
      assertEquals(expected, actual, table + " differs between 1 and 3 partitions");
    }
    assertTrue(Files.exists(split.dir.resolve("sales/sales-00002.csv")),
        "3 partitions give 3 sales files");
    assertNotEquals(first.files(), split.files());
  }

  /** Data lines of all files of a table folder, in file order (headers dropped). */
  private static List<String> lines(Path folder) throws IOException {
    List<String> all = new ArrayList<>();
    try (var files = Files.list(folder)) {
      for (Path f : files.sorted().toList()) {
        List<String> fileLines = Files.readAllLines(f);
        all.addAll(fileLines.subList(1, fileLines.size()));
      }
    }
    return all;
  }
}
