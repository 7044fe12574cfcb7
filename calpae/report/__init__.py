"""The auditor's report: a static HTML site of a run, built from its database (`calpae report`).

Sits above reconcile: it reads the run tables (and reconcile's series, conflicts and rates), never the batch.
`calpae.report.build.build_report` is the entry point; the command line is `calpae.report.cli`.
"""
