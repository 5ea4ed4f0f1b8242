package org.crmanalytics.models.btyd;

import breeze.linalg.DenseVector;
import breeze.optimize.FirstOrderMinimizer;
import breeze.optimize.LBFGS;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.crmanalytics.models.spark.SparkInternals;
import scala.Tuple2;

/**
 * Maximum likelihood over distinct sufficient-statistic rows with breeze's L-BFGS (shipped with
 * Spark), parameters optimised as their logs so that every step stays positive.
 *
 * <p>Where the iterations run: the distinct rows are packed into one column-array block per
 * partition, once. When there are at most {@code maxDistinctRows} of them (the usual case: far
 * fewer distinct (x, t_x, T) than customers when times are whole days or weeks) the blocks are
 * collected to the driver ONCE and every iteration runs there, in microseconds per thousand rows
 * and without a Spark job per iteration. Above the bound nothing is collected: the blocks stay
 * cached on the executors and each iteration is one treeAggregate. Nothing per customer ever
 * reaches the driver.
 */
public final class MaximumLikelihood {
  private MaximumLikelihood() {}

  public enum Evaluation { DRIVER, EXECUTORS }

  /**
   * The fitted parameters (natural scale) and how the fit went; largestGradient is the final
   * largest component of the gradient of −ln L / customers by log parameter (NaN when unknown),
   * which says whether the optimiser reached an optimum whatever its stop reason.
   */
  public record Fit(double[] parameters, double logLikelihood, int iterations, String convergence,
      Evaluation evaluation, long distinctRows, double customers, long prepareMillis, long optimiseMillis,
      double largestGradient) implements Serializable {
    public Fit(double[] parameters, double logLikelihood, int iterations, String convergence, Evaluation evaluation,
        long distinctRows, double customers, long prepareMillis, long optimiseMillis) {
      this(parameters, logLikelihood, iterations, convergence, evaluation, distinctRows, customers, prepareMillis,
          optimiseMillis, Double.NaN);
    }

    public String describe(List<String> names) {
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < parameters.length; i++) {
        s.append(names.get(i)).append('=').append(String.format(Locale.ROOT, "%.6g", parameters[i])).append(' ');
      }
      return s + String.format(Locale.ROOT,
          "LL=%.4f iterations=%d (%s) on %s, %,d distinct rows of %,.0f customers; %d ms to compress, %d ms to optimise",
          logLikelihood, iterations, convergence, evaluation, distinctRows, customers, prepareMillis, optimiseMillis);
    }
  }

  /**
   * Fitting settings: the bound on rows collected to the driver, and L-BFGS's limits; the fit stops
   * when the largest gradient component of −ln L / customers by log parameter is below tolerance.
   */
  public record Settings(long maxDistinctRows, int maxIterations, double tolerance) implements Serializable {
    public Settings {
      if (maxDistinctRows < 0 || maxIterations < 1 || !(tolerance > 0)) {
        throw new IllegalArgumentException("maxDistinctRows >= 0, maxIterations >= 1 and tolerance > 0 needed: "
            + maxDistinctRows + ", " + maxIterations + ", " + tolerance);
      }
    }
  }

  /**
   * Fits {@code model} on {@code customers}, one row per customer with its {@code columns} (x
   * first). Rows with a null in any column are an error.
   */
  public static Fit fit(LogLikelihood model, Dataset<Row> customers, List<String> columns, Settings settings,
      double[] start) {
    if (columns.size() != model.columnCount() || start.length != model.parameterNames().size()) {
      throw new IllegalArgumentException("expected " + model.columnCount() + " columns and "
          + model.parameterNames().size() + " start values");
    }
    List<Column> values = new ArrayList<>();
    for (String c : columns) {
      values.add(functions.col(c).cast("double").as(c));
    }
    Dataset<Row> selected = customers.select(values.toArray(Column[]::new));
    int width = columns.size();
    long started = System.nanoTime();
    // One job: every partition compresses its own customers to distinct rows with counts (no
    // shuffle) into one block, kept on the executors; the driver gets a partition's block when it
    // fits the partition's share of the bound, else only its size.
    JavaRDD<LogLikelihood.Block> blocks = SparkInternals
        .mapPartitionsInPlace(selected, it -> List.of(DistinctRows.pack(it, width, columns, model)).iterator())
        .persist(StorageLevel.MEMORY_AND_DISK());
    long share = settings.maxDistinctRows() / Math.max(1, blocks.getNumPartitions());
    try {
      List<Compressed> parts = blocks.map(b -> Compressed.of(b, share)).collect();
      double total = parts.stream().mapToDouble(Compressed::customers).sum();
      long distinct = parts.stream().mapToLong(Compressed::rows).sum();
      if (total == 0) {
        throw new IllegalArgumentException("no customers to fit " + model.parameterNames() + " on"
            + (model.columnCount() == 2 ? ": Gamma-Gamma needs customers with a repeat purchase (x > 0)" : ""));
      }
      if (parts.stream().allMatch(p -> p.block() != null)) {
        List<LogLikelihood.Block> local = parts.stream().map(Compressed::block).filter(b -> b.size() > 0).toList();
        return fitted(new Objective(model, total, local, null), start, settings, Evaluation.DRIVER, distinct, total,
            started);
      }
      // Too many distinct rows for the driver: the blocks stay where they are, each evaluation one
      // treeAggregate over them.
      return fitted(new Objective(model, total, null, blocks), start, settings, Evaluation.EXECUTORS, distinct, total,
          started);
    } finally {
      blocks.unpersist(false);
    }
  }

  /** A partition's distinct rows: the block itself when it fits the partition's share, else its size. */
  private record Compressed(LogLikelihood.Block block, long rows, double customers) implements Serializable {
    static Compressed of(LogLikelihood.Block block, long share) {
      return new Compressed(block.size() <= share ? block : null, block.size(), Arrays.stream(block.weights()).sum());
    }
  }

  private static Fit fitted(Objective objective, double[] start, Settings settings, Evaluation where, long rows,
      double customers, long started) {
    long prepared = System.nanoTime();
    Fit fit = minimise(objective, start, settings, where, rows, customers);
    return new Fit(fit.parameters(), fit.logLikelihood(), fit.iterations(), fit.convergence(), where, rows, customers,
        (prepared - started) / 1_000_000, (System.nanoTime() - prepared) / 1_000_000, fit.largestGradient());
  }

  private static Fit minimise(Objective objective, double[] start, Settings settings, Evaluation where, long rows,
      double customers) {
    double[] logStart = new double[start.length];
    for (int i = 0; i < start.length; i++) {
      logStart[i] = Math.log(start[i]);
    }
    // breeze's own stop (relative improvement below 1e-12) comes only after several failing line
    // searches at double precision, each costing evaluations; the fit stops itself as soon as the
    // largest gradient component of −ln L / customers by log parameter is below the tolerance.
    @SuppressWarnings({"unchecked", "rawtypes"})
    LBFGS<DenseVector<Object>> lbfgs = new LBFGS<>(settings.maxIterations(), 10, 1e-12,
        (breeze.math.MutableInnerProductModule) DenseVector.space_Double());
    scala.collection.Iterator<FirstOrderMinimizer.State<DenseVector<Object>, Object, Object>> states =
        lbfgs.iterations(SparkInternals.breezeDiffFunction(objective::calculate), new DenseVector<Object>(logStart));
    FirstOrderMinimizer.State<DenseVector<Object>, Object, Object> state = states.next();
    String stop = "maximum iterations";
    while (true) {
      if (largestComponent(state.grad()) <= settings.tolerance()) {
        stop = "gradient below " + settings.tolerance();
        break;
      }
      if (!states.hasNext()) {
        stop = state.convergenceReason().isDefined() ? state.convergenceReason().get().reason() : stop;
        break;
      }
      state = states.next();
    }
    double[] params = new double[start.length];
    for (int i = 0; i < params.length; i++) {
      params[i] = Math.exp((Double) state.x().apply(i));
    }
    String reason = stop;
    double[] gradient = new double[params.length];
    double logLikelihood = objective.safeLogLikelihood(params, gradient);
    // breeze also stops with "line search failed" once no step can improve at double precision; the
    // size of the final gradient (per customer, by log parameter) says whether that is the optimum.
    double largest = 0;
    for (int i = 0; i < params.length; i++) {
      largest = Math.max(largest, Math.abs(gradient[i] * params[i] / customers));
    }
    reason = String.format(Locale.ROOT, "%s, max |gradient| %.1e, %d evaluations", reason, largest,
        objective.evaluations);
    return new Fit(params, logLikelihood, state.iter(), reason, where, rows, customers, 0, 0,
        Double.isFinite(logLikelihood) ? largest : Double.NaN);
  }

  private static double largestComponent(DenseVector<Object> v) {
    double largest = 0;
    for (int i = 0; i < v.length(); i++) {
      largest = Math.max(largest, Math.abs((Double) v.apply(i)));
    }
    return largest;
  }

  /** −ln L / customers as a function of the log parameters, for L-BFGS. */
  private static final class Objective {
    private final LogLikelihood model;
    private final double customers;
    private final List<LogLikelihood.Block> local;
    private final JavaRDD<LogLikelihood.Block> distributed;
    private int evaluations;

    Objective(LogLikelihood model, double customers, List<LogLikelihood.Block> local,
        JavaRDD<LogLikelihood.Block> distributed) {
      this.model = model;
      this.customers = customers;
      this.local = local;
      this.distributed = distributed;
    }

    double logLikelihood(double[] params, double[] gradient) {
      if (local != null) {
        // One task per block on the driver's cores: blocks are independent sums.
        int n = params.length;
        double[][] parts = local.parallelStream().map(b -> {
          double[] part = new double[n + 1];
          part[n] = model.addTo(params, b, part);
          return part;
        }).toArray(double[][]::new);
        double total = 0;
        for (double[] part : parts) {
          total += part[n];
          if (gradient != null) {
            for (int i = 0; i < n; i++) {
              gradient[i] += part[i];
            }
          }
        }
        return total;
      }
      LogLikelihood m = model;
      int n = params.length;
      double[] sums = distributed.treeAggregate(new double[n + 1],
          (acc, b) -> {
            double[] g = new double[n];
            acc[n] += m.addTo(params, b, g);
            for (int i = 0; i < n; i++) {
              acc[i] += g[i];
            }
            return acc;
          },
          (l, r) -> {
            for (int i = 0; i <= n; i++) {
              l[i] += r[i];
            }
            return l;
          });
      if (gradient != null) {
        for (int i = 0; i < n; i++) {
          gradient[i] += sums[i];
        }
      }
      return sums[n];
    }

    /**
     * ln L, or NaN when it cannot be evaluated at these parameters (a 2F1 that does not converge,
     * an argument out of range): a failed trial step for the optimiser, never an exception out of the fit.
     */
    double safeLogLikelihood(double[] params, double[] gradient) {
      try {
        return logLikelihood(params, gradient);
      } catch (Exception e) { // Spark wraps an executor's exception in its own, undeclared
        for (Throwable c = e; c != null; c = c.getCause()) {
          if (c instanceof ArithmeticException || c instanceof IllegalArgumentException) {
            java.util.Arrays.fill(gradient, Double.NaN);
            return Double.NaN;
          }
        }
        if (e instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new IllegalStateException(e);
      }
    }

    Tuple2<Object, DenseVector<Object>> calculate(DenseVector<Object> logParams) {
      evaluations++;
      int n = logParams.length();
      double[] params = new double[n];
      for (int i = 0; i < n; i++) {
        params[i] = Math.exp((Double) logParams.apply(i));
      }
      double[] gradient = new double[n];
      double ll = safeLogLikelihood(params, gradient);
      double[] out = new double[n];
      boolean finite = Double.isFinite(ll);
      for (int i = 0; i < n; i++) {
        // chain rule for the log parameters: d/d(ln p) = p d/dp
        out[i] = -gradient[i] * params[i] / customers;
        finite &= Double.isFinite(out[i]);
      }
      // An overflowing trial step is reported as infinitely bad, so the line search backs off.
      double value = finite ? -ll / customers : Double.POSITIVE_INFINITY;
      return new Tuple2<>(value, new DenseVector<Object>(finite ? out : new double[n]));
    }
  }
}
