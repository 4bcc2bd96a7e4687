"""`ompay`: the console (Laravel's artisan), built on the Litestar CLI.

`ompay run`, `ompay workers run`, `ompay database upgrade|make-migrations|check`,
`ompay db-seed`, `ompay audit verify`, `ompay outbox sweep`; `ompay --help` lists them all.
"""

from __future__ import annotations

import os
import sys


def run_cli() -> None:
    from config.settings import SettingsError, get_settings

    try:
        settings = get_settings()
    except SettingsError as exc:
        sys.stderr.write(f"ompay: configuration error: {exc}\n")
        raise SystemExit(2) from exc
    os.environ.setdefault("LITESTAR_APP", "ompay.app:create_app")
    os.environ.setdefault("LITESTAR_APP_NAME", settings.app.name)
    os.environ.setdefault("LITESTAR_HOST", settings.server.host)
    os.environ.setdefault("LITESTAR_PORT", str(settings.server.port))
    os.environ.setdefault("WEB_CONCURRENCY", str(settings.web_workers))

    from litestar.cli.main import litestar_group

    litestar_group(prog_name="ompay")


if __name__ == "__main__":
    run_cli()
