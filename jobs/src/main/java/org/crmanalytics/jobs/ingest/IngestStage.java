package org.crmanalytics.jobs.ingest;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.crmanalytics.jobs.base.Console;
import org.crmanalytics.jobs.base.RunRefused;
import org.crmanalytics.jobs.base.UserError;
import org.crmanalytics.jobs.config.ConfigSection;
import org.crmanalytics.jobs.config.PipelineConfig.TableSource;
import org.crmanalytics.jobs.config.PipelineConfig;
import org.crmanalytics.jobs.io.Output;
import org.crmanalytics.jobs.io.TableCounts.RuleCount;
import org.crmanalytics.jobs.io.TableCounts;
import org.crmanalytics.jobs.quality.DataQualityReport;
import org.crmanalytics.jobs.quality.QualityGate.ReferencedKeys;
import org.crmanalytics.jobs.quality.QualityGate;
import org.crmanalytics.jobs.quality.QualityRule.Level;
import org.crmanalytics.jobs.quality.QualityRule;
import org.crmanalytics.jobs.quality.QualitySettings;
import org.crmanalytics.jobs.quality.VerdictCounts;
import org.crmanalytics.jobs.runner.PipelineStage;
import org.crmanalytics.jobs.runner.RunContext;
import org.crmanalytics.models.contract.Contract;
import org.crmanalytics.models.contract.ContractTable;

/**
 * Ingest: every configured table is read, mapped, passed through the quality gate and staged
 * (accepted rows to silver, rejected rows to quarantine); the rows are counted exactly. If a rule
 * rejects more than its threshold, only quarantine is committed and the run fails; otherwise the
 * silver tables are committed one after another, each atomically, once every table has been staged.
 */
public final class IngestStage implements PipelineStage {
  public static final String NAME = "ingest";
  /** Up to this many keys a referenced table is broadcast instead of shuffled. */
  private static final long BROADCAST_KEYS = 2_000_000;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> produces(PipelineConfig config) {
    List<String> out = new ArrayList<>();
    for (String t : config.tables().keySet()) {
      out.add(Output.SILVER.at(t, config.asOf()));
      out.add(Output.QUARANTINE.at(t, config.asOf()));
    }
    return out;
  }

  @Override
  public List<ConfigSection<?>> sections() {
    return List.of(QualitySettings.SECTION);
  }

  /** Every configured local source path matches a file or folder. */
  @Override
  public void preflight(PipelineConfig config) {
    config.tables().values().forEach(SourceReader::checkPaths);
  }

  @Override
  public void run(RunContext ctx) {
    PipelineConfig config = ctx.config();
    Map<String, ReferencedKeys> accepted = new HashMap<>();
    List<TableCounts> results = new ArrayList<>();
    for (ContractTable table : Contract.TABLES) {
      TableSource source = config.tables().get(table.name());
      if (source == null) {
        ctx.console().detail(table.name() + ": not configured (optional), skipped");
        continue;
      }
      TableCounts counts = ingest(ctx, table, source, accepted);
      results.add(counts);
      ctx.manifest().table(counts);
    }
    List<String> breaches = new ArrayList<>();
    for (TableCounts t : results) {
      for (RuleCount r : t.breaches()) {
        breaches.add(String.format(Locale.ROOT, "%s: %,d of %,d rows (%.2f %%) rejected by %s (\"%s\"), threshold %.2f %%",
            t.table(), r.rejected(), t.read(), percent(r.rejected(), t.read()), r.id(), r.reason(), r.maxPercent()));
      }
    }
    for (TableCounts t : results) {
      commit(ctx, ctx.layout().quarantine(t.table()));
    }
    String report = ctx.layout().qualityReport();
    ctx.output().writeText(report, DataQualityReport.html(ctx.runId(), config, results, breaches));
    ctx.committed(report);
    if (!breaches.isEmpty()) {
      throw new UserError("the quality gate stopped the run; silver was not updated.\n  "
          + String.join("\n  ", breaches) + "\nInspect " + ctx.layout().root() + "/quarantine/ and " + report
          + "; fix the source or raise quality.rules.<rule>.max_percent in the config.");
    }
    for (TableCounts t : results) {
      commit(ctx, ctx.layout().silver(t.table()));
    }
  }

