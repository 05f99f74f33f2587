"""One exclusive lock across processes and threads, re-entrant within a thread.

Adding a document changes the manifest and then rebuilds the index; both must happen under
the same lock, so the build called from inside an add takes the lock again. ``flock`` on a
file opened once per acquisition excludes other processes *and* other threads of this
process (each holds its own open file description); a per-thread depth count lets the
holder re-enter without deadlocking on itself. The kernel drops the lock when a process
dies, so a killed holder never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

_held = threading.local()


class LockBusy(TimeoutError):
    """Someone else held the lock for longer than we were willing to wait."""


def held(path: Path) -> bool:
    """Whether this thread holds the lock at ``path``."""
    return getattr(_held, "depth", {}).get(str(Path(path).absolute()), 0) > 0


@contextmanager
def exclusive(path: Path, wait_seconds: float = 600, poll: float = 0.1) -> Iterator[None]:
    """Hold the lock file ``path`` (created if needed); LockBusy after ``wait_seconds``."""
    key = str(Path(path).absolute())
    depth: dict[str, int] = _held.__dict__.setdefault("depth", {})
    if depth.get(key, 0):
        depth[key] += 1
        try:
            yield
        finally:
            depth[key] -= 1
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LockBusy(str(path)) from None
                time.sleep(poll)
        depth[key] = 1
        try:
            yield
        finally:
            depth[key] = 0
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
