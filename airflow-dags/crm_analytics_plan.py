"""The crm-analytics pipeline as the Airflow DAGs run it, generated from the stages' declarations
(what each reads and writes). Do not edit: regenerate with

    bin/crm-analytics plan --airflow > airflow-dags/crm_analytics_plan.py
"""
FORMAT = 1

STAGES = [
    {"name":"ingest","needs":[],"optional_needs":[],"args":["run","--stages","ingest","--partial-exit-code","0","--as-of","<as_of>","--config","<config>","--out","<out>"]},
    {"name":"features","needs":["ingest"],"optional_needs":[],"args":["run","--stages","features","--partial-exit-code","0","--as-of","<as_of>","--config","<config>","--out","<out>"]},
    {"name":"abc","needs":["ingest"],"optional_needs":[],"args":["run","--stages","abc","--partial-exit-code","0","--as-of","<as_of>","--config","<config>","--out","<out>"]},
    {"name":"kpis","needs":["ingest"],"optional_needs":[],"args":["run","--stages","kpis","--partial-exit-code","0","--as-of","<as_of>","--config","<config>","--out","<out>"]},
    {"name":"clv","needs":["ingest"],"optional_needs":[],"args":["run","--stages","clv","--partial-exit-code","0","--as-of","<as_of>","--config","<config>","--out","<out>"]},
    {"name":"churn","needs":["features","ingest","clv"],"optional_needs":["clv"],"args":["run","--stages","churn","--partial-exit-code","0","--as-of","<as_of>","--config","<config>","--out","<out>"]},
    {"name":"payment_risk","needs":["ingest"],"optional_needs":[],"args":["run","--stages","payment_risk","--partial-exit-code","0","--as-of","<as_of>","--config","<config>","--out","<out>"]},
    {"name":"cross_sell","needs":["ingest"],"optional_needs":[],"args":["run","--stages","cross_sell","--partial-exit-code","0","--as-of","<as_of>","--config","<config>","--out","<out>"]},
    {"name":"scores","needs":["features","abc","clv","churn","payment_risk","cross_sell"],"optional_needs":["abc","clv","churn","payment_risk","cross_sell"],"args":["run","--stages","scores","--partial-exit-code","0","--as-of","<as_of>","--config","<config>","--out","<out>"]},
    {"name":"writeback","needs":["scores","payment_risk","cross_sell"],"optional_needs":["payment_risk","cross_sell"],"args":["run","--stages","writeback","--partial-exit-code","0","--as-of","<as_of>","--config","<config>","--out","<out>"]},
    {"name":"scorecard","needs":["abc","scores","kpis","ingest","payment_risk","cross_sell"],"optional_needs":["scores","kpis","ingest","payment_risk","cross_sell"],"args":["run","--stages","scorecard","--partial-exit-code","0","--as-of","<as_of>","--config","<config>","--out","<out>"]},
]

JOBS = [
    {"name":"train_churn","args":["train","churn","--as-of","<as_of>","--config","<config>","--out","<out>"]},
    {"name":"train_payment_risk","args":["train","payment_risk","--as-of","<as_of>","--config","<config>","--out","<out>"]},
    {"name":"train_cross_sell","args":["train","cross_sell","--as-of","<as_of>","--config","<config>","--out","<out>"]},
]
