"""CloudFormation intrinsic functions as typed values, so that identity compares values, not dict reprs.

The ECS model refers to other resources, parameters and other stacks' exports through these;
`render/encode.py` alone turns them into `{"Ref": ...}`, `{"Fn::GetAtt": [...]}` and the rest.
"""

from __future__ import annotations

from translator.model.record import record


@record
class Ref:
    """`{"Ref": name}`: a resource's id (its physical id once created) or a parameter's value."""

    name: str


@record
class GetAtt:
    logical_id: str
    attribute: str


@record
class Sub:
    """`{"Fn::Sub": text}`; input text in `text` was made literal by `sub_literal` where it was put."""

    text: str


@record
class ImportValue:
    """An export of another stack (a part of a split stack, or a stack named by an option)."""

    name: Value


@record
class Join:
    delimiter: str
    parts: tuple[Value, ...] | Ref  # or a Ref of a List parameter


@record
class Split:
    delimiter: str
    source: Value


@record
class Select:
    index: int
    source: Value


@record
class If:
    condition: str
    then: Value
    otherwise: Value


@record
class Equals:
    left: Value
    right: Value


@record
class Not:
    condition: Equals


Intrinsic = Ref | GetAtt | Sub | ImportValue | Join | Split | Select | If
Value = str | Intrinsic


@record
class Linked:
    """A value that is an intrinsic in CloudFormation and plain text in the task-definition JSON.

    The JSON is what `aws ecs register-task-definition` takes, where no intrinsic resolves; its
    text form holds ${AWS_REGION}-style placeholders for what the user fills in.
    """

    cfn: Value
    text: str


def sub_literal(text: str) -> str:
    """`text` to stand for itself inside an Fn::Sub string: CloudFormation reads `${!` as `${`.

    Input text (a Secret key, a variable name) may hold `${AWS::AccountId}` or `${Nope}`, which
    Fn::Sub would otherwise substitute or reject.
    """
    return text.replace("${", "${!")
