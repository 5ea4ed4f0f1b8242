package org.crmanalytics.jobs.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which stored version is the latest: what a run names when none is promoted (ModelTraining.forScoring). */
@Tag("unit")
class ModelStoreTest {
  @TempDir Path out;

  private ModelStore store() {
    return new ModelStore("payment_risk", out.toUri().toString().replaceAll("/$", ""), new AtomicOutput(new Configuration()));
  }

  private void version(String name, String createdAt) throws IOException {
    Path folder = Files.createDirectories(out.resolve("models/payment_risk/" + name));
    if (createdAt != null) {
      Files.writeString(folder.resolve(ModelStore.METADATA), "{\"version\": \"" + name + "\", \"created_at\": \""
          + createdAt + "\"}");
    }
  }

  @Test
  void noneWhenNothingWasEverTrained() throws IOException {
    assertTrue(store().latestVersion().isEmpty());
    version("half-written", null);
    assertTrue(store().latestVersion().isEmpty(), "a folder without metadata is no version");
  }

  @Test
  void theLatestIsTheLastCreatedNotTheLastByName() throws IOException {
    version("2025-12-31-aaaa-0001", "2026-12-07T21:03:05.250Z");
    version("2025-12-31-bbbb-0002", "2026-12-07T21:03:05Z");
    version("2025-06-30-cccc-0003", "2026-12-01T08:00:00Z");
    version("half-written", null);
    // As text "…05Z" sorts after "…05.250Z"; as a time it is earlier.
    assertEquals("2025-12-31-aaaa-0001", store().latestVersion().orElseThrow().version());
  }
}
