"""Where a database lives: places that are no good for a live database (network shares, USB sticks) are said so."""

from __future__ import annotations

import os
from pathlib import Path


def location_warning(path: Path, mounts: list[str] | None = None) -> str | None:
    """A network share or a removable drive is no place for a live database: say so (the user may go on)."""
    text = str(path.resolve())
    if os.name == "nt":
        if text.startswith("\\\\"):
            return f"数据库位于网络共享文件夹（{text}），断网时可能损坏数据，建议放在本机硬盘上。"
        try:
            import ctypes

            kind = ctypes.windll.kernel32.GetDriveTypeW(text[:3])  # type: ignore[attr-defined]
        except (AttributeError, OSError):
            return None
        if kind == 4:
            return f"数据库位于网络驱动器（{text[:2]}），断网时可能损坏数据，建议放在本机硬盘上。"
        if kind == 2:
            return f"数据库位于U盘等可移动磁盘（{text[:2]}），拔出时可能损坏数据，建议放在本机硬盘上，U盘只用来存放备份。"
        return None
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text().splitlines()
        except OSError:
            mounts = []
    best = ("", "")
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3 and text.startswith(parts[1]) and len(parts[1]) > len(best[0]):
            best = (parts[1], parts[2])
    if best[1] in ("nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "9p"):
        return f"数据库位于网络文件夹（{best[0]}），断网时可能损坏数据，建议放在本机硬盘上。"
    if text.startswith(("/media/", "/run/media/")):
        return "数据库位于U盘等可移动磁盘，拔出时可能损坏数据，建议放在本机硬盘上，U盘只用来存放备份。"
    return None
