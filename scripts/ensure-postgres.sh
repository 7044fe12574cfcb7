#!/bin/sh
# Make sure PostgreSQL's server binaries (initdb, pg_ctl) are installed, so the PostgreSQL tests start a
# throw-away server on 127.0.0.1 and run instead of skipping (issue 14). Installs the Debian package postgresql
# with apt-get when missing (scripts/apt-install.sh: as root or with sudo); otherwise says what to install and
# exits 0, so those tests skip visibly instead of failing.
set -u
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
# RUNLEVEL=1: the package's post-install does not start a system-wide server (the tests start their own)
RUNLEVEL=1 sh "$(dirname "$0")/apt-install.sh" ensure-postgres "postgresql" "PostgreSQL tests will be skipped."
has_server && echo "ensure-postgres: PostgreSQL server binaries are ready"
exit 0
