#!/usr/bin/env bash
# Scheduled drift check of every account: one report per account under reports/drift/.
# Exit 1 when any account drifted, 2 when any check could not run (iamctl's exit codes).
set -uo pipefail
iamctl="node bin/iamctl.js"
mkdir -p reports/drift
worst=0
for account in $($iamctl stacks --format accounts); do
  $iamctl drift --account "$account" --format markdown > "reports/drift/$account.md"
  code=$?
  [ "$code" -gt "$worst" ] && worst=$code
  echo "$account: exit $code"
done
exit "$worst"
