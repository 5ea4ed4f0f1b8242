package org.crmanalytics.tools.demodb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.ContractColumn;
import org.crmanalytics.models.contract.ContractTable;

/**
 * A small company in the bundled sample's layout ({@code <dir>/<table>/<table>-00000.csv}), built
 * from a seed: all eleven tables, with the values that trip up a copy through a database (umlauts,
 * quotes, commas and line breaks in text, padded text, empty optional values, 4-decimal money,
 * negative return lines, timestamps to the second, booleans) and a few rows the quality gate
 * rejects (below its 5 % threshold), so that both paths must quarantine the same rows.
 */
final class SmallCompany {
  static final int CUSTOMERS = 80;
  static final int PRODUCTS = 30;
  static final int ORDERS = 700;
  static final LocalDate FIRST_DAY = LocalDate.of(2023, 1, 1);
  static final LocalDate AS_OF = LocalDate.of(2025, 12, 31);

  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final String[] NAMES = {
    "Müller & Söhne, \"Nord\" GmbH", "Bäckerei Weiß e.K.", "Schmidt AG", "Öztürk Logistik GmbH",
    "  Weber KG  ", "Hoffmann; Partner", "Groß & Klein OHG", "Jäger Maschinenbau"};
  private static final String[] NOTES = {
    "Kunde ruft zurück\nTermin: KW 3", "Angebot \"Premium\" besprochen, Preis zu hoch", "",
    "Rückfrage zur Lieferung", "Einkäufer: Frau Groß; will Muster", "  Leerzeichen am Rand  "};

  private SmallCompany() {}

