#!/bin/sh
# Make sure PostgreSQL's server binaries (initdb, pg_ctl) are installed, so the PostgreSQL tests start a
# throw-away server on 127.0.0.1 and run instead of skipping (issue 14).
# Installs the Debian package postgresql with apt-get when missing and we are root or have password-less sudo;
# otherwise says what to install and exits 0, so those tests skip visibly instead of failing.
set -u
PACKAGES="postgresql"

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
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-postgres: no apt-get here; install the PostgreSQL server ($PACKAGES) yourself. PostgreSQL tests will be skipped."
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
else
    echo "ensure-postgres: not root and no password-less sudo; run: sudo apt-get install -y $PACKAGES. PostgreSQL tests will be skipped."
    exit 0
fi
echo "ensure-postgres: installing $PACKAGES with apt-get"
# the package would start a system-wide cluster: the tests start their own, so do not start services
if $SUDO env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -q --no-install-recommends $PACKAGES \
    || { $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q \
         && $SUDO env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -q --no-install-recommends $PACKAGES; }; then
    has_server && echo "ensure-postgres: PostgreSQL server binaries are ready" && exit 0
fi
echo "ensure-postgres: installation failed; run: sudo apt-get install -y $PACKAGES. PostgreSQL tests will be skipped."
exit 0
