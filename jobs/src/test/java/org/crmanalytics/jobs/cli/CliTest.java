package org.crmanalytics.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user meets it: help everywhere, plan without Spark, readable errors. */
@Tag("unit")
class CliTest {

  /** Runs the CLI, capturing what it prints; returns exit code and output. */
  private static Result cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = CrmAnalytics.execute(args);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private record Result(int code, String out, String err) {}

  @Test
  void everyCommandHasHelp() {
    CommandLine root = CrmAnalytics.commandLine();
    assertTrue(root.getSubcommands().keySet().containsAll(java.util.List.of("ingest", "run", "plan")),
        root.getSubcommands().keySet().toString());
    for (String name : root.getSubcommands().keySet()) {
      if (name.equals("help")) {
        continue;
      }
      Result r = cli(name, "--help");
      assertEquals(0, r.code(), name + " --help: " + r.err());
      assertTrue(r.out().contains("Usage: crm-analytics " + name), name + " --help printed: " + r.out());
    }
  }

  @Test
  void theToolCommandsNameTheToolsJarWhenItIsMissing() {
    // The tools jar is not on the jobs module's test classpath, as on a cluster without --jars.
    for (String name : java.util.List.of("generate", "demo-db")) {
      Result r = cli(name, "--out", "/nowhere");
      assertEquals(2, r.code(), r.out() + r.err());
      assertTrue(r.err().contains("ERROR: " + name + " comes with the tools jar, which is not on the classpath"),
          r.err());
    }
  }

  @Test
  void planShowsTablesAndStagesWithoutSpark(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("c.yaml");
    Files.writeString(config, """
        as_of: 2025-06-30
        tables:
          customers: {path: customers.csv}
          sales: {format: parquet, path: sales/}
        """);
    Files.writeString(dir.resolve("customers.csv"), "customer_id,name\n");
    Files.createDirectories(dir.resolve("sales"));
    Result r = cli("plan", "--config", config.toString(), "--out", dir.resolve("o").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("as_of   2025-06-30"), r.out());
    assertTrue(r.out().contains("customers         csv " + dir.resolve("customers.csv")), r.out());
    assertTrue(r.out().contains("tickets           absent"), r.out());
    assertTrue(r.out().contains("1. ingest"), r.out());
    assertTrue(r.out().contains("writes silver/sales/as_of=2025-06-30"), r.out());
  }

  /** Found by plan, and by run before Spark starts: one line, exit 2, no stack trace, no manifest. */
  @Test
  void aMissingSourceFileOrAnUnwritableOutputIsOneLineInPlanAndRun(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("c.yaml");
    Files.writeString(config, "as_of: 2025-06-30\ntables: {customers: {path: c.csv}, sales: {path: s.csv}}\n");
    Files.writeString(dir.resolve("c.csv"), "customer_id\n");
    for (String command : List.of("plan", "run")) {
      Result r = cli(command, "--config", config.toString(), "--out", dir.resolve("o").toString());
      assertEquals(2, r.code(), command + ": " + r.out() + r.err());
      assertEquals("ERROR: tables.sales.path: nothing found at " + dir.resolve("s.csv") + "; check the path (relative "
          + "paths are relative to the config file's folder)\n", r.err(), command);
      assertFalse(Files.exists(dir.resolve("o")), command + " wrote nothing");
    }
    Files.writeString(dir.resolve("s.csv"), "order_id\n");
    Files.writeString(dir.resolve("a-file"), "");
    for (String command : List.of("plan", "run")) {
      Result r = cli(command, "--config", config.toString(), "--out", dir.resolve("a-file/out").toString());
      assertEquals(2, r.code(), command + ": " + r.out() + r.err());
      assertTrue(r.err().startsWith("ERROR: output " + dir.resolve("a-file/out") + " cannot be written: "
          + dir.resolve("a-file") + " is a file, not a folder; choose another folder"), command + ": " + r.err());
      assertEquals(1, r.err().lines().count(), command + ": " + r.err());
    }
    // Linux's /proc passes the permission check for root but takes no file: the probe write finds out.
    Path proc = Path.of("/proc/crm-analytics-test/out");
    if (Files.isDirectory(proc.getParent().getParent())) {
      for (String command : List.of("plan", "run")) {
        Result r = cli(command, "--config", config.toString(), "--out", proc.toString());
        assertEquals(2, r.code(), command + ": " + r.out() + r.err());
        assertTrue(r.err().startsWith("ERROR: output " + proc + " cannot be written: the folder cannot be created: "),
            command + ": " + r.err());
        assertEquals(1, r.err().lines().count(), command + ": " + r.err());
      }
    }
  }

  @Test
  void anAsOfInTheFutureIsRefusedByPlanAndRunBeforeSpark(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("c.yaml");
    Files.writeString(config, "tables: {customers: {path: c.csv}, sales: {path: s.csv}}\n");
    Files.writeString(dir.resolve("c.csv"), "customer_id\n");
    Files.writeString(dir.resolve("s.csv"), "order_id\n");
    java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
    for (String command : List.of("plan", "run")) {
      Result r = cli(command, "--config", config.toString(), "--as-of", "2099-01-01", "--out", dir.resolve("o").toString());
      assertEquals(2, r.code(), command + ": " + r.out() + r.err());
      assertEquals("ERROR: as_of 2099-01-01 lies in the future (today is " + today + "): nothing after today is known "
          + "yet. Give --as-of " + today + " or earlier, or leave it out (the default is today)\n", r.err(), command);
      assertFalse(Files.exists(dir.resolve("o")), command + " wrote nothing");
    }
    Result tomorrow = cli("plan", "--config", config.toString(), "--as-of", today.plusDays(1).toString());
    assertEquals(0, tomorrow.code(), "a day of slack for time zones: " + tomorrow.err());
  }

  @Test
  void asOfOnTheCommandLineWinsOverTheConfig(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("c.yaml");
    Files.writeString(config, "as_of: 2025-06-30\ntables: {customers: {path: c.csv}, sales: {path: s.csv}}\n");
    Files.writeString(dir.resolve("c.csv"), "customer_id\n");
    Files.writeString(dir.resolve("s.csv"), "order_id\n");
    Result r = cli("plan", "--config", config.toString(), "--as-of", "2024-01-31", "--out", dir.resolve("o").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("as_of   2024-01-31"), r.out());
    Result bad = cli("plan", "--config", config.toString(), "--as-of", "31.01.2024");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--as-of: expected a date like 2025-12-31, found '31.01.2024'"), bad.err());
  }

  @Test
  void configErrorNamesTheKeyAndExitsWithTwo(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, """
        tables:
          customers: {path: c.csv}
          sales: {path: s.csv, csv: {delimeter: ";"}}
        """);
    Result r = cli("ingest", "--config", config.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("tables.sales.csv.delimeter: unknown key (did you mean 'delimiter'?)"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r.err());
  }

  @Test
  void missingConfigFileIsAUserError(@TempDir Path dir) {
    Result r = cli("plan", "--config", dir.resolve("nope.yaml").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("configuration file not found"), r.err());
  }

  @Test
  void unknownStageIsAUserError(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("c.yaml");
    Files.writeString(config, "tables: {customers: {path: c.csv}, sales: {path: s.csv}}\n");
    Result r = cli("plan", "--config", config.toString(), "--stages", "nonsense");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("unknown stage 'nonsense'; stages are ingest"), r.err());
  }
}
