package org.crmanalytics.jobs.config;

import java.time.LocalDate;

/**
 * A top-level section of the configuration file that a stage owns ({@code churn:}), and how it
 * becomes that stage's settings record. The loader binds every section before Spark starts, so a
 * mistake in any of them stops the run at once with the key as typed; stages then ask the
 * configuration for their record by type and never see the file.
 *
 * @param name the section's key in the file
 * @param type the settings record it binds to, by which stages look it up
 * @param binder reads and validates the section (missing keys take their defaults)
 */
public record ConfigSection<T>(String name, Class<T> type, Binder<T> binder) {
  /** Binds one section; throws {@link ConfigError} naming the key. */
  @FunctionalInterface
  public interface Binder<T> {
    T bind(ConfigNode section, Context context);
  }

  /**
   * What a section may depend on besides itself.
   *
   * @param source the configuration file, for messages
   * @param asOf the run's date, null until one is given (settings that carry one are bound again when
   *     it changes)
   * @param connections the shared {@code connections:} section, for a section that names one
   */
  public record Context(String source, LocalDate asOf, ConfigNode connections) {}

  T bind(ConfigNode root, LocalDate asOf, String source) {
    return binder.bind(root.child(name), new Context(source, asOf, root.child("connections")));
  }
}
