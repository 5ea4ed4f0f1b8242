package org.crmanalytics.jobs.config;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stages' settings records, bound from their sections of one file. Kept with the parsed file
 * so that a new as_of (from the command line) binds them again for that date.
 */
public final class StageSettings {
  private final String source;
  private final ConfigNode root;
  private final List<ConfigSection<?>> sections;
  private final Map<Class<?>, Object> bound;

  private StageSettings(String source, ConfigNode root, List<ConfigSection<?>> sections, LocalDate asOf) {
    this.source = source;
    this.root = root;
    this.sections = List.copyOf(sections);
    Map<Class<?>, Object> out = new LinkedHashMap<>();
    for (ConfigSection<?> s : sections) {
      out.put(s.type(), s.bind(root, asOf, source));
    }
    this.bound = out;
  }

  static StageSettings bind(String source, ConfigNode root, List<ConfigSection<?>> sections, LocalDate asOf) {
    return new StageSettings(source, root, sections, asOf);
  }

  /** The same sections bound for another date. */
  StageSettings at(LocalDate asOf) {
    return new StageSettings(source, root, sections, asOf);
  }

  <T> T get(Class<T> type) {
    Object value = bound.get(type);
    if (value == null) {
      throw new IllegalStateException("no section of the configuration binds " + type.getSimpleName()
          + "; the program's sections are " + names());
    }
    return type.cast(value);
  }

  /** Section names, for the loader's check of top-level keys. */
  List<String> names() {
    return sections.stream().map(ConfigSection::name).toList();
  }

  @Override
  public String toString() {
    return "sections " + names();
  }
}
