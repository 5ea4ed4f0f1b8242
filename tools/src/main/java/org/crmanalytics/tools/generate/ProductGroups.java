package org.crmanalytics.tools.generate;

import java.util.SplittableRandom;

/**
 * The assortment of the simulated company, a technical wholesaler ("technischer Großhandel")
 * that supplies industry, trades and services. Each group has its own price band, margin band
 * and typical order quantity, so that revenue and contribution margin differ by group the way
 * they do in a real assortment (screws: cheap, high margin, large quantities; drives: expensive,
 * thin margin, single units).
 */
final class ProductGroups {
  private ProductGroups() {}

  /**
   * One product group.
   *
   * @param templates article-name patterns; {@code {a|b|c}} picks one alternative
   */
  record Group(
      String code,
      String name,
      double marginMin,
      double marginMax,
      double priceMinEuro,
      double priceMaxEuro,
      int quantityMin,
      int quantityMax,
      int packSize,
      String[] templates) {

    /** Draws an article name from one of the group's patterns. */
    String articleName(SplittableRandom r) {
      String template = templates[r.nextInt(templates.length)];
      StringBuilder out = new StringBuilder(template.length());
      int i = 0;
      while (i < template.length()) {
        char c = template.charAt(i);
        if (c == '{') {
          int end = template.indexOf('}', i);
          String[] options = template.substring(i + 1, end).split("\\|");
          out.append(options[r.nextInt(options.length)]);
          i = end + 1;
        } else {
          out.append(c);
          i++;
        }
      }
      return out.toString();
    }
  }

  static final int FASTENERS = 0;
  static final int TOOLS = 1;
  static final int SAFETY = 2;
  static final int HYDRAULICS = 3;
  static final int ELECTRICAL = 4;
  static final int DRIVES = 5;
  static final int CHEMICALS = 6;
  static final int STORAGE = 7;
  static final int PACKAGING = 8;
  static final int MEASURING = 9;
  static final int CLEANING = 10;
  static final int SERVICE = 11;

