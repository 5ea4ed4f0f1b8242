package org.crmanalytics.models.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.crmanalytics.models.churn.ChurnDefinition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The snapshot dates fitted to the data's span: kept, shrunk, or too short to train. */
@Tag("unit")
class TimeSplitTest {
  private static final LocalDate AS_OF = LocalDate.of(2025, 12, 31);

  @Test
  void aLongHistoryKeepsEverySnapshotAskedFor() {
    TimeSplit.Choice c = TimeSplit.choose(LocalDate.of(2020, 1, 5), AS_OF, ChurnDefinition.DEFAULT, 4, 3, 3, "churn");
    assertTrue(c.trainable());
    assertEquals(TimeSplit.latest(AS_OF, ChurnDefinition.DEFAULT, 4, 3), c.split());
    assertEquals("training snapshots 2023-09-30, 2023-12-31, 2024-03-31, 2024-06-30, validation 2024-12-31, "
        + "test 2025-06-30", c.description());
  }

  @Test
  void aShortHistoryDropsTheSnapshotsBeforeTheMinimumHistory() {
    // Orders from 2023-11-15: with 3 months of history the first snapshot may be 2024-02-15. Without
    // the span, the oldest snapshot 2023-09-30 lay before the first order.
    TimeSplit.Choice c = TimeSplit.choose(LocalDate.of(2023, 11, 15), AS_OF, ChurnDefinition.DEFAULT, 4, 3, 3, "churn");
    assertEquals(List.of(LocalDate.of(2024, 3, 31), LocalDate.of(2024, 6, 30)), c.split().trainDates());
    assertEquals(LocalDate.of(2024, 12, 31), c.split().validationDate());
    assertEquals(LocalDate.of(2025, 6, 30), c.split().testDate());
    assertEquals("training snapshots 2024-03-31, 2024-06-30 (2 of 4 asked for: earlier ones fall before 2024-02-15, "
        + "3 months after the first order 2023-11-15), validation 2024-12-31, test 2025-06-30", c.description());
    c.split().check(ChurnDefinition.DEFAULT, AS_OF);
  }

  @Test
  void aHistoryShorterThanThreeLabelWindowsAndTheMinimumIsTooShortAndSaysWhy() {
    // 20 months of orders; 3 + 3 x 6 = 21 needed.
    TimeSplit.Choice c = TimeSplit.choose(LocalDate.of(2024, 4, 30), AS_OF, ChurnDefinition.DEFAULT, 4, 3, 3, "churn");
    assertFalse(c.trainable());
    assertNull(c.split());
    assertEquals("the order history from 2024-04-30 to as_of 2025-12-31 (20 months) is too short to train a churn "
        + "model: it needs 3 months of history before the first training snapshot "
        + "(churn.training.min_history_months), then three label windows of 6 months (churn.horizon_months): "
        + "training, validation and test, 21 months in all", c.tooShort());
    // One month more is enough for one training snapshot.
    TimeSplit.Choice enough = TimeSplit.choose(LocalDate.of(2024, 3, 31), AS_OF, ChurnDefinition.DEFAULT, 4, 3, 3, "churn");
    assertEquals(List.of(LocalDate.of(2024, 6, 30)), enough.split().trainDates());
  }

  @Test
  void aShorterHorizonFitsAShortHistory() {
    ChurnDefinition quarterly = new ChurnDefinition(6, 3);
    TimeSplit.Choice c = TimeSplit.choose(LocalDate.of(2024, 9, 1), AS_OF, quarterly, 4, 1, 3, "churn");
    assertEquals(List.of(LocalDate.of(2024, 12, 31), LocalDate.of(2025, 1, 31), LocalDate.of(2025, 2, 28),
        LocalDate.of(2025, 3, 31)), c.split().trainDates());
    assertEquals(LocalDate.of(2025, 6, 30), c.split().validationDate());
    assertEquals(LocalDate.of(2025, 9, 30), c.split().testDate());
  }
}
