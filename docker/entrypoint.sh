#!/bin/sh
# OMPAY container entrypoint. The first argument selects the role:
#   api      HTTP API on 0.0.0.0:${PORT:-8000}
#   worker   background job worker
#   migrate  apply database migrations, then exit
# Anything else is executed as-is (e.g. `sh`, `ompay --help`).
# Extra arguments after a role are passed through to the ompay command.
set -eu

role="${1:-api}"
if [ "$#" -gt 0 ]; then shift; fi

case "$role" in
    api)
        exec ompay run --host 0.0.0.0 --port "${PORT:-8000}" "$@"
        ;;
    worker)
        exec ompay workers run "$@"
        ;;
    migrate)
        exec ompay database upgrade --no-prompt "$@"
        ;;
    *)
        exec "$role" "$@"
        ;;
esac
