"""The deploy checklist of a translation: what to fill, deploy, run and check, in order (NEXT-STEPS.md)."""
