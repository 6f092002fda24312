"""How the ECS service runs its tasks: rollout, disruption floor, scaling, launch type."""
