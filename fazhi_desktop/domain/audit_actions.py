"""The actions a history (修改记录) entry can name, with the words the history shows for each."""

from __future__ import annotations

CREATE = "create"
UPDATE = "update"
DELETE = "delete"  # moved to the 回收站
RESTORE = "restore"  # back from the 回收站
PURGE = "purge"
IMPORT = "import"
ATTACH = "attach"
DETACH = "detach"
RESTORE_BACKUP = "restore-backup"
REIDENTIFY = "reidentify"  # a copy of another database got an identity of its own
# Personal information (个人信息保护法): who saw a full number, who wrote a file holding personal data, what was
# destroyed when its retention ran out; and the accounts' own changes.
REVEAL = "reveal"
EXPORT = "export"
DESTROY = "destroy"
ACCOUNT_ADD = "account-add"
ACCOUNT_DISABLE = "account-disable"
PASSWORD = "password"
LOGIN_FAILED = "login-failed"
LOGIN = "login"  # a login that cleared earlier failures or a lock
ACCOUNTS_KEPT = "accounts-kept"  # a restore kept the accounts the database had before it

LABELS = {
    CREATE: "新建", UPDATE: "修改", DELETE: "删除（移入回收站）", RESTORE: "从回收站恢复", PURGE: "彻底删除",
    ATTACH: "添加佐证材料", DETACH: "移除佐证材料", RESTORE_BACKUP: "从备份恢复", IMPORT: "从 Excel 导入",
    REIDENTIFY: "分配新的数据库编号", REVEAL: "查看完整个人信息", EXPORT: "导出含个人信息的文件",
    DESTROY: "保管期满销毁", ACCOUNT_ADD: "新建账户", ACCOUNT_DISABLE: "停用账户", PASSWORD: "修改密码",
    LOGIN_FAILED: "密码输错", LOGIN: "登录", ACCOUNTS_KEPT: "恢复备份时保留原有账户",
}
