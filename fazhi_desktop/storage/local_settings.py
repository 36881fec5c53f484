"""Settings that belong to this PC, not to the data: where a database's backups go, how many are kept, which font
files the reports use.

They name places on this computer, so they live in the per-user data folder (keyed on the database's identity, one
policy for the whole database whatever units it holds), never inside the database: a backup or a database file
handed over from elsewhere can then never make a path of its own choosing the program's backup folder or font.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.domain.fields import bad_character
from fazhi_desktop.storage import atomic, identity, paths

KEYS = ("backup_dir", "backup_keep", "fonts")
MAX_KEEP = 1000


def _file() -> Path:
    return paths.data_dir() / "local-settings.json"


def _load_all() -> dict[str, Any]:
    try:
        data = json.loads(_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load(database_id: str | None) -> dict[str, Any]:
    if not database_id:
        return {}
    found = _load_all().get(database_id)
    return clean(found) if isinstance(found, dict) else {}


MAX_CLERK = 32  # a name as the change log shows it


def clean(values: Mapping[str, Any]) -> dict[str, Any]:
    """Only the known keys, each of its own type (the file is the clerk's, but stays checked)."""
    out: dict[str, Any] = {}
    folder = values.get("backup_dir")
    if isinstance(folder, str) and folder.strip() and not bad_character(folder):
        out["backup_dir"] = folder.strip()
    keep = values.get("backup_keep")
    if isinstance(keep, int) and not isinstance(keep, bool) and 1 <= keep <= MAX_KEEP:
        out["backup_keep"] = keep
    for key in ("clerk", "last_account"):
        name = values.get(key)
        if isinstance(name, str) and 0 < len(name.strip()) <= MAX_CLERK and not bad_character(name):
            out[key] = name.strip()
    fonts = values.get("fonts")
    if isinstance(fonts, dict):
        chosen = {str(k): v for k, v in fonts.items() if isinstance(v, str) and v and not bad_character(v)}
        if chosen:
            out["fonts"] = chosen
    return out


def update(database_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    for value in (changes.get("backup_dir"), changes.get("clerk"), changes.get("last_account"),
                  *((changes.get("fonts") or {}).values())):
        problem = bad_character(value) if isinstance(value, str) else None
        if problem:
            raise UserError(f"设置内容{problem}")
    everything = _load_all()
    merged = clean({**load(database_id), **changes})
    everything[identity.checked(database_id)] = merged
    try:
        paths.private_dir(_file().parent)
        with atomic.atomic_stream(_file(), private=True, output=False) as fh:
            fh.write(json.dumps(everything, ensure_ascii=False, indent=1).encode("utf-8"))
    except OSError as exc:
        raise UserError(f"无法保存本机设置：{_file()}（{exc.strerror or exc}）") from exc
    return merged


def backup_policy(database_id: str | None) -> tuple[Path, int]:
    """(folder, keep) for a database's rotating backups; the defaults when unset."""
    from fazhi_desktop.storage.backup_files import DEFAULT_KEEP

    values = load(database_id)
    folder = Path(values["backup_dir"]) if values.get("backup_dir") else paths.default_backup_dir()
    return folder, int(values.get("backup_keep") or DEFAULT_KEEP)


def adopt_legacy(database_id: str, legacy: Mapping[str, Any], trusted: bool) -> None:
    """Versions before this kept these settings in the unit: take them over once — only from a database this PC
    already knew at this very path (``trusted``), never from one handed over."""
    if not trusted or not legacy:
        return
    current = load(database_id)
    wanted = {k: v for k, v in clean(legacy).items() if k not in current}
    if wanted:
        with contextlib.suppress(UserError):
            update(database_id, wanted)
