package org.crmanalytics.models.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Spark's internal API is used by {@link SparkInternals} alone: no other main source file of any
 * module of the project (models, jobs, and any module added beside them) names a package of
 * Catalyst, the classic session, the execution engine, Spark's internal packages or the shaded
 * libraries Spark ships, in an import or a fully qualified name, or a Dataset's query execution
 * (its plans, through the public {@code queryExecution()}).
 */
@Tag("unit")
class SparkInternalsConfinedTest {
  /** Packages of Spark that are not its public API, and the shaded copies of libraries it ships. */
  static final Pattern INTERNAL = Pattern.compile("\\b(org\\.apache\\.spark\\.sql\\.catalyst"
      + "|org\\.apache\\.spark\\.sql\\.classic|org\\.apache\\.spark\\.sql\\.execution"
      + "|org\\.apache\\.spark\\.sql\\.internal|org\\.apache\\.spark\\.internal"
      + "|org\\.apache\\.xbean|org\\.sparkproject)\\.|\\.queryExecution\\(\\)");
  private static final String WRAPPER = "org/crmanalytics/models/spark/SparkInternals.java";

  @Test
  void onlyTheWrapperUsesSparkInternals() throws IOException {
    List<Path> roots = mainSourceRoots();
    assertTrue(roots.stream().anyMatch(r -> r.toString().contains("models")), "models' sources not found in " + roots);
    assertTrue(roots.size() >= 2, "expected the main sources of models and jobs at least: " + roots);
    List<String> found = new ArrayList<>();
    for (Path root : roots) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
          String relative = root.relativize(f).toString().replace('\\', '/');
          if (!relative.equals(WRAPPER)) {
            found.addAll(uses(root.getParent().getParent().getParent().getFileName() + "/" + relative,
                Files.readString(f)));
          }
        }
      }
    }
    assertEquals(List.of(), found, "Spark's internal API goes through " + WRAPPER + " (its class comment says why)");
  }

  /** The check must see a use: imports and qualified names, whatever the package's depth. */
  @Test
  void aUseIsFound() {
    List<String> found = uses("X.java", """
        import org.apache.spark.sql.catalyst.InternalRow;
        import org.apache.spark.sql.Row;
        class X { Object o = new org.apache.xbean.asm9.ClassWriter(0); }
        """);
    assertEquals(2, found.size(), found::toString);
    assertTrue(found.get(0).contains("line 1: org.apache.spark.sql.catalyst."), found::toString);
    assertTrue(found.get(1).contains("line 3: org.apache.xbean."), found::toString);
  }

  static List<String> uses(String file, String source) {
    List<String> found = new ArrayList<>();
    String[] lines = source.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      Matcher m = INTERNAL.matcher(lines[i]);
      while (m.find()) {
        found.add(file + " line " + (i + 1) + ": " + m.group());
      }
    }
    return found;
  }

  /** Every module's src/main/java beside this one (the test runs in the module folder). */
  private static List<Path> mainSourceRoots() throws IOException {
    Path project = Path.of("").toAbsolutePath().getParent();
    try (Stream<Path> modules = Files.list(project)) {
      return modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).sorted().toList();
    }
  }
}
