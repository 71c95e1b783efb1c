#!/usr/bin/env bash
# Installs what `iamctl validate --terraform`, the Terraform tests and the e2e harness need, in
# project-local, gitignored folders (nothing touches ~/.terraformrc):
#   the AWS provider, built from source with `go install`  -> .tools/terraform/bin/terraform-provider-aws
#   a Terraform CLI config with dev_overrides for it       -> .tools/terraform/terraformrc
# Every terraform process the project starts gets TF_CLI_CONFIG_FILE=.tools/terraform/terraformrc.
#
# Why a build: the Terraform registry is not reachable from these machines, so `terraform init` cannot
# download the provider; the Go module proxy serves its source. The proxy refuses the tagged v6
# releases (the module path has no /v6 suffix) and serves the pseudo-version below (main of 2026-06-02).
# A cold build compiles about 2,000 packages: about 55 CPU-minutes (30 min on an idle 2-core machine,
# an hour on a loaded one). Warm (binary present at this version), the script returns at once.
#
# Needs terraform (1.11.x) on PATH and Go (1.26+, the toolchain the provider's go.mod asks for).
# Run through `npm run setup:terraform` (part of `npm run setup`); .ci/run starts it first.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"

PROVIDER_MODULE="github.com/hashicorp/terraform-provider-aws"
PROVIDER_VERSION="v1.60.1-0.20260602190131-5f2286d6d836"
TERRAFORM_MIN_VERSION="1.11"
TF_DIR="$ROOT/.tools/terraform"
BIN_DIR="$TF_DIR/bin"
PROVIDER_BIN="$BIN_DIR/terraform-provider-aws"
CLI_CONFIG="$TF_DIR/terraformrc"
BUILD_LOG="$TF_DIR/build.log"
# Seconds between progress lines while the provider compiles (CI logs must not go silent).
PROGRESS_EVERY="${PROGRESS_EVERY:-60}"
# Packages a cold build compiles (measured), for the progress estimate only.
APPROX_PACKAGES=2000

elapsed() { echo $(( $(date +%s) - $1 )); }

check_terraform() {
  if ! command -v terraform > /dev/null; then
    cat >&2 <<MSG
terraform is not on PATH. Install Terraform ${TERRAFORM_MIN_VERSION}.x (the project is tested with 1.11.4):
  download the zip for your platform from https://developer.hashicorp.com/terraform/install,
  unzip it into a folder on PATH (for example /usr/local/bin), check with \`terraform version\`,
  then rerun: npm run setup:terraform
MSG
    exit 1
  fi
  local version
  version="$(terraform version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p')"
  echo "terraform ${version:-unknown}: $(command -v terraform)"
}

provider_is_current() {
  [ -x "$PROVIDER_BIN" ] || return 1
  # The build records the module version in the binary; a binary of another version is rebuilt.
  go version -m "$PROVIDER_BIN" 2>/dev/null | awk '$1 == "mod" && $2 == "'"$PROVIDER_MODULE"'" { print $3 }' | grep -qx "$PROVIDER_VERSION"
}

wait_for_other_build() {
  # Another `go install` of the same provider into the same folder (an earlier setup still running):
  # wait for it instead of compiling twice.
  local pids
  pids="$(pgrep -f "go install .*${PROVIDER_MODULE}@${PROVIDER_VERSION}" || true)"
  [ -n "$pids" ] || return 0
  echo "terraform-provider-aws: another build of $PROVIDER_VERSION is running (pid $(echo "$pids" | tr '\n' ' ')); waiting for it..."
  local start
  start=$(date +%s)
  while pgrep -f "go install .*${PROVIDER_MODULE}@${PROVIDER_VERSION}" > /dev/null; do
    sleep "$PROGRESS_EVERY"
    echo "terraform-provider-aws: still waiting for the other build (t+$(elapsed "$start")s)"
  done
}

build_provider() {
  if ! command -v go > /dev/null; then
    echo "terraform-provider-aws: Go is not installed; install Go 1.26+ (https://go.dev/doc/install) and rerun npm run setup:terraform" >&2
    exit 1
  fi
  wait_for_other_build
  if provider_is_current; then
    echo "terraform-provider-aws $PROVIDER_VERSION: already built ($PROVIDER_BIN)"
    return
  fi
  local start pid status
  start=$(date +%s)
  mkdir -p "$BIN_DIR"
  echo "terraform-provider-aws $PROVIDER_VERSION: building with $(go version | cut -d' ' -f3) into $BIN_DIR"
  echo "  (cold: about 55 CPU-minutes, 30-60 min wall on 2 cores; log: ${BUILD_LOG#"$ROOT/"})"
  # -v prints each package as it is compiled: the progress lines count them.
  GOBIN="$BIN_DIR" GOFLAGS="${GOFLAGS:--p=2}" go install -v -ldflags="-s -w" "$PROVIDER_MODULE@$PROVIDER_VERSION" > "$BUILD_LOG" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2> /dev/null; do
    for _ in $(seq 1 "$PROGRESS_EVERY"); do
      kill -0 "$pid" 2> /dev/null || break
      sleep 1
    done
    if kill -0 "$pid" 2> /dev/null; then
      echo "terraform-provider-aws: $(grep -vc '^go: downloading' "$BUILD_LOG" || true) of ~$APPROX_PACKAGES packages compiled (t+$(elapsed "$start")s)"
    fi
  done
  set +e
  wait "$pid"
  status=$?
  set -e
  if [ "$status" -ne 0 ]; then
    echo "terraform-provider-aws: go install failed (exit $status); the log ends with:" >&2
    tail -n 20 "$BUILD_LOG" >&2
    exit 1
  fi
  echo "terraform-provider-aws $PROVIDER_VERSION: built in $(elapsed "$start") s ($(du -h "$PROVIDER_BIN" | cut -f1))"
}

write_cli_config() {
  local content
  content="# Written by scripts/setup-terraform.sh; used through TF_CLI_CONFIG_FILE by every terraform run of iam-platform.
# dev_overrides: terraform uses the locally built AWS provider and skips the registry for it.
provider_installation {
  dev_overrides {
    \"hashicorp/aws\" = \"$BIN_DIR\"
  }
  direct {}
}"
  if [ -f "$CLI_CONFIG" ] && [ "$(cat "$CLI_CONFIG")" = "$content" ]; then
    echo "terraform CLI config: up to date (${CLI_CONFIG#"$ROOT/"})"
    return
  fi
  printf '%s\n' "$content" > "$CLI_CONFIG"
  echo "terraform CLI config: written (${CLI_CONFIG#"$ROOT/"}; use TF_CLI_CONFIG_FILE=$CLI_CONFIG)"
}

check_terraform
mkdir -p "$TF_DIR"
build_provider
write_cli_config
