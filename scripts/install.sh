#!/usr/bin/env bash
# Installs a released gcdoctor binary for this machine, after checking its SHA-256.
#
#   scripts/install.sh                      # the latest release, into ~/.local/bin
#   GCDOCTOR_VERSION=v0.2.0 GCDOCTOR_INSTALL_DIR=/usr/local/bin scripts/install.sh
#
# Environment:
#   GCDOCTOR_VERSION      `latest` (default) or a release tag such as v0.2.0
#   GCDOCTOR_INSTALL_DIR  where the binary goes (default ~/.local/bin)
#   GCDOCTOR_RELEASES     the releases URL (default https://github.com/gcdoctor/gcdoctor/releases)
#
# Exit codes: 0 installed; 3 no released binary for this platform or version (build from
# source instead: the GitHub Action does); anything else is a failure, e.g. a checksum that
# does not match (never installed).
set -euo pipefail

version="${GCDOCTOR_VERSION:-latest}"
dir="${GCDOCTOR_INSTALL_DIR:-$HOME/.local/bin}"
releases="${GCDOCTOR_RELEASES:-https://github.com/gcdoctor/gcdoctor/releases}"

os="$(uname -s)"
arch="$(uname -m)"
case "$os/$arch" in
  Linux/x86_64) target=x86_64-unknown-linux-musl ;;
  Linux/aarch64 | Linux/arm64) target=aarch64-unknown-linux-musl ;;
  Darwin/x86_64) target=x86_64-apple-darwin ;;
  Darwin/arm64) target=aarch64-apple-darwin ;;
  MINGW*/x86_64 | MSYS*/x86_64 | CYGWIN*/x86_64) target=x86_64-pc-windows-msvc ;;
  *)
    echo "install.sh: no released gcdoctor binary for $os/$arch" >&2
    exit 3
    ;;
esac
case "$target" in
  *windows*) asset="gcdoctor-$target.zip" exe=gcdoctor.exe ;;
  *) asset="gcdoctor-$target.tar.gz" exe=gcdoctor ;;
esac
if [ "$version" = latest ]; then
  url="$releases/latest/download"
else
  url="$releases/download/$version"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if ! curl -fsSL --retry 3 -o "$tmp/$asset" "$url/$asset"; then
  echo "install.sh: no $asset in release $version ($url)" >&2
  exit 3
fi
if ! curl -fsSL --retry 3 -o "$tmp/$asset.sha256" "$url/$asset.sha256"; then
  echo "install.sh: release $version has $asset but no $asset.sha256: not installing it" >&2
  exit 1
fi
want="$(cut -d' ' -f1 <"$tmp/$asset.sha256")"
if command -v sha256sum >/dev/null 2>&1; then
  got="$(sha256sum "$tmp/$asset" | cut -d' ' -f1)"
else
  got="$(shasum -a 256 "$tmp/$asset" | cut -d' ' -f1)"
fi
if [ -z "$want" ] || [ "$want" != "$got" ]; then
  echo "install.sh: checksum mismatch for $asset (expected $want, got $got): not installing it" >&2
  exit 1
fi
case "$asset" in
  *.zip) unzip -q -o "$tmp/$asset" -d "$tmp/x" ;;
  *) mkdir -p "$tmp/x" && tar -xzf "$tmp/$asset" -C "$tmp/x" ;;
esac
mkdir -p "$dir"
install -m 0755 "$tmp/x/$exe" "$dir/$exe"
echo "install.sh: installed $("$dir/$exe" --version) ($target) in $dir"
