package org.crmanalytics.models.abc;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.format_number;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.months_between;
import static org.apache.spark.sql.functions.rank;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.translate;
import static org.apache.spark.sql.functions.try_divide;
import static org.apache.spark.sql.functions.when;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.crmanalytics.models.abc.AbcOutput.Customers;
import org.crmanalytics.models.abc.AbcOutput.Migration;
import org.crmanalytics.models.abc.AbcSettings.Measure;
import org.crmanalytics.models.abc.AbcSettings.Method;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.Money;

/**
 * A–E customer classification from the silver tables: Pareto classes on revenue or contribution
 * margin, a multi-criteria score, XYZ regularity, and the class migration against the previous
 * run. Pure functions over DataFrames; docs/abc.md explains every rule.
 *
 * <p>Ranks, cumulative shares and percentiles are window functions ordered within a segment (or
 * over all customers when classes are not cut per segment). Spark evaluates such a window in one
 * partition per segment, so one task sees every customer of a segment (a few columns per
 * customer: fine for millions of customers, the reason to keep the windowed frame narrow).
 */
public final class AbcClassification {
  /** The previous run's customer output (at least customer_id and class) and its as_of. */
  public record PreviousRun(LocalDate asOf, Dataset<Row> customers) {}

  /** Invoices and payments, both needed for payment behaviour. */
  public record PaymentTables(Dataset<Row> invoices, Dataset<Row> payments) {}

  private static final String MONTHS_BACK = "_months_back";
  private static final String LINE_VALUE = "_line_value";
  private static final String VALUE_UNITS = "_value_units";
  private static final String ORDERED = "_ordered";
  private static final String FIRST_ORDER = "_first_order";
  private static final String MONTH_REVENUE = "_month_revenue";
  private static final String MONTH_VALUE = "_month_value";
  private static final String REVENUE_SQUARES = "_revenue_squares";
  private static final String RECENT = "_recent";
  private static final String BEFORE = "_before";
  private static final String ACTIVE_MONTHS = "_active_months";
  private static final String TENURE_DAYS = "_tenure_days";
  private static final String EMPLOYEES = "_employees";
  private static final String CREATED = "_created";
  private static final String SCOPE = "_scope";
  private static final String TOTAL = "_total_positive";
  private static final String IN_SCOPE = "_customers_in_scope";
  private static final String CUMULATIVE = "_cumulative";
  private static final String CUMULATIVE_BEFORE = "_cumulative_before";
  /** Growth above this percentage (more than doubled) reads as "grew from 120 to 19,000". */
  static final double GROWTH_AS_AMOUNTS_ABOVE = 100;
  private static final String VALUE_CLASS = "_value_class";

  private AbcClassification() {}

