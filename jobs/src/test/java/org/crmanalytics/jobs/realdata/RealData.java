package org.crmanalytics.jobs.realdata;

import org.crmanalytics.jobs.cli.Pipeline;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.junit.jupiter.api.Assumptions;

/**
 * The public data sets in {@code ../shared/datasets} (relative to the project root; see its
 * README.md). They are not part of the repository: a test that needs one is skipped when it is
 * absent, except on CI ({@code CI=true}), where a missing data set is a failure.
 */
public final class RealData {
  private RealData() {}

  /** The project root: the folder with mvnw and data-samples/, found from the working directory up. */
  public static Path projectRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("data-samples"))) {
        return p;
      }
    }
    throw new IllegalStateException("no project root (mvnw + data-samples/) above " + Path.of("").toAbsolutePath());
  }

  public static Path datasets() {
    String env = System.getenv("CRM_DATASETS");
    return env != null && !env.isBlank() ? Path.of(env) : projectRoot().resolve("../shared/datasets").normalize();
  }

  /**
   * The data set file, or null when it is absent; absent on CI ({@code CI=true}) is a failure.
   * Tests call {@link #assumePresent} before using it, so that they are reported as skipped.
   */
  public static Path find(String relative, String source) {
    Path file = datasets().resolve(relative);
    if (!Files.isRegularFile(file)) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(missing(relative, source));
      }
      return null;
    }
    return file;
  }

  public static void assumePresent(Path found, String relative, String source) {
    Assumptions.assumeTrue(found != null, () -> missing(relative, source));
  }

  private static String missing(String relative, String source) {
    return datasets().resolve(relative) + " is missing: it is the public data set " + source
        + " (not part of the repository; see ../shared/datasets/README.md). Skipped outside CI.";
  }

  /** A bundled mapping (data-samples/mappings/NAME) reading the data sets found above, writing to {@code out}. */
  public static PipelineConfig mapping(String name, Path out) {
    return Pipeline.configLoader(Map.of("CRM_DATASETS", datasets().toString()))
        .load(projectRoot().resolve("data-samples/mappings").resolve(name))
        .withOutput(out);
  }
}