  static final Group[] ALL = {
    new Group("BEF", "Befestigungstechnik", 0.40, 0.55, 0.04, 15, 100, 5000, 100, new String[] {
      "Sechskantschraube DIN 933 M{6|8|10|12|16}x{20|30|40|50|60|80} {verzinkt|A2|8.8 blank}",
      "Zylinderschraube DIN 912 M{4|5|6|8|10}x{12|16|20|25|30} 12.9",
      "Sechskantmutter DIN 934 M{6|8|10|12|16|20} {verzinkt|A2|A4}",
      "Unterlegscheibe DIN 125 {6,4|8,4|10,5|13|17} {verzinkt|A2}",
      "Nylondübel {6|8|10|12}x{30|40|50|60}",
      "Gewindestange DIN 976 M{8|10|12|16} 1 m {verzinkt|A2}",
      "Blindniete Alu/Stahl {3,2|4,0|4,8}x{8|10|12|16}",
      "Spanplattenschraube {3,5|4,0|4,5|5,0}x{30|40|50|60} TX {Senkkopf|Linsenkopf}",
      "Schwerlastanker M{10|12|16} {verzinkt|A4}",
    }),
    new Group("WZG", "Werkzeuge", 0.30, 0.45, 8, 900, 1, 20, 1, new String[] {
      "Akku-Schlagbohrschrauber 18 V {Set|solo}",
      "Ringmaulschlüssel-Satz {8|12|16}-tlg.",
      "Drehmomentschlüssel {5-60|20-200|40-400} Nm",
      "Bit-Sortiment {32|48|64}-tlg.",
      "HSS-Spiralbohrer-Satz {1-10|1-13} mm",
      "Winkelschleifer {125|230} mm {1.400|2.200} W",
      "Schraubendreher-Satz VDE {6|7|8}-tlg.",
      "Werkzeugwagen {5|6|7} Schubladen bestückt",
      "Trennscheibe INOX {115|125}x1,0 mm (25 Stk.)",
      "Zangen-Set {3|4|5}-tlg.",
    }),
    new Group("PSA", "Arbeitsschutz", 0.35, 0.50, 2, 180, 5, 200, 5, new String[] {
      "Schutzhandschuh Nitril Gr. {7|8|9|10|11}",
      "Sicherheitsschuh S3 {Halbschuh|Stiefel} Gr. {39|40|41|42|43|44|45|46}",
      "Schutzbrille {klar|getönt} {EN 166|mit Seitenschutz}",
      "Gehörschutzstöpsel {SNR 35|SNR 37} (200 Paar)",
      "Atemschutzmaske FFP{2|3} {mit|ohne} Ventil (20 Stk.)",
      "Warnweste EN ISO 20471 {gelb|orange} Gr. {M|L|XL|XXL}",
      "Schutzhelm EN 397 {weiß|gelb|blau|rot}",
      "Arbeitsjacke {Softshell|Winter} Gr. {M|L|XL|XXL}",
    }),
    new Group("HYD", "Hydraulik & Pneumatik", 0.25, 0.35, 15, 2500, 1, 30, 1, new String[] {
      "Hydraulikschlauch {2SN|1SN} DN{6|10|12|16|20} {1|2|3} m",
      "Pneumatikzylinder ISO 15552 Ø{32|40|50|63} Hub {100|160|200}",
      "Druckluft-Wartungseinheit G{1/4|1/2|3/4}",
      "Kugelhahn {Messing|Edelstahl} G{1/2|3/4|1}",
      "Magnetventil 5/2 {24 V DC|230 V AC}",
      "Steckverschraubung {6|8|10|12} mm (10 Stk.)",
      "Zahnradpumpe {4|8|11|16} cm³",
      "Druckregler G{1/4|1/2} 0-{10|16} bar",
    }),
    new Group("ELT", "Elektrotechnik & Automation", 0.20, 0.32, 3, 1500, 1, 100, 1,
        new String[] {
          "Hutschienen-Netzteil 24 V {2,5|5|10|20} A",
          "Leitungsschutzschalter B{10|16|20|32} {1|3}-polig",
          "Steuerleitung {3|4|5|7}x{0,75|1,5} mm² ({50|100} m)",
          "Näherungsschalter induktiv M{12|18|30} PNP",
          "Schütz {9|12|18|25} A 24 V DC",
          "LED-Hallenstrahler {100|150|200} W",
          "Reihenklemme {2,5|4|6} mm² (50 Stk.)",
          "Kleinsteuerung {8|12|16} E/A",
        }),
    new Group("ANT", "Antriebstechnik", 0.18, 0.28, 40, 6000, 1, 10, 1, new String[] {
      "Drehstrommotor IE3 {0,37|0,75|1,5|3|5,5|7,5} kW",
      "Getriebemotor {0,25|0,55|1,1|2,2} kW i={10|20|40}",
      "Frequenzumrichter {0,75|1,5|4|7,5} kW",
      "Rillenkugellager {6204|6205|6206|6305|6308} 2RS (10 Stk.)",
      "Keilriemen {SPA|SPB|SPZ} {1250|1500|1800|2000}",
      "Rollenkette {08B|10B|12B}-1 (5 m)",
      "Kupplung elastisch {Gr. 24|Gr. 28|Gr. 38}",
      "Linearführung {15|20|25} mm L={500|1000} mm",
    }),
    new Group("CTP", "Chemisch-technische Produkte", 0.35, 0.50, 4, 250, 6, 120, 6,
        new String[] {
          "Mehrzweckfett {400 g Kartusche|1 kg Dose|5 kg Eimer}",
          "Multifunktionsöl {400 ml|5 l}",
          "Schraubensicherung {mittelfest|hochfest} 50 ml",
          "2K-Konstruktionsklebstoff {50|400} ml",
          "Bremsenreiniger 500 ml (12 Stk.)",
          "Schneidöl {1|5|20} l",
          "Kältespray 400 ml",
          "Korrosionsschutz-Spray {400 ml|5 l}",
          "Silikon {transparent|weiß|grau} 310 ml",
          "Hydrauliköl HLP {32|46|68} ({20|208} l)",
        }),
    new Group("BLA", "Betriebs- & Lagerausstattung", 0.25, 0.38, 50, 4500, 1, 10, 1,
        new String[] {
          "Schwerlastregal {2000|2500}x{1000|1300}x{500|600} mm",
          "Werkbank {1500|2000} mm {Buche|Multiplex}",
          "Sichtlagerkasten Gr. {2|3|4|5} (20 Stk.)",
          "Transportwagen {500|800|1200} kg",
          "Gefahrstoffschrank {Typ 90|Typ 30} {600|1200} mm",
          "Palettenregal Feld {2700|3600} mm",
          "Hubwagen {2.000|2.500} kg",
          "Spind {2|3|4}-türig",
        }),
    new Group("VPK", "Verpackung & Versand", 0.15, 0.25, 0.10, 60, 50, 3000, 50,
        new String[] {
          "Stretchfolie {500|450} mm {17|20|23} µm",
          "Faltkarton {2|3}-wellig {300x200x200|400x300x250|600x400x400} mm",
          "Packband PP {braun|transparent|bedruckt} 50 mm x 66 m",
          "Luftpolsterfolie {50|100} cm x 100 m",
          "Versandtasche {DIN A4|DIN A5|C4}",
          "Kantenschutz {35x35|50x50} mm, 1,2 m",
          "Umreifungsband PP {12|15} mm",
          "Füllmaterial Papierpolster {Rolle|Karton}",
        }),
    new Group("MPT", "Mess- & Prüftechnik", 0.30, 0.45, 20, 8000, 1, 5, 1, new String[] {
      "Digitaler Messschieber {150|200|300} mm",
      "Bügelmessschraube {0-25|25-50|50-75} mm",
      "Multimeter {True RMS|CAT III|CAT IV}",
      "Wärmebildkamera {160x120|320x240} px",
      "Laser-Entfernungsmesser {50|80|100} m",
      "Härteprüfgerät {mobil|Rockwell}",
      "Messuhr {0,01|0,001} mm",
      "Drehmoment-Prüfgerät {50|200|1000} Nm",
    }),
    new Group("RHY", "Reinigung & Hygiene", 0.30, 0.42, 2, 300, 5, 200, 5, new String[] {
      "Industrie-Handreiniger {2|4} l",
      "Putztuchrolle {2|3}-lagig (1.000 Blatt)",
      "Desinfektionsmittel Flächen {1|5|10} l",
      "Einweghandschuh Nitril {puderfrei|blau} (100 Stk.)",
      "Ölbindemittel {Granulat 20 kg|Vlies 50 Stk.}",
      "Papierhandtuch Z-Falz (5.000 Blatt)",
      "Industriesauger {30|50|80} l",
      "Seifenspender {Edelstahl|Kunststoff}",
    }),
    new Group("SRV", "Service & Wartung", 0.45, 0.55, 75, 140, 1, 24, 1, new String[] {
      "Wartung {Hydraulikanlage|Druckluftanlage|Regalprüfung|Elektroprüfung DGUV V3} (Std.)",
      "Techniker-Einsatz vor Ort (Std.)",
      "Schulung {Arbeitssicherheit|Ladungssicherung|Hydraulik} (Std.)",
      "Kalibrierservice Messmittel (Std.)",
      "Montageservice {Regalanlagen|Maschinen} (Std.)",
      "Reparaturservice {Werkzeuge|Antriebe} (Std.)",
    }),
  };

  static int count() {
    return ALL.length;
  }
}
