#!/usr/bin/env bash
# The absences ARCHITECTURE.md promises that `cargo tree` can check: which crates stay free of
# SQLCipher, the async runtime, the Bluetooth stack and Tauri, and that only `link` uses the
# Bluetooth stack directly. Prints one line per check; exits non-zero if any fails.
set -euo pipefail
cd "$(dirname "$0")/../.."

passed=0
failed=0

# The normal (non-dev) dependency tree of a package, one crate name per line.
tree_of() {
  cargo tree --offline -p "$1" -e normal --prefix none --no-dedupe 2>/dev/null | awk '{print $1}' | sort -u
}

# absent PACKAGE WHAT DEPENDENCY...: none of the dependencies is in the package's tree.
absent() {
  local package=$1 what=$2
  shift 2
  local tree found=()
  tree=$(tree_of "$package")
  if [ -z "$tree" ]; then
    echo "FAIL $package: cargo tree printed nothing (is the package name right?)"
    failed=$((failed + 1))
    return
  fi
  for dependency in "$@"; do
    if grep -qx "$dependency" <<<"$tree"; then found+=("$dependency"); fi
  done
  if [ ${#found[@]} -eq 0 ]; then
    echo "ok   $package has no $what"
    passed=$((passed + 1))
  else
    echo "FAIL $package depends on ${found[*]} ($what)"
    failed=$((failed + 1))
  fi
}

members=$(cargo metadata --offline --format-version 1 --no-deps |
  python3 -c 'import json, sys; print("\n".join(p["name"] for p in json.load(sys.stdin)["packages"]))')

# only PACKAGE DEPENDENCY: of the workspace's crates, PACKAGE alone depends on DEPENDENCY directly.
only() {
  local package=$1 dependency=$2 dependents
  dependents=$(cargo tree --offline --workspace -e normal -i "$dependency" --depth 1 --prefix none 2>/dev/null |
    awk 'NR > 1 {print $1}' | sort -u | grep -Fx -f <(echo "$members") || true)
  if [ "$dependents" = "$package" ]; then
    echo "ok   only $package depends on $dependency"
    passed=$((passed + 1))
  else
    echo "FAIL $dependency is used directly by: $(echo "$dependents" | tr '\n' ' ')"
    failed=$((failed + 1))
  fi
}

sqlcipher=(rusqlite libsqlite3-sys)
runtime=(tokio async-std)
bluetooth=(btleplug bluez-async)
tauri=(tauri tauri-runtime wry)

absent ble-proto "SQLCipher, async runtime, Bluetooth stack or Tauri" "${sqlcipher[@]}" "${runtime[@]}" "${bluetooth[@]}" "${tauri[@]}"
absent readings "SQLCipher, async runtime, Bluetooth stack or Tauri" "${sqlcipher[@]}" "${runtime[@]}" "${bluetooth[@]}" "${tauri[@]}"
absent trends "SQLCipher, async runtime, Bluetooth stack or Tauri" "${sqlcipher[@]}" "${runtime[@]}" "${bluetooth[@]}" "${tauri[@]}"
absent simulator "SQLCipher, Bluetooth stack or Tauri" "${sqlcipher[@]}" "${bluetooth[@]}" "${tauri[@]}"
absent fhir "async runtime, Bluetooth stack or Tauri" "${runtime[@]}" "${bluetooth[@]}" "${tauri[@]}"
absent report "async runtime, Bluetooth stack or Tauri" "${runtime[@]}" "${bluetooth[@]}" "${tauri[@]}"
absent journal "async runtime, Bluetooth stack or Tauri" "${runtime[@]}" "${bluetooth[@]}" "${tauri[@]}"
absent sync "Bluetooth stack or Tauri" "${bluetooth[@]}" "${tauri[@]}"
absent link "SQLCipher or Tauri" "${sqlcipher[@]}" "${tauri[@]}"
absent cli "Tauri" "${tauri[@]}"
absent sharing "Bluetooth stack or Tauri" "${bluetooth[@]}" "${tauri[@]}"
absent sharing "second crypto library for TLS" aws-lc-rs aws-lc-sys openssl
absent vitalog-app "second crypto library for TLS" aws-lc-rs aws-lc-sys
only link btleplug
only link bluez-async
only sharing reqwest

echo "architecture: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