  /** Writes the company under {@code dir}; returns the rows per table. */
  static Map<String, Integer> write(Path dir, long seed) {
    Random r = new Random(seed);
    Map<String, List<List<String>>> t = new LinkedHashMap<>();
    for (ContractTable table : Contract.TABLES) {
      t.put(table.name(), new ArrayList<>());
    }
    String[] reps = {"R01", "R02", "R03", "R04", "R05"};
    for (int c = 1; c <= CUSTOMERS; c++) {
      boolean last = c == CUSTOMERS;
      t.get("customers").add(List.of(
          customer(c),
          NAMES[c % NAMES.length] + (c > NAMES.length ? " " + c : ""),
          pick(r, "Maschinenbau", "Handel", "Bau", "Lebensmittel"),
          pick(r, "Bayern", "Nordrhein-Westfalen", "Sachsen", "Baden-Württemberg"),
          "DE",
          c % 7 == 0 ? "" : String.format(Locale.ROOT, "%05d", 1000 + r.nextInt(98000)),
          c % 5 == 0 ? "" : String.valueOf(1 + r.nextInt(2000)),
          pick(r, "A", "B", "C"),
          reps[c % reps.length],
          c % 6 == 0 ? "" : pick(r, "field", "inside", "web", "partner"),
          day(r, FIRST_DAY.minusYears(5), FIRST_DAY).toString(),
          // the last customer has a negative credit limit: rejected (range), and every row that
          // refers to it with it (reference)
          last ? "-100.0000" : money(r, 100_000)));
    }
    for (int p = 1; p <= PRODUCTS; p++) {
      t.get("products").add(List.of(product(p), "Artikel " + p + (p % 4 == 0 ? ", groß" : ""),
          "Gruppe " + (1 + p % 5), money(r, 500), p % 9 == 0 ? "" : money(r, 200)));
    }
    List<String[]> orders = new ArrayList<>();
    for (int o = 1; o <= ORDERS; o++) {
      String id = String.format(Locale.ROOT, "SO%05d", o);
      // the last customer gets one order only, so its rejected rows stay under the threshold
      String customer = customer(o == ORDERS ? CUSTOMERS : 1 + r.nextInt(CUSTOMERS - 1));
      LocalDate date = o == 17 ? AS_OF.plusDays(20) : day(r, FIRST_DAY, AS_OF.minusDays(1)); // 17: after as_of
      boolean isReturn = o > 30 && o % 25 == 0;
      String original = isReturn ? String.format(Locale.ROOT, "SO%05d", o - 10) : "";
      int lines = 1 + r.nextInt(3);
      for (int l = 1; l <= lines; l++) {
        String qty = (isReturn ? "-" : "") + (1 + r.nextInt(20)) + "." + (l == 2 ? "5000" : "0000");
        t.get("sales").add(List.of(id, String.valueOf(l), customer, date.toString(), product(1 + r.nextInt(PRODUCTS)),
            qty, (isReturn ? "-" : "") + money(r, 5_000), l == 3 ? "" : (isReturn ? "-" : "") + money(r, 2_000),
            pick(r, "field", "web", ""), isReturn ? "return" : "order", original));
      }
      orders.add(new String[] {id, customer, date.toString()});
    }
    int payment = 0;
    for (int i = 0; i < 400; i++) {
      String[] o = orders.get(i);
      LocalDate invoiced = LocalDate.parse(o[2]).plusDays(1);
      String id = String.format(Locale.ROOT, "RE%05d", i + 1);
      int level = i == 5 ? 12 : r.nextInt(3);
      t.get("invoices").add(List.of(id, o[1], i % 11 == 0 ? "" : o[0], invoiced.toString(),
          invoiced.plusDays(30).toString(), money(r, 9_000), String.valueOf(level), ""));
      for (int k = 1; k <= level && k <= 3; k++) {
        LocalDate sent = invoiced.plusDays(30 + 14L * k);
        if (!sent.isAfter(AS_OF)) {
          t.get("dunning_notices").add(List.of(id, String.valueOf(k), sent.toString()));
        }
      }
      if (i % 4 != 0) {
        payment++;
        t.get("payments").add(List.of(String.format(Locale.ROOT, "ZA%05d", payment), id, "",
            min(invoiced.plusDays(r.nextInt(40)), AS_OF).toString(), money(r, 9_000)));
      }
    }
    for (int a = 1; a <= 400; a++) {
      t.get("activities").add(List.of(String.format(Locale.ROOT, "AK%05d", a), customer(1 + r.nextInt(CUSTOMERS - 1)),
          reps[r.nextInt(reps.length)], pick(r, "visit", "call", "email", "meeting"), timestamp(r).format(TS),
          pick(r, "positiv", "neutral", "kein Interesse", ""), NOTES[a % NOTES.length]));
    }
    for (int f = 1; f <= 120; f++) {
      LocalDateTime created = timestamp(r);
      String status = pick(r, "open", "won", "lost");
      String stage = status.equals("open") ? pick(r, "lead", "qualified", "offer", "negotiation") : status;
      t.get("offers").add(List.of(String.format(Locale.ROOT, "AN%05d", f), customer(1 + r.nextInt(CUSTOMERS - 1)),
          reps[r.nextInt(reps.length)], pick(r, "messe", "web", "empfehlung"),
          created.minusDays(20).format(TS), f % 3 == 0 ? "" : created.minusDays(5).format(TS), created.format(TS),
          stage, f % 10 == 0 ? "" : money(r, 50_000), status,
          status.equals("open") ? "" : created.plusDays(1 + r.nextInt(30)).format(TS),
          status.equals("lost") ? pick(r, "Preis", "Wettbewerb", "kein Bedarf") : ""));
    }
    for (int k = 1; k <= 60; k++) {
      LocalDateTime created = timestamp(r);
      t.get("tickets").add(List.of(String.format(Locale.ROOT, "TK%05d", k), customer(1 + r.nextInt(CUSTOMERS - 1)),
          pick(r, "complaint", "request"), pick(r, "Lieferung", "Qualität", "Rechnung"),
          k == 9 ? "URGENT" : pick(r, "low", "normal", "high", "urgent"), created.format(TS),
          created.plusDays(14).format(TS), k % 4 == 0 ? "" : created.plusHours(1 + r.nextInt(200)).format(TS),
          NOTES[k % NOTES.length]));
    }
    for (int k = 1; k <= 6; k++) {
      LocalDate start = day(r, FIRST_DAY, AS_OF.minusDays(10));
      t.get("campaigns").add(List.of(String.format(Locale.ROOT, "KA%03d", k), "Kampagne " + k + (k == 2 ? " „Frühjahr“" : ""),
          pick(r, "event", "mail", "email"), start.toString(), start.plusDays(5 + r.nextInt(60)).toString()));
    }
    Set<String> members = new LinkedHashSet<>();
    while (members.size() < 150) {
      members.add(String.format(Locale.ROOT, "KA%03d", 1 + r.nextInt(6)) + "|" + customer(1 + r.nextInt(CUSTOMERS - 1)));
    }
    for (String m : members) {
      String[] k = m.split("\\|");
      LocalDate added = day(r, FIRST_DAY, AS_OF.minusDays(40));
      boolean responded = r.nextInt(3) == 0;
      t.get("campaign_members").add(List.of(k[0], k[1], added.toString(),
          responded ? added.plusDays(1 + r.nextInt(30)).toString() : "",
          responded ? pick(r, "true", "false") : (r.nextBoolean() ? "false" : "")));
    }
    for (String rep : reps) {
      for (String period : List.of("2024", "2025", "2025-Q1", "2025-07")) {
        for (String kpi : List.of("revenue", "visits")) {
          t.get("sales_targets").add(List.of(rep, period, kpi, kpi.equals("revenue") ? money(r, 900_000) : "40.0000"));
        }
      }
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (ContractTable table : Contract.TABLES) {
      List<List<String>> rows = t.get(table.name());
      writeCsv(dir.resolve(table.name()).resolve(table.name() + "-00000.csv"), table, rows);
      counts.put(table.name(), rows.size());
    }
    return counts;
  }

  private static void writeCsv(Path file, ContractTable table, List<List<String>> rows) {
    StringBuilder out = new StringBuilder();
    out.append(String.join(",", table.columns().stream().map(ContractColumn::name).toList())).append('\n');
    for (List<String> row : rows) {
      if (row.size() != table.columns().size()) {
        throw new IllegalStateException(table.name() + ": row has " + row.size() + " values");
      }
      out.append(String.join(",", row.stream().map(SmallCompany::csv).toList())).append('\n');
    }
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** RFC 4180: quote a value with a delimiter, quote, line break or padding; double its quotes. */
  private static String csv(String v) {
    boolean quote = v.contains(",") || v.contains("\"") || v.contains("\n") || !v.equals(v.strip());
    return quote ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }

  private static String customer(int i) {
    return String.format(Locale.ROOT, "K%05d", i);
  }

  private static String product(int i) {
    return String.format(Locale.ROOT, "P%03d", i);
  }

  private static String pick(Random r, String... values) {
    return values[r.nextInt(values.length)];
  }

  private static LocalDate day(Random r, LocalDate from, LocalDate to) {
    return from.plusDays(r.nextInt((int) (to.toEpochDay() - from.toEpochDay()) + 1));
  }

  private static LocalDate min(LocalDate a, LocalDate b) {
    return a.isBefore(b) ? a : b;
  }

  private static LocalDateTime timestamp(Random r) {
    return day(r, FIRST_DAY, AS_OF.minusDays(60)).atStartOfDay().plusSeconds(r.nextInt(86_400));
  }

  /** 0.0000 .. max with four decimals, the contract's money scale. */
  private static String money(Random r, int max) {
    return String.format(Locale.ROOT, "%d.%04d", r.nextInt(max), r.nextInt(10_000));
  }
}
