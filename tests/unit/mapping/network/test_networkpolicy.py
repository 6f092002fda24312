"""NetworkPolicy to security groups: isolation, sources, ports and exact findings."""

from __future__ import annotations

from tests.support.manifests import deployment
from translator.api import translate_text
from translator.model.ecs import EcsService, SecurityGroupIngress
from translator.model.intrinsics import GetAtt

APP = deployment("db", labels="tier: data", containers="""\
      containers:
        - {name: db, image: postgres, ports: [{name: sql, containerPort: 5432}], resources: {limits: {memory: 1Gi}}}
""") + "---\n" + deployment(containers="""\
      containers:
        - {name: api, image: api, ports: [{containerPort: 8080}], resources: {limits: {memory: 1Gi}}}
""") + "---\n"

POLICY = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector:
    matchExpressions:
      - {key: tier, operator: In, values: [data]}
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - podSelector: {matchLabels: {app: api}}
        - podSelector: {matchLabels: {app: nobody}}
        - namespaceSelector: {matchLabels: {team: ops}}
        - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
      ports:
        - {port: sql}
        - {port: nosuch}
        - {protocol: SCTP, port: 9}
        - {port: 6000, endPort: 6010}
  egress:
    - to: [{podSelector: {matchLabels: {app: api}}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ghost, namespace: shop}
spec:
  podSelector: {matchLabels: {app: ghost}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: elsewhere, namespace: empty}
spec:
  podSelector: {}
"""


def _result():  # type: ignore[no-untyped-def]
    return translate_text(APP + POLICY, name="app.yaml")


def test_exact_findings() -> None:
    found = {(f.code, f.location.line, f.location.pointer) for f in _result().findings if "K2E446" <= f.code < "K2E460"}
    assert found == {
        ("K2E450", 23, "/"),
        ("K2E455", 23, "/"),  # egress to the api only: not translated
        ("K2E452", 34, "/spec/ingress/0/from/1"),  # app=nobody matches no ECS service
        ("K2E453", 35, "/spec/ingress/0/from/2"),  # another namespace
        ("K2E454", 36, "/spec/ingress/0/from/3"),  # except cannot be denied
        ("K2E456", 39, "/spec/ingress/0/ports/1"),  # no container port named nosuch
        ("K2E457", 40, "/spec/ingress/0/ports/2"),  # SCTP
        ("K2E451", 45, "/"),  # selects no workload
        ("K2E446", 51, "/"),  # a namespace without workloads
    }, sorted(found)


def test_isolated_service_gets_its_own_group_and_the_sources_theirs() -> None:
    result = _result()
    resources = {r.logical_id: r for s in result.stacks for r in s.resources}
    db, api = resources["DbService"], resources["ApiService"]
    assert isinstance(db, EcsService) and isinstance(api, EcsService)
    groups = [g.logical_id for g in db.security_groups if isinstance(g, GetAtt)]
    # out of the namespace group that admits everyone, into the one the namespace admits as a source
    assert groups == ["DbSecurityGroup", "IsolatedServicesSecurityGroup"]
    assert api.security_groups == (GetAtt("ServicesSecurityGroup", "GroupId"), GetAtt("ApiSecurityGroup", "GroupId"))
    rules = sorted((*_rule(r), r.from_port, r.to_port) for r in resources.values() if isinstance(r, SecurityGroupIngress))
    assert rules == [
        ("DbSecurityGroup", "10.0.0.0/8", "tcp", 5432, 5432),
        ("DbSecurityGroup", "10.0.0.0/8", "tcp", 6000, 6010),
        ("DbSecurityGroup", "ApiSecurityGroup", "tcp", 5432, 5432),
        ("DbSecurityGroup", "ApiSecurityGroup", "tcp", 6000, 6010),
        ("ServicesSecurityGroup", "IsolatedServicesSecurityGroup", "tcp", 0, 65535),  # db still reaches the namespace
        ("ServicesSecurityGroup", "ServicesSecurityGroup", "tcp", 0, 65535),
    ]


def test_default_deny_and_allow_all() -> None:
    text = APP + """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: open-api, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{}]
  egress: [{}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-only, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Egress]
  egress: [{}]
"""
    result = translate_text(text, name="app.yaml")
    rules = sorted(_rule(r) for s in result.stacks for r in s.resources
                   if isinstance(r, SecurityGroupIngress) and r.group_id.logical_id != "ServicesSecurityGroup")
    assert rules == [("ApiSecurityGroup", "0.0.0.0/0", "-1")]  # db admits nothing, api everything
    messages = sorted(f.message for f in result.findings if f.code in ("K2E450", "K2E455")
                      or (f.resource.startswith("NetworkPolicy") and f.code == "K2E102"))
    assert messages == ["NetworkPolicy deny isolates api, db: no source (all ingress denied)",
                        "NetworkPolicy egress-only carries no ECS resource of its own: it allows all egress of db, as "
                        "security groups do",
                        "NetworkPolicy open-api isolates api: every source on every port"]


def _rule(r: SecurityGroupIngress) -> tuple[str, str, str]:
    """(group, source group or CIDR block, protocol) of a rule."""
    source = r.source_security_group_id.logical_id if r.source_security_group_id else r.cidr_ip or r.cidr_ipv6 or ""
    return r.group_id.logical_id, source, r.ip_protocol
