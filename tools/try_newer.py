"""Try newer releases of the runtime dependencies before raising a bound in pyproject.toml.

    python tools/try_newer.py                                  # every runtime dependency at its newest release
    python tools/try_newer.py --only PySide6-Essentials        # just these (the rest stay as locked)
    python tools/try_newer.py --tests soak                     # quick | soak | quick,soak (default)

In a fresh virtual environment: the locked test set (requirements/test.lock, hashes required), then the chosen
dependencies upgraded to their newest releases on the index, ignoring pyproject's upper bounds; then the quick suite
and the window soak (tests/test_soak.py) run there against this checkout. Prints one JSON object: each dependency's
locked and newest version and its bound, the outcome of each run, and for each dependency whose newest release lies
beyond its bound whether that bound may be raised (only when every run passed). Exit 0 when every run passed.

A bound is raised by hand: edit pyproject.toml, `python tools/locks.py`, run the suite and the soak, commit both.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.locks import TEST_LOCK  # noqa: E402

RUNS = {
    "quick": ["-m", "pytest", "-q", "-p", "no:cacheprovider"],
    "soak": ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-n0", "-m", "slow", "tests/test_soak.py"],
}


def runtime_requirements() -> list[str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]


def canonical(name: str) -> str:
    from packaging.utils import canonicalize_name

    return canonicalize_name(name)


def unbounded(requirement: str) -> str:
    """The requirement without its upper bounds (``<``, ``<=``): what the index's newest release may be tried as."""
    from packaging.requirements import Requirement

    req = Requirement(requirement)
    kept = [str(s) for s in req.specifier if s.operator not in ("<", "<=")]
    return f"{req.name}{'[' + ','.join(sorted(req.extras)) + ']' if req.extras else ''}{','.join(kept)}"


def installed(python: Path) -> dict[str, str]:
    out = subprocess.run([str(python), "-m", "pip", "list", "--format", "json", "--disable-pip-version-check"],
                         capture_output=True, text=True, check=True).stdout
    return {canonical(p["name"]): p["version"] for p in json.loads(out)}


def main(argv: list[str] | None = None) -> int:
    from packaging.requirements import Requirement

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help="dependencies to upgrade (default: every one)")
    parser.add_argument("--tests", default="quick,soak", help="runs to make: quick, soak or both (comma-separated)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "try-newer")
    args = parser.parse_args(argv)
    runs = [r.strip() for r in args.tests.split(",") if r.strip()]
    if unknown := [r for r in runs if r not in RUNS]:
        parser.error(f"unknown runs: {unknown}")

    requirements = {canonical(Requirement(r).name): r for r in runtime_requirements()}
    targets = [canonical(n) for n in args.only] if args.only else list(requirements)
    if unknown := [t for t in targets if t not in requirements]:
        parser.error(f"not runtime dependencies of pyproject.toml: {unknown}")

    folder = args.work.resolve() / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(folder)
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, "--require-hashes", "-r", str(TEST_LOCK)], check=True)
    locked = installed(python)
    subprocess.run([*pip, "--upgrade", "--upgrade-strategy", "only-if-needed",
                    *(unbounded(requirements[t]) for t in targets)], check=True)
    subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)
    now = installed(python)

    outcome: dict[str, dict] = {}
    for run in runs:
        start = time.monotonic()
        proc = subprocess.run([str(python), *RUNS[run]], cwd=ROOT, capture_output=True, text=True)
        tail = [line for line in proc.stdout.splitlines() if line.strip()][-12:]
        outcome[run] = {"passed": proc.returncode == 0, "exit": proc.returncode,
                        "seconds": round(time.monotonic() - start), "tail": tail}
        print(f"{run}: exit {proc.returncode}", file=sys.stderr, flush=True)
    passed = all(o["passed"] for o in outcome.values())

    dependencies = {}
    for name in targets:
        req = Requirement(requirements[name])
        newest = now.get(name)
        beyond = newest is not None and not req.specifier.contains(newest, prereleases=True)
        entry = {"bound": str(req.specifier), "locked": locked.get(name), "tried": newest, "beyond_bound": beyond}
        if beyond:
            entry["verdict"] = (f"may raise: admit {newest} (suite and soak passed)" if passed
                                else f"keep the bound: {newest} failed {', '.join(r for r, o in outcome.items() if not o['passed'])}")
        dependencies[req.name] = entry
    others = {n: {"locked": locked.get(n), "now": v} for n, v in now.items()
              if locked.get(n) != v and n not in targets and n != canonical("fazhi-desktop")}
    print(json.dumps({"python": sys.version.split()[0], "dependencies": dependencies, "also_changed": others,
                      "runs": outcome, "all_passed": passed}, ensure_ascii=False, indent=1))
    if sys.version_info[:2] != (3, 11):
        print("note: the soak guards Python 3.11 (None is immortal from 3.12 on): run this with 3.11", file=sys.stderr)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
