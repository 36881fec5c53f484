"""Content-addressed file stores: a database's 佐证材料 (``<data>/attachments/<identity>/``) and the shared store
beside rotating backups (``<backups>/attachments/``).

Every value that names a stored file comes from a database or a backup, and a backup may come from anyone: a
"hash" of ``../../.config/autostart/x`` or ``C:\\Users\\…`` must never become a path. So a digest is accepted only
as exactly 64 lower-case hex characters, an extension only from a list of document and picture types, and every
path built is checked to lie inside its store before anything is read, written or deleted. Bytes are verified
against their digest whenever they enter a store.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.domain.values import bad_character, replace_bad_characters
from fazhi_desktop.storage import atomic

_DIGEST = re.compile(r"[0-9a-f]{64}")
_SUFFIX = re.compile(r"\.[a-z0-9]{1,10}")
CHUNK = 1 << 20
# Extensions a stored file keeps (so the system opens it with the right program). Anything else — programs and
# scripts (.bat .exe .js .desktop .lnk …), web pages — is stored without one and never opened by the program.
OPENABLE_SUFFIXES = frozenset(
    [".pdf", ".ofd", ".doc", ".docx", ".wps", ".wpt", ".dot", ".dotx", ".rtf", ".txt", ".odt", ".xls", ".xlsx", ".et", ".ett", ".csv", ".ods", ".ppt", ".pptx", ".dps", ".odp", ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff", ".heic", ".mp3", ".m4a", ".wav", ".amr", ".aac", ".mp4", ".mov", ".avi", ".wmv", ".3gp", ".mkv", ".flv", ".zip", ".rar", ".7z"])
PENDING = "pending-"  # intent files of operations adding files (Store.writing)
STAGING = "staging-"  # folders of files that wait for their records (Store.staging)
MAX_PENDING_BYTES = 64 * 1024**2
MARKER = ".fazhi-attachments"  # in a backup folder's store: the files there were written by this program


class HostileValueError(UserError):
    """A value read from a database or backup that no file of this program could hold."""


def valid_digest(value: object) -> bool:
    return isinstance(value, str) and _DIGEST.fullmatch(value) is not None


def checked_digest(value: object, where: str = "") -> str:
    if not valid_digest(value):
        shown = repr(value)[:80]
        raise HostileValueError(f"{where}佐证材料的校验值 {shown} 不是本程序写入的（应为64位十六进制数字），"
                                "文件可能被人为改动过，已拒绝。")
    return value  # type: ignore[return-value]


MAX_NAME = 255


def name_problem(name: object) -> str | None:
    """Why a stored file's name may not be kept (None when it may). The one check for every door a name comes in by
    (a restored backup, a township's package): what one of them accepted, a backup made later must restore."""
    if not isinstance(name, str) or not name.strip():
        return "文件名为空"
    if len(name) > MAX_NAME:
        return f"文件名超过{MAX_NAME}个字符"
    return bad_character(name)


def clean_name(name: str) -> str:
    """A file's own name from this PC, made storable (a Linux file name may hold a control character)."""
    cleaned = replace_bad_characters(name)[:MAX_NAME]
    return cleaned if cleaned.strip() else "未命名"


def safe_suffix(name: object) -> str:
    """The extension a stored file may carry: a known document or picture type, else none."""
    if not isinstance(name, str):
        return ""
    dot = name.rfind(".")
    suffix = name[dot:].lower() if dot >= 0 else ""
    return suffix if _SUFFIX.fullmatch(suffix) and suffix in OPENABLE_SUFFIXES else ""


def openable(name: str) -> bool:
    return bool(safe_suffix(name))


def digest_stream(fh: BinaryIO) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: fh.read(CHUNK), b""):
        h.update(chunk)
        size += len(chunk)
    return h.hexdigest(), size


def digest_file(path: Path) -> str:
    with open(path, "rb") as fh:
        return digest_stream(fh)[0]


def _inside(root: Path, path: Path) -> bool:
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
    except (OSError, ValueError):
        return False


