#!/usr/bin/env bash
# Plans or applies the synthesized stacks of one environment (or all) with the terraform CLI.
# Each stack's `cloud` block names its Terraform Cloud workspace (iam-<account>), so the run happens in
# Terraform Cloud with the workspace's dynamic AWS credentials; the CLI streams it. Needs
# TF_TOKEN_app_terraform_io. Usage: terraform-stacks.sh plan|apply <nonprod|staging|prod|all>
set -euo pipefail
mode="${1:?usage: terraform-stacks.sh plan|apply <environment|all>}"
environment="${2:?usage: terraform-stacks.sh plan|apply <environment|all>}"
case "$mode" in plan|apply) ;; *) echo "error: mode must be plan or apply, got '$mode'" >&2; exit 2 ;; esac
command -v terraform >/dev/null || { echo "error: terraform is not on PATH; use an image with terraform >= 1.5 (hashicorp/terraform)" >&2; exit 2; }
[ -d cdktf.out/stacks ] || { echo "error: cdktf.out/stacks is missing; run 'iamctl synth' (the synth job) first" >&2; exit 2; }

iamctl="node bin/iamctl.js"
if [ "$environment" = all ]; then stacks=$($iamctl stacks); else stacks=$($iamctl stacks --environment "$environment"); fi
mkdir -p plans
plan_files=()
for stack in $stacks; do
  dir="cdktf.out/stacks/$stack"
  echo "== $mode $stack"
  terraform -chdir="$dir" init -input=false -no-color
  if [ "$mode" = plan ]; then
    # Terraform Cloud runs remote plans; a saved plan needs Terraform >= 1.6 with the cloud block.
    terraform -chdir="$dir" plan -input=false -no-color -out="$PWD/plans/$stack.tfplan"
    terraform -chdir="$dir" show -json "$PWD/plans/$stack.tfplan" > "plans/$stack.json"
    plan_files+=("plans/$stack.json")
  else
    terraform -chdir="$dir" apply -input=false -no-color -auto-approve
  fi
done
if [ "$mode" = plan ] && [ ${#plan_files[@]} -gt 0 ]; then
  $iamctl plan-report "${plan_files[@]}" --output plans/gitlab-terraform-report.json
fi
