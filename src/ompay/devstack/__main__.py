"""`python -m ompay.devstack run` (what `make run` does) and `... exec -- CMD` (what `make test` does)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import suppress
from pathlib import Path
from types import FrameType

import click

from ompay.devstack.services import say
from ompay.devstack.stack import local_stack

OMPAY = str(Path(sys.executable).with_name("ompay"))
STOP_TIMEOUT = 30
LIVE_TIMEOUT = 60
# SAQ waits out the whole shutdown grace even when idle: in development Ctrl-C stops at once
# (well under 3 s) and a job it cuts short runs again later (every job is idempotent).
LOCAL_DEFAULTS = {"QUEUE_SHUTDOWN_GRACE_SECONDS": "0"}


class Stop(Exception):
    """Raised by the signal handlers so every `finally` runs on Ctrl-C and SIGTERM."""


def _raise_stop(signum: int, _frame: FrameType | None) -> None:
    raise Stop(signal.Signals(signum).name)


@click.group()
def cli() -> None:
    """Local stack for development and tests (APP_ENV local or test: unset would mean production)."""
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)


@cli.command(name="exec", context_settings={"ignore_unknown_options": True})
@click.option("--database", default=None, help="Database name to use (created if missing).")
@click.option("--app-env", type=click.Choice(["local", "test"]), default="local", show_default=True)
@click.argument("command", nargs=-1, type=click.UNPROCESSED, required=True)
def exec_command(database: str | None, app_env: str, command: tuple[str, ...]) -> None:
    """Run COMMAND with APP_ENV, DATABASE_URL and REDIS_URL pointing at a live stack."""
    code = 1
    try:
        with local_stack(database) as env:
            code = subprocess.call(list(command), env={**os.environ, **env, "APP_ENV": app_env})
    except Stop:
        code = 130
    sys.exit(code)


@cli.command(name="run")
def run_command() -> None:
    """Migrate, seed an empty database, then serve the API and a worker until Ctrl-C."""
    try:
        with local_stack() as stack_env:
            env = {**LOCAL_DEFAULTS, **os.environ, **stack_env, "APP_ENV": "local"}
            subprocess.run([OMPAY, "database", "upgrade", "--no-prompt"], env=env, check=True)
            seeded = subprocess.run([OMPAY, "db-seed"], env=env, check=True, stdout=subprocess.PIPE)
            _serve(env, seeded.stdout.decode())
    except Stop as stop:
        say(f"{stop}: stopped")


def _serve(env: dict[str, str], seeded: str) -> None:
    children = [
        subprocess.Popen([OMPAY, "run"], env=env, start_new_session=True),
        subprocess.Popen([OMPAY, "workers", "run"], env=env, start_new_session=True),
    ]
    try:
        base = f"http://{env.get('HOST', '127.0.0.1')}:{env.get('PORT', '8000')}"
        _wait_until_live(f"{base}/health/live", children)
        say(f"API      {base}/api/v1  (legacy routes under {base}/api)")
        say(f"Docs     {base}/docs")
        say(f"Health   {base}/health/ready   Metrics {base}/metrics")
        say("Worker   SAQ queues notifications, webhooks, compliance, reporting (with the scheduler)")
        say("Press Ctrl-C to stop.")
        click.echo(seeded.rstrip())  # demo sign-ins, then the merchant's API key in a box: last
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        say("a process exited; stopping the others")
    finally:
        _stop(children)


def _wait_until_live(url: str, children: list[subprocess.Popen[bytes]]) -> None:
    """Return once the API answers (or a child died, or it is slow), so start-up logs come first."""
    deadline = time.monotonic() + LIVE_TIMEOUT
    while time.monotonic() < deadline and all(child.poll() is None for child in children):
        with suppress(OSError), urllib.request.urlopen(url, timeout=1):  # noqa: S310 - our own http URL
            return
        time.sleep(0.2)


def _stop(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    for child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)


if __name__ == "__main__":
    cli()
