package org.crmanalytics.jobs.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.to_timestamp;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.crmanalytics.jobs.config.PipelineConfig.Parsing;
import org.crmanalytics.jobs.quality.QualityRule.Kind;
import org.crmanalytics.jobs.quality.QualityRule.Level;
import org.crmanalytics.models.contract.Contract.CampaignMembers;
import org.crmanalytics.models.contract.Contract.Invoices;
import org.crmanalytics.models.contract.Contract.Offers;
import org.crmanalytics.models.contract.Contract.Payments;
import org.crmanalytics.models.contract.Contract.Sales;
import org.crmanalytics.models.contract.Contract.SalesTargets;
import org.crmanalytics.models.contract.Contract.Tickets;
import org.crmanalytics.models.contract.ContractColumn;
import org.crmanalytics.models.contract.ContractTable;

/**
 * The rule catalogue. Most rules follow from the data contract (required, typed, allowed values,
 * ranges, events not after as_of, keys, references); the table-specific consistency rules are
 * listed below, one line each. docs/data-quality.md lists every rule with its reason.
 *
 * <p>Rules read the gate's intermediate columns: {@code <column>} converted, {@code _raw_<column>}
 * as the source had it, {@code _present_<column>} whether the source had a value (not blank).
 */
public final class QualityRules {
  private QualityRules() {}

  /** Every rule of {@code table}, in the order that decides a rejected row's reason. */
  public static List<QualityRule> forTable(ContractTable table, StructType mapped, Parsing parsing,
      LocalDate asOf, String encoding) {
    String t = table.name();
    List<QualityRule> rules = new ArrayList<>();
    rules.add(rule(t + ".malformed_record", Kind.MALFORMED, null, false,
        "the record could not be split into the expected columns (check delimiter, quote and multiline settings)",
        col("_malformed")));
    Column badEncoding = lit(false);
    for (ContractColumn c : table.columns()) {
      if (mapped.apply(GateInput.raw(c.name())).dataType() instanceof StringType) {
        badEncoding = badEncoding.or(col(GateInput.raw(c.name())).contains("\uFFFD"));
      }
    }
    rules.add(rule(t + ".encoding", Kind.ENCODING, null, false,
        "text has characters that are not valid " + encoding + " (set the source's encoding, e.g. windows-1252)",
        badEncoding));
    for (ContractColumn c : table.columns()) {
      if (c.required()) {
        rules.add(rule(t + "." + c.name() + ".missing", Kind.MISSING, c.name(), false,
            c.name() + " missing", not(present(c, mapped))));
      }
    }
    for (ContractColumn c : table.columns()) {
      rules.add(rule(t + "." + c.name() + ".type", Kind.TYPE, c.name(), false,
          c.name() + " is not " + ValueParsers.expected(c.type(), parsing),
          present(c, mapped).and(col(c.name()).isNull())));
    }
    for (ContractColumn c : table.columns()) {
      if (!c.allowedValues().isEmpty()) {
        rules.add(rule(t + "." + c.name() + ".allowed", Kind.ALLOWED, c.name(), !c.required(),
            c.name() + " is not one of " + String.join(", ", c.allowedValues()),
            col(c.name()).isNotNull().and(not(col(c.name()).isin(c.allowedValues().toArray())))));
      }
    }
    for (ContractColumn c : table.columns()) {
      if (c.min().isPresent() || c.max().isPresent()) {
        Column v = col(c.name());
        Column out = lit(false);
        if (c.min().isPresent()) {
          out = out.or(v.lt(lit(c.min().get())));
        }
        if (c.max().isPresent()) {
          out = out.or(v.gt(lit(c.max().get())));
        }
        rules.add(rule(t + "." + c.name() + ".range", Kind.RANGE, c.name(), true,
            c.name() + " is outside " + range(c), v.isNotNull().and(out)));
      }
    }
    for (ContractColumn c : table.columns()) {
      if (c.notAfterAsOf()) {
        rules.add(rule(t + "." + c.name() + ".after_as_of", Kind.AFTER_AS_OF, c.name(), true,
            c.name() + " lies after the as_of date " + asOf + " (not yet known on that date)",
            afterAsOf(col(c.name()), c.type(), asOf)));
      }
    }
    rules.addAll(consistency(table));
    if (!table.key().isEmpty()) {
      rules.add(rule(t + ".duplicate_key", Kind.DUPLICATE_KEY, String.join(",", table.key()), false,
          "duplicate key (" + String.join(", ", table.key()) + "): the first row with this key was kept", null));
    }
    for (ContractColumn c : table.columns()) {
      c.references().ifPresent(ref -> rules.add(rule(t + "." + c.name() + ".reference", Kind.REFERENCE,
          c.name(), false, c.name() + " not found in " + ref, null)));
    }
    rules.sort(Comparator.comparing(QualityRule::kind)); // stable: keeps column order within a kind
    return rules;
  }

