"""Auditor reports (issue 6): reproducible compliance reports with evidence, digest and five formats.

`service.run_report` builds one (`build`) and records it; `formats` renders it.
"""
