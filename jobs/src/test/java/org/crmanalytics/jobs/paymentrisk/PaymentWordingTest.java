package org.crmanalytics.jobs.paymentrisk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.crmanalytics.models.explain.FeatureLabels.Label;
import org.crmanalytics.models.explain.ReasonWording;
import org.crmanalytics.models.explain.ValueFormat;
import org.crmanalytics.models.explain.ValueFormat.Language;
import org.crmanalytics.models.payments.Receivables;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The payment-risk features read in a credit manager's words, alike in both languages. */
@Tag("unit")
class PaymentWordingTest {
  @Test
  void sentencesHaveTheSameFormsInBothLanguagesAndHoldTheValue() {
    int sentences = 0;
    for (String feature : PaymentWording.labels("EUR").features()) {
      Label l = PaymentWording.labels("EUR").label(feature);
      int formsEn = l.en().split("\\|", -1).length;
      assertEquals(formsEn, l.de().split("\\|", -1).length, feature + ": English and German differ in forms");
      for (String label : List.of(l.en(), l.de())) {
        String[] forms = label.split("\\|", -1);
        assertFalse(forms[0].contains("{0}"), feature + ": the noun holds no value: '" + forms[0] + "'");
        // The sentences for values above and below 0 hold the value; the one for exactly 0 need not.
        for (int i = 1; i < Math.min(forms.length, 3); i++) {
          assertTrue(forms[i].isEmpty() || forms[i].contains("{0}"), feature + ": '" + forms[i] + "'");
        }
        assertTrue(forms.length < 2 || !forms[1].isEmpty(), feature + ": the first sentence is empty");
      }
      sentences += formsEn > 1 ? 1 : 0;
    }
    assertTrue(sentences >= 10, sentences + " sentences");
  }

  @Test
  void aCreditManagersWords() {
    Label trend = PaymentWording.labels("EUR").label(Receivables.DAYS_LATE_TREND);
    ReasonWording en = PaymentWording.labels("EUR").wording(Language.EN);
    ReasonWording de = PaymentWording.labels("EUR").wording(Language.DE);
    assertEquals("pays 23 days later than over the last 12 months",
        ReasonWording.fill(ReasonWording.sentence(trend.en(), 23), ValueFormat.DAYS.format(23.0, en)));
    assertEquals("zahlt 4 Tage früher als im 12-Monats-Mittel",
        ReasonWording.fill(ReasonWording.sentence(trend.de(), -4), ValueFormat.DAYS.format(4.0, de)));
    Label over90 = PaymentWording.labels("EUR").label(Receivables.OVERDUE_OVER_90);
    assertEquals("48.000 € seit mehr als 90 Tagen überfällig",
        ReasonWording.fill(ReasonWording.sentence(over90.de(), 48_000), ValueFormat.MONEY.format(48_000.0, de)));
    assertEquals("overdue more than 90 days", ReasonWording.noun(over90.en()));
    Label skonto = PaymentWording.labels("EUR").label(Receivables.SKONTO_SHARE_3M);
    assertEquals("took no early-payment discount in the last 3 months", ReasonWording.sentence(skonto.en(), 0));
    assertEquals("hat in den letzten 3 Monaten kein Skonto genutzt", ReasonWording.sentence(skonto.de(), 0));
    assertEquals("takes the early-payment discount on 40% of its invoices (last 3 months)",
        ReasonWording.fill(ReasonWording.sentence(skonto.en(), 0.4), ValueFormat.PERCENT.format(0.4, en)));
    assertNull(ReasonWording.sentence(PaymentWording.labels("EUR").label(Receivables.EXPOSURE).en(), 1), "a noun only");
  }
}
