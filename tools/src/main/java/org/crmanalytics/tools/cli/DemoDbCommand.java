package org.crmanalytics.tools.cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.cli.CommandExtension;
import org.crmanalytics.jobs.cli.CommonOptions;
import org.crmanalytics.jobs.config.Secret;
import org.crmanalytics.jobs.spark.SparkSessions;
import org.crmanalytics.tools.demodb.DemoDatabase;
import org.crmanalytics.tools.demodb.DemoDbLoader;
import org.crmanalytics.tools.demodb.JdbcTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code crm-analytics demo-db load}: the sample company in a real CRM/ERP database. */
@Command(name = "demo-db", mixinStandardHelpOptions = true,
    description = "A demo CRM/ERP database holding the sample company, to try the JDBC sources "
        + "(data-samples/mappings/postgres.yaml and mariadb.yaml read it).",
    subcommands = {DemoDbCommand.Load.class})
public final class DemoDbCommand implements Callable<Integer>, CommandExtension {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "name what to do: demo-db load (see demo-db --help)");
  }

  @Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
      description = {
        "Loads a company (default: the bundled sample) into PostgreSQL schemas crm and erp, or MariaDB/MySQL "
            + "databases crm and erp: tables with real SQL types, primary and foreign keys, created "
            + "explicitly. Running it again replaces the eleven tables and nothing else.",
        "",
        "Example: crm-analytics demo-db load --jdbc-url jdbc:postgresql://127.0.0.1:5432/test --user postgres",
        "         CRM_DB_PASSWORD=... crm-analytics demo-db load --jdbc-url jdbc:mariadb://127.0.0.1:3306/test "
            + "--user root --password-env CRM_DB_PASSWORD"})
  public static final class Load implements Callable<Integer> {
    private static final String ENV_NAME = "[A-Za-z_][A-Za-z0-9_]*";

    @Mixin CommonOptions common;

    @Option(names = "--jdbc-url", required = true, paramLabel = "URL",
        description = "jdbc:postgresql://host:5432/db or jdbc:mariadb://host:3306/db (no credentials in it).")
    String url;

    @Option(names = "--user", paramLabel = "USER", description = "Database user.")
    String user;

    @Option(names = "--password-env", paramLabel = "NAME",
        description = "Name of the environment variable that holds the password (never the password itself). "
            + "Default: no password.")
    String passwordEnv;

    @Option(names = "--data", paramLabel = "DIR",
        description = "Company folder with a folder of CSV files per table. Default: data-samples/company.")
    Path data;

    @Option(names = "--schema-prefix", paramLabel = "PREFIX", defaultValue = "",
        description = "Put in front of the schema names, e.g. 'demo_' gives demo_crm and demo_erp. Default: none.")
    String schemaPrefix;

    @Override
    public Integer call() {
      // Everything that can be checked without Spark is checked first, the connection included.
      JdbcTarget target = new JdbcTarget(url, Optional.ofNullable(user), password());
      DemoDatabase db = new DemoDatabase(target.vendor(), schemaPrefix);
      Path company = (data != null ? data : defaultData()).toAbsolutePath().normalize();
      if (!java.nio.file.Files.isDirectory(company.resolve("customers"))) {
        throw new UserError("--data: no company at " + company + " (expected a folder per table with CSV files, "
            + "like data-samples/company/customers/); pass --data DIR");
      }
      long start = System.nanoTime();
      try (Console console = common.console();
          Connection connection = target.connect()) {
        console.info("demo-db load " + company + " -> " + target + ", "
            + (db.vendor() == DemoDatabase.Vendor.POSTGRESQL ? "schemas " : "databases ")
            + String.join(" and ", db.schemas()));
        List<DemoDbLoader.LoadedTable> loaded;
        SparkSession spark = SparkSessions.create("crm-analytics demo-db load", common.master());
        try {
          loaded = new DemoDbLoader(console).load(spark, target, connection, db, company);
        } finally {
          spark.stop();
        }
        long rows = loaded.stream().mapToLong(DemoDbLoader.LoadedTable::rows).sum();
        console.result(String.format(Locale.ROOT, "loaded %,d rows into %d tables of %s in %s", rows,
            loaded.size(), target.url(), Console.format(Duration.ofNanos(System.nanoTime() - start))));
      } catch (SQLException e) {
        throw new UserError("database error: " + target.describe(e)); // closing the connection
      }
      return 0;
    }

    /** The password from the environment; a name that is not set is an error, not an empty password. */
    private Optional<Secret> password() {
      if (passwordEnv == null) {
        return Optional.empty();
      }
      if (!passwordEnv.matches(ENV_NAME)) {
        // Never echo it: someone may have typed the password itself.
        throw new UserError("--password-env takes the name of an environment variable that holds the "
            + "password (for example CRM_DB_PASSWORD), not the password");
      }
      String value = System.getenv(passwordEnv);
      if (value == null) {
        boolean conventional = passwordEnv.matches("[A-Z_][A-Z0-9_]*");
        throw new UserError("--password-env: the environment variable "
            + (conventional ? passwordEnv + " " : "named there ")
            + "is not set; export it first (export CRM_DB_PASSWORD=...), or leave out --password-env for "
            + "a database without password");
      }
      return Optional.of(Secret.of(value));
    }

    /** The sample next to the launcher (CRM_ANALYTICS_HOME) or in the working directory. */
    private static Path defaultData() {
      String home = System.getenv("CRM_ANALYTICS_HOME");
      return home != null ? Path.of(home, "data-samples", "company") : Path.of("data-samples", "company");
    }
  }
}
