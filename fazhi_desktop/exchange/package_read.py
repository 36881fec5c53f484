"""package import: a township's package, read as a hostile file and merged into this database by record UUID.

Nothing from the package becomes a path (attachments are stored by their checked sha256), every part's size and
checksum is checked before a value is used, every record goes through the ledgers' own validation, and one package is
merged in one transaction: all of it or none. Merging is idempotent — a record is written only when the package's
copy is newer (``updated_at``, then ``version``) — and deletions travel as soft deletes. A record id that belongs to another unit, a
unit name held by another unit, a newer schema, an unknown part or a wrong checksum refuse the whole package.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from fazhi_desktop.domain.audit_actions import IMPORT, UPDATE
from fazhi_desktop.domain.errors import Problem, UserError
from fazhi_desktop.domain.ledgers import ledger as get_ledger
from fazhi_desktop.domain.roles import ADMIN_ONLY
from fazhi_desktop.domain.unit import REPORT_TEXT_FIELDS, UNIT_FIELDS
from fazhi_desktop.domain.validation import validate_fields, validate_record
from fazhi_desktop.domain.values import bad_character
from fazhi_desktop.exchange import package_format as pf
from fazhi_desktop.services import accounts, audit, reports_text, signing_key
from fazhi_desktop.services import attachments as attachment_files
from fazhi_desktop.services.records import from_storage, to_storage
from fazhi_desktop.services.units import Unit, create_unit, get_unit, update_unit
from fazhi_desktop.storage import blobstore, bulk, migrate
from fazhi_desktop.storage.schema import (
    DOCUMENT_KINDS,
    attachments,
    ledger_table,
    package_documents,
    package_receipts,
    units,
)

log = logging.getLogger(__name__)

MAX_PROBLEMS = 20
MERGE_BATCH = 1000  # records of one ledger merged at a time


class PackageError(UserError):
    """The package is refused; nothing was written."""


@dataclass
class Merged:
    unit: str
    year: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    attachments: int = 0
    new_unit: bool = False
    receipt: bool = False
    by_ledger: dict[str, int] = field(default_factory=dict)
    skipped: bool = False  # this very file was merged before: recognised by its checksum, nothing read again

    @property
    def summary(self) -> str:
        """One line for the clerk (the command line and the county tab say it alike)."""
        if self.skipped:
            return f"{self.unit} {self.year}年：这个数据包已导入过，内容没有变化，未重复导入。"
        new = "（新单位）" if self.new_unit else ""
        return (f"{self.unit}{new} {self.year}年：新增 {self.created} 条，更新 {self.updated} 条，未变 {self.unchanged} 条，"
                f"佐证材料 {self.attachments} 个。")


def _refuse(path: Path, why: str) -> PackageError:
    return PackageError(f"数据包「{path.name}」{why}，未导入，数据库没有任何改动。")


def _text(value: Any, where: str, path: Path, limit: int = pf.MAX_TEXT) -> str:
    if not isinstance(value, str) or not value or len(value) > limit:
        raise _refuse(path, f"的{where}异常")
    return value


def _name(value: Any, where: str, path: Path) -> str:
    """An attachment's name, by the restore's own rule (blobstore.name_problem): a name accepted here must not make
    every later backup of the county's database unrestorable."""
    problem = blobstore.name_problem(value)
    if problem:
        raise _refuse(path, f"的{where}的文件名异常（{problem}）")
    return value


def _uuid(value: Any, where: str, path: Path) -> str:
    try:
        return str(uuid.UUID(_text(value, where, path, 36)))
    except ValueError:
        raise _refuse(path, f"的{where}不是有效的编号") from None


CLOCK_SKEW = dt.timedelta(days=1)  # two office PCs' clocks may differ by hours, not by years


def _when(value: Any, where: str, path: Path, optional: bool = False) -> dt.datetime | None:
    if value is None and optional:
        return None
    try:
        when = dt.datetime.fromisoformat(_text(value, where, path, 32))
    except ValueError:
        raise _refuse(path, f"的{where}不是有效的时间") from None
    if when.tzinfo is not None or not 2000 <= when.year <= 2100:
        raise _refuse(path, f"的{where}不在合理范围内")
    return when


