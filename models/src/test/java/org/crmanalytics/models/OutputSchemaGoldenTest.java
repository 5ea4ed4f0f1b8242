package org.crmanalytics.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.btyd.ClvOutput;
import org.crmanalytics.models.features.CustomerSnapshot;
import org.crmanalytics.models.scores.CustomerScores;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins each output schema to a golden file, so that a change of its columns is a reviewed diff,
 * and keeps its doc complete: every column is defined there in backquotes. Regenerate the golden
 * files with {@code -Dgolden.update=true}.
 */
@Tag("unit")
class OutputSchemaGoldenTest {
  static Stream<Arguments> outputs() {
    return Stream.of(
        Arguments.of("customer_snapshot", CustomerSnapshot.SCHEMA, "features.md"),
        Arguments.of("clv_customers", ClvOutput.SCHEMA, "clv.md"),
        Arguments.of("customer_scores", CustomerScores.SCHEMA, "customer-scores.md"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outputs")
  void schemaMatchesGoldenFile(String name, StructType schema, String doc) throws IOException {
    Path golden = Path.of("src/test/resources/golden/schemas", name + ".json");
    String actual = schema.prettyJson() + "\n";
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, actual);
    }
    assertTrue(Files.exists(golden), "no golden schema " + golden + "; run with -Dgolden.update=true");
    assertEquals(Files.readString(golden), actual, "schema of " + name + " changed");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outputs")
  void everyColumnIsDefinedInItsDoc(String name, StructType schema, String doc) throws IOException {
    String text = Files.readString(Path.of("..", "docs", doc));
    List<String> missing = new ArrayList<>();
    for (String column : schema.fieldNames()) {
      if (!text.contains("`" + column + "`")) {
        missing.add(column);
      }
    }
    assertEquals(List.of(), missing, name + ": columns without a definition in docs/" + doc);
  }
}
