package org.crmanalytics.jobs.ingest;

import org.crmanalytics.jobs.cli.Pipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.runner.PipelineRunner;

/**
 * Runs the ingest stage on fixture files in a shared session, the way the CLI does (config file
 * loaded and checked, {@link PipelineRunner} with a captured {@link Console}), and reads back what
 * it wrote: the manifest, silver and quarantine.
 */
public final class IngestHarness {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SparkSession spark;

  public IngestHarness(SparkSession spark) {
    this.spark = spark;
  }

  public static Path write(Path file, String text) {
    return write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  public static Path write(Path file, String text, Charset charset) {
    return write(file, text.getBytes(charset));
  }

  public static Path write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code dir/config.yaml}; relative paths in it resolve against {@code dir}. */
  public static Path config(Path dir, String yaml) {
    return write(dir.resolve("config.yaml"), yaml);
  }

  public static PipelineConfig load(Path configFile) {
    return Pipeline.configLoader(Map.of()).load(configFile);
  }

  /** Runs ingest and expects it to succeed. */
  public Result run(Path configFile) {
    return run(load(configFile));
  }

  public Result run(PipelineConfig config) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (PrintStream ps = new PrintStream(captured, true, StandardCharsets.UTF_8);
        Console console = new Console(ps, Console.Verbosity.VERBOSE)) {
      String manifest = new PipelineRunner(console).run(spark, config, List.of(new IngestStage()), "ingest");
      return new Result(spark, config, readJson(Path.of(java.net.URI.create(manifest))),
          captured.toString(StandardCharsets.UTF_8));
    }
  }

  /** Runs ingest and expects a {@link UserError}; the manifest of the failed run is read if written. */
  public Failure fail(Path configFile) {
    return fail(load(configFile));
  }

  public Failure fail(PipelineConfig config) {
    Path runs = Path.of(config.output()).resolve("runs");
    List<Path> before = Files.isDirectory(runs) ? list(runs) : List.of();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    UserError error;
    try (PrintStream ps = new PrintStream(captured, true, StandardCharsets.UTF_8);
        Console console = new Console(ps, Console.Verbosity.VERBOSE)) {
      error = assertThrows(UserError.class,
          () -> new PipelineRunner(console).run(spark, config, List.of(new IngestStage()), "ingest"));
    }
    JsonNode manifest = null;
    if (Files.isDirectory(runs)) {
      List<Path> files = list(runs).stream()
          .filter(p -> p.toString().endsWith(".json") && !before.contains(p)).toList();
      assertEquals(1, files.size(), "one new manifest per run in " + runs + ": " + files);
      manifest = readJson(files.get(0));
    }
    return new Failure(error, manifest, captured.toString(StandardCharsets.UTF_8),
        new Result(spark, config, manifest, captured.toString(StandardCharsets.UTF_8)));
  }

  /** A failed run: the error, the manifest (null when none was written) and the console text. */
  public record Failure(UserError error, JsonNode manifest, String console, Result outputs) {
    public String message() {
      return error.getMessage();
    }
  }

  /** What a run left behind. */
  public record Result(SparkSession spark, PipelineConfig config, JsonNode manifest, String console) {
    public Path output() {
      return Path.of(config.output());
    }

    public JsonNode table(String table) {
      assertNotNull(manifest, "no manifest written");
      JsonNode t = manifest.path("tables").get(table);
      assertNotNull(t, "manifest has no table " + table + ": " + manifest.path("tables"));
      return t;
    }

    public long read(String table) {
      return integer(table, "read");
    }

    public long accepted(String table) {
      return integer(table, "accepted");
    }

    public long quarantined(String table) {
      return integer(table, "quarantined");
    }

    private long integer(String table, String field) {
      JsonNode n = table(table).get(field);
      assertTrue(n != null && n.isIntegralNumber(), table + "." + field + " must be an integer: " + n);
      return n.longValue();
    }

    /** Error rules that rejected at least one row, by rule id (from the manifest). */
    public Map<String, Long> rejectedByRule(String table) {
      return nonZero(table(table).get("rules"));
    }

    /** Warning rules that at least one kept row breaks (from the manifest). */
    public Map<String, Long> warnings(String table) {
      return nonZero(table(table).get("warnings"));
    }

    private static Map<String, Long> nonZero(JsonNode counts) {
      Map<String, Long> out = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = counts.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        assertTrue(e.getValue().isIntegralNumber(), e.getKey() + " must count with an integer: " + e.getValue());
        if (e.getValue().longValue() != 0) {
          out.put(e.getKey(), e.getValue().longValue());
        }
      }
      return out;
    }

    public Path silverPath(String table) {
      return output().resolve("silver/" + table + "/as_of=" + config.asOf());
    }

    public Path quarantinePath(String table) {
      return output().resolve("quarantine/" + table + "/as_of=" + config.asOf());
    }

    public Dataset<Row> silver(String table) {
      return spark.read().parquet(silverPath(table).toString());
    }

    public Dataset<Row> quarantine(String table) {
      return spark.read().parquet(quarantinePath(table).toString());
    }

    /** Rules of the quarantine file, by rule id (from the data itself). */
    public Map<String, Long> quarantineRules(String table) {
      Map<String, Long> out = new TreeMap<>();
      for (Row r : quarantine(table).groupBy("rule").count().collectAsList()) {
        out.put(r.getString(0), r.getLong(1));
      }
      return out;
    }

    /** Values of one column of silver, ordered by {@code orderBy}, as strings ("null" for null). */
    public List<String> silverValues(String table, String column, String orderBy) {
      List<String> out = new ArrayList<>();
      for (Row r : silver(table).orderBy(orderBy).select(column).collectAsList()) {
        out.add(String.valueOf(r.get(0)));
      }
      return out;
    }

    public long afterAsOf(String table) {
      return integer(table, "after_as_of");
    }

    /** Every row of a table is accounted for: manifest, silver and quarantine agree. */
    public void assertAccounted(String table, long read, long accepted, long quarantined) {
      assertAccounted(table, read, accepted, quarantined, 0);
    }

    /** As above, with rows dated after as_of (counted, in neither silver nor quarantine). */
    public void assertAccounted(String table, long read, long accepted, long quarantined, long afterAsOf) {
      assertEquals(read, read(table), table + ": read in the manifest");
      assertEquals(accepted, accepted(table), table + ": accepted in the manifest");
      assertEquals(quarantined, quarantined(table), table + ": quarantined in the manifest");
      assertEquals(afterAsOf, afterAsOf(table), table + ": after_as_of in the manifest");
      assertEquals(read, accepted(table) + quarantined(table) + afterAsOf(table),
          table + ": read = accepted + quarantined + after_as_of");
      assertEquals(accepted, silver(table).count(), table + ": rows in silver");
      assertEquals(quarantined, quarantine(table).count(), table + ": rows in quarantine");
    }
  }

  public static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