  /**
   * One row per customer (every customer of {@code customers}, and any customer that only appears
   * in {@code sales}) with the columns of {@link Customers#SCHEMA}. Only rows dated up to
   * {@code settings.asOf()} count.
   */
  public static Dataset<Row> transform(Dataset<Row> customers, Dataset<Row> sales, Optional<PaymentTables> payments,
      Optional<PreviousRun> previous, AbcSettings settings, AbcWording english, AbcWording german) {
    Column asOf = to_date(lit(settings.asOf().toString()));
    int window = settings.windowMonths();

    Dataset<Row> perCustomer = salesPerCustomer(sales, settings, asOf);
    Column segment = settings.segmentBy().map(c -> col(c).cast(DataTypes.StringType))
        .orElse(lit(null).cast(DataTypes.StringType));
    Dataset<Row> accounts = customers.select(
        col(Contract.Customers.CUSTOMER_ID),
        segment.as(SCOPE),
        col(Contract.Customers.EMPLOYEES).cast(DataTypes.LongType).as(EMPLOYEES),
        col(Contract.Customers.CREATED_AT).as(CREATED));
    Dataset<Row> base = accounts.join(perCustomer, scala.collection.immutable.List.from(
        scala.jdk.javaapi.CollectionConverters.asScala(List.of(Contract.Customers.CUSTOMER_ID))), "full_outer");
    if (payments.isPresent()) {
      base = base.join(meanDaysLate(payments.get(), settings, asOf), Contract.Customers.CUSTOMER_ID, "left");
    } else {
      base = base.withColumn(Customers.MEAN_DAYS_LATE, lit(null).cast(DataTypes.DoubleType));
    }

    // Columns are added a few projections at a time (withColumns), not one withColumn each: a
    // long chain of withColumn makes Spark re-analyse a growing plan for every column.
    Column zero = lit(BigDecimal.ZERO).cast(AbcOutput.MONEY_SUM);
    base = base.withColumns(columns(
        Customers.VALUE, Money.fromUnits(coalesce(col(VALUE_UNITS), lit(0L))),
        Customers.REVENUE, coalesce(col(Customers.REVENUE), zero).cast(AbcOutput.MONEY_SUM),
        RECENT, coalesce(col(RECENT), zero),
        BEFORE, coalesce(col(BEFORE), zero),
        VALUE_UNITS, coalesce(col(VALUE_UNITS), lit(0L)),
        ACTIVE_MONTHS, coalesce(col(ACTIVE_MONTHS), lit(0L)),
        REVENUE_SQUARES, coalesce(col(REVENUE_SQUARES), lit(0.0)),
        TENURE_DAYS, coalesce(greatest(lit(0), datediff(asOf, least(col(CREATED), col(FIRST_ORDER)))), lit(0))));

    // Growth: symmetric change (recent - before) / (|recent| + |before|) in [-1, 1], defined also
    // when the year before had nothing; the reason text shows the ordinary percentage instead.
    Column recentD = col(RECENT).cast(DataTypes.DoubleType);
    Column beforeD = col(BEFORE).cast(DataTypes.DoubleType);
    Column symmetricGrowth = coalesce(try_divide(recentD.minus(beforeD), abs(recentD).plus(abs(beforeD))), lit(0.0));

    // XYZ: coefficient of variation of the monthly revenue over all months of the window (months
    // without revenue count as 0), from the sum and the sum of squares.
    Column mean = col(Customers.REVENUE).cast(DataTypes.DoubleType).divide(window);
    Column variance = greatest(lit(0.0), col(REVENUE_SQUARES).divide(window).minus(mean.multiply(mean)));

    // Pareto: value ranked high to low within the scope. The default RANGE frame of an ordered
    // window includes the rows that tie with the current one, so equal values get the same
    // cumulative value and rank; subtracting the tie group's sum gives the value ranked strictly
    // above, which decides the class (the class in which a customer's share starts).
    // The value is ranked and summed as its long count of ten-thousandths (Money): the same order
    // and sums as the decimal, without building a BigDecimal for every comparison and addition.
    // Every window over the scope shares this one ordering, with other frames: Spark sorts and
    // buffers the scope once per distinct partitioning and ordering, not once per frame.
    Column scope = col(SCOPE);
    Column units = col(VALUE_UNITS);
    WindowSpec byValue = Window.partitionBy(scope).orderBy(units.desc());
    WindowSpec wholeScope = byValue.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    WindowSpec tieGroup = byValue.rangeBetween(Window.currentRow(), Window.currentRow());
    Column positive = units.gt(0);
    Column positiveUnits = when(positive, units);
    Column inScope = count(lit(1)).over(wholeScope);
    // The value percentile from the same ordering: #lower = n - #higher-or-equal, and
    // #lower-or-equal = n - #higher = n - (rank - 1).
    Column higherOrEqual = count(lit(1)).over(byValue);
    Column valuePercentile = round(inScope.minus(higherOrEqual).plus(inScope.minus(rank().over(byValue)).plus(1))
        .cast(DataTypes.DoubleType).divide(inScope.multiply(2)), 10);
    base = base.withColumns(columns(
        Customers.GROWTH_PERCENT, when(col(BEFORE).gt(0), round(recentD.minus(beforeD).divide(beforeD).multiply(100), 6)),
        Customers.XYZ_CV, when(mean.gt(0), round(sqrt(variance).divide(mean), 6)),
        TOTAL, Money.fromUnits(sum(positiveUnits).over(wholeScope)),
        IN_SCOPE, inScope,
        CUMULATIVE, Money.fromUnits(sum(positiveUnits).over(byValue)),
        CUMULATIVE_BEFORE, Money.fromUnits(sum(positiveUnits).over(byValue).minus(sum(units).over(tieGroup))),
        Customers.RANK, rank().over(byValue),
        // Score components: mid-rank percentiles within the scope (robust to outliers, equal
        // inputs give equal percentiles); null where the input is missing.
        Customers.VALUE_SCORE, valuePercentile,
        Customers.GROWTH_SCORE, percentile(symmetricGrowth, scope),
        Customers.POTENTIAL_SCORE, percentile(col(EMPLOYEES), scope),
        Customers.LOYALTY_SCORE, round(percentile(col(TENURE_DAYS), scope)
            .plus(percentile(col(ACTIVE_MONTHS), scope)).divide(2), 10),
        Customers.PAYMENT_SCORE, percentile(col(Customers.MEAN_DAYS_LATE).multiply(-1), scope)));

    // A missing component drops out and the others' weights are renormalised.
    AbcSettings.Weights w = settings.weights();
    Column weighted = lit(0.0);
    Column weightSum = lit(0.0);
    String[] components = {Customers.VALUE_SCORE, Customers.GROWTH_SCORE, Customers.POTENTIAL_SCORE,
        Customers.LOYALTY_SCORE, Customers.PAYMENT_SCORE};
    double[] weights = {w.value(), w.growth(), w.potential(), w.loyalty(), w.payment()};
    for (int i = 0; i < components.length; i++) {
      Column c = col(components[i]);
      weighted = weighted.plus(when(c.isNotNull(), c.multiply(weights[i])).otherwise(0.0));
      weightSum = weightSum.plus(when(c.isNotNull(), lit(weights[i])).otherwise(0.0));
    }
    Column total = col(TOTAL);
    Column hasTotal = total.isNotNull().and(total.gt(0));
    base = base.withColumns(columns(
        Customers.XYZ_CLASS, when(col(Customers.XYZ_CV).isNull(), "Z")
            .when(col(Customers.XYZ_CV).leq(settings.xMaxCv()), "X")
            .when(col(Customers.XYZ_CV).leq(settings.yMaxCv()), "Y")
            .otherwise("Z"),
        Customers.VALUE_SHARE, when(hasTotal, round(
            col(Customers.VALUE).cast(DataTypes.DoubleType).divide(total.cast(DataTypes.DoubleType)), 10)),
        Customers.CUMULATIVE_SHARE, when(hasTotal, round(
            col(CUMULATIVE).cast(DataTypes.DoubleType).divide(total.cast(DataTypes.DoubleType)), 10)),
        VALUE_CLASS, valueClass(settings.valueCutoffs(), positive.and(hasTotal)),
        Customers.SCORE, when(weightSum.gt(0), round(weighted.divide(weightSum), 6))));
    WindowSpec byScore = Window.partitionBy(scope).orderBy(col(Customers.SCORE).desc_nulls_last());
    base = base.withColumn(Customers.SCORE_RANK, rank().over(byScore));
    base = base.withColumn(Customers.CLASS, settings.method() == Method.PARETO ? col(VALUE_CLASS)
        : scoreClass(settings.scoreCutoffs(), positive));

    if (previous.isPresent()) {
      Dataset<Row> before = previous.get().customers().select(col(Customers.CUSTOMER_ID),
          col(Customers.CLASS).as(Customers.PREVIOUS_CLASS));
      base = base.join(before, Customers.CUSTOMER_ID, "left");
    } else {
      base = base.withColumn(Customers.PREVIOUS_CLASS, lit(null).cast(DataTypes.StringType));
    }
    Column current = col(Customers.CLASS);
    Column was = col(Customers.PREVIOUS_CLASS);
    base = base.withColumns(columns(
        Customers.DIRECTION, when(was.isNull(), Customers.NEW)
            .when(current.lt(was), Customers.UP)
            .when(current.gt(was), Customers.DOWN)
            .otherwise(Customers.SAME),
        Customers.SEGMENT, col(SCOPE)));
    base = base.withColumns(columns(
        Customers.REASON_EN, reason(settings, english),
        Customers.REASON_DE, reason(settings, german)));
    return base.to(Customers.SCHEMA);
  }

