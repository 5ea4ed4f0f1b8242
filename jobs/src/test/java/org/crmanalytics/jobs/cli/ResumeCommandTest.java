package org.crmanalytics.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crmanalytics.models.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --resume} on the command line: the refusals come before Spark, with exit code 2; a
 * partial run exits with 3 and says how to finish it.
 */
@Tag("spark")
class ResumeCommandTest {

  @BeforeAll
  static void ownSession() {
    SharedSpark.release(); // the command starts and stops a session of its own, as on the command line
  }

  /** Exit code, stderr and stdout of one command line. */
  private static String[] run(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream oldErr = System.err;
    PrintStream oldOut = System.out;
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code = CrmAnalytics.execute(args);
    } finally {
      System.setErr(oldErr);
      System.setOut(oldOut);
    }
    return new String[] {String.valueOf(code), err.toString(StandardCharsets.UTF_8), out.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void aPartialRunExitsWithThreeNamesWhatIsMissingAndResumes(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("c.yaml");
    Files.writeString(config, "as_of: 2025-12-31\ntables: {customers: {path: c.csv}, sales: {path: s.csv}}\n");
    String out = dir.resolve("out").toString();
    // No silver tables for this as_of: abc is skipped, the run is partial.
    String[] partial = run("run", "--config", config.toString(), "--out", out, "--stages", "abc");
    String printed = partial[1] + partial[2];
    assertEquals("3", partial[0], printed);
    Matcher id = Pattern.compile("run (\\d{8}T\\d{6}-[0-9a-f]{4}) partial after ").matcher(printed);
    assertTrue(id.find(), printed);
    assertTrue(printed.contains("  abc          skipped: no silver table customers"), printed);
    assertTrue(printed.contains("to finish it after fixing the cause: bin/crm-analytics run --resume " + id.group(1)),
        printed);
    String manifest = Files.readString(dir.resolve("out/runs/" + id.group(1) + ".json"));
    assertTrue(manifest.contains("\"status\" : \"partial\""), manifest);

    // The resume runs abc again; still skipped, and a scheduler's task maps partial to 0.
    String[] resumed = run("run", "--config", config.toString(), "--out", out, "--resume", id.group(1),
        "--partial-exit-code", "0");
    assertEquals("0", resumed[0], resumed[1] + resumed[2]);
    assertTrue((resumed[1] + resumed[2]).contains("resuming run " + id.group(1)), resumed[1] + resumed[2]);
  }

  @Test
  void resumeRefusesStagesAnUnknownRunAndAnotherDate(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("c.yaml");
    Files.writeString(config, "as_of: 2025-12-31\ntables: {customers: {path: c.csv}, sales: {path: s.csv}}\n");
    String out = dir.resolve("out").toString();

    String[] withStages = run("run", "--config", config.toString(), "--out", out, "--resume", "20251231T020000-1a2b",
        "--stages", "abc");
    assertEquals("2", withStages[0], withStages[1]);
    assertTrue(withStages[1].contains("--resume runs the stages that run 20251231T020000-1a2b planned; leave out --stages"),
        withStages[1]);

    String[] unknown = run("run", "--config", config.toString(), "--out", out, "--resume", "20251231T020000-1a2b");
    assertEquals("2", unknown[0], unknown[1]);
    assertTrue(unknown[1].contains("--resume: no run 20251231T020000-1a2b under " + out), unknown[1]);

    Files.createDirectories(dir.resolve("out/runs"));
    Files.writeString(dir.resolve("out/runs/20251231T020000-1a2b.json"), """
        {"run_id": "20251231T020000-1a2b", "as_of": "2025-12-30", "status": "failed", "planned": ["ingest"],
         "stages": [{"stage": "ingest", "status": "failed"}]}
        """);
    String[] otherDate = run("run", "--config", config.toString(), "--out", out, "--resume", "20251231T020000-1a2b");
    assertEquals("2", otherDate[0], otherDate[1]);
    assertTrue(otherDate[1].contains("run 20251231T020000-1a2b was for as_of 2025-12-30, this one is for 2025-12-31; "
        + "resume with --as-of 2025-12-30"), otherDate[1]);
  }
}
