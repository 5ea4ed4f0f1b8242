package org.crmanalytics.jobs.churn;

import org.crmanalytics.jobs.classify.ReasonWordings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.crmanalytics.jobs.base.Bundles;
import org.crmanalytics.models.explain.FeatureLabels;
import org.crmanalytics.models.explain.FeatureLabels.Better;
import org.crmanalytics.models.explain.FeatureLabels.Label;
import org.crmanalytics.models.explain.ReasonWording;
import org.crmanalytics.models.explain.ValueFormat;
import org.crmanalytics.models.explain.ValueFormat.Language;
import org.crmanalytics.models.features.CustomerSnapshot;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The wording of the churn reasons (i18n/reasons_*.properties) as models/explain uses it. */
@Tag("unit")
class ReasonWordingsTest {
  @Test
  void bothLanguagesHaveTheSameKeys() {
    assertEquals(Bundles.load("reasons", ReasonWordings.locale(Language.EN)).keySet(),
        Bundles.load("reasons", ReasonWordings.locale(Language.DE)).keySet());
  }

  @Test
  void everyNumericSnapshotColumnAndDerivedFeatureHasALabelInBothLanguages() {
    FeatureLabels labels = ChurnReasons.labels("EUR");
    for (StructField f : CustomerSnapshot.schema(new CustomerSnapshot.Settings(List.of(30, 180), List.of(60)))
        .fields()) {
      if (f.dataType() instanceof NumericType) {
        Label l = labels.label(f.name());
        assertTrue(!l.en().equals(f.name()) && !l.de().equals(f.name()), f.name() + " has no label");
      }
    }
    for (String feature : labels.features()) {
      for (Language language : Language.values()) {
        assertTrue(labels.wording(language).features().containsKey(feature), feature + " in " + language);
      }
    }
    assertEquals(new Label("probability still active (BG/NBD)", "Wahrscheinlichkeit noch aktiv (BG/NBD)",
        ValueFormat.PERCENT), labels.label(ChurnInputs.P_ALIVE));
    assertEquals(new Label("calls in the last 60 days", "Anrufe der letzten 60 Tage", ValueFormat.COUNT),
        labels.label("calls_60d"));
    assertNotEquals(labels.label("revenue_12m").en(), labels.label("revenue_12m").de());
  }

  @Test
  void valuesReadAsBefore() {
    ReasonWording en = ReasonWordings.of(Language.EN, "EUR");
    ReasonWording de = ReasonWordings.of(Language.DE, "EUR");
    assertEquals("€1,234,568", ValueFormat.MONEY.format(1234567.5, en));
    assertEquals("1.234.568 €", ValueFormat.MONEY.format(1234567.5, de));
    assertEquals("CHF 1,234,568", ValueFormat.MONEY.format(1234567.5, ReasonWordings.of(Language.EN, "CHF")));
    assertEquals("1.234.568 CHF", ValueFormat.MONEY.format(1234567.5, ReasonWordings.of(Language.DE, "CHF")));
    assertEquals("1 day", ValueFormat.DAYS.format(1.0, en));
    assertEquals("-1 Tag", ValueFormat.DAYS.format(-1.0, de));
    assertEquals("1,5 Tage", ValueFormat.DAYS.format(1.5, de));
    assertEquals("-45%", ValueFormat.PERCENT.format(-0.45, en));
    assertEquals("-45 %", ValueFormat.PERCENT.format(-0.45, de));
    assertEquals("kein Wert", ValueFormat.NUMBER.format(null, de));
    assertEquals("no value", ValueFormat.COUNT.format(Double.NaN, en));
    assertEquals("{0} (typical: {1})", en.reasonWithTypical());
    assertEquals("{0} (üblich: {1})", de.reasonWithTypical());
  }

  @Test
  void theBundlesNameEveryPeerGroupColumnInBothLanguages() {
    ReasonWording en = ReasonWordings.of(Language.EN, "EUR");
    ReasonWording de = ReasonWordings.of(Language.DE, "EUR");
    for (String column : ChurnConfig.SEGMENTS) {
      if (!column.equals("none")) {
        assertTrue(en.peerGroups().containsKey(column) && de.peerGroups().containsKey(column), column);
      }
    }
    assertEquals("orders in the last 12 months: 2 (typical in industry Retail: 8)", ReasonWording.fill(
        en.reasonWithGroupTypical(), ReasonWording.fill(en.reason(), "orders in the last 12 months", "2"), "8",
        en.peerGroup("industry", "Retail")));
    assertEquals("Aufträge der letzten 12 Monate: 2 (üblich in der Branche Handel: 8)", ReasonWording.fill(
        de.reasonWithGroupTypical(), ReasonWording.fill(de.reason(), "Aufträge der letzten 12 Monate", "2"), "8",
        de.peerGroup("industry", "Handel")));
    assertEquals("offer win rate (12 months): 0% (typical among all customers: 40%)", ReasonWording.fill(
        en.reasonWithAllTypical(), ReasonWording.fill(en.reason(), "offer win rate (12 months)", "0%"), "40%"));
    assertEquals("Angebotserfolgsquote (12 Monate): 0 % (üblich bei allen Kunden: 40 %)", ReasonWording.fill(
        de.reasonWithAllTypical(), ReasonWording.fill(de.reason(), "Angebotserfolgsquote (12 Monate)", "0 %"),
        "40 %"));
  }

  @Test
  void theBetterSideOfChurnFeatures() {
    FeatureLabels labels = ChurnReasons.labels("EUR");
    assertEquals(Better.HIGHER, labels.better("offer_win_rate_12m"));
    assertEquals(Better.LOWER, labels.better("share_paid_late_12m"));
    assertEquals(Better.HIGHER, labels.better("visits_90d"));
    assertEquals(Better.HIGHER, labels.better(ChurnInputs.P_ALIVE));
    assertEquals(Better.EITHER, labels.better("employees"));
  }
}
