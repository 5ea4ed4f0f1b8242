"""Daily scoring: one spark-submit task per stage of the crm-analytics pipeline, for one as_of date.

The tasks and their dependencies are those of crm_analytics_plan.py, which `crm-analytics plan --airflow`
generates from the stages' declarations: nothing here can drift from the pipeline. Each task runs
`crm-analytics run --stages <stage>` for the run's date and writes only that stage's outputs for that
date (atomically), so a retry or a cleared task reruns one stage and nothing else.
"""
from __future__ import annotations

import pendulum
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.timetables.interval import CronDataIntervalTimetable

try:  # Airflow 3
    from airflow.sdk import DAG
except ImportError:  # Airflow 2.9 and 2.10
    from airflow import DAG

from crm_analytics_common import DEFAULT_ARGS, task_args
from crm_analytics_plan import STAGES

with DAG(
    dag_id="crm_analytics_daily",
    description="CRM analytics: ingest, features, scores, write-back and scorecard for the last complete day",
    # 02:30 Berlin time, after the nightly CRM and ERP exports; each run covers the day before.
    schedule=CronDataIntervalTimetable("30 2 * * *", timezone=pendulum.timezone("Europe/Berlin")),
    start_date=pendulum.datetime(2025, 1, 1, tz="Europe/Berlin"),
    catchup=False,
    # abc compares with the latest earlier run: dates must run one after another.
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["crm-analytics"],
) as dag:
    tasks = {}
    for stage in STAGES:
        # A stage that can do without some of its needs (optional_needs) runs whatever those ended with,
        # and skips itself when an input it requires is absent; a stage withheld or skipped is no task
        # failure (--partial-exit-code 0 in its arguments). Every other task waits for all its needs.
        tasks[stage["name"]] = SparkSubmitOperator(
            task_id=stage["name"], name="crm-analytics-" + stage["name"],
            application_args=task_args(stage["args"]),
            trigger_rule="all_done" if stage["optional_needs"] else "all_success")
    for stage in STAGES:
        for need in stage["needs"]:
            tasks[need] >> tasks[stage["name"]]