  /** Table-specific rules that relate columns to each other. */
  private static List<QualityRule> consistency(ContractTable table) {
    String t = table.name();
    Column due = col(Invoices.DUE_DATE);
    return switch (t) {
      case Sales.NAME -> List.of(rule(t + ".sign", Kind.CONSISTENCY, Sales.NET_AMOUNT, true,
          "quantity or net_amount has the wrong sign for its line_type (orders are positive, returns negative)",
          signMismatch()));
      case Invoices.NAME -> List.of(rule(t + ".due_before_invoice", Kind.CONSISTENCY, Invoices.DUE_DATE, true,
          "due_date lies before invoice_date", due.lt(col(Invoices.INVOICE_DATE))).withLevel(Level.WARN));
      case Payments.NAME -> List.of(
          rule(t + ".invoice_or_customer", Kind.CONSISTENCY, Payments.INVOICE_ID, false,
              "payment names neither an invoice (invoice_id) nor a customer (customer_id): it cannot be "
                  + "attributed to anyone", col(Payments.INVOICE_ID).isNull().and(col(Payments.CUSTOMER_ID).isNull())),
          rule(t + ".zero_amount", Kind.CONSISTENCY, Payments.AMOUNT, true,
              "payment amount is zero", col(Payments.AMOUNT).equalTo(lit(0))).withLevel(Level.WARN));
      case Offers.NAME -> List.of(
          rule(t + ".closed_before_created", Kind.CONSISTENCY, Offers.CLOSED_AT, true,
              "closed_at lies before created_at", col(Offers.CLOSED_AT).lt(col(Offers.CREATED_AT))).withLevel(Level.WARN),
          rule(t + ".status_stage", Kind.CONSISTENCY, Offers.STATUS, true,
              "status won/lost does not match the stage", col(Offers.STATUS).isin("won", "lost")
                  .and(col(Offers.STAGE).notEqual(col(Offers.STATUS)))).withLevel(Level.WARN));
      case Tickets.NAME -> List.of(rule(t + ".resolved_before_created", Kind.CONSISTENCY, Tickets.RESOLVED_AT, true,
          "resolved_at lies before created_at", col(Tickets.RESOLVED_AT).lt(col(Tickets.CREATED_AT))).withLevel(Level.WARN));
      case CampaignMembers.NAME -> List.of(rule(t + ".responded_before_added", Kind.CONSISTENCY,
          CampaignMembers.RESPONDED_AT, true, "responded_at lies before added_at",
          col(CampaignMembers.RESPONDED_AT).lt(col(CampaignMembers.ADDED_AT))).withLevel(Level.WARN));
      case SalesTargets.NAME -> List.of(rule(t + ".period.format", Kind.CONSISTENCY, SalesTargets.PERIOD, false,
          "period is not a year (2025), quarter (2025-Q3) or month (2025-07)",
          not(col(SalesTargets.PERIOD).rlike("^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$"))));
      default -> List.of();
    };
  }

  private static Column signMismatch() {
    Column isReturn = col(Sales.LINE_TYPE).equalTo(lit(Sales.TYPE_RETURN));
    Column q = col(Sales.QUANTITY);
    Column a = col(Sales.NET_AMOUNT);
    Column orderWrong = q.lt(0).or(a.lt(0));
    Column returnWrong = q.gt(0).or(a.gt(0));
    return org.apache.spark.sql.functions.coalesce(
        org.apache.spark.sql.functions.when(isReturn, returnWrong).otherwise(orderWrong), lit(false));
  }

  /** Applies the configured levels; unknown ids were rejected when the config was checked. */
  public static List<QualityRule> withSettings(List<QualityRule> rules, Map<String, Level> levels) {
    return rules.stream().map(r -> levels.containsKey(r.id()) ? r.withLevel(levels.get(r.id())) : r).toList();
  }

  /**
   * The rules of a table as configuration sees them (ids, default levels, whether adjustable),
   * without Spark and without a source: every column assumed to arrive as text.
   */
  public static List<QualityRule> catalogue(ContractTable table) {
    StructType allStrings = new StructType();
    for (ContractColumn c : table.columns()) {
      allStrings = allStrings.add(GateInput.raw(c.name()), org.apache.spark.sql.types.DataTypes.StringType);
    }
    Parsing p = new Parsing(List.of("yyyy-MM-dd"), List.of("yyyy-MM-dd"), ".", "", List.of("true"), List.of("false"));
    return forTable(table, allStrings, p, LocalDate.EPOCH, "UTF-8");
  }

  /** The gate computes whether the source has a value once per column, beside the conversion. */
  private static Column present(ContractColumn c, StructType mapped) {
    return col(presentColumn(c.name()));
  }

  /** The gate's column that says whether the source gave {@code contractColumn} a value. */
  public static String presentColumn(String contractColumn) {
    return "_present_" + contractColumn;
  }

  private static Column afterAsOf(Column v, DataType type, LocalDate asOf) {
    if (type instanceof DateType) {
      return v.gt(lit(java.sql.Date.valueOf(asOf)));
    }
    return v.geq(to_timestamp(lit(asOf.plusDays(1).toString())));
  }

  private static String range(ContractColumn c) {
    return "[" + c.min().map(QualityRules::num).orElse("-inf") + ", " + c.max().map(QualityRules::num).orElse("inf") + "]";
  }

  private static String num(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
  }

  private static QualityRule rule(String id, Kind kind, String column, boolean adjustable, String reason,
      Column violation) {
    return new QualityRule(id, kind, column, Level.ERROR, adjustable, reason, violation);
  }
}
