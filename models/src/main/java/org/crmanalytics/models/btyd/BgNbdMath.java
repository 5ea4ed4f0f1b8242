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
public final class BgNbdMath implements LogLikelihood {
  public static final List<String> PARAMETERS = List.of("r", "alpha", "a", "b");
  public static final BgNbdMath INSTANCE = new BgNbdMath();

  private BgNbdMath() {}

  @Override
  public List<String> parameterNames() {
    return PARAMETERS;
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
    double lnOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + t) - Math.log(alpha + tx));
    return 1 / (1 + Math.exp(lnOdds));
  }

  /** E[X(t)] for a customer picked at random at time 0 (eq. 7; needs a > 1). */
  public static double expectedPurchases(double[] p, double t) {
    double r = p[0];
    double alpha = p[1];
    double a = p[2];
    double b = p[3];
    double f = Hypergeometric2F1.value(r, b, a + b - 1, t / (alpha + t));
    return (a + b - 1) / (a - 1) * (1 - Math.pow(alpha / (alpha + t), r) * f);
  }

  /** E[Y(t) | x, t_x, T]: expected purchases in (T, T+t] of a customer with this history (eq. 10; needs a > 1). */
  public static double conditionalExpectedPurchases(double[] p, double t, double x, double tx, double bigT) {
    if (t == 0) {
      return 0;
    }
    double r = p[0];
    double alpha = p[1];
    double a = p[2];
    double b = p[3];
    if (a + b + x - 1 <= 0) {
      throw new ArithmeticException("BG/NBD's conditional expectation needs a + b + x > 1; fitted a = " + a + ", b = "
          + b + " and x = " + x + " (such a fit says the data barely identify the dropout process; try paretonbd)");
    }
    double lnF = Hypergeometric2F1.logValue(r + x, b + x, a + b + x - 1, t / (alpha + bigT + t)).log();
    double lnPower = (r + x) * (Math.log(alpha + bigT) - Math.log(alpha + bigT + t));
    double numerator = (a + b + x - 1) / (a - 1) * -Math.expm1(lnPower + lnF);
    return numerator * pAlive(p, x, tx, bigT);
  }
}
