package org.crmanalytics.models.crosssell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The settings refuse what cannot work and say which setting it was. */
@Tag("unit")
class CrossSellSettingsTest {
  @Test
  void sizeBandsAreLabelledFromTheirStarts() {
    PeerGroups.Settings s = PeerGroups.Settings.DEFAULTS;
    assertEquals(List.of("1–9", "10–49", "50–249", "250+"), List.of(s.bandLabel(0), s.bandLabel(1), s.bandLabel(2),
        s.bandLabel(3)));
  }

  @Test
  void outOfRangeValuesAreRefusedByName() {
    assertMessage("size band starts must be strictly ascending",
        () -> new PeerGroups.Settings(List.of(1, 50, 10), 10));
    assertMessage("minimum peer group size 0", () -> new PeerGroups.Settings(List.of(1, 10), 0));
    assertMessage("spend percentile 1.0 is not in (0, 1)", () -> new WhiteSpace.Settings(1.0, false, 1.0));
    assertMessage("regular share of median 0.0", () -> new WhiteSpace.Settings(0.75, false, 0.0));
    assertMessage("cross-sell rule settings", () -> new AssociationRules.Settings(0.0, 0.5, 1.0));
    assertMessage("cross-sell ALS settings", () -> new CollaborativeFiltering.Settings(
        CollaborativeFiltering.Feedback.ORDERS, List.of(), List.of(0.1), List.of(1.0), 5, 2, 1L));
    assertMessage("horizon months 0", () -> new CrossSellSettings("product_group", 12, 0, 5,
        PeerGroups.Settings.DEFAULTS, WhiteSpace.Settings.DEFAULTS, AssociationRules.Settings.DEFAULTS,
        CollaborativeFiltering.Settings.DEFAULTS));
    assertMessage("level must name a column", () -> CrossSellSettings.DEFAULTS.withLevel(" "));
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable create) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, create);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
