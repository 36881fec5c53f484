"""Fonts for the report: one resolver per role, official fonts first, bundled open fonts otherwise.

Roles follow GB/T 9704: 小标宋 (title), 仿宋 (body), 黑体 (一、), 楷体 (（一）), 宋体 (page numbers). Only TrueType-outline
fonts can be embedded by reportlab; a CFF ``.otf`` is skipped with a log entry and the next candidate is tried.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from fazhi_desktop.reports.typeset.font_cache import load_font

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

BUNDLED_FILES = {"xiaobiaosong": "FandolSong-Bold.ttf", "fangsong": "FandolFang-Regular.ttf",
                 "heiti": "FandolHei-Regular.ttf", "kaiti": "FandolKai-Regular.ttf", "songti": "FandolSong-Regular.ttf"}
FALLBACK_FILE = "DroidSansFallbackFull.ttf"


def bundled_dir() -> Path:
    """The open fonts shipped inside the package (package data), wherever and however it is installed."""
    folder = Path(str(files("fazhi_desktop") / "fonts"))
    if not (folder / BUNDLED_FILES["fangsong"]).is_file():
        raise FileNotFoundError(f"bundled fonts not found in {folder}")
    return folder


def system_font_dirs() -> list[Path]:
    dirs: list[Path] = []
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
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


def resolve(user_choices: Mapping[str, str] | None = None, *, search_system: bool = True,
            roles: tuple[str, ...] = ROLES) -> dict[str, FontChoice]:
    """Pick a loadable TrueType font for every role (or for ``roles``: each font parsed costs memory). A font that
    loads is registered as it is probed: parsing a CJK font is most of a report's time, and it is done once."""
    from reportlab.pdfbase.ttfonts import TTFError

    chosen: dict[str, FontChoice] = {}
    for role in roles:
        for choice in candidates(role, (user_choices or {}).get(role), search_system):
            try:
                _register(choice.path, choice.subfont)
            except (TTFError, OSError) as exc:
                log.warning("font %s for %s unusable: %s", choice.path, role, exc)
                continue
            chosen[role] = choice
            break
    return chosen


def fallback_path() -> Path:
    return bundled_dir() / FALLBACK_FILE


class FontSet:
    """The fonts of one rendering: a registered reportlab font per role, plus the fallback for rare characters.

    ``font_for`` answers per character, so a name with 喆 or 堃 is drawn from the fallback font instead of vanishing;
    every such character is remembered for the warning shown to the user.
    """

    def __init__(self, choices: Mapping[str, FontChoice] | None = None, *, search_system: bool = True):
        from reportlab.pdfbase import pdfmetrics

        self._metrics = pdfmetrics
        self.choices = dict(choices or resolve(search_system=search_system))
        self.names = {role: _register(c.path, c.subfont) for role, c in self.choices.items()}
        self.fallback_chars: set[str] = set()
        self.missing_chars: set[str] = set()
        self._cmaps = {name: _cmap(name) for name in set(self.names.values())}

    @property
    def fallback(self) -> str:
        """The font for characters the chosen ones lack, parsed the first time one is met (most reports meet none,
        and parsing it is a large part of a report's time)."""
        name = _register(fallback_path(), 0)
        if name not in self._cmaps:
            self._cmaps[name] = _cmap(name)
        return name

    def font_for(self, role: str, ch: str) -> str:
        name = self.names[role]
        if ch in " \n" or ord(ch) in self._cmaps[name]:
            return name
        fallback = self.fallback
        if ord(ch) in self._cmaps[fallback]:
            self.fallback_chars.add(ch)
            return fallback
        self.missing_chars.add(ch)
        return name

    def width(self, ch: str, font: str, size: float) -> float:
        return self._metrics.stringWidth(ch, font, size)

    def warnings(self) -> list[str]:
        out = []
        if self.fallback_chars:
            out.append(f"以下字符所选字体中没有，已改用备用字体显示：{''.join(sorted(self.fallback_chars))}")
        if self.missing_chars:
            out.append(f"以下字符在所有可用字体中都没有，打印时可能显示为空白或方框，请更换字体或改写：{''.join(sorted(self.missing_chars))}")
        return out


_registered: dict[tuple[str, int], str] = {}


def stays_put(path: Path) -> bool:
    """The program's own fonts and those in the system's font folders: on this machine's disks for as long as the
    program runs (an installer replaces such a file with a new one). Any other file may be on a stick taken out."""
    try:
        where = path.resolve()
        return any(where.is_relative_to(folder.resolve()) for folder in (bundled_dir(), *system_font_dirs()))
    except (OSError, RuntimeError):
        return False


def _register(path: Path, subfont: int) -> str:
    """Register a TrueType font once per process under a stable name derived from its file (its parse kept between
    runs: font_cache)."""
    from reportlab.pdfbase import pdfmetrics

    key = (str(path), subfont)
    if key not in _registered:
        name = f"F{len(_registered)}-{path.stem}"[:60]
        pdfmetrics.registerFont(load_font(name, path, subfont, mapped=stays_put(path)))
        _registered[key] = name
    return _registered[key]


def _cmap(name: str) -> set[int]:
    from reportlab.pdfbase import pdfmetrics

    return set(pdfmetrics.getFont(name).face.charToGlyph)
