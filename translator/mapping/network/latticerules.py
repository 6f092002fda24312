"""Gateway API route matches to VPC Lattice rule matches, and route weights to Lattice weights.

A VPC Lattice rule matches one path (exact or prefix, case-sensitive or not), up to 5 headers and one
method (AWS::VpcLattice::Rule HttpMatch in the CloudFormation schema), so each route match becomes one
rule, as the AWS Gateway API Controller for VPC Lattice does (docs/vpc-lattice.md):
- path: Exact -> Exact, PathPrefix -> Prefix (a string prefix: `/v1` also matches `/v10`), both
  case-sensitive as in the Gateway API; RegularExpression has no Lattice form;
- GRPCRoute method: service and method -> Exact `/pkg.Service/Method`, service alone -> Prefix
  `/pkg.Service/`, neither -> Prefix `/`; a method without its service has no Lattice form;
- headers -> Exact header matches (names of at most 40 characters, values of at most 128);
- method -> the rule's method, one of the eight Lattice knows (PATCH is not among them);
- query parameters have no Lattice form.
A match Lattice cannot express raises `Unroutable` with what to do; the caller reports it.
"""

from __future__ import annotations

import re

from translator.mapping.network.ingressrules import Unroutable
from translator.model.app import RouteMatch
from translator.model.ecs import LatticeHeaderMatch, LatticeHttpMatch, LatticeMatchValue, LatticePathMatch, LatticeRuleMatch

MAX_HEADER_MATCHES = 5  # per rule [schema HttpMatch.HeaderMatches]
MAX_HEADER_NAME = 40  # characters [schema HeaderMatch.Name]
MAX_VALUE = 128  # characters of a path or header value [schema PathMatchType, HeaderMatchType]
MAX_TARGET_GROUPS = 10  # per forward action [schema Forward.TargetGroups]
MAX_WEIGHT = 999  # of a target group in a forward action [schema WeightedTargetGroup.Weight]
METHODS = ("CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "TRACE")  # [schema HttpMatch.Method]
_PATH = r"/[a-zA-Z0-9@:%_+.~#?&/=-]*"  # [schema PathMatchType], compiled by `re` on first use
_KEEP_ON_ALB = "or keep this Gateway on an ALB (gateway_target: load-balancer)"


def lattice_match(match: RouteMatch, kind: str) -> LatticeRuleMatch:
    """The Lattice rule match of one route match; `Unroutable` when Lattice cannot express it."""
    if match.queries:
        raise Unroutable("it matches query parameters, which VPC Lattice rules cannot",
                         f"Check the query parameter in the application, {_KEEP_ON_ALB}; the match was left out.")
    path = _grpc_path(match) if kind == "GRPCRoute" else _http_path(match)
    return LatticeRuleMatch(LatticeHttpMatch(path_match=path, header_matches=_headers(match), method=_method(match)))


def _http_path(match: RouteMatch) -> LatticePathMatch:
    if match.path_type == "RegularExpression":
        raise Unroutable(f"the path {match.path!r} is a RegularExpression match, which VPC Lattice rules cannot express",
                         f"Rewrite it as Exact or PathPrefix matches, {_KEEP_ON_ALB}; the match was left out.")
    value = _path_value(match.path)
    return LatticePathMatch(LatticeMatchValue(exact=value) if match.path_type == "Exact" else LatticeMatchValue(prefix=value))


def _grpc_path(match: RouteMatch) -> LatticePathMatch:
    if match.grpc_type == "RegularExpression":
        raise Unroutable("the method is a RegularExpression match, which VPC Lattice rules cannot express",
                         "Match exact services and methods; the match was left out.")
    if match.grpc_method and not match.service:
        raise Unroutable(f"it matches method {match.grpc_method} of any service, and a Lattice path match has no suffix form",
                         "Name the service of the method; the match was left out.")
    if match.grpc_method:
        return LatticePathMatch(LatticeMatchValue(exact=_path_value(f"/{match.service}/{match.grpc_method}")))
    return LatticePathMatch(LatticeMatchValue(prefix=_path_value(f"/{match.service}/" if match.service else "/")))


def _path_value(path: str) -> str:
    if len(path) > MAX_VALUE or not re.fullmatch(_PATH, path):
        raise Unroutable(f"the path {path[:60]!r} is longer than {MAX_VALUE} characters or holds characters a "
                         "Lattice path match refuses",
                         "Write the path with letters, digits and @ : % _ + . ~ # ? & / = -; the match was left out.")
    return path


def _headers(match: RouteMatch) -> tuple[LatticeHeaderMatch, ...] | None:
    if len(match.headers) > MAX_HEADER_MATCHES:
        raise Unroutable(f"it matches {len(match.headers)} headers; a Lattice rule matches at most {MAX_HEADER_MATCHES}",
                         "Split the match into matches with fewer headers; the match was left out.")
    out = []
    for h in match.headers:
        if h.type == "RegularExpression":
            raise Unroutable(f"header {h.name} is a RegularExpression match, which VPC Lattice rules cannot express",
                             "Match an exact header value; the match was left out.")
        if len(h.name) > MAX_HEADER_NAME or not 1 <= len(h.value) <= MAX_VALUE:
            raise Unroutable(f"header {h.name[:60]} has a name over {MAX_HEADER_NAME} or a value over {MAX_VALUE} characters",
                             "Shorten the header name or value; the match was left out.")
        out.append(LatticeHeaderMatch(h.name, LatticeMatchValue(exact=h.value)))
    return tuple(out) or None


def _method(match: RouteMatch) -> str | None:
    if not match.method:
        return None
    if match.method not in METHODS:
        raise Unroutable(f"method {match.method} is not one a Lattice rule matches ({', '.join(METHODS)})",
                         f"Match the path only and check the method in the application, {_KEEP_ON_ALB}; "
                         "the match was left out.")
    return match.method


def scaled(weights: list[int]) -> list[int]:
    """Route weights in the Lattice range 0-999, in the same proportions as whole numbers allow."""
    top = max(weights, default=0)
    return weights if top <= MAX_WEIGHT else [round(w * MAX_WEIGHT / top) for w in weights]
