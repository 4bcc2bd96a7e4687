"""The queries behind the exports, read as streams from the reporting database (a replica when
one is configured): one `ReportQuery` per file, each ordered on unique keys so that a rerun
reads the same rows in the same order."""

from ompay.repositories.reports.reader import ReportQuery, ReportReader

__all__ = ["ReportQuery", "ReportReader"]
