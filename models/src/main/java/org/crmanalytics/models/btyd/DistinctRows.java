package org.crmanalytics.models.btyd;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.crmanalytics.models.spark.SparkInternals.InternalRowView;

/**
 * One partition's customers reduced to their distinct rows, each with the number of customers
 * that share it, as a {@link LogLikelihood.Block} ordered by x (the first column) and then T. Values are
 * compared bit for bit, so rows merge only when every column is the same double.
 */
final class DistinctRows {
  private final int width;
  /**
   * Row after row, each its {@code width} values and then its weight: a lookup reads and counts in
   * one place (a column per array cost a cache miss per column on a table of millions of rows).
   */
  private double[] rows;
  /** Open addressing: row index + 1 per slot, 0 for an empty slot. */
  private int[] slots;
  private int size;

  private DistinctRows(int width) {
    this.width = width;
    this.rows = new double[1024 * (width + 1)];
    this.slots = new int[2048];
  }

  /**
   * Packs rows of {@code width} double columns, one customer each; every row is checked (no nulls,
   * {@link LogLikelihood#invalid}) before it counts. Spark's internal rows, read in place:
   * converting a million rows to {@code Row}s (boxing every value) took longer than compressing them.
   */
  static LogLikelihood.Block pack(Iterator<InternalRowView> rows, int width, List<String> names, LogLikelihood model) {
    DistinctRows distinct = new DistinctRows(width);
    double[] row = new double[width];
    while (rows.hasNext()) {
      InternalRowView r = rows.next();
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

  /** A column's distinct values, in order of first appearance, and each row's index among them. */
  record Indexed(double[] values, int[] index) {}

  static Indexed indexed(double[] column) {
    DistinctRows values = new DistinctRows(1);
    double[] k = new double[1];
    int[] index = new int[column.length];
    for (int i = 0; i < column.length; i++) {
      k[0] = column[i];
      index[i] = values.indexOf(k);
    }
    return new Indexed(values.column(0), index);
  }

  private void add(double[] row) {
    int index = indexOf(row); // first: it may grow rows
    rows[index * (width + 1) + width]++;
  }

  /** The row's index in the table; a new row is appended with weight 0. */
  private int indexOf(double[] row) {
    int mask = slots.length - 1;
    for (int slot = hash(row) & mask; ; slot = (slot + 1) & mask) {
      int index = slots[slot] - 1;
      if (index < 0) {
        append(row);
        slots[slot] = size;
        if (2 * size > slots.length) {
          rehash();
        }
        return size - 1;
      }
      if (same(index * (width + 1), row)) {
        return index;
      }
    }
  }

  private void append(double[] row) {
    int stride = width + 1;
    if ((size + 1) * stride > rows.length) {
      rows = Arrays.copyOf(rows, 2 * rows.length);
    }
    System.arraycopy(row, 0, rows, size * stride, width);
    rows[size * stride + width] = 0;
    size++;
  }

  private boolean same(int at, double[] row) {
    for (int c = 0; c < width; c++) {
      if (Double.doubleToRawLongBits(rows[at + c]) != Double.doubleToRawLongBits(row[c])) {
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
      System.arraycopy(rows, i * (width + 1), row, 0, width);
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
      order = stableSort(order, column(2));
    }
    order = stableSort(order, column(0));
    int stride = width + 1;
    double[][] columns = new double[width][size];
    double[] w = new double[size];
    for (int to = 0; to < size; to++) {
      int at = order[to] * stride;
      for (int c = 0; c < width; c++) {
        columns[c][to] = rows[at + c];
      }
      w[to] = rows[at + width];
    }
    return new LogLikelihood.Block(columns, w);
  }

  private double[] column(int c) {
    double[] values = new double[size];
    for (int i = 0; i < size; i++) {
      values[i] = rows[i * (width + 1) + c];
    }
    return values;
  }

  /**
   * {@code order} stably sorted by {@code key}: a counting sort over the ranks of its distinct
   * values, which a one-column table of this kind finds (few: whole days or weeks).
   */
  private int[] stableSort(int[] order, double[] key) {
    Indexed keys = indexed(key);
    int[] count = new int[keys.values().length];
    for (int k : keys.index()) {
      count[k]++;
    }
    // Where each key's run starts, the keys in ascending order.
    Integer[] ascending = new Integer[count.length];
    for (int i = 0; i < count.length; i++) {
      ascending[i] = i;
    }
    Arrays.sort(ascending, (l, r) -> Double.compare(keys.values()[l], keys.values()[r]));
    int[] start = new int[count.length];
    int next = 0;
    for (int i : ascending) {
      start[i] = next;
      next += count[i];
    }
    int[] sorted = new int[size];
    for (int i : order) {
      sorted[start[keys.index()[i]]++] = i;
    }
    return sorted;
  }
}
