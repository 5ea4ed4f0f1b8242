package org.crmanalytics.models.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The label definition and the receivables settings reject what makes no sense, naming the key. */
@Tag("unit")
class PaymentDefaultDefinitionTest {

  @Test
  void theDefaultIsNinetyDaysAndMoreThanOneHundredOpenWithinSixMonths() {
    assertEquals(new PaymentDefaultDefinition(6, 90, new BigDecimal("100")), PaymentDefaultDefinition.DEFAULT);
    assertEquals(10, ReceivablesSettings.DEFAULT.skontoDays());
    assertEquals(List.of("invoice", "billing", "Rechnung"), ReceivablesSettings.DEFAULT.complaintCategories());
  }

  @Test
  void invalidValuesAreRejectedWithTheKeyName() {
    assertEquals("payment_risk.default.horizon_months must be between 1 and 36, got 0", assertThrows(
        IllegalArgumentException.class, () -> new PaymentDefaultDefinition(0, 90, BigDecimal.ONE)).getMessage());
    assertEquals("payment_risk.default.days_past_due must be 1 or more, got 0", assertThrows(
        IllegalArgumentException.class, () -> new PaymentDefaultDefinition(6, 0, BigDecimal.ONE)).getMessage());
    assertEquals("payment_risk.default.min_open_amount must be 0 or more, got -1", assertThrows(
        IllegalArgumentException.class, () -> new PaymentDefaultDefinition(6, 90, new BigDecimal("-1"))).getMessage());
    assertEquals("payment_risk.default.min_open_amount must be 0 or more, got null", assertThrows(
        IllegalArgumentException.class, () -> new PaymentDefaultDefinition(6, 90, null)).getMessage());
    assertEquals("payment_risk.receivables.skonto_days must be 0 or more, got -1", assertThrows(
        IllegalArgumentException.class, () -> new ReceivablesSettings(-1, List.of())).getMessage());
  }
}
