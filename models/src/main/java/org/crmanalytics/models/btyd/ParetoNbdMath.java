package org.crmanalytics.models.btyd;

import static org.apache.commons.math3.special.Gamma.digamma;
import static org.apache.commons.math3.special.Gamma.logGamma;

import java.util.List;

/**
 * Pareto/NBD (Schmittlein, Morrison and Colombo 1987) in the formulation of Fader and Hardie
 * (2005), "A Note on Deriving the Pareto/NBD Model and Related Expressions": purchases while alive
 * are Poisson(lambda), lambda ~ Gamma(r, alpha); lifetimes are exponential(mu), mu ~ Gamma(s, beta).
 * Parameters in the order r, alpha, s, beta; times in the model's time unit.
 */
public final class ParetoNbdMath implements LogLikelihood {
  public static final List<String> PARAMETERS = List.of("r", "alpha", "s", "beta");
  public static final ParetoNbdMath INSTANCE = new ParetoNbdMath();

  private ParetoNbdMath() {}

  @Override
  public List<String> parameterNames() {
    return PARAMETERS;
  }

  @Override
  public int columnCount() {
    return 3;
  }

  /**
   * ln L = ln Γ(r+x) − ln Γ(r) + r ln α + s ln β + ln[e^B1 + e^B2] with
   * B1 = −(r+x) ln(α+T) − s ln(β+T) (alive at T) and B2 = ln(s/(r+s+x)) + ln A0 (died in (t_x, T]),
   * A0 = e^C(t_x) − e^C(T), C(u) = ln 2F1(r+s+x, ·; r+s+x+1; |α−β|/(max(α,β)+u)) − (r+s+x) ln(max(α,β)+u)
   * (the note's eq. 22 with its |z| < 1 choice of base).
   */
  @Override
  public double addTo(double[] p, Block block, double[] gradient) {
    double r = p[0];
    double alpha = p[1];
    double s = p[2];
    double beta = p[3];
    double[] xs = block.columns()[0];
    double[] txs = block.columns()[1];
    double[] ts = block.columns()[2];
    double[] w = block.weights();
    double lnAlpha = Math.log(alpha);
    double lnBeta = Math.log(beta);
    double digammaR = digamma(r);
    double[] d1 = new double[4];
    double[] d2 = new double[4];
    double[] dA0 = new double[4];
    double total = 0;
    double lastX = Double.NaN;
    double xTerms = 0;
    double digammaRx = 0;
    double lastT = Double.NaN;
    double lnAlphaT = 0;
    double lnBetaT = 0;
    for (int i = 0; i < w.length; i++) {
      double x = xs[i];
      double tx = txs[i];
      double t = ts[i];
      if (x != lastX) {
        xTerms = logGamma(r + x) - logGamma(r) + r * lnAlpha + s * lnBeta;
        digammaRx = digamma(r + x);
        lastX = x;
      }
      if (t != lastT) { // blocks are sorted by T within x: the logarithms once per run of equal T
        lnAlphaT = Math.log(alpha + t);
        lnBetaT = Math.log(beta + t);
        lastT = t;
      }
      double b1 = -(r + x) * lnAlphaT - s * lnBetaT;
      double c1 = branch(r, alpha, s, beta, x, tx, d1);
      double c2 = branch(r, alpha, s, beta, x, t, d2);
      double ratio = Math.exp(c2 - c1);
      boolean diedPossible = ratio < 1;
      double b2 = diedPossible ? Math.log(s) - Math.log(r + s + x) + c1 + Math.log1p(-ratio) : Double.NEGATIVE_INFINITY;
      double max = Math.max(b1, b2);
      double e1 = Math.exp(b1 - max);
      double e2 = diedPossible ? Math.exp(b2 - max) : 0;
      double sum = e1 + e2;
      total += w[i] * (xTerms + max + Math.log(sum));
      if (gradient != null) {
        double w1 = e1 / sum;
        double w2 = e2 / sum;
        if (diedPossible) {
          for (int k = 0; k < 4; k++) {
            dA0[k] = (d1[k] - ratio * d2[k]) / (1 - ratio);
          }
        }
        double rsx = r + s + x;
        double gR = digammaRx - digammaR + lnAlpha - w1 * lnAlphaT + (diedPossible ? w2 * (-1 / rsx + dA0[0]) : 0);
        double gAlpha = r / alpha - w1 * (r + x) / (alpha + t) + (diedPossible ? w2 * dA0[1] : 0);
        double gS = lnBeta - w1 * lnBetaT + (diedPossible ? w2 * (1 / s - 1 / rsx + dA0[2]) : 0);
        double gBeta = s / beta - w1 * s / (beta + t) + (diedPossible ? w2 * dA0[3] : 0);
        gradient[0] += w[i] * gR;
        gradient[1] += w[i] * gAlpha;
        gradient[2] += w[i] * gS;
        gradient[3] += w[i] * gBeta;
      }
    }
    return total;
  }

