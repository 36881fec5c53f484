"""What the PyInstaller bundle leaves out; build_installer.spec calls these, and prints what each rule saved.

The program uses QtCore/QtGui/QtWidgets on the xcb (X11) or Windows platform, Qt's own Chinese catalogue, images that
clerks attach (JPEG, GIF, WebP, ICO; PNG and BMP are built into QtGui) and the ibus/compose input contexts for
Chinese input methods. Everything PyInstaller's hooks collect beyond that is dropped here, by rule.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import PurePosixPath

# Python modules nothing in the program imports, though a dependency may name them optionally.
EXCLUDED_MODULES = [
    "tkinter", "matplotlib", "numpy", "pandas", "pydoc", "pdb", "unittest", "test", "lib2to3", "xmlrpc",
    "ssl", "_ssl", "_hashlib",  # no network anywhere; drops OpenSSL (hashlib falls back to its built-in SHA-256)
    # reportlab imports PIL.Image for pictures; none of PIL's codecs beyond its core are used (avif alone is 5 MB).
    "PIL._avif", "PIL.AvifImagePlugin", "PIL._webp", "PIL.WebPImagePlugin", "PIL._imagingft", "PIL.ImageFont",
    "PIL._imagingcms", "PIL.ImageCms", "PIL.ImageQt", "PIL.ImageTk", "PIL._imagingtk", "PIL.ImageShow",
    "PIL._imagingmath", "PIL.ImageMath",
    "psycopg", "psycopg_binary", "psycopg2",  # PostgreSQL support is a server install's extra, not the office PC's
    "lxml.objectify", "lxml.html", "lxml.isoschematron",  # python-docx uses lxml.etree only
    "PySide6.QtNetwork", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtSvg", "PySide6.QtSvgWidgets",
    "PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.QtDBus", "PySide6.QtTest", "PySide6.QtConcurrent",
    "PySide6.QtSql", "PySide6.QtXml", "PySide6.QtPrintSupport", "PySide6.QtWebEngineCore", "PySide6.Qt3DCore",
    "PySide6.QtQuick", "PySide6.QtQml", "PySide6.QtMultimedia", "PySide6.QtUiTools", "PySide6.QtDesigner",
]

# Qt plugin folders (or single plugins) that the program never loads, with the reason.
DROPPED_PLUGINS = {  # folder, or folder/file name without "lib" and suffix (Linux libqtiff.so, Windows qtiff.dll)
    "egldeviceintegrations": "EGLFS (embedded boards without a desktop)",
    "generic": "raw evdev/tuio input (embedded)",
    "networkinformation": "network state (no network use)",
    "tls": "TLS back ends (no network use)",
    "iconengines": "SVG icons (none used)",
    "wayland-decoration-client": "Wayland (Qt falls back to X11/XWayland)",
    "wayland-graphics-integration-client": "Wayland (Qt falls back to X11/XWayland)",
    "wayland-shell-integration": "Wayland (Qt falls back to X11/XWayland)",
    "xcbglintegrations": "OpenGL on X11 (plain widgets only)",
    "platformthemes": "GTK/portal themes (they pull GTK, cairo and pango into the bundle)",
    "platforms/qwayland": "Wayland (Qt falls back to X11/XWayland)",
    "platforms/qeglfs": "EGLFS (embedded boards without a desktop)",
    "platforms/qlinuxfb": "framebuffer",
    "platforms/qminimalegl": "EGL test platform",
    "platforms/qvkkhrdisplay": "Vulkan display",
    "platforms/qvnc": "VNC server platform",
    "platforms/qdirect2d": "Direct2D (the default Windows platform plugin is used)",
    "imageformats/qtiff": "TIFF (attachments are photos and scans as JPEG/PNG/PDF)",
    "imageformats/qsvg": "SVG images",
    "imageformats/qicns": "macOS icons",
    "imageformats/qtga": "TGA",
    "imageformats/qwbmp": "WBMP",
}
# Single files PyInstaller's hooks collect that the program never loads.
DROPPED_FILES = {
    "opengl32sw.dll": "software OpenGL (Mesa llvmpipe, Windows): plain widgets never draw with OpenGL",
}
# Qt's catalogues: the program loads qtbase_zh_CN only.
KEPT_TRANSLATIONS = ("qtbase_zh_CN.qm",)
# Libraries every Linux desktop has (X11, fontconfig, GLib, D-Bus) are taken from the system, as the .deb declares in
# its Depends: bundled copies of fontconfig in particular break against newer system configuration files.
SYSTEM_LIBRARIES = ("libX11.so", "libX11-xcb.so", "libXau.so", "libXdmcp.so", "libxcb.so", "libxcb-xkb.so",
                    "libxcb-render.so", "libxcb-shm.so", "libxcb-xfixes.so", "libxcb-shape.so", "libxcb-sync.so",
                    "libxcb-randr.so", "libxcb-image.so", "libxcb-util.so", "libxcb-render-util.so",
                    "libxkbcommon.so", "libxkbcommon-x11.so", "libfontconfig.so", "libfreetype.so", "libexpat.so",
                    "libpng16.so", "libz.so", "libbz2.so", "libbrotlicommon.so", "libbrotlidec.so",
                    "libglib-2.0.so", "libgthread-2.0.so", "libpcre2-8.so", "libdbus-1.so", "libsystemd.so",
                    "libgcrypt.so", "libgpg-error.so", "liblz4.so", "libzstd.so", "liblzma.so", "libcap.so",
                    "libbsd.so", "libmd.so", "libuuid.so")
# Debian packages providing them (the .deb's Depends), plus what Qt's xcb plugin loads itself.
SYSTEM_PACKAGES = ("libc6 (>= 2.28)", "libx11-6", "libx11-xcb1", "libxcb1", "libxcb-xkb1", "libxcb-render0",
                   "libxcb-shm0", "libxcb-xfixes0", "libxcb-shape0", "libxcb-sync1", "libxcb-randr0",
                   "libxcb-image0", "libxcb-util1 | libxcb-util0", "libxcb-render-util0", "libxcb-icccm4",
                   "libxcb-keysyms1", "libxkbcommon0", "libxkbcommon-x11-0", "libfontconfig1", "libfreetype6",
                   "libglib2.0-0", "libdbus-1-3", "libegl1", "libgl1", "zlib1g", "libpng16-16")

_saved: dict[str, int] = {}


def license_files(root) -> list[tuple[str, str]]:
    """The licences of what the bundle holds, as PyInstaller data entries under licenses/: the project's notes and Qt's
    LGPL (resources/licenses), the fonts', Python's, and every installed distribution's own licence files."""
    from pathlib import Path

    root = Path(root)
    entries = [(str(path), "licenses") for path in sorted((root / "resources" / "licenses").iterdir())]
    entries += [(str(path), "licenses/fonts") for path in sorted((root / "fazhi_desktop" / "fonts").glob("*.txt"))]
    python_license = Path(sys.base_prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "LICENSE.txt"
    if not python_license.is_file():
        python_license = Path(sys.base_prefix) / "LICENSE.txt"  # Windows layout
    if python_license.is_file():
        entries.append((str(python_license), "licenses/python"))
    for dist in _runtime_distributions():
        name = dist.metadata["Name"].lower()
        for file in dist.files or []:
            text = str(file).replace("\\", "/")
            if ".dist-info/" in text and any(key in text.upper() for key in ("LICENSE", "COPYING", "NOTICE")):
                folder = str(PurePosixPath(text.split(".dist-info/", 1)[1]).parent).strip(".")
                entries.append((str(file.locate()), f"licenses/{name}/{folder}".rstrip("/")))
    return entries


def _runtime_distributions(top: str = "fazhi-desktop") -> list:
    """The distributions the program's own requirements pull in (extras excluded), plus PyInstaller's bootloader."""
    from importlib.metadata import PackageNotFoundError, distribution

    found, todo = {}, [top, "pyinstaller"]
    while todo:
        name = re.split(r"[\s;<>=!~\[(]", todo.pop(), maxsplit=1)[0].lower().replace("_", "-")
        if name in found:
            continue
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            continue
        found[name] = dist
        if name != "pyinstaller":
            todo += [req for req in dist.requires or [] if "extra ==" not in req]
    return [dist for name, dist in found.items() if name != top]


def package_data(package: str) -> list[tuple[str, str]]:
    from PyInstaller.utils.hooks import collect_data_files

    return collect_data_files(package)


def _size(path: str) -> int:
    from pathlib import Path

    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def _drop(reason: str, source: str) -> None:
    _saved[reason] = _saved.get(reason, 0) + _size(source)


def _plugin_rule(dest: str) -> str | None:
    parts = PurePosixPath(dest.replace("\\", "/")).parts
    if "plugins" not in parts:
        return None
    below = parts[parts.index("plugins") + 1:]
    if not below:
        return None
    name = f"{below[0]}/{below[1].removeprefix('lib')}" if len(below) > 1 else below[0]
    for key, reason in DROPPED_PLUGINS.items():
        if below[0] == key or name.startswith(key):
            return f"Qt plugins: {reason}"
    return None


# python-docx makes a new document from templates/default.docx; this folder is that file's unpacked source.
DOCX_TEMPLATE_SOURCE = ("docx", "templates", "default-docx-template")


def keep_datas(entries: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    kept = []
    for dest, source, kind in entries:
        path = PurePosixPath(dest.replace("\\", "/"))
        if "translations" in path.parts and path.suffix == ".qm" and path.name not in KEPT_TRANSLATIONS:
            _drop("Qt translations other than qtbase_zh_CN", source)
            continue
        if path.parts[:3] == DOCX_TEMPLATE_SOURCE:
            _drop("python-docx: the unpacked source of its default.docx", source)
            continue
        rule = _plugin_rule(dest)
        if rule:
            _drop(rule, source)
            continue
        kept.append((dest, source, kind))
    return kept


def _is_root(dest: str) -> bool:
    """Binaries something loads by itself: Python extension modules, Qt plugins, ctypes libraries (pdfium), libpython
    (the bootloader loads it)."""
    dest = dest.replace("\\", "/")
    name = PurePosixPath(dest).name.lower()
    return (".cpython-" in name or name.endswith((".abi3.so", ".pyd")) or "/plugins/" in dest
            or name.startswith(("libpython", "libpdfium", "python3", "pdfium")))


def _unreachable(entries: list[tuple[str, str, str]]) -> set[str]:
    """Shared libraries no kept root needs, directly or through other libraries (ELF DT_NEEDED, PE imports). A name
    counts as needed once anything imports it, so every copy of it stays (Windows resolves a DLL by name)."""
    from PyInstaller.depend import bindepend

    by_name: dict[str, list[str]] = {}
    for dest, _source, _kind in entries:
        by_name.setdefault(_name(dest).lower(), []).append(dest)
    source_of = {dest: source for dest, source, _kind in entries}
    reached = {dest for dests in by_name.values() for dest in dests if _is_root(dest)}
    todo = list(reached)
    while todo:
        dest = todo.pop()
        for name, _path in bindepend.get_imports(source_of[dest]):
            for target in by_name.get(PurePosixPath(name.replace("\\", "/")).name.lower(), ()):
                if target not in reached:
                    reached.add(target)
                    todo.append(target)
    return set(source_of) - reached


def _name(dest: str) -> str:
    """A bundle entry's file name, whichever separator the build platform wrote its path with."""
    return PurePosixPath(dest.replace("\\", "/")).name


def keep_binaries(entries: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    kept = []
    for dest, source, kind in entries:
        rule = _plugin_rule(dest) or (f"Qt: {DROPPED_FILES[_name(dest)]}" if _name(dest) in DROPPED_FILES else None)
        if rule:
            _drop(rule, source)
        else:
            kept.append((dest, source, kind))
    if sys.platform.startswith("linux"):
        system = [entry for entry in kept if PurePosixPath(entry[0]).name.startswith(SYSTEM_LIBRARIES)
                  and "/" not in entry[0].replace("\\", "/")]
        for _dest, source, _kind in system:
            _drop("desktop libraries taken from the system (the .deb depends on them)", source)
        kept = [entry for entry in kept if entry not in system]
    if sys.platform.startswith("linux") or sys.platform == "win32":
        # Windows: Qt6Network and Qt6Svg, which only the network and SVG plugins dropped above load (#38).
        orphans = _unreachable(kept)
        for dest, source, _kind in kept:
            if dest in orphans:
                _drop("libraries only the dropped plugins and modules needed", source)
        kept = [entry for entry in kept if entry[0] not in orphans]
    return kept


def page_number_font(source: str, work) -> str:
    """The bundled 宋体 draws only page numbers (— 12 —): the bundle carries those glyphs, not 5 MB of Song; any other
    character falls back per glyph like every missing one. Needs fontTools at build time, else the whole font."""
    from pathlib import Path

    try:
        from fontTools import subset
    except ImportError:
        print("bundle: fontTools not found, page-number font kept whole")
        return source
    out = Path(work) / "fonts" / Path(source).name
    out.parent.mkdir(parents=True, exist_ok=True)
    text = "0123456789—–-－ 第页共" + "".join(chr(c) for c in range(0x20, 0x7F))
    options = subset.Options()
    options.layout_features = ["*"]
    font = subset.load_font(source, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    subset.save_font(font, str(out), options)
    _saved["bundled Song font cut to the page-number glyphs it draws"] = Path(source).stat().st_size - out.stat().st_size
    return str(out)


def with_page_number_font(entries: list[tuple[str, str, str]], work) -> list[tuple[str, str, str]]:
    from fazhi_desktop.reports.typeset.fonts import BUNDLED_FILES

    name = BUNDLED_FILES["songti"]
    return [(dest, page_number_font(source, work), kind) if _name(dest) == name else (dest, source, kind)
            for dest, source, kind in entries]


def report() -> dict[str, float]:
    """MB saved per rule, for the build log (tools/build_bundle.py prints it)."""
    return {reason: round(size / 1e6, 1) for reason, size in sorted(_saved.items(), key=lambda kv: -kv[1])}


def windows_version_info(version: str, file_name: str):
    """The version resource Windows shows in the file's 属性 → 详细信息 (built only on Windows: needs pefile)."""
    from PyInstaller.utils.win32 import versioninfo as vi

    numbers = tuple(int(p) for p in (version.split(".") + ["0", "0", "0"])[:4] if p.isdigit())
    numbers = (numbers + (0, 0, 0, 0))[:4]
    strings = [vi.StringStruct("CompanyName", "fazhi_desktop"),
               vi.StringStruct("FileDescription", "法治建设台账与年度报告"),
               vi.StringStruct("FileVersion", version), vi.StringStruct("ProductName", "法治建设台账与年度报告"),
               vi.StringStruct("ProductVersion", version), vi.StringStruct("LegalCopyright", "MIT 许可证"),
               vi.StringStruct("OriginalFilename", file_name),
               vi.StringStruct("InternalName", file_name.removesuffix(".exe"))]
    return vi.VSVersionInfo(
        ffi=vi.FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[vi.StringFileInfo([vi.StringTable("080404B0", strings)]),
              vi.VarFileInfo([vi.VarStruct("Translation", [0x0804, 1200])])])


# ICU data (Linux Qt links ICU; its data library is 31 MB): the program needs the Chinese and English locales, the root
# collation and break rules, the CJK dictionary and the GB converters; every other locale and legacy code page goes.
_LOCALE_ITEM = re.compile(r"^[a-z]{2,3}(_\w+)?\.res$")
_KEPT_LOCALES = re.compile(r"^(zh(_\w+)?|en|en_US(_POSIX)?)\.res$")
_KEPT_CONVERTERS = ("gb18030", "windows-936", "ibm-1383", "ibm-1386", "ibm-5478", "iso-ir-165")


def icu_item_kept(item: str) -> bool:
    folder, _, name = item.rpartition("/")
    if name.endswith(".cnv"):
        return name.startswith(_KEPT_CONVERTERS)
    if name.endswith(".dict"):
        return name == "cjdict.dict"
    if name.endswith(".spp") or name == "confusables.cfu":
        return False  # stringprep profiles and spoof detection: network protocols only
    if name.endswith(".res") and _LOCALE_ITEM.match(name) and name != "res_index.res":
        return bool(_KEPT_LOCALES.match(name)) or (folder == "translit" and name == "root.res")
    return True


def trimmed_icu_data(library: str, work) -> str | None:
    """Rebuild libicudata.so.NN with the kept items only (icupkg from Debian's icu-devtools, and gcc); None when those
    tools are missing, so the full library stays."""
    import shutil
    import subprocess
    from pathlib import Path

    if not (shutil.which("icupkg") and shutil.which("gcc") and shutil.which("readelf")):
        print("bundle: icupkg/gcc not found, ICU data kept whole")
        return None
    work = Path(work) / "icu"
    work.mkdir(parents=True, exist_ok=True)
    symbols = subprocess.run(["readelf", "--dyn-syms", "-W", library], capture_output=True, text=True,
                             check=True).stdout
    symbol = next(line.split() for line in symbols.splitlines() if re.search(r"icudt\d+_dat$", line))
    name, value, size = symbol[-1], int(symbol[1], 16), int(symbol[2], 0)
    sections = subprocess.run(["readelf", "-S", "-W", library], capture_output=True, text=True, check=True).stdout
    # The data sits in .rodata; file offset = symbol address - section address + section offset.
    fields = next(line.split() for line in sections.splitlines() if " .rodata " in line)
    at = fields.index(".rodata")
    address, offset = int(fields[at + 2], 16), int(fields[at + 3], 16)
    start = value - address + offset
    package = name.removesuffix("_dat") + "l"  # icupkg wants ICU's own file name (little-endian package)
    (work / "trimmed").mkdir(exist_ok=True)
    full = work / f"{package}.dat"
    full.write_bytes(Path(library).read_bytes()[start:start + size])
    items = subprocess.run(["icupkg", "-l", str(full)], capture_output=True, text=True, check=True).stdout.split()
    drop = {item for item in items if not icu_item_kept(item)}
    dropped = work / "dropped.txt"
    trimmed = work / "trimmed" / f"{package}.dat"
    for _attempt in range(5):  # icupkg refuses items whose parent locale went; drop those too and retry
        dropped.write_text("\n".join(sorted(drop)) + "\n")
        done = subprocess.run(["icupkg", "-r", str(dropped), str(full), str(trimmed)], capture_output=True, text=True)
        orphans = set(re.findall(r"Item (\S+) depends on missing item", done.stdout + done.stderr))
        if done.returncode == 0 or not orphans:
            break
        drop |= orphans
    done.check_returncode()
    assembly = work / "icudata.S"
    assembly.write_text(f'.section .rodata\n.globl {name}\n.type {name}, @object\n.balign 16\n{name}:\n'
                        f'.incbin "{trimmed}"\n.size {name}, .-{name}\n.section .note.GNU-stack,"",@progbits\n')
    out = work / Path(library).name
    subprocess.run(["gcc", "-shared", "-nostdlib", f"-Wl,-soname,{Path(library).name}", "-o", str(out),
                    str(assembly)], check=True)
    _saved["ICU data: locales, code pages and dictionaries the program never uses"] = (
        Path(library).stat().st_size - out.stat().st_size)
    return str(out)


def with_trimmed_icu(entries: list[tuple[str, str, str]], work) -> list[tuple[str, str, str]]:
    if not sys.platform.startswith("linux"):
        return entries
    result = []
    for dest, source, kind in entries:
        if PurePosixPath(dest).name.startswith("libicudata.so"):
            source = trimmed_icu_data(source, work) or source
        result.append((dest, source, kind))
    return result


def without_dangling_links(binaries: list, datas: list) -> tuple[list, list]:
    """PyInstaller lays libraries out with symbolic links (libQt6Gui.so.6 -> PySide6/Qt/lib/...); links to what the
    rules above dropped would dangle (and break copying the folder), so they go too."""
    import posixpath

    real = {dest.replace("\\", "/") for dest, _source, kind in binaries + datas if kind != "SYMLINK"}

    def alive(entry) -> bool:
        dest, source, kind = entry
        if kind != "SYMLINK":
            return True
        target = posixpath.normpath(posixpath.join(posixpath.dirname(dest.replace("\\", "/")),
                                                   source.replace("\\", "/")))
        return target in real

    return [e for e in binaries if alive(e)], [e for e in datas if alive(e)]