  private static void commit(RunContext ctx, String finalPath) {
    ctx.output().commit(ctx.layout().staged(finalPath), finalPath);
    ctx.committed(finalPath);
  }

  private TableCounts ingest(RunContext ctx, ContractTable table, TableSource source,
      Map<String, ReferencedKeys> accepted) {
    Console.Stage stage = ctx.begin("ingest " + table.name(), "ingest " + table.name() + " from "
        + source.describe());
    PipelineConfig config = ctx.config();
    SourceFrame frame = SourceReader.read(ctx.spark(), source);
    Dataset<Row> mapped = ColumnMapper.map(frame, table, source);
    Map<String, Level> levels = new HashMap<>();
    QualitySettings quality = config.settings(QualitySettings.class);
    quality.rules().forEach((id, s) -> s.level().ifPresent(l -> levels.put(id, Level.valueOf(l.toUpperCase(Locale.ROOT)))));
    QualityGate.Settings settings = new QualityGate.Settings(source.parsing(), config.asOf(),
        source.format() == PipelineConfig.Format.TEXT ? source.text().encoding() : source.csv().encoding(), levels);
    List<QualityRule> rules = QualityGate.rules(table, mapped.schema(), settings);
    // Two passes over the source. The first reads the key columns alone and finds the keys seen
    // more than once (usually none); only when there are some does it check those keys' rows to
    // find the real duplicates, which are few and broadcast to the second pass. The second gives
    // every row its verdict, writes the accepted rows to silver and counts the verdicts on the
    // way (observed metrics). Rejected rows are computed again for quarantine only when there
    // are some: caching the verdicts cost more than computing them (docs/benchmarks.md).
    Dataset<Row> duplicates = null;
    Dataset<Row> candidates = QualityGate.candidateKeys(mapped, table, settings);
    Dataset<Row> joinedDuplicates = null;
    try {
    if (candidates != null) {
      candidates.persist(StorageLevel.MEMORY_AND_DISK());
      long candidateCount = candidates.count();
      if (candidateCount > 0) {
        duplicates = QualityGate.duplicateKeys(QualityGate.check(mapped, table, settings, accepted),
            candidateCount <= BROADCAST_KEYS ? broadcast(candidates) : candidates);
        duplicates.persist(StorageLevel.MEMORY_AND_DISK());
        joinedDuplicates = duplicates.count() <= BROADCAST_KEYS ? broadcast(duplicates) : duplicates;
      }
    }
    Dataset<Row> gated = QualityGate.verdict(QualityGate.check(mapped, table, settings, accepted), joinedDuplicates);
      String silver = ctx.layout().silver(table.name());
      String quarantine = ctx.layout().quarantine(table.name());
      boolean sales = table.name().equals(Contract.Sales.NAME);
      VerdictCounts verdicts = sales ? VerdictCounts.observe(gated, rules, Contract.Sales.ORDER_DATE)
          : VerdictCounts.observe(gated, rules);
      ctx.output().stage(verdicts.observed().filter(col(QualityGate.RULE).isNull()).select(contractColumns(table)),
          ctx.layout().staged(silver));
      // Rows dated after as_of are left where they are: a later run (or today's) reads them.
      Dataset<Row> rejectedRows = quarantineRows(gated.filter(QualityGate.quarantined(rules)), table, ctx.runId());
      ctx.output().stage(verdicts.quarantined() == 0 ? rejectedRows.limit(0) : rejectedRows,
          ctx.layout().staged(quarantine));
      long read = frame.rows().count(); // counted on the source itself: the check on the gate
      long acceptedRows = verdicts.accepted();
      long quarantined = verdicts.quarantined();
      long afterAsOf = verdicts.afterAsOf();

      List<RuleCount> ruleCounts = new ArrayList<>();
      for (QualityRule r : rules) {
        long rej = verdicts.rejected(r.id());
        boolean notYetKnown = QualityGate.notYetKnown(r);
        Double max = r.level() == Level.ERROR && !notYetKnown ? quality.maxPercent(r.id()) : null;
        boolean breached = max != null && read > 0 && percent(rej, read) > max;
        long breaking = verdicts.breaking(r.id());
        ruleCounts.add(new RuleCount(r.id(), r.level().name().toLowerCase(Locale.ROOT), r.reason(), rej,
            breaking, max, breached, notYetKnown));
      }
      ctx.output().restrictToOwner(ctx.layout().staged(quarantine)); // raw rows: always personal
      if (table.holdsPersonalData()) {
        ctx.output().restrictToOwner(ctx.layout().staged(silver));
      }
      if (table.key().size() == 1) {
        String key = table.key().get(0);
        accepted.put(table.name(), new ReferencedKeys(
            ctx.spark().read().parquet(ctx.layout().staged(silver)).select(key), key, acceptedRows <= BROADCAST_KEYS));
      }
      Duration elapsed = stage.elapsed();
      TableCounts counts = new TableCounts(table.name(), source.describe(), read, acceptedRows, quarantined,
          afterAsOf, ruleCounts, silver, quarantine, elapsed);
      String note = quarantined == 0 ? "" : String.format(Locale.ROOT, "%,d quarantined", quarantined);
      if (afterAsOf > 0) {
        note += (note.isEmpty() ? "" : ", ") + String.format(Locale.ROOT,
            "%,d after as_of %s (not yet known; left for a later run)", afterAsOf, config.asOf());
      }
      long warned = counts.warned();
      if (warned > 0) {
        note += (note.isEmpty() ? "" : ", ") + String.format(Locale.ROOT, "%,d warnings", warned);
      }
      stage.done(read, acceptedRows, note);
      for (RuleCount r : ruleCounts) {
        if (r.violating() > 0) {
          ctx.console().detail(String.format(Locale.ROOT, "%-45s %-5s %,12d %s %,12d rows  %s",
              r.id(), r.level(), r.rejected(), r.notYetKnown() ? "held back" : "rejected", r.violating(), r.reason()));
        }
      }
      if (sales) {
        verdicts.newest().ifPresent(newest -> checkDataAge(config.asOf(), newest, quality.maxDataAgeDays(), source));
      }
      return counts;
    } catch (Exception e) { // Spark throws its checked SparkException undeclared
      SourceReader.readFailure(source, frame, e).ifPresent(u -> {
        throw u; // a database's error, named
      });
      throw e;
    } finally {
      if (duplicates != null) {
        duplicates.unpersist();
      }
      if (candidates != null) {
        candidates.unpersist();
      }
    }
  }

