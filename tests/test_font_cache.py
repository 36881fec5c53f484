"""The parsed fonts kept between runs (reports.typeset.font_cache): the same font as reportlab's own parse, read
without parsing, and a damaged, foreign or stale cache file ignored and written anew."""

from __future__ import annotations

import mmap
import shutil

import pytest
from reportlab.pdfbase.ttfonts import TTFNameBytes, TTFont, TTFontFile

from fazhi_desktop.reports.typeset import font_cache, fonts
from fazhi_desktop.reports.typeset.fonts import BUNDLED_FILES, FontChoice, FontSet, bundled_dir, fallback_path

SAMPLE = [ord(c) for c in "肖咀镇2023年法治政府建设工作报告，（一）“述法”ABCxyz 、。"]


@pytest.fixture
def parses(monkeypatch):
    """How many times reportlab itself parsed a font's tables."""
    calls = []
    original = TTFontFile.extractInfo

    def counted(self, charInfo=1):  # noqa: N803 - reportlab's name
        calls.append(self.filename)
        return original(self, charInfo)

    monkeypatch.setattr(TTFontFile, "extractInfo", counted)
    return calls


def assert_same_font(ours, theirs) -> None:
    """Every attribute of the font and of its face as reportlab's TTFont has them (the reader's own position and the
    scale function aside, the latter compared by what it gives)."""
    assert type(ours) is TTFont
    assert set(vars(ours)) == set(vars(theirs))
    for name, value in vars(theirs).items():
        if name == "encoding":
            assert type(ours.encoding) is type(value) and vars(ours.encoding) == vars(value)
        elif name not in ("face", "state"):
            assert getattr(ours, name) == value, name
    face, other = ours.face, theirs.face
    assert set(vars(face)) <= set(vars(other))  # what is not made yet is made when read, below
    for name, value in vars(other).items():
        if name in ("_pos", "_pdfScale"):
            continue
        mine = getattr(face, name)
        if type(mine) is mmap.mmap:  # a font that stays put is mapped, not read: the same bytes
            mine = mine[:]
        assert mine == value and type(mine) is type(value), name
        if isinstance(value, TTFNameBytes):
            assert mine.ustr == value.ustr, name
        if isinstance(value, dict) and value and isinstance(next(iter(value.values())), list):
            assert list(mine.items()) == list(value.items()), name  # the same order of characters per glyph
    assert set(vars(face)) == set(vars(other))
    for units in (0, 1, 37, 256, 1000, 2048):
        assert face._pdfScale(units) == other._pdfScale(units)
    assert face.makeSubset(SAMPLE) == other.makeSubset(SAMPLE)
    assert ours.stringWidth("肖咀镇（一）ABC，", 16) == theirs.stringWidth("肖咀镇（一）ABC，", 16)


FONTS = [bundled_dir() / BUNDLED_FILES["fangsong"], bundled_dir() / BUNDLED_FILES["xiaobiaosong"], fallback_path()]


@pytest.mark.parametrize("path", FONTS, ids=lambda p: p.stem)
def test_the_second_run_reads_the_font_without_parsing_it_and_gets_reportlabs_font(path, parses):
    first = font_cache.load_font("F-first", path)
    assert len(parses) == 1  # nothing cached yet: reportlab parses it, and the cache is written
    assert list(font_cache.cache_dir().glob("*.bin"))
    second = font_cache.load_font("F-second", path)
    assert len(parses) == 1  # read back, not parsed
    theirs = TTFont("F-second", str(path))
    assert_same_font(second, theirs)
    assert_same_font(first, TTFont("F-first", str(path)))


