#!/usr/bin/env bash
# Copyright (c) ovhcloud.public_cloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Test the collection with the newest ansible-core releases (2.20, 2.21), which need Python 3.12 or newer, on a
# machine whose own Python is older: a Debian 13 ("trixie", Python 3.13) root file system is built once with
# mmdebstrap under build/trixie, each ansible-core gets a virtual environment inside it, and the suites run there,
# in a chroot, against the collection laid out by `make collection`.
#
#   tests/utils/newest_core.sh [--prepare] [--suites "sanity units integration"] CORE...
#
#   CORE         2.20 or 2.21 (tests/requirements-core<CORE>.txt lists what its virtual environment holds)
#   --prepare    only build the root and the virtual environments (what `make test` starts alongside its other
#                installs); the suites need the collection laid out first (`make collection`)
#   --exec CMD   run CMD inside the (already built) root, with the worktree at /src: to look into a failure
#   --suites     which suites to run, in this order (default: all three)
#       sanity       ansible-test sanity --venv --python 3.13, no ignore files (with the offline get-pip stand-in)
#       units        the unit tests under pytest, from the laid-out collection (as `make core-matrix` runs them)
#       integration  the integration tests marked core_matrix (simulator + ansible-playbook from the core's venv)
#
# Cache: the root is reused while build/trixie/.root-stamp matches the recipe below; a virtual environment while its
# .installed stamp matches its requirements file. `make clean` (rm -rf build) removes everything.
# Needs: root (mmdebstrap, chroot and mount namespaces), Debian's package registry and PyPI. Nothing leaks to the
# host: every mount is made inside a private mount namespace (unshare --mount) and disappears with it.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ROOTFS=$REPO/build/trixie
ROOT_STAMP=$ROOTFS/.root-stamp
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=trixie
# git: ansible-test lists the collection's files with it; shellcheck: its sanity test (this script among others);
# locales: the en_US.UTF-8 locale ansible-test expects
PACKAGES=python3,python3-venv,python3-pip,ca-certificates,git,shellcheck,locales
# shellcheck disable=SC2016  # $1 is expanded by mmdebstrap's hook shell (the root being built), not here
LOCALE_HOOK='echo "en_US.UTF-8 UTF-8" >"$1/etc/locale.gen" && chroot "$1" locale-gen >/dev/null'
# Changing any of these rebuilds the root.
ROOT_RECIPE="mmdebstrap --variant=apt --include=$PACKAGES --customize-hook=$LOCALE_HOOK $SUITE <mirror>"
SRC=/src                      # where the worktree is bind-mounted inside the root
JOBS=${NEWEST_CORE_JOBS:-6}   # pytest-xdist workers for the integration tests (as `make core-matrix`)
# The environment inside the root: nothing from the host's (its pip find-links and extra indexes are not there).
ROOT_ENV=(HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=en_US.UTF-8
          PIP_CERT=/etc/host-ca.crt SSL_CERT_FILE=/etc/host-ca.crt REQUESTS_CA_BUNDLE=/etc/host-ca.crt
          PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore PYTHONDONTWRITEBYTECODE=1)

say() { printf '== newest-core: %s\n' "$*" >&2; }