  /**
   * An as_of far after the newest sale would score every customer as lapsed and train on windows
   * with no data: a typo in --as-of or a stale export, which the user can fix.
   */
  static void checkDataAge(LocalDate asOf, LocalDate newestSale, long maxDays, TableSource source) {
    long days = ChronoUnit.DAYS.between(newestSale, asOf);
    if (days > maxDays) {
      throw new RunRefused(String.format(Locale.ROOT, "as_of %s is %,d days after the newest sale (%s in %s), more than "
          + "quality.max_data_age_days (%d): the scores would describe a time the data does not reach. Give "
          + "--as-of %s or a date up to %d days after it, load newer data, or raise quality.max_data_age_days",
          asOf, days, newestSale, source.describe(), maxDays, newestSale, maxDays));
    }
  }

  private static Column[] contractColumns(ContractTable table) {
    return table.columns().stream().map(c -> col(c.name())).toArray(Column[]::new);
  }

  /** Quarantine: the rule and its reason, the key, where the row came from, and the raw row. */
  private static Dataset<Row> quarantineRows(Dataset<Row> rejected, ContractTable table, String runId) {
    return rejected.select(
        lit(runId).as("run_id"),
        lit(table.name()).as("table"),
        col(QualityGate.RULE).as("rule"),
        col(QualityGate.REASON).as("reason"),
        col(QualityGate.VIOLATIONS).as("violations"),
        col(QualityGate.KEY).as("key"),
        col(SourceFrame.FILE).as("source_file"),
        col(SourceFrame.POSITION).as("source_position"),
        col(QualityGate.SOURCE).as("source_row"));
  }

  static double percent(long part, long whole) {
    return whole == 0 ? 0 : 100.0 * part / whole;
  }
}
