package org.crmanalytics.models.btyd;

/**
 * The Gauss hypergeometric function 2F1(a, b; c; z) for |z| < 1 as its power series, summed with
 * a running scale so that it neither overflows (a, b in the thousands for customers with many
 * purchases) nor loses the partial derivatives, which the Pareto/NBD gradient needs.
 *
 * <p>The BTYD formulas only ever call it with 0 ≤ z < 1: Pareto/NBD by choosing max(alpha, beta)
 * as the base (Fader and Hardie 2005, "A Note on Deriving the Pareto/NBD Model and Related
 * Expressions", eq. 22), BG/NBD with z = t / (alpha + T + t).
 */
public final class Hypergeometric2F1 {
  /** Terms are summed until the next one is below this fraction of the sum. */
  private static final double RELATIVE_TOLERANCE = 1e-16;
  private static final int MAX_TERMS = 2_000_000;
  private static final double RESCALE_ABOVE = 1e250;

  private Hypergeometric2F1() {}

  /** ln 2F1 and its partial derivatives: d ln F / da, db, dc, dz. */
  public record LogValue(double log, double dA, double dB, double dC, double dZ) {
    public double value() {
      return Math.exp(log);
    }
  }

  public static double value(double a, double b, double c, double z) {
    return logValue(a, b, c, z).value();
  }

  /**
   * Requires a, b, c > 0 and |z| < 1. Term n+1 is term n times (a+n)(b+n) z / ((c+n)(n+1)), so
   * every term and its derivatives follow from the previous one without any Gamma function.
   */
  public static LogValue logValue(double a, double b, double c, double z) {
    if (!(a > 0 && b > 0 && c > 0) || !(Math.abs(z) < 1)) {
      throw new IllegalArgumentException("2F1 needs a, b, c > 0 and |z| < 1; called with a=" + a + ", b=" + b
          + ", c=" + c + ", z=" + z);
    }
    double term = 1;
    double sum = 1;
    double sumA = 0;
    double sumB = 0;
    double sumC = 0;
    double sumZ = 0;
    double harmonicA = 0;
    double harmonicB = 0;
    double harmonicC = 0;
    double logScale = 0;
    for (int n = 1; n <= MAX_TERMS; n++) {
      int k = n - 1;
      double coefficient = (a + k) * (b + k) / (c + k);
      // d(term_n)/dz = term_{n-1} * (a+k)(b+k)/(c+k): no division by z, so z = 0 is fine.
      sumZ += term * coefficient;
      harmonicA += 1 / (a + k);
      harmonicB += 1 / (b + k);
      harmonicC += 1 / (c + k);
      term *= coefficient * z / n;
      sum += term;
      sumA += term * harmonicA;
      sumB += term * harmonicB;
      sumC += term * harmonicC;
      // Stop only once the terms shrink: with large a, b they first grow for many steps.
      boolean shrinking = Math.abs((a + n) * (b + n) * z / ((c + n) * (n + 1))) < 1;
      if (shrinking && Math.abs(term) <= RELATIVE_TOLERANCE * Math.abs(sum)) {
        return new LogValue(logScale + Math.log(sum), sumA / sum, sumB / sum, -sumC / sum, sumZ / sum);
      }
      if (Math.abs(sum) > RESCALE_ABOVE) {
        double s = Math.abs(sum);
        term /= s;
        sum /= s;
        sumA /= s;
        sumB /= s;
        sumC /= s;
        sumZ /= s;
        logScale += Math.log(s);
      }
    }
    throw new ArithmeticException("2F1(" + a + ", " + b + "; " + c + "; " + z + ") did not converge in "
        + MAX_TERMS + " terms");
  }
}
