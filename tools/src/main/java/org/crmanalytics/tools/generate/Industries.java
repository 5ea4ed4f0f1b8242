package org.crmanalytics.tools.generate;

import static org.crmanalytics.tools.generate.ProductGroups.CHEMICALS;
import static org.crmanalytics.tools.generate.ProductGroups.CLEANING;
import static org.crmanalytics.tools.generate.ProductGroups.DRIVES;
import static org.crmanalytics.tools.generate.ProductGroups.ELECTRICAL;
import static org.crmanalytics.tools.generate.ProductGroups.FASTENERS;
import static org.crmanalytics.tools.generate.ProductGroups.HYDRAULICS;
import static org.crmanalytics.tools.generate.ProductGroups.MEASURING;
import static org.crmanalytics.tools.generate.ProductGroups.PACKAGING;
import static org.crmanalytics.tools.generate.ProductGroups.SAFETY;
import static org.crmanalytics.tools.generate.ProductGroups.SERVICE;
import static org.crmanalytics.tools.generate.ProductGroups.STORAGE;
import static org.crmanalytics.tools.generate.ProductGroups.TOOLS;

/**
 * The customers' industries: how common each is, how large its firms tend to be, how exposed it
 * is to insolvency, which words its company names use, and which product groups it buys. The
 * affinities are what makes cross-sell learnable: a Chemie customer that does not yet buy
 * chemisch-technische Produkte is a better prospect for them than a Logistik customer.
 */
final class Industries {
  private Industries() {}

  /** Weight of a product group an industry has no particular use for. */
  static final double BASE_AFFINITY = 0.5;

  /**
   * One industry.
   *
   * @param share share of the customer base
   * @param sizeFactor multiplies the typical number of employees
   * @param defaultRisk added to the log default hazard (Bau goes insolvent more often)
   * @param affinity pairs of (product group, weight); unlisted groups get BASE_AFFINITY
   */
  record Industry(
      String name,
      double share,
      double sizeFactor,
      double defaultRisk,
      String[] nameWords,
      double[] affinity) {}

  private static double[] affinity(double... groupWeightPairs) {
    double[] a = new double[ProductGroups.count()];
    java.util.Arrays.fill(a, BASE_AFFINITY);
    for (int i = 0; i < groupWeightPairs.length; i += 2) {
      a[(int) groupWeightPairs[i]] = groupWeightPairs[i + 1];
    }
    return a;
  }

  static final Industry[] ALL = {
    new Industry("Maschinenbau", 0.16, 1.3, 0.0,
        new String[] {"Maschinenbau", "Anlagenbau", "Sondermaschinenbau", "Präzisionstechnik",
          "Maschinenfabrik"},
        affinity(FASTENERS, 3, DRIVES, 3, HYDRAULICS, 2.5, TOOLS, 2, MEASURING, 2,
            ELECTRICAL, 1.5)),
    new Industry("Automotive-Zulieferer", 0.08, 2.0, 0.1,
        new String[] {"Fahrzeugtechnik", "Automotive", "Zerspanungstechnik", "Umformtechnik",
          "Kunststofftechnik"},
        affinity(FASTENERS, 3, MEASURING, 3, TOOLS, 2, SAFETY, 1.5, CHEMICALS, 1.5)),
    new Industry("Metallverarbeitung", 0.10, 1.0, 0.1,
        new String[] {"Metallbau", "Stahlbau", "Blechtechnik", "Metallverarbeitung", "Gießerei",
          "Härterei", "Oberflächentechnik"},
        affinity(TOOLS, 3, CHEMICALS, 2.5, SAFETY, 2, FASTENERS, 2, MEASURING, 1.5)),
    new Industry("Elektrotechnik", 0.08, 1.1, 0.0,
        new String[] {"Elektrotechnik", "Elektronik", "Elektroanlagen", "Schaltanlagenbau",
          "Automatisierungstechnik"},
        affinity(ELECTRICAL, 4, MEASURING, 2.5, TOOLS, 1.5)),
    new Industry("Chemie", 0.05, 1.8, -0.2,
        new String[] {"Chemie", "Lackfabrik", "Spezialchemie", "Farbenwerke", "Chemische Werke"},
        affinity(CHEMICALS, 4, SAFETY, 3, MEASURING, 2, STORAGE, 1.5, CLEANING, 1.5)),
    new Industry("Kunststoffverarbeitung", 0.05, 1.2, 0.1,
        new String[] {"Kunststofftechnik", "Kunststoffwerk", "Spritzguss", "Folientechnik"},
        affinity(DRIVES, 2, HYDRAULICS, 2, PACKAGING, 2, CHEMICALS, 1.5)),
    new Industry("Lebensmittel", 0.08, 1.1, 0.0,
        new String[] {"Feinkost", "Backwaren", "Fleischwaren", "Molkerei", "Brauerei",
          "Getränke", "Nahrungsmittel"},
        affinity(CLEANING, 4, PACKAGING, 3, SAFETY, 2, STORAGE, 1.5, SERVICE, 1.3)),
    new Industry("Bau", 0.12, 0.7, 0.6,
        new String[] {"Bau", "Hochbau", "Tiefbau", "Bauunternehmung", "Dachtechnik",
          "Haustechnik", "Holzbau"},
        affinity(FASTENERS, 3.5, TOOLS, 3, SAFETY, 2.5, CHEMICALS, 1.3)),
    new Industry("Handel", 0.10, 0.8, 0.2,
        new String[] {"Handelsgesellschaft", "Großhandel", "Handelshaus", "Vertrieb",
          "Versandhandel"},
        affinity(PACKAGING, 3, STORAGE, 3, CLEANING, 1.5, TOOLS, 1.2)),
    new Industry("Logistik", 0.07, 1.0, 0.3,
        new String[] {"Logistik", "Spedition", "Transporte", "Lagerlogistik",
          "Kontraktlogistik"},
        affinity(PACKAGING, 4, STORAGE, 3, SAFETY, 1.5, SERVICE, 1.3)),
    new Industry("Gesundheitswesen", 0.05, 1.5, -0.3,
        new String[] {"Medizintechnik", "Pflegedienste", "Laborbedarf", "Klinikservice",
          "Sanitätshaus", "Reha-Technik"},
        affinity(CLEANING, 4, SAFETY, 2, SERVICE, 1.5, MEASURING, 1.3)),
    new Industry("Energie & Versorgung", 0.03, 2.0, -0.5,
        new String[] {"Energietechnik", "Netzservice", "Energieversorgung", "Solartechnik",
          "Windservice"},
        affinity(ELECTRICAL, 3, MEASURING, 2.5, SERVICE, 2, SAFETY, 2)),
    new Industry("Holz & Möbel", 0.03, 0.6, 0.2,
        new String[] {"Möbelwerkstätten", "Holzverarbeitung", "Schreinerei", "Innenausbau",
          "Tischlerei"},
        affinity(TOOLS, 2.5, FASTENERS, 2.5, CHEMICALS, 2, PACKAGING, 1.5)),
  };

  static final double[] SHARE_CUMULATIVE;

  static {
    double[] shares = new double[ALL.length];
    for (int i = 0; i < ALL.length; i++) {
      shares[i] = ALL[i].share();
    }
    SHARE_CUMULATIVE = Randoms.cumulative(shares);
  }

  static int indexOf(String name) {
    for (int i = 0; i < ALL.length; i++) {
      if (ALL[i].name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("unknown industry " + name);
  }
}
