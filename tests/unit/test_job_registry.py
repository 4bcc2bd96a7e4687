"""The job table is complete: nothing a service enqueues or declares can miss its worker function."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import ompay
from jobs.registry import JOBS, OUTBOX_HANDLERS, handler_for
from ompay.lib.outbox import OUTBOX_JOB, Topic
from ompay.services.compliance.rescreening import RESCREEN_JOB
from ompay.services.compliance.velocity import VELOCITY_JOB
from ompay.services.merchants.webhook_delivery import DELIVER_JOB
from routes.schedule import scheduled_jobs

JOB_NAMES = [job.__qualname__ for job in JOBS]


def _declared_topics() -> set[Topic]:
    topics: set[Topic] = set()
    for module_info in pkgutil.walk_packages(ompay.__path__, "ompay."):
        if ".devstack" in module_info.name:
            continue
        module = importlib.import_module(module_info.name)
        topics.update(value for value in vars(module).values() if isinstance(value, Topic))
    return topics


def test_job_names_are_unique() -> None:
    assert len(JOB_NAMES) == len(set(JOB_NAMES))


def test_every_job_a_service_enqueues_is_in_the_table() -> None:
    assert {OUTBOX_JOB, DELIVER_JOB, RESCREEN_JOB, VELOCITY_JOB} <= set(JOB_NAMES)


def test_every_scheduled_job_is_in_the_table() -> None:
    scheduled = [cron.function for crons in scheduled_jobs().values() for cron in crons]
    assert scheduled
    assert all(function in JOBS for function in scheduled)


def test_every_declared_topic_has_a_handler() -> None:
    declared = _declared_topics()
    assert declared, "no Topic found: the scan is looking in the wrong place"
    assert declared == set(OUTBOX_HANDLERS)


def test_an_unknown_topic_is_refused_by_name() -> None:
    with pytest.raises(LookupError, match="no_such_topic"):
        handler_for("no_such_topic")
