"""Files that appear whole or not at all (Qt-free).

Every file kopdesk writes for the clerk (backups, exports, reports, letters) is written under a temporary name in
the same folder and renamed over the final name only when it is complete and flushed to disk. A full disk, a
killed process or an exception midway leaves no half-written file under the final name, and an older file of that
name stays as it was.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kopdesk.models.errors import DomainError

DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}


class WriteFailed(DomainError):
    """A file could not be written; nothing was left under its final name."""

    code = "write_failed"


def temp_path_for(final: Path) -> Path:
    """The temporary name used while ``final`` is written: hidden, same folder, same extension."""
    return final.with_name(f".{final.stem}.part-{os.getpid()}{final.suffix}")


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows; the rename is durable enough there
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def explain(exc: OSError, final: Path) -> str:
    """An Indonesian message for a failed write of ``final``."""
    if exc.errno in DISK_FULL_ERRNOS:
        return (f"Ruang disk tidak cukup untuk menulis {final}. Berkas tidak dibuat; "
                "kosongkan ruang disk atau pilih folder lain, lalu ulangi.")
    if exc.errno == errno.EIO:
        return (f"Disk gagal menulis {final} (ruang disk penuh atau disk bermasalah). Berkas tidak dibuat; "
                "periksa ruang disk, lalu ulangi.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Tidak ada izin menulis {final}. Pilih folder lain."
    return f"Berkas {final} tidak dapat ditulis ({exc.strerror or exc}). Berkas tidak dibuat."


@contextmanager
def _removed_on_failure(tmp: Path, final: Path) -> Iterator[None]:
    """Remove the temporary file when the block fails; explain a failed write in Indonesian."""
    try:
        yield
    except OSError as exc:
        _remove_temp(tmp)
        raise WriteFailed(explain(exc, final), path=str(final), errno=exc.errno) from exc
    except BaseException:
        _remove_temp(tmp)
        raise


def _publish(tmp: Path, final: Path) -> None:
    """Put the finished temporary file under its final name in one rename, flushed to disk first."""
    with _removed_on_failure(tmp, final):
        _fsync_file(tmp)
        os.replace(tmp, final)
        _fsync_dir(final.parent)


@contextmanager
def atomic_path(final: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path to write; on success it becomes ``final`` in one rename.

    Raises:
        WriteFailed: the write failed for lack of space or rights (the temporary file is removed).
    """
    final = Path(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path_for(final)
    with _removed_on_failure(tmp, final):
        yield tmp
        if not tmp.exists():
            raise WriteFailed(f"Berkas {final} tidak dibuat (tidak ada isi yang ditulis).", path=str(final))
    _publish(tmp, final)


def _remove_temp(tmp: Path) -> None:
    """Remove the temporary file and the journal files SQLite may have left beside it."""
    for path in (tmp, *(tmp.with_name(tmp.name + s) for s in ("-journal", "-wal", "-shm"))):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass


def write_bytes(final: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``final`` atomically and return the path."""
    with atomic_path(final) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
    return Path(final)


def atomic_workbook(final: str | os.PathLike[str], options: dict | None = None):  # type: ignore[type-arg]
    """An xlsxwriter Workbook that appears under ``final`` only when :meth:`close` completes.

    Use it as a context manager (``with atomic_workbook(path) as wb:``): leaving the block normally (also by
    ``return``) writes the file, an exception discards it. A full disk during ``close()`` raises
    :class:`WriteFailed` and leaves no file under ``final``.
    """
    import xlsxwriter

    final_path = Path(final)
    final_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path_for(final_path)

    class _AtomicWorkbook(xlsxwriter.Workbook):  # type: ignore[misc]
        def close(self) -> None:
            with _removed_on_failure(tmp, final_path):
                super().close()
            _publish(tmp, final_path)

        def __exit__(self, exc_type, exc, tb) -> None:  # type: ignore[no-untyped-def]
            if exc_type is None:
                self.close()
                return
            with _removed_on_failure(tmp, final_path):  # e.g. xlsxwriter's own temporary files ran out of space
                self.fileclosed = True
                raise exc

        def discard(self) -> None:
            try:
                self.fileclosed = True  # xlsxwriter then skips writing in its destructor
            finally:
                _remove_temp(tmp)

    return _AtomicWorkbook(str(tmp), options or {})


def write_via_buffer(target: object, render) -> object:  # type: ignore[no-untyped-def]
    """Render into memory, then write the bytes atomically when ``target`` is a path (a buffer is used as is).

    ``render(buffer)`` draws the whole document into the buffer and returns any result, which is passed on.
    """
    import io

    if isinstance(target, io.IOBase):
        return render(target)
    buf = io.BytesIO()
    result = render(buf)
    write_bytes(target, buf.getvalue())  # type: ignore[arg-type]
    return result