  /**
   * Migration matrix: customers per (previous class, current class). Customers only in the current
   * run have previous class null, customers only in the previous run have class null; without a
   * previous run every row has previous class null.
   */
  public static Dataset<Row> migration(Dataset<Row> current, Optional<PreviousRun> previous) {
    Dataset<Row> now = current.select(col(Customers.CUSTOMER_ID), col(Customers.CLASS));
    Dataset<Row> pairs;
    Column previousAsOf;
    if (previous.isPresent()) {
      Dataset<Row> before = previous.get().customers().select(col(Customers.CUSTOMER_ID),
          col(Customers.CLASS).as(Migration.PREVIOUS_CLASS));
      pairs = before.join(now, scala.collection.immutable.List.from(
          scala.jdk.javaapi.CollectionConverters.asScala(List.of(Customers.CUSTOMER_ID))), "full_outer");
      previousAsOf = to_date(lit(previous.get().asOf().toString()));
    } else {
      pairs = now.withColumn(Migration.PREVIOUS_CLASS, lit(null).cast(DataTypes.StringType));
      previousAsOf = lit(null).cast(DataTypes.DateType);
    }
    return pairs.groupBy(col(Migration.PREVIOUS_CLASS), col(Migration.CLASS))
        .agg(count(lit(1)).as(Migration.CUSTOMERS))
        .withColumn(Migration.PREVIOUS_AS_OF, previousAsOf)
        .to(Migration.SCHEMA);
  }

