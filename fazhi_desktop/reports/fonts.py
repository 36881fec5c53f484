"""Fonts for the report: one resolver per role, official fonts first, bundled open fonts otherwise.

Roles follow GB/T 9704: 小标宋 (title), 仿宋 (body), 黑体 (一、), 楷体 (（一）), 宋体 (page numbers). Only TrueType-outline
fonts can be embedded by reportlab; a CFF ``.otf`` is skipped with a log entry and the next candidate is tried.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

ROLES = ("xiaobiaosong", "fangsong", "heiti", "kaiti", "songti")
ROLE_LABELS = {"xiaobiaosong": "小标宋（标题）", "fangsong": "仿宋（正文）", "heiti": "黑体（一级标题）",
               "kaiti": "楷体（二级标题）", "songti": "宋体（页码）"}

# File names of the official fonts as installed on Chinese office PCs (Windows, WPS, UOS/Kylin), best first.
OFFICIAL_FILES: dict[str, tuple[str, ...]] = {
    "xiaobiaosong": ("FZXBSJW.TTF", "方正小标宋简体.ttf", "FZXBSK.TTF", "方正小标宋_GBK.ttf"),
    "fangsong": ("仿宋_GB2312.ttf", "SIMFANG.TTF", "simfang.ttf", "FZFSK.TTF", "方正仿宋_GBK.ttf"),
    "heiti": ("SIMHEI.TTF", "simhei.ttf", "黑体.ttf", "FZHTK.TTF"),
    "kaiti": ("楷体_GB2312.ttf", "SIMKAI.TTF", "simkai.ttf", "FZKTK.TTF"),
    "songti": ("SIMSUN.TTC", "simsun.ttc", "宋体.ttf", "FZSSK.TTF"),
}
# What DOCX files name each role (Word/WPS resolve these on the PC that opens the file).
DOCX_NAMES = {"xiaobiaosong": "方正小标宋简体", "fangsong": "仿宋_GB2312", "heiti": "黑体", "kaiti": "楷体_GB2312",
              "songti": "宋体"}

BUNDLED_DIR_CANDIDATES = (
    Path(__file__).resolve().parents[2] / "resources" / "fonts",  # source checkout
    Path(getattr(sys, "_MEIPASS", "")) / "resources" / "fonts",  # frozen bundle
    Path(sys.prefix) / "share" / "fazhi_desktop" / "fonts",  # wheel install (data-files)
)
BUNDLED_FILES = {"xiaobiaosong": "FandolSong-Bold.ttf", "fangsong": "FandolFang-Regular.ttf",
                 "heiti": "FandolHei-Regular.ttf", "kaiti": "FandolKai-Regular.ttf", "songti": "FandolSong-Regular.ttf"}
FALLBACK_FILE = "DroidSansFallbackFull.ttf"


def bundled_dir() -> Path:
    for folder in BUNDLED_DIR_CANDIDATES:
        if (folder / BUNDLED_FILES["fangsong"]).is_file():
            return folder
    raise FileNotFoundError("bundled fonts not found")


def system_font_dirs() -> list[Path]:
    dirs: list[Path] = []
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    home = Path.home()
    dirs += [home / ".fonts", home / ".local/share/fonts", Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
             Path("/opt/kingsoft/wps-office/office6/fonts"), Path("/Library/Fonts"), home / "Library/Fonts"]
    return [d for d in dirs if d.is_dir()]


@lru_cache(maxsize=1)
def _system_index() -> dict[str, Path]:
    """Lower-cased file name → path for every font file in the usual folders (scanned once per process)."""
    index: dict[str, Path] = {}
    for folder in system_font_dirs():
        for path in folder.rglob("*"):
            if path.suffix.lower() in (".ttf", ".ttc", ".otf"):
                index.setdefault(path.name.lower(), path)
    return index


@dataclass(frozen=True)
class FontChoice:
    role: str
    path: Path
    official: bool
    subfont: int = 0


def candidates(role: str, user_choice: str | os.PathLike | None = None,
               search_system: bool = True) -> Iterable[FontChoice]:
    if user_choice:
        yield FontChoice(role, Path(user_choice), official=True)
    if search_system:
        index = _system_index()
        for name in OFFICIAL_FILES[role]:
            path = index.get(name.lower())
            if path:
                yield FontChoice(role, path, official=True)
    yield FontChoice(role, bundled_dir() / BUNDLED_FILES[role], official=False)


def resolve(user_choices: Mapping[str, str] | None = None, *, search_system: bool = True) -> dict[str, FontChoice]:
    """Pick a loadable TrueType font for every role."""
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    chosen: dict[str, FontChoice] = {}
    for role in ROLES:
        for choice in candidates(role, (user_choices or {}).get(role), search_system):
            try:
                TTFont(f"probe-{role}", str(choice.path), subfontIndex=choice.subfont)
            except (TTFError, OSError) as exc:
                log.warning("font %s for %s unusable: %s", choice.path, role, exc)
                continue
            chosen[role] = choice
            break
    return chosen


def fallback_path() -> Path:
    return bundled_dir() / FALLBACK_FILE