class _Package:
    """The zip, its manifest and its parts, each checked before it is handed out."""

    def __init__(self, path: Path):
        self.path = path
        if not path.is_file():
            raise UserError(f"找不到数据包：{path}")
        if path.stat().st_size > pf.MAX_FILE_BYTES:
            raise _refuse(path, "过大")
        try:
            self.zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise _refuse(path, "不是有效的数据包（文件损坏或不完整）") from exc
        infos = self.zf.infolist()
        if len(infos) > pf.MAX_PARTS:
            raise _refuse(path, "的组成部分过多")
        self.infos: dict[str, zipfile.ZipInfo] = {}
        lowered: set[str] = set()  # kept as it grows: a set built per part made 50,000 parts take minutes
        for info in infos:
            name = info.filename
            if name.lower() in lowered:
                raise _refuse(path, f"含有重名的部分「{name[:60]}」")
            lowered.add(name.lower())
            if name not in (pf.MANIFEST, pf.SIGNATURE) and not pf.known_part(name):
                raise _refuse(path, f"含有不属于数据包的部分「{name[:60]}」")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x1:
                raise _refuse(path, f"的「{name[:60]}」压缩方式异常")
            limit = pf.MAX_MANIFEST_BYTES if name == pf.MANIFEST else pf.MAX_SIGNATURE_BYTES \
                if name == pf.SIGNATURE else pf.part_limit(name)
            if info.file_size > limit:
                raise _refuse(path, f"的「{name[:60]}」过大")
            if info.file_size > pf.RATIO_FROM_BYTES and info.file_size > pf.MAX_RATIO * max(info.compress_size, 1):
                raise _refuse(path, f"的「{name[:60]}」压缩比异常（解压后是压缩后的 {info.file_size // max(info.compress_size, 1)} 倍）")
            self.infos[name] = info
        text_bytes = sum(i.file_size for n, i in self.infos.items() if not n.startswith("files/") and n not in pf.REPORT_PARTS)
        if text_bytes > pf.MAX_JSON_TOTAL_BYTES:
            raise _refuse(path, f"的记录部分解压后共 {text_bytes // 1024**2} MB，超过 {pf.MAX_JSON_TOTAL_BYTES // 1024**2} MB，"
                                "不像一个单位一年的数据")
        self._read: dict[str, bytes] = {}
        self.received: dt.date | None = None
        if pf.MANIFEST not in self.infos:
            raise _refuse(path, "没有清单（manifest.json），不是本程序生成的数据包")
        self.manifest = self._manifest()
        # The package's own time bounds every time in it (M1): newer-save-wins must not let a package dated 2099
        # freeze the county's copy of its records, nor one claim a future the county has not reached.
        self.created_at = _when(self.manifest.get("created_at"), "生成时间", path)
        if self.created_at > dt.datetime.now() + CLOCK_SKEW:
            raise _refuse(path, f"的生成时间（{self.created_at:%Y-%m-%d %H:%M}）晚于本机时间；请核对两台电脑的日期")

    def close(self) -> None:
        self.zf.close()

    def signer(self) -> tuple[str, str] | None:
        """(public key, signature) as hex when the package is signed, None when it is not (an older program's);
        a half-signed or malformed one is refused."""
        signer = self.manifest.get("signer")
        signed = pf.SIGNATURE in self.infos
        if signer is None and not signed:
            return None
        public = signer.get("public_key") if isinstance(signer, dict) else None
        if not signed or not isinstance(public, str) or not re.fullmatch(r"[0-9a-f]{64}", public):
            raise _refuse(self.path, "的签名信息不完整")
        with self.zf.open(self.infos[pf.SIGNATURE]) as fh:
            signature = fh.read(pf.MAX_SIGNATURE_BYTES + 1).decode("ascii", "replace").strip()
        if not re.fullmatch(r"[0-9a-f]{128}", signature):
            raise _refuse(self.path, "的签名格式异常")
        if not signing_key.verified(public, signature, self.manifest_bytes):
            raise _refuse(self.path, "的签名与内容不符：数据包在乡镇签名之后被改动过")
        return public, signature

    def read(self, name: str) -> bytes:
        """A small part (the unit, the report's text), read whole within its declared size and checked against the
        manifest like every part (``_mismatch``); kept for the merge."""
        if name in self._read:
            return self._read[name]
        self._expected(name)
        with self.zf.open(self.infos[name]) as fh:
            data = fh.read(self.infos[name].file_size + 1)
        if self._mismatch(name, hashlib.sha256(data).hexdigest(), len(data)):
            raise _refuse(self.path, f"的「{name}」校验值不符（文件被改动过或不完整）")
        self._read[name] = data
        return data

    def _expected(self, name: str) -> dict[str, Any]:
        info = self.infos.get(name)
        expected = self.manifest["parts"].get(name)
        if info is None or expected is None:
            raise _refuse(self.path, f"缺少「{name}」")
        return expected

    def _mismatch(self, name: str, digest: str, size: int) -> bool:
        expected = self._expected(name)
        return size != self.infos[name].file_size or digest != expected["sha256"] or size != expected["size"]

    def verify(self, name: str) -> None:
        """A part checked against its size and the manifest's checksum, read as a stream (a 512 MB part was kept
        whole, and every part at once: a small package took gigabytes, #33 H3)."""
        self._expected(name)
        digest, size = hashlib.sha256(), 0
        with self.zf.open(self.infos[name]) as fh:
            while chunk := fh.read(1024 * 1024):
                size += len(chunk)
                if size > self.infos[name].file_size:
                    break
                digest.update(chunk)
        if self._mismatch(name, digest.hexdigest(), size):
            raise _refuse(self.path, f"的「{name}」校验值不符（文件被改动过或不完整）")

    def json(self, name: str) -> Any:
        try:
            return json.loads(self.read(name).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise _refuse(self.path, f"的「{name}」内容无法读取") from None

    def lines(self, name: str) -> Iterator[tuple[int, Any]]:
        """The part's JSON lines, one at a time, each within its limit before it is parsed; checked against the
        manifest again as it is read (the file may have changed since the check before the merge)."""
        self._expected(name)
        digest, size, n = hashlib.sha256(), 0, 0
        with self.zf.open(self.infos[name]) as fh:
            while line := fh.readline(pf.MAX_LINE_BYTES + 1):
                n += 1
                size += len(line)
                digest.update(line)
                if len(line) > pf.MAX_LINE_BYTES or n > pf.MAX_RECORDS or size > self.infos[name].file_size:
                    raise _refuse(self.path, f"的「{name}」第 {n} 行过长或行数过多")
                if not line.strip():
                    continue
                try:
                    yield n, json.loads(line.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
                    raise _refuse(self.path, f"的「{name}」第 {n} 行无法读取") from None
        if self._mismatch(name, digest.hexdigest(), size):
            raise _refuse(self.path, f"的「{name}」校验值不符（文件被改动过或不完整）")

    def _manifest(self) -> dict[str, Any]:
        try:
            with self.zf.open(self.infos[pf.MANIFEST]) as fh:
                self.manifest_bytes = fh.read(pf.MAX_MANIFEST_BYTES + 1)
            manifest = json.loads(self.manifest_bytes.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, zipfile.BadZipFile, OSError):
            raise _refuse(self.path, "的清单无法读取") from None
        if not isinstance(manifest, dict) or manifest.get("format") != pf.FORMAT:
            raise _refuse(self.path, "不是本程序生成的数据包")
        if manifest.get("format_version") != pf.FORMAT_VERSION:
            raise _refuse(self.path, f"的格式版本（{str(manifest.get('format_version'))[:10]}）本程序不认识，请升级程序")
        revision = _text(manifest.get("schema_revision"), "数据库版本", self.path, 20)
        if not revision.isdigit() or int(revision) > int(migrate.HEAD):
            raise _refuse(self.path, f"由较新版本的程序生成（数据库版本 {revision[:20]}），请先升级本程序")
        parts = manifest.get("parts")
        if not isinstance(parts, dict):
            raise _refuse(self.path, "的清单缺少各部分的校验值")
        for name, info in parts.items():
            if (not isinstance(name, str) or not pf.known_part(name) or not isinstance(info, dict)
                    or not blobstore.valid_digest(info.get("sha256")) or not isinstance(info.get("size"), int)):
                raise _refuse(self.path, "的清单异常")
        unlisted = set(self.infos) - set(parts) - {pf.MANIFEST, pf.SIGNATURE}
        missing = set(parts) - set(self.infos)
        if unlisted or missing:
            raise _refuse(self.path, f"的部分与清单不符（{sorted(unlisted | missing)[0][:60]}）")
        year = manifest.get("year")
        if not isinstance(year, int) or not 2000 <= year <= 2100:
            raise _refuse(self.path, "的年度异常")
        return manifest


def _problems_text(problems: list[tuple[str, Problem]]) -> str:
    shown = [f"{where}「{p.label}」{p.message}" for where, p in problems[:MAX_PROBLEMS]]
    more = f"等 {len(problems)} 处" if len(problems) > MAX_PROBLEMS else ""
    return "中有记录不符合台账要求：" + "；".join(shown) + more


def _unit(pkg: _Package, conn: sa.Connection, wanted: str | None
          ) -> tuple[str, dict[str, Any], dict[str, Any], str | None]:
    data = pkg.json(pf.UNIT)
    if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
        raise _refuse(pkg.path, "的单位信息异常")
    unit_id = _uuid(data.get("id"), "单位编号", pkg.path)
    if unit_id != pkg.manifest.get("unit", {}).get("id"):
        raise _refuse(pkg.path, "的单位与清单不符")
    clean, problems = validate_fields(UNIT_FIELDS, data["values"])
    if any(not p.warning for p in problems):
        raise _refuse(pkg.path, _problems_text([("单位信息", p) for p in problems if not p.warning]))
    if wanted is not None and clean["name"] != wanted:
        raise _refuse(pkg.path, f"属于「{clean['name']}」，不是指定的「{wanted}」")
    same_name = conn.execute(sa.select(units.c.id).where(units.c.name == clean["name"])).scalar()
    choices = data.get("local_choices") or {}
    if not isinstance(choices, dict) or not all(
            isinstance(k, str) and len(k) <= 100 and isinstance(v, list) and len(v) <= 500
            and all(isinstance(x, str) and len(x) <= pf.MAX_TEXT and x.strip() and "|" not in x
                    and not bad_character(x) for x in v) for k, v in choices.items()):
        raise _refuse(pkg.path, "的单位自定义选项异常")  # by add_local_choice's own rule (M8)
    return unit_id, clean, choices, same_name


def _signer_plan(pkg: _Package, conn: sa.Connection, unit_id: str, name: str,
                 same_name: str | None) -> tuple[str, tuple[str, str, str | None] | None]:
    """Whose package this is, by its signature (#36): the unit id to merge under, and what to note of the key —
    ("pin", key, None) on a township's first signed package, ("relink", key, old fingerprint) when a 管理员 gave leave
    for this key (a rebuilt PC), None when nothing changes. Refused: a package signed by another key than the one
    pinned, an unsigned one from a township whose packages were signed, a township's name under another unit id
    without leave."""
    signed = pkg.signer()
    public = signed[0] if signed else None
    leave = signing_key.relink_leave(conn, name)
    fp = signing_key.fingerprint(public) if public else None
    if same_name is not None and same_name != unit_id:
        if fp is None or leave != fp:
            raise _refuse(pkg.path, f"的单位「{name}」与本数据库中同名单位不是同一个（单位编号不同）"
                                    + (f"。如该乡镇重装了电脑，请管理员核对签名指纹 {fp} 后重新关联（县级汇总页“重新关联乡镇…”，"
                                       "或命令 county relink）" if fp else ""))
        old = signing_key.pinned(conn, same_name)
        return same_name, ("relink", public, old["fingerprint"] if old else None)
    pinned = signing_key.pinned(conn, unit_id)
    if public is None:
        if pinned is not None:
            raise _refuse(pkg.path, f"没有签名，而{name}此前报送的数据包是签名的：数据包可能被人改动过")
        return unit_id, None
    if pinned is None:
        return unit_id, ("pin", public, None)
    if pinned.get("public_key") == public:
        return unit_id, None
    if leave == fp:
        return unit_id, ("relink", public, pinned.get("fingerprint"))
    raise _refuse(pkg.path, f"由另一把密钥签名（指纹 {fp}），县里登记的{name}的密钥指纹是 {pinned.get('fingerprint')}。"
                            "如该乡镇重装了电脑，请管理员核对指纹后重新关联（县级汇总页“重新关联乡镇…”，或命令 county relink）")


def _meta(pkg: _Package, where: str, meta: Any) -> dict[str, Any]:
    if not isinstance(meta, dict):
        raise _refuse(pkg.path, f"{where}的记录信息异常")
    version = meta.get("version") or 0
    if not isinstance(version, int) or not 0 <= version < 2**31 or not isinstance(meta.get("deleted"), bool):
        raise _refuse(pkg.path, f"{where}的记录信息异常")
    return {"created_at": _not_after(pkg, meta.get("created_at"), f"{where}的创建时间"),
            "created_by": _text(meta.get("created_by"), f"{where}的录入人", pkg.path, 64),
            "updated_at": _not_after(pkg, meta.get("updated_at"), f"{where}的修改时间"),
            "updated_by": _text(meta.get("updated_by"), f"{where}的修改人", pkg.path, 64),
            "deleted": meta["deleted"],
            "deleted_at": _not_after(pkg, meta.get("deleted_at"), f"{where}的删除时间", optional=True),
            "version": version}


def _not_after(pkg: _Package, value: Any, where: str, optional: bool = False) -> dt.datetime | None:
    """A time of the package's records: none may be later than the package itself was made."""
    when = _when(value, where, pkg.path, optional)
    if when is not None and when > pkg.created_at + CLOCK_SKEW:
        raise _refuse(pkg.path, f"的{where}（{when:%Y-%m-%d %H:%M}）晚于数据包的生成时间，数据包可能被改动过")
    return when


def merge_package(engine: sa.Engine, path: str | Path, actor: str, *, unit_name: str | None = None,
                  received: dt.date | None = None) -> Merged:
    """Merge one package in one transaction; ``PackageError`` (nothing written) when anything is wrong with it.
    ``received``: the day the package reached the county (by hand, on a U盘), when it is not today."""
    path = Path(path)
    try:
        pkg = _Package(path)
        try:
            if received is not None and not pkg.created_at.date() <= received <= dt.date.today():
                raise _refuse(path, f"的收到日期 {received.isoformat()} 不在数据包生成之日"
                                    f"（{pkg.created_at:%Y-%m-%d}）和今天之间")
            pkg.received = received
            return _merge(engine, pkg, actor, unit_name)
        finally:
            pkg.close()
    except MemoryError:  # within every limit and still too much for this PC: a refusal, not an internal error
        raise _refuse(path, "的内容过多，本机内存不足以读取") from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a damaged compressed part (CRC, deflate stream)
        raise _refuse(path, f"已损坏，无法读取（{str(exc)[:80]}）。请让对方重新导出数据包") from None


def _merge(engine: sa.Engine, pkg: _Package, actor: str, unit_name: str | None) -> Merged:
    manifest = pkg.manifest
    # Merging a township's year is a 管理员's (domain.roles), asked before anything is read further or stored
    accounts.require_engine(engine, actor, ADMIN_ONLY)
    file_digest = blobstore.digest_file(pkg.path)
    seen = _merged_before(engine, pkg, file_digest, unit_name)
    if seen is not None:
        return seen
    # Every part is read and checked before anything is written (a wrong checksum anywhere refuses all of it).
    for name in manifest["parts"]:
        if not name.startswith("files/"):
            pkg.verify(name)
    with engine.connect() as conn:
        unit_id, unit_values, choices, same_name = _unit(pkg, conn, unit_name)
        unit_id, key_plan = _signer_plan(pkg, conn, unit_id, unit_values["name"], same_name)
        files = attachment_files.store(conn)
    # Attachments first, each checked against its sha256 as it is written, into a staging folder: they move into the
    # store only once their records are committed. A refused package leaves nothing; a merge killed before its
    # commit leaves a staging folder the next start removes, one killed after it one whose files the next start
    # moves in (services.attachments.settle_interrupted).
    listed = _attachment_items(pkg)
    with files.staging() as stage:
        for item in listed:
            with pkg.zf.open(pkg.infos[f"files/{item['sha256']}"]) as fh:
                try:
                    stage.put(fh, item["sha256"], item["name"])
                except blobstore.HostileValueError:
                    raise _refuse(pkg.path, f"的佐证材料「{item['name'][:40]}」校验值不符") from None
        merged = _merge_records(engine, pkg, actor, unit_id, unit_values, choices, listed, file_digest, key_plan)
        try:
            stage.publish()
        except OSError as exc:  # accepted and committed: the files wait in the staging folder for the next start
            log.warning("attachment files of an accepted package could not be moved into the store yet: %s", exc)
    return merged


def _merged_before(engine: sa.Engine, pkg: _Package, file_digest: str, unit_name: str | None) -> Merged | None:
    """The same file, byte for byte, merged before (its receipt holds its checksum): its records are in already, so
    nothing is read or written again — only the day it came, when one is given (#38: a re-sent U盘 costs nothing)."""
    with engine.begin() as conn:
        seen = conn.execute(sa.select(package_receipts.c.id, package_receipts.c.year, package_receipts.c.counts,
                                      units.c.name).join(units, units.c.id == package_receipts.c.unit_id)
                            .where(package_receipts.c.sha256 == file_digest)).first()
        if seen is None or unit_name not in (None, seen.name):  # meant for another unit: the merge says why not
            return None
        if pkg.received is not None:  # the day it came, recorded after it was imported
            conn.execute(sa.update(package_receipts).where(package_receipts.c.id == seen.id).values(
                received_at=dt.datetime.combine(pkg.received, dt.time())))
    counts = seen.counts if isinstance(seen.counts, dict) else {}
    return Merged(seen.name, seen.year, unchanged=sum(v for v in counts.values() if isinstance(v, int)), skipped=True)


def _merge_records(engine: sa.Engine, pkg: _Package, actor: str, unit_id: str, unit_values: dict[str, Any],
                   choices: dict[str, Any], listed: list[dict[str, Any]], file_digest: str,
                   key_plan: tuple[str, str, str | None] | None = None) -> Merged:
    manifest = pkg.manifest
    year = manifest["year"]
    result = Merged(unit_values["name"], year)
    with engine.begin() as conn:
        row = conn.execute(sa.select(units).where(units.c.id == unit_id)).mappings().first()
        if row is None:
            unit = create_unit(conn, unit_values, actor, unit_id=unit_id)
            result.new_unit = True
        else:
            unit = Unit.from_row(row)
            if any(getattr(unit, k) != v for k, v in unit_values.items()):
                unit = update_unit(conn, unit, unit_values, actor)
        if key_plan is not None:
            action, public, old_fp = key_plan
            signing_key.pin(conn, unit.id, public)
            if action == "relink":  # a 管理员's leave, used once, in the unit's history
                signing_key.use_relink(conn, unit_values["name"])
                audit.append(conn, actor, [audit.Change(unit.id, "unit", unit.id, UPDATE, {
                    "数据包签名密钥": (old_fp, signing_key.fingerprint(public))})])
        if choices and choices != unit.local_choices:
            merged = dict(unit.local_choices)
            for k, v in choices.items():
                merged[k] = list(dict.fromkeys([*merged.get(k, []), *v]))
            if merged != unit.local_choices:  # a change of the unit like any other: in its history (M8)
                conn.execute(sa.update(units).where(units.c.id == unit.id).values(local_choices=merged))
                audit.append(conn, actor, [audit.Change(unit.id, "unit", unit.id, UPDATE,
                                                        {"local_choices": (unit.local_choices, merged)})])
                unit = get_unit(conn, unit_id=unit.id)
        problems: list[tuple[str, Problem]] = []
        changes: list[audit.Change] = []
        for part, key in pf.LEDGER_PARTS.items():
            if part in manifest["parts"]:
                _merge_ledger(pkg, conn, unit, part, key, actor, result, problems, changes)
        if problems:
            raise _refuse(pkg.path, _problems_text(problems))
        audit.append(conn, actor, changes)
        _merge_attachments(pkg, conn, unit, listed, result)
        _merge_draft(pkg, conn, unit, year, actor)
        received_at = dt.datetime.combine(pkg.received, dt.time()) if pkg.received else \
            dt.datetime.now().replace(microsecond=0)
        known = conn.execute(sa.select(package_receipts.c.id).where(package_receipts.c.sha256 == file_digest)).scalar()
        if known is not None and pkg.received is not None:  # the day it came, recorded after it was imported
            conn.execute(sa.update(package_receipts).where(package_receipts.c.id == known).values(received_at=received_at))
        if known is None:
            counts = {k: v for k, v in (manifest.get("counts") or {}).items() if isinstance(k, str) and isinstance(v, int)}
            findings = manifest.get("findings_open")
            receipt_id = str(uuid.uuid4())
            conn.execute(sa.insert(package_receipts).values(
                id=receipt_id, unit_id=unit.id, year=year, received_at=received_at,
                received_by=actor[:64], created_at=pkg.created_at,
                sha256=file_digest, program_version=_text(manifest.get("program_version"), "程序版本", pkg.path, 20),
                schema_revision=manifest["schema_revision"], counts=counts,
                findings_open=findings if isinstance(findings, int) and 0 <= findings < 10**6 else 0,
                has_report=pf.REPORT_PDF in manifest["parts"], created=result.created, updated=result.updated))
            _keep_documents(pkg, conn, receipt_id)
            result.receipt = True
    return result


def _keep_documents(pkg: _Package, conn: sa.Connection, receipt_id: str) -> None:
    """The report the township submitted (and its 公开版), kept as it came: the county opens what was sent, byte for
    byte (#36). Each checked against the manifest like every part, and only a PDF is kept."""
    for part, kind in ((pf.REPORT_PDF, DOCUMENT_KINDS[0]), (pf.PUBLIC_PDF, DOCUMENT_KINDS[1])):
        if part not in pkg.manifest["parts"]:
            continue
        data = pkg.read(part)
        if not data.startswith(b"%PDF-"):
            raise _refuse(pkg.path, f"的「{part}」不是PDF文件")
        conn.execute(sa.insert(package_documents).values(id=str(uuid.uuid4()), receipt_id=receipt_id, kind=kind,
                                                         sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                                                         data=data))


def _merge_ledger(pkg: _Package, conn: sa.Connection, unit: Unit, part: str, key: str, actor: str, result: Merged,
                  problems: list[tuple[str, Problem]], changes: list[audit.Change]) -> None:
    ledger = get_ledger(key)
    entries: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = []
    for n, item in pkg.lines(part):
        where = f"{ledger.name}第 {n} 条"
        if not isinstance(item, dict) or not isinstance(item.get("values"), dict):
            raise _refuse(pkg.path, f"{where}格式异常")
        entries.append((where, _uuid(item.get("id"), f"{where}的编号", pkg.path), _meta(pkg, where, item.get("meta")),
                        item["values"]))
        if len(entries) == MERGE_BATCH:
            _merge_batch(pkg, conn, unit, key, actor, result, problems, changes, entries)
            entries = []
    _merge_batch(pkg, conn, unit, key, actor, result, problems, changes, entries)


def _merge_batch(pkg: _Package, conn: sa.Connection, unit: Unit, key: str, actor: str, result: Merged,
                 problems: list[tuple[str, Problem]], changes: list[audit.Change],
                 entries: list[tuple[str, str, dict[str, Any], dict[str, Any]]]) -> None:
    """Some of a ledger's records (a whole ledger's values, rows and history entries were held at once before)."""
    ledger = get_ledger(key)
    table = ledger_table(key)
    ids = [e[1] for e in entries]
    stored: dict[str, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        for row in conn.execute(sa.select(table).where(table.c.id.in_(ids[i:i + 500]))).mappings():
            stored[row["id"]] = from_storage(ledger, row)
    inserts = []
    for where, rid, meta, raw in entries:
        current = stored.get(rid)
        if current is not None and current["unit_id"] != unit.id:
            raise _refuse(pkg.path, f"{where}的编号与本数据库中另一单位的记录相同")
        # Newer wins: by the time of the last save, then by the number of saves (two saves in one second).
        if current is not None and (current["updated_at"], current.get("version") or 0) >= (
                meta["updated_at"], meta["version"]):
            result.unchanged += 1
            continue
        values = dict(raw)
        for f in ledger.fields:
            if f.key in values and f.kind.is_masked(values[f.key]):  # ID numbers travel masked
                values[f.key] = f.kind.unmasked(values[f.key], (current or {}).get(f.key))
        clean, found = validate_record(ledger, values, villages=unit.villages, local_choices=unit.local_choices)
        errors = [p for p in found if not p.warning]
        if errors:
            problems += [(where, p) for p in errors]
            continue
        row = dict(to_storage(ledger, clean), **meta)
        if current is None:
            inserts.append(dict(row, id=rid, unit_id=unit.id))
            changes.append(audit.Change(unit.id, key, rid, IMPORT, {k: (None, v) for k, v in clean.items()
                                                                   if v not in (None, [], "")}))
            result.created += 1
        else:
            conn.execute(sa.update(table).where(table.c.id == rid).values(**row))
            diff = {k: (current.get(k), v) for k, v in {**clean, "deleted": meta["deleted"]}.items()
                    if current.get(k) != v}
            changes.append(audit.Change(unit.id, key, rid, UPDATE,
                                        diff or {"修改时间": (str(current["updated_at"]), str(meta["updated_at"]))}))
            result.updated += 1
        result.by_ledger[key] = result.by_ledger.get(key, 0) + 1
    if inserts:
        bulk.insert_rows(conn, table, inserts)
    if not problems:  # a package with problems is refused as a whole: its history entries would be rolled back
        audit.append(conn, actor, changes)
    changes.clear()


def _attachment_items(pkg: _Package) -> list[dict[str, Any]]:
    """attachments.jsonl, every entry checked (its file must be in the package)."""
    parts = pkg.manifest["parts"]
    if pf.ATTACHMENTS not in parts:
        return []
    items = []
    for n, item in pkg.lines(pf.ATTACHMENTS):
        where = f"佐证材料第 {n} 条"
        if not isinstance(item, dict):
            raise _refuse(pkg.path, f"{where}格式异常")
        ledger_key = _text(item.get("ledger"), f"{where}的台账", pkg.path, 40)
        if f"records/{ledger_key}.jsonl" not in pf.LEDGER_PARTS:
            raise _refuse(pkg.path, f"{where}的台账异常")
        digest = item.get("sha256")
        if not blobstore.valid_digest(digest) or f"files/{digest}" not in parts:
            raise _refuse(pkg.path, f"{where}的文件不在数据包中")
        size = item.get("size")
        if not isinstance(size, int) or not 0 <= size <= pf.MAX_BLOB_BYTES:
            raise _refuse(pkg.path, f"{where}的大小异常")
        items.append({"id": _uuid(item.get("id"), f"{where}的编号", pkg.path),
                      "record_id": _uuid(item.get("record_id"), f"{where}所属记录", pkg.path),
                      "ledger": ledger_key, "sha256": digest, "size": size,
                      "name": _name(item.get("name"), where, pkg.path),
                      "added_at": _not_after(pkg, item.get("added_at"), f"{where}的添加时间"),
                      "added_by": _text(item.get("added_by"), f"{where}的添加人", pkg.path, 64),
                      **_description(pkg, item, where), "where": where})
    return items


def _description(pkg: _Package, item: dict[str, Any], where: str) -> dict[str, Any]:
    """What the township said of the file (材料名称, 摄影者, 背景); a package of an earlier version has none."""
    out: dict[str, Any] = {}
    for key, label, most in attachment_files.DESCRIPTION:
        if key not in item:
            continue
        value = item[key]
        if value is not None and bad_character(_text(value, f"{where}的{label}", pkg.path, most)):
            raise _refuse(pkg.path, f"{where}的{label}含有不可见的控制字符")
        out[key] = value
    return out


def _merge_attachments(pkg: _Package, conn: sa.Connection, unit: Unit, items: list[dict[str, Any]],
                       result: Merged) -> None:
    for item in items:
        where = item.pop("where")
        table = ledger_table(item["ledger"])
        owner = conn.execute(sa.select(table.c.unit_id).where(table.c.id == item["record_id"])).scalar()
        if owner != unit.id:
            raise _refuse(pkg.path, f"{where}所属的记录不在本单位的数据中")
        existing = conn.execute(sa.select(attachments.c.unit_id).where(attachments.c.id == item["id"])).first()
        if existing is not None:
            if existing[0] != unit.id:
                raise _refuse(pkg.path, f"{where}的编号与另一单位的佐证材料相同")
            said = {k: item[k] for k, _label, _most in attachment_files.DESCRIPTION if k in item}
            if said:  # what the township since said of the file (材料名称, 摄影者, 背景)
                conn.execute(sa.update(attachments).where(attachments.c.id == item["id"]).values(**said))
            continue
        conn.execute(sa.insert(attachments).values(unit_id=unit.id, **item))
        result.attachments += 1


def _merge_draft(pkg: _Package, conn: sa.Connection, unit: Unit, year: int, actor: str) -> None:
    if pf.REPORT_TEXT not in pkg.manifest["parts"]:
        return
    data = pkg.json(pf.REPORT_TEXT)
    if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
        raise _refuse(pkg.path, "的报告文稿异常")
    when = _not_after(pkg, data.get("updated_at"), "报告文稿的修改时间")
    current = reports_text.load_report_text(conn, unit, year)
    if current is not None and current["updated_at"] >= when:
        return
    clean, problems = validate_fields(REPORT_TEXT_FIELDS, data["values"])
    if any(not p.warning for p in problems):
        raise _refuse(pkg.path, _problems_text([("报告文稿", p) for p in problems if not p.warning]))
    reports_text.save_report_text(conn, unit, year, clean, actor, updated_at=when)


def packages_in(paths: list[str]) -> list[Path]:
    """Files named on the command line, and the packages (``*.zip``) in a folder named there, in name order."""
    out: list[Path] = []
    for given in paths:
        p = Path(given)
        out += sorted(p.glob(f"*{pf.SUFFIX}")) if p.is_dir() else [p]
    return out


@dataclass
class Batch:
    merged: list[Merged] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # the messages, one a package


def merge_many(ctx, paths: list[Path], received: dt.date | None = None):
    """Each package on its own (one refused leaves the others merged), after a backup of a SQLite database; a
    ``Done`` that tells every tab to refresh."""
    from fazhi_desktop.services import safety
    from fazhi_desktop.services.context import EVERYTHING, NOTHING, Done

    if ctx.db.is_sqlite and paths:
        safety.backup_now(ctx.db, "before-import")
    batch = Batch()
    for path in paths:
        try:
            batch.merged.append(merge_package(ctx.engine, path, ctx.actor, unit_name=None, received=received))
        except PackageError as exc:
            batch.refused.append(str(exc))
    return Done(batch, EVERYTHING if batch.merged else NOTHING)
