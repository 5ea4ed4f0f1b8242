package org.crmanalytics.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The tools packages stand on floors like those of jobs and models (jobs' PackageLayersTest): the
 * generator and the demo database at the bottom, the commands that run them on top. tools uses
 * jobs and models freely; jobs never uses tools (Maven would not build it, and a class name in a
 * string would only fail at run time).
 */
@Tag("unit")
class PackageLayersTest {
  private static final Map<String, Integer> TOOLS = Map.ofEntries(
      Map.entry("generate", 0), Map.entry("demodb", 0), Map.entry("bench", 1),
      Map.entry("cli", 2));

  @Test
  void toolsReachOnlyDown() throws IOException {
    assertEquals(List.of(), org.crmanalytics.jobs.PackageLayersTest.violations(
        Path.of("src/main/java/org/crmanalytics/tools"), "org.crmanalytics.tools", TOOLS));
  }

  @Test
  void jobsAndModelsNeverNameTools() throws IOException {
    List<String> found = new ArrayList<>();
    for (String module : List.of("../jobs/src/main", "../models/src/main")) {
      try (Stream<Path> files = Files.walk(Path.of(module))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java") || p.toString().contains("META-INF")).toList()) {
          if (Files.readString(f).contains("org.crmanalytics.tools")) {
            found.add(f.toString());
          }
        }
      }
    }
    assertEquals(List.of(), found, "the production jar must work without the tools jar");
  }
}
