package org.crmanalytics.models.crosssell;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.Contract.Customers;
import org.crmanalytics.models.contract.Contract.Products;
import org.crmanalytics.models.contract.Contract.Sales;

/**
 * Customers, products and sales lines for the cross-sell tests, in the contract's columns: rows
 * written by hand (WhiteSpaceTest works out their figures) and a generated company with a planted
 * signal (industry affinities, two groups bought together, adoptions over time).
 */
final class CrossSellFixture {
  static final StructType CUSTOMERS = new StructType().add(Customers.CUSTOMER_ID, StringType)
      .add(Customers.INDUSTRY, StringType).add(Customers.REGION, StringType).add(Customers.EMPLOYEES, IntegerType)
      .add(Customers.CREATED_AT, DateType);
  static final StructType PRODUCTS = new StructType().add(Products.PRODUCT_ID, StringType)
      .add(Products.PRODUCT_GROUP, StringType);
  static final StructType SALES = new StructType().add(Sales.ORDER_ID, StringType).add(Sales.LINE_NO, IntegerType)
      .add(Sales.CUSTOMER_ID, StringType).add(Sales.ORDER_DATE, DateType).add(Sales.PRODUCT_ID, StringType)
      .add(Sales.NET_AMOUNT, Contract.MONEY).add(Sales.LINE_TYPE, StringType);

  /** The generated company's recommendation date: validation from 2025-06-30, evaluation to 2026-06-30. */
  static final LocalDate T = LocalDate.of(2025, 12, 31);
  static final List<String> GROUPS = List.of("A", "B", "C", "D", "E", "F");

  private CrossSellFixture() {}

  static Row customer(String id, String industry, String region, Integer employees) {
    return RowFactory.create(id, industry, region, employees, Date.valueOf("2020-01-01"));
  }

  /** One order line; a negative amount is a return line. */
  static Row line(String order, int lineNo, String customer, String date, String product, double amount) {
    return RowFactory.create(order, lineNo, customer, Date.valueOf(date), product,
        BigDecimal.valueOf(amount).setScale(4), amount < 0 ? Sales.TYPE_RETURN : Sales.TYPE_ORDER);
  }

  static Dataset<Row> customers(SparkSession spark, List<Row> rows) {
    return spark.createDataFrame(rows, CUSTOMERS);
  }

  static Dataset<Row> sales(SparkSession spark, List<Row> rows) {
    return spark.createDataFrame(rows, SALES);
  }

  /** Two products per group ("A-1", "A-2"), and the group NEW that is sold only after T. */
  static Dataset<Row> products(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (String g : GROUPS) {
      rows.add(RowFactory.create(g + "-1", g));
      rows.add(RowFactory.create(g + "-2", g));
    }
    rows.add(RowFactory.create("NEW-1", "NEW"));
    return spark.createDataFrame(rows, PRODUCTS);
  }

  /** The generated company's customers: 30 per industry, and two (Q1, Q2) that never order. */
  static List<Row> generatedCustomers() {
    List<Row> rows = new ArrayList<>();
    String[] industries = {"Maschinenbau", "Handel", "Bau"};
    int[] employees = {5, 20, 80, 300};
    for (int i = 0; i < 90; i++) {
      rows.add(customer(String.format("G%02d", i), industries[i % 3], i % 2 == 0 ? "Bayern" : "Hessen", employees[i % 4]));
    }
    rows.add(customer("Q1", "Maschinenbau", "Bayern", 20));
    rows.add(customer("Q2", "Handel", null, null));
    return rows;
  }

  /**
   * Monthly orders 2024-01 to 2026-06 of the generated customers. Each industry favours three
   * groups (Maschinenbau A B C, Handel D E A, Bau A F B); a customer starts with the first and
   * adopts the others at random months; C comes with B and is mostly ordered with it.
   */
  static List<Row> generatedSales() {
    Random random = new Random(7);
    String[][] affinity = {{"A", "B", "C"}, {"D", "E", "A"}, {"A", "F", "B"}};
    int[] employees = {5, 20, 80, 300};
    List<Row> rows = new ArrayList<>();
    for (int c = 0; c < 90; c++) {
      String id = String.format("G%02d", c);
      String[] groups = affinity[c % 3];
      int[] adoptedAt = new int[groups.length];
      for (int g = 1; g < groups.length; g++) {
        adoptedAt[g] = random.nextDouble() < 0.8 ? random.nextInt(30) : Integer.MAX_VALUE;
      }
      double scale = 1 + employees[c % 4] / 100.0;
      for (int m = 0; m < 30; m++) {
        if (random.nextDouble() > 0.5) {
          continue;
        }
        LocalDate day = LocalDate.of(2024, 1, 1).plusMonths(m).withDayOfMonth(1 + random.nextInt(27));
        String order = id + "-" + m;
        Set<String> bought = new LinkedHashSet<>();
        for (int g = 0; g < groups.length; g++) {
          if (adoptedAt[g] <= m && random.nextDouble() < 0.6) {
            bought.add(groups[g]);
          }
        }
        if (bought.contains("B") && random.nextDouble() < 0.8) {
          bought.add("C");
        }
        if (random.nextDouble() < 0.05) {
          bought.add(GROUPS.get(random.nextInt(GROUPS.size())));
        }
        if (bought.isEmpty()) {
          bought.add(groups[0]);
        }
        int lineNo = 1;
        for (String g : bought) {
          double amount = Math.round((100 + 400 * random.nextDouble()) * scale * 100) / 100.0;
          rows.add(line(order, lineNo++, id, day.toString(), g + "-" + (1 + random.nextInt(2)), amount));
        }
      }
    }
    return rows;
  }

  /**
   * Lines dated after {@link #T} that the generated company did not have: new adoptions by existing
   * customers, the group NEW, orders of the never-ordering customer Q1.
   */
  static List<Row> salesAfterT() {
    List<Row> rows = new ArrayList<>();
    for (int c = 0; c < 90; c += 3) {
      String id = String.format("G%02d", c);
      rows.add(line(id + "-late", 1, id, "2026-01-20", "D-1", 900));
      rows.add(line(id + "-late", 2, id, "2026-01-20", "NEW-1", 400));
      rows.add(line(id + "-late2", 1, id, "2026-07-20", "F-2", 700));
    }
    rows.add(line("Q1-late", 1, "Q1", "2026-02-02", "A-1", 5000));
    return rows;
  }

  /**
   * Customers that bought a group in (from, to] with a positive net spend and not in the 12 months
   * before {@code from}: the adopters, counted in plain Java from fixture rows.
   */
  static long adoptersIn(List<Row> sales, LocalDate from, LocalDate to) {
    Map<String, Double> before = new HashMap<>();
    Map<String, Double> after = new HashMap<>();
    for (Row r : sales) {
      LocalDate day = r.getDate(3).toLocalDate();
      String product = r.getString(4);
      String key = r.getString(2) + " " + product.substring(0, product.indexOf('-'));
      double amount = r.getDecimal(5).doubleValue();
      if (day.isAfter(from.minusYears(1)) && !day.isAfter(from)) {
        before.merge(key, amount, Double::sum);
      } else if (day.isAfter(from) && !day.isAfter(to)) {
        after.merge(key, amount, Double::sum);
      }
    }
    Set<String> adopters = new HashSet<>();
    after.forEach((key, spend) -> {
      if (spend > 0 && before.getOrDefault(key, 0.0) <= 0) {
        adopters.add(key.split(" ")[0]);
      }
    });
    return adopters.size();
  }
}