  /** C(u) and its derivatives by r, alpha, s, beta (into d). */
  private static double branch(double r, double alpha, double s, double beta, double x, double u, double[] d) {
    double a = r + s + x;
    if (alpha >= beta) {
      double m = alpha + u;
      double lnM = Math.log(m);
      Hypergeometric2F1.LogValue f = Hypergeometric2F1.logValue(a, s + 1, a + 1, (alpha - beta) / m);
      d[0] = f.dA() + f.dC() - lnM;
      d[1] = f.dZ() * (beta + u) / (m * m) - a / m;
      d[2] = f.dA() + f.dB() + f.dC() - lnM;
      d[3] = -f.dZ() / m;
      return f.log() - a * lnM;
    }
    double m = beta + u;
    double lnM = Math.log(m);
    Hypergeometric2F1.LogValue f = Hypergeometric2F1.logValue(a, r + x, a + 1, (beta - alpha) / m);
    d[0] = f.dA() + f.dB() + f.dC() - lnM;
    d[1] = -f.dZ() / m;
    d[2] = f.dA() + f.dC() - lnM;
    d[3] = f.dZ() * (alpha + u) / (m * m) - a / m;
    return f.log() - a * lnM;
  }

  public static double logLikelihood(double[] p, double x, double tx, double t) {
    return INSTANCE.addTo(p, BgNbdMath.single(x, tx, t), null);
  }

  /** P(alive | x, t_x, T): the share of the likelihood from "alive at T" (the note's eq. 24 and 25). */
  public static double pAlive(double[] p, double x, double tx, double t) {
    double r = p[0];
    double alpha = p[1];
    double s = p[2];
    double beta = p[3];
    double lnAliveShare = -(r + x) * Math.log(alpha + t) - s * Math.log(beta + t);
    double lnAll = logLikelihood(p, x, tx, t)
        - (logGamma(r + x) - logGamma(r) + r * Math.log(alpha) + s * Math.log(beta));
    return Math.min(1, Math.exp(lnAliveShare - lnAll));
  }

  /** E[X(t)] for a customer picked at random at time 0 (needs s > 1). */
  public static double expectedPurchases(double[] p, double t) {
    double r = p[0];
    double alpha = p[1];
    double s = p[2];
    double beta = p[3];
    return r * beta / (alpha * (s - 1)) * -Math.expm1((s - 1) * Math.log(beta / (beta + t)));
  }

  /** E[Y(t) | x, t_x, T] (the note's eq. 27; needs s > 1). */
  public static double conditionalExpectedPurchases(double[] p, double t, double x, double tx, double bigT) {
    double r = p[0];
    double alpha = p[1];
    double s = p[2];
    double beta = p[3];
    double whileAlive = (r + x) * (beta + bigT) / ((alpha + bigT) * (s - 1))
        * -Math.expm1((s - 1) * Math.log((beta + bigT) / (beta + bigT + t)));
    return whileAlive * pAlive(p, x, tx, bigT);
  }
}