  /**
   * Per customer: window revenue and value, the growth sums, active months, the sum of squared
   * monthly revenue and the first order ever. Aggregated per (customer, month) first, so the
   * per-customer step sees at most one row per month.
   */
  private static Dataset<Row> salesPerCustomer(Dataset<Row> sales, AbcSettings settings, Column asOf) {
    int window = settings.windowMonths();
    int growth = AbcSettings.GROWTH_MONTHS;
    // Amounts are summed as whole ten-thousandths (Money) and become decimals per customer.
    Column net = Money.units(col(Contract.Sales.NET_AMOUNT));
    // Margin of a line without cost_amount is unknown: it is left out of the value (null), and
    // the stage reports how many lines that were.
    Column lineValue = settings.measure() == Measure.MARGIN
        ? net.minus(Money.units(col(Contract.Sales.COST_AMOUNT))) : net;
    Dataset<Row> lines = sales
        .filter(col(Contract.Sales.ORDER_DATE).leq(asOf))
        .select(col(Contract.Sales.CUSTOMER_ID),
            col(Contract.Sales.ORDER_DATE),
            // Month k before as_of: months_between(as_of, order_date) in [k, k + 1).
            floor(months_between(asOf, col(Contract.Sales.ORDER_DATE))).cast(DataTypes.IntegerType).as(MONTHS_BACK),
            net.as(Customers.REVENUE),
            lineValue.as(LINE_VALUE),
            when(col(Contract.Sales.LINE_TYPE).equalTo(Contract.Sales.TYPE_ORDER), 1).otherwise(0).as(ORDERED));
    Dataset<Row> monthly = lines.groupBy(col(Contract.Sales.CUSTOMER_ID), col(MONTHS_BACK)).agg(
        sum(col(Customers.REVENUE)).as(MONTH_REVENUE),
        sum(col(LINE_VALUE)).as(MONTH_VALUE),
        max(col(ORDERED)).as(ORDERED),
        min(col(Contract.Sales.ORDER_DATE)).as(FIRST_ORDER));
    Column months = col(MONTHS_BACK);
    Column inWindow = months.lt(window);
    Column monthRevenue = Money.fromUnits(col(MONTH_REVENUE)).cast(DataTypes.DoubleType);
    return monthly.groupBy(col(Contract.Sales.CUSTOMER_ID)).agg(
        min(col(FIRST_ORDER)).as(FIRST_ORDER),
        Money.fromUnits(sum(when(inWindow, col(MONTH_REVENUE)))).as(Customers.REVENUE),
        sum(when(inWindow, col(MONTH_VALUE))).as(VALUE_UNITS),
        Money.fromUnits(sum(when(months.lt(growth), col(MONTH_VALUE)))).as(RECENT),
        Money.fromUnits(sum(when(months.geq(growth).and(months.lt(2 * growth)), col(MONTH_VALUE))))
            .as(BEFORE),
        count(when(months.lt(growth).and(col(ORDERED).equalTo(1)), lit(1))).as(ACTIVE_MONTHS),
        sum(when(inWindow, monthRevenue.multiply(monthRevenue))).as(REVENUE_SQUARES));
  }

