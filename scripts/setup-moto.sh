#!/usr/bin/env bash
# Installs the pinned moto server into .venv/moto (project-local, never global). Idempotent:
# a second run with the pinned version already installed does nothing.
# Used by the drift and analyzer integration tests (test/support/moto-server.ts) and by .ci/run.
set -euo pipefail

MOTO_VERSION="5.2.5"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${ROOT}/.venv/moto"
PYTHON="${PYTHON:-python3}"

if [ -x "${VENV}/bin/moto_server" ] && "${VENV}/bin/python" -c "import importlib.metadata as m, sys; sys.exit(0 if m.version('moto') == '${MOTO_VERSION}' else 1)" 2>/dev/null; then
  echo "moto ${MOTO_VERSION} already installed in ${VENV}"
  exit 0
fi

"${PYTHON}" -m venv "${VENV}"
"${VENV}/bin/pip" install --quiet --disable-pip-version-check "moto[server]==${MOTO_VERSION}"
echo "moto $("${VENV}/bin/python" -c "import importlib.metadata as m; print(m.version('moto'))") installed in ${VENV}"
