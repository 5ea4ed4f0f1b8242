package org.crmanalytics.jobs.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.crmanalytics.jobs.config.PipelineConfig.ColumnMapping;
import org.crmanalytics.jobs.config.PipelineConfig.Connection;
import org.crmanalytics.jobs.config.PipelineConfig.Csv;
import org.crmanalytics.jobs.config.PipelineConfig.Format;
import org.crmanalytics.jobs.config.PipelineConfig.JdbcPartition;
import org.crmanalytics.jobs.config.PipelineConfig.Parsing;
import org.crmanalytics.jobs.config.PipelineConfig.TableSource;
import org.crmanalytics.jobs.config.PipelineConfig.Text;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.ContractTable;

/**
 * Reads and validates a YAML pipeline configuration. Everything a run needs is checked here,
 * before Spark starts; relative paths are resolved against the configuration file's folder.
 */
public final class ConfigLoader {
  /** Where the bundled sample configuration lives, relative to the project folder. */
  public static final String BUNDLED_SAMPLE = "data-samples/mappings/sample.yaml";

  /** The keys of the file itself; the stages' sections come with the loader. */
  private static final Set<String> FILE_KEYS = Set.of("as_of", "output", "currency", "spark", "connections", "defaults",
      "tables");
  private static final Set<String> SOURCE_KEYS =
      Set.of("format", "path", "csv", "text", "query", "table", "connection", "partition",
          "dates", "timestamps", "numbers", "booleans", "null_values");
  private static final Set<String> TABLE_KEYS = union(SOURCE_KEYS, Set.of("columns", "sources"));
  /** A query, a database table or a partitioning names one table's source, never all of them. */
  private static final Set<String> DEFAULT_KEYS =
      Set.of("format", "path", "csv", "text", "connection", "dates", "timestamps", "numbers", "booleans",
          "null_values");
  /** An extra file a table's query joins: read like the table's own file, registered under its name. */
  private static final Set<String> EXTRA_SOURCE_KEYS = Set.of("format", "path", "csv", "text", "null_values");
  /** Names a query could not tell apart from the table's own file or from SQL itself. */
  private static final java.util.regex.Pattern VIEW_NAME = java.util.regex.Pattern.compile("[a-zA-Z][a-zA-Z0-9_]*");

  private final Map<String, String> env;
  private final List<ConfigSection<?>> sections;

  /**
   * @param env the environment that {@code ${VAR}} references read
   * @param sections the stages' sections, bound into their settings records at load
   */
  public ConfigLoader(Map<String, String> env, List<ConfigSection<?>> sections) {
    this.env = Map.copyOf(env);
    this.sections = List.copyOf(sections);
    Set<String> names = new java.util.HashSet<>(FILE_KEYS);
    for (ConfigSection<?> s : sections) {
      if (!names.add(s.name())) {
        throw new IllegalArgumentException("two owners of the configuration section " + s.name());
      }
    }
  }

