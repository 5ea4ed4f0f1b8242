package org.crmanalytics.jobs.config;

import org.crmanalytics.jobs.cli.Pipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.crmanalytics.jobs.cli.CommonOptions;
import org.crmanalytics.jobs.cli.ConfigOptions;
import org.crmanalytics.jobs.config.PipelineConfig.Format;
import org.crmanalytics.jobs.quality.QualityRule;
import org.crmanalytics.jobs.quality.QualityRule.Kind;
import org.crmanalytics.jobs.quality.QualityRules;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.ContractTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Option;

/**
 * Keeps docs/configuration.md and docs/data-quality.md true to the code, without Spark:
 *
 * <ul>
 *   <li>every key {@link ConfigLoader} accepts has a row in configuration.md, and no row documents a
 *       key it rejects. The accepted keys are read from the loader itself (its "known keys here"
 *       error for an unknown key in each section), and must equal the list below, so that a new key
 *       makes this test fail until both are updated;
 *   <li>every source format and command-line option is documented;
 *   <li>every rule of {@link QualityRules#catalogue} for every contract table is in data-quality.md
 *       (per-column rules by pattern with their default level and adjustability, consistency rules by
 *       full id with level, adjustability and reason, all ids in the generated list), and no rule id
 *       is documented that the catalogue lacks.
 * </ul>
 */
@Tag("unit")
class ConfigurationDocTest {
  /** Maven runs the tests in jobs/; the docs live beside it. */
  private static final Path CONFIGURATION = Path.of("..", "docs", "configuration.md");
  private static final Path DATA_QUALITY = Path.of("..", "docs", "data-quality.md");
  private static final Path DATA_CONTRACT = Path.of("..", "docs", "data-contract.md");
  private static final String UNKNOWN = "zz_not_a_key";
  private static final String TABLES = """
      tables:
        customers: {path: c.csv}
        sales: {path: s.csv}
      """;

  private static final Set<String> SOURCE_KEYS = Set.of("format", "path", "csv", "text", "query", "table",
      "connection", "partition", "dates", "timestamps", "numbers", "booleans", "null_values");

  /** Every key ConfigLoader accepts, by section as configuration.md writes it. */
  private static final Map<String, Set<String>> DOCUMENTED_KEYS = new LinkedHashMap<>();

  static {
    DOCUMENTED_KEYS.put("", Set.of("as_of", "output", "currency", "spark", "connections", "defaults", "tables",
        "quality", "features", "abc", "kpis", "churn", "payment_risk", "cross_sell", "clv", "scorecard", "writeback"));
    DOCUMENTED_KEYS.put("connections.<name>", Set.of("url", "user", "password", "driver", "properties", "fetch_size"));
    DOCUMENTED_KEYS.put("defaults", Set.of("format", "path", "csv", "text", "connection", "dates", "timestamps",
        "numbers", "booleans", "null_values"));
    Set<String> tableKeys = new TreeSet<>(SOURCE_KEYS);
    tableKeys.add("columns");
    tableKeys.add("sources");
    DOCUMENTED_KEYS.put("tables.<table>.sources.<name>", Set.of("format", "path", "csv", "text", "null_values"));
    DOCUMENTED_KEYS.put("tables.<table>", Set.copyOf(tableKeys));
    DOCUMENTED_KEYS.put("tables.<table>.csv",
        Set.of("delimiter", "quote", "escape", "header", "encoding", "multiline", "comment"));
    DOCUMENTED_KEYS.put("tables.<table>.text", Set.of("split", "header", "columns", "encoding"));
    DOCUMENTED_KEYS.put("tables.<table>.numbers", Set.of("decimal", "grouping"));
    DOCUMENTED_KEYS.put("tables.<table>.booleans", Set.of("true", "false"));
    DOCUMENTED_KEYS.put("tables.<table>.partition", Set.of("column", "lower", "upper", "partitions"));
    DOCUMENTED_KEYS.put("tables.<table>.columns.<contract column>", Set.of("expr"));
    DOCUMENTED_KEYS.put("quality", Set.of("max_rejected_percent", "rules", "max_data_age_days"));
    DOCUMENTED_KEYS.put("quality.rules.<rule id>", Set.of("level", "max_percent"));
    DOCUMENTED_KEYS.put("writeback", Set.of("target", "connection", "password_file", "table", "create", "columns",
        "history_table", "history_keep_days", "run_log_table", "stale_customers", "stale_column", "updated_at_column",
        "force", "retry", "csv", "writers", "batch_size", "invoices", "cross_sell"));
    DOCUMENTED_KEYS.put("writeback.retry", Set.of("attempts", "backoff_ms", "max_backoff_ms"));
    DOCUMENTED_KEYS.put("writeback.csv", Set.of("decimal_comma"));
    DOCUMENTED_KEYS.put("writeback.invoices", Set.of("table", "create", "columns", "updated_at_column"));
    DOCUMENTED_KEYS.put("writeback.cross_sell", Set.of("table", "create", "columns", "updated_at_column", "language"));
  }