  /**
   * Mean days late per customer over its invoices (amount above 0) due within the window: an
   * invoice whose payments up to as_of cover its amount is settled on its last payment date;
   * one that is not covered is late until as_of. Paying early counts as 0 days late.
   */
  private static Dataset<Row> meanDaysLate(PaymentTables tables, AbcSettings settings, Column asOf) {
    Column due = col(Contract.Invoices.DUE_DATE);
    Dataset<Row> invoices = tables.invoices()
        .filter(col(Contract.Invoices.INVOICE_DATE).leq(asOf)
            .and(due.leq(asOf))
            .and(col(Contract.Invoices.AMOUNT).gt(0))
            .and(floor(months_between(asOf, due)).lt(settings.windowMonths())))
        .select(col(Contract.Invoices.INVOICE_ID), col(Contract.Invoices.CUSTOMER_ID), due,
            col(Contract.Invoices.AMOUNT).as("_invoiced"));
    // Payments on account count once allocated to the invoices they settle.
    Dataset<Row> paid = org.crmanalytics.models.payments.PaymentAllocation.allocate(tables.invoices(), tables.payments())
        .filter(col(Contract.Payments.PAID_AT).leq(asOf).and(col(Contract.Payments.INVOICE_ID).isNotNull()))
        .groupBy(col(Contract.Payments.INVOICE_ID))
        .agg(Money.sum(col(Contract.Payments.AMOUNT)).as("_paid"),
            max(col(Contract.Payments.PAID_AT)).as("_last_paid"));
    Column settledAt = when(col("_paid").geq(col("_invoiced")), col("_last_paid")).otherwise(asOf);
    return invoices.join(paid, Contract.Invoices.INVOICE_ID, "left")
        .withColumn("_days_late", greatest(lit(0), datediff(settledAt, due)))
        .groupBy(col(Contract.Invoices.CUSTOMER_ID))
        .agg(round(avg(col("_days_late")), 6).as(Customers.MEAN_DAYS_LATE));
  }

