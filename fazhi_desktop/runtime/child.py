"""Work on hostile input in a child process with hard limits: whatever a file makes a library do (allocate 512 GB,
loop for hours inside one C call), the child is stopped and the window or command goes on.

The child is this same program (``fazhi-desktop --child <task> <in> <out>``; frozen or not), so no interpreter or
script is needed beside the bundle. It caps its own address space (POSIX ``RLIMIT_AS``) or puts itself in a Windows
job object with a memory limit before it reads any input; the parent kills it when the wall-clock limit passes.
Input and output travel as files in a private temporary folder: the parent writes a pickle of its own trusted values;
the child answers in JSON only (no value from the child ever becomes code in the parent).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

FLAG = "--child"
MAX_ANSWER = 256 * 1024 * 1024  # characters of one answer
_TASKS: dict[str, str] = {
    # task name → "module:function"; the function takes the parent's value and returns a JSON-able value.
    "read-workbook": "fazhi_desktop.exchange.reader:read_grids",
    "render-template": "fazhi_desktop.reports.content.template_child:render",
}


class ChildFailed(Exception):
    """The child ran out of time or memory, or failed; ``reason`` is "time", "memory" or "error"."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(detail or reason)
        self.reason = reason
        self.detail = detail


def command() -> list[str]:
    """How to start this program again: the frozen executable itself, or this interpreter with the package."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "fazhi_desktop"]


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    if isinstance(value, dt.time):
        return {"$t": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"$td": value.total_seconds()}
    raise TypeError(f"cannot send {type(value).__name__}")


def _decode(obj: dict) -> Any:
    if len(obj) == 1:
        (key, value), = obj.items()
        if key == "$dt":
            return dt.datetime.fromisoformat(value)
        if key == "$d":
            return dt.date.fromisoformat(value)
        if key == "$t":
            return dt.time.fromisoformat(value)
        if key == "$td":
            return dt.timedelta(seconds=value)
    return obj


def run(task: str, value: Any, *, seconds: float, memory_mb: int, max_answer_bytes: int = 64 * 1024 * 1024) -> Any:
    """Run ``task`` on ``value`` in a child process; its result, or ``ChildFailed``. An answer larger than
    ``max_answer_bytes`` is refused unread: the parent holds all of what it reads, several times its size in Python
    objects (#33 M9)."""
    return start(task, value, seconds=seconds, memory_mb=memory_mb, max_answer_bytes=max_answer_bytes).result()


def start(task: str, value: Any, *, seconds: float, memory_mb: int,
          max_answer_bytes: int = 64 * 1024 * 1024) -> Running:
    """``run``, started: the parent goes on with other work (an import's guard scans the workbook while the child
    reads it) and then asks for the ``result``, or ``stop``s the child unread."""
    if task not in _TASKS:
        raise ValueError(task)
    return Running(task, value, seconds, memory_mb, max_answer_bytes)


class Running:
    """A child at work. Its time limit counts from its start: asked for its answer after that, it must have ended."""

    def __init__(self, task: str, value: Any, seconds: float, memory_mb: int, max_answer_bytes: int):
        self._folder = tempfile.TemporaryDirectory(prefix="fazhi-child-")
        self._max_answer_bytes = max_answer_bytes
        folder = Path(self._folder.name)
        self._target = folder / "out.json"
        try:
            source = folder / "in.pickle"
            source.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            env = dict(os.environ, FAZHI_CHILD_MEMORY_MB=str(memory_mb), PYTHONUTF8="1")
            flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
            self._deadline = time.monotonic() + seconds
            self.process = subprocess.Popen([*command(), FLAG, task, str(source), str(self._target)],
                                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.PIPE, env=env, creationflags=flags)
        except BaseException:
            self._folder.cleanup()
            raise

    def result(self) -> Any:
        try:
            return self._answer()
        finally:
            self.stop()

    def stop(self) -> None:
        """Kill the child (if it still runs), wait for it, and remove its folder: nothing of it is left."""
        proc = self.process
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        if proc.stderr is not None and not proc.stderr.closed:
            proc.stderr.close()
        self._folder.cleanup()

    def _answer(self) -> Any:
        proc = self.process
        left = self._deadline - time.monotonic()
        try:
            if left <= 0 and proc.poll() is None:  # asked late (the parent was busy), and still at work
                raise subprocess.TimeoutExpired(proc.args, 0)
            _out, err = proc.communicate(timeout=max(left, 0) if proc.returncode is None else None)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise ChildFailed("time") from None
        target = self._target
        if proc.returncode != 0 or not target.is_file():
            detail = err.decode("utf-8", "replace")[-2000:]
            memory = "MemoryError" in detail or "memory allocation" in detail or proc.returncode in (-9, 134, -6)
            raise ChildFailed("memory" if memory else "error", detail)
        limit = self._max_answer_bytes
        if target.stat().st_size > limit:
            raise ChildFailed("refused", f"内容过多（展开后超过 {limit // (1024 * 1024)} MB），文件可能被人为改动过。")
        answer = json.loads(target.read_text(encoding="utf-8"), object_hook=_decode)
        if "error" in answer:
            raise ChildFailed("refused", answer["error"])
        return answer["result"]


def _limit_memory(megabytes: int) -> None:
    limit = megabytes * 1024 * 1024
    if os.name == "nt":
        _windows_job(limit)
        return
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _windows_job(limit: int) -> None:
    """This process, in a job object that fails any allocation beyond ``limit`` bytes."""
    import ctypes
    from ctypes import wintypes

    class IoCounters(ctypes.Structure):
        _fields_ = [(n, ctypes.c_ulonglong) for n in ("r", "w", "o", "rb", "wb", "ob")]

    class BasicLimits(ctypes.Structure):
        _fields_ = [("PerProcessUserTimeLimit", ctypes.c_longlong), ("PerJobUserTimeLimit", ctypes.c_longlong),
                    ("LimitFlags", wintypes.DWORD), ("MinimumWorkingSetSize", ctypes.c_size_t),
                    ("MaximumWorkingSetSize", ctypes.c_size_t), ("ActiveProcessLimit", wintypes.DWORD),
                    ("Affinity", ctypes.c_size_t), ("PriorityClass", wintypes.DWORD),
                    ("SchedulingClass", wintypes.DWORD)]

    class ExtendedLimits(ctypes.Structure):
        _fields_ = [("BasicLimitInformation", BasicLimits), ("IoInfo", IoCounters),
                    ("ProcessMemoryLimit", ctypes.c_size_t), ("JobMemoryLimit", ctypes.c_size_t),
                    ("PeakProcessMemoryUsed", ctypes.c_size_t), ("PeakJobMemoryUsed", ctypes.c_size_t)]

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateJobObjectW.restype = wintypes.HANDLE
    kernel32.GetCurrentProcess.restype = wintypes.HANDLE
    job = kernel32.CreateJobObjectW(None, None)
    info = ExtendedLimits()
    info.BasicLimitInformation.LimitFlags = 0x100 | 0x2000  # PROCESS_MEMORY | KILL_ON_JOB_CLOSE
    info.ProcessMemoryLimit = limit
    extended = 9  # JobObjectExtendedLimitInformation
    if job and kernel32.SetInformationJobObject(wintypes.HANDLE(job), extended, ctypes.byref(info),
                                                ctypes.sizeof(info)):
        kernel32.AssignProcessToJobObject(wintypes.HANDLE(job), wintypes.HANDLE(kernel32.GetCurrentProcess()))


def _task(name: str) -> Callable[[Any], Any]:
    import importlib

    module, function = _TASKS[name].split(":")
    return getattr(importlib.import_module(module), function)


def serve(argv: list[str]) -> int:
    """The child's side: ``<task> <in> <out>``. Limits first, then the input."""
    with contextlib.suppress(ValueError, OSError):
        _limit_memory(int(os.environ.get("FAZHI_CHILD_MEMORY_MB", "1024")))
    name, source, target = argv
    fn = _task(name)
    value = pickle.loads(Path(source).read_bytes())  # written by the parent a moment ago, in its private folder
    from fazhi_desktop.domain.errors import UserError

    try:
        answer = {"result": fn(value)}
    except UserError as exc:
        answer = {"error": str(exc)}
    except MemoryError:
        if sys.stderr is not None:
            sys.stderr.write("MemoryError\n")
        return 3
    text = json.dumps(answer, ensure_ascii=False, default=_encode)
    if len(text) > MAX_ANSWER:  # the parent would hold all of it: a small file must not fill the parent's memory
        text = json.dumps({"error": "内容过多（展开后超过 256 MB 文字），文件可能被人为改动过。"}, ensure_ascii=False)
    Path(target).write_text(text, encoding="utf-8")
    return 0
