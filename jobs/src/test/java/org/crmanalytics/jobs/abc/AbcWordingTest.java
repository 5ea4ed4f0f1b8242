package org.crmanalytics.jobs.abc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.crmanalytics.jobs.base.Bundles;
import org.crmanalytics.models.abc.AbcWording;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The A–E reasons are worded in both languages, with the same keys, and the German score has a decimal comma. */
@Tag("unit")
class AbcWordingTest {
  @Test
  void bothLanguagesWordEveryPartOfTheReason() {
    AbcWording en = AbcStage.wording(Locale.ENGLISH);
    AbcWording de = AbcStage.wording(Locale.GERMAN);
    assertEquals(Bundles.load("abc", Locale.ENGLISH).keySet(), Bundles.load("abc", Locale.GERMAN).keySet());
    assertTrue(en.texts().keySet().containsAll(AbcWording.KEYS));
    assertFalse(en.decimalComma());
    assertTrue(de.decimalComma());
    assertEquals("Rang %d von %d nach Umsatz", de.texts().get("rank.revenue"));
  }
}
