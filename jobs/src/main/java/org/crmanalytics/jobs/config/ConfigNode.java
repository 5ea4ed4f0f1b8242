package org.crmanalytics.jobs.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML node that knows its dotted key path, so every error names the key as the user wrote it
 * ({@code tables.sales.csv.delimiter}), and that resolves {@code ${env:NAME}} and
 * {@code ${env:NAME:-default}} in string values.
 */
public final class ConfigNode {
  private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

  private final String file;
  private final String path;
  private final JsonNode node;
  private final Map<String, String> env;

  ConfigNode(String file, String path, JsonNode node, Map<String, String> env) {
    this.file = file;
    this.path = path;
    this.node = node;
    this.env = env;
  }

  public String path() {
    return path;
  }

  public ConfigError error(String problem) {
    return new ConfigError(file, path, problem);
  }

  public boolean isMissing() {
    return node == null || node.isMissingNode() || node.isNull();
  }

  public boolean has(String key) {
    return !child(key).isMissing();
  }

  public ConfigNode child(String key) {
    JsonNode c = node == null || !node.isObject() ? null : node.get(key);
    return new ConfigNode(file, path.isEmpty() ? key : path + "." + key, c, env);
  }

  /** Fails on keys this section does not know, suggesting the closest known one. */
  public ConfigNode allowOnly(Set<String> known) {
    if (isMissing()) {
      return this;
    }
    if (!node.isObject()) {
      throw error("expected a section with keys " + String.join(", ", new java.util.TreeSet<>(known)));
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        String hint = closest(k, known).map(s -> " (did you mean '" + s + "'?)").orElse("");
        throw new ConfigError(file, path.isEmpty() ? k : path + "." + k,
            "unknown key" + hint + "; known keys here: " + String.join(", ", new java.util.TreeSet<>(known)));
      }
    }
    return this;
  }

  /** Entries of a map section in file order. */
  public Map<String, ConfigNode> entries() {
    Map<String, ConfigNode> out = new LinkedHashMap<>();
    if (isMissing()) {
      return out;
    }
    if (!node.isObject()) {
      throw error("expected a section of 'name: value' entries");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      out.put(k, child(k));
    }
    return out;
  }

  public boolean isScalar() {
    return node != null && node.isValueNode() && !node.isNull();
  }

  public boolean isObject() {
    return node != null && node.isObject();
  }

  public Optional<String> optString() {
    if (isMissing()) {
      return Optional.empty();
    }
    if (!node.isValueNode()) {
      throw error("expected a single value, found a " + (node.isArray() ? "list" : "section"));
    }
    return Optional.of(interpolate(node.asText()));
  }

  public String string(String defaultValue) {
    return optString().orElse(defaultValue);
  }

  public String requiredString() {
    return optString().filter(s -> !s.isBlank()).orElseThrow(() -> error("is required"));
  }

  /** A secret value: like a string, but never echoed back in an error. */
  Optional<Secret> optSecret() {
    if (isMissing()) {
      return Optional.empty();
    }
    if (!node.isValueNode()) {
      throw error("expected a single value");
    }
    return Optional.of(Secret.of(interpolate(node.asText())));
  }

  public boolean bool(boolean defaultValue) {
    Optional<String> s = optString();
    if (s.isEmpty()) {
      return defaultValue;
    }
    return switch (s.get().trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw error("expected true or false, found '" + s.get() + "'");
    };
  }

  public Optional<Long> optLong() {
    return optString().map(s -> {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw error("expected a whole number, found '" + s + "'");
      }
    });
  }

  public Optional<Double> optDouble() {
    return optString().map(s -> {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        throw error("expected a number, found '" + s + "'");
      }
    });
  }

  /** A list of strings; a single value counts as a list of one. */
  public List<String> stringList(List<String> defaultValue) {
    if (isMissing()) {
      return defaultValue;
    }
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        JsonNode item = node.get(i);
        if (!item.isValueNode()) {
          throw new ConfigError(file, path + "[" + i + "]", "expected a single value");
        }
        out.add(interpolate(item.asText()));
      }
    } else {
      out.add(optString().orElseThrow());
    }
    return out;
  }

  private String interpolate(String raw) {
    Matcher m = ENV.matcher(raw);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = env.get(name);
      if (value == null) {
        if (m.group(2) == null) {
          throw error("environment variable " + name + " is not set; export it or use ${env:"
              + name + ":-default}");
        }
        value = m.group(3);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Optional<String> closest(String typed, Set<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(typed.toLowerCase(java.util.Locale.ROOT), k);
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    return bestDistance <= Math.max(2, typed.length() / 3) ? Optional.ofNullable(best) : Optional.empty();
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
