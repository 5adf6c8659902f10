"""Writing output files so that a crash or Ctrl-C never leaves half a file behind."""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path


def N_(message: str) -> str:
    """Marks a message for extraction (as :func:`arshjul.i18n.N_`: this module imports nothing
    of arshjul, so the command line's first import stays light)."""
    return message


OS_REASONS: dict[int, str] = {
    # TRANSLATORS: why the operating system refused to read or write a file; the English is
    # the system's own (Linux) wording, shown after "cannot read:" / "cannot write:"
    errno.ENOENT: N_("No such file or directory"),
    errno.EACCES: N_("Permission denied"),
    errno.EPERM: N_("Operation not permitted"),
    errno.EISDIR: N_("Is a directory"),
    errno.ENOTDIR: N_("Not a directory"),
    errno.ENOSPC: N_("No space left on device"),
    errno.EDQUOT: N_("Disk quota exceeded"),
    errno.EROFS: N_("Read-only file system"),
    errno.EEXIST: N_("File exists"),
    errno.ENOTEMPTY: N_("Directory not empty"),
    errno.ENAMETOOLONG: N_("File name too long"),
    errno.ELOOP: N_("Too many levels of symbolic links"),
    errno.EMFILE: N_("Too many open files"),
    errno.EFBIG: N_("File too large"),
    errno.EIO: N_("Input/output error"),
    errno.EBUSY: N_("Device or resource busy"),
    errno.EXDEV: N_("Invalid cross-device link"),
    errno.ETXTBSY: N_("Text file busy"),
}
"""An operating system's reason by its ``errno`` (never by its text, which differs between
systems and C libraries) → the msgid of its words in the catalogues."""


def os_reason(err: OSError, translate: Callable[[str], str] | None = None) -> str:
    """Why ``err`` happened, for a one-line message: the system's own words (``strerror``),
    or, when ``translate`` (the caller's gettext) has a translation of its errno's msgid, that
    translation.  In English the line keeps exactly the system's words."""
    said = err.strerror or str(err)
    msgid = OS_REASONS.get(err.errno) if err.errno is not None else None
    if translate is None or msgid is None:
        return said
    words = translate(msgid)
    return said if words == msgid else words


def write_atomic(path: Path, data: bytes | str) -> Path:
    """Write to a temporary file beside ``path``, flush it to disk, then rename into place.

    A reader sees either the old file or the whole new one, never a torn one.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are meant to be shared
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


OWN = ".arshjul"
"""The hidden folder inside an output folder that holds its versions, staging and lock."""

CURRENT = "current"
"""``out/current`` → ``.arshjul/v-<n>``: the one link whose switch publishes a new set."""

_VERSION = re.compile(r"v-(\d+)")


class OutputFolderError(Exception):
    """An output folder that cannot be written as a set (one line, naming the folder).

    It holds its words as a msgid and the values put into it: ``str()`` is the English line,
    :meth:`translated` the line in the caller's language (this module imports none of
    arshjul, so it cannot translate by itself)."""

    def __init__(self, message: str, **values: object) -> None:
        self.message = message
        self.values = values
        super().__init__(self.translated(None))

    def translated(self, translate: Callable[[str], str] | None) -> str:
        """The line in ``translate``'s language (its gettext; ``None``: English), an OS
        error among the values given as its reason (:func:`os_reason`)."""
        words = self.message if translate is None else translate(self.message)
        if not self.values:
            return words
        return words.format(
            **{k: os_reason(v, translate) if isinstance(v, OSError) else v for k, v in self.values.items()}
        )


class InterruptedAfterWrite(KeyboardInterrupt):
    """Ctrl-C came while the new set was being published; it *was* published, in ``folder``."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.folder = folder


def _pause(step: str) -> None:
    """A hook between the steps of publishing: tests set it to pause the writer (kill -9)."""


def _is_ours(out: Path, name: str) -> bool:
    """``out/name`` is a top-level link arshjul made: ``name`` → ``current/name``."""
    path = out / name
    return path.is_symlink() and os.readlink(path) == f"{CURRENT}/{name}"


