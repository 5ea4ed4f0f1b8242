package org.crmanalytics.models.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** One table of the canonical contract: its grain, columns, key and schema. */
public final class ContractTable {
  private final String name;
  private final String grain;
  private final boolean required;
  private final Map<String, ContractColumn> columns;
  private final List<String> key;
  private final StructType schema;

  private ContractTable(
      String name, String grain, boolean required, List<ContractColumn> columns, List<String> key) {
    this.name = name;
    this.grain = grain;
    this.required = required;
    Map<String, ContractColumn> byName = new LinkedHashMap<>();
    for (ContractColumn c : columns) {
      if (byName.put(c.name(), c) != null) {
        throw new IllegalArgumentException(name + ": column " + c.name() + " declared twice");
      }
    }
    for (String k : key) {
      if (!byName.containsKey(k)) {
        throw new IllegalArgumentException(name + ": key column " + k + " is not a column");
      }
    }
    this.columns = Map.copyOf(byName);
    this.key = List.copyOf(key);
    this.schema =
        new StructType(
            columns.stream()
                .map(c -> new StructField(c.name(), c.type(), !c.required(), Metadata.empty()))
                .toArray(StructField[]::new));
  }

  public static Builder named(String name, String grain, boolean required) {
    return new Builder(name, grain, required);
  }

  public String name() {
    return name;
  }

  /** What one row stands for ("order line"). */
  public String grain() {
    return grain;
  }

  /** Whether every company must supply this table (only customers and sales). */
  public boolean required() {
    return required;
  }

  /** Columns in contract order. */
  public List<ContractColumn> columns() {
    List<ContractColumn> ordered = new ArrayList<>();
    for (StructField f : schema.fields()) {
      ordered.add(columns.get(f.name()));
    }
    return ordered;
  }

  public Optional<ContractColumn> column(String columnName) {
    return Optional.ofNullable(columns.get(columnName));
  }

  /** The columns that identify a row; each key occurs at most once in accepted data. */
  /** Whether any column holds personal data: such a table is stored readable by its owner only. */
  public boolean holdsPersonalData() {
    return columns.values().stream().anyMatch(ContractColumn::personal);
  }

  public List<String> key() {
    return key;
  }

  /** The schema of the accepted (silver) table; required columns are non-nullable. */
  public StructType schema() {
    return schema;
  }

  @Override
  public String toString() {
    return name;
  }

  /** Declares a table column by column; each call reads like one line of the data contract. */
  public static final class Builder {
    private final String name;
    private final String grain;
    private final boolean required;
    private final List<ContractColumn> columns = new ArrayList<>();
    private List<String> key = List.of();

    private Builder(String name, String grain, boolean required) {
      this.name = name;
      this.grain = grain;
      this.required = required;
    }

    public Builder required(String column, DataType type, String meaning) {
      return add(ContractColumn.of(column, type, true, meaning));
    }

    public Builder optional(String column, DataType type, String meaning) {
      return add(ContractColumn.of(column, type, false, meaning));
    }

    /** The last declared column must match the key of {@code table}. */
    public Builder references(String table) {
      return replaceLast(c -> c.withReferences(table));
    }

    /** The last declared column is an event that must have happened by the as_of date. */
    public Builder notAfterAsOf() {
      return replaceLast(ContractColumn::withNotAfterAsOf);
    }

    /** Bounds for the last declared (numeric) column; null leaves a side open. */
    public Builder range(Double min, Double max) {
      return replaceLast(c -> c.withRange(min, max));
    }

    /** The last declared column takes only these values. */
    public Builder oneOf(String... values) {
      return replaceLast(c -> c.withAllowedValues(List.of(values)));
    }

    /** The last declared column holds personal data. */
    public Builder personal() {
      return replaceLast(ContractColumn::asPersonal);
    }

    public Builder key(String... keyColumns) {
      this.key = List.of(keyColumns);
      return this;
    }

    public ContractTable build() {
      return new ContractTable(name, grain, required, columns, key);
    }

    private Builder add(ContractColumn column) {
      columns.add(column);
      return this;
    }

    private Builder replaceLast(java.util.function.UnaryOperator<ContractColumn> change) {
      if (columns.isEmpty()) {
        throw new IllegalStateException(name + ": declare a column first");
      }
      columns.set(columns.size() - 1, change.apply(columns.get(columns.size() - 1)));
      return this;
    }
  }
}
