package org.crmanalytics.jobs.churn;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.models.btyd.ClvSettings;
import org.crmanalytics.models.btyd.CustomerLifetimeValue;
import org.crmanalytics.models.churn.ChurnTrainingSet.PointInTimeFeatures;
import org.crmanalytics.models.features.CustomerSnapshot;
import org.crmanalytics.models.scores.CustomerScores;

/** What training and scoring read: the snapshot's silver tables and the BTYD outputs at a date. */
final class ChurnInputs {
  static final String P_ALIVE = CustomerScores.P_ALIVE;
  static final String BTYD_EXPECTED_ORDERS = "btyd_expected_orders";
  static final List<String> BTYD_FEATURES = List.of(P_ALIVE, BTYD_EXPECTED_ORDERS);

  private ChurnInputs() {}

  static Map<String, Dataset<Row>> silver(RunContext ctx, String stage) {
    List<String> absent = new ArrayList<>();
    Map<String, Dataset<Row>> silver = ctx.silverTables(CustomerSnapshot.INPUT_TABLES, stage, absent);
    if (!absent.isEmpty()) {
      ctx.console().detail(stage + ": no data for " + String.join(", ", absent) + " (features null)");
    }
    return silver;
  }

  /**
   * customer_id, p_alive and btyd_expected_orders from the clv stage's output of this as_of; when
   * there is no such output (the clv stage failed or did not run), customer_id alone, with no
   * rows: a model trained without the CLV features scores as usual, one trained with them stops
   * with an error naming the missing features.
   */
  static Dataset<Row> btydAt(RunContext ctx) {
    return clvOutput(ctx).orElseGet(() -> {
      ctx.console().info("churn: no clv output at " + clvPath(ctx) + " (run the clv stage for as_of "
          + ctx.config().asOf() + "); the CLV features " + String.join(", ", BTYD_FEATURES) + " are absent");
      return ctx.spark().createDataFrame(List.of(), new StructType().add(CustomerScores.CUSTOMER_ID,
          DataTypes.StringType));
    });
  }

  static String clvPath(RunContext ctx) {
    return ctx.path(Output.CLV_CUSTOMERS);
  }

  /** The BTYD columns of the clv stage's output of this as_of, or empty when there is none. */
  static Optional<Dataset<Row>> clvOutput(RunContext ctx) {
    return ctx.read(Output.CLV_CUSTOMERS).map(ChurnInputs::btydColumns);
  }

  static Dataset<Row> btydColumns(Dataset<Row> clv) {
    return clv.select(col(CustomerScores.CUSTOMER_ID), col(CustomerScores.P_ALIVE).as(P_ALIVE),
        col(CustomerScores.EXPECTED_ORDERS).as(BTYD_EXPECTED_ORDERS));
  }

  /**
   * The BTYD columns as of any date D: the clv stage's models fitted on the sales up to D (its
   * summary sees nothing later), with the clv section's settings and the same fallbacks (another
   * purchase model, or none: null P(alive), which leaves the features out). Used for training snapshots.
   */
  static PointInTimeFeatures btydFeatures(RunContext ctx, Dataset<Row> sales) {
    ClvSettings clv = ctx.config().settings(ClvSettings.class);
    return date -> {
      ClvSettings settings = clv.withAsOf(date);
      Dataset<Row> summary = CustomerLifetimeValue.summary(sales, settings);
      // the clv stage's own choice and fallbacks, so training sees what scoring will read
      return btydColumns(CustomerLifetimeValue.fitWithFallback(summary, settings).transform(summary));
    };
  }

  /**
   * The CLV features of a training run: the BTYD columns at every date, computed now, or none with
   * the reason. A fit that fails at any date (e.g. {@code ArithmeticException: 2F1 ... did not
   * converge}), or one that gives every customer the same P(alive) (a degenerate fit, which carries
   * no information), leaves the CLV features out of the whole training: every snapshot must have
   * the same features.
   *
   * @param features the BTYD columns by date (null when left out)
   * @param leftOut why they were left out (null when used)
   */
  record TrainingClv(PointInTimeFeatures features, String leftOut, List<Dataset<Row>> cached) {
    TrainingClv(String leftOut) {
      this(null, leftOut, List.of());
    }

    /** Frees the BTYD columns held for the training set; call once the set is written. */
    void release() {
      cached.forEach(Dataset::unpersist);
    }
  }

  static TrainingClv trainingClv(RunContext ctx, PointInTimeFeatures btyd, List<LocalDate> dates) {
    // The model's features must be there when it scores: the clv output of this as_of.
    Optional<Dataset<Row>> now = clvOutput(ctx);
    if (now.isEmpty()) {
      return new TrainingClv("there is no clv output for as_of " + ctx.config().asOf() + " at " + clvPath(ctx)
          + " (the clv stage failed or did not run), so scoring could not provide them");
    }
    String degenerate = degenerate(now.get(), "the clv output for as_of " + ctx.config().asOf());
    if (degenerate != null) {
      return new TrainingClv(degenerate);
    }
    return trainingClv(btyd, dates);
  }

  /** Why {@code btyd} carries no information (every customer the same P(alive)), or null. */
  private static String degenerate(Dataset<Row> btyd, String what) {
    // The sum makes Spark compute the expected orders too, so that their failure surfaces here.
    Row r = btyd.agg(min(col(P_ALIVE)), max(col(P_ALIVE)), sum(col(BTYD_EXPECTED_ORDERS))).first();
    if (r.isNullAt(0)) {
      return what + " has no P(alive) for any customer (no usable purchase model, or one that sees no customer "
          + "leaving; the clv flags say which)";
    }
    if (r.getDouble(1) - r.getDouble(0) < 1e-9) {
      return String.format(Locale.ROOT, "%s gives every customer the same P(alive) (%s), a degenerate fit", what,
          r.get(0));
    }
    return null;
  }

  static TrainingClv trainingClv(PointInTimeFeatures btyd, List<LocalDate> dates) {
    Map<LocalDate, Dataset<Row>> byDate = new HashMap<>();
    for (LocalDate d : dates) {
      Dataset<Row> x;
      try {
        // Computed here, not lazily inside the training set's write, so a failure is caught here.
        x = btyd.asOf(d).persist(StorageLevel.MEMORY_AND_DISK());
        String degenerate = degenerate(x, "the BTYD fit on the sales up to " + d);
        if (degenerate != null) {
          byDate.values().forEach(Dataset::unpersist);
          x.unpersist();
          return new TrainingClv(degenerate);
        }
      } catch (UserError e) {
        throw e;
      } catch (Exception e) {
        byDate.values().forEach(Dataset::unpersist);
        return new TrainingClv("the BTYD fit on the sales up to " + d + " failed (" + rootCause(e) + ")");
      }
      byDate.put(d, x);
    }
    return new TrainingClv(byDate::get, null, List.copyOf(byDate.values()));
  }

  /** The innermost cause as "Type: message": what went wrong, without Spark's wrappers. */
  static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
