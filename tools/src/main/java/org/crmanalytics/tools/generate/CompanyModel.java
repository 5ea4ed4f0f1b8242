package org.crmanalytics.tools.generate;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Everything that is shared by all customers of the simulated company: its product catalogue,
 * its sales force, its campaign calendar, the industry-to-product-group affinities and the
 * business calendar. Small (a few hundred objects), built on the driver from the seed alone and
 * broadcast to the executors, which simulate the customers against it.
 */
final class CompanyModel implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One article. Prices in units of 1/10,000 EUR so that sums stay exact integers. */
  record Product(String id, String name, int group, long listPriceE4, long unitCostE4)
      implements Serializable {}

  /** A sales rep: field reps cover a territory, inside-sales reps (territory -1) the country. */
  record Rep(String id, int territory, double skill, double diligence, double ambition)
      implements Serializable {}

  enum CampaignKind {
    MESSE("event", 0.22, 0.35),
    MAILING("mail", 0.05, 0.30),
    NEWSLETTER("email", 0.07, 0.20),
    WEBINAR("webinar", 0.15, 0.25);

    final String channel;
    final double responseRate;
    final double conversionRate;

    CampaignKind(String channel, double responseRate, double conversionRate) {
      this.channel = channel;
      this.responseRate = responseRate;
      this.conversionRate = conversionRate;
    }
  }

  /** A campaign; days are numbered like the {@link BusinessCalendar}'s. */
  record Campaign(String id, String name, CampaignKind kind, int startDay, int endDay,
      int focusGroup) implements Serializable {}

  static final int PRODUCTS_PER_GROUP = 26;
  static final int SERVICE_PRODUCTS = 10;

  private final long seed;
  private final long customers;
  private final LocalDate endDate;
  private final BusinessCalendar calendar;
  private final Product[] products;
  /** For each group: its products' indexes, and their cumulative popularity. */
  private final int[][] productsByGroup;
  private final double[][] popularityByGroup;
  private final Rep[] reps;
  /** For each territory: indexes of the field reps covering it. */
  private final int[][] territoryReps;
  private final int[] insideReps;
  private final Campaign[] campaigns;
  /** industry x product group weights, the basis of every customer's buying pattern. */
  private final double[][] affinity;

  private CompanyModel(long seed, long customers, LocalDate startDate, LocalDate endDate) {
    this.seed = seed;
    this.customers = customers;
    this.endDate = endDate;
    this.calendar = new BusinessCalendar(startDate, endDate);
    SplittableRandom r = Randoms.stream(seed, -1, Randoms.Stream.CATALOGUE);
    this.products = buildProducts(r);
    this.productsByGroup = new int[ProductGroups.count()][];
    this.popularityByGroup = new double[ProductGroups.count()][];
    indexProducts(r);
    int repCount = (int) Math.max(6, Math.min(40, Math.round(customers / 50.0)));
    int fieldCount = Math.max(3, (int) Math.round(repCount * 0.7));
    this.reps = new Rep[repCount];
    this.territoryReps = new int[Regions.Territory.values().length][];
    this.insideReps = new int[repCount - fieldCount];
    buildSalesForce(r, fieldCount);
    this.campaigns = buildCampaigns(r);
    this.affinity = buildAffinity(r);
  }

  /** The model for a history of {@code years} years that ends on {@code endDate}. */
  static CompanyModel build(long seed, long customers, int years, LocalDate endDate) {
    return new CompanyModel(seed, customers, endDate.minusYears(years).plusDays(1), endDate);
  }

  private static Product[] buildProducts(SplittableRandom r) {
    List<Product> list = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int g = 0; g < ProductGroups.count(); g++) {
      ProductGroups.Group group = ProductGroups.ALL[g];
      int wanted = g == ProductGroups.SERVICE ? SERVICE_PRODUCTS : PRODUCTS_PER_GROUP;
      int made = 0;
      for (int attempt = 0; attempt < 500 && made < wanted; attempt++) {
        String name = group.articleName(r);
        if (!names.add(name)) {
          continue;
        }
        made++;
        double price = group.priceMinEuro()
            * Math.pow(group.priceMaxEuro() / group.priceMinEuro(), r.nextDouble());
        long listE4 = price >= 1.0 ? Math.round(price * 100) * 100 : Math.round(price * 10_000);
        double margin = Randoms.uniform(r, group.marginMin(), group.marginMax());
        long costE4 = Math.max(1, Math.round(listE4 * (1.0 - margin)));
        String id = String.format(Locale.ROOT, "P%02d%03d", g + 1, made);
        list.add(new Product(id, name, g, listE4, costE4));
      }
    }
    return list.toArray(new Product[0]);
  }

  private void indexProducts(SplittableRandom r) {
    for (int g = 0; g < ProductGroups.count(); g++) {
      List<Integer> members = new ArrayList<>();
      for (int p = 0; p < products.length; p++) {
        if (products[p].group() == g) {
          members.add(p);
        }
      }
      int[] idx = members.stream().mapToInt(Integer::intValue).toArray();
      // A few bestsellers per group and a long tail, as in any assortment.
      double[] weights = new double[idx.length];
      for (int k = 0; k < idx.length; k++) {
        weights[k] = 1.0 / Math.pow(k + 1, 0.9) * Math.exp(0.2 * Randoms.gaussian(r));
      }
      productsByGroup[g] = idx;
      popularityByGroup[g] = Randoms.cumulative(weights);
    }
  }

  private void buildSalesForce(SplittableRandom r, int fieldCount) {
    int territories = Regions.Territory.values().length;
    double[] population = Regions.territoryPopulation();
    List<List<Integer>> cover = new ArrayList<>();
    for (int t = 0; t < territories; t++) {
      cover.add(new ArrayList<>());
    }
    if (fieldCount >= territories) {
      // Every territory gets one rep, the rest go by population (largest remainder).
      int[] counts = largestRemainder(population, fieldCount - territories);
      int rep = 0;
      for (int t = 0; t < territories; t++) {
        for (int k = 0; k < counts[t] + 1; k++) {
          cover.get(t).add(rep++);
        }
      }
    } else {
      // Too few reps: each covers several territories, balanced by population.
      double[] load = new double[fieldCount];
      Integer[] order = new Integer[territories];
      for (int t = 0; t < territories; t++) {
        order[t] = t;
      }
      java.util.Arrays.sort(order, (a, b) -> Double.compare(population[b], population[a]));
      for (int t : order) {
        int best = 0;
        for (int k = 1; k < fieldCount; k++) {
          if (load[k] < load[best]) {
            best = k;
          }
        }
        load[best] += population[t];
        cover.get(t).add(best);
      }
    }
    for (int t = 0; t < territories; t++) {
      territoryReps[t] = cover.get(t).stream().mapToInt(Integer::intValue).toArray();
    }
    for (int k = 0; k < reps.length; k++) {
      int territory = -1;
      if (k < fieldCount) {
        for (int t = 0; t < territories && territory < 0; t++) {
          for (int rep : territoryReps[t]) {
            if (rep == k) {
              territory = t;
              break;
            }
          }
        }
      } else {
        insideReps[k - fieldCount] = k;
      }
      reps[k] = new Rep(String.format(Locale.ROOT, "R%02d", k + 1), territory,
          Math.exp(0.18 * Randoms.gaussian(r)),
          Math.exp(0.25 * Randoms.gaussian(r)),
          Math.exp(0.12 * Randoms.gaussian(r)));
    }
  }

  private static int[] largestRemainder(double[] weights, int total) {
    double sum = 0;
    for (double w : weights) {
      sum += w;
    }
    int[] counts = new int[weights.length];
    double[] remainder = new double[weights.length];
    int given = 0;
    for (int i = 0; i < weights.length; i++) {
      double exact = total * weights[i] / sum;
      counts[i] = (int) Math.floor(exact);
      remainder[i] = exact - counts[i];
      given += counts[i];
    }
    while (given < total) {
      int best = 0;
      for (int i = 1; i < weights.length; i++) {
        if (remainder[i] > remainder[best]) {
          best = i;
        }
      }
      counts[best]++;
      remainder[best] = -1;
      given++;
    }
    return counts;
  }

  private record CampaignIdea(String name, CampaignKind kind, int month, int group) {}

  private Campaign[] buildCampaigns(SplittableRandom r) {
    List<Campaign> list = new ArrayList<>();
    LocalDate first = calendar.date(0);
    for (int year = first.getYear(); year <= endDate.getYear(); year++) {
      List<CampaignIdea> ideas = new ArrayList<>();
      List<CampaignIdea> fairs = new ArrayList<>(List.of(
          new CampaignIdea("LogiMAT Stuttgart " + year, CampaignKind.MESSE, 3,
              ProductGroups.STORAGE),
          new CampaignIdea("Hannover Messe " + year, CampaignKind.MESSE, 4, ProductGroups.DRIVES),
          new CampaignIdea("FachPack Nürnberg " + year, CampaignKind.MESSE, 9,
              ProductGroups.PACKAGING),
          new CampaignIdea("SPS Nürnberg " + year, CampaignKind.MESSE, 11,
              ProductGroups.ELECTRICAL)));
      if (year % 2 == 1) {
        fairs.add(new CampaignIdea("A+A Düsseldorf " + year, CampaignKind.MESSE, 10,
            ProductGroups.SAFETY));
      }
      if (year % 3 == 0) {
        fairs.add(new CampaignIdea("bauma München " + year, CampaignKind.MESSE, 4,
            ProductGroups.FASTENERS));
      }
      List<CampaignIdea> mailings = new ArrayList<>(List.of(
          new CampaignIdea("Frühjahrsaktion Arbeitsschutz " + year, CampaignKind.MAILING, 3,
              ProductGroups.SAFETY),
          new CampaignIdea("Sommeraktion Reinigung & Hygiene " + year, CampaignKind.MAILING, 6,
              ProductGroups.CLEANING),
          new CampaignIdea("Herbstaktion Werkzeuge " + year, CampaignKind.MAILING, 9,
              ProductGroups.TOOLS),
          new CampaignIdea("Jahresendaktion Lagerausstattung " + year, CampaignKind.MAILING, 11,
              ProductGroups.STORAGE)));
      List<CampaignIdea> webinars = new ArrayList<>(List.of(
          new CampaignIdea("Webinar: Schmierstoffe richtig einsetzen " + year,
              CampaignKind.WEBINAR, 2, ProductGroups.CHEMICALS),
          new CampaignIdea("Webinar: Energieeffiziente Antriebe " + year, CampaignKind.WEBINAR,
              5, ProductGroups.DRIVES),
          new CampaignIdea("Webinar: Prüfmittelmanagement " + year, CampaignKind.WEBINAR, 6,
              ProductGroups.MEASURING),
          new CampaignIdea("Webinar: Hydraulik-Wartung " + year, CampaignKind.WEBINAR, 9,
              ProductGroups.HYDRAULICS)));
      ideas.add(new CampaignIdea("Newsletter " + year + " Frühjahr", CampaignKind.NEWSLETTER, 4,
          r.nextInt(ProductGroups.count())));
      ideas.add(new CampaignIdea("Newsletter " + year + " Herbst", CampaignKind.NEWSLETTER, 10,
          r.nextInt(ProductGroups.count())));
      ideas.add(fairs.remove(r.nextInt(fairs.size())));
      ideas.add(fairs.remove(r.nextInt(fairs.size())));
      ideas.add(mailings.remove(r.nextInt(mailings.size())));
      ideas.add(webinars.remove(r.nextInt(webinars.size())));
      ideas.sort((a, b) -> Integer.compare(a.month(), b.month()));
      int number = 0;
      for (CampaignIdea idea : ideas) {
        LocalDate start = LocalDate.of(year, idea.month(), Randoms.between(r, 3, 24));
        int startDay = calendar.day(start);
        int length = switch (idea.kind()) {
          case MESSE -> Randoms.between(r, 3, 5);
          case MAILING -> 28;
          case NEWSLETTER -> 14;
          case WEBINAR -> 0;
        };
        number++;
        if (startDay < 0 || startDay >= calendar.days()) {
          continue;
        }
        String id = String.format(Locale.ROOT, "KAM-%d-%02d", year, number);
        list.add(new Campaign(id, idea.name(), idea.kind(), startDay, startDay + length,
            idea.group()));
      }
    }
    return list.toArray(new Campaign[0]);
  }

  private static double[][] buildAffinity(SplittableRandom r) {
    double[][] a = new double[Industries.ALL.length][];
    for (int i = 0; i < a.length; i++) {
      a[i] = Industries.ALL[i].affinity().clone();
      for (int g = 0; g < a[i].length; g++) {
        a[i][g] *= Math.exp(0.15 * Randoms.gaussian(r));
      }
    }
    return a;
  }

  long seed() {
    return seed;
  }

  long customers() {
    return customers;
  }

  LocalDate endDate() {
    return endDate;
  }

  LocalDate startDate() {
    return calendar.date(0);
  }

  BusinessCalendar calendar() {
    return calendar;
  }

  int days() {
    return calendar.days();
  }

  double years() {
    return calendar.days() / 365.25;
  }

  Product product(int index) {
    return products[index];
  }

  Product[] products() {
    return products.clone();
  }

  /** A product of {@code group}, drawn by popularity. */
  int drawProduct(SplittableRandom r, int group) {
    return productsByGroup[group][Randoms.weightedCumulative(r, popularityByGroup[group])];
  }

  Rep rep(int index) {
    return reps[index];
  }

  Rep[] reps() {
    return reps.clone();
  }

  int repCount() {
    return reps.length;
  }

  int[] territoryReps(int territory) {
    return territoryReps[territory];
  }

  int[] insideReps() {
    return insideReps;
  }

  Campaign[] campaigns() {
    return campaigns.clone();
  }

  int campaignCount() {
    return campaigns.length;
  }

  Campaign campaign(int index) {
    return campaigns[index];
  }

  double affinity(int industry, int group) {
    return affinity[industry][group];
  }

  double[] affinityRow(int industry) {
    return affinity[industry].clone();
  }

  /** Width of customer numbers: K000123 up to 999,999 customers, one digit more above. */
  int customerIdDigits() {
    return Math.max(6, Long.toString(customers).length());
  }
}
