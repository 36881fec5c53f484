"""Writing output files safely: a temporary name first, then an atomic rename; clear messages when it fails."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from fazhi_desktop.domain.errors import UserError


@contextlib.contextmanager
def atomic_target(path: str | os.PathLike) -> Iterator[Path]:
    target = Path(path)
    if not target.parent.is_dir():
        raise UserError(f"保存位置的文件夹不存在：{target.parent}")
    tmp = target.with_name(f".{target.name}.part")
    try:
        yield tmp
        os.replace(tmp, target)
    except PermissionError as exc:
        raise UserError(f"无法写入「{target}」：文件可能正被其他程序打开（如 WPS 或 PDF 阅读器），请关闭后重试") from exc
    except OSError as exc:
        raise UserError(f"无法写入「{target}」：{exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
