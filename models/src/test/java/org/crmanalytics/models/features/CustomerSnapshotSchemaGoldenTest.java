package org.crmanalytics.models.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the snapshot schema (default windows) to a golden file beside the contract's, so that a
 * change of the snapshot's columns is a reviewed diff, and keeps docs/features.md complete.
 * Regenerate the golden file with {@code -Dgolden.update=true}.
 */
class CustomerSnapshotSchemaGoldenTest {
  private static final Path DOC = Path.of("..", "docs", "features.md");
  private static final Path GOLDEN = Path.of("src/test/resources/golden/schemas/customer_snapshot.json");

  @Test
  void schemaMatchesGoldenFile() throws IOException {
    String actual = CustomerSnapshot.SCHEMA.prettyJson() + "\n";
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(GOLDEN, actual);
    }
    assertTrue(Files.exists(GOLDEN), "no golden schema " + GOLDEN + "; run with -Dgolden.update=true");
    assertEquals(Files.readString(GOLDEN), actual, "schema of the customer snapshot changed");
  }

  @Test
  void everyColumnIsDefinedInTheFeaturesDoc() throws IOException {
    String doc = Files.readString(DOC);
    List<String> missing = new ArrayList<>();
    for (String column : CustomerSnapshot.SCHEMA.fieldNames()) {
      if (!doc.contains("`" + column + "`")) {
        missing.add(column);
      }
    }
    assertEquals(List.of(), missing, "columns without a definition in " + DOC);
  }
}
