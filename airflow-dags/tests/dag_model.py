"""Reads the crm-analytics DAG files without Airflow: Python's ast module finds each DAG's tasks
(task_id, application_args), its dependencies (`>>`/`<<` chains, set_downstream/set_upstream) and
any work done at import time, and compares them with the plan that `crm-analytics plan --json`
prints. Standard library only: Airflow cannot be installed where the tests run.
"""
from __future__ import annotations

import ast
import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

DAG_FOLDER = Path(__file__).resolve().parent.parent
PROJECT_ROOT = DAG_FOLDER.parent

# What may be called when Airflow imports a DAG file: constructors of the DAG, its timetable and
# its tasks, and pure date/time helpers. Anything else (Variable.get, open, a database or HTTP
# call) would run on every parse of the DAG folder and belongs in a task or a callback.
ALLOWED_TOP_LEVEL_CALLS = {
    "DAG", "SparkSubmitOperator", "CronDataIntervalTimetable", "pendulum.timezone", "pendulum.datetime",
    "timedelta", "logging.getLogger",
}
DEPENDENCY_METHODS = {"set_downstream", "set_upstream"}


class Opaque:
    """A value the reader does not evaluate (a call, a function reference)."""

    def __init__(self, source: str):
        self.source = source

    def __repr__(self) -> str:
        return f"<{self.source}>"

    def __eq__(self, other) -> bool:
        return isinstance(other, Opaque) and other.source == self.source

    def __hash__(self) -> int:
        return hash(self.source)


@dataclass
class Dag:
    file: str
    dag_id: str
    tasks: dict[str, list] = field(default_factory=dict)  # task_id -> application_args
    edges: set[tuple[str, str]] = field(default_factory=set)  # (upstream, downstream)
    settings: dict[str, object] = field(default_factory=dict)  # the keyword arguments of DAG(...)
    trigger_rules: dict[str, object] = field(default_factory=dict)  # task_id -> trigger_rule (None: default)


@dataclass
class Module:
    path: Path
    tree: ast.Module
    constants: dict[str, object]


def dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return dotted(node.value) + "." + node.attr
    return ast.unparse(node)


def load_module(path: Path, loaded: dict[Path, Module] | None = None) -> Module:
    """Parses a file and evaluates its top-level constants, following `from <sibling> import`."""
    loaded = {} if loaded is None else loaded
    if path in loaded:
        return loaded[path]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = Module(path, tree, {})
    loaded[path] = module
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.module and (path.parent / f"{stmt.module}.py").is_file():
            sibling = load_module(path.parent / f"{stmt.module}.py", loaded)
            for alias in stmt.names:
                module.constants[alias.asname or alias.name] = sibling.constants.get(alias.name, Opaque(alias.name))
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            module.constants[stmt.targets[0].id] = evaluate(stmt.value, module.constants)
        elif isinstance(stmt, ast.FunctionDef):
            module.constants[stmt.name] = Opaque(f"function {stmt.name}")
    return module


