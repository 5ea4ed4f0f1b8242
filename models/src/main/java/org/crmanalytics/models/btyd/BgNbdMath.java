package org.crmanalytics.models.btyd;

import static org.apache.commons.math3.special.Gamma.digamma;
import static org.apache.commons.math3.special.Gamma.logGamma;

import java.util.List;

/**
 * BG/NBD (Fader, Hardie and Lee 2005, "Counting your customers the easy way", Marketing Science
 * 24(2), eq. 6, 9, 10 and the appendix): purchases while alive are Poisson(lambda) with lambda ~
 * Gamma(r, alpha); after each purchase the customer drops out with probability p ~ Beta(a, b).
 * Parameters in the order r, alpha, a, b; times in the model's time unit.
 */
public final class BgNbdMath implements PurchaseMath {
  public static final List<String> PARAMETERS = List.of("r", "alpha", "a", "b");
  public static final BgNbdMath INSTANCE = new BgNbdMath();

  private BgNbdMath() {}

  @Override
  public List<String> parameterNames() {
    return PARAMETERS;
  }

  @Override
  public double aliveProbability(double[] p, double x, double tx, double bigT) {
    return pAlive(p, x, tx, bigT);
  }

  @Override
  public double expectedPurchasesAfter(double[] p, double t, double x, double tx, double bigT) {
    return conditionalExpectedPurchases(p, t, x, tx, bigT);
  }

  @Override
  public double expectedPurchasesFromStart(double[] p, double t) {
    return expectedPurchases(p, t);
  }

  @Override
  public int columnCount() {
    return 3;
  }

  /**
   * ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
   *        + ln[ (α+T)^−(r+x) + δ(x>0) a/(b+x−1) (α+t_x)^−(r+x) ],
   * the bracket as a log-sum-exp so that neither term underflows for large x or T.
   */
  @Override
  public double addTo(double[] p, Block block, double[] gradient) {
    double r = p[0];
    double alpha = p[1];
    double a = p[2];
    double b = p[3];
    double lnAlpha = Math.log(alpha);
    double commonAb = logGamma(a + b) - logGamma(b);
    double digammaR = digamma(r);
    double digammaAb = digamma(a + b);
    double digammaB = digamma(b);
    // Blocks from DistinctRows come prepared; a bare (x, t_x, T) block (one customer) is prepared here.
    double[][] columns = (block.columns().length == 3 ? prepared(block) : block).columns();
    double[] xs = columns[0];
    double[] ts = columns[2];
    double[] txIndex = columns[3];
    double[] w = block.weights();
    // α + t_x and its logarithm once per distinct t_x (whole days or weeks: a few thousand at most)
    // instead of once per row.
    double[] alphaTx = columns[4].clone();
    double[] lnAlphaTxs = new double[alphaTx.length];
    for (int k = 0; k < alphaTx.length; k++) {
      alphaTx[k] += alpha;
      lnAlphaTxs[k] = Math.log(alphaTx[k]);
    }
    double total = 0;
    double gR = 0;
    double gAlpha = 0;
    double gA = 0;
    double gB = 0;
    double lastX = Double.NaN;
    double xTerms = 0;
    double digammaRx = 0;
    double digammaBx = 0;
    double digammaAbx = 0;
    double lnDropOdds = 0;
    double lastT = Double.NaN;
    double alphaT = 0;
    double lnAlphaT = 0;
    for (int i = 0; i < w.length; i++) {
      double x = xs[i];
      if (x != lastX) {
        xTerms = logGamma(r + x) - logGamma(r) + r * lnAlpha + commonAb + logGamma(b + x) - logGamma(a + b + x);
        digammaRx = digamma(r + x);
        digammaBx = digamma(b + x);
        digammaAbx = digamma(a + b + x);
        lnDropOdds = x > 0 ? Math.log(a) - Math.log(b + x - 1) : 0;
        lastX = x;
      }
      if (ts[i] != lastT) { // blocks are sorted by T within x: one logarithm per run of equal T
        alphaT = alpha + ts[i];
        lnAlphaT = Math.log(alphaT);
        lastT = ts[i];
      }
      int tx = (int) txIndex[i];
      double survive = -(r + x) * lnAlphaT;
      double ll;
      double w4 = 0;
      double lnAlphaTx = 0;
      if (x > 0) {
        lnAlphaTx = lnAlphaTxs[tx];
        double dropped = lnDropOdds - (r + x) * lnAlphaTx;
        // ln(e^survive + e^dropped) with one exp: the smaller term relative to the larger.
        double d = dropped - survive;
        double e = Math.exp(-Math.abs(d));
        // ln(1 + e) rather than log1p(e): Math.log is a JIT intrinsic, log1p is not (it took about
        // half of this loop's JFR samples), and the sum needs this term's absolute accuracy only.
        ll = xTerms + Math.max(survive, dropped) + Math.log(1 + e);
        w4 = d > 0 ? 1 / (1 + e) : e / (1 + e);
      } else {
        ll = xTerms + survive;
      }
      double w3 = 1 - w4;
      double wi = w[i];
      total += wi * ll;
      if (gradient != null) {
        gR += wi * (digammaRx - digammaR + lnAlpha - w3 * lnAlphaT - w4 * lnAlphaTx);
        gAlpha += wi * (r / alpha - w3 * (r + x) / alphaT - (x > 0 ? w4 * (r + x) / alphaTx[tx] : 0));
        gA += wi * (digammaAb - digammaAbx + w4 / a);
        gB += wi * (digammaAb + digammaBx - digammaB - digammaAbx - (x > 0 ? w4 / (b + x - 1) : 0));
      }
    }
    if (gradient != null) {
      gradient[0] += gR;
      gradient[1] += gAlpha;
      gradient[2] += gA;
      gradient[3] += gB;
    }
    return total;
  }

