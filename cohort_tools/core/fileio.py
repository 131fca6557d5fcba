"""Writing outputs so that nothing half-written is ever left looking complete.

Every file the package produces goes through :func:`atomic_write_bytes` (write to a temporary name in
the same folder, flush, then ``os.replace``), so an interrupted run leaves either the old file or the new
one, never a torn one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

_UMASK_LOCK = threading.Lock()


def process_umask() -> int:
    """This process's file mode creation mask, read without changing it: setting it to 0 and back
    (the portable way) would let a file another thread creates meanwhile be world-writable."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    with _UMASK_LOCK:  # no /proc (not Linux): the portable way, one thread at a time
        current = os.umask(0)
        os.umask(current)
        return current


def file_identity(path: Path) -> tuple[int, int, int, int]:
    """The key under which a cache keeps what it read from ``path``: the same file by any path
    (device, inode; a file replaced by a rename is another) with the same content as far as its
    size and modification time tell (written again in place). OSError if it is missing."""
    st = path.stat()
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` to write to; rename it into place only on success."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    # mkstemp makes the file private (0600); give it the usual mode so packets and pages can be
    # shared from a web server or a shared drive.
    os.fchmod(fd, 0o666 & ~process_umask())
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    with atomic_path(path) as tmp, open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return Path(path)


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    return atomic_write_bytes(path, text.encode(encoding))


def write_all_or_nothing(outputs: Mapping[Path, bytes]) -> list[Path]:
    """Write several files; if any write fails, remove the ones this call created."""
    written: list[Path] = []
    created: list[Path] = []
    try:
        for path, data in outputs.items():
            existed = path.exists()
            atomic_write_bytes(path, data)
            written.append(path)
            if not existed:
                created.append(path)
    except BaseException:
        for path in created:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        raise
    return written


@contextlib.contextmanager
def staged_dir(final: Path) -> Iterator[Path]:
    """Build a folder under a temporary name beside ``final`` and swap it in only on success."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=final.parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if final.exists():
        old = final.with_name(f".{final.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(final, old)
        os.replace(tmp, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, final)
