"""The migration assessment (`kube2ecs assess`): a view over one translation, rendered as HTML, Markdown, JSON or SARIF."""
