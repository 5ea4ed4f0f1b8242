"""Loads the crm-analytics DAG files without Airflow, which cannot be installed where the tests run:
a small stand-in for the Airflow and pendulum names the files use records each DAG's settings, its
tasks (application_args, trigger_rule) and its dependencies (`>>`). While the files are imported,
opening files, subprocesses, network calls and Airflow Variables raise: a DAG file must do no work
when Airflow parses it. Standard library only.
"""
from __future__ import annotations

import builtins
import importlib.util
import json
import os
import socket
import subprocess
import sys
import types
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

DAG_FOLDER = Path(__file__).resolve().parent.parent
PROJECT_ROOT = DAG_FOLDER.parent
SHARED_MODULES = ("crm_analytics_common", "crm_analytics_plan")


class WorkAtImportTime(AssertionError):
    """A DAG file did something when imported that belongs in a task or a callback."""


@dataclass
class Dag:
    dag_id: str
    settings: dict
    tasks: dict[str, list] = field(default_factory=dict)  # task_id -> application_args
    trigger_rules: dict[str, object] = field(default_factory=dict)  # task_id -> trigger_rule (None: default)
    edges: set[tuple[str, str]] = field(default_factory=set)  # (upstream, downstream)


def _forbidden(name: str):
    def call(*args, **kwargs):
        raise WorkAtImportTime(f"{name}() is called when the DAG file is imported")
    return call


def _stand_ins(dags: list[Dag]) -> dict[str, types.ModuleType]:
    open_blocks: list[Dag] = []

    class DAG:
        def __init__(self, dag_id, **settings):
            self.record = Dag(dag_id, settings)
            dags.append(self.record)

        def __enter__(self):
            open_blocks.append(self.record)
            return self

        def __exit__(self, *exc):
            open_blocks.pop()
            return False

    class SparkSubmitOperator:
        def __init__(self, task_id, application_args, trigger_rule=None, **kwargs):
            if not open_blocks:
                raise AssertionError(f"task {task_id} is defined outside a `with DAG(...)` block")
            self.dag = open_blocks[-1]
            self.task_id = task_id
            self.dag.tasks[task_id] = list(application_args)
            self.dag.trigger_rules[task_id] = trigger_rule

        def __rshift__(self, other):
            for task in other if isinstance(other, list) else [other]:
                self.dag.edges.add((self.task_id, task.task_id))
            return other

    class Variable:
        get = staticmethod(_forbidden("Variable.get"))

    class CronDataIntervalTimetable:
        def __init__(self, cron, timezone=None):
            self.cron, self.timezone = cron, timezone

    modules = {}

    def module(name, **attributes):
        m = types.ModuleType(name)
        m.__dict__.update(attributes)
        modules[name] = m

    module("airflow", DAG=DAG)
    module("airflow.sdk", DAG=DAG, Variable=Variable)
    module("airflow.models", Variable=Variable)
    for name in ("airflow.providers", "airflow.providers.apache", "airflow.providers.apache.spark",
                 "airflow.providers.apache.spark.operators", "airflow.timetables"):
        module(name)
    module("airflow.providers.apache.spark.operators.spark_submit", SparkSubmitOperator=SparkSubmitOperator)
    module("airflow.timetables.interval", CronDataIntervalTimetable=CronDataIntervalTimetable)
    module("pendulum", timezone=lambda name: name, datetime=lambda *args, **kwargs: (args, kwargs))
    return modules


def load(*files: Path) -> tuple[dict[str, Dag], dict[str, types.ModuleType]]:
    """Imports the files as Airflow would, with the stand-ins; returns the DAGs by dag_id and the
    modules by name (the files and the shared modules they import)."""
    dags: list[Dag] = []
    loaded: dict[str, types.ModuleType] = {}
    with ExitStack() as stack:
        stack.enter_context(mock.patch.dict(sys.modules, _stand_ins(dags)))
        for name in SHARED_MODULES:
            sys.modules.pop(name, None)
        stack.enter_context(mock.patch.object(sys, "path", [str(DAG_FOLDER), *sys.path]))
        for target, name in ((builtins, "open"), (subprocess, "run"), (subprocess, "Popen"),
                             (urllib.request, "urlopen"), (socket, "create_connection")):
            stack.enter_context(mock.patch.object(target, name, _forbidden(name)))
        for path in files:
            spec = importlib.util.spec_from_file_location(path.stem, path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            loaded[path.stem] = module
        loaded.update({name: sys.modules[name] for name in SHARED_MODULES if name in sys.modules})
    return {d.dag_id: d for d in dags}, loaded


def load_plan() -> tuple[dict, str]:
    """The plan JSON: the file named by CRM_PLAN_JSON (the Maven test passes it), else what
    `bin/crm-analytics plan --json` prints (builds the jar when needed)."""
    path = os.environ.get("CRM_PLAN_JSON")
    if path:
        return json.loads(Path(path).read_text(encoding="utf-8")), path
    printed = subprocess.run([str(PROJECT_ROOT / "bin" / "crm-analytics"), "plan", "--json"], cwd=PROJECT_ROOT,
                             check=True, capture_output=True, text=True).stdout
    return json.loads(printed), "bin/crm-analytics plan --json"
