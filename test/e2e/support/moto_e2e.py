"""moto_server for the Terraform end-to-end harness, with one workaround (see test/README.md).

moto 5.2.5 evaluates a bucket policy on PutObject/GetObject (moto/s3/responses.py `_key_response`)
through `FakeBucket.get_permission`, which calls `IAMPolicy.is_action_permitted` without any request
context. `TrustRelationShipConditions.verify_condition` treats a condition key with no value as
satisfied, so every conditional statement applies as if its condition held: the TLS-only statement
(`Deny s3:*` when `aws:SecureTransport` is `false`) denies every object write, over HTTP and HTTPS
alike, where AWS would allow the same-account caller through IAM. Here bucket policies are evaluated
without their conditional statements (moto cannot evaluate those), which leaves the unconditional
statements as moto applies them today. Nothing in the stacks changes.

Usage: python moto_e2e.py -H 127.0.0.1 -p PORT   (the arguments of moto_server)
"""
import json
import sys

from moto.s3 import models as s3_models
from moto.iam.access_control import IAMPolicy, PermissionResult
from moto.server import main


def get_permission_without_conditions(self, action, resource):
    if self.policy is None:
        return PermissionResult.NEUTRAL
    policy = json.loads(self.policy.decode())
    statements = policy.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    unconditional = [s for s in statements if not s.get("Condition")]
    if not unconditional:
        return PermissionResult.NEUTRAL
    return IAMPolicy(json.dumps({**policy, "Statement": unconditional})).is_action_permitted(action, resource)


s3_models.FakeBucket.get_permission = get_permission_without_conditions

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
