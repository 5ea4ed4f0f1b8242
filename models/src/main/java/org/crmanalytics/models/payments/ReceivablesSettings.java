package org.crmanalytics.models.payments;

import java.util.List;

/**
 * Settings of the receivables snapshot ({@link Receivables#customersAt}).
 *
 * @param skontoDays an invoice counts as paid with early-payment discount (Skonto) when it is paid in
 *     full within this many days after its invoice date; {@code payment_risk.receivables.skonto_days}, default 10
 * @param complaintCategories ticket categories that count as invoice complaints;
 *     {@code payment_risk.receivables.complaint_categories}, default invoice, billing, Rechnung (the category the
 *     sample-company generator gives billing tickets)
 */
public record ReceivablesSettings(int skontoDays, List<String> complaintCategories) {
  public static final ReceivablesSettings DEFAULT =
      new ReceivablesSettings(10, List.of("invoice", "billing", "Rechnung"));

  public ReceivablesSettings {
    if (skontoDays < 0) {
      throw new IllegalArgumentException("payment_risk.receivables.skonto_days must be 0 or more, got " + skontoDays);
    }
    if (complaintCategories == null) {
      throw new IllegalArgumentException("payment_risk.receivables.complaint_categories must be a list (it may be empty)");
    }
    complaintCategories = List.copyOf(complaintCategories);
  }
}
