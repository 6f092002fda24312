"""The readiness and effort rules: stated once, applied by `build`, printed in every report.

They are deliberately simple and mechanical, so a reader can check a workload's class by hand from
its findings. An error-level finding means the output would not run as the source does (a field with
no Fargate equivalent, a port no container declares...). Each distinct warning code is one kind of
change a person has to make (rebuild a probe, move a secret, pin an image), however many containers
it touches; info findings are statements of what was done and cost no work.
"""

from __future__ import annotations

READINESS_RULE = ("A workload is ready when none of its findings is an error: it translates and runs on Fargate as "
                  "it is. Readiness = ready workloads / workloads.")

EFFORT_RULES: tuple[tuple[str, str], ...] = (
    ("blocked", "at least one error-level finding: it does not run on Fargate as it is"),
    ("high", "3 or more distinct translation warnings: several kinds of change to make by hand"),
    ("medium", "1 or 2 distinct translation warnings"),
    ("low", "no translation warning: deploy the translated output as it is"),
)
EFFORT_NOTE = ("Distinct warnings count one per finding code, and one per field for K2E200 and K2E202. "
               "Lint warnings (anti-patterns, K2E500-K2E549) are advice and do not change the class.")
EFFORT_CLASSES = tuple(name for name, _ in EFFORT_RULES)
HIGH_WARNINGS = 3
PER_FIELD = ("K2E200", "K2E202")


def effort(findings: list[tuple[str, str, str]]) -> tuple[str, str]:
    """(class, reason) from a workload's findings as (code, severity, message)."""
    errors = sorted({code for code, sev, _ in findings if sev == "error"})
    if errors:
        return "blocked", f"errors: {', '.join(errors)}"
    warnings = {(code, message if code in PER_FIELD else "") for code, sev, message in findings
                if sev == "warning" and not code.startswith("K2E5")}
    codes = sorted({code for code, _ in warnings})
    detail = f"{len(warnings)} translation warning{'s' if len(warnings) != 1 else ''} ({', '.join(codes)})"
    if len(warnings) >= HIGH_WARNINGS:
        return "high", detail
    if warnings:
        return "medium", detail
    return "low", "no translation warning"
