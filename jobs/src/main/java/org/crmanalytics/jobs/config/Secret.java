package org.crmanalytics.jobs.config;

import java.util.Objects;

/** A password or token: readable by code that needs it, never by toString, logs or errors. */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value);
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  /** The secret itself; call only where it is handed to a driver. */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "******";
  }
}
