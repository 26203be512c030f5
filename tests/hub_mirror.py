"""A tiny model hub mirror on 127.0.0.1, serving a model folder the test built, with the
few endpoints huggingface_hub uses to fetch a model (model info, then each file)."""

from __future__ import annotations

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

COMMIT = "0123456789abcdef0123456789abcdef01234567"


class MirrorServer(ThreadingHTTPServer):
    """The mirror's HTTP server, keeping the paths it was asked for."""

    requests: list[str]


def serve_mirror(folder: Path, repo: str) -> MirrorServer:
    """Serve ``folder`` as the hub repo ``repo``; returns the running server (shut it down)."""
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            requests.append(f"{self.command} {self.path}")
            path = self.path.split("?")[0]
            if path.startswith(f"/api/models/{repo}"):
                info = {"id": repo, "modelId": repo, "sha": COMMIT, "private": False,
                        "siblings": [{"rfilename": n, "size": len(b)} for n, b in files.items()]}
                self._send(200, json.dumps(info).encode(), {"Content-Type": "application/json"})
                return
            prefix = f"/{repo}/resolve/"
            if path.startswith(prefix):
                name = path[len(prefix):].split("/", 1)[1]
                if name in files:
                    body = files[name]
                    self._send(200, body, {"X-Repo-Commit": COMMIT,
                                           "ETag": f'"{hashlib.sha256(body).hexdigest()}"',
                                           "Content-Type": "application/octet-stream"})
                    return
            self._send(404, b"{}", {"X-Error-Code": "EntryNotFound"})

        do_HEAD = do_GET

    server = MirrorServer(("127.0.0.1", 0), Handler)
    server.requests = requests
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
