package org.crmanalytics.models.btyd;

/**
 * 20-point Gauss-Legendre nodes and weights on [0, 1], for the integrals that replace a closed form
 * where its 2F1 series converges too slowly or is undefined (see {@link ParetoNbdMath} and
 * {@link BgNbdMath}). Integrals are summed over panels of a width the caller chooses, so a panel
 * only ever sees a smooth, slowly varying integrand.
 */
final class GaussLegendre {
  static final int POINTS = 20;
  /** Nodes in (0, 1), ascending. */
  static final double[] NODES = new double[POINTS];
  /** Weights, summing to 1. */
  static final double[] WEIGHTS = new double[POINTS];

  static {
    // Roots of the Legendre polynomial P_n by Newton's method from the usual cosine guesses.
    int n = POINTS;
    for (int i = 0; i < n; i++) {
      double x = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
      double derivative = 0;
      for (int iteration = 0; iteration < 100; iteration++) {
        double p0 = 1;
        double p1 = x;
        for (int k = 2; k <= n; k++) {
          double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
          p0 = p1;
          p1 = p2;
        }
        derivative = n * (x * p1 - p0) / (x * x - 1);
        double step = p1 / derivative;
        x -= step;
        if (Math.abs(step) < 1e-16) {
          break;
        }
      }
      // x runs from near +1 down; store ascending on [0, 1].
      NODES[n - 1 - i] = (1 + x) / 2;
      WEIGHTS[n - 1 - i] = 1 / ((1 - x * x) * derivative * derivative);
    }
  }

  private GaussLegendre() {}
}
