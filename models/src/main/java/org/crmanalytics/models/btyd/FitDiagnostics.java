package org.crmanalytics.models.btyd;

import java.util.Arrays;
import java.util.Locale;

/**
 * Detects fits that must not be published as they are: too little data, an optimiser that did not
 * reach an optimum, parameters outside the model's valid range or run to its edge, a dropout
 * process that shows in no customer (P(alive) about 1 for every repeat buyer), a spend model that
 * sees no difference between customers. Pure functions of the fitted coefficients and counts, for
 * the clv stage, churn training and tests; thresholds and their reasons in docs/clv.md ("Degenerate
 * fits").
 */
public final class FitDiagnostics {
  /** Fewer repeat buyers than this and neither the purchase nor the spend model is fitted. */
  public static final long MIN_REPEAT_BUYERS = 10;
  /** The fit's final largest gradient component (per customer, by log parameter) above this: not converged. */
  public static final double MAX_GRADIENT = 1e-3;
  /**
   * In the homogeneous limit, a dropout probability per purchase above 1 minus this: not the two
   * dropout shapes running off together but a alone at the edge.
   */
  public static final double MIN_DROPOUT_PER_PURCHASE = 1e-3;
  /** The code of a purchase model whose P(alive) doubts almost nobody. */
  public static final String NO_DROPOUT = "clv_no_dropout";
  /** P(alive) below this: the model doubts that the customer is still active. */
  public static final double GONE_DOUBT = 0.9;
  /**
   * The model must doubt at least this share of the repeat buyers (and at least one) or its dropout
   * process shows in nobody: P(alive) would rank no customer against another. Judged on P(alive)
   * itself, not on the mean dropout probability: a Beta(a, b) with a tiny mean can still put a
   * large dropout probability on a few customers whose silence is long (Online Retail, 2011).
   */
  public static final double MIN_DOUBTED_SHARE = 0.01;
  /** A coefficient below EDGE_LOW or above EDGE_HIGH ran to the edge of the parameter space. */
  public static final double EDGE_LOW = 1e-6;
  public static final double EDGE_HIGH = 1e6;
  /**
   * BG/NBD a + b, or Pareto/NBD s, above this: the dropout mixing distribution (Beta(a, b), Gamma(s,
   * beta)) is a point mass for practical purposes (its coefficient of variation is about 1 %) and the
   * model is its homogeneous-dropout limit: every customer has the same dropout probability p =
   * a/(a+b) per purchase (rate mu = s/beta). A valid model, scored with the limit's formulas
   * (BgNbdMath, ParetoNbdMath) and flagged for information (clv_homogeneous_dropout).
   */
  public static final double HOMOGENEOUS_SHAPE = 1e4;
  /** Gamma-Gamma's q above this: the customers' mean spend rates are all the same (coefficient of variation below 1 %). */
  public static final double MAX_SPEND_Q = 1e4;

  private FitDiagnostics() {}

  /** Enough repeat buyers to fit the models at all. */
  public static FitVerdict repeatBuyers(long repeatBuyers) {
    return repeatBuyers >= MIN_REPEAT_BUYERS ? FitVerdict.OK
        : FitVerdict.degenerate("clv_too_few_repeat_buyers", String.format(Locale.ROOT,
            "only %d customer%s bought more than once up to as_of; the BTYD models need at least %d repeat buyers",
            repeatBuyers, repeatBuyers == 1 ? "" : "s", MIN_REPEAT_BUYERS));
  }

  public static FitVerdict purchase(PurchaseModel<?> model) {
    ClvSettings.PurchaseModelKind kind = kind(model);
    // "week" or "day": the unit of the coefficients, for the messages
    String unit = model.unit().key().substring(0, model.unit().key().length() - 1);
    return purchase(kind, model.coefficients(), model.largestGradient(), unit);
  }

