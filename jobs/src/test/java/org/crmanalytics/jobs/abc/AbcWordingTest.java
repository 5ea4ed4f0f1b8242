package org.crmanalytics.jobs.abc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.crmanalytics.jobs.base.Bundles;
import org.crmanalytics.jobs.classify.ReasonWordings;
import org.crmanalytics.models.abc.AbcWording;
import org.crmanalytics.models.explain.ValueFormat.Language;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The A–E reasons are worded in both languages, with the same keys, and the German score has a decimal comma. */
@Tag("unit")
class AbcWordingTest {
  @Test
  void bothLanguagesWordEveryPartOfTheReason() {
    AbcWording en = AbcStage.wording(Locale.ENGLISH, "EUR");
    AbcWording de = AbcStage.wording(Locale.GERMAN, "EUR");
    assertEquals(Bundles.load("abc", Locale.ENGLISH).keySet(), Bundles.load("abc", Locale.GERMAN).keySet());
    assertTrue(en.texts().keySet().containsAll(AbcWording.KEYS));
    assertFalse(en.decimalComma());
    assertTrue(de.decimalComma());
    assertEquals("Rang %d von %d nach Umsatz", de.texts().get("rank.revenue"));
    assertEquals("€{0}", en.texts().get("money"));
    assertEquals("{0} €", de.texts().get("money"));
  }

  @Test
  void amountsReadInTheCompanysCurrency() {
    assertEquals("${0}", AbcStage.wording(Locale.ENGLISH, "USD").texts().get("money"));
    assertEquals("CHF {0}", AbcStage.wording(Locale.ENGLISH, "CHF").texts().get("money"));
    assertEquals("{0} CHF", AbcStage.wording(Locale.GERMAN, "CHF").texts().get("money"));
    // The reasons of the risk models read amounts alike.
    assertEquals("€{0}", ReasonWordings.of(Language.EN, "EUR").money());
    assertEquals("CHF {0}", ReasonWordings.of(Language.EN, "CHF").money());
  }
}
