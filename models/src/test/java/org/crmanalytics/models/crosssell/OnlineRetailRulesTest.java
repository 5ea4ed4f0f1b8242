package org.crmanalytics.models.crosssell;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.PublicDataSets;
import org.crmanalytics.models.SharedSpark;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.Contract.Sales;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * FP-Growth rules on real baskets: the UCI Online Retail file (UCI Machine Learning Repository,
 * data set 352, "Online Retail", Chen, Sain and Guo 2012, CC BY 4.0), September 2011 (1,755
 * invoices with a customer and a described order line of positive value). The data has no product groups: the last word of an article's
 * description ("HOLDER", "LANTERN", "BOTTLE") serves as its group. Every rule with one item on
 * each side is checked against plain Java counting over the same baskets: the same rules, and the
 * same support, confidence and lift.
 */
@Tag("spark")
@Tag("realdata")
@ExtendWith(SharedSpark.class)
class OnlineRetailRulesTest {
  private static final String FILE = "online-retail/online_retail_2010-2011.csv.gz";
  private static final String SOURCE = "UCI Online Retail (UCI Machine Learning Repository data set 352, CC BY 4.0)";
  private static final LocalDate AT = LocalDate.of(2011, 9, 30);
  private static final String WORD = "description_word";
  private static final AssociationRules.Settings RULES = new AssociationRules.Settings(0.04, 0.3, 0.0);
  private static final StructType SCHEMA = new StructType().add(Sales.ORDER_ID, DataTypes.StringType)
      .add(Sales.CUSTOMER_ID, DataTypes.StringType).add(Sales.ORDER_DATE, DataTypes.DateType)
      .add(Sales.LINE_TYPE, DataTypes.StringType).add(Sales.NET_AMOUNT, Contract.MONEY).add(WORD, DataTypes.StringType);

  /** The raw lines of September 2011 with a customer: invoice, customer, amount, word, return. */
  record Line(String invoice, String customer, double amount, String word, boolean isReturn) {}

  private static List<Line> raw;
  private static ItemPurchases purchases;

