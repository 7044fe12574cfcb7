#!/bin/sh
# Make sure PostgreSQL's server binaries (initdb, pg_ctl) are installed, so the PostgreSQL tests start a
# throw-away server on 127.0.0.1 and run instead of skipping (issue 14). `make test` runs this.
set -u
. "$(dirname "$0")/apt-install.sh"

has_server() {
    command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && return 0
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && return 0
    done
    return 1
}

if has_server; then
    exit 0
fi
echo "ensure-postgres: PostgreSQL server binaries (initdb, pg_ctl) not found"
apt_install ensure-postgres "postgresql" has_server "PostgreSQL tests will be skipped."
exit 0