def _current_version(out: Path) -> str | None:
    link = out / CURRENT
    if not link.is_symlink():
        return None
    target = os.readlink(link)
    head, _, version = target.partition("/")
    return version if head == OWN and _VERSION.fullmatch(version) else None


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _symlink_atomic(target: str, path: Path, own: Path) -> None:
    """``path`` → ``target``, replacing a link that is there in one rename.  The new link is
    made in ``own`` (``.arshjul``) first, so a kill between the two steps leaves nothing in
    the output folder itself: the next run clears it with the other leftovers."""
    tmp = own / f"link-{path.name}"
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, path)


def prepare(out: Path, inputs: Iterable[Path] = ()) -> Path:
    """Check that ``out`` can hold arshjul's set of outputs and make its ``.arshjul`` folder.

    Refuses (:class:`OutputFolderError`) an output path that is a file, a folder holding
    anything arshjul did not write there, and an input file inside it (an output could
    replace it).  What is inside a folder arshjul writes is checked under the lock
    (:func:`_check_entries`), where no other run is changing it.
    """
    if out.exists() and not out.is_dir():
        raise OutputFolderError(N_("{out}: the output path is a file, not a folder"), out=out)
    where = out.resolve()
    for path in inputs:
        if path.resolve().is_relative_to(where):
            raise OutputFolderError(
                N_(
                    "{out}: the input {path} lies inside the output folder; "
                    "copy it elsewhere or write to another folder"
                ),
                out=out,
                path=path,
            )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputFolderError(
            N_("{out}: cannot create the output folder: {why}"), out=out, why=err
        ) from err
    own = out / OWN
    if own.is_symlink() or (own.exists() and not own.is_dir()):
        raise OutputFolderError(
            N_("{own}: is not arshjul's own folder (a link or a file); remove it"), own=own
        )
    entries = sorted(p.name for p in out.iterdir())
    if OWN not in entries and entries:
        raise OutputFolderError(
            N_(
                "{out}: the folder holds files arshjul did not write (e.g. {entry}); "
                "choose an empty or new folder, or one arshjul wrote"
            ),
            out=out,
            entry=entries[0],
        )
    try:
        own.mkdir(exist_ok=True)
    except OSError as err:
        raise OutputFolderError(
            N_("{out}: cannot write in the output folder: {why}"), out=out, why=err
        ) from err
    return own


def _check_entries(out: Path) -> None:
    """Everything in ``out`` is arshjul's: its folder, ``current`` and links into it."""
    version = _current_version(out)
    for name in sorted(p.name for p in out.iterdir()):
        if name == OWN or (name == CURRENT and version is not None) or _is_ours(out, name):
            continue
        if (out / name).is_symlink():
            raise OutputFolderError(
                N_("{path}: a link arshjul did not make; move it out of the output folder"), path=out / name
            )
        raise OutputFolderError(
            N_("{path}: not arshjul's; move it out of the output folder"), path=out / name
        )


def _clear_leftovers(own: Path, version: str | None) -> None:
    """What a killed run left: staging folders and versions that never became current."""
    for stale in own.iterdir():
        if stale.name not in (version, "lock"):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale)
            else:
                stale.unlink()


