package org.crmanalytics.models.btyd;

import static org.apache.commons.math3.special.Gamma.digamma;
import static org.apache.commons.math3.special.Gamma.logGamma;

import java.util.List;

/**
 * Gamma-Gamma spend model (Fader, Hardie and Lee 2005, "RFM and CLV: Using Iso-Value Curves for
 * Customer Base Analysis", J. Marketing Research 42(4), and Fader and Hardie's note "The
 * Gamma-Gamma Model of Monetary Value", 2013): each transaction value is Gamma(p, nu), nu ~
 * Gamma(q, gamma). Fitted on customers with x > 0 repeat transactions and their mean value zbar.
 * Parameters in the order p, q, gamma.
 */
public final class GammaGammaMath implements LogLikelihood {
  public static final List<String> PARAMETERS = List.of("p", "q", "gamma");
  public static final GammaGammaMath INSTANCE = new GammaGammaMath();

  private GammaGammaMath() {}

  @Override
  public List<String> parameterNames() {
    return PARAMETERS;
  }

  /** x and zbar. */
  @Override
  public int columnCount() {
    return 2;
  }

  /**
   * ln f(zbar | x) = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln zbar + px ln x
   *                  − (px+q) ln(γ + x zbar)   (the note's eq. 4, density of the mean of x values).
   */
  @Override
  public double addTo(double[] params, Block block, double[] gradient) {
    double p = params[0];
    double q = params[1];
    double gamma = params[2];
    double[] xs = block.columns()[0];
    double[] zbars = block.columns()[1];
    double[] lnZbars = block.columns()[2];
    double[] w = block.weights();
    double lnGamma = Math.log(gamma);
    double common = -logGamma(q) + q * lnGamma;
    double digammaQ = digamma(q);
    double total = 0;
    double gP = 0;
    double gQ = 0;
    double gGamma = 0;
    double lastX = Double.NaN;
    double xTerms = 0;
    double digammaPxq = 0;
    double digammaPx = 0;
    double lnX = 0;
    for (int i = 0; i < w.length; i++) {
      double x = xs[i];
      if (x != lastX) {
        if (!(x > 0)) {
          throw new IllegalArgumentException("Gamma-Gamma is fitted on repeat buyers only; found x = " + x);
        }
        lnX = Math.log(x);
        xTerms = logGamma(p * x + q) - logGamma(p * x) + common + p * x * lnX;
        digammaPxq = digamma(p * x + q);
        digammaPx = digamma(p * x);
        lastX = x;
      }
      double z = zbars[i];
      double lnZ = lnZbars[i];
      double lnDen = Math.log(gamma + x * z);
      total += w[i] * (xTerms + (p * x - 1) * lnZ - (p * x + q) * lnDen);
      if (gradient != null) {
        gP += w[i] * x * (digammaPxq - digammaPx + lnZ + lnX - lnDen);
        gQ += w[i] * (digammaPxq - digammaQ + lnGamma - lnDen);
        gGamma += w[i] * (q / gamma - (p * x + q) / (gamma + x * z));
      }
    }
    if (gradient != null) {
      gradient[0] += gP;
      gradient[1] += gQ;
      gradient[2] += gGamma;
    }
    return total;
  }

  /** Adds ln zbar, which does not depend on the parameters. */
  @Override
  public Block prepared(Block block) {
    double[] zbars = block.columns()[1];
    double[] lnZbars = new double[zbars.length];
    for (int i = 0; i < zbars.length; i++) {
      lnZbars[i] = Math.log(zbars[i]);
    }
    return new Block(new double[][] {block.columns()[0], zbars, lnZbars}, block.weights());
  }

  @Override
  public String invalid(double[] row) {
    return row[0] > 0 && row[1] > 0 ? null
        : "Gamma-Gamma needs repeat buyers (x > 0) with a positive mean order value; found x = " + row[0]
            + ", monetary = " + row[1] + " (drop or net returns before summarising)";
  }

  public static double logLikelihood(double[] params, double x, double zbar) {
    return INSTANCE.addTo(params, INSTANCE.prepared(BgNbdMath.single(x, zbar)), null);
  }

  /**
   * E[Z | zbar, x] = (p γ + p x zbar) / (p x + q − 1): a weighted mean of the population mean
   * p γ / (q − 1) and the customer's own mean (needs q > 1). With x = 0 it is the population mean.
   */
  public static double conditionalExpectedValue(double[] params, double x, double zbar) {
    double p = params[0];
    double q = params[1];
    double gamma = params[2];
    if (x == 0) {
      return p * gamma / (q - 1);
    }
    return (p * gamma + p * x * zbar) / (p * x + q - 1);
  }
}
