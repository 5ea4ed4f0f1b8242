package org.crmanalytics.models.btyd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.crmanalytics.models.spark.SparkInternals;
import org.crmanalytics.models.spark.SparkInternals.InternalRowView;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class DistinctRowsTest {
  private static final List<String> NAMES = List.of("x", "t_x", "T");

  @Test
  void equalRowsMergeWithTheirWeightsAndTheBlockIsOrderedByX() {
    List<InternalRowView> rows = List.of(row(2.0, 1.0, 5.0), row(0.0, 0.0, 3.0),
        row(2.0, 1.0, 5.0), row(1.0, 0.5, 4.0), row(1.0, 0.5, 4.0), row(1.0, 0.5, 4.0), row(2.0, 1.5, 5.0));
    LogLikelihood.Block b = DistinctRows.pack(rows.iterator(), 3, NAMES, BgNbdMath.INSTANCE);
    assertEquals(4, b.size());
    assertArrayEquals(new double[] {0, 1, 2, 2}, b.columns()[0]);
    Map<String, Double> weights = new HashMap<>();
    for (int i = 0; i < b.size(); i++) {
      weights.put(b.columns()[0][i] + "|" + b.columns()[1][i] + "|" + b.columns()[2][i], b.weights()[i]);
    }
    assertEquals(Map.of("0.0|0.0|3.0", 1.0, "1.0|0.5|4.0", 3.0, "2.0|1.0|5.0", 2.0, "2.0|1.5|5.0", 1.0), weights);
  }

  @Test
  void manyRowsGrowTheTableWithoutLosingAnyAndAreOrderedByXThenT() {
    List<InternalRowView> rows = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      int k = (i * 7919) % 12_345; // 12,345 distinct rows, each 4 or 5 times, scattered
      rows.add(row((double) (k % 40), (double) (k % 40) / 2, 40.0 + k / 40));
    }
    LogLikelihood.Block b = DistinctRows.pack(rows.iterator(), 3, NAMES, BgNbdMath.INSTANCE);
    assertEquals(12_345, b.size());
    double total = 0;
    for (int i = 0; i < b.size(); i++) {
      total += b.weights()[i];
      double[] x = b.columns()[0];
      double[] t = b.columns()[2];
      assertTrue(i == 0 || x[i - 1] < x[i] || x[i - 1] == x[i] && t[i - 1] <= t[i], "ordered by x, then T at " + i);
    }
    assertEquals(50_000, total);
  }

  @Test
  void aNullIsAnErrorNamingTheColumn() {
    List<InternalRowView> rows = List.of(row(1.0, null, 3.0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DistinctRows.pack(rows.iterator(), 3, NAMES, BgNbdMath.INSTANCE));
    assertTrue(e.getMessage().startsWith("null t_x in the BTYD summary"), e.getMessage());
  }

  private static InternalRowView row(Object... values) {
    return SparkInternals.internalRow(values);
  }
}
