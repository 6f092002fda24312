"""The translation pipeline, pure: no printing, no exiting, no writing, no global state.

load -> parse (recording reader) -> sweep -> decide -> map -> check -> render
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from translator.checks import deploy as checks
from translator.coverage.sweep import sweep
from translator.coverage.usage import fields_used
from translator.findings.model import Finding, FindingSink, Location
from translator.k8s import naming, rollout, unsupported
from translator.k8s.registry import SHARED_KINDS, parser_for, unserved_version
from translator.mapping.context import MapContext
from translator.mapping.decisions import Decision, decisions, report_decisions
from translator.mapping.network import (
    gateway,
    ingress,
    latticepolicies,
    meshreport,
    networking,
    networkpolicy,
    reachability,
    targetpolicies,
)
from translator.mapping.network.reachability import Call
from translator.mapping.outputs import add_outputs
from translator.mapping.service import capacity, delivery, disruption, scaling
from translator.mapping.stackbuilder import StackBuilder
from translator.mapping.stacks import build_stack
from translator.mapping.task import secrets, vertical
from translator.model.app import Application
from translator.model.ecs import Stack, TaskDefinition
from translator.nextsteps.build import Placed, next_steps
from translator.nextsteps.markdown import render as render_next_steps
from translator.nextsteps.model import NextSteps
from translator.options import Options
from translator.outnames import FileNames, check_paths
from translator.render.cloudformation import ResourceTexts, render_stack
from translator.render.crossrefs import import_names
from translator.render.split import MAX_BYTES, MAX_OUTPUTS, MAX_PARAMETERS, MAX_RESOURCES, split_stack
from translator.render.taskdefinition import render_task_definition
from translator.source.document import Document
from translator.source.loader import Source, collect, stream
from translator.source.namespacing import place
from translator.source.reader import Context, Reader, make_finding

NEXT_STEPS = "NEXT-STEPS.md"
_PLACEHOLDER = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}|\{\{(?!resolve:).*?\}\}")
# `{GATEWAY_CLASS_NAME}`: a placeholder style only where no real value can have braces, a Kubernetes name.
_NAME_PLACEHOLDER = re.compile(r"\{[A-Z][A-Z0-9_]*\}")
_FREE_TEXT_NAMES = frozenset({"displayName", "commonName", "friendlyName", "fullName"})
# Whose values are the application's own text or a chart's values, where braces may be meant.
_TEXT_BLOCKS = frozenset({"annotations", "data", "stringData", "binaryData", "values", "valuesObject", "parameters",
                          "config", "settings", "env"})
_DYNAMIC_REFERENCE = re.compile(r"\{\{resolve:(?:[^}]|\}(?!\}))*(?:\}\})?")  # to its closing braces, if any


@dataclass
class TranslationResult:
    """Everything one translation produced, keyed by the relative path it would be written to.

    Each call returns a new result and shares nothing with other calls, so translations may run
    in parallel threads.
    """

    templates: dict[str, str] = field(default_factory=dict)  # "<stack>.yaml" -> CloudFormation
    task_definitions: dict[str, str] = field(default_factory=dict)  # "<namespace>.<name>.json" -> JSON
    findings: list[Finding] = field(default_factory=list)  # sorted by file, line, code
    decisions: list[Decision] = field(default_factory=list)  # every option that shaped the output
    documents: dict[str, int] = field(default_factory=dict)  # kind -> count
    stacks: list[Stack] = field(default_factory=list)  # the ECS model behind the templates
    app: Application = field(default_factory=Application)  # the neutral model the stacks came from
    next_steps: NextSteps = field(default_factory=NextSteps)  # the deploy checklist (NEXT-STEPS.md; .to_json())
    calls: list[Call] = field(default_factory=list)  # every call to a Service of the input, resolved or broken

    def files(self) -> dict[str, str]:
        """Every output file by its path relative to OUT; raises UnsafeOutputPath rather than list a
        path that could leave OUT or be the same file as another on a case-insensitive filesystem."""
        out = {f"cloudformation/{k}": v for k, v in self.templates.items()}
        out.update({f"task-definitions/{k}": v for k, v in self.task_definitions.items()})
        out[NEXT_STEPS] = render_next_steps(self.next_steps)
        check_paths(out)
        return out


def translate(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] = (), options: Options | None = None, *,
              stdin_text: str | None = None, sources: Iterable[Source] | None = None,
              notes: Iterable[Finding] = (), namespace: str | None = None, usage: bool = True) -> TranslationResult:
    """Translate manifests (files, folders, `-` for `stdin_text`, or ready `sources`) into ECS CloudFormation.

    `notes` are findings made while gathering the input (a live cluster's), reported with the rest.
    `namespace` is the namespace of objects that name none, as `kubectl apply -n` gives it.
    `usage`: list the equivalence-table fields each object uses in `app.fields`, which the
    assessment reads; a caller that only writes the output (`kube2ecs convert`) skips that work.
    Raises `InputError` when the input cannot be read at all; every other problem is a finding.
    """
    sink = FindingSink()
    for note in notes:
        sink.add(note)
    documents = _load(paths, stdin_text, sources, namespace, sink)  # load: text to documents, lazily
    options = options or Options()
    app, counts = parse_documents(documents, sink, options.launch_type, usage)  # parse, link and sweep: the neutral model
    mc = MapContext(app, options, sink)
    report_decisions(mc)  # decide: every option that shapes the output, said once
    built = _map(mc)  # map: one ECS stack per namespace
    secrets.report_missing(mc)  # a Secret the input lacks: one finding per workload, naming every reference
    calls = _safe_calls(mc, built)  # reach: every call to a Service resolves on ECS, or is an error at the caller
    for builder in built:
        add_outputs(mc, builder)  # outputs: the cluster, URLs, services and task security group of each stack
    stacks = [b.freeze() for b in built]  # freeze: from here on the ECS model is read, never changed
    _check(mc, stacks)  # check: what would fail a deploy
    result = _render(mc, stacks, counts)  # split and render: templates, task definitions, the checklist
    result.calls = calls
    _report_unused(mc, {s.namespace for s in result.stacks})  # what no translated workload used
    result.findings = sink.sorted()
    return result


def _load(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], stdin_text: str | None,
          sources: Iterable[Source] | None, namespace: str | None, sink: FindingSink) -> Iterator[Document]:
    """The documents of every input, parsed one by one and let go, in an order the input cannot change."""
    if isinstance(paths, str | os.PathLike):
        paths = [paths]  # one path, not an iterable of characters
    chosen = list(sources) if sources is not None else collect([os.fspath(p) for p in paths], stdin_text)
    # Sorted, so the order files are named in cannot change which duplicate wins or any output byte.
    documents = stream(sorted(chosen, key=lambda s: (s.name, s.text)), sink)
    return place(documents, namespace, sink) if namespace else documents


def _map(mc: MapContext) -> list[StackBuilder]:
    """The stack of each namespace that has workloads; a namespace that fails is a K2E900."""
    return [s for s in (_safe_stack(mc, ns) for ns in sorted({w.meta.namespace for w in mc.app.workloads})) if s]


def _check(mc: MapContext, stacks: list[Stack]) -> None:
    """What would fail a deploy that cfn-lint and botocore do not catch (K2E901)."""
    for stack in stacks:
        checks.check_stack(mc, stack)


def _render(mc: MapContext, stacks: list[Stack], counts: dict[str, int]) -> TranslationResult:
    """Each stack's template (or its parts' templates), task definitions under file names no two share,
    and the checklist that deploys them."""
    result = TranslationResult(documents=counts, decisions=decisions(mc.options), app=mc.app)
    names = FileNames()
    placed: list[Placed] = []
    for stack in stacks:
        for part, text in _render_parts(mc, stack):
            result.stacks.append(part)
            owner = f"the template of stack {part.name} (namespace {part.namespace})"
            template = names.claim(owner, "cloudformation", part.name, ".yaml")
            result.templates[template] = text
            placed.append(Placed(part, f"cloudformation/{template}", len(text.encode()), import_names(text)))
        for td in (r for r in stack.resources if isinstance(r, TaskDefinition)):
            owner = f"the task definition of {td.namespace}/{td.name}"
            result.task_definitions[names.claim(owner, "task-definitions", f"{td.namespace}.{td.name}", ".json")] = \
                render_task_definition(td)
    for renamed in names.renamed:
        mc.sink.add(make_finding("K2E009", Location(), renamed.path, what=renamed.owner, wanted=renamed.wanted,
                                 other=renamed.other, path=renamed.path))
    result.next_steps = next_steps(mc, placed)  # the deploy checklist, from the stacks just rendered
    return result


def _report_unused(mc: MapContext, built: set[str]) -> None:
    """Objects no translated workload uses, and Ingresses, policies and Services of namespaces without a
    stack (`built`): said, not silently skipped."""
    scaling.report_unlinked(mc)
    disruption.report_unlinked(mc)
    delivery.report_unlinked(mc)
    vertical.report_unlinked(mc)
    capacity.report_pools(mc)
    groups: list[tuple[str, dict[tuple[str, str], Any]]] = [
        ("ConfigMap", mc.app.config_maps), ("Secret", mc.app.secrets), ("ServiceAccount", mc.app.service_accounts),
        ("PersistentVolumeClaim", mc.app.claims)]
    for kind, objects in groups:
        for (namespace, name), obj in sorted(objects.items()):
            if (kind, namespace, name) not in mc.used:
                mc.report(obj.origin, "K2E102", kind=kind, name=name,
                          detail="no translated workload in the input uses it, so nothing was created")
    ingress.report_unbuilt(mc, built)
    gateway.report_unbuilt(mc, built)
    if mc.app.target_policies or mc.app.balancer_configurations:
        targetpolicies.report(mc, built)
    if mc.app.lattice_policies:
        latticepolicies.report(mc, built)
    meshreport.report(mc, built)
    networkpolicy.report_unbuilt(mc, built)
    networking.report_unbuilt(mc, built)


def _fits(stack: Stack, text: str) -> bool:
    return (len(stack.resources) <= MAX_RESOURCES and len(text.encode()) <= MAX_BYTES
            and len(stack.outputs) <= MAX_OUTPUTS and len(stack.parameters) <= MAX_PARAMETERS)


def _render_parts(mc: MapContext, stack: Stack) -> list[tuple[Stack, str]]:
    """The stack's template, or the templates of its parts when it passes CloudFormation's limits."""
    texts = ResourceTexts()  # each resource rendered once, whether for the stack, its measure or its part
    if len(stack.resources) <= MAX_RESOURCES:  # a larger stack never fits: do not render it whole just to measure it
        text = render_stack(stack, texts)
        if _fits(stack, text):
            return [(stack, text)]
    total = len(stack.resources)
    parts = split_stack(stack, texts.text)
    rendered = [(part.stack, render_stack(part.stack, texts, part.rewrite)) for part in parts]
    if len(parts) > 1:
        names = ", ".join(p.stack.name for p in parts)
        mc.sink.add(make_finding("K2E375", Location(), f"stack/{stack.name}", stack=stack.name, count=total,
                                 parts=len(parts), names=names))
    for part, part_text in rendered:
        if not _fits(part, part_text):
            mc.sink.add(make_finding("K2E371", Location(), f"stack/{part.name}", stack=part.name,
                                     count=len(part.resources), outputs=len(part.outputs),
                                     size=len(part_text.encode())))
    return rendered


def translate_text(text: str, options: Options | None = None, name: str = "<text>") -> TranslationResult:
    """Translate manifests held in a string (a stream of YAML or JSON documents); `name` is used in findings."""
    return translate(options=options, sources=[Source(name, text)])


def translate_stream(stream: IO[str], options: Options | None = None, name: str = "<stream>") -> TranslationResult:
    """Translate manifests read from an open text stream (`helm template` output, a socket, a file)."""
    return translate_text(stream.read(), options, name)


def _safe_calls(mc: MapContext, stacks: list[StackBuilder]) -> list[reachability.Call]:
    """The reachability analysis needs every namespace at once and changes the stacks before they render."""
    try:
        return reachability.analyse(mc, stacks)
    except Exception as err:
        mc.sink.add(make_finding("K2E900", Location(), "reachability", kind="reachability analysis",
                                 name="all namespaces", detail=type(err).__name__))
        return []


def _safe_stack(mc: MapContext, namespace: str) -> StackBuilder | None:
    try:
        return build_stack(mc, namespace)
    except Exception as err:
        mc.sink.add(make_finding("K2E900", Location(), f"namespace/{namespace}", kind="namespace",
                                 name=namespace, detail=type(err).__name__))
        return None


def _identity(doc: Document) -> str:
    """Which kind of object a document is, for duplicates: its kind, and its API group where two APIs name a kind
    alike (Istio's Gateway and the Gateway API's are different objects that may share a name)."""
    if doc.kind not in SHARED_KINDS:
        return doc.kind
    return f"{doc.kind}.{unsupported.group_of(doc.api_version)}"


def parse_documents(documents: Iterable[Document], sink: FindingSink,
                    launch_type: str = "", usage: bool = True) -> tuple[Application, dict[str, int]]:
    """The neutral model; `launch_type` (the option, '' for Fargate) decides the few reads and notes that depend
    on where tasks run (source/reader.Context); `usage`: each object's table fields are listed in `app.fields`
    (see `translate`)."""
    app = Application()
    counts: dict[str, int] = {}
    seen: dict[tuple[str, str, str], Location] = {}
    for doc in documents:
        ctx = _named(Context(doc, sink, launch_type))
        counts[doc.kind or "(none)"] = counts.get(doc.kind or "(none)", 0) + 1
        if not _valid_object(ctx):
            continue
        key = (_identity(doc), doc.namespace or "default", doc.name)
        if key in seen:
            first = seen[key]
            ctx.report("K2E005", "", kind=doc.kind, name=doc.name, first=f"{first.file}:{first.line}")
            continue
        seen[key] = doc.location()
        _placeholders(ctx)
        _parse_one(ctx, app, usage)
    rollout.adopt_workloads(app, sink)  # a Rollout's workloadRef: its replicas, and the autoscalers naming it
    return app, dict(sorted(counts.items()))


def _named(ctx: Context) -> Context:
    """An object with `generateName` and no name gets the name the API server would give it, with
    five characters derived from its content instead of random ones: the same input, the same name."""
    meta = ctx.doc.data.get("metadata") if isinstance(ctx.doc.data, dict) else None
    prefix = meta.get("generateName") if isinstance(meta, dict) and not meta.get("name") else None
    if not isinstance(meta, dict) or not isinstance(prefix, str) or not prefix:
        return ctx
    name = naming.generated_name(prefix, json.dumps(ctx.doc.data, sort_keys=True, default=str))
    meta["name"] = name
    named = Context(ctx.doc, ctx.sink, ctx.launch_type)  # its resource label holds the name now
    named.report("K2E033", "/metadata/generateName", kind=ctx.doc.kind, prefix=prefix, name=name)
    return named


def _valid_object(ctx: Context) -> bool:
    doc = ctx.doc
    if not doc.kind or not doc.api_version:
        missing = "kind" if not doc.kind else "apiVersion"
        ctx.report("K2E002", "", detail=f"{missing} is missing")
        return False
    if not doc.name and doc.kind not in ("List",):
        ctx.report("K2E004", "/metadata/name", field="metadata.name")
        return False
    unserved = unserved_version(doc.api_version, doc.kind)
    if unserved:
        ctx.report("K2E002", "/apiVersion", detail=unserved)
        return False
    return _valid_names(ctx)


def _valid_names(ctx: Context) -> bool:
    """Name and namespace by the API server's rule for the kind. An object Kubernetes would refuse is
    left out, which also keeps `/`, `..`, upper case and control characters out of every output name."""
    doc = ctx.doc
    checks = [("name", doc.name, naming.rule_for(doc.kind))]
    if doc.namespace:
        checks.append(("namespace", doc.namespace, naming.LABEL))
    for field_name, value, rule in checks:
        reason = naming.name_problem(value, rule)
        if reason and ("$" in value or "{{" in value):
            reason += " (an unrendered template placeholder? render the manifests first: envsubst, helm template)"
        if reason:
            ctx.report("K2E008", f"/metadata/{field_name}", field=f"metadata.{field_name}", value=naming.shown(value),
                       kind=doc.kind, rule=rule.title, reason=reason, hint=rule.hint)
            return False
    return True


def _parse_one(ctx: Context, app: Application, usage: bool) -> None:
    root = Reader(ctx, ctx.doc.data)
    root.ignore("apiVersion", "kind")
    try:
        parser_for(ctx.doc.api_version, ctx.doc.kind)(root, app)
    except Exception as err:
        ctx.report("K2E900", "", kind=ctx.doc.kind, name=ctx.doc.name, detail=type(err).__name__)
        return
    swept = sweep(ctx)
    if usage:
        app.fields[ctx.resource] = fields_used(ctx, swept)


def _may_hold_placeholder(data: Any) -> bool:
    """Whether a string of `data` holds `${` or `{{`: a first look without pointers, as most
    documents hold neither and building a pointer for every value cost more than the search."""
    pending = [data]
    while pending:
        node = pending.pop()
        if isinstance(node, str):
            if "${" in node or "{{" in node:
                return True
        elif isinstance(node, dict):
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return False


def _placeholders(ctx: Context) -> None:
    """Report the first unrendered `${VAR}` or `{{ }}` of a document (they are translated as text), else
    the first `{VAR}` in a name field, and the first CloudFormation dynamic reference `{{resolve:...}}`, which no template can carry.

    Not in a Secret, whose values are never read or shown.
    """
    if ctx.doc.kind == "Secret" or not ctx.doc.may_hold_placeholder:
        return
    if not _may_hold_placeholder(ctx.doc.data):
        if ctx.doc.kind != "ConfigMap":
            _name_placeholder(ctx)
        return
    placeholder = reference = False
    stack: list[tuple[Any, str]] = [(ctx.doc.data, "")]
    while stack and not (placeholder and reference):
        node, pointer = stack.pop()
        if isinstance(node, dict):
            stack.extend((v, f"{pointer}/{k}") for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend((v, f"{pointer}/{i}") for i, v in reversed(list(enumerate(node))))
        elif isinstance(node, str):
            match = None if placeholder else _PLACEHOLDER.search(node)
            if match:
                ctx.report("K2E006", pointer, value=match.group(0)[:60])
                placeholder = True
            found = None if reference else _DYNAMIC_REFERENCE.search(node)
            if found:
                ctx.report("K2E377", pointer, value=found.group(0)[:60])
                reference = True
    if not placeholder and ctx.doc.kind not in ("ConfigMap", "Secret"):
        _name_placeholder(ctx)


def _is_name_key(key: Any) -> bool:
    return isinstance(key, str) and (key in ("name", "namespace") or key.endswith("Name")) \
        and key not in _FREE_TEXT_NAMES


def _name_placeholder(ctx: Context) -> None:
    """Report the first `{UPPER_CASE}` placeholder in a name field (`gatewayClassName: "{GATEWAY_CLASS_NAME}"`).

    Kubernetes names cannot hold braces, so there it is a placeholder the template tool never filled; in any
    other field it may be real text (JSON, a message), and is left alone. Unquoted, YAML reads it as a one-key
    mapping `{GATEWAY_CLASS_NAME: null}`: the same placeholder, which the wrong-type finding alone would not name.
    """
    stack: list[tuple[Any, str]] = [(ctx.doc.data, "")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, list):
            stack.extend((v, f"{pointer}/{i}") for i, v in reversed(list(enumerate(node))))
            continue
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if _is_name_key(key):
                text = _placeholder_text(value)
                if text is not None:
                    ctx.report("K2E006", f"{pointer}/{key}", value=text[:60])
                    return
        stack.extend((v, f"{pointer}/{k}") for k, v in reversed(list(node.items()))
                     if isinstance(v, dict | list) and k not in _TEXT_BLOCKS)


def _placeholder_text(value: Any) -> str | None:
    """The `{NAME}` placeholder a name field holds, quoted (a string) or not (a one-key mapping of null)."""
    if isinstance(value, str):
        match = _NAME_PLACEHOLDER.search(value)
        return match.group(0) if match else None
    if isinstance(value, dict) and len(value) == 1:
        (key, inner), = value.items()
        if inner is None and isinstance(key, str) and _NAME_PLACEHOLDER.fullmatch(f"{{{key}}}"):
            return f"{{{key}}}"
    return None
