package org.crmanalytics.models.btyd;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Transaction logs drawn from BG/NBD (purchases) and Gamma-Gamma (values) with known parameters,
 * for parameter-recovery tests and benchmarks. Deterministic: customer i draws from a generator
 * seeded with (seed, i), so the log does not depend on partitioning.
 *
 * <p>Customer i's first purchase is on a day drawn uniformly from the first {@code cohortDays} of
 * the period; while alive it buys at Poisson rate lambda ~ Gamma(r, alpha) per day and after each
 * repeat purchase drops out with probability p ~ Beta(a, b) (the BG/NBD story, Fader, Hardie and Lee
 * 2005, section 3). Each purchase is worth Gamma(pShape, nu), nu ~ Gamma(q, gamma), rounded to cents.
 */
public final class BtydSimulation {
  public static final StructType SCHEMA = new StructType()
      .add("customer_id", DataTypes.StringType, false)
      .add("order_date", DataTypes.DateType, false)
      .add("amount", DataTypes.DoubleType, false);

  /** BG/NBD parameters per DAY and Gamma-Gamma spend parameters. */
  public record Parameters(double r, double alphaDays, double a, double b, double p, double q, double gamma)
      implements java.io.Serializable {}

  private BtydSimulation() {}

  public static Dataset<Row> transactions(SparkSession spark, long customers, int partitions, Parameters params,
      LocalDate start, int cohortDays, int periodDays, long seed) {
    long epochDay = start.toEpochDay();
    FlatMapFunction<Long, Row> draw = id -> customer(id, params, epochDay, cohortDays, periodDays, seed).iterator();
    return spark.range(0, customers, 1, partitions).as(Encoders.LONG()).flatMap(draw, Encoders.row(SCHEMA));
  }

  static List<Row> customer(long id, Parameters params, long epochDay, int cohortDays, int periodDays, long seed) {
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id);
    double lambda = gamma(rng, params.r()) / params.alphaDays();
    double g1 = gamma(rng, params.a());
    double dropout = g1 / (g1 + gamma(rng, params.b()));
    double nu = gamma(rng, params.q()) / params.gamma();
    String customerId = "C" + id;
    List<Row> rows = new ArrayList<>();
    double t = rng.nextInt(cohortDays);
    rows.add(row(customerId, epochDay, t, gamma(rng, params.p()) / nu));
    while (true) {
      t += -Math.log(1 - rng.nextDouble()) / lambda;
      if (t >= periodDays) {
        break;
      }
      rows.add(row(customerId, epochDay, t, gamma(rng, params.p()) / nu));
      if (rng.nextDouble() < dropout) {
        break;
      }
    }
    return rows;
  }

  private static Row row(String id, long epochDay, double t, double amount) {
    return RowFactory.create(id, java.sql.Date.valueOf(LocalDate.ofEpochDay(epochDay + (long) Math.floor(t))),
        Math.max(0.01, Math.round(amount * 100) / 100.0));
  }

  /**
   * Gamma(shape, 1) by Marsaglia and Tsang (2000), with the shape < 1 boost. Not commons-math3's
   * GammaDistribution: it binds its generator at construction (an object per customer and shape
   * here) and takes another algorithm below shape 1, so every seeded log, and the tests on them,
   * would change.
   */
  static double gamma(SplittableRandom rng, double shape) {
    if (shape < 1) {
      return gamma(rng, shape + 1) * Math.pow(1 - rng.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x;
      double v;
      do {
        x = normal(rng);
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = 1 - rng.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }

  private static double normal(SplittableRandom rng) {
    double u1 = 1 - rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
