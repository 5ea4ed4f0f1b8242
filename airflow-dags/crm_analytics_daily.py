"""Daily scoring: one spark-submit task per stage of the crm-analytics pipeline, for one as_of date.

ingest -> features, abc, kpis, clv -> churn -> scores -> writeback, scorecard. Each task runs
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

from crm_analytics_common import DEFAULT_ARGS, RUN_OPTIONS

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
                                 application_args=["run", "--stages", "ingest", *RUN_OPTIONS])
    features = SparkSubmitOperator(task_id="features", name="crm-analytics-features",
                                   application_args=["run", "--stages", "features", *RUN_OPTIONS])
    abc = SparkSubmitOperator(task_id="abc", name="crm-analytics-abc",
                              application_args=["run", "--stages", "abc", *RUN_OPTIONS])
    kpis = SparkSubmitOperator(task_id="kpis", name="crm-analytics-kpis",
                               application_args=["run", "--stages", "kpis", *RUN_OPTIONS])
    clv = SparkSubmitOperator(task_id="clv", name="crm-analytics-clv",
                              application_args=["run", "--stages", "clv", *RUN_OPTIONS])
    churn = SparkSubmitOperator(task_id="churn", name="crm-analytics-churn",
                                application_args=["run", "--stages", "churn", *RUN_OPTIONS])
    scores = SparkSubmitOperator(task_id="scores", name="crm-analytics-scores",
                                 application_args=["run", "--stages", "scores", *RUN_OPTIONS])
    writeback = SparkSubmitOperator(task_id="writeback", name="crm-analytics-writeback",
                                    application_args=["run", "--stages", "writeback", *RUN_OPTIONS])
    scorecard = SparkSubmitOperator(task_id="scorecard", name="crm-analytics-scorecard",
                                    application_args=["run", "--stages", "scorecard", *RUN_OPTIONS])

    ingest >> [features, abc, kpis, clv]
    [features, clv] >> churn
    [abc, clv, churn] >> scores
    scores >> writeback
    [scores, kpis, abc] >> scorecard
