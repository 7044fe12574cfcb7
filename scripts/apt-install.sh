# Shared by the scripts/ensure-*.sh: install Debian packages with apt-get when we are root or have password-less
# sudo; otherwise say what to install. Never fails the caller: the tests that need the packages skip, saying why.
# Usage (sourced):  apt_install NAME "PACKAGES" CHECK_FUNCTION "WHAT SKIPS"
apt_install() {
    name=$1
    packages=$2
    check=$3
    skips=$4
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "$name: no apt-get here; install $packages yourself. $skips"
        return 0
    fi
    if [ "$(id -u)" -eq 0 ]; then
        sudo=""
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo="sudo -n"
    else
        echo "$name: not root and no password-less sudo; run: sudo apt-get install -y $packages. $skips"
        return 0
    fi
    echo "$name: installing $packages with apt-get"
    # RUNLEVEL=1: a package's post-install does not start services (the tests start their own)
    if $sudo env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -q --no-install-recommends $packages \
        || { $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q \
             && $sudo env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -q --no-install-recommends $packages; }; then
        $check && echo "$name: $packages ready" && return 0
    fi
    echo "$name: installation failed; run: sudo apt-get install -y $packages. $skips"
    return 0
}
