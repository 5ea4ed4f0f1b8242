package org.crmanalytics.models;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The public data sets in {@code ../shared/datasets} (relative to the project root, or
 * {@code CRM_DATASETS}; see its README.md): not part of the repository. A test that needs one is
 * skipped when it is absent, except on CI ({@code CI=true}), where a missing file is a failure.
 * The models module has no dependency on jobs, hence this small twin of jobs' RealData.
 */
public final class PublicDataSets {
  private PublicDataSets() {}

  public static Path root() {
    String env = System.getenv("CRM_DATASETS");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("data-samples"))) {
        return p.resolve("../shared/datasets").normalize();
      }
    }
    throw new IllegalStateException("no project root (mvnw + data-samples/) above " + Path.of("").toAbsolutePath());
  }

  /**
   * The file at {@code relative} under the data sets, or a skipped test (a failure on CI) whose
   * message names the public {@code source} when it is absent.
   */
  public static Path require(String relative, String source) {
    Path file = root().resolve(relative);
    if (!Files.isRegularFile(file)) {
      String message = file + " is missing: it is the public data set " + source
          + " (not part of the repository; see ../shared/datasets/README.md). Skipped outside CI.";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(message);
      }
      Assumptions.assumeTrue(false, message);
    }
    return file;
  }
}