def test_a_font_read_from_the_cache_makes_its_glyph_lists_only_when_asked(parses):
    """A report never shapes text with HarfBuzz, the only reader of a face's glyph-to-characters lists: read from the
    cache they are checked but not made until asked for, then made once, as reportlab's parse makes them."""
    font_cache.load_font("F-write", FONTS[2])
    face = font_cache.load_font("F-read", FONTS[2]).face
    assert len(parses) == 1
    assert "glyphToChar" not in vars(face)
    theirs = TTFont("F-theirs", str(FONTS[2])).face.glyphToChar
    made = face.glyphToChar
    assert list(made.items()) == list(theirs.items())
    assert face.glyphToChar is made and vars(face)["glyphToChar"] is made
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        face.nothing  # noqa: B018 - an attribute neither set nor left for later


def test_glyph_lists_of_unlike_lengths_are_refused_when_the_file_is_read(tmp_path):
    """Made later, checked now: a header whose lists do not fit together fails the read, not the first use."""
    file = tmp_path / "cache.bin"
    file.write_bytes(font_cache.encode("k", _parsed(FONTS[0])))

    def cut_elsewhere(header) -> None:  # one count fewer than keys, one character more: the same bytes
        lists = header["attrs"]["glyphToChar"]["lists"]
        lists[1][1] -= 1
        lists[2][1] += 1

    _rewrite_header(file, cut_elsewhere)
    with pytest.raises(ValueError):
        font_cache.decode("k", file.read_bytes())


RARE = [ord(c) for c in "㐇㐈㐉"]  # drawn from composite glyphs in the fallback font (glyphs made of other glyphs)


@pytest.mark.parametrize("path", FONTS, ids=lambda p: p.stem)
def test_a_font_that_stays_put_is_mapped_and_subset_as_reportlab_subsets_it(path, parses):
    """The program's own fonts are mapped instead of read; the subset a report embeds is the very bytes reportlab
    cuts from the file it read, composite glyphs (their references renumbered) included."""
    ours_parsed = []
    for name in ("F-parse", "F-cache"):  # parsed by reportlab over the mapped file, then from the cache
        ours = font_cache.load_font(name, path, mapped=True)
        ours_parsed.append(len(parses))
        assert type(ours.face._ttf_data) is mmap.mmap
        theirs = TTFont(name, str(path))
        assert_same_font(ours, theirs)
        assert ours.face.makeSubset(SAMPLE + RARE) == theirs.face.makeSubset(SAMPLE + RARE)
    assert ours_parsed == [1, 2]  # ours once; the second time from the cache (the 2nd parse is reportlab's own)


def test_a_window_on_a_table_slices_as_the_tables_own_bytes_would():
    data = bytes(range(256)) * 4
    with mmap.mmap(-1, len(data)) as mapped:
        mapped.write(data)
        table = data[100:900]
        window = font_cache._Window(mapped, 100, 800)
        assert len(window) == len(table)
        for key in (slice(0, 2), slice(10, 20), slice(790, 810), slice(900, 1000), slice(20, 10), slice(None),
                    slice(-5, None), slice(None, -795), slice(3, 40, 7), slice(None, None, -1)):
            assert window[key] == table[key] and type(window[key]) is bytes, key
        with pytest.raises(TypeError):
            window[3]  # noqa: B018 - reportlab only slices the glyph table


def test_the_reports_own_fonts_are_mapped_and_a_font_picked_elsewhere_is_read(tmp_path, monkeypatch):
    """The program's fonts and the system's are mapped; a font the clerk picked from a USB stick is read whole (the
    stick may be taken out while the program runs, and a mapped file gone would fault the next report)."""
    own = FontSet(search_system=False)
    assert {type(own._metrics.getFont(n).face._ttf_data) for n in own.names.values()} == {mmap.mmap}
    stick, system = tmp_path / "stick", tmp_path / "Windows" / "Fonts"
    for folder in (stick, system):
        folder.mkdir(parents=True)
        shutil.copyfile(FONTS[0], folder / "仿宋_GB2312.ttf")
    monkeypatch.setattr(fonts, "system_font_dirs", lambda: [system])
    assert fonts.stays_put(bundled_dir() / BUNDLED_FILES["kaiti"])
    assert fonts.stays_put(system / "仿宋_GB2312.ttf")
    assert not fonts.stays_put(stick / "仿宋_GB2312.ttf")
    assert not fonts.stays_put(system / ".." / ".." / "stick" / "仿宋_GB2312.ttf")
    asked = {}

    def load(name, path, subfont=0, *, mapped=False):  # reportlab keeps one font per face name: ask what was asked
        asked[path.parent.name] = mapped
        return font_cache.load_font(name, path, subfont, mapped=mapped)

    monkeypatch.setattr(fonts, "load_font", load)
    for folder in (stick, system):
        FontSet({"fangsong": FontChoice("fangsong", folder / "仿宋_GB2312.ttf", official=True)})
    assert asked == {"stick": False, "Fonts": True}
    assert type(font_cache.load_font("F-stick", stick / "仿宋_GB2312.ttf").face._ttf_data) is bytes


