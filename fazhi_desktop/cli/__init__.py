"""The command line: ``fazhi-desktop [global options] <command>``; no command opens the GUI."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys
from collections.abc import Callable, Sequence

from fazhi_desktop.cli.parser import UsageError, build_parser
from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.logs import setup_logging
from fazhi_desktop.runtime import command_name, process

log = logging.getLogger(__name__)

EXIT_OK, EXIT_USER, EXIT_USAGE = 0, 1, 2
GC_YOUNG = 20_000  # allocations between collections of the youngest objects once a command's modules are loaded


def _ensure_streams() -> None:
    """The windowed Windows program (PyInstaller console=False) has no standard streams: sys.stdout is None and
    every print would fail. Commands then still run (their output goes nowhere; fazhi-desktop-cli is the console
    program that shows it) instead of failing on the first print."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


def _force_utf8() -> None:
    # Windows consoles may default to a legacy code page; Chinese output must not crash the program.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="replace")  # type: ignore[attr-defined]


def _handler(name: str):
    """Command modules are imported on demand: the GUI starts without loading what only the commands need."""
    if name == "gui":
        from fazhi_desktop.runtime.windows_version import refuse_old_windows

        if refuse_old_windows():  # before Qt's DLLs load: on an older Windows they fail without a word
            return lambda args: EXIT_USER
        from fazhi_desktop.gui.shell.app import run_gui

        return run_gui
    from fazhi_desktop.cli import commands

    return getattr(commands, name)


def _log_unraisable(unraisable) -> None:
    # Errors Python can only report on the console (a writer's generator collected after a failed save, say) go to
    # the log: no traceback ever reaches the user.
    log.warning("ignored error in %r: %s", unraisable.object, unraisable.exc_value,
                exc_info=(unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback))


def run_program(argv: Sequence[str] | None = None) -> int:
    """The program as a process (``python -m fazhi_desktop``, the installed command, the bundles' executables).

    Loading a command's modules (SQLAlchemy, the ledgers' tables, reportlab…) creates a few hundred thousand objects
    and no garbage, yet Python's cycle collector starts every 700 allocations and walks them again and again: about a
    tenth of the ``report`` command. So it is off while they load, and what they made is then set aside
    (``gc.freeze``) where no later collection walks it. A command's youngest objects are then collected every
    ``GC_YOUNG`` allocations instead of 700 (what lives on from its own work — reportlab, fonts, Jinja — is walked far
    less often), and its process ends at once (``process.end_now``); the window's ends the usual way (Qt's
    teardown keeps what was copied to the clipboard). Not in ``main``: a test process calling it would freeze its own
    garbage, or end."""
    gc.disable()
    loaded: list[str] = []

    def modules_loaded(handler: str) -> None:
        loaded.append(handler)
        gc.freeze()
        if handler != "gui":  # the window collects on its own timer (gui.shell.collector)
            gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])
        gc.enable()

    try:
        code = main(argv, after_imports=modules_loaded)
    finally:
        gc.enable()
    if loaded and loaded[0] != "gui":
        process.end_now(code)
    return code


def main(argv: Sequence[str] | None = None, after_imports: Callable[[str], None] | None = None) -> int:
    _ensure_streams()
    _force_utf8()
    process.restrict_new_files()
    sys.unraisablehook = _log_unraisable
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(f"参数错误：{exc}\n请运行 {command_name()} --help 查看用法。", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # --help / --version
        return int(exc.code or 0)
    log_file = setup_logging()
    try:
        return _run(args, log_file, after_imports)
    finally:
        _release_locks()


def _release_locks() -> None:
    commands = sys.modules.get("fazhi_desktop.cli.commands")
    if commands is not None:
        commands.release_locks()


def _run(args, log_file, after_imports: Callable[[str], None] | None = None) -> int:
    try:
        handler = _handler(args.handler)
        if after_imports is not None:
            after_imports(args.handler)
        return int(handler(args) or EXIT_OK)
    except UserError as exc:
        from fazhi_desktop.cli.hints import WORDS

        more = f"\n{WORDS[exc.hint]}。" if exc.hint in WORDS else ""
        print(f"错误：{exc}{more}", file=sys.stderr)
        return EXIT_USER
    except BrokenPipeError:  # output piped into `head` and the like
        return EXIT_OK
    except OSError as exc:  # a path the system refuses (too long, unreadable medium…): the user's to fix
        log.warning("file error in command %s: %s", getattr(args, "command", None), exc)
        name = str(exc.filename or "")[:80]
        print(f"错误：无法访问文件{('「' + name + '」') if name else ''}（{exc.strerror or exc}）", file=sys.stderr)
        return EXIT_USER
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return EXIT_USER
    except MemoryError:
        log.exception("out of memory in command %s", getattr(args, "command", None))
        print("错误：本机内存不足，操作未完成，数据没有改动。若在读取别处送来的文件，文件可能过大或被人为改动过。",
              file=sys.stderr)
        return EXIT_USER
    except Exception:
        log.exception("unexpected error in command %s", getattr(args, "command", None))
        where = f"详细信息已写入日志：{log_file}" if log_file else "（日志文件无法写入）"
        print(f"程序内部错误，操作未完成。{where}", file=sys.stderr)
        return EXIT_USER