die() {
    printf '\n****************************************************************\n' >&2
    printf 'newest-core FAILED: %s\n' "$1" >&2
    shift
    (($#)) && printf '    %s\n' "$@" >&2
    printf '****************************************************************\n\n' >&2
    exit 1
}

# --inside: the second half of in_root, run by unshare in a new, private mount namespace.
if [[ ${1:-} == --inside ]]; then
    shift
    # never outside the namespace unshare made (the mounts below would land on the host)
    [[ -n ${NEWEST_CORE_CALLER_NS:-} && $(readlink /proc/self/ns/mnt) != "$NEWEST_CORE_CALLER_NS" ]] \
        || die "--inside runs only through in_root (unshare), in a mount namespace of its own."
    mount -t proc proc "$ROOTFS/proc"
    mount --rbind /dev "$ROOTFS/dev"
    mount --make-rslave "$ROOTFS/dev"
    mount -t tmpfs -o size=2g tmpfs "$ROOTFS/tmp"
    mount --bind "$REPO" "$ROOTFS$SRC"
    exec /usr/sbin/chroot "$ROOTFS" /usr/bin/env -i "${ROOT_ENV[@]}" "$@"
fi

# Run a command inside the root, as root, with the worktree at $SRC.
in_root() {
    NEWEST_CORE_CALLER_NS=$(readlink /proc/self/ns/mnt) \
        unshare --mount --propagation private --fork -- "$REPO/tests/utils/newest_core.sh" --inside "$@"
}

elapsed() { echo $((SECONDS - $1)); }

check_host() {
    [[ $(id -u) == 0 ]] || die "building and entering the Debian 13 root needs root (mmdebstrap, chroot, mount)."
    command -v unshare >/dev/null || die "unshare (util-linux) is missing."
}

# Loud, early failure when Debian's registry is out of reach (rather than mmdebstrap's long retries).
check_registry() {
    local url=$MIRROR/dists/$SUITE/Release
    python3 - "$url" <<'EOF' || die "Debian's package registry cannot be reached ($url)." \
        "The newest ansible-core (Python 3.13, Debian 13) cannot be tested without it: nothing was skipped, this fails." \
        "Fix the network (or set DEBIAN_MIRROR to a reachable Debian mirror) and rerun."
import sys
import urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=20) as answer:
        answer.read(1)
except Exception as error:  # any failure: say what it was
    sys.exit("%s: %s" % (sys.argv[1], error))
EOF
}

build_root() {
    if [[ -f $ROOT_STAMP && $(cat "$ROOT_STAMP") == "$ROOT_RECIPE" ]]; then
        say "Debian 13 root: reused ($ROOTFS)"
        return
    fi
    check_registry
    if ! command -v mmdebstrap >/dev/null; then
        say "mmdebstrap is missing: apt-get install -y mmdebstrap"
        apt-get install -y mmdebstrap >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y mmdebstrap; } \
            || die "cannot install mmdebstrap (apt-get install -y mmdebstrap)."
    fi
    local start=$SECONDS
    say "Debian 13 root: building with mmdebstrap ($MIRROR)"
    rm -rf "$ROOTFS" "$ROOTFS.new"
    mkdir -p "$(dirname "$ROOTFS")"
    mmdebstrap --quiet --variant=apt --include="$PACKAGES" --customize-hook="$LOCALE_HOOK" "$SUITE" "$ROOTFS.new" "$MIRROR" \
        || die "mmdebstrap could not build the Debian 13 root from $MIRROR."
    mkdir -p "$ROOTFS.new$SRC"
    mv "$ROOTFS.new" "$ROOTFS"
    echo "$ROOT_RECIPE" >"$ROOT_STAMP"
    say "Debian 13 root: built in $(elapsed "$start") s"
}

# What the root needs from the host at each run: its name servers, and the CA bundle through which this host reaches
# PyPI (a proxy may present its own CA); pip inside the root reads only this pip.conf.
refresh_host_files() {
    local bundle
    for bundle in "${PIP_CERT:-}" "${SSL_CERT_FILE:-}" /etc/ssl/certs/ca-certificates.crt; do
        [[ -n $bundle && -f $bundle ]] && break
    done
    [[ -f $bundle ]] || die "no CA bundle found on the host (PIP_CERT, SSL_CERT_FILE, /etc/ssl/certs/ca-certificates.crt)."
    cp "$bundle" "$ROOTFS/etc/host-ca.crt"
    cp --remove-destination /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
    printf '[global]\ncert = /etc/host-ca.crt\ndisable-pip-version-check = true\n' >"$ROOTFS/etc/pip.conf"
}

# The virtual environment of one ansible-core, /opt/core<CORE> inside the root.
build_venv() {
    local core=$1 requirements=tests/requirements-core$1.txt
    local venv=/opt/core$core stamp="$ROOTFS/opt/core$core/.installed" want
    [[ -f $REPO/$requirements ]] || die "$requirements does not exist (supported here: 2.20, 2.21)."
    want="$(sha256sum <"$REPO/$requirements") $ROOT_RECIPE"
    if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
        say "ansible-core $core: virtual environment reused ($venv)"
        return
    fi
    local start=$SECONDS
    say "ansible-core $core: installing $requirements into $venv"
    rm -rf "$ROOTFS$venv"
    in_root /bin/sh -ec "python3 -m venv $venv
        $venv/bin/python -m pip install --quiet --upgrade pip
        $venv/bin/python -m pip install --quiet -r $SRC/$requirements" \
        || die "pip could not install $requirements inside the Debian 13 root (is PyPI reachable?)."
    say "ansible-core $core: installed in $(elapsed "$start") s"
    prime_sanity "$core"
    echo "$want" >"$stamp"
}

