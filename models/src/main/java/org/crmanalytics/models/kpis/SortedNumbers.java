package org.crmanalytics.models.kpis;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.expressions.Aggregator;
import org.apache.spark.sql.functions;

/**
 * Aggregates over the sorted numbers of a group, kept in a primitive array.
 *
 * <p>Spark's {@code sort_array(collect_list(x))} boxes every number, sorts the boxes with a
 * generic comparator, and the higher-order functions that then sum the array ({@code aggregate},
 * {@code transform}) evaluate their lambda element by element without generated code. The
 * concentration KPIs collect every customer's revenue per period and slice, tens of millions of
 * numbers at 1,000,000 customers. Here the numbers are added to a {@code double[]}, sorted with
 * {@link Arrays#sort(double[])} and summed in a loop, in the same order as before, so every result
 * is the same double.
 */
final class SortedNumbers {
  private SortedNumbers() {}

  /** The non-null values of {@code x} in the group, ascending: {@code sort_array(collect_list(x))}. */
  static Column ascending(Column x) {
    return functions.udaf(new Ascending(), Encoders.DOUBLE()).apply(x).getField(Bag.VALUES);
  }

  /**
   * Over the non-null values x_1 <= ... <= x_n of {@code x} in the group, a struct of
   * {@code top} (the sum of the largest ceil(n * topPercent / 100)), {@code weighted} (sum of
   * i * x_i), {@code total} (sum of x_i) and {@code count} (n), each summed from the smallest
   * term to the largest; n = 0 gives zeros.
   */
  static Column concentration(Column x, int topPercent) {
    return functions.udaf(new Concentration(topPercent), Encoders.DOUBLE()).apply(x);
  }

  /**
   * A growable array of numbers. A bean with one property, {@code values}, so that Spark can
   * encode it between the partial and the final aggregation and as a result.
   */
  public static final class Bag implements Serializable {
    static final String VALUES = "values";
    private static final long serialVersionUID = 1L;
    private double[] values = new double[16];
    private int size;

    public Bag() {}

    /** The numbers held, in the order they were added (sorted after {@link #sort()}). */
    public double[] getValues() {
      return size == values.length ? values : Arrays.copyOf(values, size);
    }

    public void setValues(double[] numbers) {
      values = numbers;
      size = numbers.length;
    }

    void add(double x) {
      if (size == values.length) {
        values = Arrays.copyOf(values, Math.max(16, size * 2));
      }
      values[size++] = x;
    }

    Bag addAll(Bag other) {
      if (size + other.size > values.length) {
        values = Arrays.copyOf(values, Math.max(size + other.size, size * 2));
      }
      System.arraycopy(other.values, 0, values, size, other.size);
      size += other.size;
      return this;
    }

    Bag sort() {
      Arrays.sort(values, 0, size);
      return this;
    }

    int size() {
      return size;
    }

    double get(int i) {
      return values[i];
    }
  }

  /** The result of {@link #concentration}: a bean, so that Spark encodes it as a struct. */
  public static final class Sums implements Serializable {
    private static final long serialVersionUID = 1L;
    private double top;
    private double weighted;
    private double total;
    private double count;

    public Sums() {}

    public double getTop() {
      return top;
    }

    public void setTop(double top) {
      this.top = top;
    }

    public double getWeighted() {
      return weighted;
    }

    public void setWeighted(double weighted) {
      this.weighted = weighted;
    }

    public double getTotal() {
      return total;
    }

    public void setTotal(double total) {
      this.total = total;
    }

    public double getCount() {
      return count;
    }

    public void setCount(double count) {
      this.count = count;
    }
  }

  /** Collects the non-null numbers of a group into a {@link Bag}; subclasses finish it sorted. */
  private abstract static class Collecting<R> extends Aggregator<Double, Bag, R> {
    private static final long serialVersionUID = 1L;

    @Override
    public Bag zero() {
      return new Bag();
    }

    @Override
    public Bag reduce(Bag bag, Double x) {
      if (x != null) {
        bag.add(x);
      }
      return bag;
    }

    @Override
    public Bag merge(Bag a, Bag b) {
      return a.addAll(b);
    }

    @Override
    public Encoder<Bag> bufferEncoder() {
      return Encoders.bean(Bag.class);
    }
  }

  private static final class Ascending extends Collecting<Bag> {
    private static final long serialVersionUID = 1L;

    @Override
    public Bag finish(Bag bag) {
      return bag.sort();
    }

    @Override
    public Encoder<Bag> outputEncoder() {
      return Encoders.bean(Bag.class);
    }
  }

  private static final class Concentration extends Collecting<Sums> {
    private static final long serialVersionUID = 1L;
    private final int topPercent;

    Concentration(int topPercent) {
      this.topPercent = topPercent;
    }

    @Override
    public Sums finish(Bag bag) {
      bag.sort();
      int n = bag.size();
      // As Spark's ceil(n * p / 100.0) would compute it, in doubles.
      int top = (int) Math.ceil(n * (double) topPercent / 100.0);
      double topSum = 0.0;
      for (int i = n - top; i < n; i++) {
        topSum += bag.get(i);
      }
      double weighted = 0.0;
      double total = 0.0;
      for (int i = 0; i < n; i++) {
        weighted += (i + 1) * bag.get(i);
        total += bag.get(i);
      }
      Sums s = new Sums();
      s.setTop(topSum);
      s.setWeighted(weighted);
      s.setTotal(total);
      s.setCount(n);
      return s;
    }

    @Override
    public Encoder<Sums> outputEncoder() {
      return Encoders.bean(Sums.class);
    }
  }
}
