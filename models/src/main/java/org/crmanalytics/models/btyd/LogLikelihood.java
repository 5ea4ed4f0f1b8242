package org.crmanalytics.models.btyd;

import java.io.Serializable;
import java.util.List;

/**
 * The log-likelihood of a BTYD model over a block of distinct sufficient-statistic rows, each
 * with the number of customers that share it. Blocks are column arrays sorted by the first column
 * (x) and then by T, so that the terms of x alone (Gamma functions) and of T alone are computed
 * once per run of equal values.
 */
public interface LogLikelihood extends Serializable {
  /** The model's parameters in the order of the params arrays. */
  List<String> parameterNames();

  /** The input columns of a block, in order (x first). */
  int columnCount();

  /**
   * Sum over rows of weight × ln L(params | row); adds weight × ∂ ln L / ∂ param to
   * {@code gradient} (natural parameters, not their logs).
   */
  double addTo(double[] params, Block block, double[] gradient);

  /**
   * The block as {@link #addTo} reads it: the input columns, then any the model derives from them
   * once instead of at every evaluation (a derived column may also be a table of another length).
   * By default the block itself.
   */
  default Block prepared(Block block) {
    return block;
  }

  /** Why a row (its columns in order) cannot be fitted, or null when it can. */
  default String invalid(double[] row) {
    return null;
  }

  /** Distinct rows in column form: columns[c][i] is column c of row i; weights[i] its customers. */
  record Block(double[][] columns, double[] weights) implements Serializable {
    public int size() {
      return weights.length;
    }
  }
}
