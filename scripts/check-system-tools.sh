#!/usr/bin/env bash
# Checks, before anything else of `npm run setup` runs, every system tool that the setup and the tests need, and
# says how to install each missing one. Lists every problem at once; exits 1 if any, 0 when all are present.
#   node      >= 20.19   runs iamctl and the tests (package.json engines)
#   git       any        the pipeline and history tests make throw-away repositories
#   rsync     any        gitlab-ci-local's shell executor copies the project with it (test/pipeline)
#   chromium  any        the browser tests of the reports and the portal (playwright-core drives it)
#   python3   >= 3.11    with the venv module: moto (drift/analyzer tests) and checkov (scan) install into .venv/
#   go        >= 1.21    builds tfsec into .tools/bin (npm run setup:scanners)
#   terraform >= 1.5     terraform validate/plan of the synthesized stacks (the stacks use import blocks)
# Set PYTHON to use another interpreter than python3 (as setup-moto.sh and setup-scanners.sh do).
set -uo pipefail

PYTHON="${PYTHON:-python3}"
problems=()

# version_at_least FOUND MINIMUM: true when FOUND (1.2.3) >= MINIMUM (1.2).
version_at_least() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]
}

# check NAME MINIMUM FOUND_VERSION HOW_TO_INSTALL: records a problem when the tool is missing or too old.
check() {
  local name="$1" minimum="$2" found="$3" install="$4"
  if [ -z "$found" ]; then
    problems+=("$name is not installed: $install")
  elif [ -n "$minimum" ] && ! version_at_least "$found" "$minimum"; then
    problems+=("$name $found is too old (need >= $minimum): $install")
  else
    echo "ok: $name ${found}"
  fi
}

# first_version TEXT: the first dotted version number in TEXT.
first_version() {
  grep -oE '[0-9]+\.[0-9]+(\.[0-9]+)?' <<<"$1" | head -n 1
}

APT_HINT="on Debian/Ubuntu: apt-get install -y"

node_version=""
command -v node >/dev/null 2>&1 && node_version="$(first_version "$(node --version 2>/dev/null)")"
check node 20.19 "$node_version" "install Node.js 22 LTS (or 20.19+), e.g. with your version manager (nvm install 22)"

git_version=""
command -v git >/dev/null 2>&1 && git_version="$(first_version "$(git --version 2>/dev/null)")"
check git "" "$git_version" "$APT_HINT git"

rsync_version=""
command -v rsync >/dev/null 2>&1 && rsync_version="$(first_version "$(rsync --version 2>/dev/null | head -n 1)")"
check rsync "" "$rsync_version" "$APT_HINT rsync (gitlab-ci-local's shell executor needs it)"

# The browser tests (reports, portal) drive Debian's chromium through playwright-core (test/support/chromium.ts).
chromium_command="${CHROMIUM_PATH:-chromium}"
chromium_version=""
command -v "$chromium_command" >/dev/null 2>&1 && chromium_version="$(first_version "$("$chromium_command" --version 2>/dev/null)")"
check chromium "" "$chromium_version" "$APT_HINT chromium (the reports' and the portal's browser tests render in it; or set CHROMIUM_PATH)"

python_version=""
command -v "$PYTHON" >/dev/null 2>&1 && python_version="$(first_version "$("$PYTHON" --version 2>&1)")"
check "$PYTHON" 3.11 "$python_version" "$APT_HINT python3 python3-venv (or set PYTHON to a Python 3.11+)"
if [ -n "$python_version" ] && ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  problems+=("$PYTHON has no working venv module (ensurepip is missing): $APT_HINT python3-venv (or python${python_version%.*}-venv)")
fi

go_version=""
command -v go >/dev/null 2>&1 && go_version="$(first_version "$(go version 2>/dev/null)")"
check go 1.21 "$go_version" "install Go 1.21+ (the official Go download, or $APT_HINT golang-go if your release ships 1.21+); it builds tfsec"

terraform_version=""
command -v terraform >/dev/null 2>&1 && terraform_version="$(first_version "$(terraform version 2>/dev/null | head -n 1)")"
check terraform 1.5 "$terraform_version" "install Terraform 1.5+ (HashiCorp's release zip or apt repository) and put it on PATH"

if [ "${#problems[@]}" -gt 0 ]; then
  echo "" >&2
  echo "npm run setup needs these system tools first (${#problems[@]} missing or too old):" >&2
  for problem in "${problems[@]}"; do echo "  - $problem" >&2; done
  echo "Install them and run npm run setup again." >&2
  exit 1
fi
echo "All system tools the setup and the tests need are present."
