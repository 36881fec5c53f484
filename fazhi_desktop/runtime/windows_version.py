"""The oldest Windows the window runs on, asked before Qt is loaded.

Qt 6 supports Windows 10 version 1809 (build 17763) and later, and its DLLs need the system's icuuc.dll (Windows 10
1703 and later): on an older Windows (LTSB 2016, say) the window would not start and say nothing. The command line
needs no Qt and keeps working there. The installer refuses the same builds (resources/installer.nsi).
"""

from __future__ import annotations

import logging
import sys

log = logging.getLogger(__name__)

MINIMUM_BUILD = 17763
MINIMUM_NAME = "Windows 10 1809 版（内部版本 17763）"


def running_build() -> int | None:
    """The build number of the running Windows (None elsewhere). RtlGetVersion, not GetVersionEx: the latter reports
    what the program's manifest claims to support, not the system."""
    if sys.platform != "win32":
        return None
    import ctypes
    from ctypes import wintypes

    class VersionInfo(ctypes.Structure):
        _fields_ = [("size", wintypes.DWORD), ("major", wintypes.DWORD), ("minor", wintypes.DWORD),
                    ("build", wintypes.DWORD), ("platform", wintypes.DWORD), ("service_pack", wintypes.WCHAR * 128)]

    info = VersionInfo()
    info.size = ctypes.sizeof(info)
    if ctypes.WinDLL("ntdll").RtlGetVersion(ctypes.byref(info)) != 0:
        return None
    return int(info.build)  # 8.1 is 9600, 7 is 7601: below every Windows 10 build


def too_old(build: int | None) -> str | None:
    """The message for a Windows the window cannot run on, or None."""
    if build is None or build >= MINIMUM_BUILD:
        return None
    return (f"本程序的窗口需要 {MINIMUM_NAME} 或更新的 Windows（本机为内部版本 {build}），无法在本机打开。\n"
            "请升级 Windows，或在其他电脑上使用。命令行程序 fazhi-desktop-cli 在本机仍可使用。")


def refuse_old_windows(build: int | None = None, show=None) -> bool:
    """True (after a message box and a log line) when the window cannot run here."""
    build = running_build() if build is None else build
    message = too_old(build)
    if message is None:
        return False
    log.error("Windows build %s is older than %s: the window is not started", build, MINIMUM_BUILD)
    (show or _message_box)(message)
    return True


def _message_box(message: str) -> None:
    print(message, file=sys.stderr)
    if sys.platform == "win32":
        import ctypes

        ctypes.WinDLL("user32").MessageBoxW(None, message, "法治建设台账与年度报告", 0x10)  # MB_ICONERROR
