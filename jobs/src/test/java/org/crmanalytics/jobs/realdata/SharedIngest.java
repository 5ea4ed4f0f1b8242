package org.crmanalytics.jobs.realdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.ingest.IngestHarness;

/**
 * A real data set ingested once per JVM through a bundled mapping: several test classes need the
 * same silver (UCI Online Retail: its 541,909 lines take the ingest most of a minute), so the first
 * one ingests into a temporary folder that lives until the JVM exits, and the others reuse it.
 * Keyed by the mapping, which names the data set and the ingest's configuration.
 */
public final class SharedIngest {
  private static final Map<String, IngestHarness.Result> BY_MAPPING = new HashMap<>();

  private SharedIngest() {}

  /**
   * The ingest of {@code mapping} (data-samples/mappings/NAME), read through {@code spark}. Its
   * folder is shared: read it, write nothing into it.
   */
  public static synchronized IngestHarness.Result of(SparkSession spark, String mapping) {
    IngestHarness.Result done = BY_MAPPING.get(mapping);
    if (done == null) {
      Path out = temporaryFolder(mapping);
      done = new IngestHarness(spark).run(RealData.mapping(mapping, out));
      BY_MAPPING.put(mapping, done);
    }
    // The session that ingested may have been stopped since (the CLI tests stop theirs).
    return new IngestHarness.Result(spark, done.config(), done.manifest(), done.console());
  }

  /**
   * The mapping's configuration writing to {@code out}, where the shared ingest's output (silver,
   * quarantine, manifest) is copied first: {@code out} then looks as if this class had run the
   * ingest, and what the class writes next stays its own.
   */
  public static PipelineConfig copyInto(SparkSession spark, String mapping, Path out) {
    copy(of(spark, mapping).output(), out);
    return RealData.mapping(mapping, out);
  }

  private static Path temporaryFolder(String mapping) {
    try {
      Path dir = Files.createTempDirectory("shared-ingest-" + mapping.replaceAll("\\W", "-"));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copy(Path from, Path to) {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }
}
