"""The pins: every runtime dependency bounded above, known-bad releases excluded, and the locks (what CI and the
bundles install) holding what pyproject.toml asks for, with the Windows build's lines resolved from the same lock."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools import locks  # noqa: E402

PROJECT = tomllib.loads((locks.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def requirements() -> list[Requirement]:
    return [Requirement(r) for r in PROJECT["dependencies"]]


def test_every_runtime_dependency_has_an_upper_bound():
    unbounded = [str(r) for r in requirements() if not any(s.operator in ("<", "<=", "==") for s in r.specifier)]
    assert unbounded == []


def test_known_bad_releases_are_excluded_and_not_locked():
    by_name = {canonicalize_name(r.name): r for r in requirements()}
    locked = {canonicalize_name(p.name): p.version for p in locks.pins(locks.BUNDLE_LOCK)}
    for name, bad in locks.KNOWN_BAD.items():
        for version in bad:
            assert not by_name[name].specifier.contains(version), f"pyproject admits {name} {version}"
            assert locked[name] != version


def test_the_locks_hold_what_pyproject_asks_for():
    assert locks.missing() == []


def test_both_locks_pin_the_same_runtime_versions_and_qt_matches_its_bindings():
    bundle = {canonicalize_name(p.name): p.version for p in locks.pins(locks.BUNDLE_LOCK)}
    test = {canonicalize_name(p.name): p.version for p in locks.pins(locks.TEST_LOCK)}
    for req in requirements():
        name = canonicalize_name(req.name)
        assert bundle[name] == test[name], name
    assert bundle["pyside6-essentials"] == bundle["shiboken6"]
    assert all(p.hashes for p in locks.pins(locks.BUNDLE_LOCK) + locks.pins(locks.TEST_LOCK))


def test_the_windows_build_gets_the_windows_only_tools_and_pip_from_the_lock():
    names = {canonicalize_name(p.name) for p in locks.pins_for(locks.BUNDLE_LOCK, locks.WINDOWS)}
    assert {"pefile", "pywin32-ctypes", "pip", "pyinstaller", "pyside6-essentials"} <= names
    linux = {canonicalize_name(p.name) for p in locks.pins_for(
        locks.BUNDLE_LOCK, {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"})}
    assert "pefile" not in linux and "pyside6-essentials" in linux
