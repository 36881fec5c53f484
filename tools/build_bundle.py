"""Build what an office PC installs: the PyInstaller bundle, the .deb (Linux) and the NSIS installer (Windows).

The bundle is built in a fresh virtual environment holding exactly what requirements/bundle.lock pins (the program's
runtime dependencies and the build tools, each checked against its hashes), so nothing a developer or a test installed
(psycopg, pytest…) gets in and what is shipped is what CI tested. The lock's sha256 is printed and in the summary.

Usage:  python tools/build_bundle.py [--out build/release] [--deb] [--nsis] [--fast] [--bundle DIR]
  --deb   also a .deb (needs dpkg-deb; Linux)       --nsis  also the Windows installer (needs makensis)
  --fast  quick compression for test runs (zlib for NSIS, gzip for the .deb)
  --bundle DIR  package an existing bundle (e.g. the Windows one, for --nsis) instead of building
Prints a JSON summary: sizes in MB, the saving of each trimming rule, the files made.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fazhi_desktop import __version__  # noqa: E402
from tools.bundle_contents import SYSTEM_PACKAGES  # noqa: E402
from tools.locks import BUNDLE_LOCK, sha256  # noqa: E402

TRIM_LINE = "bundle trim, MB saved per rule:"


def venv_python(folder: Path) -> Path:
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def build_environment(folder: Path) -> Path:
    """A fresh venv with the locked set (hashes required), then the program itself without resolving anything."""
    shutil.rmtree(folder, ignore_errors=True)
    venv.EnvBuilder(with_pip=True).create(folder)
    python = venv_python(folder)
    print(f"installing from {BUNDLE_LOCK.relative_to(ROOT)} sha256 {sha256(BUNDLE_LOCK)}", file=sys.stderr, flush=True)
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "--require-hashes", "--only-binary=:all:", "-r", str(BUNDLE_LOCK)], check=True)
    subprocess.run([*pip, "--no-deps", str(ROOT)], check=True)
    return python


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def run_pyinstaller(python: Path, out: Path) -> tuple[Path, dict]:
    proc = subprocess.run([str(python), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath",
                           str(out / "dist"), "--workpath", str(out / "work"), str(ROOT / "build_installer.spec")],
                          capture_output=True, text=True, cwd=ROOT)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-5000:])
        raise SystemExit("PyInstaller failed")
    trim = {}
    for line in proc.stdout.splitlines():
        if line.startswith(TRIM_LINE):
            trim = json.loads(line[len(TRIM_LINE):])
    return out / "dist" / "fazhi-desktop", trim


def build_deb(bundle: Path, out: Path, fast: bool) -> Path:
    """/opt/fazhi-desktop holds the bundle; /usr/bin gets both programs; a menu entry and icon; user data stays in
    each user's home (~/.local/share/fazhi_desktop), which removing the package never touches."""
    stage = out / "deb"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(bundle, stage / "opt" / "fazhi-desktop", symlinks=True)
    (stage / "usr" / "bin").mkdir(parents=True)
    for name in ("fazhi-desktop", "fazhi-desktop-cli"):
        (stage / "usr" / "bin" / name).symlink_to(f"/opt/fazhi-desktop/{name}")
    apps = stage / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    shutil.copy(ROOT / "resources" / "fazhi-desktop.desktop", apps)
    icons = stage / "usr" / "share" / "icons" / "hicolor" / "256x256" / "apps"
    icons.mkdir(parents=True)
    shutil.copy(ROOT / "fazhi_desktop" / "gui" / "fazhi-desktop.png", icons)
    doc = stage / "usr" / "share" / "doc" / "fazhi-desktop"
    doc.mkdir(parents=True)
    shutil.copy(ROOT / "LICENSE", doc / "copyright")
    size_kb = tree_size(stage) // 1024
    control = stage / "DEBIAN"
    control.mkdir()
    (control / "control").write_text(
        "Package: fazhi-desktop\n"
        f"Version: {__version__}\n"
        "Section: misc\nPriority: optional\nArchitecture: amd64\n"
        "Maintainer: fazhi_desktop <fazhi-desktop@localhost>\n"
        f"Installed-Size: {size_kb}\n"
        f"Depends: {', '.join(SYSTEM_PACKAGES)}\n"
        "Description: 法治建设台账与年度报告\n"
        " 乡镇法治政府建设台账登记、统计，生成年度自查报告（PDF/Word）和统计表（Excel）。\n"
        " 离线运行，数据保存在各用户自己的文件夹中，卸载不删除数据。\n", encoding="utf-8")
    # Refresh the menus after install and removal (the tools exist on every desktop; missing ones are skipped).
    for script in ("postinst", "postrm"):
        path = control / script
        path.write_text("#!/bin/sh\nset -e\n"
                        "command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "
                        "/usr/share/applications || true\n"
                        "command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "
                        "/usr/share/icons/hicolor || true\nexit 0\n")
        path.chmod(0o755)
    target = out / f"fazhi-desktop_{__version__}_amd64.deb"
    compression = ["-Zgzip", "-z1"] if fast else ["-Zxz"]
    subprocess.run(["dpkg-deb", "--root-owner-group", *compression, "--build", str(stage), str(target)], check=True,
                   capture_output=True)
    return target


def build_nsis(bundle: Path, out: Path, fast: bool) -> Path:
    """The installer wraps a Windows bundle (fazhi-desktop.exe beside _internal), built on Windows or in CI's
    windows job; makensis itself runs anywhere."""
    if not (bundle / "fazhi-desktop.exe").is_file():
        raise SystemExit(f"{bundle} is not a Windows bundle (no fazhi-desktop.exe): build it on Windows")
    target = out / f"fazhi-desktop-{__version__}-setup.exe"
    defines = [f"-DVERSION={__version__}", f"-DBUNDLE={bundle}", f"-DOUTFILE={target}"]
    if fast:
        defines.append("-DCOMPRESSOR=zlib")
    proc = subprocess.run(["makensis", "-V2", "-INPUTCHARSET", "UTF8", *defines,
                           str(ROOT / "resources" / "installer.nsi")], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit("makensis failed")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "release")
    parser.add_argument("--deb", action="store_true")
    parser.add_argument("--nsis", action="store_true")
    parser.add_argument("--fast", action="store_true")
    parser.add_argument("--bundle", type=Path, help="package this already built bundle instead of building one")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    summary: dict = {}
    if args.bundle is None:
        python = build_environment(out / "venv")
        bundle, trim = run_pyinstaller(python, out)
        summary = {"bundle": str(bundle), "bundle_mb": round(tree_size(bundle) / 1e6, 1), "trim_mb_saved": trim,
                   "lock": str(BUNDLE_LOCK.relative_to(ROOT)), "lock_sha256": sha256(BUNDLE_LOCK)}
    if args.deb:
        deb = build_deb(bundle, out, args.fast)
        summary.update(deb=str(deb), deb_mb=round(deb.stat().st_size / 1e6, 1))
    if args.nsis:
        if args.bundle:
            bundle = args.bundle.resolve()
        setup = build_nsis(bundle, out, args.fast)
        summary.update(installer=str(setup), installer_mb=round(setup.stat().st_size / 1e6, 1))
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
