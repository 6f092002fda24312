"""A Kubernetes API server stand-in on 127.0.0.1: serves recorded list responses to the real client.

No cluster can run here (see tooling-notes.md, section 4), so list responses are served from
`fixtures/cluster/api.json`, one object per page so the client's paging is exercised too.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "cluster" / "api.json"
TOKEN = "kube2ecs-test-token"


@dataclass
class Api:
    objects: dict[str, Any]
    denied: set[str] = field(default_factory=set)  # resources answered with 403
    requests: list[str] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)

    def items(self, group_version: str, resource: str, namespace: str | None) -> list[dict[str, Any]]:
        by_namespace = self.objects.get(group_version, {}).get(resource, {})
        if namespace is not None:
            return list(by_namespace.get(namespace, []))
        return [item for name in sorted(by_namespace) for item in by_namespace[name]]


def _route(path: str) -> tuple[str, str, str | None] | None:
    """/api/v1/namespaces/ui/services -> ("v1", "services", "ui"); /apis/apps/v1/deployments -> all namespaces."""
    parts = path.strip("/").split("/")
    if parts[:1] == ["api"]:
        group_version, rest = parts[1], parts[2:]
    elif parts[:1] == ["apis"] and len(parts) >= 3:
        group_version, rest = f"{parts[1]}/{parts[2]}", parts[3:]
    else:
        return None
    if len(rest) == 3 and rest[0] == "namespaces":
        return group_version, rest[2], rest[1]
    if len(rest) == 1:
        return group_version, rest[0], None
    return None


def _handler(api: Api) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlparse(self.path)
            api.requests.append(self.path)
            api.tokens.add(self.headers.get("Authorization", ""))
            route = _route(url.path)
            if route is None:
                return self._send(404, {"kind": "Status", "status": "Failure", "reason": "NotFound", "code": 404})
            group_version, resource, namespace = route
            if resource in api.denied:
                return self._send(403, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "Forbidden",
                                        "message": f'{resource} is forbidden: User "ci" cannot list resource "{resource}"',
                                        "code": 403})
            items = api.items(group_version, resource, namespace)
            start = int(parse_qs(url.query).get("continue", ["0"])[0])
            page = items[start:start + 1]  # one object per page: the client has to follow `continue`
            meta: dict[str, Any] = {"resourceVersion": "48300"}
            if start + 1 < len(items):
                meta["continue"] = str(start + 1)
            return self._send(200, {"kind": "List", "apiVersion": group_version, "metadata": meta, "items": page})

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the test asserts on `api.requests` instead."""

    return Handler


@contextmanager
def serve(objects: dict[str, Any] | None = None, denied: set[str] | None = None) -> Iterator[tuple[Api, str]]:
    """(the fake API, its URL) while the server runs."""
    data = objects if objects is not None else json.loads(FIXTURE.read_text())
    api = Api({k: v for k, v in data.items() if not k.startswith("_")}, set(denied or ()))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def kubeconfig(path: Path, server: str, namespace: str = "ui") -> Path:
    """A kubeconfig with context `test` (namespace `namespace`, current) and `bare` (no namespace)."""
    config = {
        "apiVersion": "v1", "kind": "Config", "current-context": "test",
        "clusters": [{"name": "test", "cluster": {"server": server}}],
        "users": [{"name": "ci", "user": {"token": TOKEN}}],
        "contexts": [{"name": "test", "context": {"cluster": "test", "user": "ci", "namespace": namespace}},
                     {"name": "bare", "context": {"cluster": "test", "user": "ci"}}],
    }
    path.write_text(json.dumps(config))
    return path
