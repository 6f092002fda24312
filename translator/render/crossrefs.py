"""References between resources in a rendered resource text, and their rewriting into imports.

A stack split into parts keeps each resource's text as it was rendered for the whole stack. A
reference to a resource that another part holds becomes `Fn::ImportValue` of the value that part
exports. Working on the text reaches every reference the same way, whether a template writes it
from a logical-id field (`{"Ref": {{ r.task_definition | j }}}`) or the model holds an intrinsic.

The text is what `values.to_yaml` writes: block YAML where an intrinsic is a one-key mapping on
one line (`Ref: X`, `Fn::GetAtt: [X, Arn]`, `Fn::Sub: text`) and a key `Ref` or `Fn::...` beside
other keys is quoted; a string that could read as an intrinsic holds `: ` and is quoted too, so a
string value never matches. Values written on one line as JSON (the `flow` filter, `j` without a
column: `{"Ref": "X"}`) are read and rewritten as well.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Collection

from translator.render.values import to_yaml

# `{"Ref": "X"}`, `{"Fn::GetAtt": ["X", "A"]}`, `{"Fn::Sub": "...${X}...${X.A}..."}`. Pseudo
# parameters (`AWS::Region`) and Sub literals (`${!X}`) have characters these ids cannot have.
_INTRINSIC = re.compile(
    r'\{\s*"Ref":\s*"(?P<ref>[A-Za-z0-9]+)"\s*\}'
    r'|\{\s*"Fn::GetAtt":\s*\[\s*"(?P<att>[A-Za-z0-9]+)",\s*"(?P<attr>[A-Za-z0-9.]+)"\s*\]\s*\}'
    r'|\{\s*"Fn::Sub":\s*"(?P<sub>(?:[^"\\]|\\.)*)"\s*\}')
# The same in block YAML: `Ref: X`, `Fn::GetAtt: [X, A]`, `Fn::Sub: text` (plain or double-quoted),
# each the only key of its mapping. The pattern starts at the key, so the regex engine skips ahead
# to the letters R and F; `_LEAD` then checks that only indentation and `- ` come before it.
_BLOCK = re.compile(
    r'(?:Ref: (?P<ref>[A-Za-z0-9]+)'
    r'|Fn::GetAtt: \[(?P<att>[A-Za-z0-9]+), (?P<attr>[A-Za-z0-9.]+)\]'
    r'|Fn::Sub: (?P<sub>"(?:[^"\\\n]|\\.)*"|[^"\n][^\n]*))$', re.MULTILINE)
_LEAD = re.compile(r"[ ]*(?:- )*")
_BLOCK_KEYS = ("Ref: ", "Fn::GetAtt: ", "Fn::Sub: ")


def _blocks(text: str) -> list[re.Match[str]]:
    """What `_BLOCK.finditer(text)` yields, found twice as fast on a large template.

    The regex engine tries the pattern at every R and F of the text, and a template is mostly
    PascalCase keys; `str.find` goes from one key to the next in C. Every match starts at one of
    `_BLOCK_KEYS`, so matching at each of their places and keeping the matches in order without
    overlap gives finditer's matches."""
    found: list[re.Match[str]] = []
    for key in _BLOCK_KEYS:
        at = text.find(key)
        while at >= 0:
            match = _BLOCK.match(text, at)
            if match is not None:
                found.append(match)
            at = text.find(key, at + 1)
    if len(found) > 1:
        found.sort(key=lambda m: m.start())
        kept: list[re.Match[str]] = []
        end = 0
        for match in found:
            if match.start() >= end:
                kept.append(match)
                end = match.end()
        return kept
    return found


def _lead(text: str, match: re.Match[str]) -> str | None:
    """The indentation and `- ` before a block intrinsic's key; None when the match is not a key."""
    start = match.start()
    lead = text[text.rfind("\n", 0, start) + 1:start]
    return lead if _LEAD.fullmatch(lead) else None


_SUB_VARIABLE = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.([A-Za-z0-9.]+))?\}")
_CONDITION = re.compile(r'"Fn::If":\s*\[\s*"([A-Za-z0-9]+)"|\{\s*"Condition":\s*"([A-Za-z0-9]+)"\s*\}'
                        r'|Fn::If: \[([A-Za-z0-9]+),|Fn::If:\n[ ]*- ([A-Za-z0-9]+)\n'
                        r'|(?<![^ -])Condition: ([A-Za-z0-9]+)$', re.MULTILINE)