  private static List<String> configurationDoc;
  private static String dataQualityDoc;

  @TempDir Path dir;

  @BeforeAll
  static void readDocs() throws IOException {
    for (Path p : List.of(CONFIGURATION, DATA_QUALITY, DATA_CONTRACT)) {
      assertTrue(Files.isRegularFile(p), "missing " + p.toAbsolutePath().normalize());
    }
    configurationDoc = Files.readAllLines(CONFIGURATION);
    dataQualityDoc = Files.readString(DATA_QUALITY);
  }

  // ---------------------------------------------------------------- configuration keys

  @Test
  void theKeyListMatchesWhatTheLoaderAccepts() throws IOException {
    Map<String, Set<String>> accepted = acceptedKeys();
    for (Map.Entry<String, Set<String>> e : DOCUMENTED_KEYS.entrySet()) {
      assertEquals(new TreeSet<>(e.getValue()), new TreeSet<>(accepted.get(e.getKey())),
          "keys ConfigLoader accepts under '" + e.getKey() + "' changed: update docs/configuration.md and "
              + "DOCUMENTED_KEYS in this test");
    }
  }

  @Test
  void defaultsTakeTheTableKeysThatCanBeShared() throws IOException {
    Map<String, Set<String>> accepted = acceptedKeys();
    Set<String> onlyInTables = new TreeSet<>(accepted.get("tables.<table>"));
    onlyInTables.removeAll(accepted.get("defaults"));
    assertEquals(Set.of("columns", "partition", "query", "sources", "table"), onlyInTables,
        "configuration.md says defaults take a table's keys except columns, query, sources, table and partition");
    assertTrue(accepted.get("tables.<table>").containsAll(accepted.get("defaults")), "defaults keys that tables lack");
  }

