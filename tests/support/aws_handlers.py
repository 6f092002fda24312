"""One SDK replay per CloudFormation resource type: the API call the type stands for, and its read-back.

Each handler takes the resolved CloudFormation properties, sends the equivalent API request through
boto3 (which validates it against the AWS model), reads the resource back with the describe call,
and returns both in request shape. `DROPPED` lists, per type, the request members moto accepts but
does not store; the deploy proof checks that exactly those are missing from the read-back, so the
list stays true when moto changes.

A type kube2ecs starts to emit needs a handler here; until it has one the deploy proof fails and
says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from deepdiff import DeepDiff

from tests.support.aws_replay import ACCOUNT, REGION, Created, Replay, ReplayError
from translator.render import encode


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(p[:1].upper() + p[1:] for p in rest)


# CloudFormation property -> ECS API member where lowering the first letter is not enough. IAM
# statements never reach the ECS API (their Condition would shadow a container dependency's).
_API_NAMES = {cfn: encode.API_KEYS.get(key, _camel(key[1])) for key, cfn in encode.CFN_KEYS.items()
              if key[0] != "Statement"}
_OPAQUE = {"Options", "DockerLabels"}  # maps whose keys are data

# Request members moto accepts and does not store (moto 5.x `ecs/models.py`): a deploy proof cannot
# read them back, so the template assertions and cfn-lint are their only check.
DROPPED: dict[str, dict[str, str]] = {
    "AWS::ECS::Service": {
        "deploymentConfiguration": "moto keeps no deployment configuration (percentages, circuit breaker)",
        "serviceConnectConfiguration": "moto has no Service Connect",
        "healthCheckGracePeriodSeconds": "moto does not store the grace period",
        "enableECSManagedTags": "moto does not store the managed-tags switch",
        "capacityProviderStrategy": "moto does not store a service's capacity provider strategy",
        "enableExecuteCommand": "moto does not store the ECS Exec switch",
        "vpcLatticeConfigurations": "moto does not store a service's VPC Lattice target groups",
    },
    "AWS::EFS::FileSystem": {"BackupPolicy": "moto does not implement PutBackupPolicy"},
}

# What moto adds to a task definition that was not sent: server-assigned members, and defaults
# of optional members (on the task and on each container), each with the value moto gives it.
TASK_DEFINITION_ASSIGNED = {"taskDefinitionArn", "revision", "status", "compatibilities", "registeredAt",
                            "registeredBy", "requiresAttributes"}
TASK_DEFINITION_DEFAULTS: dict[str, Any] = {"volumes": [], "placementConstraints": []}
CONTAINER_DEFAULTS: dict[str, Any] = {"environment": [], "mountPoints": [], "volumesFrom": [],
                                      "portMappings": [], "cpu": 0, "essential": True}
VOLUME_DEFAULTS: dict[str, Any] = {"efsVolumeConfiguration": {"rootDirectory": "/"}}
# Members moto fills in on other types when they were not sent (DeepDiff path -> moto's value).
ADDED_DEFAULTS: dict[str, dict[str, Any]] = {
    # A weighted forward reads back with target-group stickiness off, as ELB describes it too.
    "AWS::ElasticLoadBalancingV2::ListenerRule": {
        "root['Actions'][0]['ForwardConfig']['TargetGroupStickinessConfig']": {"Enabled": False}},
    "AWS::Scheduler::Schedule": {"root['Target']['RetryPolicy']": {"MaximumEventAgeInSeconds": 86400,
                                                                   "MaximumRetryAttempts": 185}},
}


def unexpected_task_definition_changes(sent: dict[str, Any], back: dict[str, Any]) -> list[str]:
    """Everything the read-back changed, except moto's listed defaults and server-assigned members."""
    diff = DeepDiff(sent, back, verbose_level=2)
    problems = [f"{kind}: {detail}" for kind, detail in diff.items() if kind != "dictionary_item_added"]
    for path, value in diff.get("dictionary_item_added", {}).items():
        top = re.fullmatch(r"root\['(\w+)'\]", path)
        container = re.fullmatch(r"root\['containerDefinitions'\]\[\d+\]\['(\w+)'\]", path)
        if top and (top.group(1) in TASK_DEFINITION_ASSIGNED or TASK_DEFINITION_DEFAULTS.get(top.group(1), ...) == value):
            continue
        if container and CONTAINER_DEFAULTS.get(container.group(1), ...) == value:
            continue
        volume = re.fullmatch(r"root\['volumes'\]\[\d+\]\['(\w+)'\]\['(\w+)'\]", path)
        if volume and VOLUME_DEFAULTS.get(volume.group(1), {}).get(volume.group(2), ...) == value:
            continue
        problems.append(f"added {path} = {value!r}")
    return problems


def read_back_problems(created: Created) -> list[str]:
    """What the read-back of one replayed resource lost or changed, apart from moto's listed drops."""
    if created.type == "AWS::ECS::TaskDefinition":
        return [f"{created.logical_id}: {p}" for p in unexpected_task_definition_changes(created.sent, created.read_back)]
    dropped = DROPPED.get(created.type, {})
    problems = [f"{created.logical_id}: moto now stores {k}; remove it from DROPPED"
                for k in dropped if k in created.sent and created.read_back.get(k) not in (None, [], {})]
    kept = {k: v for k, v in created.sent.items() if k not in dropped}
    back = {k: v for k, v in created.read_back.items() if k not in dropped}
    diff = DeepDiff(kept, back, verbose_level=2)
    defaults = ADDED_DEFAULTS.get(created.type, {})
    added = diff.get("dictionary_item_added", {})
    for path in [p for p, v in added.items() if defaults.get(p, ...) == v]:
        del added[path]
    if "dictionary_item_added" in diff and not added:
        del diff["dictionary_item_added"]
    return problems + ([f"{created.logical_id} ({created.type}): {diff.to_json()}"] if diff else [])


