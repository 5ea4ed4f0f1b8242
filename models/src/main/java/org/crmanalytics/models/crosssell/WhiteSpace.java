package org.crmanalytics.models.crosssell;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.median;
import static org.apache.spark.sql.functions.percentile;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.models.contract.Contract.Customers;

/**
 * White space against peers (docs/cross-sell.md): per peer group and item, the share of peers
 * that bought it in the lookback window (penetration) and what its buyers spent (median and a
 * percentile, per year or per employee); per customer and item, the potential
 * {@code max(0, peers' spend at the percentile, scaled − own spend)}. Customers that already buy
 * an item regularly (own spend at least a share of the peers' median) are marked, not recommended.
 */
public final class WhiteSpace {
  public static final String PEERS = "peers";
  public static final String BUYERS = "buyers";
  public static final String PENETRATION = "penetration";
  public static final String MEDIAN_SPEND = "median_spend";
  public static final String PERCENTILE_SPEND = "percentile_spend";
  public static final String MEDIAN_SPEND_PER_EMPLOYEE = "median_spend_per_employee";
  public static final String PERCENTILE_SPEND_PER_EMPLOYEE = "percentile_spend_per_employee";
  /** Whose buyers' spend the figures are: the peer level, or "all" when no peer bought the item. */
  public static final String SPEND_LEVEL = "spend_level";
  /** The peers' spend at the percentile, scaled to the customer's employees when per employee. */
  public static final String EXPECTED_SPEND = "expected_spend";
  /** The peers' median, scaled alike: the bar for a regular buyer. */
  public static final String TYPICAL_SPEND = "typical_spend";
  public static final String OWN_SPEND = "own_spend";
  public static final String POTENTIAL = "potential";
  public static final String REGULAR_BUYER = "regular_buyer";

  /**
   * @param spendPercentile the percentile of buyers' spend that sets the target (0.75: what the
   *     upper quarter of peer buyers spend)
   * @param perEmployee compare spend per employee, scaled to the customer's employees (customers
   *     without an employee count get the absolute figures)
   * @param regularShareOfMedian a customer whose own spend is at least this share of the peers'
   *     median buys the item regularly and is not recommended it
   */
  public record Settings(double spendPercentile, boolean perEmployee, double regularShareOfMedian) {
    public static final Settings DEFAULTS = new Settings(0.75, false, 1.0);

    public Settings {
      if (!(spendPercentile > 0 && spendPercentile < 1)) {
        throw new IllegalArgumentException("cross-sell spend percentile " + spendPercentile + " is not in (0, 1)");
      }
      if (!(regularShareOfMedian > 0)) {
        throw new IllegalArgumentException("cross-sell regular share of median " + regularShareOfMedian
            + " must be positive");
      }
    }

    public Settings withPerEmployee() {
      return new Settings(spendPercentile, true, regularShareOfMedian);
    }
  }

  /**
   * @param peerGroups each customer's peer group ({@link PeerGroups#assign})
   * @param table per peer group (every level) × item: peers, buyers, penetration, spend figures
   * @param customers per customer × item bought by anyone: its peer group's penetration, the
   *     spend figures used, own spend, potential, whether it buys the item regularly
   */
  public record Result(Dataset<Row> peerGroups, Dataset<Row> table, Dataset<Row> customers) {}

  private WhiteSpace() {}

  /**
   * The white space at {@code at} from the customers that exist then ({@link PeerGroups#customersAt})
   * and their purchases in (at − lookback, at]; nothing dated after {@code at} is read.
   */
  public static Result at(Dataset<Row> allCustomers, ItemPurchases purchases, LocalDate at, CrossSellSettings s) {
    Dataset<Row> customers = PeerGroups.customersAt(allCustomers, at);
    Dataset<Row> memberships = PeerGroups.memberships(customers, s.peers());
    Dataset<Row> assigned = PeerGroups.assign(memberships, s.peers());
    Dataset<Row> bought = purchases.boughtBefore(at, s.lookbackMonths())
        .select(col(Customers.CUSTOMER_ID), col(ItemPurchases.ITEM), col(ItemPurchases.SPEND));
    Dataset<Row> employees = customers.select(col(Customers.CUSTOMER_ID), col(Customers.EMPLOYEES).cast("double").as("_emp"));
    Dataset<Row> table = table(memberships, bought, employees, s.whiteSpace());
    return new Result(assigned, table, potentials(assigned, table, bought, employees, s.whiteSpace()));
  }

