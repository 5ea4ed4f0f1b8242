package org.crmanalytics.models.features;

import static org.crmanalytics.models.features.CustomerSnapshot.*;
import static org.crmanalytics.models.features.CustomerSnapshotTest.OPTIONAL_FEATURES;
import static org.crmanalytics.models.features.CustomerSnapshotTest.byCustomer;
import static org.crmanalytics.models.features.CustomerSnapshotTest.money;
import static org.crmanalytics.models.features.CustomerSnapshotTest.nul;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * "Known at D" on {@link SnapshotFixture}: a later extract of the same company gives the same
 * snapshot as of D, an earlier D sees less, and absent tables give null features.
 */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class CustomerSnapshotPointInTimeTest {
  private static final LocalDate D = SnapshotFixture.AS_OF;

  private static SparkSession spark;
  private static Map<String, Row> snapshot;

  @BeforeAll
  static void start(SparkSession session) {
    spark = session;
    snapshot = byCustomer(CustomerSnapshot.transform(
        SnapshotFixture.base().silver(spark, List.of()), D, Settings.DEFAULTS));
  }

  @Test
  void eventsAndStateChangesAfterTheDateDoNotChangeTheSnapshot() {
    SnapshotFixture later = SnapshotFixture.base().extractedLater();
    Map<String, Row> fromLater = byCustomer(CustomerSnapshot.transform(later.silver(spark, List.of()), D,
        Settings.DEFAULTS));
    assertEquals(snapshot.keySet(), fromLater.keySet());
    for (String id : snapshot.keySet()) {
      assertEquals(snapshot.get(id), fromLater.get(id), "snapshot of " + id + " as of " + D);
    }
    // The later rows are real: as of their own date they are seen.
    Map<String, Row> atLaterDate = byCustomer(CustomerSnapshot.transform(later.silver(spark, List.of()),
        LocalDate.of(2025, 8, 1), Settings.DEFAULTS));
    assertTrue(atLaterDate.containsKey("C3"), "C3 exists as of 2025-08-01");
    assertEquals(1L, (long) atLaterDate.get("C1").getAs(OPEN_COMPLAINTS), "T7 is open, T1 and T2 resolved");
    assertEquals(31, (int) atLaterDate.get("C1").getAs(DAYS_SINCE_LAST_ORDER), "O7 on 2025-07-01");
  }

  @Test
  void anEarlierDateSeesOnlyWhatWasKnownThen() {
    Map<String, Row> early = byCustomer(CustomerSnapshot.transform(SnapshotFixture.base().silver(spark, List.of()),
        LocalDate.of(2025, 1, 31), Settings.DEFAULTS));
    Row c1 = early.get("C1");
    assertEquals(61, (int) c1.getAs(DAYS_SINCE_LAST_ORDER), "O3 on 2024-12-01");
    assertEquals(0L, (long) c1.getAs(OPEN_COMPLAINTS), "T4 was resolved 2024-01-05; T1, T2 not yet raised");
    money("1000", c1, OPEN_RECEIVABLES); // I1 invoiced, first payment on 2025-02-05
    money("0", c1, OVERDUE_RECEIVABLES); // due 2025-02-10
    assertEquals(2L, (long) c1.getAs(OPEN_OFFERS), "F2 (created 2025-01-01) and F3 (won 2025-02-01)");
    assertTrue(early.containsKey("C4") && !early.containsKey("C3"));
  }

  @Test
  void absentOptionalTablesGiveNullFeatures() {
    Map<String, Row> minimal = byCustomer(CustomerSnapshot.transform(
        SnapshotFixture.base().silver(spark, List.of("customers", "sales")), D, Settings.DEFAULTS));
    assertEquals(snapshot.keySet(), minimal.keySet());
    for (Row r : minimal.values()) {
      nul(r, OPTIONAL_FEATURES.toArray(String[]::new));
      String id = r.getAs(CUSTOMER_ID);
      for (String salesFeature : List.of(REVENUE_12M, ORDER_COUNT_12M, DAYS_SINCE_LAST_ORDER, MARGIN_12M,
          MEAN_ORDER_GAP_DAYS, RETURN_SHARE_12M, revenue(90))) {
        assertEquals(snapshot.get(id).<Object>getAs(salesFeature), r.getAs(salesFeature), id + "." + salesFeature);
      }
    }
    // Invoices without payments: the dunning level is known, payment behaviour is not.
    Row c1 = byCustomer(CustomerSnapshot.transform(
        SnapshotFixture.base().silver(spark, List.of("customers", "sales", "invoices")), D, Settings.DEFAULTS))
        .get("C1");
    assertEquals(2, (int) c1.getAs(MAX_DUNNING_LEVEL_12M));
    nul(c1, OPEN_RECEIVABLES, MEAN_DAYS_LATE_12M, SHARE_PAID_LATE_12M, CREDIT_LIMIT_UTILISATION);
  }
}
