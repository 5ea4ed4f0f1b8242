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
    List<String> allowedValues) {

  public ContractColumn {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(meaning, "meaning");
    allowedValues = List.copyOf(allowedValues);
  }
}
