"""moto_server for the Terraform end-to-end harness, with the workarounds below (see test/README.md).
Each patches how moto answers, never what the stacks ask for.

1. Bucket policies. moto 5.2.5 evaluates a bucket policy on PutObject/GetObject (moto/s3/responses.py `_key_response`)
through `FakeBucket.get_permission`, which calls `IAMPolicy.is_action_permitted` without any request
context. `TrustRelationShipConditions.verify_condition` treats a condition key with no value as
satisfied, so every conditional statement applies as if its condition held: the TLS-only statement
(`Deny s3:*` when `aws:SecureTransport` is `false`) denies every object write, over HTTP and HTTPS
alike, where AWS would allow the same-account caller through IAM. Here bucket policies are evaluated
without their conditional statements (moto cannot evaluate those), which leaves the unconditional
statements as moto applies them today.

2. Lambda DeadLetterConfig and LoggingConfig. moto 5.2.5's `LambdaFunction` keeps neither argument of
CreateFunction / UpdateFunctionConfiguration and returns neither in GetFunction, so the provider reads
them back empty and plans to add them again after every apply. AWS returns what it was given. Here the
function keeps both and returns them (an empty TargetArn removes the dead-letter target, as in AWS).

3. Tags given to CreateBucket. The provider creates a bucket with its tags (provider default_tags
merged) inside CreateBucketConfiguration (`<Tags><Tag><Key/><Value/></Tag></Tags>`); moto 5.2.5 reads
only the LocationConstraint of that body and drops the tags, so the provider reads the bucket's
tags back empty and plans `tags_all` again after every apply. Here a CreateBucket that succeeded puts
those tags on the bucket, as AWS does.

Usage: python moto_e2e.py -H 127.0.0.1 -p PORT   (the arguments of moto_server)
"""
import json
import sys

from moto.awslambda import models as lambda_models
import xmltodict

from moto.s3 import models as s3_models
from moto.s3 import responses as s3_responses
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

_lambda_init = lambda_models.LambdaFunction.__init__
_lambda_get_configuration = lambda_models.LambdaFunction.get_configuration
_lambda_update_configuration = lambda_models.LambdaFunction.update_configuration


def _set_lambda_extras(function, config):
    if "DeadLetterConfig" in config:
        target = (config.get("DeadLetterConfig") or {}).get("TargetArn")
        function.e2e_dead_letter_config = {"TargetArn": target} if target else None
    if "LoggingConfig" in config:
        function.e2e_logging_config = config.get("LoggingConfig") or None


def lambda_init_keeping_extras(self, account_id, spec, *args, **kwargs):
    _lambda_init(self, account_id, spec, *args, **kwargs)
    self.e2e_dead_letter_config = None
    self.e2e_logging_config = None
    _set_lambda_extras(self, spec)


def lambda_get_configuration_with_extras(self, on_create=False):
    config = _lambda_get_configuration(self, on_create)
    if getattr(self, "e2e_dead_letter_config", None):
        config["DeadLetterConfig"] = self.e2e_dead_letter_config
    if getattr(self, "e2e_logging_config", None):
        config["LoggingConfig"] = self.e2e_logging_config
    return config


def lambda_update_configuration_with_extras(self, config_updates):
    _set_lambda_extras(self, config_updates)
    return _lambda_update_configuration(self, config_updates)


_bucket_response_put = s3_responses.S3Response._bucket_response_put


def _create_bucket_tags(body):
    if not body:
        return {}
    try:
        config = xmltodict.parse(body).get("CreateBucketConfiguration") or {}
    except Exception:  # not XML: moto answers the request as before
        return {}
    tags = (config.get("Tags") or {}).get("Tag") or []
    if isinstance(tags, dict):
        tags = [tags]
    return {str(tag.get("Key")): str(tag.get("Value") or "") for tag in tags if tag.get("Key")}


def bucket_put_keeping_create_tags(self, request, bucket_name, querystring):
    result = _bucket_response_put(self, request, bucket_name, querystring)
    if not querystring:
        tags = _create_bucket_tags(self.body)
        if tags:
            self.backend.put_bucket_tagging(bucket_name, tags)
    return result


s3_responses.S3Response._bucket_response_put = bucket_put_keeping_create_tags

lambda_models.LambdaFunction.__init__ = lambda_init_keeping_extras
lambda_models.LambdaFunction.get_configuration = lambda_get_configuration_with_extras
lambda_models.LambdaFunction.update_configuration = lambda_update_configuration_with_extras

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
