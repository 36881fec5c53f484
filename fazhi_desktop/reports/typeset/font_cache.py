"""Parsed TrueType fonts kept between runs: reportlab reads a CJK font's character map, widths and glyph offsets in
Python, tens of thousands of entries, at every process start (0.03–0.05 s a font, five fonts a report, more for a
Windows font such as SimSun). What that parse yields is written once to the data folder and read back as arrays.

The cache is the program's own file, yet it is read as if it came from outside: a fixed binary layout of numbers and
short strings (no pickle, nothing that becomes code or a path), a size ceiling, a digest over its body, and a key made
of the machine's byte order, reportlab's version, the font file's path, size and modification time. Anything that
does not match is ignored and the font is parsed as reportlab parses it; a font whose parse yields a value of a shape
this file does not know is simply not cached.

A font that stays put (the program's own, the system's) is mapped, not read: a report's subsets take a few hundred
glyphs from files of 5–9 MB, and reading five of them, then copying each glyph table to cut a subset from it, was
about 40 ms of a report. A font the clerk picked elsewhere (a USB stick, say) is read whole as reportlab reads it, so
that taking the stick out cannot fault a later report.

The glyph-to-characters lists are checked when the file is read but made only when first asked for: reportlab reads
them only to shape text with HarfBuzz, which a report never does, and ten thousand lists a font held about 6 MB for a
report's five fonts.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import mmap
import os
import struct
import sys
import threading
from array import array
from fnmatch import fnmatch
from functools import partial
from itertools import accumulate
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

log = logging.getLogger(__name__)

FORMAT = 1
MAGIC = b"FZFONTCACHE\n"
# A font's tables as arrays: about 0.8 MB for a Fandol font, 2–3 MB for SimSun, about 5 MB at TrueType's most glyphs.
# A larger file is not read (and a font whose parse would need one is not cached): what it could make in memory is
# bounded (16 MB of numbers: about 2 million Python ints).
MAX_BYTES = 16 * 1024 * 1024
KEEP = 24  # files: the five roles' fonts, the fallback, the fonts a clerk tried in the settings
_HEADER = struct.Struct("<I")  # the JSON header's length
_SKIPPED = ("_pos", "_ttf_data", "filename", "_pdfScale")  # the reader's state; the file; rebuilt from unitsPerEm
# Every attribute reportlab's parse sets (5.1; another version is another key), with the forms it may be kept in: a
# file that lacks one, adds one or gives one another form is not used, so a face is never left half-made.
_NAMES, _NUMBERS = {"name"}, {"v"}
SCHEMA: dict[str, set[str]] = {
    **dict.fromkeys(("name", "familyName", "styleName", "fullName", "uniqueFontID"), _NAMES),
    **dict.fromkeys(("ascent", "descent", "capHeight", "stemV", "italicAngle", "underlinePosition",
                     "underlineThickness", "flags", "numGlyphs", "_full_font", "defaultWidth", "unitsPerEm"), _NUMBERS),
    "fontRevision": {"tuple"}, "bbox": {"list"}, "charToGlyph": {"map"}, "charWidths": {"map"},
    "glyphToChar": {"lists"}, "hmetrics": {"pairs", "list"}, "glyphPos": {"ints", "list"},
}


def cache_dir() -> Path:
    from fazhi_desktop.storage.paths import data_dir

    return data_dir() / "cache" / "fonts"


def load_font(name: str, path: Path, subfont: int = 0, *, mapped: bool = False):
    """A registered-ready reportlab TTFont for ``path``: from the cache when it holds this very file, else parsed by
    reportlab (and the cache written for the next run). ``mapped``: the file stays where it is for the life of the
    process, and is mapped into memory instead of read."""
    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFont

    font = TTFont.__new__(TTFont)
    # What TTFont.__init__ sets (reportlab 5.1), with the face built through the cache; a test compares the two.
    font.fontName = name
    font.face = _face_class()(str(path), subfont, mapped)
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, pattern) for pattern in rl_config.unShapedFontGlob)
    return font


_FACE = None
# Values read from a cache file and checked, made when a face is first asked for them (Later); face → name → Later.
_LATER: WeakKeyDictionary = WeakKeyDictionary()


class Later:
    """A value of a cache file, checked as it was read, made the first time it is asked for."""

    __slots__ = ("_make",)

    def __init__(self, make):
        self._make = make

    def __call__(self):
        return self._make()


def _face_class():
    """The face class, made on first use (reportlab is imported only by what draws)."""
    global _FACE
    if _FACE is None:
        from reportlab.pdfbase.ttfonts import TTFontFace

        class CachedFace(TTFontFace):
            def __init__(self, filename: str, subfont: int, mapped: bool = False):
                self._cache_subfont = subfont
                data = _map(filename) if mapped else None
                if data is not None:  # reportlab's readFile keeps a _ttf_data already there
                    self.filename, self._ttf_data = filename, data
                super().__init__(filename, validate=0, subfontIndex=subfont)
                del self._cache_subfont

            def extractInfo(self, charInfo=1):  # noqa: N802 - reportlab's name
                key = cache_key(Path(self.filename), self._cache_subfont)
                state = read(key) if key else None
                if state is not None:
                    later = {k: v for k, v in state.items() if type(v) is Later}
                    self.__dict__.update({k: v for k, v in state.items() if k not in later})
                    self._pdfScale = scale_for(self.unitsPerEm)
                    if later:
                        _LATER[self] = later
                    return
                before = dict(vars(self))
                super().extractInfo(charInfo)
                if key:
                    parsed = {k: v for k, v in vars(self).items()
                              if k not in _SKIPPED and (k not in before or before[k] is not v)}
                    write(key, parsed)

            def get_table(self, tag):  # noqa: D102 - reportlab's method
                """The glyph table of a mapped file as a window on it: reportlab's subsetting slices a few hundred
                glyphs out of it, where it copied the whole table (5–9 MB a font) for each subset."""
                if tag == "glyf" and type(self._ttf_data) is mmap.mmap:
                    return _Window(self._ttf_data, *self.get_table_pos(tag))
                return super().get_table(tag)

            def __getattr__(self, name):
                """Only for an attribute not set yet: one left for later is made now (once, whichever thread
                asks first keeps its value); anything else is missing as it would be."""
                later = _LATER.get(self)
                make = later.get(name) if later else None
                if make is None:
                    raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
                value = self.__dict__.setdefault(name, make())
                later.pop(name, None)
                return value

        _FACE = CachedFace
    return _FACE


def scale_for(units_per_em: int):
    """reportlab's scale from font units to 1/1000 em, as its parse makes it."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


