package org.crmanalytics.tools.generate;

import java.util.SplittableRandom;

/**
 * Text pools for company names, CRM notes and ticket descriptions, all in German as a German
 * Mittelstand CRM would hold them. Placeholders in notes: {gruppe} product group, {artikel}
 * article, {n} a small number, {tage} a number of days.
 */
final class GermanTexts {
  private GermanTexts() {}

  static final String[] SURNAMES = {
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
    "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt",
    "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Köhler",
    "Herrmann", "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz",
    "Möller", "Weiß", "Jung", "Hahn", "Schubert", "Vogel", "Friedrich", "Keller", "Günther",
    "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht",
    "Schuster", "Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin", "Schumacher", "Krämer",
    "Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß", "Seidel", "Heinrich", "Brandt", "Haas",
    "Schreiber", "Graf", "Dietrich", "Ziegler", "Kuhn", "Kühn", "Pohl", "Engel", "Horn", "Busch",
    "Bergmann", "Thomas", "Voigt", "Sauer", "Arnold", "Wolff", "Pfeiffer", "Eder", "Brunner",
    "Steiner", "Gruber",
  };

  static final String[] FIRST_NAMES = {
    "Thomas", "Michael", "Andreas", "Stefan", "Frank", "Markus", "Christian", "Peter", "Jürgen",
    "Klaus", "Sabine", "Petra", "Claudia", "Andrea", "Monika", "Birgit", "Karin", "Susanne",
    "Martina", "Heike", "Wolfgang", "Uwe", "Ralf", "Dirk", "Jens", "Katrin", "Anja", "Nicole",
  };

  static final String[] FANTASY_PREFIXES = {
    "Hansa", "Nordic", "Alpha", "Inno", "Euro", "Multi", "Terra", "Delta", "Vario", "Rheno",
    "Alpina", "Proma", "Techno", "Contec", "Intec", "Optima", "Primus", "Weser", "Elbe", "Isar",
  };

  static final String[] LOST_REASONS = {"Preis", "Wettbewerber", "Lieferzeit", "kein Bedarf",
    "Budget"};

  // ---- activities -------------------------------------------------------------------------

  static final String[] VISIT_OUTCOMES_GOOD = {"Bedarf ermittelt", "Angebot angefragt",
    "Folgetermin vereinbart"};
  static final String[] VISIT_OUTCOMES_NEUTRAL = {"Informationsgespräch", "Folgetermin offen"};
  static final String[] VISIT_OUTCOMES_BAD = {"kein Bedarf", "Reklamation besprochen",
    "Kunde unzufrieden"};
  static final String[] CALL_OUTCOMES_GOOD = {"Bestellung aufgenommen", "Rückruf vereinbart",
    "Angebot angefragt"};
  static final String[] CALL_OUTCOMES_NEUTRAL = {"erreicht", "nicht erreicht",
    "Nachricht hinterlassen"};
  static final String[] CALL_OUTCOMES_BAD = {"kein Interesse", "Beschwerde", "kein Bedarf"};
  static final String[] EMAIL_OUTCOMES_GOOD = {"beantwortet", "Anfrage erhalten"};
  static final String[] EMAIL_OUTCOMES_NEUTRAL = {"gesendet", "gesendet", "keine Antwort"};
  static final String[] EMAIL_OUTCOMES_BAD = {"keine Antwort", "Beschwerde erhalten"};
  static final String[] MEETING_OUTCOMES_GOOD = {"positiv", "Rahmenvereinbarung besprochen"};
  static final String[] MEETING_OUTCOMES_NEUTRAL = {"neutral"};
  static final String[] MEETING_OUTCOMES_BAD = {"kritisch", "Preisverhandlung ohne Ergebnis"};

  static final String[] VISIT_NOTES_GOOD = {
    "Besuch vor Ort, Interesse an {gruppe}",
    "Jahresgespräch geführt, Zusammenarbeit läuft gut",
    "Produktvorführung {artikel}, Muster dagelassen",
    "Kunde plant Erweiterung der Produktion, Bedarf an {gruppe}",
    "Neuer Ansprechpartner im Einkauf vorgestellt",
    "Lagerbestand gemeinsam geprüft, Nachbestellung {gruppe} empfohlen",
  };
  static final String[] VISIT_NOTES_NEUTRAL = {
    "Routinebesuch, keine Auffälligkeiten",
    "Kurzbesuch, Katalog {gruppe} übergeben",
    "Besuch beim Werksleiter, Termin für Q{n} angefragt",
  };
  static final String[] VISIT_NOTES_BAD = {
    "Kunde klagt über Preiserhöhung",
    "Kunde erwähnt Angebote vom Wettbewerb",
    "Lieferprobleme der letzten Wochen angesprochen",
    "Einkauf wird zentralisiert, Lieferantenliste wird überprüft",
    "Ansprechpartner hat kaum Zeit, Gespräch verkürzt",
  };
  static final String[] CALL_NOTES_GOOD = {
    "Telefonat wegen Liefertermin, Kunde zufrieden",
    "Preisanfrage zu {artikel}",
    "Nachbestellung {gruppe} telefonisch besprochen",
    "Rückfrage zum Angebot, Kunde prüft intern",
  };
  static final String[] CALL_NOTES_NEUTRAL = {
    "Kurzer Austausch, aktuell kein Bedarf",
    "Ansprechpartner nicht erreicht, Rückruf erbeten",
    "Telefonat zur Aktualisierung der Stammdaten",
  };
  static final String[] CALL_NOTES_BAD = {
    "Kunde verärgert über Lieferverzug von {tage} Tagen",
    "Kunde vergleicht Preise mit anderem Lieferanten",
    "Beschwerde über Qualität {artikel}",
    "Kunde bestellt derzeit woanders",
  };
  static final String[] EMAIL_NOTES_GOOD = {
    "Angebot {gruppe} per E-Mail versendet",
    "Datenblatt {artikel} zugeschickt",
    "Anfrage zu Staffelpreisen beantwortet",
  };
  static final String[] EMAIL_NOTES_NEUTRAL = {
    "Produktneuheiten {gruppe} zugesendet",
    "Einladung zur Hausmesse versendet",
    "Preisliste {n}/{jahr} zugesendet",
  };
  static final String[] EMAIL_NOTES_BAD = {
    "Nachfrage zum offenen Angebot, keine Reaktion",
    "Kunde bittet um Rückruf wegen Reklamation",
  };
  static final String[] MEETING_NOTES_GOOD = {
    "Jahresgespräch: Konditionen für {jahr} vereinbart",
    "Projektbesprechung {gruppe}, Angebot folgt",
    "Lieferantenbewertung mit Note A",
  };
  static final String[] MEETING_NOTES_NEUTRAL = {
    "Quartalsgespräch mit Einkauf und Technik",
    "Abstimmung Rahmenvertrag, Entscheidung offen",
  };
  static final String[] MEETING_NOTES_BAD = {
    "Kunde fordert Preisnachlass, sonst Wechsel des Lieferanten",
    "Lieferantenbewertung mit Note C, Verbesserungsplan gefordert",
    "Einkauf kündigt Ausschreibung an",
  };
  static final String[] DUNNING_CALL_NOTES = {
    "Zahlungserinnerung zu Rechnung {rechnung} telefonisch besprochen",
    "Offene Posten besprochen, Kunde sagt Zahlung zu",
    "Buchhaltung wegen überfälliger Rechnung {rechnung} kontaktiert",
  };
  static final String[] DUNNING_CALL_OUTCOMES = {"Zahlungszusage", "Zahlungszusage",
    "nicht erreicht", "Ratenzahlung angefragt"};

