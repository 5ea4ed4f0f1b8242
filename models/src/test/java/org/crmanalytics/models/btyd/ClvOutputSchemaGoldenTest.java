package org.crmanalytics.models.btyd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the clv/customers schema to a golden file, so that a change of its columns is a reviewed
 * diff, and keeps docs/clv.md complete. Regenerate with {@code -Dgolden.update=true}.
 */
class ClvOutputSchemaGoldenTest {
  private static final Path DOC = Path.of("..", "docs", "clv.md");
  private static final Path GOLDEN = Path.of("src/test/resources/golden/schemas/clv_customers.json");

  @Test
  void schemaMatchesGoldenFile() throws IOException {
    String actual = ClvOutput.SCHEMA.prettyJson() + "\n";
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(GOLDEN, actual);
    }
    assertTrue(Files.exists(GOLDEN), "no golden schema " + GOLDEN + "; run with -Dgolden.update=true");
    assertEquals(Files.readString(GOLDEN), actual, "schema of clv/customers changed");
  }

  @Test
  void everyColumnIsDefinedInTheClvDoc() throws IOException {
    String doc = Files.readString(DOC);
    List<String> missing = new ArrayList<>();
    for (String column : ClvOutput.SCHEMA.fieldNames()) {
      if (!doc.contains("`" + column + "`")) {
        missing.add(column);
      }
    }
    assertEquals(List.of(), missing, "columns without a definition in " + DOC);
  }
}
