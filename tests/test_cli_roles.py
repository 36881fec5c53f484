"""Roles in one place (#33): every subcommand of the command line declares what it asks of an account's role
(cli/access.py), and each one is run here as 管理员, 录入员 and 查看 against the demo. A role the declaration does not
allow is refused right after the login, with nothing written; a role it allows is never refused for its role.
The table of expectations is generated from the declarations, and a subcommand nobody declared fails the walk."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest
from clikit import add_accounts, run_cli

from fazhi_desktop.cli.access import NEEDS, need_of
from fazhi_desktop.cli.parser import build_parser
from fazhi_desktop.domain.roles import allows

SHEET = Path(__file__).resolve().parents[1] / "resources" / "考核细则示例.xlsx"
PASSWORDS = {"张主任": "admin-2024a", "李四": "clerk-2024b", "王五": "viewer-2024c"}
ROLES = {"张主任": "管理员", "李四": "录入员", "王五": "查看"}


def subcommands() -> dict[str, str]:
    """Every subcommand the parser offers, with the handler it runs."""
    parser = build_parser()
    choices = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    return {name: sub.get_default("handler") for name, sub in choices.items()}


# One run of each subcommand (the paths filled in per test); several where a flag changes what it asks.
RUNS = {
    "init": ["init", "--unit", "乙镇", "--county", "某县", "--addressee", "县法治办", "--issuer", "乙镇", "--villages", "东村"],
    "demo": ["demo"],
    "stats": ["stats", "--year", "2023"],
    "report": ["report", "--year", "2023", "--check"],
    "report --accept": ["report", "--year", "2023", "--public", "--accept", "肖咀村", "--out", "{out}/公开.pdf"],
    "tables": ["tables", "--year", "2023", "--out", "{out}/表.xlsx"],
    "template": ["template", "--out", "{out}/模板.xlsx"],
    "import": ["import", "{out}/导出.xlsx", "--dry-run"],
    "export": ["export", "{out}/导出2.xlsx"],
    "export --full-ids": ["export", "{out}/全.xlsx", "--full-ids"],
    "backup": ["backup"],
    "backup --out": ["backup", "--out", "{out}"],
    "restore": ["restore", "{backup}"],
    "check": ["check"],
    "todo": ["todo", "--year", "2023"],
    "holidays export": ["holidays", "export", "--year", "2024", "--out", "{out}/2024年节假日安排.json"],
    "holidays import": ["holidays", "import", "{out}/导出.xlsx"],  # not a calendar: refused after the role check
    "binder": ["binder", "--year", "2023", "--out", "{out}/汇编.pdf", "--ledger", "会议台账"],
    "score": ["score", "--year", "2023", "--sheet", "{sheet}", "--out", "{out}/自评.xlsx"],
    "package export": ["package", "export", "--year", "2023", "--out", "{out}/包.zip"],
    "package import": ["package", "import", "{out}/包.zip"],
    "county-tables": ["county-tables", "--year", "2023", "--out", "{out}/县.xlsx"],
    "county-tables --deadline": ["county-tables", "--year", "2023", "--out", "{out}/县2.xlsx", "--deadline", "03-25"],
    "county setup": ["county", "setup", "--county", "合水县", "--townships", "肖咀镇,太白镇"],
    "county relink": ["county", "relink", "--township", "肖咀镇", "--fingerprint", "0000-1111-2222-3333"],
    "county report": ["county", "report", "--township", "肖咀镇", "--year", "2023", "--out", "{out}/报告.pdf"],
    "user list": ["user", "list"],
    "user disable": ["user", "disable", "不存在的人"],
    "retention list": ["retention", "list"],
    "retention destroy": ["retention", "destroy"],
    "retention purge-backups": ["retention", "purge-backups"],
    "reveal": ["reveal", "--ledger", "法治人才名册", "--record", "00000000-0000-0000-0000-000000000000", "--field", "身份证号"],
    "audit": ["audit", "verify"],
}


@pytest.fixture(scope="module")
def staffed(tmp_path_factory):
    """The demo with three accounts, a backup, an export and a package to run the commands on."""
    folder = tmp_path_factory.mktemp("roles")
    db = folder / "demo.sqlite3"
    data = folder / "data"
    env = {"FAZHI_DATA_DIR": str(data)}
    assert run_cli("--db", str(db), "demo", env=env).returncode == 0
    assert run_cli("--db", str(db), "export", str(folder / "导出.xlsx"), env=env).returncode == 0
    assert run_cli("--db", str(db), "package", "export", "--year", "2023", "--out", str(folder / "包.zip"),
                   env=env).returncode == 0
    assert run_cli("--db", str(db), "backup", "--out", str(folder), env=env).returncode == 0
    add_accounts(db, ("张主任", PASSWORDS["张主任"]), *((n, ROLES[n], PASSWORDS[n]) for n in ("李四", "王五")), env=env)
    return folder, db, data


def test_every_subcommand_declares_what_it_asks_of_a_role():
    handlers = subcommands()
    assert set(handlers.values()) == set(NEEDS), "a subcommand without a declaration (or one declared for nothing)"
    walked = {run[0] for run in RUNS.values()}
    assert walked == set(handlers), "every subcommand is walked below"


@pytest.mark.parametrize("name", list(ROLES))
@pytest.mark.parametrize("run", list(RUNS))
def test_each_subcommand_as_each_role(staffed, tmp_path, run, name):
    folder, db, data = staffed
    work = tmp_path / "db.sqlite3"
    shutil.copy(db, work)  # each run on its own copy: an allowed command may change the data
    out = tmp_path / "out"
    out.mkdir()
    for made in ("导出.xlsx", "包.zip"):
        shutil.copy(folder / made, out / made)
    backup = next(folder.glob("肖咀镇-备份-*.sqlite3"))
    sheet = SHEET
    args = [a.format(out=out, backup=backup, sheet=sheet) for a in RUNS[run]]
    parsed = build_parser().parse_args(["--db", str(work), *args])
    need = need_of(parsed)
    proc = run_cli("--db", str(work), "--user", name, *args, stdin=f"{PASSWORDS[name]}\n" * 3,
                   env={"FAZHI_DATA_DIR": str(data)}, timeout=300)
    refused = f"是「{ROLES[name]}」，不能" in proc.stderr
    if need is not None and not allows(ROLES[name], need):
        assert proc.returncode == 1 and refused, (run, name, proc.stdout[-500:], proc.stderr[-500:])
        assert sorted(p.name for p in out.iterdir()) == ["包.zip", "导出.xlsx"], "a refusal writes nothing"
    else:
        assert not refused, (run, name, proc.stderr[-500:])
