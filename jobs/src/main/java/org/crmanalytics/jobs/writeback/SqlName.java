package org.crmanalytics.jobs.writeback;

import java.util.Optional;
import java.util.regex.Pattern;
import org.crmanalytics.jobs.config.ConfigNode;

/**
 * A table or column name from the configuration. Only plain names pass ({@link #PATTERN}: letters,
 * digits and '_', at most 63 characters, a table optionally as {@code schema.table}), and they are
 * always quoted for the database, so no configuration value can become SQL.
 */
public record SqlName(Optional<String> schema, String name) {
  public static final String PATTERN = "[A-Za-z_][A-Za-z0-9_]{0,62}";
  private static final Pattern PLAIN = Pattern.compile(PATTERN);
  private static final Pattern QUALIFIED = Pattern.compile("(" + PATTERN + ")(?:\\.(" + PATTERN + "))?");
  private static final String RULE = "use letters, digits and '_' (starting with a letter or '_', at most 63 "
      + "characters)";

  public SqlName {
    if (!PLAIN.matcher(name).matches() || schema.map(s -> !PLAIN.matcher(s).matches()).orElse(false)) {
      throw new IllegalArgumentException("not a plain SQL name: " + schema.map(s -> s + ".").orElse("") + name);
    }
  }

  /** A column name, or a config error naming {@code node}'s key. */
  public static String column(ConfigNode node, String typed) {
    if (!PLAIN.matcher(typed).matches()) {
      throw node.error("'" + shown(typed) + "' is not a plain column name: " + RULE);
    }
    return typed;
  }

  /** A table name, optionally schema-qualified, or a config error naming {@code node}'s key. */
  public static SqlName table(ConfigNode node, String typed) {
    var m = QUALIFIED.matcher(typed);
    if (!m.matches()) {
      throw node.error("'" + shown(typed) + "' is not a plain table name: " + RULE
          + ", optionally as schema.table");
    }
    return m.group(2) == null ? new SqlName(Optional.empty(), m.group(1))
        : new SqlName(Optional.of(m.group(1)), m.group(2));
  }

  /** The same schema, another table name. */
  public SqlName sibling(String table) {
    return new SqlName(schema, table);
  }

  /** As the user wrote it, for messages. */
  @Override
  public String toString() {
    return schema.map(s -> s + ".").orElse("") + name;
  }

  /** Quoted for {@code dialect}: {@code "crm"."scores"} or {@code `crm`.`scores`}. */
  public String sql(Dialect dialect) {
    return schema.map(s -> dialect.quote(s) + ".").orElse("") + dialect.quote(name);
  }

  /** Long or odd values are cut, so a message stays one readable line. */
  private static String shown(String typed) {
    String oneLine = typed.replaceAll("\\s+", " ");
    return oneLine.length() > 80 ? oneLine.substring(0, 80) + "..." : oneLine;
  }
}
