"""Running the workspace app on uvicorn: in the foreground (``arshjul serve``) or in a
background thread (tests, screenshots)."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn


def config(app: Any, host: str, port: int) -> uvicorn.Config:
    """uvicorn quiet: no access log (the first address carries the token), no server header."""
    return uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False, server_header=False, lifespan="off"
    )


def run(app: Any, host: str, port: int) -> None:
    """Serve until Ctrl-C."""
    uvicorn.Server(config(app, host, port)).run()


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (for tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        port: int = s.getsockname()[1]
        return port


class Background:
    """The app served in a daemon thread: ``with Background(app, port) as server: ...``."""

    def __init__(self, app: Any, port: int, host: str = "127.0.0.1") -> None:
        self.server = uvicorn.Server(config(app, host, port))
        self.thread = threading.Thread(target=self.server.run, name="arshjul-serve", daemon=True)

    def __enter__(self) -> Background:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