def cache_key(path: Path, subfont: int) -> str | None:
    from reportlab import Version

    try:
        st = path.stat()
    except OSError:
        return None
    return f"{FORMAT}|{sys.byteorder}|reportlab {Version}|{path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{subfont}"


def _file_for(key: str) -> Path:
    return cache_dir() / (hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + ".bin")


# ---- the layout: MAGIC, header length, JSON header {key, digest, attrs}, then the arrays the header describes ----

def encode(key: str, state: dict[str, Any]) -> bytes | None:
    """The cache file's bytes, or None when a value has a shape this layout does not hold."""
    attrs: dict[str, Any] = {}
    blobs: list[bytes] = []

    def put(values: list) -> list:
        """An array of ints ("q"), of floats ("d"), or of both ("m": doubles, then a byte per value saying int;
        reportlab's widths past a font's last full metric are such a mix)."""
        types = {type(v) for v in values}
        try:
            if types <= {int}:
                blobs.append(array("q", values).tobytes())
                return ["q", len(values)]
            if types == {float}:
                blobs.append(array("d", values).tobytes())
                return ["d", len(values)]
            if types == {int, float} and all(abs(v) < 2**53 for v in values if type(v) is int):
                blobs.append(array("d", values).tobytes() + bytes(type(v) is int for v in values))
                return ["m", len(values)]
        except OverflowError:
            pass
        return []

    for name, value in state.items():
        kind = type(value).__name__
        if kind == "TTFNameBytes":
            attrs[name] = {"name": value.ustr}
        elif type(value) in (int, float, bool):
            attrs[name] = {"v": value}
        elif type(value) in (tuple, list) and len(value) <= 16 and all(type(v) in (int, float) for v in value):
            attrs[name] = {type(value).__name__: list(value)}
        elif type(value) is list and all(type(v) is int for v in value):
            spec = put(value)
            if not spec:
                return None
            attrs[name] = {"ints": spec}
        elif type(value) is list and all(type(v) is tuple and len(v) == 2 for v in value):
            spec = put([x for pair in value for x in pair])
            if not spec:
                return None
            attrs[name] = {"pairs": spec}
        elif type(value) is dict and all(type(k) is int for k in value):
            keys = put(list(value))
            if all(type(v) is list for v in value.values()):
                counts = put([len(v) for v in value.values()])
                flat = put([x for v in value.values() for x in v])
                if not (keys and counts and flat):
                    return None
                attrs[name] = {"lists": [keys, counts, flat]}
            else:
                values = put(list(value.values()))
                if not (keys and values):
                    return None
                attrs[name] = {"map": [keys, values]}
        else:
            log.debug("font cache: %s holds a %s; not cached", name, kind)
            return None
    if set(attrs) != set(SCHEMA) or any(not set(form) <= SCHEMA[name] for name, form in attrs.items()):
        log.debug("font cache: the parse's attributes are not the ones this layout knows; not cached")
        return None
    body = b"".join(blobs)
    header = json.dumps({"key": key, "digest": hashlib.sha256(body).hexdigest(), "attrs": attrs},
                        ensure_ascii=False).encode("utf-8")
    return MAGIC + _HEADER.pack(len(header)) + header + body


