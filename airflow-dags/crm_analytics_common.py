"""What the crm-analytics DAGs share: the spark-submit settings of every task and the failure alert.

Nothing here does work when Airflow parses the DAG folder: Variables are read through Jinja
templates when a task runs, or inside the failure callback.
"""
from __future__ import annotations

import json
import logging
import urllib.request
from datetime import timedelta

MAIN_CLASS = "org.crmanalytics.jobs.cli.CrmAnalytics"

# Airflow Variables (see README.md), read when a task runs, never when the file is parsed.
JAR = "{{ var.value.crm_analytics_jar }}"
CONFIG = "{{ var.value.crm_analytics_config }}"
OUT = "{{ var.value.crm_analytics_output }}"

# The run date (as_of): the last complete day before the end of the run's data interval. The run
# of the daily DAG that starts after day D covers [D 02:30, D+1 02:30) and gets D; the weekly one
# gets the Saturday before it starts. The same on Airflow 2 and 3, whichever timetable is used
# (Airflow 3's default cron timetable sets start = end = the start time). data_interval_end is
# in UTC: keep the start times after 02:00 Berlin so that its date is the local date.
AS_OF = "{{ macros.ds_add(data_interval_end | ds, -1) }}"

# The plan's placeholders (crm_analytics_plan.py) and the templates that fill them in when a task runs.
PLACEHOLDERS = {"<as_of>": AS_OF, "<config>": CONFIG, "<out>": OUT}


def task_args(args: list[str]) -> list[str]:
    """A task's command line from the plan, its placeholders replaced by the Variables' templates."""
    return [PLACEHOLDERS.get(a, a) for a in args]


# The quality gate compiles to large generated methods; the JVM must be allowed to compile them.
SPARK_CONF = {
    "spark.driver.extraJavaOptions": "-XX:-DontCompileHugeMethods",
    "spark.executor.extraJavaOptions": "-XX:-DontCompileHugeMethods",
}

log = logging.getLogger(__name__)


def alert_on_failure(context) -> None:
    """Tells people that a task failed: e-mail to the Variable crm_analytics_alert_emails and a JSON
    post to the webhook in crm_analytics_alert_webhook (Slack and Teams incoming webhooks accept it).
    Either may be unset. The alert carries ids and the log link, never data or the webhook URL."""
    ti = context.get("task_instance") or context.get("ti")
    dag_id = getattr(ti, "dag_id", "?")
    task_id = getattr(ti, "task_id", "?")
    run_id = getattr(ti, "run_id", "?")
    log_url = getattr(ti, "log_url", "")
    subject = f"crm-analytics: {dag_id}.{task_id} failed (run {run_id})"
    body = (f"{subject}\nerror: {context.get('exception')}\nlog: {log_url}\n"
            "After fixing the cause, clear the failed task in Airflow: it reruns that stage only; "
            "the stages after it follow. Outputs are replaced atomically, so a rerun is safe.")

    emails = _variable("crm_analytics_alert_emails")
    if emails:
        try:
            from airflow.utils.email import send_email
            send_email(to=[e.strip() for e in emails.split(",") if e.strip()], subject=subject,
                       html_content=body.replace("\n", "<br>"))
        except Exception:  # an alert that fails must not hide the task's own failure
            log.exception("crm-analytics: the failure e-mail could not be sent")

    webhook = _variable("crm_analytics_alert_webhook")
    if webhook:
        request = urllib.request.Request(webhook, data=json.dumps({"text": body}).encode("utf-8"),
                                         headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10):
                pass
        except Exception as e:  # the URL is a secret: log the error type only
            log.error("crm-analytics: the failure webhook could not be called (%s)", type(e).__name__)


def _variable(name: str):
    """An Airflow Variable, or None when it is not set."""
    try:
        from airflow.sdk import Variable  # Airflow 3
        return Variable.get(name, default=None)
    except ImportError:
        from airflow.models import Variable  # Airflow 2
        return Variable.get(name, default_var=None)


DEFAULT_ARGS = {
    "owner": "crm-analytics",
    "application": JAR,
    "java_class": MAIN_CLASS,
    "conn_id": "spark_default",
    "conf": SPARK_CONF,
    "retries": 2,
    "retry_delay": timedelta(minutes=10),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(hours=6),
    "on_failure_callback": alert_on_failure,
}