  /** Loads {@code file}; {@code output} from the file is used unless overridden later. */
  public PipelineConfig load(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    String shown = file.toString();
    if (!Files.isRegularFile(absolute)) {
      throw new ConfigError(shown, "", "configuration file not found (looked at " + absolute + ")");
    }
    JsonNode tree;
    try {
      tree = new YAMLMapper().readTree(absolute.toFile());
    } catch (JsonProcessingException e) {
      throw new ConfigError(shown, "", "not valid YAML: " + e.getOriginalMessage()
          + " at line " + e.getLocation().getLineNr());
    } catch (IOException e) {
      throw new ConfigError(shown, "", "cannot be read: " + e.getMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw new ConfigError(shown, "", "expected a YAML mapping with a 'tables' section");
    }
    return parse(new ConfigNode(shown, "", tree, env), shown, absolute.getParent());
  }

  private PipelineConfig parse(ConfigNode root, String shown, Path base) {
    root.allowOnly(union(FILE_KEYS, new java.util.HashSet<>(sections.stream().map(ConfigSection::name).toList())));
    LocalDate asOf = root.child("as_of").optString().map(s -> date(root.child("as_of"), s)).orElse(null);
    String output = root.child("output").optString().map(s -> resolvePath(base, s))
        .orElse(Path.of("out").toAbsolutePath().toString());

    String currency = root.child("currency").optString().map(c -> currency(root.child("currency"), c))
        .orElse(PipelineConfig.DEFAULT_CURRENCY);

    Map<String, String> spark = new LinkedHashMap<>();
    root.child("spark").entries().forEach((k, v) -> spark.put(k, v.requiredString()));

    Map<String, Connection> connections = new LinkedHashMap<>();
    root.child("connections").entries().forEach((name, node) -> connections.put(name, connection(name, node)));

    ConfigNode defaults = root.child("defaults").allowOnly(DEFAULT_KEYS);
    ConfigNode tablesNode = root.child("tables");
    if (tablesNode.isMissing()) {
      throw tablesNode.error("is required: map at least the tables customers and sales");
    }
    Map<String, TableSource> tables = new LinkedHashMap<>();
    Map<String, ConfigNode> declared = tablesNode.entries();
    for (String name : declared.keySet()) {
      if (Contract.table(name).isEmpty()) {
        throw new ConfigError(shown, "tables." + name, "is not a table of the data contract; tables are "
            + String.join(", ", Contract.TABLES.stream().map(ContractTable::name).toList()));
      }
    }
    for (ContractTable t : Contract.TABLES) {
      ConfigNode node = declared.get(t.name());
      if (node == null) {
        if (t.required()) {
          throw new ConfigError(shown, "tables." + t.name(),
              "is required (the pipeline needs customers and sales); see docs/configuration.md");
        }
        continue;
      }
      tables.put(t.name(), table(t, node, defaults, connections, base));
    }
    return new PipelineConfig(shown, asOf, output, currency, spark, tables,
        StageSettings.bind(shown, root, sections, asOf));
  }

  private TableSource table(ContractTable contract, ConfigNode node, ConfigNode defaults,
      Map<String, Connection> connections, Path base) {
    node.allowOnly(TABLE_KEYS);
    Format format = enumValue(pick(node, defaults, "format"), Format.class, "csv");
    Optional<String> path = pick(node, defaults, "path").optString().map(p -> resolvePath(base, p));
    Optional<String> query = node.child("query").optString();
    Optional<String> dbTable = node.child("table").optString();
    Optional<Connection> connection = Optional.empty();
    Optional<JdbcPartition> partition = Optional.empty();
    if (format == Format.JDBC) {
      ConfigNode conn = pick(node, defaults, "connection");
      String name = conn.optString().orElseThrow(() -> node.child("connection").error(
          "is required for format jdbc: name one of the connections"));
      if (!connections.containsKey(name)) {
        throw conn.error("names connection '" + name + "', which is not under connections"
            + (connections.isEmpty() ? "" : " (known: " + String.join(", ", connections.keySet()) + ")"));
      }
      connection = Optional.of(connections.get(name));
      if (query.isEmpty() == dbTable.isEmpty()) {
        throw node.error("for format jdbc give exactly one of 'table' (a database table) or 'query'");
      }
      partition = partition(node.child("partition"));
    } else {
      if (path.isEmpty()) {
        throw node.child("path").error("is required for format " + format.name().toLowerCase(Locale.ROOT));
      }
      for (String jdbcOnly : List.of("table", "connection", "partition")) {
        if (node.has(jdbcOnly)) {
          throw node.child(jdbcOnly).error("is only for format jdbc; files use 'path' (and 'query')");
        }
      }
    }
    Csv csv = csv(node.child("csv"), defaults.child("csv"));
    Text text = text(node.child("text"), defaults.child("text"));
    Parsing parsing = parsing(node, defaults);
    List<String> nullValues = pick(node, defaults, "null_values").stringList(List.of());
    Map<String, TableSource> sources = extraSources(contract, node, defaults, base, format, query);
    Map<String, ColumnMapping> columns = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigNode> e : node.child("columns").entries().entrySet()) {
      String column = e.getKey();
      ConfigNode m = e.getValue();
      if (contract.column(column).isEmpty()) {
        throw m.error("is not a column of table " + contract.name() + "; its columns are "
            + String.join(", ", contract.columns().stream().map(c -> c.name()).toList()));
      }
      if (m.isObject()) {
        m.allowOnly(Set.of("expr"));
        columns.put(column, new ColumnMapping(column, m.path(), Optional.empty(),
            Optional.of(m.child("expr").requiredString())));
      } else {
        columns.put(column, new ColumnMapping(column, m.path(), Optional.of(m.requiredString()),
            Optional.empty()));
      }
    }
    return new TableSource(contract.name(), node.path(), format, path, csv, text, query, dbTable,
        connection, partition, parsing, columns, nullValues, sources);
  }

