package org.crmanalytics.tools.generate;

import java.util.SplittableRandom;

/**
 * Seeded random streams and the few distributions the simulation needs.
 *
 * <p>Every customer gets its own streams, derived from (seed, customer index, purpose) by a
 * strong 64-bit mixer. That is what makes the output independent of partitioning: a customer's
 * history depends only on its index, never on which task generates it or what that task
 * generated before. One stream per purpose (orders, payments, tickets, ...) also means a table
 * that needs only some parts of a life can simulate just those parts and still see the same
 * values as every other table.
 */
final class Randoms {
  private Randoms() {}

  /** The stream for one purpose of one customer (or of the global catalogues: index -1). */
  static SplittableRandom stream(long seed, long index, Stream purpose) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L);
    h = mix(h + index * 0xBF58476D1CE4E5B9L + 0x632BE59BD9B4E019L);
    h = mix(h + purpose.ordinal() * 0x94D049BB133111EBL + purpose.salt);
    return new SplittableRandom(h);
  }

  /** SplitMix64's finaliser: a bijection that spreads nearby inputs over all 64 bits. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The independent purposes; adding one at the end leaves all existing streams unchanged. */
  enum Stream {
    CATALOGUE(11),
    PROFILE(23),
    NAME(37),
    CAMPAIGNS(41),
    OFFERS(53),
    ORDERS(67),
    RETURNS(71),
    PAYMENTS(83),
    ACTIVITIES(97),
    TICKETS(101),
    TARGETS(113),
    /** Orders rushed in before a default (defaulters only). */
    RUSH_ORDERS(127),
    /** Skonto given up before a default (defaulting SKONTO payers only). */
    SKONTO_DROPPED(131),
    /** When an unpaid invoice is written off (defaulters only). */
    WRITE_OFFS(137),
    /** When a customer takes up further product groups (GroupAdoption). */
    ADOPTION(139),
    /** The first order in a group just adopted. */
    ADOPTION_ORDERS(149);

    final long salt;

    Stream(long salt) {
      this.salt = salt;
    }
  }

  static double uniform(SplittableRandom r, double from, double to) {
    return from + (to - from) * r.nextDouble();
  }

  static int between(SplittableRandom r, int fromInclusive, int toInclusive) {
    return r.nextInt(fromInclusive, toInclusive + 1);
  }

  static boolean chance(SplittableRandom r, double probability) {
    return r.nextDouble() < probability;
  }

  static double gaussian(SplittableRandom r) {
    // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
    double u1 = 1.0 - r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  /** Log-normal with median {@code median} and log-scale spread {@code sigma}. */
  static double logNormal(SplittableRandom r, double median, double sigma) {
    return median * Math.exp(sigma * gaussian(r));
  }

  static double exponential(SplittableRandom r, double mean) {
    return -mean * Math.log(1.0 - r.nextDouble());
  }

  /** Poisson by inversion; fine for the small means used here (line counts, a few events). */
  static int poisson(SplittableRandom r, double mean) {
    double l = Math.exp(-mean);
    double p = r.nextDouble();
    int k = 0;
    double term = l;
    double cumulative = l;
    while (p > cumulative && k < 1000) {
      k++;
      term *= mean / k;
      cumulative += term;
    }
    return k;
  }

  /** Index drawn with probability proportional to {@code weights} (non-negative, not all zero). */
  static int weighted(SplittableRandom r, double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double x = r.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  /** Index drawn from cumulative weights (last element = total), by binary search. */
  static int weightedCumulative(SplittableRandom r, double[] cumulative) {
    double x = r.nextDouble() * cumulative[cumulative.length - 1];
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > x) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  static double[] cumulative(double[] weights) {
    double[] c = new double[weights.length];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      sum += weights[i];
      c[i] = sum;
    }
    return c;
  }

  static <T> T pick(SplittableRandom r, T[] values) {
    return values[r.nextInt(values.length)];
  }
}
