#!/usr/bin/env bash
# Installs the pinned scanners of `iamctl scan` into project-local, gitignored folders:
#   checkov (PyPI, scripts/requirements-scanners.txt) -> .venv/scanners/bin/checkov
#   tfsec   (go install, TFSEC_VERSION below)          -> .tools/bin/tfsec
# Idempotent: an installed scanner at the pinned version is left alone (checked in well under a second).
# Needs python3 (3.11+) with venv, and Go. Run through `npm run setup:scanners`; .ci/run calls it too.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"

PYTHON="${PYTHON:-python3}"
VENV="$ROOT/.venv/scanners"
TOOLS_BIN="$ROOT/.tools/bin"
REQUIREMENTS="$ROOT/scripts/requirements-scanners.txt"
CONSTRAINTS="$ROOT/scripts/constraints-scanners.txt"
CHECKOV_VERSION="$(sed -n 's/^checkov==//p' "$REQUIREMENTS")"
# v1.28.13 is tfsec's last tag, but the Go module proxy this project builds from serves only v1.26.0
# (its version list for the module names v1.26.0 alone; v1.28.13 is refused).
TFSEC_VERSION="v1.26.0"
TFSEC_MODULE="github.com/aquasecurity/tfsec"

elapsed() { echo $(( $(date +%s) - $1 )); }

install_checkov() {
  if compgen -G "$VENV/lib/python3*/site-packages/checkov-$CHECKOV_VERSION.dist-info" > /dev/null && [ -x "$VENV/bin/checkov" ]; then
    echo "checkov $CHECKOV_VERSION: already installed ($VENV/bin/checkov)"
    return
  fi
  local start
  start=$(date +%s)
  echo "checkov $CHECKOV_VERSION: installing into $VENV (about a minute from scratch)..."
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS" -c "$CONSTRAINTS"
  echo "checkov $CHECKOV_VERSION: installed in $(elapsed "$start") s ($VENV/bin/checkov)"
}

install_tfsec() {
  if [ -x "$TOOLS_BIN/tfsec" ] && [ "$("$TOOLS_BIN/tfsec" --version 2>/dev/null)" = "$TFSEC_VERSION" ]; then
    echo "tfsec $TFSEC_VERSION: already installed ($TOOLS_BIN/tfsec)"
    return
  fi
  if ! command -v go > /dev/null; then
    echo "tfsec $TFSEC_VERSION: Go is not installed; install Go 1.21+ and rerun npm run setup:scanners" >&2
    exit 1
  fi
  local start
  start=$(date +%s)
  echo "tfsec $TFSEC_VERSION: building with $(go version | cut -d' ' -f3) into $TOOLS_BIN (a few minutes from scratch)..."
  mkdir -p "$TOOLS_BIN"
  # The version is stamped the way tfsec's release build does, so `tfsec --version` answers it.
  GOBIN="$TOOLS_BIN" GOFLAGS="${GOFLAGS:-} -buildvcs=false" go install \
    -ldflags "-s -w -X $TFSEC_MODULE/version.Version=$TFSEC_VERSION" "$TFSEC_MODULE/cmd/tfsec@$TFSEC_VERSION"
  echo "tfsec $TFSEC_VERSION: installed in $(elapsed "$start") s ($TOOLS_BIN/tfsec)"
}

install_checkov
install_tfsec