class _Damaged(ValueError):
    pass


def decode(key: str, data: bytes) -> dict[str, Any]:
    """The parsed state the bytes hold for ``key``; _Damaged when they are not exactly what encode wrote for it. Every
    value is checked here; glyph-to-characters lists come as a ``Later`` that makes them."""
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + _HEADER.size:
        raise _Damaged("not a font cache")
    (length,) = _HEADER.unpack_from(data, len(MAGIC))
    start = len(MAGIC) + _HEADER.size
    if length > len(data) - start:
        raise _Damaged("header past the end")
    header = json.loads(data[start:start + length].decode("utf-8"))
    body = memoryview(data)[start + length:]
    if not isinstance(header, dict) or header.get("key") != key:
        raise _Damaged("another font's cache")
    if header.get("digest") != hashlib.sha256(body).hexdigest():
        raise _Damaged("digest differs")
    offset = 0

    def take_array(spec: Any) -> array:
        nonlocal offset
        if not (isinstance(spec, list) and len(spec) == 2 and spec[0] in ("q", "d", "m")
                and type(spec[1]) is int and spec[1] >= 0):
            raise _Damaged("bad array")
        count = spec[1]
        size = 8 * count + (count if spec[0] == "m" else 0)
        if offset + size > len(body):
            raise _Damaged("array past the end")
        values = array("q" if spec[0] == "q" else "d")
        values.frombytes(body[offset:offset + 8 * count])
        if spec[0] == "m":
            values = _Mixed(values, bytes(body[offset + 8 * count:offset + size]))
        offset += size
        return values

    def take(spec: Any) -> list:
        return _as_list(take_array(spec))

    attrs = header.get("attrs")
    if not isinstance(attrs, dict) or set(attrs) != set(SCHEMA):
        raise _Damaged("not the attributes of a parse")
    state: dict[str, Any] = {}
    for name, desc in attrs.items():
        if not (isinstance(desc, dict) and len(desc) == 1 and set(desc) <= SCHEMA[name]):
            raise _Damaged(f"bad attribute {name!r}")
        ((kind, spec),) = desc.items()
        if kind == "name" and isinstance(spec, str):
            state[name] = TTFNameBytes(spec.encode("utf-8"))
        elif kind == "v" and type(spec) in (int, float, bool):
            state[name] = spec
        elif kind in ("tuple", "list") and isinstance(spec, list) and all(type(v) in (int, float) for v in spec):
            state[name] = tuple(spec) if kind == "tuple" else list(spec)
        elif kind == "ints":
            state[name] = take(spec)
        elif kind == "pairs":
            flat = take(spec)
            state[name] = list(zip(flat[::2], flat[1::2], strict=True))
        elif kind == "map" and isinstance(spec, list) and len(spec) == 2:
            state[name] = dict(zip(take(spec[0]), take(spec[1]), strict=True))  # unequal lengths: ValueError
        elif kind == "lists" and isinstance(spec, list) and len(spec) == 3:
            keys, counts, flat = take_array(spec[0]), take(spec[1]), take_array(spec[2])
            if len(keys) != len(counts) or sum(counts) != len(flat) or min(counts, default=0) < 0:
                raise _Damaged("list lengths")
            state[name] = Later(partial(_lists, keys, counts, flat))
        else:
            raise _Damaged(f"bad attribute {name!r}")
    if offset != len(body):
        raise _Damaged("trailing bytes")
    if type(state["unitsPerEm"]) is not int or state["unitsPerEm"] <= 0:
        raise _Damaged("units per em")
    return state


