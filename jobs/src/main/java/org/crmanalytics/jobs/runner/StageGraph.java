package org.crmanalytics.jobs.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crmanalytics.jobs.base.UserError;

/** The stages of the pipeline and their dependencies, in an order that runs each after its needs. */
public final class StageGraph {
  private final Map<String, PipelineStage> stages = new LinkedHashMap<>();

  public StageGraph(List<PipelineStage> all) {
    for (PipelineStage s : all) {
      stages.put(s.name(), s);
    }
    for (PipelineStage s : all) {
      for (String need : s.needs()) {
        if (!stages.containsKey(need)) {
          throw new IllegalArgumentException(s.name() + " needs unknown stage " + need);
        }
      }
      if (!s.needs().containsAll(s.optionalNeeds())) {
        throw new IllegalArgumentException(s.name() + ": optional needs " + s.optionalNeeds() + " are not all in its "
            + "needs " + s.needs());
      }
    }
  }

  public List<String> names() {
    return List.copyOf(stages.keySet());
  }

  public PipelineStage stage(String name) {
    PipelineStage s = stages.get(name);
    if (s == null) {
      throw new UserError("unknown stage '" + name + "'; stages are " + String.join(", ", stages.keySet()));
    }
    return s;
  }

  /**
   * The stages of {@code names} and every stage that reads their outputs, directly or through
   * others (required or optional): what must run again when those stages run again.
   */
  public Set<String> withDependants(Set<String> names) {
    Set<String> out = new LinkedHashSet<>(names);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (PipelineStage s : stages.values()) {
        if (!out.contains(s.name()) && s.needs().stream().anyMatch(out::contains)) {
          out.add(s.name());
          grew = true;
        }
      }
    }
    return out;
  }

  /** The selected stages (all when empty) in dependency order. */
  public List<PipelineStage> ordered(List<String> selected) {
    Set<String> wanted = new LinkedHashSet<>(selected.isEmpty() ? stages.keySet() : selected);
    wanted.forEach(this::stage);
    List<PipelineStage> out = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    for (String name : stages.keySet()) {
      visit(name, wanted, done, out, new LinkedHashSet<>());
    }
    return out;
  }

  private void visit(String name, Set<String> wanted, Set<String> done, List<PipelineStage> out, Set<String> path) {
    if (done.contains(name)) {
      return;
    }
    if (!path.add(name)) {
      throw new IllegalStateException("stage cycle through " + path);
    }
    for (String need : stages.get(name).needs()) {
      visit(need, wanted, done, out, path);
    }
    done.add(name);
    if (wanted.contains(name)) {
      out.add(stages.get(name));
    }
  }
}