def _cache_file(path):
    return font_cache._file_for(font_cache.cache_key(path, 0))


def _damage(kind: str, file, other_font_file) -> None:
    data = bytearray(file.read_bytes())
    if kind == "truncated":
        file.write_bytes(bytes(data[: len(data) // 2]))
    elif kind == "flipped byte":
        data[-1000] ^= 0xFF
        file.write_bytes(bytes(data))
    elif kind == "not ours":
        file.write_bytes(b"PK\x03\x04" + bytes(data[4:]))
    elif kind == "empty":
        file.write_bytes(b"")
    elif kind == "another font's":
        shutil.copyfile(other_font_file, file)
    elif kind == "header past the end":
        start = len(font_cache.MAGIC)
        data[start:start + 4] = (2**31).to_bytes(4, "little")
        file.write_bytes(bytes(data))
    elif kind == "too large":
        with file.open("ab") as fh:
            fh.truncate(font_cache.MAX_BYTES + 1)  # sparse: nothing is read to refuse it
    elif kind == "a dunder attribute":
        _rewrite_header(file, lambda header: header["attrs"].update({"__class__": {"v": 1}}))
    elif kind == "a value of another shape":
        _rewrite_header(file, lambda header: header["attrs"].update({"unitsPerEm": {"v": {"a": 1}}}))
    elif kind == "no units per em":
        _rewrite_header(file, lambda header: header["attrs"].update({"unitsPerEm": {"v": 0}}))
    elif kind == "a width table that is a number":
        _rewrite_header(file, lambda header: header["attrs"].update({"charWidths": {"v": 5}}))
    elif kind == "an attribute left out":
        _rewrite_header(file, lambda header: header["attrs"].pop("defaultWidth"))
    elif kind == "an array longer than the file":
        _rewrite_header(file, lambda header: header["attrs"]["glyphPos"].update({"ints": ["q", 10**9]}))
    else:
        raise AssertionError(kind)


def _rewrite_header(file, change) -> None:
    """A header changed and its length fixed (the digest covers the arrays, not the header)."""
    import json

    data = file.read_bytes()
    start = len(font_cache.MAGIC) + 4
    length = int.from_bytes(data[len(font_cache.MAGIC):start], "little")
    header = json.loads(data[start:start + length])
    change(header)
    raw = json.dumps(header).encode()
    file.write_bytes(font_cache.MAGIC + len(raw).to_bytes(4, "little") + raw + data[start + length:])


@pytest.mark.parametrize("kind", ["truncated", "flipped byte", "not ours", "empty", "another font's",
                                  "header past the end", "too large", "a dunder attribute",
                                  "a value of another shape", "no units per em", "a width table that is a number",
                                  "an attribute left out", "an array longer than the file"])
def test_a_damaged_or_foreign_cache_is_ignored_and_written_anew(kind, parses):
    path, other = FONTS[0], FONTS[1]
    font_cache.load_font("F-a", path)
    font_cache.load_font("F-b", other)
    _damage(kind, _cache_file(path), _cache_file(other))
    parses.clear()
    font = font_cache.load_font("F-c", path)
    assert parses == [str(path)]  # parsed again, as if there were no cache
    assert_same_font(font, TTFont("F-c", str(path)))
    parses.clear()
    font_cache.load_font("F-d", path)
    assert parses == []  # and the cache is good again


def test_a_font_file_replaced_in_place_is_parsed_anew(tmp_path, parses):
    path = tmp_path / "仿宋_GB2312.ttf"
    shutil.copyfile(FONTS[0], path)
    assert font_cache.load_font("F-old", path).face.name.ustr == "FandolFang-Regular"
    shutil.copyfile(FONTS[1], path)  # another font under the same name: its size and time differ
    parses.clear()
    assert font_cache.load_font("F-new", path).face.name.ustr == "FandolSong-Bold"
    assert parses == [str(path)]


def test_a_cache_folder_that_cannot_be_written_costs_only_the_parse(data_dir, parses):
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "cache").write_text("a file where the folder would be", encoding="utf-8")
    for n in range(2):
        assert_same_font(font_cache.load_font(f"F-{n}", FONTS[0]), TTFont(f"F-{n}", str(FONTS[0])))
    assert len(parses) == 2 + 2  # ours and reportlab's, twice: nothing cached, nothing broken


def _parsed(path) -> dict:
    """What reportlab's parse sets on a face, as the cache keeps it."""
    face = TTFont("F-parsed", str(path)).face
    return {k: v for k, v in vars(face).items() if k in font_cache.SCHEMA}


def test_ints_and_floats_come_back_as_they_were_and_other_shapes_are_not_cached():
    state = _parsed(fallback_path())  # 256 units per em: float widths, and hmetrics mixing ints and floats
    assert {type(x) for pair in state["hmetrics"] for x in pair} == {int, float}
    back = font_cache.decode("k", font_cache.encode("k", state))
    back["glyphToChar"] = back["glyphToChar"]()  # made when first asked for
    assert back == state
    for name, value in state.items():
        assert type(back[name]) is type(value), name
    assert [type(x) for pair in back["hmetrics"] for x in pair] == [type(x) for pair in state["hmetrics"] for x in pair]
    assert font_cache.encode("k", state | {"glyphPos": [1, 2**70] + [0] * 20}) is None  # wider than the array
    assert font_cache.encode("k", state | {"charWidths": {1: 2**60, 2: 0.5}}) is None  # not exact as a double
    assert font_cache.encode("k", state | {"odd": object()}) is None
    assert font_cache.encode("k", state | {"more": 1}) is None  # an attribute this layout does not know
    assert font_cache.encode("k", {k: v for k, v in state.items() if k != "charWidths"}) is None
    assert font_cache.encode("k", state | {"charToGlyph": {"a": 1}}) is None


def test_the_cache_keeps_the_fonts_last_written_and_lets_the_others_go(tmp_path, monkeypatch):
    monkeypatch.setattr(font_cache, "KEEP", 3)
    copies = []
    for n in range(5):  # the same font under five names: five keys, as after replacing fonts or reportlab
        copies.append(tmp_path / f"font{n}.ttf")
        shutil.copyfile(FONTS[0], copies[-1])
        font_cache.load_font(f"F-{n}", copies[-1])
    kept = {p.name for p in font_cache.cache_dir().glob("*.bin")}
    assert kept == {_cache_file(p).name for p in copies[2:]}
    assert not list(font_cache.cache_dir().glob("*.tmp"))


def test_a_cache_that_fails_to_encode_a_parse_costs_only_the_next_runs_parse(monkeypatch, parses):
    def broken(key, state):
        raise RuntimeError("a value this layout chokes on")

    monkeypatch.setattr(font_cache, "encode", broken)
    font = font_cache.load_font("F-broken", FONTS[0])  # the report still gets its font
    assert_same_font(font, TTFont("F-broken", str(FONTS[0])))
    assert not list(font_cache.cache_dir().glob("*.bin"))
