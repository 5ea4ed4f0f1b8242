package org.crmanalytics.models.btyd;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * One partition's customers reduced to their distinct rows, each with the number of customers
 * that share it, as a {@link LogLikelihood.Block} ordered by x (the first column) and then T. Values are
 * compared bit for bit, so rows merge only when every column is the same double.
 */
final class DistinctRows {
  private final int width;
  private double[][] values;
  private double[] weights;
  /** Open addressing: row index + 1 per slot, 0 for an empty slot. */
  private int[] slots;
  private int size;

  private DistinctRows(int width) {
    this.width = width;
    this.values = new double[width][1024];
    this.weights = new double[1024];
    this.slots = new int[2048];
  }

  /**
   * Packs rows of {@code width} double columns, one customer each; every row is checked (no nulls,
   * {@link LogLikelihood#invalid}) before it counts. Spark's internal rows, read in place:
   * converting a million rows to {@code Row}s (boxing every value) took longer than compressing them.
   */
  static LogLikelihood.Block pack(Iterator<InternalRow> rows, int width, List<String> names, LogLikelihood model) {
    DistinctRows distinct = new DistinctRows(width);
    double[] row = new double[width];
    while (rows.hasNext()) {
      InternalRow r = rows.next();
      for (int c = 0; c < width; c++) {
        if (r.isNullAt(c)) {
          throw new IllegalArgumentException("null " + names.get(c)
              + " in the BTYD summary; every customer needs x, t_x, T (and monetary for Gamma-Gamma)");
        }
        row[c] = r.getDouble(c);
      }
      String problem = model.invalid(row);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
      distinct.add(row);
    }
    return model.prepared(distinct.sorted());
  }

  private void add(double[] row) {
    int mask = slots.length - 1;
    for (int slot = hash(row) & mask; ; slot = (slot + 1) & mask) {
      int index = slots[slot] - 1;
      if (index < 0) {
        append(row);
        slots[slot] = size;
        if (2 * size > slots.length) {
          rehash();
        }
        return;
      }
      if (same(index, row)) {
        weights[index]++;
        return;
      }
    }
  }

  private void append(double[] row) {
    if (size == weights.length) {
      int capacity = 2 * size;
      weights = Arrays.copyOf(weights, capacity);
      for (int c = 0; c < width; c++) {
        values[c] = Arrays.copyOf(values[c], capacity);
      }
    }
    for (int c = 0; c < width; c++) {
      values[c][size] = row[c];
    }
    weights[size++] = 1;
  }

  private boolean same(int index, double[] row) {
    for (int c = 0; c < width; c++) {
      if (Double.doubleToRawLongBits(values[c][index]) != Double.doubleToRawLongBits(row[c])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Every bit of every column reaches the low bits the table uses (MurmurHash3's 64-bit finaliser).
   * A multiplication alone left them to the low mantissa bits, which whole numbers of weeks and counts
   * do not have: probe chains grew long and comparing rows took most of the compression's time
   * (sampled with JFR on 6.7 million customers).
   */
  private int hash(double[] row) {
    long h = 0;
    for (double v : row) {
      h = mix(h ^ Double.doubleToRawLongBits(v));
    }
    return (int) h;
  }

  private static long mix(long h) {
    h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
    h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }

  private void rehash() {
    slots = new int[2 * slots.length];
    int mask = slots.length - 1;
    double[] row = new double[width];
    for (int i = 0; i < size; i++) {
      for (int c = 0; c < width; c++) {
        row[c] = values[c][i];
      }
      int slot = hash(row) & mask;
      while (slots[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = i + 1;
    }
  }

  /**
   * The block in the order the likelihoods exploit: by x and, for (x, t_x, T) rows, by T within x,
   * so that terms of x alone and of T alone are computed once per run of equal values. Two stable
   * counting sorts over the ranks of the distinct values (T first, then x).
   */
  private LogLikelihood.Block sorted() {
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    if (width >= 3) {
      order = stableSort(order, values[2]);
    }
    order = stableSort(order, values[0]);
    double[][] columns = new double[width][size];
    double[] w = new double[size];
    for (int to = 0; to < size; to++) {
      int from = order[to];
      for (int c = 0; c < width; c++) {
        columns[c][to] = values[c][from];
      }
      w[to] = weights[from];
    }
    return new LogLikelihood.Block(columns, w);
  }

  /** {@code order} stably sorted by {@code key}: a counting sort over the ranks of its distinct values. */
  private int[] stableSort(int[] order, double[] key) {
    Map<Double, Integer> start = new HashMap<>();
    for (int i = 0; i < size; i++) {
      start.merge(key[i], 1, Integer::sum);
    }
    int next = 0;
    for (double k : start.keySet().stream().mapToDouble(Double::doubleValue).sorted().toArray()) {
      int count = start.get(k);
      start.put(k, next);
      next += count;
    }
    int[] sorted = new int[size];
    for (int i : order) {
      sorted[start.merge(key[i], 1, Integer::sum) - 1] = i;
    }
    return sorted;
  }
}
