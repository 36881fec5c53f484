"""The command line: ``fazhi-desktop [global options] <command>``; no command opens the GUI."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Sequence

from fazhi_desktop.cli.parser import UsageError, build_parser
from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.logs import setup_logging

log = logging.getLogger(__name__)

EXIT_OK, EXIT_USER, EXIT_USAGE = 0, 1, 2


def _force_utf8() -> None:
    # Windows consoles may default to a legacy code page; Chinese output must not crash the program.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="replace")  # type: ignore[attr-defined]


def _handler(name: str):
    """Command modules are imported on demand: the GUI starts without loading what only the commands need."""
    if name == "gui":
        from fazhi_desktop.gui.app import run_gui

        return run_gui
    from fazhi_desktop.cli import commands

    return getattr(commands, name)


def main(argv: Sequence[str] | None = None) -> int:
    _force_utf8()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(f"参数错误：{exc}\n请运行 fazhi-desktop --help 查看用法。", file=sys.stderr)
        return EXIT_USAGE
    except SystemExit as exc:  # --help / --version
        return int(exc.code or 0)
    log_file = setup_logging()
    try:
        return int(_handler(args.handler)(args) or EXIT_OK)
    except UserError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USER
    except BrokenPipeError:  # output piped into `head` and the like
        return EXIT_OK
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return EXIT_USER
    except Exception:
        log.exception("unexpected error in command %s", getattr(args, "command", None))
        where = f"详细信息已写入日志：{log_file}" if log_file else "（日志文件无法写入）"
        print(f"程序内部错误，操作未完成。{where}", file=sys.stderr)
        return EXIT_USER
