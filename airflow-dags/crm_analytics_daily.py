"""Daily scoring: one spark-submit task per stage of the crm-analytics pipeline, for one as_of date.

ingest -> features, abc, kpis, clv -> churn -> scores -> writeback, scorecard. scores runs without
churn (and abc, clv), scorecard without scores and kpis, when those failed or were withheld. Each task runs
`crm-analytics run --stages <stage>` for the run's date and writes only that stage's outputs for
that date (atomically), so a retry or a cleared task reruns one stage and nothing else. The task
list and the dependencies are checked against `crm-analytics plan --json` by tests/test_dags.py.
"""
from __future__ import annotations

import pendulum
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.timetables.interval import CronDataIntervalTimetable

try:  # Airflow 3
    from airflow.sdk import DAG
except ImportError:  # Airflow 2.9 and 2.10
    from airflow import DAG

from crm_analytics_common import DEFAULT_ARGS, RUN_OPTIONS, STAGE_OPTIONS

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
    ingest = SparkSubmitOperator(task_id="ingest", name="crm-analytics-ingest",
                                 application_args=["run", "--stages", "ingest", *STAGE_OPTIONS, *RUN_OPTIONS])
    features = SparkSubmitOperator(task_id="features", name="crm-analytics-features",
                                   application_args=["run", "--stages", "features", *STAGE_OPTIONS, *RUN_OPTIONS])
    abc = SparkSubmitOperator(task_id="abc", name="crm-analytics-abc",
                              application_args=["run", "--stages", "abc", *STAGE_OPTIONS, *RUN_OPTIONS])
    kpis = SparkSubmitOperator(task_id="kpis", name="crm-analytics-kpis",
                               application_args=["run", "--stages", "kpis", *STAGE_OPTIONS, *RUN_OPTIONS])
    clv = SparkSubmitOperator(task_id="clv", name="crm-analytics-clv",
                              application_args=["run", "--stages", "clv", *STAGE_OPTIONS, *RUN_OPTIONS])
    # churn, scores and scorecard can do without some of their inputs (plan --json: optional_needs): they run
    # when those tasks failed too, and their stage skips itself when an input it requires is absent.
    churn = SparkSubmitOperator(task_id="churn", name="crm-analytics-churn", trigger_rule="all_done",
                                application_args=["run", "--stages", "churn", *STAGE_OPTIONS, *RUN_OPTIONS])
    scores = SparkSubmitOperator(task_id="scores", name="crm-analytics-scores", trigger_rule="all_done",
                                 application_args=["run", "--stages", "scores", *STAGE_OPTIONS, *RUN_OPTIONS])
    writeback = SparkSubmitOperator(task_id="writeback", name="crm-analytics-writeback",
                                    application_args=["run", "--stages", "writeback", *STAGE_OPTIONS, *RUN_OPTIONS])
    scorecard = SparkSubmitOperator(task_id="scorecard", name="crm-analytics-scorecard", trigger_rule="all_done",
                                    application_args=["run", "--stages", "scorecard", *STAGE_OPTIONS, *RUN_OPTIONS])

    ingest >> [features, abc, kpis, clv]
    [features, clv] >> churn
    [features, abc, clv, churn] >> scores
    scores >> writeback
    [scores, kpis, abc] >> scorecard
