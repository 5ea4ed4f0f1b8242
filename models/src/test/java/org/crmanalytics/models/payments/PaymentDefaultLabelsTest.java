package org.crmanalytics.models.payments;

import static org.crmanalytics.models.payments.ReceivablesFixture.D;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.crmanalytics.models.SharedSpark;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Who is in default at D, and the label of the others over the next six months. */
@Tag("spark")
@ExtendWith(SharedSpark.class)
class PaymentDefaultLabelsTest {

  @Test
  void inDefaultAtDIsFarEnoughPastDueWithEnoughOpenOrWrittenOff(SparkSession spark) {
    // C1: I1 150 days past due, 200 open. C4: K1 written off on 15 June. C2: J2 91 days, only 50 open.
    assertEquals("C1,C4", ReceivablesTest.ids(
        PaymentDefaultLabels.inDefaultAt(ReceivablesFixture.known(spark), D, PaymentDefaultDefinition.DEFAULT)));
    assertEquals("C1,C2,C4", ReceivablesTest.ids(PaymentDefaultLabels.inDefaultAt(ReceivablesFixture.known(spark), D,
        new PaymentDefaultDefinition(6, 90, new BigDecimal("49.99")))));
  }

  @Test
  void theLabelLooksAtTheHorizonAfterDForThoseNotYetInDefault(SparkSession spark) {
    // C5: L1 reaches 90 days on 29 Sep with 500 open. C6: M1 likewise, but 450 paid that day.
    // C8: N1 only 80 open, but written off on 15 Aug. C2: nothing left to default on.
    // C1 and C4 are in default at D; C3 has only a credit note; C9 has nothing by D.
    Map<String, String> got = ReceivablesTest.rows(
        PaymentDefaultLabels.label(ReceivablesFixture.withFuture(spark), D, PaymentDefaultDefinition.DEFAULT));
    assertEquals(Map.of("C2", "label=0.000000", "C5", "label=1.000000", "C6", "label=0.000000", "C8", "label=1.000000"),
        got);
  }

  @Test
  void aTriggerDayAfterTheHorizonDoesNotCount(SparkSession spark) {
    // With a 2-month horizon (to 31 Aug) L1's trigger day (29 Sep) lies outside; N1's write-off inside.
    Map<String, String> got = ReceivablesTest.rows(PaymentDefaultLabels.label(ReceivablesFixture.withFuture(spark), D,
        new PaymentDefaultDefinition(2, 90, new BigDecimal("100"))));
    assertEquals("label=0.000000", got.get("C5"));
    assertEquals("label=1.000000", got.get("C8"));
  }
}