  /**
   * {@code tables.<t>.sources}: more files for the table's query, each registered as a view under
   * its name (order lines that need the order date of a header file). Each takes the same keys as
   * the table's own file (format, path, csv, text, null_values), defaults included.
   */
  private static Map<String, TableSource> extraSources(ContractTable contract, ConfigNode node, ConfigNode defaults,
      Path base, Format tableFormat, Optional<String> query) {
    ConfigNode sourcesNode = node.child("sources");
    Map<String, TableSource> sources = new LinkedHashMap<>();
    if (sourcesNode.isMissing()) {
      return sources;
    }
    if (tableFormat == Format.JDBC) {
      throw sourcesNode.error("is for files; a database joins its own tables in the table's 'query'");
    }
    if (query.isEmpty()) {
      throw sourcesNode.error("needs a 'query' on " + node.path() + " that uses them (for example SELECT l.*, "
          + "h.order_date FROM source l JOIN headers h ON l.order_no = h.order_no)");
    }
    for (Map.Entry<String, ConfigNode> e : sourcesNode.entries().entrySet()) {
      String name = e.getKey();
      ConfigNode s = e.getValue();
      if (!VIEW_NAME.matcher(name).matches() || name.equalsIgnoreCase("source")) {
        throw s.error("is not a usable view name: use letters, digits and _ (starting with a letter), and not "
            + "'source', which is the table's own file");
      }
      if (!s.isObject()) {
        throw s.error("must be a mapping like {path: headers.csv, format: csv}");
      }
      s.allowOnly(EXTRA_SOURCE_KEYS);
      Format format = enumValue(pick(s, defaults, "format"), Format.class, "csv");
      if (format == Format.JDBC) {
        throw s.child("format").error("cannot be jdbc here; extra sources are files");
      }
      String path = s.child("path").optString().map(p -> resolvePath(base, p))
          .orElseThrow(() -> s.child("path").error("is required: the file or folder of source '" + name + "'"));
      sources.put(name, new TableSource(contract.name(), s.path(), format, Optional.of(path),
          csv(s.child("csv"), defaults.child("csv")), text(s.child("text"), defaults.child("text")),
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), parsing(s, defaults), Map.of(),
          pick(s, defaults, "null_values").stringList(List.of()), Map.of()));
    }
    return sources;
  }

  /** One entry of {@code connections}; public so that write-back reuses a source's connection. */
  public static Connection connection(String name, ConfigNode node) {
    node.allowOnly(Set.of("url", "user", "password", "driver", "properties", "fetch_size"));
    String url = node.child("url").requiredString();
    if (!url.startsWith("jdbc:")) {
      throw node.child("url").error("must start with jdbc: (for example jdbc:postgresql://host:5432/db)");
    }
    Map<String, String> props = new LinkedHashMap<>();
    node.child("properties").entries().forEach((k, v) -> props.put(k, v.requiredString()));
    int fetch = node.child("fetch_size").optLong().map(Long::intValue).orElse(10_000);
    return new Connection(name, url, node.child("user").optString(), node.child("password").optSecret(),
        node.child("driver").optString(), props, fetch);
  }

  private static Optional<JdbcPartition> partition(ConfigNode node) {
    if (node.isMissing()) {
      return Optional.empty();
    }
    node.allowOnly(Set.of("column", "lower", "upper", "partitions"));
    int parts = node.child("partitions").optLong().map(Long::intValue).orElse(8);
    if (parts < 1) {
      throw node.child("partitions").error("must be at least 1");
    }
    return Optional.of(new JdbcPartition(node.child("column").requiredString(),
        node.child("lower").requiredString(), node.child("upper").requiredString(), parts));
  }

  private static Csv csv(ConfigNode node, ConfigNode defaults) {
    Set<String> keys = Set.of("delimiter", "quote", "escape", "header", "encoding", "multiline", "comment");
    node.allowOnly(keys);
    defaults.allowOnly(keys);
    String delimiter = unescape(pick(node, defaults, "delimiter").string(","));
    if (delimiter.isEmpty()) {
      throw node.child("delimiter").error("must not be empty");
    }
    String encoding = charset(pick(node, defaults, "encoding"));
    return new Csv(delimiter, pick(node, defaults, "quote").string("\""),
        pick(node, defaults, "escape").string("\""), pick(node, defaults, "header").bool(true),
        encoding, pick(node, defaults, "multiline").bool(true), pick(node, defaults, "comment").optString());
  }

  private static Text text(ConfigNode node, ConfigNode defaults) {
    Set<String> keys = Set.of("split", "header", "columns", "encoding");
    node.allowOnly(keys);
    defaults.allowOnly(keys);
    String split = pick(node, defaults, "split").string("\\s+");
    try {
      java.util.regex.Pattern.compile(split);
    } catch (java.util.regex.PatternSyntaxException e) {
      throw node.child("split").error("is not a valid regular expression: " + e.getDescription());
    }
    return new Text(split, pick(node, defaults, "header").bool(true),
        pick(node, defaults, "columns").stringList(List.of()), charset(pick(node, defaults, "encoding")));
  }

  private static Parsing parsing(ConfigNode node, ConfigNode defaults) {
    List<String> dates = pick(node, defaults, "dates").stringList(List.of("yyyy-MM-dd"));
    List<String> timestamps = pick(node, defaults, "timestamps").stringList(
        List.of("yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"));
    for (String p : dates) {
      checkPattern(pick(node, defaults, "dates"), p);
    }
    for (String p : timestamps) {
      checkPattern(pick(node, defaults, "timestamps"), p);
    }
    ConfigNode numbers = pick(node, defaults, "numbers").allowOnly(Set.of("decimal", "grouping"));
    String decimal = numbers.child("decimal").string(".");
    String grouping = numbers.child("grouping").string("");
    if (decimal.length() != 1) {
      throw numbers.child("decimal").error("must be one character, '.' or ','");
    }
    if (grouping.length() > 1 || grouping.equals(decimal)) {
      throw numbers.child("grouping").error("must be one character other than the decimal separator, or empty");
    }
    ConfigNode booleans = pick(node, defaults, "booleans").allowOnly(Set.of("true", "false"));
    return new Parsing(dates, timestamps, decimal, grouping,
        lower(booleans.child("true").stringList(List.of("true", "1", "yes", "y", "ja", "j", "x"))),
        lower(booleans.child("false").stringList(List.of("false", "0", "no", "n", "nein"))));
  }

  private static void checkPattern(ConfigNode node, String pattern) {
    String letters = pattern.replaceAll("'[^']*'", "");
    for (char c : "YwWuecEFqQ".toCharArray()) {
      if (letters.indexOf(c) >= 0) {
        throw node.error("'" + pattern + "': Spark cannot parse with the pattern letter '" + c
            + "' (week-based or format-only); use letters like dd.MM.yyyy HH:mm:ss");
      }
    }
    try {
      java.time.format.DateTimeFormatter.ofPattern(pattern);
    } catch (IllegalArgumentException e) {
      throw node.error("'" + pattern + "' is not a date pattern (" + e.getMessage()
          + "); use letters like dd.MM.yyyy");
    }
  }

  private static String charset(ConfigNode node) {
    String name = node.string("UTF-8");
    try {
      return Charset.forName(name).name();
    } catch (IllegalArgumentException e) {
      throw node.error("unknown encoding '" + name + "'; use UTF-8, windows-1252 or ISO-8859-1");
    }
  }

  private static LocalDate date(ConfigNode node, String s) {
    try {
      return LocalDate.parse(s.trim());
    } catch (DateTimeParseException e) {
      throw node.error("expected a date like 2025-12-31, found '" + s + "'");
    }
  }

  /** An ISO 4217 code, upper-cased: EUR, CHF, USD. */
  private static String currency(ConfigNode node, String s) {
    String code = s.trim().toUpperCase(Locale.ROOT);
    try {
      return java.util.Currency.getInstance(code).getCurrencyCode();
    } catch (IllegalArgumentException e) {
      throw node.error("expected the currency of the company's amounts as an ISO 4217 code (EUR, CHF, USD, GBP, ...), "
          + "found '" + s + "'");
    }
  }

  private static <E extends Enum<E>> E enumValue(ConfigNode node, Class<E> type, String dflt) {
    String s = node.string(dflt);
    try {
      return Enum.valueOf(type, s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw node.error("unknown value '" + s + "'; use one of "
          + String.join(", ", java.util.Arrays.stream(type.getEnumConstants())
              .map(c -> c.name().toLowerCase(Locale.ROOT)).toList()));
    }
  }

  /** The table's own setting, else the one under defaults. */
  private static ConfigNode pick(ConfigNode table, ConfigNode defaults, String key) {
    ConfigNode own = table.child(key);
    return own.isMissing() ? defaults.child(key) : own;
  }

  /** A local path relative to {@code base}, or a URI (hdfs://, s3a://, file:/) as written. */
  public static String resolvePath(Path base, String p) {
    if (p.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:/.*")) {
      return p; // s3a://, hdfs://, file:// stay as written
    }
    return base.resolve(p).normalize().toString();
  }

  private static String unescape(String s) {
    return switch (s) {
      case "\\t", "tab" -> "\t";
      default -> s;
    };
  }

  private static List<String> lower(List<String> words) {
    return words.stream().map(w -> w.trim().toLowerCase(Locale.ROOT)).toList();
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    java.util.HashSet<String> u = new java.util.HashSet<>(a);
    u.addAll(b);
    return Set.copyOf(u);
  }
}