Value = tuple[str, str]  # (logical id, attribute); '' for the value of a Ref
MAX_NAME = 255  # CloudFormation's longest output logical id; export names are kept as short


def references(text: str) -> set[Value]:
    """Every (logical id or parameter, attribute) the text refers to."""
    found: set[Value] = set()
    for match in _blocks(text):
        if _lead(text, match) is not None:
            _add(found, match)
    if '{"' in text:
        for match in _INTRINSIC.finditer(text):
            _add(found, match)
    return found


def _add(found: set[Value], match: re.Match[str]) -> None:
    """The values one intrinsic (block or JSON form) refers to."""
    if match["ref"]:
        found.add((match["ref"], ""))
    elif match["att"]:
        found.add((match["att"], match["attr"]))
    else:
        found.update((name, attr or "") for name, attr in _SUB_VARIABLE.findall(match["sub"]))


def conditions(text: str) -> set[str]:
    """Stack conditions named inside the text (Fn::If, Condition); a resource's own is its field."""
    if "Fn::If" not in text and "Condition: " not in text and '"Condition"' not in text:
        return set()
    return {next(name for name in names if name) for names in _CONDITION.findall(text)}


def export_name(stack: str, value: Value) -> str:
    """`kube2ecs-<stack>-<logical id>[-<attribute>]`: unique per region as long as the namespace's
    stack name is, made of the characters every export name may hold, and at most 255 long."""
    logical, attribute = value
    name = f"kube2ecs-{stack}-{logical}" + (f"-{attribute.replace('.', '-')}" if attribute else "")
    return name if len(name) <= MAX_NAME else f"{name[:MAX_NAME - 13]}-{_digest(name)}"


def output_key(value: Value, taken: Collection[str]) -> str:
    """An alphanumeric output logical id for the export of `value`, distinct from `taken`."""
    logical, attribute = value
    key = f"Export{logical}{attribute.replace('.', '')}"
    if len(key) > MAX_NAME or key in taken:
        key = f"{key[:MAX_NAME - 12]}{_digest(repr(value))}"
    return key


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def imported(text: str, foreign: Collection[str], name_of: Callable[[Value], str]) -> str:
    """The text with each reference to a `foreign` logical id made `Fn::ImportValue` of its export."""
    return Importer(foreign, name_of).imported(text)


def references_and_imported(text: str, foreign: Collection[str],
                            name_of: Callable[[Value], str]) -> tuple[set[Value], str]:
    """`references(text)` and `imported(text, foreign, name_of)` from one pass over the text."""
    return Importer(foreign, name_of).references_and_imported(text)


class Importer:
    """Rewrites references to `foreign` logical ids into imports, for any number of texts.

    The resources of one stack use the same few values over and over (`Ref: Cluster`, a role's
    Arn), so each block Ref or GetAtt is rewritten once per indentation and remembered.
    """

    def __init__(self, foreign: Collection[str], name_of: Callable[[Value], str]) -> None:
        self.foreign, self.name_of = foreign, name_of
        self._known: dict[tuple[str, int], tuple[Value, str]] = {}  # (Ref/GetAtt as written, indent) -> rewrite

    def imported(self, text: str) -> str:
        return self._imported(text, None)

    def references_and_imported(self, text: str) -> tuple[set[Value], str]:
        """`references(text)` and `imported(text)` from one pass over the text.

        Splitting a stack needs both for every resource (what it uses, and its size were all of
        that imported); the block intrinsics, nearly all of them, are found once for the two."""
        found: set[Value] = set()
        done = self._imported(text, found)
        if '{"' in text:
            for match in _INTRINSIC.finditer(text):
                _add(found, match)
        return found, done

    def _imported(self, text: str, found: set[Value] | None) -> str:
        """`imported`; the values of the block intrinsics are added to `found` on the way when it is given."""
        foreign, name_of, known = self.foreign, self.name_of, self._known

        def replace(match: re.Match[str]) -> str:
            if match["ref"] or match["att"]:
                value = (match["ref"], "") if match["ref"] else (match["att"], match["attr"])
                return _import(name_of(value)) if value[0] in foreign else match.group(0)
            return _sub(match, foreign, name_of)

        def replace_block(match: re.Match[str]) -> str:
            lead = _lead(text, match)
            if lead is None:
                return match.group(0)
            if match["sub"] is not None:
                if found is not None:
                    _add(found, match)
                return _block_sub(match, lead, foreign, name_of)
            key = (match.group(0), len(lead))
            rewrite = known.get(key)
            if rewrite is None:
                value = (match["ref"], "") if match["ref"] else (match["att"], match["attr"])
                text_of = ("Fn::ImportValue: " + to_yaml(name_of(value), len(lead)) if value[0] in foreign
                           else match.group(0))
                rewrite = known[key] = (value, text_of)
            if found is not None:
                found.add(rewrite[0])
            return rewrite[1]

        matches = _blocks(text)
        if matches:
            pieces: list[str] = []
            last = 0
            for match in matches:
                pieces += (text[last:match.start()], replace_block(match))
                last = match.end()
            pieces.append(text[last:])
            done = "".join(pieces)
        else:
            done = text
        return _INTRINSIC.sub(replace, done) if '{"' in done else done