class _Mixed:
    """Doubles with a byte per value saying which were ints ("m" arrays), turned into a list when used."""

    __slots__ = ("values", "ints")

    def __init__(self, values: array, ints: bytes):
        self.values, self.ints = values, ints

    def __len__(self) -> int:
        return len(self.values)


def _as_list(values: array | _Mixed) -> list:
    if type(values) is _Mixed:
        return [int(v) if flag else v for v, flag in zip(values.values.tolist(), values.ints, strict=True)]
    return values.tolist()


def _lists(keys: array | _Mixed, counts: list[int], flat: array | _Mixed) -> dict:
    """Each key's run of the flat list, cut without a Python loop (10,000 glyphs a font)."""
    flat_list = _as_list(flat)
    ends = list(accumulate(counts))
    return dict(zip(_as_list(keys), map(flat_list.__getitem__, map(slice, [0, *ends[:-1]], ends)), strict=True))


def read(key: str) -> dict[str, Any] | None:
    path = _file_for(key)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise _Damaged("too large")
        return decode(key, path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError, UnicodeDecodeError) as exc:  # _Damaged, JSON, arrays
        log.info("font cache %s not used: %s", path.name, exc)
        return None


def write(key: str, state: dict[str, Any]) -> None:
    """Write the cache for the next run; a folder that cannot be written, or a parse this layout fails on, costs only
    the next run's parse — never the report being printed."""
    from fazhi_desktop.storage.paths import private_dir, private_file

    try:
        data = encode(key, state)
    except Exception:  # the cache is only a shortcut: its own fault goes to the log
        log.exception("font cache: the parse of %s could not be encoded", key)
        return
    if data is None or len(data) > MAX_BYTES:
        return
    path = _file_for(key)
    tmp = path.with_suffix(f".{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        private_dir(path.parent)
        tmp.write_bytes(data)
        private_file(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        log.info("font cache not written (%s): %s", path.parent, exc)
        with contextlib.suppress(OSError):
            tmp.unlink()
        return
    _prune(path.parent)


def _prune(folder: Path) -> None:
    """Fonts replaced, a newer reportlab: what no key names any more goes, the least recently written first."""
    try:
        kept = sorted(folder.glob("*.bin"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in kept[KEEP:]:
            old.unlink()
    except OSError as exc:  # another process pruning at the same moment, say
        log.info("font cache not pruned: %s", exc)


def _map(filename: str) -> mmap.mmap | None:
    """The file mapped read-only (it stays mapped while its face lives), or None to read it as reportlab does: an
    empty file cannot be mapped, and reportlab's own read gives its own message for it."""
    try:
        with open(filename, "rb") as fh:
            return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None


class _Window:
    """``length`` bytes of ``data`` from ``start``, sliced as bytes of their own would be; each slice is a copy of
    just that slice."""

    __slots__ = ("data", "start", "length")

    def __init__(self, data: mmap.mmap, start: int, length: int):
        self.data, self.start, self.length = data, start, length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, key: slice) -> bytes:
        if type(key) is not slice:
            raise TypeError("a font table window is only sliced")
        first, stop, step = key.indices(self.length)
        if step != 1:
            return bytes(self.data[self.start:self.start + self.length])[key]
        return self.data[self.start + first:self.start + max(first, stop)]
