package org.crmanalytics.tools.demodb;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.config.Secret;
import org.crmanalytics.tools.demodb.DemoDatabase.Vendor;

/**
 * A database to write to: URL, user and password (a {@link Secret}, only ever handed to the
 * driver). Opens plain JDBC connections for DDL and gives Spark's JDBC writer its options. Every
 * error it raises is one line without the password.
 */
public final class JdbcTarget {
  private static final Pattern CREDENTIALS_IN_URL =
      Pattern.compile("(?i)(password|pwd)\\s*=|//[^/?]*@");
  /** Seconds to wait for a database that does not answer. */
  private static final int CONNECT_TIMEOUT_SECONDS = 10;

  private final String url;
  private final Vendor vendor;
  private final Optional<String> user;
  private final Optional<Secret> password;

  public JdbcTarget(String url, Optional<String> user, Optional<Secret> password) {
    if (CREDENTIALS_IN_URL.matcher(url).find()) {
      // The URL is shown in messages and shell history; the password belongs in the environment.
      throw new UserError("--jdbc-url must not hold credentials: put the password in an environment "
          + "variable and name it with --password-env, the user in --user");
    }
    this.url = url.trim();
    this.vendor = Vendor.of(this.url);
    this.user = user;
    this.password = password;
  }

  public Vendor vendor() {
    return vendor;
  }

  /** The URL as the user gave it (it holds no credentials, see the constructor). */
  public String url() {
    return url;
  }

  /** The URL Spark is given (a MariaDB URL under the mysql prefix, see the method it calls). */
  public String sparkUrl() {
    return org.crmanalytics.jobs.config.PipelineConfig.Connection.sparkUrl(url);
  }

  /** Driver properties: credentials, timeouts and the batch rewrite that makes bulk inserts fast. */
  Properties driverProperties() {
    Properties p = new Properties();
    user.ifPresent(u -> p.setProperty("user", u));
    password.ifPresent(s -> p.setProperty("password", s.reveal()));
    if (vendor == Vendor.POSTGRESQL) {
      p.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
      p.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
      p.setProperty("ApplicationName", "crm-analytics demo-db");
    } else {
      p.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS * 1000));
    }
    p.setProperty(vendor.batchRewriteProperty(), "true");
    return p;
  }

  /** Options for {@code DataFrameWriter.format("jdbc")}, without the table. */
  Map<String, String> sparkOptions() {
    Map<String, String> o = new LinkedHashMap<>();
    Properties p = driverProperties();
    p.stringPropertyNames().forEach(k -> o.put(k, p.getProperty(k)));
    o.put("url", sparkUrl());
    o.put("driver", vendor.driver());
    return o;
  }

  /** A connection for DDL and counts; a readable {@link UserError} when the database is not there. */
  public Connection connect() {
    Driver driver;
    try {
      driver = (Driver) Class.forName(vendor.driver()).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("JDBC driver " + vendor.driver() + " is not on the classpath", e);
    }
    try {
      Connection c = driver.connect(sparkUrl(), driverProperties());
      if (c == null) {
        throw new UserError("--jdbc-url: the " + vendor.name().toLowerCase(java.util.Locale.ROOT)
            + " driver does not accept " + url);
      }
      return c;
    } catch (SQLException e) {
      throw new UserError("cannot connect to " + url + user.map(u -> " as " + u).orElse("") + ": "
          + describe(e) + (looksDown(e) ? " Is the database running, and are host and port right?" : ""));
    }
  }

  /** Whether an error means no database answered (as opposed to a refused login). */
  private static boolean looksDown(SQLException e) {
    String state = e.getSQLState();
    return state != null && state.startsWith("08") && !String.valueOf(e.getMessage()).contains("password");
  }

  /**
   * One line for a database error anywhere in {@code t}'s causes: the database's own message (for
   * a failed batch the statement that failed, not the batch with its values), first line only (the
   * lines after it may quote rows), the password masked.
   */
  public String describe(Throwable t) {
    SQLException best = null;
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
      if (c instanceof SQLException s) {
        for (SQLException n = s; n != null && (n == s || seen.add(n)); n = n.getNextException()) {
          if (best == null || !(n instanceof BatchUpdateException)) {
            best = n;
          }
        }
      }
    }
    String message;
    if (best != null) {
      message = best.getMessage();
    } else {
      Throwable root = t;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
    message = String.valueOf(message).strip();
    int nl = message.indexOf('\n');
    if (nl >= 0) {
      message = message.substring(0, nl).strip();
    }
    // pgjdbc: "Batch entry 0 INSERT INTO ... VALUES (...) was aborted: ERROR: ..." quotes a row.
    message = message.replaceFirst("(?s)^Batch entry \\d+ .* was aborted: ", "");
    return redact(message);
  }

  /** Masks the password wherever a driver may have echoed it. */
  public String redact(String message) {
    String out = message;
    if (password.isPresent() && !password.get().reveal().isEmpty()) {
      out = out.replace(password.get().reveal(), "******");
    }
    return out.replaceAll("(?i)(password=)[^&;\\s]*", "$1******");
  }

  @Override
  public String toString() {
    return url + user.map(u -> " (user " + u + ")").orElse("");
  }
}
