package org.crmanalytics.models.crosssell;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.array_except;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;

import java.time.LocalDate;
import org.apache.spark.ml.fpm.FPGrowth;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.models.contract.Contract.Sales;

/**
 * Association rules (Agrawal, Imieliński and Swami 1993) mined with MLlib's FP-Growth (Han, Pei
 * and Yin 2000; Spark's parallel version, Li et al. 2008) over two kinds of transactions: orders
 * (the items bought together in one order) and customers (the items a customer bought in the
 * lookback window). A customer is recommended a rule's consequent when it holds every item of the
 * antecedent and not the consequent; the score is the best such rule's confidence, and that rule
 * is kept for the reason ("customers who buy Pneumatik also buy Druckluftaufbereitung").
 */
public final class AssociationRules {
  public static final String ITEMS = "items";
  public static final String ANTECEDENT = "antecedent";
  public static final String CONSEQUENT = "consequent";
  public static final String SUPPORT = "support";
  public static final String CONFIDENCE = "confidence";
  public static final String LIFT = "lift";
  /** Which transactions a rule was mined from: {@link #BASKETS} or {@link #CUSTOMERS}. */
  public static final String RULE_SOURCE = "rule_source";
  public static final String BASKETS = "baskets";
  public static final String CUSTOMERS = "customers";

  /**
   * @param minSupport the least share of transactions an item set must appear in
   * @param minConfidence the least confidence of a rule kept
   * @param minLift rules below this lift (1: no better than chance) are dropped
   */
  public record Settings(double minSupport, double minConfidence, double minLift) {
    public static final Settings DEFAULTS = new Settings(0.01, 0.1, 1.0);

    public Settings {
      if (!(minSupport > 0 && minSupport <= 1) || !(minConfidence >= 0 && minConfidence <= 1) || !(minLift >= 0)) {
        throw new IllegalArgumentException("cross-sell rule settings: support must be in (0, 1], confidence in "
            + "[0, 1], lift at least 0: " + this);
      }
    }
  }

  private AssociationRules() {}

  /** Orders in the lookback window to {@code at} as transactions: order_id, {@link #ITEMS}. */
  public static Dataset<Row> baskets(ItemPurchases purchases, LocalDate at, int lookbackMonths) {
    return purchases.in(ItemPurchases.monthsFrom(at, -lookbackMonths), at)
        .filter(col(Sales.LINE_TYPE).equalTo(Sales.TYPE_ORDER).and(col(ItemPurchases.AMOUNT).gt(0)))
        .groupBy(col(Sales.ORDER_ID)).agg(collect_set(col(ItemPurchases.ITEM)).as(ITEMS));
  }

  /** Customers' items bought in the lookback window to {@code at}: customer_id, {@link #ITEMS}. */
  public static Dataset<Row> customerItems(ItemPurchases purchases, LocalDate at, int lookbackMonths) {
    return purchases.boughtBefore(at, lookbackMonths)
        .groupBy(col(Sales.CUSTOMER_ID)).agg(collect_set(col(ItemPurchases.ITEM)).as(ITEMS));
  }

  /**
   * The rules of the transactions' {@link #ITEMS}: {@link #RULE_SOURCE}, {@link #ANTECEDENT} (an
   * array), {@link #CONSEQUENT} (one item), {@link #SUPPORT} (share of transactions holding
   * antecedent and consequent), {@link #CONFIDENCE}, {@link #LIFT}.
   */
  public static Dataset<Row> mine(Dataset<Row> transactions, Settings s, String source) {
    Dataset<Row> rules = new FPGrowth().setItemsCol(ITEMS).setMinSupport(s.minSupport())
        .setMinConfidence(s.minConfidence()).fit(transactions.select(ITEMS)).associationRules();
    return rules.filter(col(LIFT).geq(s.minLift()))
        .select(lit(source).as(RULE_SOURCE), col(ANTECEDENT), element_at(col(CONSEQUENT), 1).as(CONSEQUENT),
            col(SUPPORT), col(CONFIDENCE), col(LIFT));
  }

  /** The rules at {@code at} from baskets and from customers' item sets, together. */
  public static Dataset<Row> at(ItemPurchases purchases, LocalDate at, CrossSellSettings s) {
    return mine(baskets(purchases, at, s.lookbackMonths()), s.rules(), BASKETS)
        .unionByName(mine(customerItems(purchases, at, s.lookbackMonths()), s.rules(), CUSTOMERS));
  }

  /**
   * Per customer and item it lacks, the best rule whose antecedent it holds: customer_id, item,
   * {@link #CONFIDENCE}, {@link #LIFT}, {@link #SUPPORT}, {@link #ANTECEDENT}, {@link #RULE_SOURCE}
   * (the highest confidence, then lift).
   *
   * @param customerItems customer_id, {@link #ITEMS} ({@link #customerItems})
   */
  public static Dataset<Row> recommend(Dataset<Row> customerItems, Dataset<Row> rules) {
    // Customers with the same items get the same rules: the rules are matched once per distinct
    // item set (a few thousand at most among 12 product groups, however many customers) and joined
    // back. A rule can only apply through one of its antecedent's items: joining on the first keeps
    // the candidate pairs to the sets holding it instead of every set × every rule.
    Dataset<Row> customers = customerItems.select(col(Sales.CUSTOMER_ID), sort_array(col(ITEMS)).as(ITEMS));
    Dataset<Row> held = customers.select(col(ITEMS)).distinct().select(col(ITEMS), explode(col(ITEMS)).as("_held"));
    Dataset<Row> best = held.join(rules, col("_held").equalTo(element_at(col(ANTECEDENT), 1)))
        .filter(size(array_except(col(ANTECEDENT), col(ITEMS))).equalTo(0)
            .and(not(array_contains(col(ITEMS), col(CONSEQUENT)))))
        .groupBy(col(ITEMS), col(CONSEQUENT).as(ItemPurchases.ITEM))
        .agg(max(struct(col(CONFIDENCE), col(LIFT), col(SUPPORT), col(ANTECEDENT), col(RULE_SOURCE))).as("_best"));
    return customers.join(best, ITEMS)
        .select(col(Sales.CUSTOMER_ID), col(ItemPurchases.ITEM), col("_best." + CONFIDENCE).as(CONFIDENCE),
            col("_best." + LIFT).as(LIFT), col("_best." + SUPPORT).as(SUPPORT), col("_best." + ANTECEDENT).as(ANTECEDENT),
            col("_best." + RULE_SOURCE).as(RULE_SOURCE));
  }
}
