package org.crmanalytics.models.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Pins every contract schema to a golden file, so that a schema change is a reviewed diff.
 * After an intended change, regenerate with {@code -Dgolden.update=true} and commit the files.
 */
@Tag("unit")
class ContractSchemaGoldenTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/schemas");

  static List<ContractTable> tables() {
    return Contract.TABLES;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tables")
  void schemaMatchesGoldenFile(ContractTable table) throws IOException {
    Path file = GOLDEN.resolve(table.name() + ".json");
    String actual = table.schema().prettyJson() + "\n";
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(file, actual);
    }
    assertTrue(Files.exists(file), "no golden schema " + file + "; run with -Dgolden.update=true");
    assertEquals(Files.readString(file), actual, "schema of " + table.name() + " changed");
  }

  @Test
  void tablesAreOrderedAfterTheTablesTheyReference() {
    Set<String> seen = new HashSet<>();
    for (ContractTable t : Contract.TABLES) {
      for (ContractColumn c : t.columns()) {
        c.references().ifPresent(ref -> assertTrue(seen.contains(ref),
            t.name() + "." + c.name() + " references " + ref + ", which must come earlier in Contract.TABLES"));
      }
      seen.add(t.name());
    }
  }

  @Test
  void referencedTablesHaveASingleColumnKey() {
    for (ContractTable t : Contract.TABLES) {
      for (ContractColumn c : t.columns()) {
        c.references().ifPresent(ref -> assertEquals(1, Contract.table(ref).orElseThrow().key().size(),
            t.name() + "." + c.name() + " references " + ref));
      }
    }
  }

  @Test
  void onlyCustomersAndSalesAreRequired() {
    assertEquals(List.of("customers", "sales"),
        Contract.TABLES.stream().filter(ContractTable::required).map(ContractTable::name).toList());
  }

  @Test
  void keyColumnsAreRequired() {
    for (ContractTable t : Contract.TABLES) {
      for (String k : t.key()) {
        assertTrue(t.column(k).orElseThrow().required(), t.name() + "." + k + " is a key column");
      }
    }
  }
}
