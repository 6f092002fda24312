"""Helm and Argo CD hook annotations: they decide *when* a Job runs, which a stack cannot express.

A `pre-install` migration that runs after the new version starts, or not at all, breaks the
application; so the hook is never dropped with the other annotations: it becomes a finding that
says whether to run the Job before or after deploying the stack, and how.
"""

from __future__ import annotations

# annotation -> the tool that reads it
_HOOK_ANNOTATIONS = {"helm.sh/hook": "Helm", "argocd.argoproj.io/hook": "Argo CD"}
# hook (lower case) -> when to run the Job, relative to `aws cloudformation deploy`
_BEFORE, _AFTER = "before deploying the stack", "after deploying the stack"
BEFORE, AFTER = _BEFORE, _AFTER  # the two moments the deploy checklist (nextsteps) runs Jobs at
_WHEN = {
    "pre-install": _BEFORE, "pre-upgrade": _BEFORE, "presync": _BEFORE,
    "post-install": _AFTER, "post-upgrade": _AFTER, "postsync": _AFTER, "test": _AFTER,
    "sync": "while the stack deploys", "pre-delete": "before deleting the stack",
    "post-delete": "after deleting the stack", "postdelete": "after deleting the stack",
    "pre-rollback": "before rolling the stack back", "post-rollback": "after rolling the stack back",
    "syncfail": "when a deploy fails", "skip": "never",
}


def hook_timing(annotations: tuple[tuple[str, str], ...]) -> tuple[str, str, str] | None:
    """(tool, hooks as written, when to run) for the first hook annotation, or None."""
    for key, value in annotations:
        tool = _HOOK_ANNOTATIONS.get(key)
        if tool is None:
            continue
        hooks = [h.strip() for h in value.split(",") if h.strip()]
        moments = sorted({_WHEN.get(h.lower(), "") for h in hooks} - {""})
        when = _BEFORE if _BEFORE in moments else moments[0] if moments else "at the moment the hook names"
        return tool, ", ".join(hooks), when
    return None
