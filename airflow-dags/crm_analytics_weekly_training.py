"""Weekly training: fits the churn and payment-default models on snapshots before the run's date
(`crm-analytics train churn`, `train payment_risk`), the training jobs of crm_analytics_plan.py.

The daily DAG scores with the promoted model versions; a newly trained version is promoted only
when its evaluation passes (models/<model>/promoted.json), so this DAG never blocks daily scoring.
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
from crm_analytics_plan import JOBS

with DAG(
    dag_id="crm_analytics_weekly_training",
    description="CRM analytics: train the churn and payment-default models on the weeks before the run's date",
    # Sundays 04:00 Berlin time, outside the daily run's window; each run covers the week before.
    schedule=CronDataIntervalTimetable("0 4 * * 0", timezone=pendulum.timezone("Europe/Berlin")),
    start_date=pendulum.datetime(2025, 1, 5, tz="Europe/Berlin"),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["crm-analytics"],
) as dag:
    for job in JOBS:
        SparkSubmitOperator(task_id=job["name"], name="crm-analytics-" + job["name"].replace("_", "-"),
                            application_args=task_args(job["args"]))