@contextmanager
def staged(out: Path, *, inputs: Iterable[Path] = (), carry: bool = False) -> Iterator[Path]:
    """Write a whole set of outputs into a new version of ``out``, then publish it at once.

    ``out`` holds ``.arshjul/v-<n>/`` (a complete set), the link ``current`` →
    ``.arshjul/v-<n>`` and, for each top-level entry of the set, a link ``name`` →
    ``current/name``.  The body writes into a staging folder; at the end it becomes the next
    version, the links its set needs are made (pointing nowhere until the switch), and one
    ``os.replace`` of ``current`` switches every path under ``out`` from the old set to the
    new one.  Then links the new set no longer has and the old version are removed.  A crash
    or kill at any point leaves ``out`` showing the old set or the new one, whole; the next
    run clears the leftovers.  One run writes a folder at a time: a second one waits for
    the lock (:data:`LOCK_WAIT`), so of two concurrent runs the later set wins, whole.  A
    reader wanting several files of one set resolves ``current`` once and reads under that
    version.  Ctrl-C while publishing is held back until it is done and then raised as
    :class:`InterruptedAfterWrite`.  ``carry`` starts the new version from a
    copy of the current one (to replace some files of a set, e.g. the report).
    """
    fresh = not out.exists()  # a first run: nothing of it stays if it ends before publishing
    own = prepare(out, inputs)
    published = False
    try:
        with _locked(own):
            _check_entries(out)
            version = _current_version(out)
            try:
                _clear_leftovers(own, version)
                stage = Path(tempfile.mkdtemp(prefix="tmp-", dir=own))
                os.chmod(stage, 0o777 & ~_umask())  # mkdtemp makes 0700; outputs are meant to be shared
            except OSError as err:
                raise OutputFolderError(
                    N_("{out}: cannot write in the output folder: {why}"), out=out, why=err
                ) from err
            try:
                if carry and version is not None:
                    shutil.copytree(own / version, stage, dirs_exist_ok=True)
                yield stage
                _pause("staged")
                for folder in sorted({p.parent for p in stage.rglob("*")} | {stage}, reverse=True):
                    _fsync_dir(folder)
                with sigint_deferred() as caught:
                    _publish(out, own, stage, version)
                    published = True
                if caught:
                    raise InterruptedAfterWrite(out)
            finally:
                if stage.exists():
                    shutil.rmtree(stage, ignore_errors=True)
    finally:
        if fresh and not published:
            _remove_unused(out, own)


def _remove_unused(out: Path, own: Path) -> None:
    """Take away the folder a first run made when it ended before publishing anything (Ctrl-C
    during the solve or the writing): "nothing was changed" then holds for the folder too.
    Anything else found there (another run's files) is left alone."""
    try:
        if {p.name for p in own.iterdir()} <= {"lock"} and {p.name for p in out.iterdir()} == {OWN}:
            (own / "lock").unlink(missing_ok=True)
            own.rmdir()
            out.rmdir()
    except OSError:
        pass


def _publish(out: Path, own: Path, stage: Path, old: str | None) -> None:
    numbers = [int(m.group(1)) for p in own.iterdir() if (m := _VERSION.fullmatch(p.name))]
    new = f"v-{max(numbers, default=0) + 1}"
    os.rename(stage, own / new)
    _fsync_dir(own)
    _pause("renamed")
    names = sorted(p.name for p in (own / new).iterdir())
    for name in names:
        if not _is_ours(out, name):
            _symlink_atomic(f"{CURRENT}/{name}", out / name, own)
            _pause(f"link {name}")
    _fsync_dir(out)
    _symlink_atomic(f"{OWN}/{new}", out / CURRENT, own)  # the switch: old set → new set
    _fsync_dir(out)
    _pause("switched")
    for entry in sorted(out.iterdir()):
        if entry.name not in names and entry.name not in (OWN, CURRENT) and _is_ours(out, entry.name):
            entry.unlink()
            _pause(f"unlink {entry.name}")
    if old is not None and old != new:
        shutil.rmtree(own / old, ignore_errors=True)
        _pause("removed old")


LOCK_WAIT = 30.0
"""Seconds a run waits for another one to finish publishing into the same folder (that takes
well under a second for a year's files) before it gives up with one line."""


@contextmanager
def _locked(own: Path) -> Iterator[None]:
    """One writer at a time per output folder; a second one waits for the first to finish
    (so both runs' work counts: the later set wins, whole), at most :data:`LOCK_WAIT` s."""
    fd = os.open(own / "lock", os.O_RDWR | os.O_CREAT, 0o666)
    try:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError as err:
                if time.monotonic() >= deadline:
                    raise OutputFolderError(
                        N_(
                            "{folder}: another arshjul is writing this folder "
                            "(waited {wait:g} s); try again when it is done"
                        ),
                        folder=own.parent,
                        wait=LOCK_WAIT,
                    ) from err
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


@contextmanager
def sigint_deferred() -> Iterator[list[int]]:
    """Hold Ctrl-C back; the caller reads the list it yields to see whether one came."""
    caught: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield caught
        return
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: caught.append(signum))
    try:
        yield caught
    finally:
        signal.signal(signal.SIGINT, previous)
