package org.crmanalytics.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The packages of both modules stand on floors, and code only reaches down: a package may use
 * packages on lower floors, never one on its own floor or above. That rules out package cycles by
 * construction. A reference is any mention of another package of ours in a source file (import or
 * fully qualified name). A new package must be given a floor here (tools: in its own
 * PackageLayersTest, which calls {@link #violations}).
 */
@Tag("unit")
public class PackageLayersTest {
  /**
   * jobs: errors and console at the bottom, then config and Spark, the output catalogue and I/O,
   * the runner and the quality gate, the stages (which know none of each other: they share the
   * catalogue's outputs and the typed settings), the program.
   */
  private static final Map<String, Integer> JOBS = Map.ofEntries(
      Map.entry("base", 0),
      Map.entry("config", 1), Map.entry("spark", 1),
      Map.entry("io", 2),
      Map.entry("runner", 3), Map.entry("quality", 3),
      Map.entry("ingest", 4), Map.entry("features", 4), Map.entry("abc", 4), Map.entry("kpis", 4),
      Map.entry("clv", 4), Map.entry("writeback", 4), Map.entry("scorecard", 4), Map.entry("classify", 4),
      Map.entry("scores", 4),
      Map.entry("churn", 5), Map.entry("paymentrisk", 5), Map.entry("crosssell", 5),
      Map.entry("cli", 6));

  /**
   * models: Spark's internal API (behind one class, used by any floor), the contract, then shared
   * outputs and evaluation, the models, what combines them.
   */
  private static final Map<String, Integer> MODELS = Map.ofEntries(
      Map.entry("spark", -1),
      Map.entry("contract", 0),
      Map.entry("payments", 1), Map.entry("scores", 1), Map.entry("evaluation", 1),
      Map.entry("features", 2), Map.entry("kpis", 2), Map.entry("btyd", 2), Map.entry("abc", 2),
      Map.entry("classify", 3), Map.entry("explain", 3),
      Map.entry("churn", 4), Map.entry("paymentrisk", 4), Map.entry("crosssell", 4));

  @Test
  void jobsReachOnlyDown() throws IOException {
    assertEquals(List.of(), violations(Path.of("src/main/java/org/crmanalytics/jobs"), "org.crmanalytics.jobs", JOBS));
  }

  @Test
  void modelsReachOnlyDown() throws IOException {
    assertEquals(List.of(),
        violations(Path.of("../models/src/main/java/org/crmanalytics/models"), "org.crmanalytics.models", MODELS));
  }

  @Test
  void modelsNeverUseJobs() throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("../models/src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        if (Files.readString(f).contains("org.crmanalytics.jobs")) {
          found.add(f.toString());
        }
      }
    }
    assertEquals(List.of(), found, "models is the math; jobs uses it, never the other way round");
  }

  /** The check must see a violation: one written here, read as if it were a source file. */
  @Test
  void aReferenceUpwardIsFound() {
    List<String> found = new ArrayList<>();
    check("runner", "import org.crmanalytics.jobs.cli.Pipeline;\nclass X { org.crmanalytics.jobs.abc.AbcStage s; }",
        "org.crmanalytics.jobs", JOBS, "X.java", found);
    assertEquals(2, found.size(), found::toString);
    assertTrue(found.get(0).contains("runner (floor 3) uses abc (floor 4)"), found::toString);
    assertTrue(found.get(1).contains("runner (floor 3) uses cli (floor 6)"), found::toString);
  }

  /** The references upward or sideways in the sources under {@code root} (the tools module's test calls it too). */
  public static List<String> violations(Path root, String prefix, Map<String, Integer> floors) throws IOException {
    assertTrue(Files.isDirectory(root), root.toAbsolutePath() + " is not there: run from the module folder");
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        String pkg = root.relativize(f.getParent()).toString().replace('/', '.');
        check(pkg, Files.readString(f), prefix, floors, root.relativize(f).toString(), found);
      }
    }
    return found;
  }

  private static void check(String pkg, String source, String prefix, Map<String, Integer> floors, String file,
      List<String> found) {
    Integer floor = floors.get(pkg);
    if (floor == null) {
      found.add(file + ": package " + pkg + " has no floor in PackageLayersTest; give it one");
      return;
    }
    Matcher m = Pattern.compile(Pattern.quote(prefix) + "\\.(\\w+)\\.").matcher(source);
    TreeSet<String> used = new TreeSet<>();
    while (m.find()) {
      used.add(m.group(1));
    }
    for (String other : used) {
      Integer otherFloor = floors.get(other);
      if (!other.equals(pkg) && (otherFloor == null || otherFloor >= floor)) {
        found.add(file + ": " + pkg + " (floor " + floor + ") uses " + other + " (floor " + otherFloor + ")");
      }
    }
  }
}
