package org.crmanalytics.models.crosssell;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.crmanalytics.models.contract.Contract.Customers;

/**
 * Comparable customers: industry × size band × region, coarser when that group is too small
 * (industry × size band, then industry, then all customers). A customer belongs to one group at
 * every level it has the attributes for; its peer group is the finest of them with at least the
 * minimum number of customers, so that a reason can name it ("Maschinenbau, 50–249 employees,
 * Bayern").
 */
public final class PeerGroups {
  public static final String SIZE_BAND = "size_band";
  /** Which level a group is on: one of {@link #LEVELS}. */
  public static final String PEER_LEVEL = "peer_level";
  /** The group at its level, its attributes joined by " | " ("Maschinenbau | 50–249 | Bayern"). */
  public static final String PEER_GROUP = "peer_group";
  public static final String PEER_GROUP_SIZE = "peer_group_size";

  public static final String INDUSTRY_SIZE_REGION = "industry_size_region";
  public static final String INDUSTRY_SIZE = "industry_size";
  public static final String INDUSTRY = "industry";
  public static final String ALL = "all";
  /** Finest first: the order of the fallback. */
  public static final List<String> LEVELS = List.of(INDUSTRY_SIZE_REGION, INDUSTRY_SIZE, INDUSTRY, ALL);

  /**
   * @param sizeBandStarts the first employee count of each size band, ascending ([1, 10, 50, 250]
   *     gives 1–9, 10–49, 50–249, 250+; fewer employees than the first start fall in the first band)
   * @param minGroupSize the fewest customers a group needs to be used (the all-customers group is
   *     always used)
   */
  public record Settings(List<Integer> sizeBandStarts, int minGroupSize) {
    public static final Settings DEFAULTS = new Settings(List.of(1, 10, 50, 250), 10);

    public Settings {
      if (sizeBandStarts == null || sizeBandStarts.isEmpty()) {
        throw new IllegalArgumentException("cross-sell size band starts must not be empty");
      }
      for (int i = 1; i < sizeBandStarts.size(); i++) {
        if (sizeBandStarts.get(i) <= sizeBandStarts.get(i - 1)) {
          throw new IllegalArgumentException("cross-sell size band starts must be strictly ascending: " + sizeBandStarts);
        }
      }
      sizeBandStarts = List.copyOf(sizeBandStarts);
      if (minGroupSize < 1) {
        throw new IllegalArgumentException("cross-sell minimum peer group size " + minGroupSize + " is below 1");
      }
    }

    /** The band's label: "10–49", or "250+" for the last. */
    public String bandLabel(int index) {
      int start = sizeBandStarts.get(index);
      return index == sizeBandStarts.size() - 1 ? start + "+" : start + "–" + (sizeBandStarts.get(index + 1) - 1);
    }
  }

  private PeerGroups() {}

  /** Customers that exist at {@code at}: created then or before, or of unknown creation date. */
  public static Dataset<Row> customersAt(Dataset<Row> customers, LocalDate at) {
    return Arrays.asList(customers.columns()).contains(Customers.CREATED_AT)
        ? customers.filter(col(Customers.CREATED_AT).isNull().or(col(Customers.CREATED_AT).leq(lit(java.sql.Date.valueOf(at)))))
        : customers;
  }

  /** The size band of an employee count; null when it is unknown. */
  static Column sizeBand(Column employees, Settings s) {
    int last = s.sizeBandStarts().size() - 1;
    Column band = lit(s.bandLabel(last));
    for (int i = last - 1; i >= 0; i--) {
      band = when(employees.lt(s.sizeBandStarts().get(i + 1)), lit(s.bandLabel(i))).otherwise(band);
    }
    return when(employees.isNull(), lit(null).cast("string")).otherwise(band);
  }

  /**
   * Every group each customer belongs to, one row per customer and level whose attributes it has:
   * customer_id, {@link #PEER_LEVEL}, {@link #PEER_GROUP}.
   */
  public static Dataset<Row> memberships(Dataset<Row> customers, Settings s) {
    Dataset<Row> c = customers.select(col(Customers.CUSTOMER_ID), col(Customers.INDUSTRY).cast("string").as("_ind"),
        sizeBand(col(Customers.EMPLOYEES), s).as("_band"), col(Customers.REGION).cast("string").as("_reg"));
    Column ind = col("_ind");
    Column band = col("_band");
    Column reg = col("_reg");
    Dataset<Row> fine = c.filter(ind.isNotNull().and(band.isNotNull()).and(reg.isNotNull()))
        .select(col(Customers.CUSTOMER_ID), lit(INDUSTRY_SIZE_REGION).as(PEER_LEVEL),
            concat_ws(" | ", ind, band, reg).as(PEER_GROUP));
    Dataset<Row> sized = c.filter(ind.isNotNull().and(band.isNotNull()))
        .select(col(Customers.CUSTOMER_ID), lit(INDUSTRY_SIZE).as(PEER_LEVEL), concat_ws(" | ", ind, band).as(PEER_GROUP));
    Dataset<Row> industry = c.filter(ind.isNotNull())
        .select(col(Customers.CUSTOMER_ID), lit(INDUSTRY).as(PEER_LEVEL), ind.as(PEER_GROUP));
    Dataset<Row> all = c.select(col(Customers.CUSTOMER_ID), lit(ALL).as(PEER_LEVEL), lit(ALL).as(PEER_GROUP));
    return fine.unionByName(sized).unionByName(industry).unionByName(all);
  }

  /** Customers per group: {@link #PEER_LEVEL}, {@link #PEER_GROUP}, {@link #PEER_GROUP_SIZE}. */
  public static Dataset<Row> sizes(Dataset<Row> memberships) {
    return memberships.groupBy(col(PEER_LEVEL), col(PEER_GROUP)).agg(count(lit(1)).as(PEER_GROUP_SIZE));
  }

  /**
   * Each customer's peer group: the finest level whose group has at least the minimum size
   * (customer_id, {@link #PEER_LEVEL}, {@link #PEER_GROUP}, {@link #PEER_GROUP_SIZE}).
   */
  public static Dataset<Row> assign(Dataset<Row> memberships, Settings s) {
    Column levelRank = lit(LEVELS.size());
    for (int i = LEVELS.size() - 1; i >= 0; i--) {
      levelRank = when(col(PEER_LEVEL).equalTo(LEVELS.get(i)), lit(i)).otherwise(levelRank);
    }
    return memberships.join(sizes(memberships), new String[] {PEER_LEVEL, PEER_GROUP})
        .filter(col(PEER_GROUP_SIZE).geq(s.minGroupSize()).or(col(PEER_LEVEL).equalTo(ALL)))
        .groupBy(col(Customers.CUSTOMER_ID))
        .agg(min(struct(levelRank.as("_rank"), col(PEER_LEVEL), col(PEER_GROUP), col(PEER_GROUP_SIZE))).as("_g"))
        .select(col(Customers.CUSTOMER_ID), col("_g." + PEER_LEVEL).as(PEER_LEVEL), col("_g." + PEER_GROUP).as(PEER_GROUP),
            col("_g." + PEER_GROUP_SIZE).as(PEER_GROUP_SIZE));
  }
}
