package org.crmanalytics.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * Every test class says what it needs with tags (README, "Tests"), so that a subset runs with
 * {@code -Dgroups=...}: a class without a known tag would drop out of every subset unnoticed.
 * Scans the compiled test classes of this module; the jobs and tools modules' TestTagsTest call
 * {@link #assertTagged} for their own (the models test jar).
 */
@Tag("unit")
public class TestTagsTest {
  /** unit: needs nothing (no Spark, no server); each other tag names one thing a class needs. */
  public static final Set<String> TAGS = Set.of("unit", "spark", "db", "cluster", "realdata", "browser", "notebook");

  @Test
  void everyTestClassCarriesKnownTags() throws Exception {
    assertTagged(TestTagsTest.class, 20);
  }

  /**
   * Checks the test classes compiled beside {@code anchor} (its module's test classes folder); at
   * least {@code atLeast} must be found, so that a wrong folder cannot pass unnoticed.
   */
  public static void assertTagged(Class<?> anchor, int atLeast) throws Exception {
    Path root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> problems = new ArrayList<>();
    int classes = 0;
    for (Class<?> c : testClasses(root)) {
      classes++;
      Set<String> tags = new TreeSet<>();
      AnnotationSupport.findRepeatableAnnotations(c, Tag.class).forEach(t -> tags.add(t.value()));
      if (tags.isEmpty()) {
        problems.add(c.getName() + " has no tag; give it one of " + new TreeSet<>(TAGS));
      } else if (!TAGS.containsAll(tags)) {
        problems.add(c.getName() + " has unknown tags " + tags + "; known are " + new TreeSet<>(TAGS));
      } else if (tags.contains("unit") && tags.size() > 1) {
        problems.add(c.getName() + " is tagged unit (needs nothing) and " + tags);
      } else if (usesSharedSpark(c) && !tags.contains("spark")) {
        problems.add(c.getName() + " gets the Spark session but is not tagged spark: " + tags);
      }
    }
    assertTrue(classes >= atLeast, "found only " + classes + " test classes under " + root);
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  private static boolean usesSharedSpark(Class<?> c) {
    return AnnotationSupport.findRepeatableAnnotations(c, ExtendWith.class).stream()
        .flatMap(e -> Stream.of(e.value())).anyMatch(SharedSpark.class::equals);
  }

  /** The concrete top-level classes under {@code root} with a test method (their own or inherited). */
  static List<Class<?>> testClasses(Path root) throws Exception {
    List<Class<?>> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class") && !p.toString().contains("$")).toList()) {
        String name = root.relativize(f).toString().replace(f.getFileSystem().getSeparator(), ".")
            .replaceAll("\\.class$", "");
        Class<?> c = Class.forName(name, false, TestTagsTest.class.getClassLoader());
        boolean hasTests = !AnnotationSupport.findAnnotatedMethods(c, Testable.class,
            HierarchyTraversalMode.TOP_DOWN).isEmpty();
        if (hasTests && !c.isInterface() && !java.lang.reflect.Modifier.isAbstract(c.getModifiers())) {
          out.add(c);
        }
      }
    }
    return out;
  }
}
