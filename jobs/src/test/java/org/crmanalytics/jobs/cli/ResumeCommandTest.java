package org.crmanalytics.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --resume} on the command line: the refusals come before Spark, with exit code 2. */
class ResumeCommandTest {

  private static String[] run(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    int code;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = CrmAnalytics.execute(args);
    } finally {
      System.setErr(old);
    }
    return new String[] {String.valueOf(code), err.toString(StandardCharsets.UTF_8)};
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
