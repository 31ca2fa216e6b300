#!/usr/bin/env bash
# A Debian 11 (bullseye, glibc 2.31) root file system with a CPython of its own, for checking that
# the manylinux wheels work on a glibc older than the build machine's (tests/packaging). The
# CPython is built inside it from Debian 12's python3.11 source package, since bullseye has no
# Python 3.10+ and pyenv's builds need this machine's newer glibc. Kept under $FERROCOV_CACHE;
# a finished one is reused. Needs root (debootstrap, chroot, mount namespaces).
#
#   tools/old-glibc.sh provision      build it if missing; prints its root directory
#   tools/old-glibc.sh root           prints its root directory if it is complete, else fails
#   tools/old-glibc.sh run CMD...     runs CMD inside it (with /proc, /dev/shm and a clean env)
set -euo pipefail
cache=${FERROCOV_CACHE:-$HOME/.cache/ferrocov}
root=$cache/old-glibc/bullseye
mirror=http://deb.debian.org/debian
# Inside the root: where the interpreter is installed.
prefix=/opt/python3.11

inside() {
    # A private mount namespace: /proc and /dev/shm (multiprocessing's semaphores) exist inside
    # and vanish with the command, leaving nothing mounted on the host.
    unshare --mount --fork -- bash -c '
        root=$1; shift
        mount -t proc proc "$root/proc"
        mount -t tmpfs -o size=256m shm "$root/dev/shm"
        exec chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
            PATH=/usr/local/bin:/usr/bin:/bin "$@"
    ' inside "$1" "${@:2}"
}

provision() {
    if [ -f "$root/.complete" ]; then echo "$root"; return; fi
    exec 3>&1 1>&2   # stdout carries only the root's path
    [ "$(id -u)" = 0 ] || { echo "tools/old-glibc.sh needs root (debootstrap, chroot)"; exit 1; }
    if ! command -v debootstrap >/dev/null; then
        apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null
    fi
    # An interrupted provisioning starts again after debootstrap if that had finished.
    local work=$root.partial
    if [ ! -f "$work/.debootstrapped" ]; then
        rm -rf "$work"
        mkdir -p "$work"
        echo "=== debootstrap bullseye into $work"
        debootstrap --variant=minbase \
            --include=gcc,make,libc6-dev,zlib1g-dev,libffi-dev,libsqlite3-dev,xz-utils \
            bullseye "$work" "$mirror" >"$work.debootstrap.log" 2>&1 \
            || { tail -30 "$work.debootstrap.log"; exit 1; }
        touch "$work/.debootstrapped"
    fi
    rm -rf "$work/build"

    echo "=== python3.11 source from Debian 12 (bookworm)"
    # apt with its own source list and lists directory: the host's apt configuration is left alone.
    local apt=$work/build/apt
    mkdir -p "$apt/lists/partial" "$apt/archives/partial"
    echo "deb-src $mirror bookworm main" >"$apt/sources.list"
    local opts=(-o "APT::Sandbox::User=root"
        -o "Dir::Etc::SourceList=$apt/sources.list" -o "Dir::Etc::SourceParts=-"
        -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache::Archives=$apt/archives")
    apt-get "${opts[@]}" update -qq
    local got=""
    for v in $(apt-cache "${opts[@]}" showsrc python3.11 | awk '/^Version:/{print $2}' | sort -rV | uniq); do
        if (cd "$work/build" && apt-get "${opts[@]}" source --download-only -qq "python3.11=$v" >/dev/null 2>&1); then
            got=$v; break
        fi
    done
    [ -n "$got" ] || { echo "no python3.11 source could be fetched"; exit 1; }
    (cd "$work/build" && tar xf python3.11_*.orig.tar.* && mv Python-3.11.*/ python)

    echo "=== building CPython $got inside bullseye"
    inside "$work" /bin/sh -c "cd /build/python \
        && ./configure --prefix=$prefix --disable-test-modules >/build/configure.log 2>&1 \
        && make -j$(nproc) >/build/make.log 2>&1 \
        && make install >/build/install.log 2>&1" \
        || { tail -40 "$work"/build/*.log; exit 1; }
    inside "$work" "$prefix/bin/python3.11" -c \
        'import ctypes, sqlite3, zlib, multiprocessing.synchronize, sys; assert sys.version_info[:2] == (3, 11)'
    rm -rf "$work/build" "$work/.debootstrapped"
    touch "$work/.complete"
    rm -rf "$root"
    mv "$work" "$root"
    rm -f "$work.debootstrap.log"
    echo "$root" >&3
}

case ${1:-} in
    provision) provision ;;
    root) [ -f "$root/.complete" ] && echo "$root" ;;
    run) [ -f "$root/.complete" ] || { echo "no old-glibc root: run tools/old-glibc.sh provision" >&2; exit 1; }
        shift; inside "$root" "$@" ;;
    *) sed -n '2,11p' "$0" >&2; exit 2 ;;
esac
