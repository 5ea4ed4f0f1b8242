package org.crmanalytics.tools.generate;

import java.util.SplittableRandom;

/**
 * Where customers sit: the 16 Bundesländer weighted by population (millions, 2023) with their
 * postal-code ranges, plus a few Austrian and Swiss states for the cross-border customers, and
 * the sales territories the field reps cover.
 */
final class Regions {
  private Regions() {}

  /** Field-sales territories; each groups neighbouring regions. */
  enum Territory {
    NORD, NIEDERSACHSEN_BREMEN, NRW, HESSEN, SUEDWEST, BADEN_WUERTTEMBERG, BAYERN, OST,
    MITTELDEUTSCHLAND
  }

  /**
   * One region (a Bundesland, an Austrian Bundesland or a Swiss canton).
   *
   * @param postalRanges inclusive ranges of numeric postal codes, each {from, to}
   * @param adjectives city or landscape adjectives for company names ("Bielefelder")
   */
  record Region(
      String name,
      String country,
      double population,
      int postalDigits,
      int[][] postalRanges,
      String[] adjectives,
      Territory territory) {

    String postalCode(SplittableRandom r) {
      long total = 0;
      for (int[] range : postalRanges) {
        total += range[1] - range[0] + 1;
      }
      long x = r.nextLong(total);
      for (int[] range : postalRanges) {
        long size = range[1] - range[0] + 1;
        if (x < size) {
          return Ids.zeroPadded(range[0] + x, postalDigits);
        }
        x -= size;
      }
      throw new IllegalStateException("unreachable");
    }
  }

  private static Region de(String name, double population, Territory territory, int[][] ranges,
      String... adjectives) {
    return new Region(name, "DE", population, 5, ranges, adjectives, territory);
  }

  private static int[][] ranges(int... bounds) {
    int[][] r = new int[bounds.length / 2][];
    for (int i = 0; i < r.length; i++) {
      r[i] = new int[] {bounds[2 * i], bounds[2 * i + 1]};
    }
    return r;
  }

  static final Region[] GERMANY = {
    de("Baden-Württemberg", 11.3, Territory.BADEN_WUERTTEMBERG,
        ranges(68000, 69999, 70000, 79999, 88000, 89999),
        "Stuttgarter", "Karlsruher", "Mannheimer", "Freiburger", "Ulmer", "Heilbronner",
        "Schwäbische", "Badische"),
    de("Bayern", 13.4, Territory.BAYERN, ranges(80000, 87999, 90000, 97999),
        "Münchner", "Nürnberger", "Augsburger", "Regensburger", "Würzburger", "Ingolstädter",
        "Fränkische", "Bayerische"),
    de("Berlin", 3.9, Territory.OST,
        ranges(10115, 10999, 12043, 12689, 13051, 13629, 14050, 14199),
        "Berliner", "Spandauer", "Köpenicker"),
    de("Brandenburg", 2.6, Territory.OST, ranges(3000, 3999, 14400, 14999, 15000, 16999),
        "Potsdamer", "Cottbuser", "Märkische", "Brandenburger"),
    de("Bremen", 0.7, Territory.NIEDERSACHSEN_BREMEN, ranges(28195, 28779),
        "Bremer", "Hanseatische"),
    de("Hamburg", 1.9, Territory.NORD, ranges(20095, 22769),
        "Hamburger", "Hanseatische", "Alster"),
    de("Hessen", 6.4, Territory.HESSEN, ranges(34000, 36999, 60000, 61999, 63000, 65999),
        "Frankfurter", "Kasseler", "Darmstädter", "Wiesbadener", "Hessische", "Fuldaer"),
    de("Mecklenburg-Vorpommern", 1.6, Territory.NORD, ranges(17000, 19999),
        "Rostocker", "Schweriner", "Mecklenburger", "Vorpommersche"),
    de("Niedersachsen", 8.1, Territory.NIEDERSACHSEN_BREMEN,
        ranges(26000, 27999, 29000, 31999, 37000, 38999, 49000, 49999),
        "Hannoversche", "Braunschweiger", "Osnabrücker", "Oldenburger", "Wolfsburger",
        "Göttinger", "Niedersächsische"),
    de("Nordrhein-Westfalen", 18.1, Territory.NRW,
        ranges(32000, 33999, 40000, 48999, 50000, 53999, 57000, 59999),
        "Kölner", "Düsseldorfer", "Dortmunder", "Essener", "Bielefelder", "Bochumer",
        "Münsteraner", "Sauerländer", "Westfälische", "Rheinische", "Bergische"),
    de("Rheinland-Pfalz", 4.2, Territory.SUEDWEST, ranges(54000, 56999, 67000, 67999),
        "Mainzer", "Koblenzer", "Trierer", "Pfälzische", "Ludwigshafener"),
    de("Saarland", 1.0, Territory.SUEDWEST, ranges(66001, 66999),
        "Saarbrücker", "Saarländische"),
    de("Sachsen", 4.1, Territory.MITTELDEUTSCHLAND,
        ranges(1000, 2999, 4000, 4999, 8000, 9999),
        "Dresdner", "Leipziger", "Chemnitzer", "Sächsische", "Erzgebirgische", "Zwickauer"),
    de("Sachsen-Anhalt", 2.2, Territory.MITTELDEUTSCHLAND, ranges(6000, 6999, 39000, 39999),
        "Magdeburger", "Hallesche", "Anhaltische", "Dessauer"),
    de("Schleswig-Holstein", 3.0, Territory.NORD, ranges(23000, 25999),
        "Kieler", "Lübecker", "Flensburger", "Holsteinische", "Nordfriesische"),
    de("Thüringen", 2.1, Territory.MITTELDEUTSCHLAND, ranges(7000, 7999, 98000, 99999),
        "Erfurter", "Jenaer", "Geraer", "Thüringer", "Weimarer"),
  };