  private static ClvSettings.PurchaseModelKind kind(PurchaseModel<?> model) {
    return model instanceof ParetoNbdModel ? ClvSettings.PurchaseModelKind.PARETONBD
        : ClvSettings.PurchaseModelKind.BGNBD;
  }

  private static String name(ClvSettings.PurchaseModelKind kind) {
    return kind == ClvSettings.PurchaseModelKind.PARETONBD ? "Pareto/NBD" : "BG/NBD";
  }

  private static String coefficientNames(ClvSettings.PurchaseModelKind kind) {
    return kind == ClvSettings.PurchaseModelKind.PARETONBD ? "r, alpha, s, beta" : "r, alpha, a, b";
  }

  /**
   * BG/NBD (r, alpha, a, b) or Pareto/NBD (r, alpha, s, beta) coefficients and the fit's final
   * largest gradient component (NaN: unknown, not checked).
   */
  public static FitVerdict purchase(ClvSettings.PurchaseModelKind kind, double[] c, double largestGradient) {
    return purchase(kind, c, largestGradient, "time unit");
  }

  /** {@link #purchase(ClvSettings.PurchaseModelKind, double[], double)} with the coefficients' time unit named. */
  public static FitVerdict purchase(ClvSettings.PurchaseModelKind kind, double[] c, double largestGradient,
      String unit) {
    String name = name(kind);
    String names = coefficientNames(kind);
    String values = format(c);
    FitVerdict failed = failed(name, names, values, c, largestGradient);
    if (failed != null) {
      return failed;
    }
    boolean homogeneous = kind == ClvSettings.PurchaseModelKind.BGNBD ? BgNbdMath.homogeneous(c[2], c[3])
        : ParetoNbdMath.homogeneous(c[2]);
    // In the homogeneous limit the dropout pair runs to infinity together: only its ratio is
    // determined, so only r, alpha and the low edge of the pair are checked against the edges.
    boolean edge = homogeneous ? outside(c[0]) || outside(c[1]) || Math.min(c[2], c[3]) < EDGE_LOW
        : Arrays.stream(c).anyMatch(FitDiagnostics::outside);
    if (edge) {
      return atEdge(name, names, values);
    }
    if (kind == ClvSettings.PurchaseModelKind.BGNBD) {
      double a = c[2];
      double b = c[3];
      if (a + b <= 1) {
        return FitVerdict.degenerate("clv_invalid_parameters", String.format(Locale.ROOT,
            "BG/NBD fitted a + b = %.3g, not above 1 (%s = %s): the dropout probabilities pile up at 0 and 1, "
                + "the data do not identify the dropout process", a + b, names, values));
      }
      double p = a / (a + b);
      if (homogeneous && 1 - p < MIN_DROPOUT_PER_PURCHASE) {
        // b is small next to a: not two shapes running off together but a alone at the edge.
        return atEdge(name, names, values);
      }
      if (homogeneous) {
        return homogeneousDropout(String.format(Locale.ROOT, "dropout probability p = a/(a+b) = %.3g per purchase",
            p), name, names, values);
      }
    } else {
      if (homogeneous) {
        double dropout = (c[2] / c[3]) / (c[0] / c[1]); // mean dropout rate / mean purchase rate
        return homogeneousDropout(String.format(Locale.ROOT,
            "dropout rate mu = s/beta = %.3g per %s (%.3g dropouts per purchase at the mean purchase rate)",
            c[2] / c[3], unit, dropout), name, names, values);
      }
    }
    return FitVerdict.OK;
  }

  private static FitVerdict homogeneousDropout(String what, String name, String names, String values) {
    return FitVerdict.usableWithNote("clv_homogeneous_dropout", String.format(Locale.ROOT,
        "the data show no difference in dropout between customers; every customer is given the same %s "
            + "(%s %s = %s: the dropout shapes run to infinity together, the model is used in that limit)",
        what, name, names, values));
  }

  public static FitVerdict spend(GammaGammaModel model) {
    return spend(model.coefficients(), model.largestGradient());
  }

