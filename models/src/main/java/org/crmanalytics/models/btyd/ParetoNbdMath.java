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
public final class ParetoNbdMath implements PurchaseMath {
  public static final List<String> PARAMETERS = List.of("r", "alpha", "s", "beta");
  public static final ParetoNbdMath INSTANCE = new ParetoNbdMath();

  private ParetoNbdMath() {}

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
    double[] dB2 = new double[4];
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
      // B2 and its gradient (dB2): the closed form through 2F1 where its series converges fast,
      // else the integral it stands for (see diedTerm).
      double b2 = diedTerm(r, alpha, s, beta, x, tx, t, d1, d2, dB2);
      if (Double.isNaN(b2)) {
        return Double.NaN; // not evaluable at these parameters: a failed optimiser step
      }
      boolean diedPossible = b2 > Double.NEGATIVE_INFINITY;
      double max = Math.max(b1, b2);
      double e1 = Math.exp(b1 - max);
      double e2 = diedPossible ? Math.exp(b2 - max) : 0;
      double sum = e1 + e2;
      total += w[i] * (xTerms + max + Math.log(sum));
      if (gradient != null) {
        double w1 = e1 / sum;
        double w2 = e2 / sum;
        double gR = digammaRx - digammaR + lnAlpha - w1 * lnAlphaT + (diedPossible ? w2 * dB2[0] : 0);
        double gAlpha = r / alpha - w1 * (r + x) / (alpha + t) + (diedPossible ? w2 * dB2[1] : 0);
        double gS = lnBeta - w1 * lnBetaT + (diedPossible ? w2 * dB2[2] : 0);
        double gBeta = s / beta - w1 * s / (beta + t) + (diedPossible ? w2 * dB2[3] : 0);
        gradient[0] += w[i] * gR;
        gradient[1] += w[i] * gAlpha;
        gradient[2] += w[i] * gS;
        gradient[3] += w[i] * gBeta;
      }
    }
    return total;
  }

  /**
   * Above this argument the 2F1 series of the closed form is left for the integral: at z = 0.9 it
   * needs a few hundred terms, near 1 millions (the "did not converge in 2000000 terms" of small,
   * sparse data, where beta runs far below alpha and one-off buyers have t_x = 0).
   */
  static final double SERIES_MAX_Z = 0.9;
  /** Panels of the integral before it gives up (NaN); reached only at absurd trial parameters. */
  static final int MAX_PANELS = 20_000;

  /**
   * B2 = ln(s / (r+s+x)) + ln A0, the log-likelihood share of "died in (t_x, T]", and its gradient
   * by r, alpha, s, beta into dB2; −∞ when t_x = T. d1 and d2 are scratch arrays.
   */
  static double diedTerm(double r, double alpha, double s, double beta, double x, double tx, double t,
      double[] d1, double[] d2, double[] dB2) {
    if (!(t > tx)) {
      return Double.NEGATIVE_INFINITY;
    }
    double rsx = r + s + x;
    if (Math.abs(alpha - beta) / (Math.max(alpha, beta) + tx) <= SERIES_MAX_Z) {
      try {
        double c1 = branch(r, alpha, s, beta, x, tx, d1);
        double c2 = branch(r, alpha, s, beta, x, t, d2);
        double ratio = Math.exp(c2 - c1);
        if (ratio < 1) {
          for (int k = 0; k < 4; k++) {
            dB2[k] = (d1[k] - ratio * d2[k]) / (1 - ratio);
          }
          dB2[0] -= 1 / rsx;
          dB2[2] += 1 / s - 1 / rsx;
          return Math.log(s) - Math.log(rsx) + c1 + Math.log1p(-ratio);
        }
      } catch (ArithmeticException e) {
        // fall through to the integral
      }
    }
    double lnIntegral = logDiedIntegral(r, alpha, s, beta, x, tx, t, dB2);
    dB2[2] += 1 / s;
    return Math.log(s) + lnIntegral;
  }

  /**
   * ln I and d ln I / d(r, alpha, s, beta) (into d) for
   * I = ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ, which is what A0 s / (r+s+x) stands for: the
   * likelihood of dying at τ in (t_x, T] (λ^x e^−λτ μ e^−μτ integrated over the two Gamma
   * mixing distributions, Fader and Hardie 2005, section 2). Evaluated by Gauss-Legendre in
   * v = ln((m+τ)/(m+t_x)), m = min(α, β): in v the integrand has no sharp corner at τ ≈ m, and it
   * is summed in log space, so it neither overflows nor loses small terms, for any positive
   * parameters.
   */
  static double logDiedIntegral(double r, double alpha, double s, double beta, double x, double tx, double t,
      double[] d) {
    return logDiedIntegral(r, alpha, s, beta, Double.NaN, x, tx, t, d);
  }

  /**
   * With mu not NaN, the homogeneous limit instead: ln ∫_{t_x}^{T} (α+τ)^−(r+x) e^−μτ dτ, the limit of
   * β^(s+1) I as s and β run to infinity at μ = s/β (d is then not a gradient).
   */
  private static double logDiedIntegral(double r, double alpha, double s, double beta, double mu, double x,
      double tx, double t, double[] d) {
    boolean fixedMu = !Double.isNaN(mu);
    double m = fixedMu ? alpha : Math.min(alpha, beta);
    double base = m + tx;
    double span = Math.log((m + t) / base);
    double scale = Double.NEGATIVE_INFINITY;
    double sum = 0;
    double sR = 0;
    double sAlpha = 0;
    double sS = 0;
    double sBeta = 0;
    double v0 = 0;
    int panels = 0;
    while (v0 < span) {
      if (++panels > MAX_PANELS) {
        return Double.NaN; // only at absurd trial parameters: a failed optimiser step
      }
      // A panel over which the log of the integrand changes by about 3 at most: its v-slope is
      // 1 − (r+x)(m+τ)/(α+τ) − (s+1)(m+τ)/(β+τ) (its limit μ(m+τ) for fixed μ), taken at the panel's start.
      double mt0 = base * Math.exp(v0);
      double tau0 = mt0 - m;
      double slope = Math.abs(1 - (r + x) * mt0 / (alpha + tau0) - (fixedMu ? mu * mt0 : (s + 1) * mt0 / (beta + tau0)));
      double h = Math.min(Math.min(1, 3 / Math.max(1, slope)), span - v0);
      double panelStart = sum;
      double last = 0;
      double first = 0;
      for (int k = 0; k < GaussLegendre.POINTS; k++) {
        double v = v0 + GaussLegendre.NODES[k] * h;
        double tau = tx + base * Math.expm1(v);
        double lnA = Math.log(alpha + tau);
        double lnB = Math.log(beta + tau);
        // dτ = (m + τ) dv, and ln(m + τ) = ln(base) + v
        double lg = Math.log(GaussLegendre.WEIGHTS[k] * h) + Math.log(base) + v - (r + x) * lnA
            - (fixedMu ? mu * tau : (s + 1) * lnB);
        if (lg > scale) {
          double shrink = Math.exp(scale - lg);
          sum *= shrink;
          sR *= shrink;
          sAlpha *= shrink;
          sS *= shrink;
          sBeta *= shrink;
          panelStart *= shrink;
          scale = lg;
        }
        double e = Math.exp(lg - scale);
        sum += e;
        sR -= e * lnA;
        sAlpha -= e * (r + x) / (alpha + tau);
        sS -= e * lnB;
        sBeta -= e * (s + 1) / (beta + tau);
        if (k == 0) {
          first = lg - Math.log(GaussLegendre.WEIGHTS[k]);
        }
        last = lg - Math.log(GaussLegendre.WEIGHTS[k]);
      }
      v0 += h;
      // The integrand falls in v once it has begun to fall; stop when the rest cannot matter.
      if (last < first && sum - panelStart < 1e-18 * sum) {
        break;
      }
    }
    d[0] = sR / sum;
    d[1] = sAlpha / sum;
    d[2] = sS / sum;
    d[3] = sBeta / sum;
    return scale + Math.log(sum);
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
    if (homogeneous(s)) {
      // The likelihood times β^s in the limit: alive (α+T)^−(r+x) e^−μT, died μ ∫ (α+τ)^−(r+x) e^−μτ dτ.
      double mu = s / beta;
      double alive = -(r + x) * Math.log(alpha + t) - mu * t;
      double died = t > tx ? Math.log(mu) + logDiedIntegral(r, alpha, s, beta, mu, x, tx, t, new double[4])
          : Double.NEGATIVE_INFINITY;
      return 1 / (1 + Math.exp(died - alive));
    }
    double alive = -(r + x) * Math.log(alpha + t) - s * Math.log(beta + t);
    double[] scratch = new double[4];
    double died = diedTerm(r, alpha, s, beta, x, tx, t, scratch, new double[4], new double[4]);
    return 1 / (1 + Math.exp(died - alive));
  }

  /**
   * E[X(t)] for a customer picked at random at time 0: r β / (α (s−1)) [1 − (β/(β+t))^(s−1)], which
   * stays finite through s = 1 (its limit there is r β / α ln((β+t)/β)).
   */
  public static double expectedPurchases(double[] p, double t) {
    double r = p[0];
    double alpha = p[1];
    double s = p[2];
    double beta = p[3];
    if (homogeneous(s)) {
      return r / alpha * fixedLifetime(s / beta, t);
    }
    return r * beta / alpha * lifetimeFactor(s, Math.log((beta + t) / beta));
  }

  /**
   * s above {@link FitDiagnostics#HOMOGENEOUS_SHAPE}: Gamma(s, β) is taken as its limit, a point mass
   * at μ = s/β (every customer has the same dropout rate; coefficient of variation 1/√s below 1 %),
   * and the model is scored with the fixed-μ expressions (Schmittlein, Morrison and Colombo 1987;
   * Fader and Hardie 2005, the likelihood with μ given): the fit's s and β there are only where
   * the optimiser stopped on a ridge that runs to infinity at that ratio.
   */
  static boolean homogeneous(double s) {
    return s > FitDiagnostics.HOMOGENEOUS_SHAPE;
  }

  /** E[min(lifetime, t)] of an exponential lifetime of rate μ: (1 − e^−μt)/μ. */
  private static double fixedLifetime(double mu, double t) {
    return -Math.expm1(-mu * t) / mu;
  }

  /** E[Y(t) | x, t_x, T] (the note's eq. 27), finite through s = 1 like {@link #expectedPurchases}. */
  public static double conditionalExpectedPurchases(double[] p, double t, double x, double tx, double bigT) {
    double r = p[0];
    double alpha = p[1];
    double s = p[2];
    double beta = p[3];
    double whileAlive = homogeneous(s) ? (r + x) / (alpha + bigT) * fixedLifetime(s / beta, t)
        : (r + x) * (beta + bigT) / (alpha + bigT) * lifetimeFactor(s, Math.log((beta + bigT + t) / (beta + bigT)));
    return whileAlive * pAlive(p, x, tx, bigT);
  }

  /** (1 − e^−(s−1)L) / (s−1), and L itself at s = 1 (its limit), without cancelling near s = 1. */
  private static double lifetimeFactor(double s, double logRatio) {
    double k = s - 1;
    return Math.abs(k * logRatio) < 1e-8 ? logRatio * (1 - k * logRatio / 2) : -Math.expm1(-k * logRatio) / k;
  }
}
