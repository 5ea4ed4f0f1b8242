package org.crmanalytics.tools.generate;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Rows of the small tables that come from the {@link CompanyModel} alone (built on the driver). */
final class CatalogueRows {
  private CatalogueRows() {}

  static List<Row> products(CompanyModel model) {
    List<Row> rows = new ArrayList<>();
    for (CompanyModel.Product p : model.products()) {
      rows.add(RowFactory.create(
          p.id(),
          p.name(),
          ProductGroups.ALL[p.group()].name(),
          TableRows.money(p.listPriceE4()),
          TableRows.money(p.unitCostE4())));
    }
    return rows;
  }

  static List<Row> campaigns(CompanyModel model) {
    List<Row> rows = new ArrayList<>();
    for (CompanyModel.Campaign c : model.campaigns()) {
      rows.add(RowFactory.create(
          c.id(),
          c.name(),
          c.kind().channel,
          TableRows.date(model, c.startDay()),
          TableRows.date(model, c.endDay())));
    }
    return rows;
  }

  static List<Row> industryAffinity(CompanyModel model) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < Industries.ALL.length; i++) {
      for (int g = 0; g < ProductGroups.count(); g++) {
        rows.add(RowFactory.create(
            Industries.ALL[i].name(), ProductGroups.ALL[g].name(), model.affinity(i, g)));
      }
    }
    return rows;
  }

  static List<Row> complementGroups() {
    List<Row> rows = new ArrayList<>();
    for (GroupAdoption.Complement c : GroupAdoption.COMPLEMENTS) {
      rows.add(RowFactory.create(ProductGroups.ALL[c.antecedent()].name(),
          ProductGroups.ALL[c.complement()].name(), GroupAdoption.COMPLEMENT_LIFT));
    }
    return rows;
  }
}