  /** Gamma-Gamma (p, q, gamma) and the fit's final largest gradient component (NaN: not checked). */
  public static FitVerdict spend(double[] c, double largestGradient) {
    String names = "p, q, gamma";
    String values = format(c);
    FitVerdict failed = failed("Gamma-Gamma", names, values, c, largestGradient);
    if (failed != null) {
      return failed;
    }
    if (c[1] <= 1) {
      return FitVerdict.degenerate("clv_spend_invalid", String.format(Locale.ROOT,
          "Gamma-Gamma fitted q = %.3g, not above 1 (%s = %s): its mean order value p gamma / (q - 1) does not exist",
          c[1], names, values));
    }
    if (c[1] > MAX_SPEND_Q) {
      return FitVerdict.degenerate("clv_spend_degenerate", String.format(Locale.ROOT,
          "Gamma-Gamma fitted q = %.3g (%s = %s): it sees no difference between the customers' order values "
              + "and would give everyone the same one", c[1], names, values));
    }
    // gamma is in money units times q and may be large; p is a shape.
    return outside(c[0]) ? atEdge("Gamma-Gamma", names, values) : FitVerdict.OK;
  }

  /** Not finite or not positive coefficients, or an optimiser that stopped short of the optimum. */
  private static FitVerdict failed(String name, String names, String values, double[] c, double largestGradient) {
    for (double v : c) {
      if (!(v > 0 && Double.isFinite(v))) {
        return FitVerdict.degenerate("clv_fit_diverged", name + " fit diverged (" + names + " = " + values + ")");
      }
    }
    if (largestGradient > MAX_GRADIENT) {
      return FitVerdict.degenerate("clv_not_converged", String.format(Locale.ROOT,
          "%s fit did not converge: the optimiser stopped with gradient %.2g, above %.0e (%s = %s)", name,
          largestGradient, MAX_GRADIENT, names, values));
    }
    return null;
  }

  private static boolean outside(double v) {
    return v < EDGE_LOW || v > EDGE_HIGH;
  }

  private static FitVerdict atEdge(String name, String names, String values) {
    return FitVerdict.degenerate("clv_parameter_at_edge", String.format(Locale.ROOT,
        "%s fit ran to the edge of its parameter space (%s = %s): the data do not determine the model",
        name, names, values));
  }

  /**
   * Whether a purchase model's dropout process shows in the data: {@code doubted} of the
   * {@code repeatBuyers} have P(alive) below {@link #GONE_DOUBT}.
   */
  public static FitVerdict dropoutSeen(PurchaseModel<?> model, long doubted, long repeatBuyers) {
    ClvSettings.PurchaseModelKind kind = kind(model);
    return dropoutSeen(String.format(Locale.ROOT, "%s (%s = %s)", name(kind), coefficientNames(kind),
        format(model.coefficients())), doubted, repeatBuyers);
  }

  /** {@link #dropoutSeen(PurchaseModel, long, long)} for a model named in words. */
  public static FitVerdict dropoutSeen(String name, long doubted, long repeatBuyers) {
    if (repeatBuyers == 0 || (doubted >= 1 && doubted >= MIN_DOUBTED_SHARE * repeatBuyers)) {
      return FitVerdict.OK;
    }
    return FitVerdict.degenerate(NO_DROPOUT, String.format(Locale.ROOT,
        "%s puts P(alive) above %.1f for %s of %d repeat buyers: it sees almost no customer leaving and would "
            + "rank none against another (at least %.0f %% are needed)", name, GONE_DOUBT,
        doubted == 0 ? "all" : "all but " + doubted, repeatBuyers, 100 * MIN_DOUBTED_SHARE));
  }

  private static String format(double[] c) {
    StringBuilder s = new StringBuilder();
    for (double v : c) {
      s.append(s.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g", v));
    }
    return s.toString();
  }
}