def api_shape(value: Any, opaque: bool = False) -> Any:
    """CloudFormation-cased properties -> ECS API member names (`Cpu` -> `cpu`), data maps untouched."""
    if isinstance(value, list):
        return [api_shape(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        name = key if opaque else _API_NAMES.get(key, key[:1].lower() + key[1:])
        out[name] = api_shape(item, opaque=key in _OPAQUE and not opaque)
    return out


def _client(replay: Replay, service: str) -> Any:
    return replay.clients(service)


def _tags_api(tags: list[dict[str, str]] | None) -> list[dict[str, str]]:
    return [{"key": t["Key"], "value": t["Value"]} for t in tags or []]


# --- ECS ------------------------------------------------------------------------------------


def ecs_cluster(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    ecs = _client(replay, "ecs")
    sent = {"clusterName": props.get("ClusterName", name)}
    if "ClusterSettings" in props:
        sent["settings"] = api_shape(props["ClusterSettings"])
    for key in ("CapacityProviders", "DefaultCapacityProviderStrategy"):
        if key in props:
            sent[key[:1].lower() + key[1:]] = api_shape(props[key])
    if props.get("Tags"):
        sent["tags"] = _tags_api(props["Tags"])
    arn = ecs.create_cluster(**sent)["cluster"]["clusterArn"]
    back = ecs.describe_clusters(clusters=[arn], include=["SETTINGS", "TAGS"])["clusters"][0]
    read = {k: back.get(k) for k in sent}
    return Created(sent["clusterName"], {"Arn": arn}, sent, read)


def task_definition_request(props: dict[str, Any]) -> dict[str, Any]:
    """The RegisterTaskDefinition input a CloudFormation task definition stands for."""
    sent = api_shape(props)
    sent["tags"] = [{"key": t["key"], "value": t["value"]} for t in sent.get("tags", [])]
    return sent


def register_task_definition(ecs: Any, sent: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Register, then read back (with tags) in request shape."""
    arn = ecs.register_task_definition(**sent)["taskDefinition"]["taskDefinitionArn"]
    response = ecs.describe_task_definition(taskDefinition=arn, include=["TAGS"])
    back = dict(response["taskDefinition"])
    if "tags" in sent or response.get("tags"):
        back["tags"] = response.get("tags", [])
    return arn, back


def ecs_task_definition(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    sent = task_definition_request(props)
    arn, back = register_task_definition(_client(replay, "ecs"), sent)
    return Created(arn, {"TaskDefinitionArn": arn}, sent, back)


def ecs_service(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    ecs = _client(replay, "ecs")
    sent = api_shape(props)
    sent.setdefault("serviceName", name)
    sent["tags"] = sent.get("tags", [])
    service = ecs.create_service(**sent)["service"]
    back = ecs.describe_services(cluster=sent.get("cluster", "default"), services=[service["serviceArn"]],
                                 include=["TAGS"])["services"][0]
    read = {k: back.get(k) for k in sent}
    if "cluster" in sent:  # read back as the cluster's ARN
        read["cluster"] = sent["cluster"] if back["clusterArn"].endswith("/" + sent["cluster"]) else back["clusterArn"]
    return Created(service["serviceArn"], {"Name": service["serviceName"], "ServiceArn": service["serviceArn"]},
                   sent, read)


# --- Cloud Map, logs, IAM, secrets, parameters ---------------------------------------------


def http_namespace(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    sd = _client(replay, "servicediscovery")
    sent = {k: props[k] for k in ("Name", "Description") if k in props}
    sd.create_http_namespace(**sent)
    found = [n for n in sd.list_namespaces()["Namespaces"] if n["Name"] == sent["Name"]]
    back = sd.get_namespace(Id=found[-1]["Id"])["Namespace"]
    read = {k: back.get(k) for k in sent}
    return Created(back["Id"], {"Arn": back["Arn"], "Id": back["Id"]}, sent, read)


def private_dns_namespace(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    sd = _client(replay, "servicediscovery")
    sent = {k: props[k] for k in ("Name", "Vpc", "Description") if k in props}
    sd.create_private_dns_namespace(**sent)
    found = [n for n in sd.list_namespaces()["Namespaces"] if n["Name"] == sent["Name"]]
    back = sd.get_namespace(Id=found[-1]["Id"])["Namespace"]
    read = {k: back.get(k) for k in sent if k != "Vpc"}
    read["Vpc"] = sent.get("Vpc")  # the namespace keeps its VPC in its hosted zone, which get_namespace does not show
    return Created(back["Id"], {"Arn": back["Arn"], "Id": back["Id"]}, sent, read)


def discovery_service(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    sd = _client(replay, "servicediscovery")
    sent = {k: props[k] for k in ("Name", "NamespaceId", "Description", "DnsConfig", "HealthCheckCustomConfig")
            if k in props}
    created = sd.create_service(**sent)["Service"]
    back = sd.get_service(Id=created["Id"])["Service"]
    read = {k: back.get(k) for k in sent}
    return Created(created["Id"], {"Arn": created["Arn"], "Id": created["Id"], "Name": created["Name"]}, sent, read)


def discovery_instance(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    sd = _client(replay, "servicediscovery")
    sent = {"ServiceId": props["ServiceId"], "InstanceId": props.get("InstanceId", name),
            "Attributes": props["InstanceAttributes"]}
    sd.register_instance(**sent)
    back = sd.get_instance(ServiceId=sent["ServiceId"], InstanceId=sent["InstanceId"])["Instance"]
    read = {"ServiceId": sent["ServiceId"], "InstanceId": back["Id"], "Attributes": back["Attributes"]}
    return Created(back["Id"], {}, sent, read)


def log_group(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    logs = _client(replay, "logs")
    group = props.get("LogGroupName", name)
    sent = {"logGroupName": group}
    logs.create_log_group(**sent)
    if "RetentionInDays" in props:
        logs.put_retention_policy(logGroupName=group, retentionInDays=props["RetentionInDays"])
        sent["retentionInDays"] = props["RetentionInDays"]
    back = next(g for g in logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"] if g["logGroupName"] == group)
    read = {k: back.get(k) for k in sent}
    arn = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{group}:*"
    return Created(group, {"Arn": arn}, sent, read)


# AWS managed policies moto cannot attach in the proof: newer than the copy moto bundles
# (moto/iam/aws_managed_policies.py), or bundled but loaded only with MOTO_IAM_LOAD_MANAGED_POLICIES=true, which
# the proof leaves off (it loads every AWS managed policy into every account). The role is replayed without
# them and the read-back checks the others; the least-privilege proof names each one and its trusted service.
MOTO_LACKS_POLICIES = {
    "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers":
        "published July 2025 for ECS blue/green, linear and canary deployments behind a load balancer",
    "arn:aws:iam::aws:policy/service-role/AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity":
        "Service Connect TLS (a service-role policy); the replay's moto does not load its AWS managed policies",
    "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForVpcLattice":
        "published November 2024 for ECS services that register in VPC Lattice target groups",
    "arn:aws:iam::aws:policy/AmazonECSInfrastructureRolePolicyForManagedInstances":
        "bundled, not loaded: the infrastructure role of ECS Managed Instances",
    "arn:aws:iam::aws:policy/AmazonECSInstanceRolePolicyForManagedInstances":
        "bundled, not loaded: the instance role of ECS Managed Instances",
}


def iam_role(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    iam = _client(replay, "iam")
    role_name = props.get("RoleName", name)[:64]
    sent: dict[str, Any] = {"RoleName": role_name,
                            "AssumeRolePolicyDocument": props["AssumeRolePolicyDocument"]}
    if "Description" in props:
        sent["Description"] = props["Description"]
    role = iam.create_role(**{**sent, "AssumeRolePolicyDocument": json.dumps(sent["AssumeRolePolicyDocument"])})["Role"]
    for policy in props.get("Policies", []):
        iam.put_role_policy(RoleName=role_name, PolicyName=policy["PolicyName"],
                            PolicyDocument=json.dumps(policy["PolicyDocument"]))
    attached = [arn for arn in props.get("ManagedPolicyArns", []) if arn not in MOTO_LACKS_POLICIES]
    for arn in attached:
        iam.attach_role_policy(RoleName=role_name, PolicyArn=arn)
    sent["Policies"] = props.get("Policies", [])
    if attached:
        sent["ManagedPolicyArns"] = attached
    back = iam.get_role(RoleName=role_name)["Role"]
    read = {"RoleName": back["RoleName"], "AssumeRolePolicyDocument": back["AssumeRolePolicyDocument"],
            "Policies": [{"PolicyName": p, "PolicyDocument": iam.get_role_policy(RoleName=role_name, PolicyName=p)["PolicyDocument"]}
                         for p in iam.list_role_policies(RoleName=role_name)["PolicyNames"]]}
    if "Description" in sent:
        read["Description"] = back.get("Description")
    if attached:
        read["ManagedPolicyArns"] = [p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"]]
    return Created(role_name, {"Arn": role["Arn"], "RoleId": role["RoleId"]}, sent, read)


def secret(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    sm = _client(replay, "secretsmanager")
    sent = {k: props[k] for k in ("Name", "Description", "SecretString") if k in props}
    sent.setdefault("Name", name)
    arn = sm.create_secret(**sent)["ARN"]
    back = sm.describe_secret(SecretId=arn)
    read = {k: back.get(k) for k in sent if k != "SecretString"}
    if "SecretString" in sent:
        read["SecretString"] = sm.get_secret_value(SecretId=arn)["SecretString"]
    return Created(arn, {"Id": arn}, sent, read)


def ssm_parameter(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    ssm = _client(replay, "ssm")
    sent = {k: props[k] for k in ("Name", "Type", "Value", "Description") if k in props}
    sent.setdefault("Name", f"/{name}")
    ssm.put_parameter(**sent)
    back = ssm.get_parameter(Name=sent["Name"])["Parameter"]
    read = {k: back.get(k) for k in sent if k != "Description"}
    if "Description" in sent:
        described = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [sent["Name"]]}])
        read["Description"] = described["Parameters"][0].get("Description")
    return Created(sent["Name"], {"Type": sent["Type"], "Value": sent["Value"]}, sent, read)


# --- EC2 security groups --------------------------------------------------------------------


def _permission(rule: dict[str, Any]) -> dict[str, Any]:
    """A CloudFormation ingress/egress rule -> an EC2 IpPermission."""
    permission: dict[str, Any] = {"IpProtocol": str(rule["IpProtocol"])}
    if "FromPort" in rule and permission["IpProtocol"] != "-1":  # all protocols: EC2 ignores ports
        permission["FromPort"] = int(rule["FromPort"])
        permission["ToPort"] = int(rule["ToPort"])
    description = {"Description": rule["Description"]} if "Description" in rule else {}
    if "CidrIp" in rule:
        permission["IpRanges"] = [{"CidrIp": rule["CidrIp"], **description}]
    if "CidrIpv6" in rule:
        permission["Ipv6Ranges"] = [{"CidrIpv6": rule["CidrIpv6"], **description}]
    group = rule.get("SourceSecurityGroupId") or rule.get("DestinationSecurityGroupId")
    if group:
        permission["UserIdGroupPairs"] = [{"GroupId": group, **description}]
    prefix = rule.get("SourcePrefixListId") or rule.get("DestinationPrefixListId")
    if prefix:
        permission["PrefixListIds"] = [{"PrefixListId": prefix, **description}]
    return permission


def _group_rules(ec2: Any, group_id: str, key: str) -> list[dict[str, Any]]:
    group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
    return group[key]


def _has_permission(rules: list[dict[str, Any]], wanted: dict[str, Any]) -> bool:
    """The read-back rules contain every address of `wanted` on the same protocol and ports."""
    for rule in rules:
        if all(rule.get(k) == wanted.get(k) for k in ("IpProtocol", "FromPort", "ToPort")):
            sources = ("IpRanges", "Ipv6Ranges", "UserIdGroupPairs", "PrefixListIds")
            if all(all(_contains(rule.get(s, []), _kept(s, item)) for item in wanted.get(s, [])) for s in sources):
                return True
    return False


def rule_exists(ec2: Any, group_id: str, rule: dict[str, Any]) -> bool:
    """A CloudFormation ingress rule (references resolved) is on the group."""
    return _has_permission(_group_rules(ec2, group_id, "IpPermissions"), _permission(rule))


def _kept(source: str, item: dict[str, Any]) -> dict[str, Any]:
    """What moto keeps of a rule's source: a prefix list without its description (moto 5.2 drops it)."""
    return {"PrefixListId": item["PrefixListId"]} if source == "PrefixListIds" else item


def _contains(items: list[dict[str, Any]], wanted: dict[str, Any]) -> bool:
    return any(all(item.get(k) == v for k, v in wanted.items()) for item in items)


def security_group(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    ec2 = _client(replay, "ec2")
    sent: dict[str, Any] = {"GroupName": props.get("GroupName", name), "Description": props["GroupDescription"],
                            "VpcId": props["VpcId"]}
    group_id = ec2.create_security_group(**sent)["GroupId"]
    permissions = [_permission(r) for r in props.get("SecurityGroupIngress", [])]
    if permissions:
        ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=permissions)
    sent["IpPermissions"] = permissions
    back = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
    read = {"GroupName": back["GroupName"], "Description": back["Description"], "VpcId": back["VpcId"],
            "IpPermissions": [p for p in permissions if _has_permission(back["IpPermissions"], p)]}
    return Created(group_id, {"GroupId": group_id, "VpcId": back["VpcId"]}, sent, read)


def _group_rule(direction: str) -> Callable[[Replay, str, dict[str, Any]], Created]:
    key = "IpPermissions" if direction == "ingress" else "IpPermissionsEgress"

    def handler(replay: Replay, name: str, props: dict[str, Any]) -> Created:
        ec2 = _client(replay, "ec2")
        sent = {"GroupId": props["GroupId"], "IpPermissions": [_permission(props)]}
        call = ec2.authorize_security_group_ingress if direction == "ingress" else ec2.authorize_security_group_egress
        rule_id = call(**sent)["SecurityGroupRules"][0]["SecurityGroupRuleId"]
        rules = _group_rules(ec2, props["GroupId"], key)
        read = {"GroupId": props["GroupId"], "IpPermissions": [p for p in sent["IpPermissions"] if _has_permission(rules, p)]}
        return Created(rule_id, {"Id": rule_id}, sent, read)

    return handler


# --- Elastic Load Balancing -----------------------------------------------------------------


def load_balancer(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    elb = _client(replay, "elbv2")
    sent = {k: v for k, v in props.items() if k not in ("LoadBalancerAttributes", "Name")}
    sent["Name"] = props.get("Name", _elb_name(name))
    lb = elb.create_load_balancer(**sent)["LoadBalancers"][0]
    arn = lb["LoadBalancerArn"]
    if props.get("LoadBalancerAttributes"):
        elb.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=props["LoadBalancerAttributes"])
    back = elb.describe_load_balancers(LoadBalancerArns=[arn])["LoadBalancers"][0]
    read = {k: back.get(k) for k in sent}
    read["Name"] = back["LoadBalancerName"]
    if "Subnets" in sent:
        read["Subnets"] = sorted(z["SubnetId"] for z in back["AvailabilityZones"])
        sent["Subnets"] = sorted(sent["Subnets"])
    if "Tags" in sent:
        read["Tags"] = elb.describe_tags(ResourceArns=[arn])["TagDescriptions"][0]["Tags"]
    attributes = {"DNSName": lb["DNSName"], "CanonicalHostedZoneID": lb["CanonicalHostedZoneId"],
                  "LoadBalancerFullName": arn.split(":loadbalancer/", 1)[1], "LoadBalancerName": lb["LoadBalancerName"],
                  "LoadBalancerArn": arn, "SecurityGroups": back.get("SecurityGroups", [])}
    return Created(arn, attributes, sent, read)


def _elb_name(name: str) -> str:
    """ELB and target-group names: at most 32 alphanumerics and hyphens, unique per replay."""
    import hashlib

    clean = "".join(c if c.isalnum() else "-" for c in name).strip("-")
    return clean if len(clean) <= 32 else clean[:25].rstrip("-") + "-" + hashlib.sha256(name.encode()).hexdigest()[:6]


def target_group(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    elb = _client(replay, "elbv2")
    sent = {k: v for k, v in props.items() if k not in ("TargetGroupAttributes", "Targets")}
    sent["Name"] = props.get("Name", _elb_name(name))
    group = elb.create_target_group(**sent)["TargetGroups"][0]
    arn = group["TargetGroupArn"]
    attributes = props.get("TargetGroupAttributes", [])
    if attributes:
        elb.modify_target_group_attributes(TargetGroupArn=arn, Attributes=attributes)
    back = elb.describe_target_groups(TargetGroupArns=[arn])["TargetGroups"][0]
    read = {k: back.get(k) for k in sent}
    read["Name"] = back["TargetGroupName"]
    if "Tags" in sent:
        read["Tags"] = elb.describe_tags(ResourceArns=[arn])["TagDescriptions"][0]["Tags"]
    if attributes:
        stored = {a["Key"]: a["Value"] for a in elb.describe_target_group_attributes(TargetGroupArn=arn)["Attributes"]}
        sent["TargetGroupAttributes"] = attributes
        read["TargetGroupAttributes"] = [{"Key": a["Key"], "Value": stored.get(a["Key"])} for a in attributes]
    return Created(arn, {"TargetGroupArn": arn, "TargetGroupFullName": arn.split(":", 5)[5],
                         "TargetGroupName": group["TargetGroupName"], "LoadBalancerArns": back.get("LoadBalancerArns", [])},
                   sent, read)


def _action_read(action: dict[str, Any], sent: dict[str, Any]) -> dict[str, Any]:
    """moto adds a ForwardConfig and an Order to actions, and stickiness off to a ForwardConfig that was sent;
    keep only what was sent."""
    read = {k: action.get(k) for k in sent}
    forward = read.get("ForwardConfig")
    if isinstance(forward, dict) and "TargetGroupStickinessConfig" not in sent["ForwardConfig"] \
            and forward.get("TargetGroupStickinessConfig") == {"Enabled": False}:
        read["ForwardConfig"] = {k: v for k, v in forward.items() if k != "TargetGroupStickinessConfig"}
    return read


def listener(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    elb = _client(replay, "elbv2")
    sent = dict(props)
    arn = elb.create_listener(**sent)["Listeners"][0]["ListenerArn"]
    back = elb.describe_listeners(ListenerArns=[arn])["Listeners"][0]
    read = {k: back.get(k) for k in sent}
    read["DefaultActions"] = [_action_read(a, s) for a, s in zip(back["DefaultActions"], sent["DefaultActions"], strict=False)]
    return Created(arn, {"ListenerArn": arn}, sent, read)


def listener_rule(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    elb = _client(replay, "elbv2")
    sent = dict(props)
    arn = elb.create_rule(**sent)["Rules"][0]["RuleArn"]
    back = elb.describe_rules(RuleArns=[arn])["Rules"][0]
    read = {k: back.get(k) for k in sent if k != "ListenerArn"}
    read["Priority"] = int(back["Priority"])
    read["Actions"] = [_action_read(a, s) for a, s in zip(back["Actions"], sent["Actions"], strict=False)]
    read["Conditions"] = [{k: c.get(k) for k in s} for c, s in zip(back["Conditions"], sent["Conditions"], strict=False)]
    read["ListenerArn"] = sent["ListenerArn"] if arn.replace(":listener-rule/", ":listener/").startswith(
        sent["ListenerArn"]) else arn
    return Created(arn, {"RuleArn": arn, "IsDefault": False}, sent, read)


def listener_certificate(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    elb = _client(replay, "elbv2")
    sent = dict(props)
    elb.add_listener_certificates(**sent)
    stored = elb.describe_listener_certificates(ListenerArn=sent["ListenerArn"])["Certificates"]
    read = {"ListenerArn": sent["ListenerArn"],
            "Certificates": [c for c in sent["Certificates"] if any(s["CertificateArn"] == c["CertificateArn"] for s in stored)]}
    return Created(sent["ListenerArn"], {}, sent, read)


# --- Application Auto Scaling ---------------------------------------------------------------


def scalable_target(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    aas = _client(replay, "application-autoscaling")
    keys = ("ServiceNamespace", "ResourceId", "ScalableDimension", "MinCapacity", "MaxCapacity", "RoleARN",
            "SuspendedState")
    sent = {k: props[k] for k in keys if k in props}
    aas.register_scalable_target(**sent)
    ident = {k: sent[k] for k in ("ServiceNamespace", "ResourceId", "ScalableDimension")}
    for action in props.get("ScheduledActions", []):
        aas.put_scheduled_action(**ident, **action)
    back = aas.describe_scalable_targets(ServiceNamespace=sent["ServiceNamespace"], ResourceIds=[sent["ResourceId"]],
                                         ScalableDimension=sent["ScalableDimension"])["ScalableTargets"][0]
    read = {k: back.get(k) for k in sent}
    if props.get("ScheduledActions"):
        sent["ScheduledActions"] = props["ScheduledActions"]
        stored = aas.describe_scheduled_actions(ServiceNamespace=sent["ServiceNamespace"],
                                                ResourceId=sent["ResourceId"])["ScheduledActions"]
        read["ScheduledActions"] = [{k: s.get(k) for k in a} for a in props["ScheduledActions"]
                                    for s in stored if s["ScheduledActionName"] == a["ScheduledActionName"]]
    ref = "|".join([sent["ResourceId"], sent["ScalableDimension"], sent["ServiceNamespace"]])
    return Created(ref, {}, sent, read)


def scaling_policy(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    aas = _client(replay, "application-autoscaling")
    sent = {k: v for k, v in props.items() if k != "ScalingTargetId"}
    if "ScalingTargetId" in props:
        resource, dimension, namespace = props["ScalingTargetId"].split("|")
        sent.update(ResourceId=resource, ScalableDimension=dimension, ServiceNamespace=namespace)
    arn = aas.put_scaling_policy(**sent)["PolicyARN"]
    policies = aas.describe_scaling_policies(ServiceNamespace=sent["ServiceNamespace"], ResourceId=sent["ResourceId"],
                                             PolicyNames=[sent["PolicyName"]])["ScalingPolicies"]
    back = next(p for p in policies if p["PolicyName"] == sent["PolicyName"])  # moto ignores PolicyNames
    read = {k: back.get(k) for k in sent}
    return Created(arn, {"Arn": arn}, sent, read)


# --- EFS --------------------------------------------------------------------------------------


def efs_file_system(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    efs = _client(replay, "efs")
    keys = ("PerformanceMode", "Encrypted", "KmsKeyId", "ThroughputMode", "ProvisionedThroughputInMibps",
            "AvailabilityZoneName")
    sent: dict[str, Any] = {"CreationToken": name, **{k: props[k] for k in keys if k in props}}
    if props.get("FileSystemTags"):
        sent["Tags"] = props["FileSystemTags"]
    fs = efs.create_file_system(**sent)
    fs_id = fs["FileSystemId"]
    if props.get("LifecyclePolicies"):
        efs.put_lifecycle_configuration(FileSystemId=fs_id, LifecyclePolicies=props["LifecyclePolicies"])
    back = efs.describe_file_systems(FileSystemId=fs_id)["FileSystems"][0]
    read = {k: back.get(k) for k in sent}
    if "BackupPolicy" in props:  # listed in DROPPED: sent, not stored
        sent["BackupPolicy"] = props["BackupPolicy"]
    if "Tags" in sent:
        read["Tags"] = [t for t in back.get("Tags", []) if t in sent["Tags"]]
    return Created(fs_id, {"FileSystemId": fs_id, "Arn": back["FileSystemArn"]}, sent, read)


def efs_mount_target(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    efs = _client(replay, "efs")
    sent = {k: props[k] for k in ("FileSystemId", "SubnetId", "SecurityGroups", "IpAddress") if k in props}
    target = efs.create_mount_target(**sent)
    target_id = target["MountTargetId"]
    back = efs.describe_mount_targets(MountTargetId=target_id)["MountTargets"][0]
    read = {k: back.get(k) for k in sent if k != "SecurityGroups"}
    if "SecurityGroups" in sent:
        read["SecurityGroups"] = efs.describe_mount_target_security_groups(MountTargetId=target_id)["SecurityGroups"]
    return Created(target_id, {"Id": target_id, "IpAddress": back.get("IpAddress")}, sent, read)


def _ints(value: Any) -> Any:
    """CloudFormation gives EFS POSIX ids as strings; the API takes integers."""
    if isinstance(value, dict):
        return {k: (int(v) if k in ("Uid", "Gid", "OwnerUid", "OwnerGid") else _ints(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [int(v) if isinstance(v, str) and v.isdigit() else _ints(v) for v in value]
    return value


def efs_access_point(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    efs = _client(replay, "efs")
    sent: dict[str, Any] = {"ClientToken": props.get("ClientToken", name), "FileSystemId": props["FileSystemId"]}
    for key in ("PosixUser", "RootDirectory"):
        if key in props:
            sent[key] = _ints(props[key])
    if props.get("AccessPointTags"):
        sent["Tags"] = props["AccessPointTags"]
    point = efs.create_access_point(**sent)
    back = efs.describe_access_points(AccessPointId=point["AccessPointId"])["AccessPoints"][0]
    read = {k: back.get(k) for k in sent}
    return Created(point["AccessPointId"], {"AccessPointId": point["AccessPointId"], "Arn": point["AccessPointArn"]},
                   sent, read)


# --- EventBridge Scheduler ------------------------------------------------------------------


def cloudwatch_alarm(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    cloudwatch = _client(replay, "cloudwatch")
    sent = {"AlarmName": props.get("AlarmName", name), **{k: v for k, v in props.items() if k != "AlarmName"}}
    cloudwatch.put_metric_alarm(**sent)
    back = cloudwatch.describe_alarms(AlarmNames=[sent["AlarmName"]])["MetricAlarms"][0]
    read = {k: back.get(k) for k in sent}
    read["Metrics"] = [{k: m.get(k) for k in s} for m, s in zip(back.get("Metrics", []), sent.get("Metrics", []), strict=False)]
    return Created(sent["AlarmName"], {"Arn": back["AlarmArn"]}, sent, read)


def schedule(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    scheduler = _client(replay, "scheduler")
    sent = json.loads(json.dumps(props))
    ecs = sent.get("Target", {}).get("EcsParameters", {})
    network = ecs.get("NetworkConfiguration", {})
    if "AwsvpcConfiguration" in network:  # the Scheduler API spells the ECS members in camel case
        network["awsvpcConfiguration"] = network.pop("AwsvpcConfiguration")
    for key in ("CapacityProviderStrategy", "PlacementConstraints", "PlacementStrategy"):
        if key in ecs:
            ecs[key] = api_shape(ecs[key])
    sent.setdefault("Name", name[:64])
    arn = scheduler.create_schedule(**sent)["ScheduleArn"]
    back = scheduler.get_schedule(Name=sent["Name"], **({"GroupName": sent["GroupName"]} if "GroupName" in sent else {}))
    read = {k: back.get(k) for k in sent}
    return Created(sent["Name"], {"Arn": arn}, sent, read)


# --- VPC Lattice ------------------------------------------------------------------------------
# moto's CloudFormation models no AWS::VpcLattice::* type (moto_types() has none), so a stack replays them
# through the SDK before or after the moto stack (aws_stacks.split_by_support). moto's vpc-lattice API (5.2)
# finds resources by id only, not by the ARN a CloudFormation Ref gives, and has no GetRule or ListRules:
# a rule's read-back is its create response (LATTICE_NOT_READ). The API requires the names CloudFormation
# makes up when a template leaves them out: the handlers make them up from the logical id.
LATTICE_NOT_READ = {"AWS::VpcLattice::Rule": "moto has no GetRule or ListRules: the create response stands for the read-back"}


def _lattice_id(value: str) -> str:
    """A Lattice ARN (what Ref gives) -> the id moto looks resources up by; an id stays as it is."""
    return value.rsplit("/", 1)[-1]


def _lattice_name(name: str, limit: int = 40) -> str:
    """What CloudFormation names a Lattice resource the template leaves unnamed: a-z, 0-9, single hyphens."""
    clean = re.sub("-{2,}", "-", re.sub("[^a-z0-9-]+", "-", name.lower()))
    return clean[-limit:].strip("-")


def _lattice_request(props: dict[str, Any], name: str, *identifiers: str) -> dict[str, Any]:
    sent = api_shape(props)
    sent.setdefault("name", _lattice_name(name))
    for key in identifiers:
        sent[key] = _lattice_id(sent[key])
    return dict(sent)


def _answer(response: dict[str, Any], sent: dict[str, Any]) -> dict[str, Any]:
    return {k: response.get(k) for k in sent}


def lattice_service_network(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    lattice = _client(replay, "vpc-lattice")
    sent = _lattice_request(props, name)
    made = lattice.create_service_network(**sent)
    back = lattice.get_service_network(serviceNetworkIdentifier=made["id"])
    return Created(made["arn"], {"Arn": made["arn"], "Id": made["id"]}, sent, _answer(back, sent))


def lattice_vpc_association(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    lattice = _client(replay, "vpc-lattice")
    sent = {k: v for k, v in _lattice_request(props, name, "serviceNetworkIdentifier").items() if k != "name"}
    made = lattice.create_service_network_vpc_association(**sent)
    items = lattice.list_service_network_vpc_associations(serviceNetworkIdentifier=sent["serviceNetworkIdentifier"])
    back = next(i for i in items["items"] if i["id"] == made["id"])
    read = {"serviceNetworkIdentifier": back["serviceNetworkId"], "vpcIdentifier": back["vpcId"]}
    return Created(made["arn"], {"Arn": made["arn"], "Id": made["id"]}, sent, read)


def lattice_service(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    lattice = _client(replay, "vpc-lattice")
    sent = _lattice_request(props, name)
    made = lattice.create_service(**sent)
    back = lattice.get_service(serviceIdentifier=made["id"])
    return Created(made["arn"], {"Arn": made["arn"], "Id": made["id"]}, sent, _answer(back, sent))


def lattice_service_association(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    lattice = _client(replay, "vpc-lattice")
    sent = {k: v for k, v in _lattice_request(props, name, "serviceNetworkIdentifier", "serviceIdentifier").items()
            if k != "name"}
    made = lattice.create_service_network_service_association(**sent)
    back = lattice.get_service_network_service_association(serviceNetworkServiceAssociationIdentifier=made["id"])
    read = {"serviceNetworkIdentifier": back["serviceNetworkId"], "serviceIdentifier": back["serviceId"]}
    return Created(made["arn"], {"Arn": made["arn"], "Id": made["id"]}, sent, read)


def lattice_target_group(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    lattice = _client(replay, "vpc-lattice")
    sent = _lattice_request(props, name)
    made = lattice.create_target_group(**sent)
    back = lattice.get_target_group(targetGroupIdentifier=made["id"])
    return Created(made["arn"], {"Arn": made["arn"], "Id": made["id"]}, sent, _answer(back, sent))


def lattice_listener(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    lattice = _client(replay, "vpc-lattice")
    sent = _lattice_request(props, name, "serviceIdentifier")
    made = lattice.create_listener(**sent)
    back = lattice.get_listener(serviceIdentifier=sent["serviceIdentifier"], listenerIdentifier=made["id"])
    read = {**_answer(back, sent), "serviceIdentifier": back["serviceId"]}
    return Created(made["arn"], {"Arn": made["arn"], "Id": made["id"]}, sent, read)


def lattice_rule(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    lattice = _client(replay, "vpc-lattice")
    sent = _lattice_request(props, name, "serviceIdentifier", "listenerIdentifier")
    made = lattice.create_rule(**sent)  # LATTICE_NOT_READ: the create response is all moto gives back
    read = {**_answer(made, sent), "serviceIdentifier": sent["serviceIdentifier"],
            "listenerIdentifier": sent["listenerIdentifier"]}
    return Created(made["arn"], {"Arn": made["arn"], "Id": made["id"]}, sent, read)


def lattice_auth_policy(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    """The policy document goes to the API as JSON text, its keys as written (IAM's, not CloudFormation's)."""
    lattice = _client(replay, "vpc-lattice")
    identifier = _lattice_id(props["ResourceIdentifier"])
    sent = {"resourceIdentifier": identifier, "policy": json.dumps(props["Policy"])}
    lattice.put_auth_policy(**sent)
    back = lattice.get_auth_policy(resourceIdentifier=identifier)
    read = {"resourceIdentifier": identifier, "policy": json.dumps(json.loads(back["policy"]))}
    return Created(identifier, {}, sent, read)


def lattice_access_log_subscription(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    lattice = _client(replay, "vpc-lattice")
    sent = {k: v for k, v in _lattice_request(props, name, "resourceIdentifier").items() if k != "name"}
    made = lattice.create_access_log_subscription(**sent)
    back = lattice.get_access_log_subscription(accessLogSubscriptionIdentifier=made["id"])
    read = {"resourceIdentifier": back["resourceId"], "destinationArn": back["destinationArn"]}
    return Created(made["arn"], {"Arn": made["arn"], "Id": made["id"]}, sent, read)


def instance_profile(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    iam = _client(replay, "iam")
    profile_name = props.get("InstanceProfileName", name)[:128]
    sent = {"InstanceProfileName": profile_name, "Roles": props["Roles"]}
    arn = iam.create_instance_profile(InstanceProfileName=profile_name)["InstanceProfile"]["Arn"]
    for role in props["Roles"]:
        iam.add_role_to_instance_profile(InstanceProfileName=profile_name, RoleName=role)
    back = iam.get_instance_profile(InstanceProfileName=profile_name)["InstanceProfile"]
    read = {"InstanceProfileName": back["InstanceProfileName"], "Roles": [r["RoleName"] for r in back["Roles"]]}
    return Created(profile_name, {"Arn": arn}, sent, read)


# --- Types moto does not model ---------------------------------------------------------------
# moto 5.x has no ECS Managed Instances capacity providers (its CreateCapacityProvider takes only an Auto
# Scaling group), so it can neither associate them with a cluster, and it has no managed daemons. Their
# requests are built as CloudFormation sends them and checked against botocore's ECS model (members,
# types, required members, enums), which knows these operations; nothing is created, so nothing is read
# back, and the deploy proof says which resources it only validated (`validated_only`).
NOT_MODELLED: dict[str, tuple[str, str]] = {
    "AWS::ECS::CapacityProvider": ("CreateCapacityProvider", "moto creates only Auto Scaling group providers"),
    "AWS::ECS::ClusterCapacityProviderAssociations": (
        "PutClusterCapacityProviders", "moto cannot associate the Managed Instances providers it lacks"),
    "AWS::ECS::DaemonTaskDefinition": ("RegisterDaemonTaskDefinition", "moto has no managed daemons"),
    "AWS::ECS::Daemon": ("CreateDaemon", "moto has no managed daemons"),
}


def _validated(kind: str, sent: dict[str, Any], ref: str) -> Created:
    from tests.support.validation import request_errors

    operation = NOT_MODELLED[kind][0]
    errors = request_errors("ecs", operation, sent)
    if errors:
        raise ReplayError(f"{operation} refuses the request of a {kind}: {errors}")
    return Created(ref, {"Arn": ref}, sent, sent)


def managed_capacity_provider(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    sent = {"name": name[:255], "cluster": props["ClusterName"],
            "managedInstancesProvider": api_shape(props["ManagedInstancesProvider"])}
    if props.get("Tags"):
        sent["tags"] = _tags_api(props["Tags"])
    return _validated("AWS::ECS::CapacityProvider", sent, sent["name"])


def capacity_provider_associations(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    sent = api_shape(props)
    return _validated("AWS::ECS::ClusterCapacityProviderAssociations", sent, sent["cluster"])


def daemon_task_definition(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    sent = task_definition_request(props)
    arn = f"arn:aws:ecs:{REGION}:{ACCOUNT}:daemon-task-definition/{sent['family']}:1"
    return _validated("AWS::ECS::DaemonTaskDefinition", sent, arn)


def daemon(replay: Replay, name: str, props: dict[str, Any]) -> Created:
    sent = api_shape(props)
    sent["tags"] = _tags_api(props.get("Tags"))
    arn = f"arn:aws:ecs:{REGION}:{ACCOUNT}:daemon/{sent['daemonName']}"
    return _validated("AWS::ECS::Daemon", sent, arn)


HANDLERS: dict[str, Callable[[Replay, str, dict[str, Any]], Created]] = {
    "AWS::ECS::Cluster": ecs_cluster,
    "AWS::ECS::TaskDefinition": ecs_task_definition,
    "AWS::ECS::Service": ecs_service,
    "AWS::ServiceDiscovery::HttpNamespace": http_namespace,
    "AWS::ServiceDiscovery::PrivateDnsNamespace": private_dns_namespace,
    "AWS::ServiceDiscovery::Service": discovery_service,
    "AWS::ServiceDiscovery::Instance": discovery_instance,
    "AWS::Logs::LogGroup": log_group,
    "AWS::IAM::Role": iam_role,
    "AWS::SecretsManager::Secret": secret,
    "AWS::SSM::Parameter": ssm_parameter,
    "AWS::EC2::SecurityGroup": security_group,
    "AWS::EC2::SecurityGroupIngress": _group_rule("ingress"),
    "AWS::EC2::SecurityGroupEgress": _group_rule("egress"),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": load_balancer,
    "AWS::ElasticLoadBalancingV2::TargetGroup": target_group,
    "AWS::ElasticLoadBalancingV2::Listener": listener,
    "AWS::ElasticLoadBalancingV2::ListenerRule": listener_rule,
    "AWS::ElasticLoadBalancingV2::ListenerCertificate": listener_certificate,
    "AWS::ApplicationAutoScaling::ScalableTarget": scalable_target,
    "AWS::ApplicationAutoScaling::ScalingPolicy": scaling_policy,
    "AWS::EFS::FileSystem": efs_file_system,
    "AWS::EFS::MountTarget": efs_mount_target,
    "AWS::EFS::AccessPoint": efs_access_point,
    "AWS::Scheduler::Schedule": schedule,
    "AWS::CloudWatch::Alarm": cloudwatch_alarm,
    "AWS::VpcLattice::ServiceNetwork": lattice_service_network,
    "AWS::VpcLattice::ServiceNetworkVpcAssociation": lattice_vpc_association,
    "AWS::VpcLattice::Service": lattice_service,
    "AWS::VpcLattice::ServiceNetworkServiceAssociation": lattice_service_association,
    "AWS::VpcLattice::TargetGroup": lattice_target_group,
    "AWS::VpcLattice::Listener": lattice_listener,
    "AWS::VpcLattice::Rule": lattice_rule,
    "AWS::VpcLattice::AuthPolicy": lattice_auth_policy,
    "AWS::VpcLattice::AccessLogSubscription": lattice_access_log_subscription,
    "AWS::IAM::InstanceProfile": instance_profile,
    "AWS::ECS::CapacityProvider": managed_capacity_provider,
    "AWS::ECS::ClusterCapacityProviderAssociations": capacity_provider_associations,
    "AWS::ECS::DaemonTaskDefinition": daemon_task_definition,
    "AWS::ECS::Daemon": daemon,
}