# ansible-test sanity --venv makes a virtual environment per sanity test, from PyPI, the first time (about a minute):
# make them now (--prime-venvs, in a throwaway collection of one empty module), while `make test` is still installing,
# so that the sanity run finds them in the root's ~/.ansible/test/venv.
prime_sanity() {
    local core=$1 start=$SECONDS prime=/tmp/prime/ansible_collections/prime/venvs
    in_root /bin/sh -ec "/opt/core$core/bin/python $SRC/tests/utils/install_get_pip_standin.py >/dev/null
        mkdir -p $prime/plugins/modules && cd $prime && touch plugins/modules/empty.py && git init -q . && git add -A
        /opt/core$core/bin/ansible-test sanity --venv --python 3.13 --color no --prime-venvs >/dev/null" \
        || die "ansible-test could not make its sanity virtual environments inside the Debian 13 root (is PyPI reachable?)."
    say "ansible-core $core: sanity virtual environments made in $(elapsed "$start") s"
}

run_suite() {
    local core=$1 suite=$2 py=/opt/core$1/bin/python
    local collections=$SRC/build/collections collection=$SRC/build/collections/ansible_collections/ovhcloud/public_cloud
    local start=$SECONDS status=0
    say "ansible-core $core: $suite"
    case $suite in
        sanity)
            # ansible-test downloads get-pip.py for each virtual environment it makes: the offline stand-in goes into
            # the root's ~/.ansible/test/cache; the laid-out collection is made a git repository, as `make sanity` does.
            in_root /bin/sh -ec "$py $SRC/tests/utils/install_get_pip_standin.py
                cd $collection && git init -q . && git add -A >/dev/null
                /opt/core$core/bin/ansible-test sanity --venv --python 3.13 --color no" || status=$?
            ;;
        units)
            in_root /bin/sh -ec "cd $collection && PYTHONPATH=$collections $py -m pytest -q -p no:cacheprovider tests/unit" \
                || status=$?
            ;;
        integration)
            # conftest.py runs ansible-playbook (and ansible-runner) from the directory of sys.executable: this venv
            in_root /bin/sh -ec "cd $SRC && $py -m pytest -q -p no:cacheprovider -n $JOBS -m core_matrix tests/integration" \
                || status=$?
            ;;
        *) die "unknown suite $suite (sanity, units, integration)" ;;
    esac
    TIMES+=("ansible-core $core $suite: $(elapsed "$start") s, $([[ $status == 0 ]] && echo passed || echo FAILED)")
    [[ $status == 0 ]] || FAILED+=("ansible-core $core $suite")
}

main() {
    local prepare=false suites="sanity units integration" cores=()
    while (($#)); do
        case $1 in
            --prepare) prepare=true ;;
            --suites) suites=$2; shift ;;
            --exec) shift; check_host; in_root "$@"; exit ;;
            -h | --help) sed -n '2,23p' "$0"; exit 0 ;;
            *) cores+=("$1") ;;
        esac
        shift
    done
    ((${#cores[@]})) || die "name at least one ansible-core version (2.20, 2.21)."
    check_host
    local start=$SECONDS core suite
    build_root
    refresh_host_files
    for core in "${cores[@]}"; do build_venv "$core"; done
    if $prepare; then
        say "prepared in $(elapsed "$start") s"
        return
    fi
    [[ -d $REPO/build/collections/ansible_collections/ovhcloud/public_cloud ]] \
        || die "the collection is not laid out under build/collections: run \`make collection\` first."
    TIMES=() FAILED=()
    for core in "${cores[@]}"; do
        in_root "/opt/core$core/bin/python" -c 'import ansible.release, sys; print("ansible-core", ansible.release.__version__, "on Python", sys.version.split()[0])'
        for suite in $suites; do run_suite "$core" "$suite"; done
    done
    say "times:"
    printf '   %s\n' "${TIMES[@]}" >&2
    say "total $(elapsed "$start") s"
    ((${#FAILED[@]} == 0)) || die "failed: ${FAILED[*]}"
}

main "$@"