  /**
   * The block with two columns more: each row's index among the distinct t_x, and those t_x (a
   * table, not a column per row). In bin/benchmark-btyd, on 3.2 million distinct rows of 6.7
   * million customers: 1.69 and 1.77 s to optimise before, 1.25–1.41 s in 9 of 10 fits with the table.
   */
  @Override
  public Block prepared(Block block) {
    double[][] c = block.columns();
    DistinctRows.Indexed tx = DistinctRows.indexed(c[1]);
    double[] index = new double[tx.index().length];
    for (int i = 0; i < index.length; i++) {
      index[i] = tx.index()[i];
    }
    return new Block(new double[][] {c[0], c[1], c[2], index, tx.values()}, block.weights());
  }

  /** ln L of one customer (tests and diagnostics). */
  public static double logLikelihood(double[] p, double x, double tx, double t) {
    return INSTANCE.addTo(p, single(x, tx, t), null);
  }

  static Block single(double... columns) {
    double[][] c = new double[columns.length][];
    for (int i = 0; i < columns.length; i++) {
      c[i] = new double[] {columns[i]};
    }
    return new Block(c, new double[] {1});
  }

  /** P(alive | x, t_x, T) = 1 / (1 + δ(x>0) a/(b+x−1) ((α+T)/(α+t_x))^(r+x)), eq. 13 of the paper. */
  public static double pAlive(double[] p, double x, double tx, double t) {
    if (x == 0) {
      return 1;
    }
    double r = p[0];
    double alpha = p[1];
    double a = p[2];
    double b = p[3];
    // In the homogeneous limit the posterior dropout odds a/(b+x−1) are the fixed p/(1−p) = a/b.
    double lnDropOdds = Math.log(a) - Math.log(homogeneous(a, b) ? b : b + x - 1);
    double lnOdds = lnDropOdds + (r + x) * (Math.log(alpha + t) - Math.log(alpha + tx));
    return 1 / (1 + Math.exp(lnOdds));
  }

  /**
   * a + b above {@link FitDiagnostics#HOMOGENEOUS_SHAPE}: Beta(a, b) is taken as its limit, a point
   * mass at p = a/(a+b) (every customer has the same dropout probability), and the model is scored
   * with the fixed-p expressions of Fader, Hardie and Lee (2005): the fit's a and b there are only
   * where the optimiser stopped on a ridge that runs to infinity at that ratio.
   */
  static boolean homogeneous(double a, double b) {
    return a + b > FitDiagnostics.HOMOGENEOUS_SHAPE;
  }

  /**
   * E[X(t)] for a customer picked at random at time 0 (eq. 7), through the integral over the
   * dropout probability where the closed form does not hold (see {@link #purchasesWhileAlive}).
   */
  public static double expectedPurchases(double[] p, double t) {
    if (homogeneous(p[2], p[3])) {
      return g(p[2] / (p[2] + p[3]), p[0], t / p[1]);
    }
    return purchasesWhileAlive(p[0], p[1], p[2], p[3], t);
  }

  /** E[Y(t) | x, t_x, T]: expected purchases in (T, T+t] of a customer with this history (eq. 10). */
  public static double conditionalExpectedPurchases(double[] p, double t, double x, double tx, double bigT) {
    if (t == 0) {
      return 0;
    }
    // Alive at T, the customer's purchase rate is Gamma(r+x, α+T) and the dropout probability
    // Beta(a, b+x): a fresh customer of those parameters; in the homogeneous limit the fixed p.
    double whileAlive = homogeneous(p[2], p[3]) ? g(p[2] / (p[2] + p[3]), p[0] + x, t / (p[1] + bigT))
        : purchasesWhileAlive(p[0] + x, p[1] + bigT, p[2], p[3] + x, t);
    return whileAlive * pAlive(p, x, tx, bigT);
  }

