#!/bin/sh
# Runs a command with a private session D-Bus that has an unlocked Secret Service on it
# (gnome-keyring, with a throwaway keyring in a temporary HOME), so the OS keychain path of
# "remember on this device" is exercised for real on a headless machine. Nothing of the
# user's own session or keyring is touched; everything ends with the command.
#
#   tests/keyring/with-secret-service.sh cargo test -p journal --test it -- --ignored os_keychain
set -eu
if [ -z "${VITALOG_IN_SECRET_SERVICE:-}" ]; then
    export VITALOG_IN_SECRET_SERVICE=1
    exec dbus-run-session -- "$0" "$@"
fi
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
# gnome-keyring keeps its keyrings under XDG_DATA_HOME; the command keeps its own HOME.
XDG_DATA_HOME="$keyring_home" XDG_RUNTIME_DIR="$keyring_home" \
    sh -c 'printf "throwaway" | gnome-keyring-daemon --unlock --components=secrets' >/dev/null
"$@"
