package org.crmanalytics.models;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalog.Table;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The one test session ({@link LocalSpark}) of this JVM, for {@code @ExtendWith(SharedSpark.class)}
 * classes: a {@code SparkSession} parameter of a test or lifecycle method gets it. Starting a
 * session costs seconds and Surefire runs all test classes of the module in one JVM, so they share
 * it; it is stopped once, when JUnit closes its root store at the end of the run. Tests never stop
 * it. The CLI stops the session it gets: the next class that asks then gets a new one. One class
 * serves the tests of every module (the models test jar).
 *
 * <p>After each class the state a class can leave in the session is undone, so that no class
 * depends on the ones before it: cached data, temporary views, and SQL settings changed since the
 * session started.
 */
public final class SharedSpark implements ParameterResolver, BeforeAllCallback, AfterAllCallback {
  private static final Namespace NAMESPACE = Namespace.create(SharedSpark.class);

  private static SparkSession session;
  private static Map<String, String> startSettings;

  /** The shared session; started (again) when it is not running. */
  public static synchronized SparkSession session() {
    if (session == null || session.sparkContext().isStopped()) {
      stopOthers();
      session = LocalSpark.start("test");
      startSettings = settings(session);
    }
    return session;
  }

  /**
   * Stops the shared session, so that the code under test (a CLI command) starts a session of its
   * own with its own settings, or another master (the local cluster) can start: a JVM has one
   * SparkContext at a time. The next {@link #session()} starts a new one.
   */
  public static synchronized void release() {
    if (session != null) {
      session.stop();
      session = null;
    }
  }

  /** A session left running by someone else (the local cluster) would be returned by getOrCreate. */
  private static void stopOthers() {
    for (var other : java.util.List.of(SparkSession.getActiveSession(), SparkSession.getDefaultSession())) {
      if (other.isDefined() && !other.get().sparkContext().isStopped()) {
        other.get().stop();
      }
    }
    SparkSession.clearActiveSession();
    SparkSession.clearDefaultSession();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // Closed by JUnit after the last test of the run, not after this class.
    context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent("stop", key -> (ExtensionContext.Store.CloseableResource) SharedSpark::release);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    tidy();
  }

  private static synchronized void tidy() {
    if (session == null || session.sparkContext().isStopped()) {
      return;
    }
    session.catalog().clearCache();
    for (Table t : session.catalog().listTables().collectAsList()) {
      if (t.isTemporary()) {
        session.catalog().dropTempView(t.name());
      }
    }
    Map<String, String> now = settings(session);
    now.forEach((key, value) -> {
      if (!startSettings.containsKey(key) && session.conf().isModifiable(key)) {
        session.conf().unset(key);
      }
    });
    startSettings.forEach((key, value) -> {
      if (!value.equals(now.get(key)) && session.conf().isModifiable(key)) {
        session.conf().set(key, value);
      }
    });
  }

  private static Map<String, String> settings(SparkSession spark) {
    return new HashMap<>(CollectionConverters.asJava(spark.conf().getAll()));
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SparkSession.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return session();
  }
}
