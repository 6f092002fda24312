"""Security-group rules as separate resources: from another group of the stack or from a CIDR block."""

from __future__ import annotations

from translator.model.ecs import Metadata, SecurityGroupIngress
from translator.model.intrinsics import GetAtt

DESCRIPTION_LIMIT = 255  # characters EC2 keeps of a group's or a rule's description


def ingress(logical_id: str, group: str, source: str, description: str, protocol: str = "tcp", from_port: int = 0,
            to_port: int = 65535, metadata: Metadata | None = None) -> SecurityGroupIngress:
    """A rule of security group `group` (a logical id) admitting `source`, the logical id of a security
    group or a CIDR block (IPv6 when it holds a colon); protocol "-1" (every protocol) takes no ports."""
    cidr = "/" in source
    ports = protocol != "-1"
    return SecurityGroupIngress(
        logical_id, metadata=metadata or Metadata(), group_id=GetAtt(group, "GroupId"),
        cidr_ip=source if cidr and ":" not in source else None, cidr_ipv6=source if cidr and ":" in source else None,
        source_security_group_id=None if cidr else GetAtt(source, "GroupId"), ip_protocol=protocol,
        from_port=from_port if ports else None, to_port=to_port if ports else None,
        description=description[:DESCRIPTION_LIMIT])