def regular_file(path: Path) -> bool:
    """A plain file, not a symlink, device, pipe or folder (lstat: links are not followed)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def database_store(database_id: str) -> Store:
    """佐证材料 of one database (keyed on its identity: two databases never share or delete each other's files)."""
    from fazhi_desktop.storage import identity, paths

    folder = paths.data_dir() / "attachments"
    return Store(folder / identity.checked(database_id), legacy_root=folder)


class Store:
    """One database's attachment store: ``<root>/<sha[:2]>/<sha><suffix>``."""

    def __init__(self, root: Path, legacy_root: Path | None = None):
        self.root = root
        self.legacy_root = legacy_root  # versions before identities shared ``<data>/attachments/<sha[:2]>/<sha>``

    def path(self, digest: str, name: str = "") -> Path:
        digest = checked_digest(digest)
        path = self.root / digest[:2] / (digest + safe_suffix(name))
        if not _inside(self.root, path):
            raise HostileValueError(f"佐证材料的存放位置异常（{path}），已拒绝。")
        return path

    def _candidates(self, digest: str, name: str) -> Iterator[Path]:
        yield self.path(digest, name)
        # Versions before the extension list kept any extension of up to 16 characters.
        old = name[name.rfind("."):].lower()[:16] if isinstance(name, str) and "." in name else ""
        if _SUFFIX.fullmatch(old):
            yield self.root / digest[:2] / (digest + old)
        if self.legacy_root is not None:
            yield self.legacy_root / digest[:2] / digest

    def find(self, digest: str, name: str = "") -> Path | None:
        """The stored file (a regular file inside the store), wherever a version of the program put it."""
        digest = checked_digest(digest)
        for candidate in self._candidates(digest, name):
            root = self.root if candidate.is_relative_to(self.root) else self.legacy_root
            if root is not None and regular_file(candidate) and _inside(root, candidate):
                return candidate
        return None

    def put(self, source: BinaryIO, digest: str, name: str = "") -> Path:
        """Store the bytes of ``source``, which must hash to ``digest`` (else nothing is kept)."""
        target = self.path(digest, name)
        if regular_file(target):
            return target
        atomic_dir(target.parent, self.root)
        _write_verified(source, target, digest)
        return target

    def put_file(self, source: Path, digest: str, name: str = "") -> Path:
        with open(source, "rb") as fh:
            return self.put(fh, digest, name)

    def remove(self, digest: str, name: str = "") -> None:
        """Delete a stored file — only ever a regular file inside this store."""
        path = self.path(digest, name)
        if regular_file(path) and _inside(self.root, path):
            path.unlink(missing_ok=True)

    @contextlib.contextmanager
    def writing(self, items: list[tuple[str, str]]) -> Iterator[None]:
        """Files an operation is about to add, before its records point to them: listed in an intent file first,
        which goes when the operation ends (its records committed, or the files taken back). A kill in between
        leaves the intent file, and the next start removes the listed files no record points to (``interrupted``)."""
        if not items:
            yield
            return
        for digest, _name in items:
            checked_digest(digest)
        atomic_dir(self.root, self.root)
        journal = self.root / f"{PENDING}{uuid.uuid4().hex}.json"
        with atomic.atomic_stream(journal, private=True, output=False) as fh:
            fh.write(json.dumps([[d, n] for d, n in items], ensure_ascii=False).encode("utf-8"))
        try:
            yield
        finally:
            journal.unlink(missing_ok=True)

    @contextlib.contextmanager
    def staging(self) -> Iterator[Staging]:
        """A folder beside the store for the files of an operation that may still be refused (a township's
        package): the files are written and verified there, and move into the store only on ``Staging.publish``,
        after their records are committed. Leaving the block unpublished removes the folder with all it holds; a
        kill leaves it, and the next start moves in what a committed record points to and removes the rest
        (``leftover_stagings``)."""
        atomic_dir(self.root, self.root)
        folder = self.root / f"{STAGING}{uuid.uuid4().hex}"
        atomic_dir(folder, self.root)
        stage = Staging(self, folder)
        try:
            yield stage
        finally:
            if not stage.kept:
                stage.discard()

    def leftover_stagings(self) -> list[Staging]:
        """Staging folders an interrupted operation left (``staging``)."""
        if not self.root.is_dir():
            return []
        return [Staging(self, p) for p in self.root.glob(f"{STAGING}*")
                if p.is_dir() and not p.is_symlink() and re.fullmatch(rf"{STAGING}[0-9a-f]{{32}}", p.name)]

    def interrupted(self) -> Iterator[tuple[Path, list[tuple[str, str]]]]:
        """Intent files an interrupted operation left (``writing``), each with the files it was adding."""
        if not self.root.is_dir():
            return
        for journal in self.root.glob(f"{PENDING}*.json"):
            if not regular_file(journal) or journal.stat().st_size > MAX_PENDING_BYTES:
                continue
            try:
                listed = json.loads(journal.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                listed = []
            items = [(d, n) for d, n in (e for e in listed if isinstance(e, list) and len(e) == 2)
                     if valid_digest(d) and isinstance(n, str)] if isinstance(listed, list) else []
            yield journal, items


class Staging:
    """Files waiting in a staging folder of a store (``Store.staging``), each named by its checked digest and the
    extension the store gives it."""

    def __init__(self, store: Store, folder: Path):
        self.store = store
        self.folder = folder
        self.kept = False  # a publish failed half-way: what waits is left for the next start, never removed

    def _path(self, digest: str, name: str) -> Path:
        path = self.folder / (checked_digest(digest) + safe_suffix(name))
        if not _inside(self.folder, path):
            raise HostileValueError(f"佐证材料的暂存位置异常（{path}），已拒绝。")
        return path

    def put(self, source: BinaryIO, digest: str, name: str = "") -> bool:
        """Write the bytes of ``source`` here, verified against ``digest``; False when the store already holds the
        file (nothing to write)."""
        if self.store.find(digest, name) is not None:
            return False
        target = self._path(digest, name)
        if not regular_file(target):
            _write_verified(source, target, digest)
        return True

    def files(self) -> list[tuple[str, Path]]:
        """(digest, path) of each file waiting here; anything else in the folder is not ours to move."""
        found = []
        with contextlib.suppress(OSError):
            for path in self.folder.iterdir():
                digest = path.name[:64]
                if valid_digest(digest) and path.name == digest + safe_suffix(path.name) and regular_file(path):
                    found.append((digest, path))
        return found

    def publish(self, wanted: Callable[[str], bool] = lambda _digest: True) -> int:
        """Move the waiting files ``wanted`` says a record points to into the store (a rename: same folder tree),
        then remove the folder. Returns how many moved."""
        moved = 0
        try:
            for digest, path in self.files():
                if not wanted(digest):
                    continue
                target = self.store.path(digest, path.name)
                if not regular_file(target):
                    atomic_dir(target.parent, self.store.root)
                    os.replace(path, target)
                    moved += 1
        except OSError:
            self.kept = True
            raise
        self.discard()
        return moved

    def discard(self) -> None:
        """Remove the folder and whatever still waits in it (only regular files, never through a link)."""
        if not self.folder.is_dir() or self.folder.is_symlink():
            return
        with contextlib.suppress(OSError):
            for path in self.folder.iterdir():
                if regular_file(path):
                    path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            self.folder.rmdir()


def _write_verified(source: BinaryIO, target: Path, digest: str) -> None:
    """Stream ``source`` into ``target`` (owner-only, atomically); nothing is kept unless the bytes hash to ``digest``."""
    with atomic.atomic_stream(target, private=True, output=False) as out:
        h = hashlib.sha256()
        for chunk in iter(lambda: source.read(CHUNK), b""):
            h.update(chunk)
            out.write(chunk)
        if h.hexdigest() != digest:
            raise HostileValueError(f"佐证材料的内容与其校验值不符（{digest[:12]}…），文件可能被改动过，已拒绝。")


def atomic_dir(folder: Path, root: Path) -> None:
    """Create a store's folder (owner-only), refusing one that resolves outside the store (a planted symlink)."""
    from fazhi_desktop.storage import paths

    paths.private_dir(folder)
    if not _inside(root, folder):
        raise HostileValueError(f"佐证材料文件夹「{folder}」指向了其他位置，已拒绝。")


class Stash:
    """The files of rotating backups' attachments, once each, in a backup folder: ``attachments/<sha[:2]>/<sha>``.

    The folder carries a marker; files are only ever removed from a marked folder, and only files whose names are
    digests — a clerk's own ``attachments`` folder in a chosen backup location is never touched.
    """

    def __init__(self, folder: Path):
        self.root = folder / "attachments"

    def path(self, digest: str) -> Path:
        digest = checked_digest(digest)
        return self.root / digest[:2] / digest

    def find(self, digest: str) -> Path | None:
        path = self.path(digest)
        return path if regular_file(path) and _inside(self.root, path) else None

    def owned(self) -> bool:
        return regular_file(self.root / MARKER)

    def _claim(self) -> None:
        """Mark the folder as the program's: a new one, or one whose every entry is laid out as this store's
        (written by a version before the marker)."""
        if self.owned():
            return
        if self.root.exists() and not all(_our_entry(p) for p in self.root.iterdir()):
            return
        from fazhi_desktop.storage import paths

        paths.private_dir(self.root)
        with atomic.atomic_stream(self.root / MARKER, private=True, output=False) as fh:
            fh.write(b"fazhi_desktop: backups' attachment files\n")

    def put(self, source: BinaryIO, digest: str) -> Path:
        target = self.path(digest)
        if regular_file(target):
            return target
        self._claim()
        atomic_dir(target.parent, self.root)
        _write_verified(source, target, digest)
        return target

    def collect(self, referenced: Iterable[str]) -> int:
        """Remove files no backup refers to — only in a folder this program marked, only digest-named files."""
        if not self.owned():
            return 0
        keep = set(referenced)
        removed = 0
        for sub in self.root.iterdir():
            if not (sub.is_dir() and not sub.is_symlink() and re.fullmatch(r"[0-9a-f]{2}", sub.name)):
                continue
            for blob in sub.iterdir():
                if valid_digest(blob.name) and blob.name[:2] == sub.name and blob.name not in keep \
                        and regular_file(blob):
                    with contextlib.suppress(OSError):
                        blob.unlink()
                        removed += 1
        return removed


def _our_entry(path: Path) -> bool:
    if path.name == MARKER:
        return True
    if not (path.is_dir() and not path.is_symlink() and re.fullmatch(r"[0-9a-f]{2}", path.name)):
        return False
    return all(valid_digest(p.name) and p.name[:2] == path.name or p.name.endswith(atomic.TEMP_SUFFIX)
               for p in path.iterdir())
