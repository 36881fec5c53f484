"""What reaches an office PC: the PyInstaller bundle, the .deb and the Windows installer, built and used for real.

tools/build_bundle.py builds the bundle in a clean virtual environment (a minute or two), so these tests are not in the
README's quick test run; `.ci/run` runs them as their own step (`python -m pytest -m bundle`). The Windows bundle and
its installer are built and run under Wine in tests/test_windows.py (`-m windows`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytest.importorskip("PyInstaller")
pytestmark = pytest.mark.bundle
sys.path.insert(0, str(ROOT))

from tools import build_bundle  # noqa: E402

# 148 MB before #36; cryptography's Rust extension (Ed25519 package signatures) adds 12 MB, its own OpenSSL inside
LIMIT_MB = 165


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("release")
    args = [sys.executable, str(ROOT / "tools" / "build_bundle.py"), "--out", str(out), "--fast"]
    if shutil.which("dpkg-deb"):
        args.append("--deb")
    proc = subprocess.run(args, capture_output=True, text=True, timeout=1500)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    summary = json.loads(proc.stdout[proc.stdout.index("\n{") + 1:] if not proc.stdout.startswith("{")
                         else proc.stdout)
    print(json.dumps(summary, ensure_ascii=False))
    return summary


def _stats_json(run, db: str) -> dict:
    proc = run("--db", db, "stats", "--year", "2023", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def smoke(program: Path, gui: Path, env: dict, work: Path, wrap: tuple[str, ...] = ()) -> dict:
    """The demo, statistics, both report formats, the workbook, an export read back, and the window."""
    def run(*args):
        proc = subprocess.run([*wrap, str(program), *args], capture_output=True, text=True, env=env, timeout=180)
        assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
        return proc

    db = str(work / "demo.sqlite3")
    assert run("--db", db, "demo").returncode == 0  # migrations shipped and run in-process
    stats = _stats_json(run, db)
    for out in ("r.pdf", "r.docx", "t.xlsx"):
        proc = run("--db", db, "tables" if out.endswith("xlsx") else "report", "--year", "2023", "--out",
                   str(work / out))
        assert proc.returncode == 0, proc.stderr
        assert (work / out).stat().st_size > 5000
    if shutil.which("pdftotext"):
        pdf = subprocess.run(["pdftotext", str(work / "r.pdf"), "-"], capture_output=True, text=True).stdout
        assert "肖咀镇" in pdf.replace(" ", "")
    # The import reader (calamine, a compiled extension) is bundled: an export reads back through the frozen program.
    assert run("--db", db, "export", str(work / "e.xlsx"), "--year", "2023").returncode == 0
    dry = run("--db", db, "import", str(work / "e.xlsx"), "--dry-run")
    assert dry.returncode == 0 and "矛盾纠纷排查调处台账" in dry.stdout, dry.stdout + dry.stderr
    # The window runs for a few seconds (its tabs filled, its timers going), then closes normally.
    started = time.monotonic()
    window = subprocess.run([*wrap, str(gui), "--db", db], capture_output=True, text=True, timeout=120,
                            env=dict(env, FAZHI_QUIT_AFTER_SHOW="3"))
    assert window.returncode == 0 and "ready " in window.stdout, window.stderr
    assert time.monotonic() - started >= 3
    assert "Traceback" not in window.stderr
    return stats


def source_stats(tmp_path: Path) -> dict:
    env = dict(os.environ, FAZHI_DATA_DIR=str(tmp_path / "source-data"))
    db = str(tmp_path / "source.sqlite3")

    def run(*args):
        return subprocess.run([sys.executable, "-m", "fazhi_desktop", *args], capture_output=True, text=True,
                              env=env, cwd=ROOT, timeout=180)

    assert run("--db", db, "demo").returncode == 0
    return _stats_json(run, db)


def exe(bundle: Path, name: str) -> Path:
    return bundle / (f"{name}.exe" if os.name == "nt" else name)


def test_frozen_programs_run_every_document_path(release, tmp_path):
    bundle = Path(release["bundle"])
    env = dict(os.environ, FAZHI_DATA_DIR=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen")
    stats = smoke(exe(bundle, "fazhi-desktop-cli"), exe(bundle, "fazhi-desktop"), env, tmp_path)
    assert stats == source_stats(tmp_path)


def test_bundle_is_small_clean_and_licensed(release):
    bundle = Path(release["bundle"])
    inside = bundle / "_internal"
    assert release["bundle_mb"] <= LIMIT_MB
    assert build_bundle.tree_size(bundle) / 1e6 <= LIMIT_MB
    dangling = [p for p in bundle.rglob("*") if p.is_symlink() and not p.exists()]
    assert not dangling
    names = {p.name for p in inside.iterdir()}
    assert not {n for n in names if n.startswith(("psycopg", "pytest", "hypothesis", "_pytest", "pdfplumber"))}
    if os.name != "nt":  # Windows builds carry neither ICU nor the X11 plugins
        saved_icu = release["trim_mb_saved"].get("ICU data: locales, code pages and dictionaries the program never uses")
        assert saved_icu and saved_icu > 10
    translations = {p.name for p in inside.rglob("*.qm") if "translations" in p.parts}
    assert translations == {"qtbase_zh_CN.qm"}
    assert not list(inside.rglob("*qwayland*")) and not list(inside.rglob("*qgtk3*"))
    assert not list(inside.rglob("default-docx-template"))  # python-docx reads its default.docx, not this (#38)
    assert (inside / "LICENSE").is_file()
    licenses = inside / "licenses"
    for required in ("LGPL-3.0.txt", "GPL-3.0.txt", "ICU-Unicode.txt", "README.md", "python/LICENSE.txt",
                     "fonts/COPYING.Fandol-GPL3.txt", "fonts/LICENSE.DroidSansFallback-Apache-2.0.txt"):
        assert (licenses / required).is_file(), required
    assert list((licenses / "reportlab").rglob("*")) and list((licenses / "pyinstaller").rglob("*"))
    # Every trimming rule reports what it saved; the big ones must have saved something.
    saved = release["trim_mb_saved"]
    assert saved["Qt translations other than qtbase_zh_CN"] > 1
    assert os.access(exe(bundle, "fazhi-desktop-cli"), os.X_OK)


def _offline() -> tuple[str, ...]:
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    return ("unshare", "-n") if probe.returncode == 0 else ()


@pytest.mark.skipif(not (shutil.which("dpkg") and hasattr(os, "geteuid") and os.geteuid() == 0),
                    reason="installing a .deb needs dpkg and root")
def test_deb_installs_runs_offline_and_removes_keeping_the_data(release, tmp_path):
    deb = release["deb"]
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), QT_QPA_PLATFORM="offscreen")
    env.pop("FAZHI_DATA_DIR", None)
    env.pop("XDG_DATA_HOME", None)
    installed = subprocess.run(["dpkg", "-i", deb], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    try:
        assert Path("/usr/share/applications/fazhi-desktop.desktop").is_file()
        assert Path("/usr/share/icons/hicolor/256x256/apps/fazhi-desktop.png").is_file()
        wrap = _offline()
        assert wrap, "unshare -n is needed to prove the program runs without a network"
        stats = smoke(Path("/usr/bin/fazhi-desktop-cli"), Path("/usr/bin/fazhi-desktop"), env, tmp_path, wrap)
        assert stats == source_stats(tmp_path)
        # The default database, in the user's own data folder: what removing the package must leave alone.
        first = subprocess.run([*wrap, "/usr/bin/fazhi-desktop-cli", "demo"], capture_output=True, text=True,
                               env=env, timeout=180)
        assert first.returncode == 0, first.stderr
    finally:
        removed = subprocess.run(["dpkg", "-r", "fazhi-desktop"], capture_output=True, text=True)
    assert removed.returncode == 0, removed.stderr
    assert not Path("/opt/fazhi-desktop").exists() and not Path("/usr/bin/fazhi-desktop").exists()
    data = home / ".local" / "share" / "fazhi_desktop"
    assert list(data.glob("*.sqlite3")), list(data.rglob("*"))


def test_a_regular_install_finds_its_fonts_and_writes_the_report(release, tmp_path):
    """The build environment holds the program installed from a wheel (not editable): the fonts come along as
    package data, so a report generated there — away from the checkout — embeds them."""
    venv = Path(release["bundle"]).parents[1] / "venv"
    python = build_bundle.venv_python(venv)
    where = subprocess.run([str(python), "-c", "from fazhi_desktop.reports.typeset.fonts import bundled_dir; "
                            "print(bundled_dir())"], capture_output=True, text=True, cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout
    env = dict(os.environ, FAZHI_DATA_DIR=str(tmp_path / "data"))
    db = str(tmp_path / "d.sqlite3")
    for args in (("demo",), ("report", "--year", "2023", "--out", str(tmp_path / "r.pdf"))):
        proc = subprocess.run([str(python), "-m", "fazhi_desktop", "--db", db, *args], capture_output=True,
                              text=True, cwd=tmp_path, env=env, timeout=300)
        assert proc.returncode == 0, proc.stderr
    assert b"FandolFang" in (tmp_path / "r.pdf").read_bytes()


def test_the_bundle_is_built_from_the_lock(release):
    """What is shipped is what CI tested: the build venv holds exactly the locked versions (#39)."""
    from packaging.utils import canonicalize_name

    from tools import locks

    assert release["lock_sha256"] == locks.sha256(locks.BUNDLE_LOCK)
    python = build_bundle.venv_python(Path(release["bundle"]).parents[1] / "venv")
    listed = json.loads(subprocess.run([str(python), "-m", "pip", "list", "--format", "json"], capture_output=True,
                                       text=True, check=True).stdout)
    installed = {canonicalize_name(p["name"]): p["version"] for p in listed}
    linux = {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "platform_machine": "x86_64"}
    wanted = {canonicalize_name(p.name): p.version for p in locks.pins_for(locks.BUNDLE_LOCK, linux)}
    assert {n: installed.get(n) for n in wanted} == wanted
    assert installed["pyside6-essentials"] == wanted["pyside6-essentials"]
