"""The lock files: what CI tests with and what the bundles are built from, each version pinned by its hashes.

    python tools/locks.py            # write requirements/bundle.lock and requirements/test.lock anew (needs uv)
    python tools/locks.py --check    # exit 1 when pyproject.toml asks for something the locks do not hold

- ``requirements/bundle.lock``: the program's runtime dependencies, the bundle tools (pyproject's ``bundle`` extra)
  and pip itself (the embeddable Windows Python has no ensurepip). tools/build_bundle.py and tools/build_windows.py
  install from it and print its sha256.
- ``requirements/test.lock``: the same runtime versions (bundle.lock is its constraint) plus the test tools; the
  README's test command and CI install from it.

Both are universal (one file for Linux and Windows: markers say which lines apply where) and carry the hashes of every
file of each version, so ``pip install --require-hashes`` refuses anything else. Regenerating resolves to the newest
releases pyproject's bounds admit: run the suite and the soak (tools/try_newer.py) before committing a new lock.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "requirements"
BUNDLE_LOCK = REQUIREMENTS / "bundle.lock"
TEST_LOCK = REQUIREMENTS / "test.lock"
COMMAND = "python tools/locks.py"

# Releases proven bad for this program: pyproject's bounds must exclude them (tests/test_bundle_rules.py).
KNOWN_BAD = {
    "pyside6-essentials": {"6.12.0": "on Python 3.11 every call that returns nothing drops a reference to None; the "
                                     "window aborts (none_dealloc) within minutes (tests/test_soak.py)"},
}

# The target of the Windows build, for the lock's markers (the build itself runs on Linux).
WINDOWS = {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "platform_machine": "AMD64",
           "implementation_name": "cpython", "platform_python_implementation": "CPython", "python_version": "3.11",
           "python_full_version": "3.11.9"}


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    marker: str | None
    hashes: tuple[str, ...]

    def line(self) -> str:
        """The pin as a requirements line without its marker (for a list already chosen for one platform)."""
        return f"{self.name}=={self.version} " + " ".join(f"--hash={h}" for h in self.hashes)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pins(lock: Path) -> list[Pin]:
    from packaging.requirements import Requirement

    text = lock.read_text(encoding="utf-8").replace("\\\n", " ")
    found = []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        hashes = tuple(p[len("--hash="):] for p in parts if p.startswith("--hash="))
        requirement = Requirement(" ".join(p for p in parts if not p.startswith("--hash=")))
        (spec,) = requirement.specifier
        found.append(Pin(requirement.name, spec.version, str(requirement.marker) if requirement.marker else None,
                         hashes))
    return found


def pins_for(lock: Path, environment: dict[str, str]) -> list[Pin]:
    """The lines of ``lock`` that apply on the platform ``environment`` describes."""
    from packaging.markers import Marker

    return [p for p in pins(lock) if p.marker is None or Marker(p.marker).evaluate(environment)]


def compile_locks() -> None:
    uv = shutil.which("uv")
    if uv is None:
        raise SystemExit("uv is needed to write the locks: python -m pip install uv")
    common = [uv, "pip", "compile", "--quiet", "--universal", "--python-version", "3.11", "--generate-hashes",
              "--custom-compile-command", COMMAND, "--upgrade"]
    subprocess.run([*common, "pyproject.toml", str(REQUIREMENTS / "bootstrap.in"), "--extra", "bundle",
                    "-o", str(BUNDLE_LOCK)], check=True, cwd=ROOT)
    subprocess.run([*common, "pyproject.toml", "--extra", "test", "-c", str(BUNDLE_LOCK), "-o", str(TEST_LOCK)],
                   check=True, cwd=ROOT)


def missing() -> list[str]:
    """Requirements of pyproject.toml (runtime, test, bundle) that no pin of the locks satisfies."""
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {"bundle": [*project["dependencies"], *project["optional-dependencies"]["bundle"]],
              "test": [*project["dependencies"], *project["optional-dependencies"]["test"]]}
    gaps = []
    for lock, requirements in ((BUNDLE_LOCK, wanted["bundle"]), (TEST_LOCK, wanted["test"])):
        held = {canonicalize_name(p.name): p.version for p in pins(lock)}
        for text in requirements:
            req = Requirement(text)
            version = held.get(canonicalize_name(req.name))
            if version is None or not req.specifier.contains(version, prereleases=True):
                gaps.append(f"{lock.name}: {text} (locked: {version or 'nothing'})")
    return gaps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the locks satisfy pyproject.toml")
    args = parser.parse_args(argv)
    if not args.check:
        compile_locks()
    gaps = missing()
    for gap in gaps:
        print(f"not in the lock: {gap}", file=sys.stderr)
    for lock in (BUNDLE_LOCK, TEST_LOCK):
        print(f"{lock.relative_to(ROOT)} sha256 {sha256(lock)}")
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main())