  // ---- tickets ----------------------------------------------------------------------------

  static final String[] CATEGORIES = {"Lieferung", "Qualität", "Rechnung", "Service"};

  /** Complaint texts, by category in the order of {@link #CATEGORIES}. */
  static final String[][] COMPLAINTS = {
    {
      "Lieferung unvollständig, {n} Paletten fehlen",
      "Lieferung {tage} Tage verspätet",
      "Falscher Artikel geliefert ({artikel})",
      "Ware beschädigt angekommen, Verpackung eingedrückt",
      "Lieferschein stimmt nicht mit Ware überein",
      "Teillieferung ohne Ankündigung",
    },
    {
      "Maßabweichung bei {artikel}",
      "Oberfläche korrodiert nach wenigen Wochen",
      "{artikel} fällt nach kurzer Zeit aus",
      "Chargenfehler, {n} Kartons betroffen",
      "Gewinde beschädigt, Teile nicht verwendbar",
    },
    {
      "Rechnung doppelt erhalten",
      "Preis auf Rechnung weicht vom Angebot ab",
      "Skonto nicht berücksichtigt",
      "Gutschrift fehlt für Rücksendung",
      "Falsche Bestellnummer auf der Rechnung",
    },
    {
      "Techniker-Einsatz nicht wie vereinbart erfolgt",
      "Rückruf durch Innendienst blieb aus",
      "Wartungstermin kurzfristig abgesagt",
      "Ansprechpartner im Innendienst nicht erreichbar",
    },
  };

  /** Request texts, by category in the order of {@link #CATEGORIES}. */
  static final String[][] REQUESTS = {
    {
      "Anfrage Liefertermin für offene Bestellung",
      "Bitte um Sendungsverfolgung",
      "Änderung der Lieferadresse",
      "Expresslieferung für {n} Artikel gewünscht",
    },
    {
      "Bitte um Zusendung des Datenblatts zu {artikel}",
      "Werkszeugnis 3.1 angefordert",
      "Konformitätserklärung für {artikel} benötigt",
      "Sicherheitsdatenblatt angefordert",
    },
    {
      "Bitte Rechnungskopie für {monat} zusenden",
      "Änderung der Rechnungsadresse",
      "Umstellung auf E-Rechnung (XRechnung) gewünscht",
      "Kontoauszug offene Posten angefordert",
    },
    {
      "Schulung zur Anwendung von {artikel} gewünscht",
      "Wartungstermin vereinbaren",
      "Zugang zum Kundenportal eingerichtet",
      "Ersatzteilanfrage für {artikel}",
    },
  };

  static final String[] MONTHS = {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli",
    "August", "September", "Oktober", "November", "Dezember"};

  /** Fills the placeholders of a text template (one pass; notes are written by the million). */
  static String fill(String template, SplittableRandom r, String group, String article, int year,
      String invoiceId) {
    int open = template.indexOf('{');
    if (open < 0) {
      return template;
    }
    StringBuilder out = new StringBuilder(template.length() + 40);
    int from = 0;
    while (open >= 0) {
      int close = template.indexOf('}', open);
      out.append(template, from, open);
      switch (template.substring(open + 1, close)) {
        case "gruppe" -> out.append(group);
        case "artikel" -> out.append(article);
        case "n" -> out.append(Randoms.between(r, 2, 6));
        case "tage" -> out.append(Randoms.between(r, 3, 14));
        case "jahr" -> out.append(year);
        case "monat" -> out.append(MONTHS[r.nextInt(12)]);
        case "rechnung" -> out.append(invoiceId == null ? "" : invoiceId);
        default -> out.append(template, open, close + 1);
      }
      from = close + 1;
      open = template.indexOf('{', from);
    }
    return out.append(template, from, template.length()).toString();
  }
}
