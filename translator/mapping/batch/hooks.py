"""Helm and Argo CD hook annotations: they decide *when* a Job runs, which a stack cannot express.

A `pre-install` migration that runs after the new version starts, or not at all, breaks the
application; so the hook is never dropped with the other annotations: it becomes a finding that
says whether to run the Job before or after deploying the stack, and how. An Argo CD Sync hook runs
in its sync wave among the other objects (https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/):
one in a wave before every service's is run before the stack, one after every service's after it.
"""

from __future__ import annotations

from translator.model.app import Application, Workload

# annotation -> the tool that reads it
_HOOK_ANNOTATIONS = {"helm.sh/hook": "Helm", "argocd.argoproj.io/hook": "Argo CD"}
# hook (lower case) -> when to run the Job, relative to `aws cloudformation deploy`
_BEFORE, _AFTER, _DURING = "before deploying the stack", "after deploying the stack", "while the stack deploys"
WAVE = "argocd.argoproj.io/sync-wave"  # an integer, 0 when absent
BEFORE, AFTER = _BEFORE, _AFTER  # the two moments the deploy checklist (nextsteps) runs Jobs at
_WHEN = {
    "pre-install": _BEFORE, "pre-upgrade": _BEFORE, "presync": _BEFORE,
    "post-install": _AFTER, "post-upgrade": _AFTER, "postsync": _AFTER, "test": _AFTER,
    "sync": _DURING, "pre-delete": "before deleting the stack",
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


def timing(app: Application, wl: Workload) -> tuple[str, str, str] | None:
    """`hook_timing`, with an Argo CD Sync hook placed by its sync wave among the waves of its namespace's
    services (the workloads that become ECS services and are no hooks themselves)."""
    hook = hook_timing(wl.meta.annotations)
    if hook is None or hook[0] != "Argo CD" or hook[2] != _DURING:
        return hook
    waves = [_wave(w) for w in app.workloads
             if w.meta.namespace == wl.meta.namespace and w.run == "service" and hook_timing(w.meta.annotations) is None]
    own = _wave(wl)
    if waves and own < min(waves):
        return hook[0], f"{hook[1]}, sync wave {own} before the services' {min(waves)}", _BEFORE
    if waves and own > max(waves):
        return hook[0], f"{hook[1]}, sync wave {own} after the services' {max(waves)}", _AFTER
    return hook


def _wave(wl: Workload) -> int:
    text = dict(wl.meta.annotations).get(WAVE, "0").strip()
    try:
        return int(text)
    except ValueError:  # Argo CD refuses such a wave; the annotation is reported with the others (K2E359)
        return 0