  /** Austrian customers are covered from Bayern. */
  static final Region[] AUSTRIA = {
    new Region("Wien", "AT", 1.9, 4, ranges(1010, 1239), new String[] {"Wiener"},
        Territory.BAYERN),
    new Region("Niederösterreich", "AT", 1.7, 4, ranges(2000, 3999),
        new String[] {"Niederösterreichische", "Wachauer"}, Territory.BAYERN),
    new Region("Oberösterreich", "AT", 1.5, 4, ranges(4000, 4999),
        new String[] {"Linzer", "Welser"}, Territory.BAYERN),
    new Region("Salzburg", "AT", 0.56, 4, ranges(5000, 5799), new String[] {"Salzburger"},
        Territory.BAYERN),
    new Region("Tirol", "AT", 0.76, 4, ranges(6000, 6699),
        new String[] {"Tiroler", "Innsbrucker"}, Territory.BAYERN),
    new Region("Steiermark", "AT", 1.25, 4, ranges(8000, 8999),
        new String[] {"Grazer", "Steirische"}, Territory.BAYERN),
  };

  /** Swiss customers are covered from Baden-Württemberg. */
  static final Region[] SWITZERLAND = {
    new Region("Zürich", "CH", 1.5, 4, ranges(8000, 8999), new String[] {"Zürcher"},
        Territory.BADEN_WUERTTEMBERG),
    new Region("Bern", "CH", 1.0, 4, ranges(3000, 3999), new String[] {"Berner"},
        Territory.BADEN_WUERTTEMBERG),
    new Region("Basel-Stadt", "CH", 0.5, 4, ranges(4000, 4099), new String[] {"Basler"},
        Territory.BADEN_WUERTTEMBERG),
    new Region("Aargau", "CH", 0.7, 4, ranges(5000, 5999), new String[] {"Aargauer"},
        Territory.BADEN_WUERTTEMBERG),
    new Region("St. Gallen", "CH", 0.5, 4, ranges(9000, 9499), new String[] {"St. Galler"},
        Territory.BADEN_WUERTTEMBERG),
  };

  private static final double SHARE_AUSTRIA = 0.04;
  private static final double SHARE_SWITZERLAND = 0.02;

  private static final double[] GERMANY_CUMULATIVE = populationCumulative(GERMANY);
  private static final double[] AUSTRIA_CUMULATIVE = populationCumulative(AUSTRIA);
  private static final double[] SWITZERLAND_CUMULATIVE = populationCumulative(SWITZERLAND);

  private static double[] populationCumulative(Region[] regions) {
    double[] w = new double[regions.length];
    for (int i = 0; i < regions.length; i++) {
      w[i] = regions[i].population();
    }
    return Randoms.cumulative(w);
  }

  static Region draw(SplittableRandom r) {
    double x = r.nextDouble();
    if (x < SHARE_SWITZERLAND) {
      return SWITZERLAND[Randoms.weightedCumulative(r, SWITZERLAND_CUMULATIVE)];
    }
    if (x < SHARE_SWITZERLAND + SHARE_AUSTRIA) {
      return AUSTRIA[Randoms.weightedCumulative(r, AUSTRIA_CUMULATIVE)];
    }
    return GERMANY[Randoms.weightedCumulative(r, GERMANY_CUMULATIVE)];
  }

  /** Population of each territory (German regions only), for sizing the field force. */
  static double[] territoryPopulation() {
    double[] p = new double[Territory.values().length];
    for (Region region : GERMANY) {
      p[region.territory().ordinal()] += region.population();
    }
    return p;
  }
}
