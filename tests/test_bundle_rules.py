"""The bundle's trimming rules (tools/bundle_contents.py), checked without building: what goes and what must stay."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools import bundle_contents as bc  # noqa: E402


@pytest.mark.parametrize(("dest", "dropped"), [
    ("PySide6/Qt/plugins/imageformats/libqtiff.so", True),
    ("PySide6/plugins/imageformats/qtiff.dll", True),
    ("PySide6/Qt/plugins/platforms/libqwayland-egl.so", True),
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", True),
    ("PySide6/Qt/plugins/tls/libqopensslbackend.so", True),
    # what the program needs: X11 and Windows platforms, offscreen, JPEG/GIF/WebP/ICO, input methods, Windows style
    ("PySide6/Qt/plugins/platforms/libqxcb.so", False),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", False),
    ("PySide6/plugins/platforms/qwindows.dll", False),
    ("PySide6/Qt/plugins/imageformats/libqjpeg.so", False),
    ("PySide6/Qt/plugins/imageformats/libqwebp.so", False),
    ("PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so", False),
    ("PySide6/plugins/styles/qmodernwindowsstyle.dll", False),
])
def test_qt_plugin_rules(dest, dropped):
    assert (bc._plugin_rule(dest) is not None) == dropped


def test_only_the_chinese_qt_catalogue_stays(tmp_path):
    entries = [(f"PySide6/Qt/translations/{name}", str(tmp_path / name), "DATA")
               for name in ("qtbase_zh_CN.qm", "qtbase_de.qm", "qt_zh_CN.qm", "qtdeclarative_zh_CN.qm")]
    entries.append(("fazhi_desktop/gui/generated/qt_missing_zh_CN.qm", str(tmp_path / "x.qm"), "DATA"))
    kept = [dest for dest, _source, _kind in bc.keep_datas(entries)]
    assert kept == ["PySide6/Qt/translations/qtbase_zh_CN.qm", "fazhi_desktop/gui/generated/qt_missing_zh_CN.qm"]


@pytest.mark.parametrize(("item", "kept"), [
    ("zh.res", True), ("zh_Hans_CN.res", True), ("en_US.res", True), ("root.res", True), ("res_index.res", True),
    ("coll/zh.res", True), ("coll/ucadata.icu", True), ("brkitr/cjdict.dict", True), ("gb18030.cnv", True),
    ("cnvalias.icu", True), ("supplementalData.res", True), ("metadata.res", True), ("nfkc.nrm", True),
    ("de.res", False), ("coll/ja.res", False), ("brkitr/thaidict.dict", False), ("ibm-37_P100-1995.cnv", False),
    ("rfc3491.spp", False), ("translit/el.res", False),
])
def test_icu_data_keeps_chinese_and_english(item, kept):
    assert bc.icu_item_kept(item) == kept


def test_links_to_dropped_libraries_go_too():
    binaries = [("PySide6/Qt/lib/libQt6Gui.so.6", "/x/libQt6Gui.so.6", "BINARY"),
                ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
                ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK")]
    kept, _ = bc.without_dangling_links(binaries, [])
    assert [dest for dest, _s, _k in kept] == ["PySide6/Qt/lib/libQt6Gui.so.6", "libQt6Gui.so.6"]


def test_software_opengl_and_the_page_number_font_rules_hold_on_windows_paths(tmp_path, monkeypatch):
    """Windows builds name entries with backslashes: the rules must match them as on Linux. Of the DLLs, those that
    nothing kept imports go (#38), and a name anything imports keeps every copy (Windows loads a DLL by name)."""
    from PyInstaller.depend import bindepend

    files = {}
    for name in ("opengl32sw.dll", "QtCore.pyd", "Qt6Core.dll", "Qt6Network.dll", "VCRUNTIME140.dll",
                 "VCRUNTIME140-copy.dll", "python311.dll"):
        files[name] = tmp_path / name
        files[name].write_bytes(b"x" * 100)
    imports = {  # as pefile reads them from the real DLLs (case as written in the import tables)
        str(files["QtCore.pyd"]): {("Qt6Core.dll", None), ("python3.dll", None)},
        str(files["Qt6Core.dll"]): {("VCRUNTIME140.dll", None), ("KERNEL32.dll", None)},
        str(files["python311.dll"]): {("vcruntime140.dll", None)},
    }
    monkeypatch.setattr(bindepend, "get_imports", lambda path, search_paths=None: imports.get(str(path), set()))
    monkeypatch.setattr(bc.sys, "platform", "win32")  # the Linux-only step (system libraries) does not run
    kept = bc.keep_binaries([("PySide6\\opengl32sw.dll", str(files["opengl32sw.dll"]), "BINARY"),
                             ("PySide6\\QtCore.pyd", str(files["QtCore.pyd"]), "EXTENSION"),
                             ("PySide6\\Qt6Core.dll", str(files["Qt6Core.dll"]), "BINARY"),
                             ("PySide6\\Qt6Network.dll", str(files["Qt6Network.dll"]), "BINARY"),
                             ("VCRUNTIME140.dll", str(files["VCRUNTIME140.dll"]), "BINARY"),
                             ("shiboken6\\VCRUNTIME140.dll", str(files["VCRUNTIME140-copy.dll"]), "BINARY"),
                             ("python311.dll", str(files["python311.dll"]), "BINARY")])
    assert [dest for dest, _s, _k in kept] == ["PySide6\\QtCore.pyd", "PySide6\\Qt6Core.dll", "VCRUNTIME140.dll",
                                               "shiboken6\\VCRUNTIME140.dll", "python311.dll"]
    assert bc._name("fazhi_desktop\\fonts\\FandolSong-Regular.ttf") == "FandolSong-Regular.ttf"
