package org.crmanalytics.jobs.io;

import static org.apache.spark.sql.functions.call_udf;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.crmanalytics.models.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A table is replaced completely or not at all, also when the write dies half-way. */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class AtomicOutputTest {
  private static SparkSession spark;
  private static AtomicOutput output;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
    output = new AtomicOutput(spark.sparkContext().hadoopConfiguration());
    // Fails on one row, after other rows of the same write have been written.
    spark.udf().register("fail_at_500", (UDF1<Long, Long>) id -> {
      if (id == 500L) {
        throw new IllegalStateException("injected failure in the middle of the write");
      }
      return id;
    }, DataTypes.LongType);
  }

  private static void writeAndCommit(Dataset<Row> rows, Path root, String name) {
    String staged = root.resolve("_staging/run/" + name).toString();
    output.stage(rows, staged);
    output.commit(staged, root.resolve(name).toString());
  }

  @Test
  void failureMidWriteKeepsThePreviousCompleteOutput(@TempDir Path root) {
    writeAndCommit(spark.range(0, 1000).toDF(), root, "silver");
    Dataset<Row> failing = spark.range(0, 1000, 1, 4).select(call_udf("fail_at_500", col("id")).as("id"));

    Exception e = assertThrows(Exception.class, () -> writeAndCommit(failing, root, "silver"));
    assertTrue(String.valueOf(rootCause(e).getMessage()).contains("injected failure"), e.toString());

    Dataset<Row> after = spark.read().parquet(root.resolve("silver").toString());
    assertEquals(1000, after.count(), "the previous output must be complete");
    assertEquals(499500L, after.agg(org.apache.spark.sql.functions.sum("id")).first().getLong(0),
        "the previous output must be unchanged");
  }

  @Test
  void failureOnFirstWriteLeavesNoOutput(@TempDir Path root) {
    Dataset<Row> failing = spark.range(0, 1000, 1, 4).select(call_udf("fail_at_500", col("id")).as("id"));
    assertThrows(Exception.class, () -> writeAndCommit(failing, root, "silver"));
    assertFalse(Files.exists(root.resolve("silver")), "no half-written table may appear");
  }

  @Test
  void commitReplacesTheWholeOutputAndLeavesNothingAside(@TempDir Path root) throws Exception {
    writeAndCommit(spark.range(0, 1000, 1, 4).toDF(), root, "silver");
    writeAndCommit(spark.range(0, 10, 1, 1).toDF(), root, "silver");
    assertEquals(10, spark.read().parquet(root.resolve("silver").toString()).count(),
        "files of the previous version must not survive");
    try (Stream<Path> s = Files.list(root)) {
      assertEquals(List.of("_staging", "silver"), s.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  /** A commit that died between its two renames left the old output aside: the next one removes it. */
  @Test
  void theNextCommitRemovesWhatACrashedCommitLeftAside(@TempDir Path root) throws Exception {
    Path aside = root.resolve(".silver.replaced-123");
    output.stage(spark.range(0, 5).toDF(), aside.toString());
    Path unrelated = root.resolve(".other.replaced-456");
    Files.createDirectories(unrelated);
    writeAndCommit(spark.range(0, 10, 1, 1).toDF(), root, "silver");
    assertFalse(Files.exists(aside), "the leftover of the crashed commit must be gone");
    assertTrue(Files.exists(unrelated), "only leftovers of the output being committed are removed");
    assertEquals(10, spark.read().parquet(root.resolve("silver").toString()).count());
  }

  @Test
  void restrictToOwnerMakesFilesPrivate(@TempDir Path root) throws Exception {
    String staged = root.resolve("q/as_of=2025-01-01").toString();
    output.stage(spark.range(0, 10).toDF(), staged);
    output.restrictToOwner(staged);
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(staged))));
    try (Stream<Path> files = Files.list(Path.of(staged))) {
      for (Path f : files.toList()) {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
      }
    }
  }

  @Test
  void writeTextIsAtomicAndReplaces(@TempDir Path root) throws Exception {
    String file = root.resolve("runs/a.json").toString();
    output.writeText(file, "{\"v\":1}");
    output.writeText(file, "{\"v\":2}");
    assertEquals("{\"v\":2}", Files.readString(Path.of(file)));
    try (Stream<Path> s = Files.list(root.resolve("runs"))) {
      assertEquals(List.of("a.json"), s.map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith(".a.json.crc")).toList());
    }
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