  @BeforeAll
  static void read(SparkSession spark) throws IOException {
    Path file = PublicDataSets.require(FILE, SOURCE);
    raw = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
        StandardCharsets.UTF_8))) {
      in.readLine();
      for (String text = in.readLine(); text != null; text = in.readLine()) {
        List<String> f = csv(text);
        String customer = f.get(6);
        if (!f.get(4).startsWith("2011-09") || customer.isEmpty() || f.get(2).isBlank()) {
          continue;
        }
        String[] words = f.get(2).strip().split(" +");
        BigDecimal amount = new BigDecimal(f.get(3)).multiply(new BigDecimal(f.get(5)));
        boolean isReturn = f.get(0).startsWith("C");
        raw.add(new Line(f.get(0), customer, amount.doubleValue(), words[words.length - 1], isReturn));
        rows.add(RowFactory.create(f.get(0), customer, Date.valueOf(f.get(4).substring(0, 10)),
            isReturn ? Sales.TYPE_RETURN : Sales.TYPE_ORDER, amount, words[words.length - 1]));
      }
    }
    purchases = ItemPurchases.of(ItemPurchases.lines(spark.createDataFrame(rows, SCHEMA), null, WORD).cache());
  }

  @Test
  void basketRulesMatchPlainCounting() {
    Map<String, Set<String>> baskets = new HashMap<>();
    for (Line l : raw) {
      if (!l.isReturn() && l.amount() > 0) {
        baskets.computeIfAbsent(l.invoice(), k -> new TreeSet<>()).add(l.word());
      }
    }
    assertEquals(1_755, baskets.size(), "invoices of September 2011 with a customer and a described order line of positive value");
    Dataset<Row> rules = AssociationRules.mine(AssociationRules.baskets(purchases, AT, 1), RULES, AssociationRules.BASKETS);
    assertSameSingleItemRules(baskets.values(), rules);
  }

  /** A customer holds a word when its net spend on it in September is positive (returns netted). */
  @Test
  void customerRulesMatchPlainCounting() {
    Map<String, Map<String, Double>> spend = new HashMap<>();
    for (Line l : raw) {
      spend.computeIfAbsent(l.customer(), k -> new HashMap<>()).merge(l.word(), l.amount(), Double::sum);
    }
    List<Set<String>> sets = new ArrayList<>();
    for (Map<String, Double> s : spend.values()) {
      Set<String> held = new TreeSet<>();
      s.forEach((word, amount) -> {
        if (amount > 1e-9) {
          held.add(word);
        }
      });
      if (!held.isEmpty()) {
        sets.add(held);
      }
    }
    Dataset<Row> rules = AssociationRules.mine(AssociationRules.customerItems(purchases, AT, 1), RULES,
        AssociationRules.CUSTOMERS);
    assertSameSingleItemRules(sets, rules);
  }

  /**
   * The rules X → Y with one item each side, from counts: support n(XY)/N, confidence n(XY)/n(X),
   * lift confidence / (n(Y)/N); kept at support ≥ 0.04 and confidence ≥ 0.3, as FP-Growth keeps them.
   */
  private static void assertSameSingleItemRules(Collection<Set<String>> transactions, Dataset<Row> rules) {
    double n = transactions.size();
    Map<String, Integer> single = new HashMap<>();
    Map<String, Integer> pair = new HashMap<>();
    for (Set<String> t : transactions) {
      for (String x : t) {
        single.merge(x, 1, Integer::sum);
        for (String y : t) {
          if (!x.equals(y)) {
            pair.merge(x + " -> " + y, 1, Integer::sum);
          }
        }
      }
    }
    Map<String, double[]> expected = new TreeMap<>();
    pair.forEach((rule, both) -> {
      String[] xy = rule.split(" -> ");
      double confidence = both / (double) single.get(xy[0]);
      if (both / n >= RULES.minSupport() && confidence >= RULES.minConfidence()) {
        expected.put(rule, new double[] {both / n, confidence, confidence / (single.get(xy[1]) / n)});
      }
    });
    Map<String, double[]> got = new TreeMap<>();
    for (Row r : rules.filter(org.apache.spark.sql.functions.size(col(AssociationRules.ANTECEDENT)).equalTo(1))
        .collectAsList()) {
      got.put(r.getList(r.fieldIndex(AssociationRules.ANTECEDENT)).get(0) + " -> "
          + r.getString(r.fieldIndex(AssociationRules.CONSEQUENT)), new double[] {
              r.getDouble(r.fieldIndex(AssociationRules.SUPPORT)), r.getDouble(r.fieldIndex(AssociationRules.CONFIDENCE)),
              r.getDouble(r.fieldIndex(AssociationRules.LIFT))});
    }
    assertTrue(expected.size() >= 5, "too few rules to check: " + expected.keySet());
    assertEquals(expected.keySet(), got.keySet());
    expected.forEach((rule, e) -> {
      double[] g = got.get(rule);
      assertEquals(e[0], g[0], 1e-12, rule + " support");
      assertEquals(e[1], g[1], 1e-12, rule + " confidence");
      assertEquals(e[2], g[2], 1e-9, rule + " lift");
    });
    assertTrue(rules.filter(org.apache.spark.sql.functions.size(col(AssociationRules.ANTECEDENT)).gt(1)).count() > 0,
        "longer antecedents are mined too");
  }

  /** One CSV line: commas inside double quotes are part of the field, "" is a quote. */
  static List<String> csv(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder b = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted && ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
        b.append('"');
        i++;
      } else if (ch == '"') {
        quoted = !quoted;
      } else if (ch == ',' && !quoted) {
        fields.add(b.toString());
        b.setLength(0);
      } else {
        b.append(ch);
      }
    }
    fields.add(b.toString());
    return fields;
  }
}
