#!/usr/bin/env bash
# Scheduled drift check of every account: one report per account under reports/drift/.
# Credentials: the job's GitLab OIDC token (id_tokens AWS_ID_TOKEN) and, per account, the read-only drift
# role DRIFT_ROLE_NAME (accounts/org.yaml template gitlab-drift-reader, trusted only for the IAM
# repository's protected main branch). The SDK assumes it through AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE.
# Whatever credentials the runner has are never used: static keys and profiles are unset first.
# Exit 1 when any account drifted, 2 when any check could not run (iamctl's exit codes).
set -uo pipefail
iamctl="${IAMCTL:-node bin/iamctl.js}"
role_name="${DRIFT_ROLE_NAME:-gitlab-drift-reader}"
if [ -z "${AWS_ID_TOKEN:-}" ]; then
  echo "error: AWS_ID_TOKEN is empty: the drift job needs its GitLab OIDC token (id_tokens: AWS_ID_TOKEN in .gitlab-ci.yml); refusing to fall back to the runner's credentials" >&2
  exit 2
fi
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
token_dir="$(mktemp -d)"
trap 'rm -rf "$token_dir"' EXIT
token_file="$token_dir/gitlab-oidc-token"
( umask 077; printf '%s' "$AWS_ID_TOKEN" > "$token_file" )
export AWS_WEB_IDENTITY_TOKEN_FILE="$token_file"
# Stop instance-metadata credentials from being picked up if the web identity fails.
export AWS_EC2_METADATA_DISABLED=true

accounts="$($iamctl stacks --format json | node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>{for(const a of JSON.parse(s).stacks)console.log(a.account+" "+a.accountId)})')" || {
  echo "error: could not list the accounts (iamctl stacks --format json)" >&2
  exit 2
}
mkdir -p reports/drift
worst=0
while read -r account account_id; do
  [ -n "$account" ] || continue
  AWS_ROLE_ARN="arn:aws:iam::${account_id}:role/${role_name}" AWS_ROLE_SESSION_NAME="iam-platform-drift-${account}" \
    $iamctl drift --account "$account" --format markdown > "reports/drift/$account.md"
  code=$?
  [ "$code" -gt "$worst" ] && worst=$code
  echo "$account: exit $code"
done <<< "$accounts"
exit "$worst"
