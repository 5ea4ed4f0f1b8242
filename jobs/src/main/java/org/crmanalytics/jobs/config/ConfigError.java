package org.crmanalytics.jobs.config;

import org.crmanalytics.jobs.base.UserError;

/** A configuration mistake, naming the key as the user wrote it and the file it is in. */
public final class ConfigError extends UserError {
  private static final long serialVersionUID = 1L;

  public ConfigError(String source, String key, String problem) {
    super(source + ": " + (key.isEmpty() ? "" : key + ": ") + problem);
  }
}
