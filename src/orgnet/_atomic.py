"""Atomic writes: a file or folder appears whole at its path, or not at all.

Everything orgnet writes (datasets, workbooks, graph files, reports, views)
goes through :func:`atomic_file` or :func:`atomic_folder`: the content is
written to a temporary sibling (same folder, so the final move is a rename on
one file system) and moved into place only once complete. An interrupted
write leaves the previous content, or nothing, at the path; never half a file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from .errors import OrgnetError

__all__ = ["atomic_file", "atomic_target", "atomic_folder", "check_writable", "TMP_PREFIX"]

#: prefix of temporary siblings; ``read_dataset`` refuses a folder with this name
TMP_PREFIX = ".orgnet-tmp-"


def check_writable(path, *, folder: bool = False) -> Path:
    """Check, before any work, that ``path`` can be written; returns it as a Path.

    The parent folder must exist (or be creatable) and be writable, and the
    path must not be an existing folder when a file is to be written there
    (or an existing file when a folder is).

    >>> import tempfile, os
    >>> check_writable(os.path.join(tempfile.mkdtemp(), "report.html")).name
    'report.html'
    """
    p = Path(path)
    if not folder and p.is_dir():
        raise OrgnetError(f"cannot write {str(p)!r}: it is a folder; give a file name")
    if folder and p.exists() and not p.is_dir():
        raise OrgnetError(f"cannot write {str(p)!r}: it is a file, not a folder")
    parent = p.parent if str(p.parent) else Path(".")
    probe = parent
    while not probe.exists():  # the nearest existing ancestor decides whether we may create it
        if probe.parent == probe:
            break
        probe = probe.parent
    if not probe.is_dir():
        raise OrgnetError(f"cannot write {str(p)!r}: {str(probe)!r} is a file, not a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise OrgnetError(f"cannot write {str(p)!r}: no permission to write in {str(probe)!r}")
    if p.exists() and not os.access(p, os.W_OK) and not folder:
        raise OrgnetError(f"cannot write {str(p)!r}: the file is read-only")
    return p


@contextlib.contextmanager
def atomic_file(path, mode: str = "wb", **open_kwargs):
    """Open a temporary sibling of ``path`` for writing; move it into place on success.

    Yields the open file. On an exception the temporary file is removed and
    ``path`` is left as it was.
    """
    with atomic_target(path) as tmp:
        with open(tmp, mode, **open_kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())


@contextlib.contextmanager
def atomic_target(path):
    """Yield a temporary sibling *path* (not an open file) for a writer that takes a
    path (openpyxl, networkx); move it into place on success."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=p.suffix, dir=p.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        _keep_mode(p, tmp)
        os.replace(tmp, p)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _keep_mode(p: Path, tmp: str) -> None:
    """mkstemp makes 0600 files; give the result the mode a plain open() would."""
    try:
        mode = p.stat().st_mode & 0o777 if p.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
    except OSError:  # pragma: no cover - exotic file systems
        pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_folder(path):
    """Yield a temporary sibling folder; on success it replaces ``path`` whole.

    An existing folder at ``path`` is moved aside first and removed only after
    the new one is in place, so at every moment ``path`` holds either the old
    dataset or the new one.
    """
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=p.parent))
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())
        if p.exists():
            old = Path(tempfile.mkdtemp(prefix=TMP_PREFIX + "old-", dir=p.parent))
            os.rmdir(old)
            os.replace(p, old)
            try:
                os.replace(tmp, p)
            except BaseException:
                os.replace(old, p)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, p)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
