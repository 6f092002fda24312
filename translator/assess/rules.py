"""The readiness and effort rules: stated once, applied by `build`, printed in every report.

They are deliberately simple and mechanical, so a reader can check a workload's class by hand from
its findings. They trust the severity rule every code follows (findings/reasons.py): an error means
the deploy fails or the application will not work as it did, a warning is a behaviour change a person
has to decide about, info is faithful or harmless. So readiness counts blockers only, each distinct
warning is one decision to make however many containers it touches, and info costs no work. Lint
(K2E500-K2E549) is info, advice about the source, and needs no rule of its own.
"""

from __future__ import annotations

READINESS_RULE = ("A workload is ready when none of its findings is an error (an error means the deploy fails or the "
                  "application will not work as it did). Readiness = ready workloads / workloads, counting a workload "
                  "document Kubernetes would refuse, which is not read (K2E010), as a workload that is not ready.")

EFFORT_RULES: tuple[tuple[str, str], ...] = (
    ("blocked", "at least one error-level finding: the deploy fails or the application will not work as it did"),
    ("high", "3 or more distinct warnings: several behaviour changes to decide about"),
    ("medium", "1 or 2 distinct warnings"),
    ("low", "no warning: deploy the translated output as it is"),
)
EFFORT_NOTE = ("Distinct warnings count one per finding code, and one per field for K2E200 and K2E202. "
               "Info findings, the anti-pattern lint (K2E500-K2E549) included, cost nothing.")
EFFORT_CLASSES = tuple(name for name, _ in EFFORT_RULES)
HIGH_WARNINGS = 3
PER_FIELD = ("K2E200", "K2E202")


def effort(findings: list[tuple[str, str, str]]) -> tuple[str, str]:
    """(class, reason) from a workload's findings as (code, severity, message)."""
    errors = sorted({code for code, sev, _ in findings if sev == "error"})
    if errors:
        return "blocked", f"errors: {', '.join(errors)}"
    warnings = {(code, message if code in PER_FIELD else "") for code, sev, message in findings if sev == "warning"}
    codes = sorted({code for code, _ in warnings})
    detail = f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''} ({', '.join(codes)})"
    if len(warnings) >= HIGH_WARNINGS:
        return "high", detail
    if warnings:
        return "medium", detail
    return "low", "no warning"
