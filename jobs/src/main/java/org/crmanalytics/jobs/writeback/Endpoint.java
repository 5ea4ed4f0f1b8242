package org.crmanalytics.jobs.writeback;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.crmanalytics.jobs.config.Secret;
import org.crmanalytics.jobs.writeback.WriteBackConfig.Jdbc;

/**
 * How executors and the driver reach the CRM database. Serializable because every Spark task opens
 * its own connection; the password travels inside the task like Spark's own JDBC writer sends it,
 * and {@link #toString} never shows it.
 */
public final class Endpoint implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Shown in pg_stat_activity, so an operator can tell the write-back's sessions apart. */
  public static final String APPLICATION_NAME = "crm-analytics writeback";
  private static final int CONNECT_TIMEOUT_SECONDS = 10;

  private final String url;
  private final Dialect dialect;
  private final String user;
  private final String password;
  private final Map<String, String> properties;
  private final String shown;

  public Endpoint(Jdbc jdbc) {
    this.url = jdbc.connection().url();
    this.dialect = jdbc.dialect();
    this.user = jdbc.connection().user().orElse(null);
    this.password = jdbc.password().map(Secret::reveal).orElse(null);
    this.properties = Map.copyOf(jdbc.connection().properties());
    this.shown = jdbc.connection().describe();
  }

  public Dialect dialect() {
    return dialect;
  }

  /** A connection with auto-commit off. */
  public Connection open() throws SQLException {
    Driver driver;
    try {
      driver = (Driver) Class.forName(dialect.driver()).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("JDBC driver " + dialect.driver() + " is not on the classpath", e);
    }
    Properties p = new Properties();
    properties.forEach(p::setProperty);
    Optional.ofNullable(user).ifPresent(u -> p.setProperty("user", u));
    Optional.ofNullable(password).ifPresent(s -> p.setProperty("password", s));
    if (dialect == Dialect.POSTGRESQL) {
      p.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
      p.setProperty("ApplicationName", APPLICATION_NAME);
    } else {
      p.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS * 1000));
      // Update counts say what changed, not which rows matched.
      p.setProperty("useAffectedRows", "true");
    }
    Connection c = driver.connect(url, p);
    if (c == null) {
      throw new SQLException("the " + dialect.driver() + " driver does not accept the URL of " + shown, "08001");
    }
    c.setAutoCommit(false);
    return c;
  }

  /** A database message without the password, first line only (later lines may quote rows). */
  public String describe(Throwable t) {
    String message = null;
    for (Throwable c = t; c != null && c != c.getCause(); c = c.getCause()) {
      if (c instanceof SQLException s) {
        SQLException next = s.getNextException();
        message = (next != null ? next : s).getMessage();
        break;
      }
    }
    if (message == null) {
      Throwable root = t;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      message = root.getClass().getSimpleName() + (root.getMessage() != null ? ": " + root.getMessage() : "");
    }
    message = message.strip();
    int nl = message.indexOf('\n');
    if (nl >= 0) {
      message = message.substring(0, nl).strip();
    }
    if (password != null && !password.isEmpty()) {
      message = message.replace(password, "******");
    }
    return message.replaceAll("(?i)(password=)[^&;\\s]*", "$1******");
  }

  @Override
  public String toString() {
    return shown + (user == null ? "" : " (user " + user + ")");
  }
}
