package org.crmanalytics.models.payments;

import java.math.BigDecimal;

/**
 * When a customer counts as in payment default: an invoice {@code daysPastDue} days or more past its
 * due date with more than {@code minOpenAmount} still open, or an invoice written off. The label
 * looks {@code horizonMonths} ahead of D. docs/payment-risk.md describes it.
 *
 * @param horizonMonths {@code payment_risk.default.horizon_months}, 1 to 36
 * @param daysPastDue {@code payment_risk.default.days_past_due}, 1 or more
 * @param minOpenAmount {@code payment_risk.default.min_open_amount}, 0 or more (an open amount must exceed it)
 */
public record PaymentDefaultDefinition(int horizonMonths, int daysPastDue, BigDecimal minOpenAmount) {
  /** 90 days past due with more than 100 open, looking 6 months ahead. */
  public static final PaymentDefaultDefinition DEFAULT = new PaymentDefaultDefinition(6, 90, new BigDecimal("100"));

  public PaymentDefaultDefinition {
    if (horizonMonths < 1 || horizonMonths > 36) {
      throw new IllegalArgumentException(
          "payment_risk.default.horizon_months must be between 1 and 36, got " + horizonMonths);
    }
    if (daysPastDue < 1) {
      throw new IllegalArgumentException("payment_risk.default.days_past_due must be 1 or more, got " + daysPastDue);
    }
    if (minOpenAmount == null || minOpenAmount.signum() < 0) {
      throw new IllegalArgumentException(
          "payment_risk.default.min_open_amount must be 0 or more, got " + minOpenAmount);
    }
  }
}
