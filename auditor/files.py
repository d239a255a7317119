"""Reading and writing files on ground the auditor does not control.

Reading: every file is read through `read_capped`, which opens regular files only (a FIFO would block
forever, /dev/zero would fill memory) and stops at a size cap.
Writing: nothing written is ever half there (temp file, fsync, rename), and no write follows a symbolic link:
the rename replaces a link planted where an output goes instead of writing through it, and the folders an
audit writes into are made real folders under --out (`ensure_dir`). Flow folder names stay inside --out.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

from auditor.errors import InputError


class FileProblem(OSError):
    """A file that is not one the auditor reads: not a regular file, or larger than the cap."""


def _open_regular(path: str | Path) -> tuple[int, os.stat_result]:
    """A descriptor of a regular file, opened without blocking (a FIFO opens without waiting for a writer)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "is a directory, not a file")
        raise FileProblem("is not a regular file (a device, pipe or socket)")
    return fd, info


def read_head(path: str | Path, size: int) -> bytes:
    """The first `size` bytes of a regular file (FileProblem for anything else)."""
    fd, _ = _open_regular(path)
    try:
        return os.read(fd, size)
    finally:
        os.close(fd)


def read_capped(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; else FileProblem (or the OSError of opening)."""
    fd, info = _open_regular(path)
    try:
        if info.st_size > limit:
            raise FileProblem(f"is larger than {_size(limit)}")
        chunks, left = [], limit + 1
        while left > 0:  # a file may grow while it is read
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise FileProblem(f"is larger than {_size(limit)}")
    return data


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"


def prepare_out(out: Path) -> Path:
    """Create --out (and its parents) and check the auditor can write there, before any crawl starts: a bad
    --out is a usage error (exit 2), not a traceback after the whole crawl."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InputError("is a file, not a folder", file=f"--out {out}") from None
    except NotADirectoryError:
        raise InputError("a part of this path is a file, not a folder", file=f"--out {out}") from None
    except OSError as exc:
        raise InputError(f"cannot create the folder ({exc.strerror or exc})", file=f"--out {out}") from None
    try:
        fd, probe = tempfile.mkstemp(dir=out, prefix=".auditor-write-check.")
    except OSError as exc:
        raise InputError(f"cannot write in the folder ({exc.strerror or exc})", file=f"--out {out}") from None
    os.close(fd)
    os.unlink(probe)
    return out


def ensure_dir(folder: Path, root: Path) -> Path:
    """`folder` (under `root`) as real folders: a symbolic link planted on the way (in a reused --out) is
    removed and replaced by a folder, so nothing is written through it. `root` itself is the user's choice."""
    here = root
    for part in folder.relative_to(root).parts:
        here = here / part
        if here.is_symlink():
            here.unlink()
        try:
            here.mkdir()
        except FileExistsError:
            if not here.is_dir() or here.is_symlink():  # a file (or a link planted just now) where a folder goes
                raise NotADirectoryError(20, "not a folder", str(here)) from None
    return folder


def write_atomic(path: Path, content: str | bytes, *, durable: bool = True) -> None:
    """Write to a temp file beside `path`, fsync, then rename over it: readers see old or new, never half, and
    a symbolic link at `path` is replaced, not written through. `durable=False` skips the fsync (evidence such
    as screenshots, many per flow, that a crash may lose with the run)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_new(path: Path, content: str) -> None:
    """Create `path` with `content`; an existing file, or a link (even a dangling one), raises FileExistsError."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content)


def safe_name(name: str, limit: int = 80) -> str:
    """A file-system-safe folder name for a flow: no separators, no dots in front, bounded length."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")[:limit]
    return cleaned or "flow"
