"""Builders of the small manifests tests write inline, as YAML text in the tests' house style.

They return text, not dicts, because the tests assert findings at exact lines and columns: a
builder's output is, line for line, what the test used to spell out, so each line number a test
asserts is counted in the text it gets. The defaults are the skeleton most tests share:

    deployment()  ->  apiVersion: apps/v1
                      kind: Deployment
                      metadata: {name: api, namespace: shop}
                      spec:
                        selector: {matchLabels: {app: api}}
                        template:
                          metadata: {labels: {app: api}}
                          spec:
                            containers:
                              - name: api
                                image: example/api:1.0

What a test adds is given as the lines it adds, indented where they go: `pod` (six spaces, the pod
spec's fields before `containers:`), `container` (ten spaces, the container's fields after `image:`),
or `containers` for a whole containers section of another shape. A text that goes on after the
containers (`volumes:`, `---` and the next document) is simply appended to the result.
"""

from __future__ import annotations


def deployment(name: str = "api", image: str | None = None, *, namespace: str | None = "shop", app: str | None = None,
               replicas: object = None, metadata: str = "", labels: str = "", pod: str = "", container_name: str | None = None,
               container: str = "", containers: str | None = None) -> str:
    """A Deployment `name` whose pods are labelled `app: <app or name>`, with one container
    (`container_name`, by default `name`) running `image` (example/<name>:1.0 by default);
    `metadata` and `labels` add entries to the object's metadata and to the pod labels
    (`"labels: {team: a}"`, `"tier: data"`)."""
    app = app or name
    meta = ", ".join(part for part in (f"name: {name}", namespace and f"namespace: {namespace}", metadata) if part)
    if containers is None:
        containers = f"      containers:\n        - name: {container_name or name}\n          image: {image or f'example/{name}:1.0'}\n{container}"
    return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata: {{{meta}}}\nspec:\n"
            + (f"  replicas: {replicas}\n" if replicas is not None else "")
            + f"  selector: {{matchLabels: {{app: {app}}}}}\n  template:\n"
            + f"    metadata: {{labels: {{app: {app}{', ' + labels if labels else ''}}}}}\n    spec:\n"
            + pod + containers)


def service(name: str = "api", ports: str = "{port: 80}", *, namespace: str | None = "shop", app: str | None = None,
            type: str | None = None) -> str:
    """A Service `name` selecting `app: <app or name>`, its ports written as the flow list's items
    (`"{port: 80, targetPort: 8080}"`), with a `type` line when one is given."""
    meta = f"name: {name}" + (f", namespace: {namespace}" if namespace else "")
    return (f"apiVersion: v1\nkind: Service\nmetadata: {{{meta}}}\nspec:\n"
            + (f"  type: {type}\n" if type else "")
            + f"  selector: {{app: {app or name}}}\n  ports: [{ports}]\n")


def statefulset(name: str = "db", service: str | None = None, replicas: int = 3, *, namespace: str | None = "shop",
                container: str = "", after: str = "") -> str:
    """A StatefulSet `name` governed by Service `service` (by default `name`) with `replicas` pods labelled
    `app: <name>` and one container `name`; `container` adds lines to it (ten spaces), `after` adds the spec's
    fields after the template (two spaces: `volumeClaimTemplates:`)."""
    meta = f"name: {name}" + (f", namespace: {namespace}" if namespace else "")
    return (f"apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {{{meta}}}\nspec:\n  serviceName: {service or name}\n"
            f"  replicas: {replicas}\n  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n"
            f"    metadata: {{labels: {{app: {name}}}}}\n    spec:\n      containers:\n        - name: {name}\n"
            f"          image: example/{name}:1.0\n{container}{after}")
