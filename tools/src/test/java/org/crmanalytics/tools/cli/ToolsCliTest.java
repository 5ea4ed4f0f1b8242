package org.crmanalytics.tools.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.crmanalytics.jobs.cli.CrmAnalytics;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With the tools jar on the classpath, {@code crm-analytics} offers generate and demo-db (found
 * with ServiceLoader), after the pipeline's commands and before help; their errors are the CLI's.
 */
@Tag("unit")
class ToolsCliTest {
  record Result(int code, String out, String err) {}

  static Result cli(String... args) {
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

  @Test
  void theToolCommandsComeAfterThePipelinesAndBeforeHelp() {
    List<String> names = List.copyOf(CrmAnalytics.commandLine().getSubcommands().keySet());
    assertTrue(names.containsAll(List.of("run", "generate", "demo-db", "grade-oracle")), names.toString());
    assertEquals(List.of("generate", "demo-db", "grade-oracle", "grade-cross-sell-oracle", "help"),
        names.subList(names.size() - 5, names.size()),
        names.toString());
    Result help = cli("--help");
    assertEquals(0, help.code(), help.err());
    assertTrue(help.out().matches("(?s).*\n  generate .*\n  demo-db .*\n  grade-oracle .*\n  grade-cross-sell-oracle .*\n  help .*"), help.out());
    assertFalse(help.err().contains("picocli WARN"), "a description picocli cannot format: " + help.err());
  }

  @Test
  void everyToolCommandHasHelp() {
    for (List<String> command : List.of(List.of("generate"), List.of("demo-db"), List.of("demo-db", "load"),
        List.of("grade-oracle"))) {
      String name = String.join(" ", command);
      Result r = cli(java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of("--help"))
          .toArray(String[]::new));
      assertEquals(0, r.code(), name + " --help: " + r.err());
      assertTrue(r.out().contains("Usage: crm-analytics " + name), name + " --help printed: " + r.out());
      assertFalse(r.err().contains("picocli WARN"), name + " --help: " + r.err());
    }
  }

  @Test
  void badArgumentsGiveOneLineBeforeSparkStarts(@TempDir Path dir) {
    Result format = cli("generate", "--customers", "10", "--format", "xml", "--out", dir.resolve("c").toString());
    assertEquals(2, format.code(), format.out() + format.err());
    assertTrue(format.err().contains("ERROR: --format must be csv or parquet, not 'xml'"), format.err());
    assertTrue(Files.notExists(dir.resolve("c")), "nothing is written");

    Result noAction = cli("demo-db");
    assertEquals(2, noAction.code(), noAction.out() + noAction.err());
    assertTrue(noAction.err().contains("name what to do: demo-db load"), noAction.err());
  }
}