_IMPORT = re.compile(r'"Fn::ImportValue":\s*("(?:[^"\\]|\\.)*")')
_BLOCK_IMPORT = re.compile(r'Fn::ImportValue: ("(?:[^"\\\n]|\\.)*"|[^"\n][^\n]*)$', re.MULTILINE)


def import_names(text: str) -> frozenset[str]:
    """Every export name a rendered template imports (what a part needs deployed before it)."""
    if "Fn::ImportValue" not in text:
        return frozenset()
    found = {_scalar_text(m.group(1)) for m in _BLOCK_IMPORT.finditer(text) if _lead(text, m) is not None}
    if '{"' in text:
        found.update(json.loads(name) for name in _IMPORT.findall(text))
    return frozenset(found)


def _scalar_text(written: str) -> str:
    """The string a plain or double-quoted scalar of `values.to_yaml` stands for."""
    if not written.startswith('"'):
        return written
    if "\\U" in written:  # YAML's 8-digit escape, which JSON lacks
        from ruamel.yaml import YAML

        return str(YAML(typ="safe").load(written))
    return str(json.loads(written))


def _block_sub(match: re.Match[str], lead: str, foreign: Collection[str], name_of: Callable[[Value], str]) -> str:
    """A block Fn::Sub whose variables name foreign resources, as the list form with a variable map of imports."""
    variables: dict[str, dict[str, str]] = {}

    def variable(found: re.Match[str]) -> str:
        logical, attribute = found.group(1), found.group(2) or ""
        if logical not in foreign:
            return found.group(0)
        key = logical + attribute.replace(".", "")
        variables[key] = {"Fn::ImportValue": name_of((logical, attribute))}
        return "${" + key + "}"

    text = _SUB_VARIABLE.sub(variable, _scalar_text(match["sub"]))
    if not variables:
        return match.group(0)
    written = to_yaml({"Fn::Sub": [text, dict(sorted(variables.items()))]}, len(lead) - 2)
    return written[len(lead) + 1:]  # the block starts on a line of its own; the key goes after `lead`


def _import(name: str) -> str:
    return '{"Fn::ImportValue": ' + json.dumps(name) + "}"


def _sub(match: re.Match[str], foreign: Collection[str], name_of: Callable[[Value], str]) -> str:
    """A Sub whose variables name foreign resources takes them from a variable map of imports."""
    variables: dict[str, str] = {}

    def variable(found: re.Match[str]) -> str:
        logical, attribute = found.group(1), found.group(2) or ""
        if logical not in foreign:
            return found.group(0)
        key = logical + attribute.replace(".", "")
        variables[key] = name_of((logical, attribute))
        return "${" + key + "}"

    text = _SUB_VARIABLE.sub(variable, match["sub"])
    if not variables:
        return match.group(0)
    mapping = ", ".join(f"{json.dumps(k)}: {_import(v)}" for k, v in sorted(variables.items()))
    return '{"Fn::Sub": ["' + text + '", {' + mapping + "}]}"
