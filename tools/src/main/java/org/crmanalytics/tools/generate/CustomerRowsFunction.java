package org.crmanalytics.tools.generate;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.CollectionAccumulator;

/**
 * Runs on the executors: simulates the customers of one partition of {@code spark.range(N)},
 * one at a time, and streams the rows of one table. Nothing per customer is held beyond the
 * customer being emitted, so a partition's size is bounded by its output writer, not by memory.
 */
final class CustomerRowsFunction implements MapPartitionsFunction<Long, Row> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<CompanyModel> model;
  private final TableRows.PerCustomerTable table;
  private final CollectionAccumulator<long[]> rowCounts;

  CustomerRowsFunction(Broadcast<CompanyModel> model, TableRows.PerCustomerTable table,
      CollectionAccumulator<long[]> rowCounts) {
    this.model = model;
    this.table = table;
    this.rowCounts = rowCounts;
  }

  @Override
  public Iterator<Row> call(Iterator<Long> customerIndexes) {
    CompanyModel company = model.value();
    int partition = TaskContext.getPartitionId();
    return new Iterator<>() {
      private final List<Row> buffer = new ArrayList<>();
      private int position;
      private long emitted;
      private boolean reported;

      @Override
      public boolean hasNext() {
        while (position >= buffer.size()) {
          if (!customerIndexes.hasNext()) {
            if (!reported) {
              // Keyed by partition: a retried task reports the same count again, not twice.
              rowCounts.add(new long[] {partition, emitted});
              reported = true;
            }
            return false;
          }
          buffer.clear();
          position = 0;
          table.emit(CustomerLife.of(company, customerIndexes.next()), buffer);
        }
        return true;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        emitted++;
        return buffer.get(position++);
      }
    };
  }
}
