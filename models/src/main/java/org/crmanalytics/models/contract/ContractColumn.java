package org.crmanalytics.models.contract;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.sql.types.DataType;

/**
 * One column of the canonical contract: its type, whether a source must provide it, what it
 * means, and the value rules the quality gate derives from it.
 *
 * @param references the table whose key this column must match (referential integrity), if any
 * @param notAfterAsOf an event date that cannot lie after the run's as_of date
 * @param min smallest allowed numeric value, inclusive, if bounded
 * @param max largest allowed numeric value, inclusive, if bounded
 * @param allowedValues the only values allowed (compared case-sensitively), empty if free
 * @param personal personal data (names, free text): never logged, stored readable by the owner only
 */
public record ContractColumn(
    String name,
    DataType type,
    boolean required,
    String meaning,
    Optional<String> references,
    boolean notAfterAsOf,
    Optional<Double> min,
    Optional<Double> max,
    List<String> allowedValues,
    boolean personal) {

  public ContractColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(meaning, "meaning");
    allowedValues = List.copyOf(allowedValues);
  }

  static ContractColumn of(String name, DataType type, boolean required, String meaning) {
    return new ContractColumn(name, type, required, meaning, Optional.empty(), false,
        Optional.empty(), Optional.empty(), List.of(), false);
  }

  ContractColumn withReferences(String table) {
    return new ContractColumn(name, type, required, meaning, Optional.of(table), notAfterAsOf, min, max,
        allowedValues, personal);
  }

  ContractColumn withNotAfterAsOf() {
    return new ContractColumn(name, type, required, meaning, references, true, min, max, allowedValues,
        personal);
  }

  ContractColumn withRange(Double low, Double high) {
    return new ContractColumn(name, type, required, meaning, references, notAfterAsOf,
        Optional.ofNullable(low), Optional.ofNullable(high), allowedValues, personal);
  }

  ContractColumn withAllowedValues(List<String> values) {
    return new ContractColumn(name, type, required, meaning, references, notAfterAsOf, min, max, values,
        personal);
  }

  ContractColumn asPersonal() {
    return new ContractColumn(name, type, required, meaning, references, notAfterAsOf, min, max,
        allowedValues, true);
  }
}