  /** Name, column, name, column, ... in order. */
  private static java.util.Map<String, Column> columns(Object... nameThenColumn) {
    java.util.Map<String, Column> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < nameThenColumn.length; i += 2) {
      out.put((String) nameThenColumn[i], (Column) nameThenColumn[i + 1]);
    }
    return out;
  }

  /**
   * Mid-rank percentile within the scope: (#lower + #lower-or-equal) / (2n), in (0, 1); equal
   * inputs share it, a single customer gets 0.5. Null stays null (ranked among the non-null only).
   */
  static Column percentile(Column x, Column scope) {
    Column known = x.isNotNull();
    WindowSpec ordered = Window.partitionBy(scope, known).orderBy(x);
    Column n = count(lit(1)).over(ordered.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing()));
    Column lower = rank().over(ordered).minus(1);
    Column lowerOrEqual = count(lit(1)).over(ordered); // RANGE frame: up to and including ties
    return when(known, round(lower.plus(lowerOrEqual).cast(DataTypes.DoubleType).divide(n.multiply(2)), 10));
  }

  /**
   * The first class whose cut-off lies above the value ranked strictly higher (compared exactly,
   * in decimals); customers without positive value take the last class.
   */
  private static Column valueClass(List<Double> cutoffs, Column eligible) {
    List<String> letters = AbcSettings.classLetters(cutoffs.size() + 1);
    Column before = col(CUMULATIVE_BEFORE).multiply(100);
    Column chosen = when(not(eligible), letters.get(cutoffs.size()));
    for (int i = 0; i < cutoffs.size(); i++) {
      chosen = chosen.when(before.lt(col(TOTAL).multiply(lit(BigDecimal.valueOf(cutoffs.get(i))))), letters.get(i));
    }
    return chosen.otherwise(letters.get(cutoffs.size()));
  }

  /** Like {@link #valueClass}, on the share of customers ranked strictly higher by score. */
  private static Column scoreClass(List<Double> cutoffs, Column eligible) {
    List<String> letters = AbcSettings.classLetters(cutoffs.size() + 1);
    Column before = col(Customers.SCORE_RANK).minus(1).multiply(100).cast(DataTypes.DoubleType);
    Column n = col(IN_SCOPE).cast(DataTypes.DoubleType);
    Column chosen = when(not(eligible).or(col(Customers.SCORE).isNull()), letters.get(cutoffs.size()));
    for (int i = 0; i < cutoffs.size(); i++) {
      chosen = chosen.when(before.lt(n.multiply(cutoffs.get(i))), letters.get(i));
    }
    return chosen.otherwise(letters.get(cutoffs.size()));
  }

  /**
   * The reason in one language: "B: among the customers who bring the next 30 % of revenue (50–80 %),
   * rank 3 of 9 by revenue, +12 % growth". With method score the score comes first and no revenue
   * band (the class is not cut by revenue); a customer without (or with negative) value in the window
   * says so. Growth of more than {@link #GROWTH_AS_AMOUNTS_ABOVE} percent reads as the two amounts,
   * since a percentage from a small base (+15773 %) says little.
   */
  private static Column reason(AbcSettings s, AbcWording w) {
    Measure measure = s.measure();
    Column classPrefix = format_string("%s: ", col(Customers.CLASS));
    Column score = format_string("%.2f", col(Customers.SCORE));
    Column rank = format_string(w.text("rank", measure), col(Customers.RANK), col(IN_SCOPE));
    Column position = s.method() == Method.SCORE
        ? concat(classPrefix, lit(w.text("score") + " "), w.decimalComma() ? regexp_replace(score, "\\.", ",") : score,
            lit(", "), rank)
        : concat(classPrefix, revenueBand(s.valueCutoffs(), measure, w), lit(", "), rank);
    String window = " " + w.text("window").replace("{months}", Integer.toString(s.windowMonths()));
    Column growthPercent = col(Customers.GROWTH_PERCENT);
    Column growth = when(growthPercent.gt(GROWTH_AS_AMOUNTS_ABOVE),
        format_string(", " + w.text("growth_from", measure), amount(col(BEFORE), w), amount(col(RECENT), w)))
        .when(growthPercent.isNotNull(), format_string(", " + w.text("growth"), growthPercent))
        .when(col(RECENT).gt(0), lit(", " + w.text("new_customer")))
        .otherwise(lit(""));
    Column value = col(Customers.VALUE);
    return when(value.equalTo(0), concat(classPrefix, lit(w.text("none", measure) + window)))
        .when(value.lt(0), concat(classPrefix, lit(w.text("negative", measure) + window
            + (measure == Measure.REVENUE ? " " + w.text("returns_exceed_orders") : ""))))
        .otherwise(concat(position, growth));
  }

  /**
   * The part of the value a Pareto class stands for, from the cut-offs: with 50/80/95/99, A "the
   * first 50 %", B "the next 30 % (50–80 %)", ..., E "the last 1 %". That is how the class is cut
   * (the share of the value ranked above the customer), in words that need no cumulative share.
   */
  private static Column revenueBand(List<Double> cutoffs, Measure measure, AbcWording w) {
    List<String> letters = AbcSettings.classLetters(cutoffs.size() + 1);
    Column band = lit(w.text("band.last", measure).replace("{share}", percent(100 - cutoffs.get(cutoffs.size() - 1), w)));
    for (int i = cutoffs.size() - 1; i >= 0; i--) {
      double from = i == 0 ? 0 : cutoffs.get(i - 1);
      double to = cutoffs.get(i);
      String text = i == 0 ? w.text("band.first", measure).replace("{to}", percent(to, w))
          : w.text("band.next", measure).replace("{share}", percent(to - from, w)).replace("{from}", percent(from, w))
              .replace("{to}", percent(to, w));
      band = when(col(Customers.CLASS).equalTo(letters.get(i)), lit(text)).otherwise(band);
    }
    return band;
  }

  /** 50, 0.5, 99.5 (99,5): a cut-off's percent without trailing zeros. */
  private static String percent(double p, AbcWording w) {
    String plain = BigDecimal.valueOf(p).setScale(6, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
        .toPlainString();
    return w.decimalComma() ? plain.replace('.', ',') : plain;
  }

  /**
   * A whole amount with grouping and the currency: €19,000 (19.000 €), the sign first (-€80). format_number groups
   * with commas in any locale.
   */
  private static Column amount(Column money, AbcWording w) {
    Column english = format_number(abs(money), 0);
    Column grouped = w.decimalComma() ? translate(english, ",", ".") : english;
    String template = w.text("money");
    int at = template.indexOf("{0}");
    Column amount = concat(lit(template.substring(0, at)), grouped, lit(template.substring(at + 3)));
    return when(round(money, 0).lt(0), concat(lit("-"), amount)).otherwise(amount);
  }
}
