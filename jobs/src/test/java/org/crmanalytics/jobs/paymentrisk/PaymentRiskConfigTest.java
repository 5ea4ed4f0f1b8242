package org.crmanalytics.jobs.paymentrisk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.crmanalytics.jobs.cli.Pipeline;
import org.crmanalytics.jobs.config.ConfigError;
import org.crmanalytics.models.explain.ReasonRules;
import org.crmanalytics.models.payments.PaymentDefaultDefinition;
import org.crmanalytics.models.paymentrisk.ActionRule;
import org.crmanalytics.models.paymentrisk.PaymentRiskSettings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The payment_risk section: defaults, the action rules in file order, and clear errors. */
@Tag("unit")
class PaymentRiskConfigTest {
  @TempDir Path dir;

  private PaymentRiskSettings load(String section) throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, """
        as_of: 2025-12-31
        tables:
          customers: {path: c.csv}
          sales: {path: s.csv}
        """ + section);
    return Pipeline.configLoader(Map.of()).load(file).settings(PaymentRiskSettings.class);
  }

  @Test
  void everyKeyHasADefaultAndNoActionIsOnByDefault() throws Exception {
    PaymentRiskSettings s = load("");
    assertEquals(PaymentDefaultDefinition.DEFAULT.horizonMonths(), s.definition().horizonMonths());
    assertEquals(90, s.definition().daysPastDue());
    assertEquals(0, s.definition().minOpenAmount().compareTo(new BigDecimal("100")));
    assertEquals(10, s.receivables().skontoDays());
    assertEquals(0.3, s.highBand());
    assertEquals(0.1, s.mediumBand());
    assertEquals(List.of(), s.actions());
    assertEquals(ReasonRules.DEFAULT, s.reasons());
    assertEquals(new ReasonRules(50, 0.25, 0.05, 1, 7),
        load("payment_risk: {reasons: {min_peers: 50, min_percent_points: 5}}\n").reasons());
  }

  @Test
  void actionsAreTriedInTheOrderOfTheFile() throws Exception {
    PaymentRiskSettings s = load("""
        payment_risk:
          default: {horizon_months: 3, days_past_due: 60, min_open_amount: 250}
          receivables: {skonto_days: 14, complaint_categories: [Reklamation]}
          actions:
            credit_hold: {min_probability: 0.5, min_exposure: 20000}
            prepayment: {min_probability: 0.3}
        """);
    assertEquals(List.of(new ActionRule("credit_hold", 0.5, new BigDecimal("20000.0")),
        new ActionRule("prepayment", 0.3, new BigDecimal("0.0"))), s.actions());
    assertEquals(3, s.definition().horizonMonths());
    assertEquals(60, s.definition().daysPastDue());
    assertEquals(List.of("Reklamation"), s.receivables().complaintCategories());
  }

  @Test
  void anUnknownActionOrAMissingThresholdIsAnErrorThatSaysWhere() {
    ConfigError unknown = assertThrows(ConfigError.class, () -> load("""
        payment_risk:
          actions:
            stop_deliveries: {min_probability: 0.5}
        """));
    assertTrue(unknown.getMessage().contains("payment_risk.actions.stop_deliveries"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("credit_hold"), unknown.getMessage());
    ConfigError missing = assertThrows(ConfigError.class, () -> load("""
        payment_risk:
          actions:
            review: {min_exposure: 1000}
        """));
    assertTrue(missing.getMessage().contains("needs min_probability"), missing.getMessage());
    ConfigError bands = assertThrows(ConfigError.class, () -> load("""
        payment_risk:
          bands: {high: 0.2, medium: 0.4}
        """));
    assertTrue(bands.getMessage().contains("payment_risk.bands.medium"), bands.getMessage());
  }
}