  static Dataset<Row> table(Dataset<Row> memberships, Dataset<Row> bought, Dataset<Row> employees, Settings s) {
    Column spend = col(ItemPurchases.SPEND);
    Column perEmployee = when(col("_emp").gt(0), spend.divide(col("_emp")));
    Column p = lit(s.spendPercentile());
    return memberships.join(bought, Customers.CUSTOMER_ID).join(employees, Customers.CUSTOMER_ID)
        .groupBy(col(PeerGroups.PEER_LEVEL), col(PeerGroups.PEER_GROUP), col(ItemPurchases.ITEM))
        .agg(count(lit(1)).as(BUYERS), median(spend).as(MEDIAN_SPEND), percentile(spend, p).as(PERCENTILE_SPEND),
            median(perEmployee).as(MEDIAN_SPEND_PER_EMPLOYEE), percentile(perEmployee, p).as(PERCENTILE_SPEND_PER_EMPLOYEE))
        .join(PeerGroups.sizes(memberships).withColumnRenamed(PeerGroups.PEER_GROUP_SIZE, PEERS),
            new String[] {PeerGroups.PEER_LEVEL, PeerGroups.PEER_GROUP})
        .withColumn(PENETRATION, col(BUYERS).divide(col(PEERS)))
        .select(PeerGroups.PEER_LEVEL, PeerGroups.PEER_GROUP, ItemPurchases.ITEM, PEERS, BUYERS, PENETRATION,
            MEDIAN_SPEND, PERCENTILE_SPEND, MEDIAN_SPEND_PER_EMPLOYEE, PERCENTILE_SPEND_PER_EMPLOYEE);
  }

  /**
   * Every customer × every item bought by anyone: its peer group's peers, buyers and penetration
   * (no buyer there: 0), and the spend figures of its peer group's buyers, or of all customers'
   * buyers when no peer bought the item ({@link #SPEND_LEVEL} says which): an item nobody
   * comparable buys is no white space by the peers, but the blend still needs its size in €.
   */
  static Dataset<Row> potentials(Dataset<Row> assigned, Dataset<Row> table, Dataset<Row> bought, Dataset<Row> employees,
      Settings s) {
    String[] spendFigures = {MEDIAN_SPEND, PERCENTILE_SPEND, MEDIAN_SPEND_PER_EMPLOYEE, PERCENTILE_SPEND_PER_EMPLOYEE};
    Dataset<Row> allCustomers = table.filter(col(PeerGroups.PEER_LEVEL).equalTo(PeerGroups.ALL))
        .drop(PeerGroups.PEER_LEVEL, PeerGroups.PEER_GROUP, PEERS, BUYERS, PENETRATION);
    Dataset<Row> peer = table.withColumnRenamed(ItemPurchases.ITEM, "_peer_item").drop(PEERS)
        .withColumnRenamed(PeerGroups.PEER_LEVEL, "_peer_level").withColumnRenamed(PeerGroups.PEER_GROUP, "_peer_group");
    for (String f : spendFigures) {
      allCustomers = allCustomers.withColumnRenamed(f, "_all_" + f);
      peer = peer.withColumnRenamed(f, "_peer_" + f);
    }
    Dataset<Row> rows = assigned.crossJoin(allCustomers)
        .join(peer, col(PeerGroups.PEER_LEVEL).equalTo(col("_peer_level"))
            .and(col(PeerGroups.PEER_GROUP).equalTo(col("_peer_group")))
            .and(col(ItemPurchases.ITEM).equalTo(col("_peer_item"))), "left");
    Column fromPeers = col("_peer_item").isNotNull();
    rows = rows.withColumn(SPEND_LEVEL, when(fromPeers, col(PeerGroups.PEER_LEVEL)).otherwise(lit(PeerGroups.ALL)))
        .withColumn(PEERS, col(PeerGroups.PEER_GROUP_SIZE))
        .withColumn(BUYERS, coalesce(col(BUYERS), lit(0L)))
        .withColumn(PENETRATION, coalesce(col(PENETRATION), lit(0.0)));
    for (String f : spendFigures) {
      rows = rows.withColumn(f, when(fromPeers, col("_peer_" + f)).otherwise(col("_all_" + f)));
    }
    Column emp = col("_emp");
    Column scaled = lit(s.perEmployee()).and(emp.gt(0)).and(col(PERCENTILE_SPEND_PER_EMPLOYEE).isNotNull());
    Column expected = when(scaled, col(PERCENTILE_SPEND_PER_EMPLOYEE).multiply(emp)).otherwise(col(PERCENTILE_SPEND));
    Column typical = when(scaled, col(MEDIAN_SPEND_PER_EMPLOYEE).multiply(emp)).otherwise(col(MEDIAN_SPEND));
    Column own = coalesce(col(ItemPurchases.SPEND), lit(0.0));
    return rows.join(employees, Customers.CUSTOMER_ID)
        .join(bought, new String[] {Customers.CUSTOMER_ID, ItemPurchases.ITEM}, "left")
        .select(col(Customers.CUSTOMER_ID), col(ItemPurchases.ITEM), col(PeerGroups.PEER_LEVEL), col(PeerGroups.PEER_GROUP),
            col(PEERS), col(BUYERS), col(PENETRATION), col(SPEND_LEVEL), col(MEDIAN_SPEND), expected.as(EXPECTED_SPEND),
            typical.as(TYPICAL_SPEND), own.as(OWN_SPEND), greatest(lit(0.0), expected.minus(own)).as(POTENTIAL),
            own.geq(typical.multiply(s.regularShareOfMedian())).as(REGULAR_BUYER));
  }
}
