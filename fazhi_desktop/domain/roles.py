"""Accounts' roles and what each may do (个人信息保护法第五十一条: 操作权限). The service layer asks ``allows``
before it writes, reveals or exports, so the command line and the GUI obey the same rules."""

from __future__ import annotations

ADMIN, CLERK, VIEWER = "管理员", "录入员", "查看"
ROLES = (ADMIN, CLERK, VIEWER)

# What an operation needs, with the words a refusal uses.
READ = "read"  # lists, statistics, the report, the printed tables, 待办
WRITE = "write"  # records, attachments, the report's own text, imports, a local choice
EXPORT = "export"  # a workbook or data package of the records (personal data, masked)
SETTINGS = "settings"  # the unit's details and settings, templates, villages
ADMIN_ONLY = "admin"  # accounts, full ID numbers, 彻底删除 and 到期销毁, restoring a backup, merging packages

ACTIONS = {READ: "查看和打印", WRITE: "录入和修改台账", EXPORT: "导出台账数据", SETTINGS: "修改单位设置",
           ADMIN_ONLY: "执行只有管理员才能做的操作"}

ALLOWED: dict[str, frozenset[str]] = {
    ADMIN: frozenset(ACTIONS),
    CLERK: frozenset({READ, WRITE, EXPORT}),
    VIEWER: frozenset({READ}),
}


def allows(role: str | None, action: str) -> bool:
    return action in ALLOWED.get(role or "", frozenset())