  @Test
  void everyAcceptedKeyHasARowInConfigurationMd() throws IOException {
    List<String> undocumented = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : acceptedKeys().entrySet()) {
      String section = e.getKey();
      if (section.equals("defaults")) {
        continue; // same keys as tables.<table>, checked above; configuration.md says so
      }
      for (String key : e.getValue()) {
        Pattern row = section.equals("tables.<table>.columns.<contract column>")
            ? Pattern.compile("^\\| `" + Pattern.quote(section + ": {" + key + ":"))
            : Pattern.compile("^\\| `" + Pattern.quote(section.isEmpty() ? key : section + "." + key) + "[`.:]");
        if (configurationDoc.stream().noneMatch(l -> row.matcher(l).find())) {
          undocumented.add(section.isEmpty() ? key : section + "." + key);
        }
      }
    }
    assertTrue(undocumented.isEmpty(), "keys without a row '| `key` |' in " + CONFIGURATION + ": " + undocumented);
  }

  @Test
  void everyDocumentedKeyIsAccepted() throws IOException {
    Map<String, Set<String>> accepted = acceptedKeys();
    Pattern keyRow = Pattern.compile("^\\| `((?:connections|tables|quality|writeback)\\.[^`:]*|[a-z_]+)[`:]");
    String heading = "";
    List<String> invented = new ArrayList<>();
    for (String line : configurationDoc) {
      if (line.startsWith("## ")) {
        heading = line;
      }
      Matcher m = keyRow.matcher(line);
      if (!m.find()) {
        continue;
      }
      String path = m.group(1);
      if (!path.contains(".")) {
        if (heading.equals("## Top-level keys") && !accepted.get("").contains(path)) {
          invented.add(path);
        }
        continue;
      }
      List<String> parts = new ArrayList<>(List.of(path.split("\\.(?![^<]*>)")));
      while (parts.get(parts.size() - 1).startsWith("<")) {
        parts.remove(parts.size() - 1);
      }
      String key = parts.remove(parts.size() - 1);
      String section = String.join(".", parts);
      if (!accepted.getOrDefault(section, Set.of()).contains(key)) {
        invented.add(path);
      }
    }
    assertTrue(invented.isEmpty(), CONFIGURATION + " documents keys ConfigLoader does not accept: " + invented);
  }

  @Test
  void everyFormatIsDocumented() {
    String doc = String.join("\n", configurationDoc);
    for (Format f : Format.values()) {
      String name = f.name().toLowerCase(Locale.ROOT);
      assertTrue(doc.contains("`" + name + "`"), "format " + name + " is not documented");
    }
  }

  @Test
  void everyCommandLineOptionIsDocumented() {
    String doc = String.join("\n", configurationDoc);
    for (Class<?> options : List.of(ConfigOptions.class, CommonOptions.class)) {
      for (Field f : options.getDeclaredFields()) {
        Option o = f.getAnnotation(Option.class);
        if (o == null) {
          continue;
        }
        for (String name : o.names()) {
          assertTrue(Pattern.compile("`" + Pattern.quote(name) + "[` ]").matcher(doc).find(),
              "option " + name + " (" + options.getSimpleName() + "." + f.getName() + ") is not documented");
        }
      }
    }
    assertTrue(doc.contains(ConfigLoader.BUNDLED_SAMPLE), "the bundled sample path");
  }

  /**
   * The keys the loader accepts, per section: each probe puts an unknown key into one section and
   * reads the loader's "known keys here" list from its error.
   */
  private Map<String, Set<String>> acceptedKeys() throws IOException {
    String jdbc = "connections:\n  crm: {url: \"jdbc:x\"}\n";
    Map<String, Set<String>> out = new LinkedHashMap<>();
    out.put("", probe(UNKNOWN + ": 1\n" + TABLES, UNKNOWN));
    out.put("connections.<name>", probe("connections:\n  crm: {url: \"jdbc:x\", " + UNKNOWN + ": 1}\n" + TABLES,
        "connections.crm." + UNKNOWN));
    out.put("defaults", probe("defaults: {" + UNKNOWN + ": 1}\n" + TABLES, "defaults." + UNKNOWN));
    out.put("tables.<table>", probe(customers("{path: c.csv, " + UNKNOWN + ": 1}"), "tables.customers." + UNKNOWN));
    for (String section : List.of("csv", "text", "numbers", "booleans")) {
      out.put("tables.<table>." + section, probe(customers("{path: c.csv, " + section + ": {" + UNKNOWN + ": 1}}"),
          "tables.customers." + section + "." + UNKNOWN));
    }
    out.put("tables.<table>.partition", probe(jdbc + customers(
        "{format: jdbc, connection: crm, table: t, partition: {" + UNKNOWN + ": 1}}"),
        "tables.customers.partition." + UNKNOWN));
    out.put("tables.<table>.sources.<name>", probe(customers("{path: c.csv, query: \"SELECT * FROM source\", "
        + "sources: {h: {path: h.csv, " + UNKNOWN + ": 1}}}"), "tables.customers.sources.h." + UNKNOWN));
    out.put("tables.<table>.columns.<contract column>", probe(customers(
        "{path: c.csv, columns: {customer_id: {" + UNKNOWN + ": 1}}}"), "tables.customers.columns.customer_id." + UNKNOWN));
    out.put("quality", probe(TABLES + "quality: {" + UNKNOWN + ": 1}\n", "quality." + UNKNOWN));
    out.put("quality.rules.<rule id>", probe(TABLES + "quality:\n  rules:\n    sales.sign: {" + UNKNOWN + ": 1}\n",
        "quality.rules.sales.sign." + UNKNOWN));
    out.put("writeback", probe(TABLES + "writeback: {" + UNKNOWN + ": 1}\n", "writeback." + UNKNOWN));
    for (String section : List.of("retry", "csv", "invoices", "cross_sell")) {
      out.put("writeback." + section, probe(TABLES + "writeback: {" + section + ": {" + UNKNOWN + ": 1}}\n",
          "writeback." + section + "." + UNKNOWN));
    }
    return out;
  }

  private static String customers(String customersEntry) {
    return "tables:\n  customers: " + customersEntry + "\n  sales: {path: s.csv}\n";
  }

  private Set<String> probe(String yaml, String expectedKey) throws IOException {
    Path file = dir.resolve("probe.yaml");
    Files.writeString(file, yaml);
    ConfigError e = assertThrows(ConfigError.class, () -> Pipeline.configLoader(Map.of()).load(file),
        "expected an unknown-key error for:\n" + yaml);
    String message = e.getMessage();
    String marker = "known keys here: ";
    assertTrue(message.contains(expectedKey + ": unknown key") && message.contains(marker),
        "probe for " + expectedKey + " failed: " + message);
    return new LinkedHashSet<>(List.of(message.substring(message.indexOf(marker) + marker.length()).trim().split(",\\s*")));
  }

  // ---------------------------------------------------------------- quality rules

  @Test
  void everyRuleOfTheCatalogueIsInDataQualityMd() {
    List<String> missing = new ArrayList<>();
    for (ContractTable t : Contract.TABLES) {
      for (QualityRule r : QualityRules.catalogue(t)) {
        if (!dataQualityDoc.contains("`" + r.id() + "`")) {
          missing.add(r.id());
        }
      }
    }
    assertTrue(missing.isEmpty(), "rule ids not in " + DATA_QUALITY + " (regenerate 'All rule ids'): " + missing);
  }

  @Test
  void everyRuleKindIsDocumentedByPatternWithLevelAndAdjustability() {
    for (ContractTable t : Contract.TABLES) {
      for (QualityRule r : QualityRules.catalogue(t)) {
        if (r.kind() == Kind.CONSISTENCY) {
          continue;
        }
        String pattern = pattern(t, r);
        List<String> row = ruleRow(pattern);
        // | order | rule id | applies to | default level | can be set to warn | reason |
        assertEquals(r.level().name().toLowerCase(Locale.ROOT), row.get(3), pattern + ": default level");
        String adjustable = row.get(4);
        if (r.kind() == Kind.ALLOWED) {
          assertEquals(r.adjustable(), adjustable.contains("`" + r.id() + "`"),
              r.id() + ": the 'can be set to warn' cell of " + pattern + " names exactly the adjustable ones");
        } else {
          assertEquals(r.adjustable() ? "yes" : "no", adjustable, r.id() + ": can be set to warn");
        }
      }
    }
  }

  @Test
  void everyConsistencyRuleIsDocumentedWithLevelAdjustabilityAndReason() {
    for (ContractTable t : Contract.TABLES) {
      for (QualityRule r : QualityRules.catalogue(t)) {
        if (r.kind() != Kind.CONSISTENCY) {
          continue;
        }
        List<String> row = ruleRow(r.id());
        // | rule id | default level | can be set to warn | reason |
        assertEquals(r.level().name().toLowerCase(Locale.ROOT), row.get(1), r.id() + ": default level");
        assertEquals(r.adjustable() ? "yes" : "no", row.get(2), r.id() + ": can be set to warn");
        assertEquals(r.reason(), row.get(3), r.id() + ": reason");
      }
    }
  }

  @Test
  void noRuleIdIsDocumentedThatTheCatalogueLacks() throws IOException {
    Set<String> ids = new TreeSet<>();
    for (ContractTable t : Contract.TABLES) {
      QualityRules.catalogue(t).forEach(r -> ids.add(r.id()));
    }
    Pattern token = Pattern.compile("`([a-z_]+)\\.([a-z_.]+)`");
    for (Path doc : List.of(DATA_QUALITY, CONFIGURATION, DATA_CONTRACT)) {
      Matcher m = token.matcher(Files.readString(doc));
      List<String> unknown = new ArrayList<>();
      while (m.find()) {
        String table = m.group(1);
        String rest = m.group(2);
        if (Contract.table(table).isEmpty()) {
          continue;
        }
        boolean isColumn = !rest.contains(".") && Contract.table(table).get().column(rest).isPresent();
        if (!isColumn && !ids.contains(table + "." + rest)) {
          unknown.add(table + "." + rest);
        }
      }
      assertTrue(unknown.isEmpty(), doc + " names rules the catalogue does not have: " + unknown);
    }
  }

  /** The documented id pattern of a rule: per-column rules as {@code <table>.<column>.<check>}. */
  private static String pattern(ContractTable t, QualityRule r) {
    return switch (r.kind()) {
      case MALFORMED, ENCODING, DUPLICATE_KEY -> "<table>" + r.id().substring(t.name().length());
      case MISSING, TYPE, ALLOWED, RANGE, AFTER_AS_OF, REFERENCE -> {
        String prefix = t.name() + "." + r.column() + ".";
        assertTrue(r.id().startsWith(prefix), r.id() + " does not follow <table>.<column>.<check>");
        yield "<table>.<column>." + r.id().substring(prefix.length());
      }
      case CONSISTENCY -> r.id();
    };
  }

  /** The cells of the data-quality.md table row whose rule id cell is {@code id}. */
  private static List<String> ruleRow(String id) {
    for (String line : dataQualityDoc.split("\n")) {
      List<String> cells = cells(line);
      for (int i = 0; i < Math.min(2, cells.size()); i++) {
        if (cells.get(i).equals("`" + id + "`")) {
          return cells;
        }
      }
    }
    return fail("no table row for `" + id + "` in " + DATA_QUALITY);
  }

  private static List<String> cells(String line) {
    String s = line.trim();
    if (!s.startsWith("|")) {
      return List.of();
    }
    s = s.substring(1, s.endsWith("|") ? s.length() - 1 : s.length());
    List<String> out = new ArrayList<>();
    for (String cell : s.split("(?<!\\\\)\\|", -1)) {
      out.add(cell.trim());
    }
    return out;
  }
}