def evaluate(node: ast.AST, names: dict[str, object]):
    """Strings, numbers, lists (with *unpacking), dicts and names of constants; anything else is Opaque."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return names.get(node.id, Opaque(node.id))
    if isinstance(node, (ast.List, ast.Tuple)):
        out = []
        for element in node.elts:
            if isinstance(element, ast.Starred):
                value = evaluate(element.value, names)
                out.extend(value if isinstance(value, list) else [value])
            else:
                out.append(evaluate(element, names))
        return out
    if isinstance(node, ast.Dict):
        return {evaluate(k, names): evaluate(v, names) for k, v in zip(node.keys, node.values) if k is not None}
    return Opaque(ast.unparse(node))


def top_level_work(module: Module) -> list[str]:
    """What the file would do when Airflow imports it, beyond defining things: one line per finding."""
    findings = []
    name = module.path.name

    def calls_in(node: ast.AST) -> None:
        for sub in ast.walk(node):
            if isinstance(sub, (ast.Lambda, ast.FunctionDef)):
                continue
            if isinstance(sub, ast.Call):
                callee = dotted(sub.func)
                method = callee.rsplit(".", 1)[-1]
                if callee not in ALLOWED_TOP_LEVEL_CALLS and method not in DEPENDENCY_METHODS:
                    findings.append(f"{name}:{sub.lineno}: calls {callee}() at import time")

    for stmt in module.tree.body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom, ast.FunctionDef)):
            continue
        if isinstance(stmt, ast.Try) and all(isinstance(s, (ast.Import, ast.ImportFrom)) for s in
                                             stmt.body + [s for h in stmt.handlers for s in h.body] + stmt.orelse + stmt.finalbody):
            continue  # an import that differs between Airflow versions
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
            continue  # the docstring
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            calls_in(stmt)
        elif isinstance(stmt, ast.With):
            for item in stmt.items:
                if not (isinstance(item.context_expr, ast.Call) and dotted(item.context_expr.func) == "DAG"):
                    findings.append(f"{name}:{stmt.lineno}: a with-block that is not `with DAG(...)`")
            for inner in stmt.body:
                if isinstance(inner, ast.Assign) or (isinstance(inner, ast.Expr) and isinstance(inner.value, (ast.BinOp, ast.Call))):
                    calls_in(inner)
                else:
                    findings.append(f"{name}:{inner.lineno}: `{ast.unparse(inner).splitlines()[0]}` inside the DAG block "
                                    "(only task definitions and dependencies belong there)")
            calls_in(ast.Module(body=[ast.Expr(item.context_expr) for item in stmt.items], type_ignores=[]))
        else:
            findings.append(f"{name}:{stmt.lineno}: `{ast.unparse(stmt).splitlines()[0]}` runs at import time")
    return findings


def read_dag(path: Path) -> Dag:
    """The DAG of a file with one `with DAG(dag_id=...) as dag:` block."""
    module = load_module(path)
    blocks = [s for s in module.tree.body if isinstance(s, ast.With)
              and any(isinstance(i.context_expr, ast.Call) and dotted(i.context_expr.func) == "DAG" for i in s.items)]
    if len(blocks) != 1:
        raise AssertionError(f"{path.name}: expected one `with DAG(...)` block, found {len(blocks)}")
    block = blocks[0]
    dag_call = block.items[0].context_expr
    kwargs = {k.arg: evaluate(k.value, module.constants) for k in dag_call.keywords}
    dag = Dag(path.name, str(kwargs.get("dag_id")), settings=kwargs)
    variables: dict[str, str] = {}  # Python variable -> task_id
    for stmt in block.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Call) \
                and dotted(stmt.value.func).endswith("Operator"):
            args = {k.arg: evaluate(k.value, module.constants) for k in stmt.value.keywords}
            task_id = args.get("task_id")
            if not isinstance(task_id, str):
                raise AssertionError(f"{path.name}:{stmt.lineno}: task_id must be a string literal")
            if task_id in dag.tasks:
                raise AssertionError(f"{path.name}:{stmt.lineno}: task_id {task_id} is defined twice")
            dag.tasks[task_id] = args.get("application_args")
            dag.trigger_rules[task_id] = args.get("trigger_rule")
            for target in stmt.targets:
                variables[dotted(target)] = task_id
    for stmt in block.body:
        if isinstance(stmt, ast.Expr):
            _dependencies(stmt.value, variables, dag.edges, path.name)
    return dag


def _tasks(node: ast.AST, variables: dict[str, str], file: str) -> list[str]:
    if isinstance(node, (ast.List, ast.Tuple)):
        return [t for e in node.elts for t in _tasks(e, variables, file)]
    name = dotted(node)
    if name not in variables:
        raise AssertionError(f"{file}:{node.lineno}: {name} is not a task defined in the DAG block")
    return [variables[name]]


def _dependencies(node: ast.AST, variables: dict[str, str], edges: set, file: str) -> list[str]:
    """Adds the edges of `a >> b >> [c, d]`, `a << b` or `a.set_downstream(b)`; returns the right-most tasks."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.RShift, ast.LShift)):
        left = _dependencies(node.left, variables, edges, file)
        right = _tasks(node.right, variables, file)
        for a in left:
            for b in right:
                edges.add((a, b) if isinstance(node.op, ast.RShift) else (b, a))
        return right
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in DEPENDENCY_METHODS:
        owners = _tasks(node.func.value, variables, file)
        others = [t for a in node.args for t in _tasks(a, variables, file)]
        for a in owners:
            for b in others:
                edges.add((a, b) if node.func.attr == "set_downstream" else (b, a))
        return others
    return _tasks(node, variables, file)


def load_plan() -> tuple[dict, str]:
    """The plan JSON: the file named by CRM_PLAN_JSON (the Maven test passes it), else what
    `bin/crm-analytics plan --json` prints (builds the jar when needed)."""
    path = os.environ.get("CRM_PLAN_JSON")
    if path:
        return json.loads(Path(path).read_text(encoding="utf-8")), path
    printed = subprocess.run([str(PROJECT_ROOT / "bin" / "crm-analytics"), "plan", "--json"], cwd=PROJECT_ROOT,
                             check=True, capture_output=True, text=True).stdout
    return json.loads(printed), "bin/crm-analytics plan --json"


def expected_args(args: list[str], placeholders: dict[str, str]) -> list[str]:
    return [placeholders.get(a, a) for a in args]


def differences(dag: Dag, expected_tasks: dict[str, list], expected_edges: set[tuple[str, str]]) -> list[str]:
    """One line per difference between the DAG and what the plan expects; empty when they agree."""
    lines = []
    missing = [t for t in expected_tasks if t not in dag.tasks]
    extra = [t for t in dag.tasks if t not in expected_tasks]
    if missing:
        lines.append("tasks in the plan but not in the DAG: " + ", ".join(missing))
    if extra:
        lines.append("tasks in the DAG but not in the plan: " + ", ".join(extra))
    for task, args in expected_tasks.items():
        if task in dag.tasks and dag.tasks[task] != args:
            lines.append(f"task {task}: application_args {dag.tasks[task]!r}, the plan runs {args!r}")
    for edge in sorted(expected_edges - dag.edges):
        lines.append(f"dependency in the plan but not in the DAG: {edge[0]} >> {edge[1]}")
    for edge in sorted(dag.edges - expected_edges):
        lines.append(f"dependency in the DAG but not in the plan: {edge[0]} >> {edge[1]}")
    return lines
