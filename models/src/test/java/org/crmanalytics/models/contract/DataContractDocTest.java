package org.crmanalytics.models.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps docs/data-contract.md true to {@link Contract}: every table has a section ({@code ## name})
 * with its grain, required flag and key, and a column table whose rows give each column's Spark
 * type, required flag and rules. A column the contract does not have may not be documented.
 */
@Tag("unit")
class DataContractDocTest {
  /** The Maven basedir is models/, the docs live beside it. */
  private static final Path DOC = Path.of("..", "docs", "data-contract.md");
  private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

  /** A documented table: its bullet lines and its column rows, keyed by column name. */
  record Section(String name, List<String> bullets, Map<String, List<String>> rows, List<String> duplicates) {}

  private static Map<String, Section> sections;

  @BeforeAll
  static void parse() throws IOException {
    assertTrue(Files.isRegularFile(DOC), "missing " + DOC.toAbsolutePath().normalize());
    sections = new LinkedHashMap<>();
    Section current = null;
    for (String line : Files.readAllLines(DOC)) {
      if (line.startsWith("## ")) {
        String heading = line.substring(3).replace("`", "").trim();
        current = Contract.table(heading).isPresent()
            ? new Section(heading, new ArrayList<>(), new LinkedHashMap<>(), new ArrayList<>())
            : null;
        if (current != null && sections.put(heading, current) != null) {
          fail("table " + heading + " has two sections in " + DOC);
        }
        continue;
      }
      if (current == null) {
        continue;
      }
      if (line.startsWith("- ")) {
        current.bullets().add(line.substring(2).trim());
      } else if (line.startsWith("| `")) {
        List<String> cells = cells(line);
        String column = cells.get(0).replace("`", "").trim();
        if (current.rows().put(column, cells) != null) {
          current.duplicates().add(column);
        }
      }
    }
  }

  static List<ContractTable> tables() {
    return Contract.TABLES;
  }

  /** The "Personal data" section names exactly the columns the contract marks as personal. */
  @Test
  void thePersonalDataSectionListsThePersonalColumns() throws IOException {
    String doc = Files.readString(DOC);
    int start = doc.indexOf("## Personal data");
    assertTrue(start >= 0, "docs/data-contract.md needs a '## Personal data' section");
    String paragraph = doc.substring(start, doc.indexOf("\n\n", doc.indexOf("\n\n", start) + 2));
    List<String> documented = new ArrayList<>();
    Matcher m = BACKTICKED.matcher(paragraph);
    while (m.find()) {
      documented.add(m.group(1));
    }
    List<String> personal = new ArrayList<>();
    for (ContractTable t : Contract.TABLES) {
      t.columns().stream().filter(ContractColumn::personal).forEach(c -> personal.add(t.name() + "." + c.name()));
      assertEquals(t.columns().stream().anyMatch(ContractColumn::personal), t.holdsPersonalData(), t.name());
    }
    assertEquals(List.of("customers.name", "activities.notes", "tickets.description"), personal);
    assertEquals(personal, documented, "the first paragraph of '## Personal data' names the personal columns");
  }

  @Test
  void everyTableHasASectionAndNoOtherTableIsDocumented() {
    assertEquals(Contract.TABLES.stream().map(ContractTable::name).toList(), List.copyOf(sections.keySet()),
        "sections '## <table>' of " + DOC + " (in contract order)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tables")
  void grainRequiredFlagAndKey(ContractTable table) {
    Section s = section(table);
    assertEquals(table.grain(), bullet(s, "Grain:"), table.name() + ": '- Grain:' line");
    assertEquals(table.required() ? "required" : "optional", bullet(s, "Table:"), table.name() + ": '- Table:' line");
    assertEquals(table.key(), backticked(bullet(s, "Key:")), table.name() + ": '- Key:' line");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tables")
  void everyColumnIsDocumentedWithItsTypeAndRequiredFlag(ContractTable table) {
    Section s = section(table);
    assertTrue(s.duplicates().isEmpty(), table.name() + ": columns documented twice: " + s.duplicates());
    for (ContractColumn c : table.columns()) {
      List<String> row = s.rows().get(c.name());
      assertTrue(row != null, table.name() + "." + c.name() + " is not documented in " + DOC);
      assertEquals(5, row.size(), table.name() + "." + c.name() + ": expected | column | type | required | meaning | rules |");
      assertEquals(c.type().simpleString(), row.get(1), table.name() + "." + c.name() + ": type");
      assertEquals(c.required() ? "yes" : "no", row.get(2), table.name() + "." + c.name() + ": required");
      assertTrue(!row.get(3).isEmpty(), table.name() + "." + c.name() + ": meaning is empty");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tables")
  void noColumnIsDocumentedThatTheContractLacks(ContractTable table) {
    for (String documented : section(table).rows().keySet()) {
      assertTrue(table.column(documented).isPresent(),
          table.name() + "." + documented + " is documented in " + DOC + " but is not a column of the contract");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tables")
  void columnRulesMatchTheContract(ContractTable table) {
    Section s = section(table);
    for (ContractColumn c : table.columns()) {
      String where = table.name() + "." + c.name() + " rules cell";
      String rules = s.rows().get(c.name()).get(4);
      Optional<String> ref = c.references();
      assertEquals(ref.isPresent(), rules.contains("references "), where + ": references");
      ref.ifPresent(r -> assertTrue(rules.contains("references `" + r + "`"), where + ": should say references `" + r + "`"));
      assertEquals(c.notAfterAsOf(), rules.contains("not after as_of"), where + ": not after as_of");
      boolean bounded = c.min().isPresent() || c.max().isPresent();
      assertEquals(bounded, rules.contains("range "), where + ": range");
      if (bounded) {
        assertTrue(rules.contains("range " + range(c)), where + ": should say range " + range(c));
      }
      assertEquals(!c.allowedValues().isEmpty(), rules.contains("one of "), where + ": allowed values");
      if (!c.allowedValues().isEmpty()) {
        int at = rules.indexOf("one of ");
        List<String> documented = backticked(rules.substring(at, endOfClause(rules, at)));
        assertEquals(c.allowedValues(), documented, where + ": allowed values");
      }
      assertEquals(table.key().contains(c.name()), List.of(rules.split(";")).stream().map(String::trim)
          .anyMatch(p -> p.equals("key")), where + ": 'key' marks exactly the key columns");
    }
  }

  private static Section section(ContractTable table) {
    Section s = sections.get(table.name());
    assertTrue(s != null, "no section '## " + table.name() + "' in " + DOC);
    return s;
  }

  private static String bullet(Section s, String label) {
    return s.bullets().stream().filter(b -> b.startsWith(label)).map(b -> b.substring(label.length()).trim())
        .findFirst().orElseGet(() -> fail(s.name() + ": no '- " + label + "' line in " + DOC));
  }

  private static List<String> backticked(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = BACKTICKED.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static int endOfClause(String rules, int from) {
    int semicolon = rules.indexOf(';', from);
    return semicolon < 0 ? rules.length() : semicolon;
  }

  /** Same notation as the gate's reason text: {@code [0, inf]}. */
  private static String range(ContractColumn c) {
    return "[" + c.min().map(DataContractDocTest::num).orElse("-inf") + ", "
        + c.max().map(DataContractDocTest::num).orElse("inf") + "]";
  }

  private static String num(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  private static List<String> cells(String line) {
    String body = line.trim();
    body = body.substring(1, body.endsWith("|") ? body.length() - 1 : body.length());
    List<String> out = new ArrayList<>();
    for (String cell : body.split("\\|", -1)) {
      out.add(cell.trim());
    }
    return out;
  }
}