  /** Above this 2F1 argument the closed form's series is left for the integral (tens of thousands of terms). */
  static final double SERIES_MAX_Z = 0.999;

  /**
   * E[X(t)] of a customer alive at 0 with purchase rate λ ~ Gamma(r, α) and dropout probability
   * p ~ Beta(a, b): the paper's closed form (a+b−1)/(a−1) [1 − (α/(α+t))^r 2F1(r, b; a+b−1; t/(α+t))]
   * where it holds (a + b > 1, a not near 1, a series that converges in reasonable time), else
   * {@link #purchasesWhileAliveIntegral}, the expectation it is the closed form of.
   */
  static double purchasesWhileAlive(double r, double alpha, double a, double b, double t) {
    double z = t / (alpha + t);
    if (a + b - 1 > 0 && Math.abs(a - 1) >= 1e-3 && z <= SERIES_MAX_Z) {
      try {
        double lnF = Hypergeometric2F1.logValue(r, b, a + b - 1, z).log();
        double lnPower = r * (Math.log(alpha) - Math.log(alpha + t));
        return (a + b - 1) / (a - 1) * -Math.expm1(lnPower + lnF);
      } catch (ArithmeticException e) {
        // fall through to the integral
      }
    }
    return purchasesWhileAliveIntegral(r, alpha, a, b, t);
  }

  /**
   * E over p ~ Beta(a, b) of g(p) = (1 − (α/(α+pt))^r) / p, the expected purchases in (0, t] given
   * p (the paper's E[X(t) | λ, p] = (1 − e^−λpt)/p averaged over λ ~ Gamma(r, α)). g is smooth and
   * bounded (g(0) = r t / α); the Beta density may be infinite at 0 and at 1 (a or b below 1), so
   * each half is integrated in y with p = e^−y / 2 (and 1 − p = e^−y / 2): there the density times
   * dp is a smooth p^a dy, Gauss-Legendre panels sum it to y = 40 and the rest (p below 1e-18) is
   * added in closed form. Defined for every a, b > 0, unlike the closed form.
   */
  static double purchasesWhileAliveIntegral(double r, double alpha, double a, double b, double t) {
    double lnBeta = logGamma(a) + logGamma(b) - logGamma(a + b);
    double rate = t / alpha;
    return half(a, b, r, rate, false) * Math.exp(-lnBeta) + half(b, a, r, rate, true) * Math.exp(-lnBeta);
  }

  /** ∫ over p in (0, 1/2] (or 1 − p there, when upper) of p^(own−1) (1−p)^(other−1) g(p) dp. */
  private static double half(double own, double other, double r, double rate, boolean upper) {
    double end = 40;
    double sum = 0;
    double y0 = 0;
    int panels = 0;
    while (y0 < end) {
      if (++panels > ParetoNbdMath.MAX_PANELS) {
        return Double.NaN; // only at absurd parameters (b + x in the millions): the value is null
      }
      // A panel over which the log of the integrand changes by about 3 at most: the y-slope of
      // ln[p^own (1−p)^(other−1) g(p)] is below own + |other−1| p/(1−p) + 1 (d ln g / d ln p lies
      // in [−1, 0]), largest at the panel's start.
      double q0 = Math.exp(-y0) / 2;
      double slope = own + Math.abs(other - 1) * q0 / (1 - q0) + 1;
      double h = Math.min(Math.min(1, 3 / slope), end - y0);
      double panel = 0;
      double first = 0;
      double last = 0;
      for (int k = 0; k < GaussLegendre.POINTS; k++) {
        double y = y0 + GaussLegendre.NODES[k] * h;
        double q = Math.exp(-y) / 2; // p, or 1 − p in the upper half
        double value = GaussLegendre.WEIGHTS[k] * h
            * Math.exp(own * Math.log(q) + (other - 1) * Math.log1p(-q)) * g(upper ? 1 - q : q, r, rate);
        panel += value;
        if (k == 0) {
          first = value / GaussLegendre.WEIGHTS[k];
        }
        last = value / GaussLegendre.WEIGHTS[k];
      }
      sum += panel;
      y0 += h;
      if (last < first && panel < 1e-18 * sum) {
        return sum;
      }
    }
    // Beyond y = 40, q < 2.2e-18: (1 − q)^(other−1) = 1 and g is its value at the end point.
    double q = Math.exp(-end) / 2;
    return sum + Math.exp(own * Math.log(q)) / own * g(upper ? 1 : 0, r, rate);
  }

  /**
   * (1 − (1 + p rate)^−r) / p, with its limit r rate at p = 0: E[X(t)] of a customer alive at 0
   * with purchase rate Gamma(r, α) and the fixed dropout probability p, rate = t/α.
   */
  static double g(double p, double r, double rate) {
    return p == 0 ? r * rate : -Math.expm1(-r * Math.log1p(p * rate)) / p;
  }
}
