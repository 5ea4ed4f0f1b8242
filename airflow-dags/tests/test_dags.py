"""The DAGs run exactly what the pipeline plans: their tasks, arguments and dependencies equal
`crm-analytics plan --json`, and they do no work when Airflow parses them. Standard library only.

    python3 -m unittest discover -s airflow-dags/tests        (CRM_PLAN_JSON=<file> to pass a plan)
"""
from __future__ import annotations

import unittest

from dag_model import DAG_FOLDER, Dag, differences, expected_args, load_module, load_plan, read_dag, top_level_work

DAILY = DAG_FOLDER / "crm_analytics_daily.py"
WEEKLY = DAG_FOLDER / "crm_analytics_weekly_training.py"
COMMON = DAG_FOLDER / "crm_analytics_common.py"

# The plan's placeholders and the constant of crm_analytics_common.py that fills each in.
PLACEHOLDER_CONSTANTS = {"<as_of>": "AS_OF", "<config>": "CONFIG", "<out>": "OUT"}


def placeholders() -> dict[str, str]:
    constants = load_module(COMMON).constants
    return {p: constants[name] for p, name in PLACEHOLDER_CONSTANTS.items()}


def plan_tasks(plan: dict) -> tuple[dict[str, list], set[tuple[str, str]]]:
    fill = placeholders()
    tasks = {s["name"]: expected_args(s["args"], fill) for s in plan["stages"]}
    edges = {(need, s["name"]) for s in plan["stages"] for need in s["needs"]}
    return tasks, edges


def job_tasks(plan: dict) -> dict[str, list]:
    fill = placeholders()
    return {j["name"].replace(" ", "_"): expected_args(j["args"], fill) for j in plan["jobs"]}


def report(dag: Dag, source: str, lines: list[str]) -> str:
    return f"{dag.file} (dag {dag.dag_id}) differs from the plan of {source}:\n  " + "\n  ".join(lines)


class DagsMatchThePlan(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.plan, cls.source = load_plan()

    def test_plan_format(self):
        self.assertEqual(1, self.plan["format"], "the DAG reader knows plan format 1")
        self.assertEqual(set(PLACEHOLDER_CONSTANTS), set(self.plan["placeholders"]))

    def test_daily_dag_runs_every_stage_with_the_plans_arguments_and_dependencies(self):
        dag = read_dag(DAILY)
        self.assertEqual("crm_analytics_daily", dag.dag_id)
        tasks, edges = plan_tasks(self.plan)
        lines = differences(dag, tasks, edges)
        if lines:
            self.fail(report(dag, self.source, lines))

    def test_stages_with_optional_needs_run_when_those_did_not_succeed(self):
        """A stage that can do without some needs (`optional_needs`) runs whatever those tasks ended
        with (trigger_rule all_done); every other task keeps Airflow's default, all upstream succeeded."""
        dag = read_dag(DAILY)
        for stage in self.plan["stages"]:
            with self.subTest(stage["name"]):
                expected = "all_done" if stage.get("optional_needs") else None
                self.assertEqual(expected, dag.trigger_rules.get(stage["name"]),
                                 f"task {stage['name']}: optional needs {stage.get('optional_needs', [])}")

    def test_weekly_dag_runs_the_training_jobs(self):
        dag = read_dag(WEEKLY)
        self.assertEqual("crm_analytics_weekly_training", dag.dag_id)
        lines = differences(dag, job_tasks(self.plan), set())
        if lines:
            self.fail(report(dag, self.source, lines))


class DagsAreThinAndIdempotent(unittest.TestCase):
    def test_no_work_at_import_time(self):
        for path in (DAILY, WEEKLY, COMMON):
            with self.subTest(path.name):
                self.assertEqual([], top_level_work(load_module(path)))

    def test_tasks_share_spark_submit_settings_from_variables_with_retries_and_alerting(self):
        common = load_module(COMMON).constants
        args = common["DEFAULT_ARGS"]
        self.assertEqual("{{ var.value.crm_analytics_jar }}", args["application"], "the jar is named by a Variable")
        self.assertEqual("org.crmanalytics.jobs.cli.CrmAnalytics", args["java_class"])
        self.assertEqual("spark_default", args["conn_id"])
        self.assertGreaterEqual(args["retries"], 1)
        self.assertIn("timedelta", repr(args["retry_delay"]))
        self.assertEqual("<function alert_on_failure>", repr(args["on_failure_callback"]))
        self.assertEqual("{{ macros.ds_add(data_interval_end | ds, -1) }}", common["AS_OF"],
                         "the run date is templated (docs/scheduling.md explains the choice)")
        for path in (DAILY, WEEKLY):
            with self.subTest(path.name):
                dag = read_dag(path)
                self.assertEqual(args, dag.settings["default_args"])
                self.assertIs(False, dag.settings["catchup"])
                self.assertEqual(1, dag.settings["max_active_runs"], "one date after another")


class TheComparisonReportsEachDifference(unittest.TestCase):
    """The checker itself: a DAG that drifted from the plan is reported task by task, edge by edge."""

    def test_missing_and_extra_tasks_arguments_and_edges_are_named(self):
        dag = Dag("x.py", "x", tasks={"a": ["run", "a"], "b": ["run", "b", "--old"], "z": ["run", "z"]},
                  edges={("a", "b"), ("a", "z")})
        expected = {"a": ["run", "a"], "b": ["run", "b"], "c": ["run", "c"]}
        lines = differences(dag, expected, {("a", "b"), ("b", "c")})
        self.assertEqual([
            "tasks in the plan but not in the DAG: c",
            "tasks in the DAG but not in the plan: z",
            "task b: application_args ['run', 'b', '--old'], the plan runs ['run', 'b']",
            "dependency in the plan but not in the DAG: b >> c",
            "dependency in the DAG but not in the plan: a >> z",
        ], lines)

    def test_chains_lists_and_set_downstream_are_read_as_edges(self):
        import tempfile
        from pathlib import Path
        source = '''
from airflow import DAG
with DAG(dag_id="t") as dag:
    a = SparkSubmitOperator(task_id="a", application_args=["run"])
    b = SparkSubmitOperator(task_id="b", application_args=["run"])
    c = SparkSubmitOperator(task_id="c", application_args=["run"])
    d = SparkSubmitOperator(task_id="d", application_args=["run"])
    a >> [b, c] >> d
    d << a
    c.set_downstream(b)
    d.set_upstream([b])
'''
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "t.py"
            path.write_text(source, encoding="utf-8")
            dag = read_dag(path)
        self.assertEqual({("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("a", "d"), ("c", "b")}, dag.edges)

    def test_work_at_import_time_is_found(self):
        import tempfile
        from pathlib import Path
        source = '''
from airflow.models import Variable
try:
    from airflow.sdk import DAG
except ImportError:
    DAG = None
JAR = Variable.get("jar")
print("parsing")
with DAG(dag_id="t") as dag:
    rows = open("/etc/hosts").read()
'''
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "t.py"
            path.write_text(source, encoding="utf-8")
            findings = top_level_work(load_module(path))
        self.assertEqual([
            "t.py:3: `try:` runs at import time",
            "t.py:7: calls Variable.get() at import time",
            "t.py:8: `print('parsing')` runs at import time",
            "t.py:10: calls open('/etc/hosts').read() at import time",
            "t.py:10: calls open() at import time",
        ], findings)


if __name__ == "__main__":
    unittest.main()
