"""Command handlers: thin wrappers that open the database and call the same services as the GUI."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from fazhi_desktop.reports.content import numbers
from fazhi_desktop.runtime import command_name
from fazhi_desktop.services import stats as stats_service
from fazhi_desktop.services import units
from fazhi_desktop.services.actor import default_actor
from fazhi_desktop.services.context import Context
from fazhi_desktop.storage.database import Database

MAX_PROBLEMS_SHOWN = 200  # a workbook with 100,000 bad rows must not print 100,000 lines
# What commands opened; main() closes them (and releases their locks) when the command ends.
OPENED: list = []


def release_locks() -> None:
    while OPENED:
        OPENED.pop().close()


def _open(args: argparse.Namespace, *, write: bool = False, must_exist: bool = False) -> Database:
    """Commands that only read need an existing database and open one on a read-only medium read-only; commands
    that write take the lock first (before any migration writes)."""
    from fazhi_desktop.services import opening

    opened = opening.open_for(args.db, args.db_url, write=write, must_exist=must_exist, actor=default_actor())
    OPENED.append(opened)
    for notice in opened.notices:
        print(f"提示：{notice}", file=sys.stderr)
    return opened.db


def _context(args: argparse.Namespace, *, write: bool = False, unit: bool = True) -> Context:
    """The operation context of a command: the opened database, the unit asked for (or the only one), and who:
    ``--user`` or the OS user, logged in with a password once the database has accounts."""
    db = _open(args, write=write)
    return Context(db, units.pick(db, args.unit) if unit else None, _log_in(args, db))


def _open_unit(args: argparse.Namespace):
    ctx = _context(args)
    return ctx.db, ctx.unit


def read_password(prompt: str) -> str:
    """A password from the terminal (not echoed) or, when piped, one line of standard input."""
    import getpass

    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    print(prompt, end="", file=sys.stderr, flush=True)
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")


def _log_in(args: argparse.Namespace, db: Database) -> str:
    from fazhi_desktop.services import accounts
    from fazhi_desktop.services.actor import act_as

    name = args.user or default_actor()
    with db.engine.connect() as conn:
        needed = accounts.has_accounts(conn)
    if needed:
        from fazhi_desktop.cli.access import need_of

        name = accounts.login(db.engine, name, read_password(f"账户「{name}」的密码：")).name
        act_as(name)
        need = need_of(args)
        if need is not None:  # before anything is read or written: a refusal leaves no half-done job
            accounts.require_engine(db.engine, name, need)
    elif args.user:
        act_as(name)  # no accounts yet: the name only goes into the history
    return name


def _log_in_file(args: argparse.Namespace, path: Path) -> str:
    """Who restores a file that is not opened first (a restore may replace a damaged one)."""
    import types

    import sqlalchemy as sa

    from fazhi_desktop.services import accounts
    from fazhi_desktop.storage.database import make_engine

    if not path.exists():
        return args.user or default_actor()
    engine = accounts.read_only_engine(path)  # read first without touching it (it may be damaged)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("accounts") or not accounts.has_accounts(conn):
                return args.user or default_actor()
    except sa.exc.DatabaseError:  # damaged: it cannot say who may restore it
        return args.user or default_actor()
    finally:
        engine.dispose()
    engine = make_engine(path=path)  # its accounts read: a login counts its failures (the lockout holds here too)
    try:
        return _log_in(args, types.SimpleNamespace(engine=engine))
    finally:
        engine.dispose()


def user(args: argparse.Namespace) -> int:
    from fazhi_desktop.domain.errors import UserError
    from fazhi_desktop.services import accounts

    ctx = _context(args, write=args.action != "list", unit=False)
    if args.action == "list":
        with ctx.engine.connect() as conn:
            found = accounts.list_accounts(conn)
        if not found:
            print("还没有账户：本机任何人打开程序都可以做所有操作。用 user add 名称 --role 管理员 建立第一个账户。")
        for a in found:
            state = "已停用" if a.disabled else (f"锁定至{a.locked_until:%H:%M}" if a.locked_until else "在用")
            print(f"{a.name}\t{a.role}\t{state}\t建立于{a.created_at:%Y-%m-%d}")
        return 0
    if not args.name:
        raise UserError("请写出账户名，例如 user add 张三 --role 录入员")
    if args.action == "disable":
        with ctx.engine.begin() as conn:
            accounts.disable(conn, args.name, ctx.actor)
        print(f"已停用账户「{args.name}」。")
        return 0
    if args.action == "password":
        old = read_password(f"账户「{args.name}」的原密码：")
        new = read_password("新密码：")
        if read_password("再输一遍新密码：") != new:
            raise UserError("两次输入的新密码不一致，密码没有修改")
        accounts.change_password(ctx.engine, args.name, old, new)
        print(f"已修改账户「{args.name}」的密码。")
        return 0
    if not args.role:
        raise UserError("请用 --role 指定角色：管理员、录入员或查看")
    password = read_password(f"为账户「{args.name}」设置密码：")
    if read_password("再输一遍密码：") != password:
        raise UserError("两次输入的密码不一致，账户没有建立")
    with ctx.engine.begin() as conn:
        accounts.add(conn, args.name, args.role, password, ctx.actor)
    print(f"已建立账户「{args.name}」（{args.role}）。此后打开程序需要登录。")
    return 0


def retention(args: argparse.Namespace) -> int:
    from fazhi_desktop.domain.errors import UserError
    from fazhi_desktop.domain.ledgers import ledger_named
    from fazhi_desktop.services import retention as keep

    ctx = _context(args, write=args.action != "list")
    if args.action == "set":
        if not args.ledger or not args.period:
            raise UserError("请写出台账和保管期限，例如 retention set 矛盾纠纷排查调处台账 10年")
        ledger = ledger_named(args.ledger)
        with ctx.engine.begin() as conn:
            keep.set_classes(conn, ctx.unit, {ledger.key: args.period}, ctx.actor)
        print(f"已把{ledger.name}的保管期限设为{args.period}。")
        return 0
    if args.action == "purge-backups":
        _offer_backup_purge(ctx, True)
        return 0
    items = keep.due_of(ctx, args.today)
    when = (args.today or dt.date.today()).isoformat()
    if not items:
        print(f"{ctx.unit.name}到 {when} 没有保管期满的记录。")
        return 0
    print(f"{ctx.unit.name}到 {when} 保管期满的记录 {len(items)} 条：")
    for n, item in enumerate(items[:MAX_PROBLEMS_SHOWN], start=1):
        print(f"  {n}. " + "，".join(f"{k}：{v}" for k, v in keep.describe(item).items() if v != ""))
    if args.action == "destroy":
        if not args.yes:
            print("以上记录尚未销毁。确认销毁请加 --yes（销毁后无法恢复，修改记录中留下销毁记录）。")
            return 0
        done = keep.destroy_due(ctx, args.today).value
        print(f"已销毁 {done} 条记录及其佐证材料，修改记录中已留下销毁记录。")
        _offer_backup_purge(ctx, args.backups)
    return 0


def _offer_backup_purge(ctx, purge: bool) -> None:
    """到期销毁 offers to reach the backups on this PC as well (M6)."""
    from fazhi_desktop.services import retention_backups

    if purge:
        print(retention_backups.describe(retention_backups.purge_of(ctx)))
        return
    held = retention_backups.holding_of(ctx)
    if held:
        print(f"本机还有 {len(held)} 份备份含有已销毁的记录（用它们恢复时会再次销毁）。如要一并清除，请运行："
              "retention purge-backups")


def reveal(args: argparse.Namespace) -> int:
    from fazhi_desktop.domain.ledgers import ledger_named
    from fazhi_desktop.services import privacy

    ledger = ledger_named(args.ledger)
    key = next((f.key for f in ledger.fields if args.field in (f.key, f.label)), args.field)
    ctx = _context(args, write=True)
    print(privacy.reveal(ctx.engine, ctx.unit, ctx.actor, ledger.key, args.record, key) or "（空）")
    return 0


def init(args: argparse.Namespace) -> int:
    ctx = _context(args, write=True, unit=False)
    unit = units.create(ctx, {
        "name": args.unit_name, "kind": args.kind, "county": args.county, "addressee": args.addressee,
        "issuers": args.issuer, "villages": args.villages,  # split by the fields' one list rule
    }).value
    print(f"已创建单位「{unit.name}」（{unit.county}），村(社区) {len(unit.villages)} 个。")
    return 0


def demo(args: argparse.Namespace) -> int:
    from fazhi_desktop.services import demo as demo_data

    db = _open(args, write=True)
    found = units.all_units(db)
    if [u.name for u in found] == [demo_data.DEMO_UNIT["name"]]:  # run twice: the demo is there, nothing to do
        print(f"示例单位「{found[0].name}」已经载入过，无需重复载入。")
        return 0
    unit = demo_data.load_demo(db.engine)
    print(f"已载入示例单位「{unit.name}」的 2022、2023 年台账。可运行：{command_name()} stats --year 2023")
    return 0


def _plain(value) -> str:
    if isinstance(value, float):
        return numbers.percent(value)
    if value is None:
        return "无（基数为0）"
    return str(value)


def stats(args: argparse.Namespace) -> int:
    ctx = _context(args)
    unit = ctx.unit
    current, previous = stats_service.figures(ctx, args.year)
    if args.format == "json":
        json.dump(current, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    print(f"{unit.name} {args.year} 年统计指标（上年 {args.year - 1}）")
    from fazhi_desktop.domain.indicators import INDICATORS

    for ind in INDICATORS:
        value = current[ind.key]
        if ind.kind == "breakdown":
            parts = "、".join(f"{k} {v}" for k, v in value.items() if v) or "无"
            print(f"  {ind.category:<6} {ind.label}：{parts}")
            continue
        unit_text = "" if ind.kind == "rate" else ind.unit
        delta = stats_service.change(value, previous[ind.key])
        delta_text = "" if delta is None or ind.kind == "rate" else f"（上年 {previous[ind.key]}，增减 {delta:+d}）"
        print(f"  {ind.category:<6} {ind.label}：{_plain(value)}{unit_text}{delta_text}")
    return 0


def report(args: argparse.Namespace) -> int:
    from fazhi_desktop.domain.errors import UserError
    from fazhi_desktop.reports import readiness
    from fazhi_desktop.reports.render import write_report

    if not args.check and not args.out:
        raise UserError("请用 --out 指定输出文件，例如 --out 报告.pdf（只做体检请加 --check）")
    ctx = _context(args)
    db, unit = ctx.db, ctx.unit
    # Built once for the lint and the print (the lint reads the default template's words; --accept changes what
    # the 公开版 may print, so the report is built again after it)
    document = None
    if args.template is None and not args.accept:
        from fazhi_desktop.reports.content.builder import build_document

        with db.engine.connect() as conn:
            document = build_document(conn, unit, args.year)
    findings = readiness.check_for(ctx, args.year, document)
    if args.check:
        if not findings:
            print(f"报告体检通过：{unit.name}{args.year}年度报告没有需要处理的事项。")
        else:
            print(f"报告体检：{unit.name}{args.year}年度报告提交前有 {len(findings)} 项需要处理：")
            for n, finding in enumerate(findings, start=1):
                print(f"  {n}. {finding}")
        return 1 if findings and args.strict else 0
    for finding in findings:
        print(f"提示：{finding}", file=sys.stderr)
    if findings and args.strict:
        raise UserError(f"报告体检发现 {len(findings)} 项需要处理（见上），--strict 时不生成报告。")
    from fazhi_desktop.services import local

    if args.accept:
        from fazhi_desktop.reports import publication

        with db.engine.begin() as conn:
            unit = publication.accept(conn, unit, args.year, args.accept, ctx.actor)
        print(f"已确认可以公开：{'、'.join(args.accept)}")
    result = write_report(db.engine, unit, args.year, args.out, args.format, args.template,
                          fonts=local.fonts(db), public=args.public, document=document)
    pages = f"，共 {result.pages} 页" if result.pages else ""
    print(f"已生成{unit.name}{args.year}年度报告：{result.path}{pages}")
    for warning in result.warnings:
        print(f"提示：{warning}", file=sys.stderr)
    return 0


def tables(args: argparse.Namespace) -> int:
    from fazhi_desktop.reports.render.xlsx import write_statistics_workbook

    db, unit = _open_unit(args)
    path = write_statistics_workbook(db.engine, unit, args.year, args.out, full_rosters=args.full_rosters)
    print(f"已生成{unit.name}{args.year}年统计表：{path}")
    return 0


def template(args: argparse.Namespace) -> int:
    from fazhi_desktop.exchange.writer import write_template
    from fazhi_desktop.services import opening

    db_path = opening.target(args.db, args.db_url)
    unit = None
    if db_path is None or db_path.exists() or args.unit:  # a blank template needs no database
        db = _open(args)
        found = units.all_units(db)
        unit = units.pick(db, args.unit) if (args.unit or len(found) == 1) else None
    path = write_template(args.out, unit)
    print(f"已生成导入模板：{path}")
    return 0


def import_(args: argparse.Namespace) -> int:
    from fazhi_desktop.domain.errors import ValidationError
    from fazhi_desktop.exchange.apply import run_import
    from fazhi_desktop.services import safety

    db = _open(args, write=not args.dry_run)

    def before_write() -> None:
        if db.is_sqlite:
            safety.backup_now(db, "before-import")

    actor = _log_in(args, db)
    try:
        report = run_import(db.engine, args.file, dry_run=args.dry_run, actor=actor, unit_name=args.unit,
                            before_write=before_write)
    except ValidationError as exc:
        print(f"检查发现 {len(exc.problems)} 处错误，没有导入任何数据：", file=sys.stderr)
        for problem in exc.problems[:MAX_PROBLEMS_SHOWN]:
            print(f"  {problem}", file=sys.stderr)
        if len(exc.problems) > MAX_PROBLEMS_SHOWN:
            print(f"  另有 {len(exc.problems) - MAX_PROBLEMS_SHOWN} 处问题（改正以上问题后再检查即可看到）", file=sys.stderr)
        return 1
    for line in report.summary():
        print(line)
    from fazhi_desktop.cli.hints import worded

    for warning in report.warnings:
        print(f"提示：{worded(warning)}", file=sys.stderr)
    if report.dry_run:
        print(f"检查通过：可新增 {report.created} 条、更新 {report.updated} 条（--dry-run，未导入）。")
    else:
        made = f"，并创建了单位「{report.unit.name}」" if report.unit_created else ""
        print(f"导入完成：新增 {report.created} 条、更新 {report.updated} 条{made}。")
    return 0


def export(args: argparse.Namespace) -> int:
    from fazhi_desktop.domain.ledgers import ledger_named
    from fazhi_desktop.exchange.writer import export_workbook

    chosen = [ledger_named(name).key for name in args.ledger] if args.ledger else None
    db, unit = _open_unit(args)
    counts = export_workbook(db.engine, unit, args.file, args.year, full_ids=args.full_ids, ledgers=chosen)
    print(f"已导出 {sum(counts.values())} 条记录到：{args.file}")
    return 0


def backup(args: argparse.Namespace) -> int:
    from fazhi_desktop.services import opening, safety

    if args.out:  # a copy elsewhere rotates nothing: it may run beside an open window
        db = _open(args)
        path = safety.copy_to(db, Path(args.out), _log_in(args, db))
    else:
        opening.must_be_sqlite(args.db, args.db_url)
        db = _open(args, write=True, must_exist=True)
        path = safety.backup_now(db, "manual", _log_in(args, db))
    print(f"已备份到：{path}（已校验）")
    return 0


def restore(args: argparse.Namespace) -> int:
    from fazhi_desktop.services import opening, safety

    path = opening.must_be_sqlite(args.db, args.db_url)
    actor = _log_in_file(args, path)
    held = opening.lock(path)
    try:
        result = safety.restore(path, Path(args.file), actor, allow_other_unit=args.other_unit,
                                accounts_from_backup=args.accounts_from_backup)
    finally:
        if held is not None:
            held.release()
    _open(args, write=True)  # proves the restored file opens (and takes the lock again for the rest of the run)
    if result.safety:
        print(f"恢复前的数据已另存为：{result.safety}")
    else:
        print("恢复前没有数据（数据库文件不存在或为空），无需另存。")
    units = "、".join(result.summary.units) or "无单位"
    print(f"已从备份恢复：{args.file}（{units}，记录 {result.summary.records} 条）")
    if result.destroyed_again:
        print(f"备份中有 {result.destroyed_again} 条记录在备份之后已到期销毁，恢复时已再次销毁（修改记录中留有销毁记录）。")
    if result.missing:
        print(f"提示：备份中有 {len(result.missing)} 个佐证材料文件找不到，未能恢复：{'、'.join(result.missing[:10])}",
              file=sys.stderr)
    return 0


def check(args: argparse.Namespace) -> int:
    from fazhi_desktop.services import health, opening

    path = opening.must_be_sqlite(args.db, args.db_url)
    health.check_file(path)
    db = _open(args)
    result = health.check(OPENED[-1])
    where = "（位于只读位置，只能查看）" if db.read_only else ""
    print(f"数据库完好：{path}{where}（记录 {result.records} 条）")
    if result.audit_problem:
        print(f"提示：{result.audit_problem}", file=sys.stderr)
    return 0


def audit(args: argparse.Namespace) -> int:
    from fazhi_desktop.domain.errors import UserError
    from fazhi_desktop.services import audit as audit_log

    ctx = _context(args, unit=False)
    if args.action == "verify":
        result = audit_log.verify_of(ctx)
        if result.problem:
            raise UserError(f"{result.problem}\n{result.summary}")
        if result.anchored:
            print("修改记录校验通过：链条完整，与本机记录的最后一条相符，每条记录都与它的最后一条修改记录一致。")
        else:  # nothing on this PC to compare the last entry with: say so, never claim it (M5)
            print("修改记录校验通过：链条完整，每条记录都与它的最后一条修改记录一致。本机没有这个数据库的“最后一条修改记录”"
                  "（在别的电脑上，或数据文件夹已清空），无法证明末尾的修改记录没有被整段删除；请与抄下的校验值核对。")
        print(result.summary)
        return 0
    for e in audit_log.entries_of(ctx, args.record):
        changes = "；".join(f"{k}：{o} → {n}" for k, (o, n) in audit_log.masked_changes(e).items())
        print(f"{e['at']:%Y-%m-%d %H:%M:%S}  {e['actor']}  {e['ledger']}  {e['record_id']}  {e['action']}  {changes}")
    return 0


def package(args: argparse.Namespace) -> int:
    from fazhi_desktop.domain.errors import UserError

    if args.action == "export":
        if args.year is None or not args.out:
            raise UserError("请用 --year 指定年度、--out 指定数据包文件，例如 package export --year 2023 --out 数据包.zip")
        return _package_export(args)
    if not args.files:
        raise UserError("请写出要导入的数据包或存放数据包的文件夹")
    return _package_import(args)


def _package_export(args: argparse.Namespace) -> int:
    import tempfile

    from fazhi_desktop.exchange.package_write import write_package
    from fazhi_desktop.reports import readiness
    from fazhi_desktop.reports.render import write_submitted_reports
    from fazhi_desktop.services import local

    ctx = _context(args)
    findings = readiness.check_for(ctx, args.year)
    why_not_public = None
    with tempfile.TemporaryDirectory() as tmp:
        pdf = public = None
        if args.with_report:
            pdf, public, why_not_public = write_submitted_reports(ctx.engine, ctx.unit, args.year, Path(tmp),
                                                                  fonts=local.fonts(ctx.db))
        written = write_package(ctx.engine, ctx.unit, args.year, args.out, findings_open=len(findings),
                                report_pdf=pdf, public_pdf=public, actor=ctx.actor)
    total = sum(written.counts.values())
    attached = "，附年度报告" + ("及公开版" if public else "") if args.with_report else ""
    print(f"已生成{ctx.unit.name}{args.year}年数据包：{written.path}（记录 {total} 条，佐证材料 {written.attachments} 个"
          f"{attached}）")
    print(f"数据包签名指纹：{written.fingerprint}（县里据此确认数据包出自本单位）")
    if args.receipt:
        from fazhi_desktop.reports.render.receipt_pdf import receipt_for

        print(f"已生成报送单：{receipt_for(ctx.unit, args.year, written, args.receipt, local.fonts(ctx.db))}")
    if why_not_public:
        print(f"提示：公开版没有附上（{why_not_public}）", file=sys.stderr)
    if findings:
        print(f"提示：报告体检还有 {len(findings)} 项未处理，县里会看到这个数字。", file=sys.stderr)
    return 0


def _package_import(args: argparse.Namespace) -> int:
    from fazhi_desktop.exchange.package_read import PackageError, merge_package, packages_in
    from fazhi_desktop.services import safety

    db = _open(args, write=True)
    actor = _log_in(args, db)
    paths = packages_in(args.files)
    if not paths:
        print("没有找到数据包（*.zip）。", file=sys.stderr)
        return 1
    if db.is_sqlite:
        safety.backup_now(db, "before-import")
    refused = 0
    for path in paths:
        try:
            merged = merge_package(db.engine, path, actor, unit_name=args.unit, received=args.received)
        except PackageError as exc:
            refused += 1
            print(f"错误：{exc}", file=sys.stderr)
            continue
        print(merged.summary)
    if refused:
        print(f"{len(paths) - refused} 个数据包已导入，{refused} 个被拒绝（见上）。", file=sys.stderr)
    return 1 if refused else 0


def county(args: argparse.Namespace) -> int:
    from fazhi_desktop.domain.errors import UserError
    from fazhi_desktop.services import county as county_service

    if args.action == "report":
        if not args.township or not args.year or not args.out:
            raise UserError("请写出乡镇、年份和保存位置，例如 county report --township 太白镇 --year 2023 --out 太白镇报告.pdf")
        ctx = _context(args, unit=False)
        received = county_service.save_submitted_report(ctx, args.township, args.year, args.out, args.public)
        print(f"已取出{args.township}{args.year}年{'报告公开版' if args.public else '年度报告'}（{received:%Y-%m-%d}"
              f"收到，原样）：{args.out}")
        return 0
    if args.action == "relink":
        if not args.township or not args.fingerprint:
            raise UserError("请写出乡镇和它新的签名指纹，例如 county relink --township 太白镇 --fingerprint 3F2A-9C1B-77D0-4E12")
        ctx = _context(args, write=True, unit=False)
        fp = county_service.relink(ctx, args.township, args.fingerprint).value
        print(f"已准许{args.township}下一个以指纹 {fp} 签名的数据包（已记入修改记录）；导入后以此密钥为准。")
        return 0
    if not args.county or not args.townships:
        raise UserError("请写出县名和各乡镇，例如 county setup --county 甲县 --townships 柳树乡,肖咀镇,西华街道")
    ctx = _context(args, write=True, unit=False)
    roster = county_service.setup(ctx, args.county, args.townships, args.deadline).value
    listed = "、".join(f"{n}（{k}）" for n, k in roster.townships)
    print(f"已设置{roster.county}的县级汇总：乡镇（街道）{len(roster.townships)} 个，依次为 {listed}。"
          "导入各乡镇的数据包用 package import，汇总表用 county-tables。")
    return 0


def county_tables(args: argparse.Namespace) -> int:
    from fazhi_desktop.domain.roles import EXPORT
    from fazhi_desktop.reports.render.county_xlsx import write_county_workbook
    from fazhi_desktop.services import accounts, county

    deadline = county.parse_deadline(args.deadline) if args.deadline else None
    db = _open(args, write=deadline is not None)
    actor = _log_in(args, db)  # the workbook names parties of disputes: an export of personal data
    accounts.require_engine(db.engine, actor, EXPORT)
    if deadline is not None:
        with db.engine.begin() as conn:
            county.store_deadline(conn, deadline, actor)
    with db.engine.connect() as conn:
        view = county.view(conn, args.year)
    if not view.units:
        from fazhi_desktop.domain.errors import UserError

        raise UserError("数据库中还没有任何单位。请先用 package import 导入各乡镇的数据包。")
    scores = None
    if args.sheet:
        from fazhi_desktop.exchange.scoring_sheet import read_sheet

        sheet = read_sheet(args.sheet)
        with db.engine.connect() as conn:
            scores = (sheet, county.score_all(conn, args.year, sheet))
    path = write_county_workbook(view, args.out, scores)
    late = sum(1 for s in view.submissions if s.late)
    print(f"已生成{view.county}{args.year}年县级汇总表：{path}（乡镇 {len(view.units)} 个，需关注的报送 {late} 个，"
          f"风险与整改 {len(view.risks)} 项）")
    return 0


def todo(args: argparse.Namespace) -> int:
    from fazhi_desktop.services import todo as todo_service

    ctx = _context(args)
    today = args.today or dt.date.today()
    soon = int(todo_service.settings_of(ctx.unit)["due_soon_days"])
    found = [i for i in todo_service.items_of(ctx, args.year, today) if args.all or not i.done]
    print(f"{ctx.unit.name}{args.year}年待办（按 {today:%Y-%m-%d} 计算）：")
    if not found:
        print("  没有待办事项。")
    for n, item in enumerate(found, start=1):
        state = item.state(today, soon)
        left = item.days_left(today)
        when = "" if item.done else (f"，还剩 {left} 天" if left >= 0 else f"，已超过 {-left} 天")
        print(f"  {n}. [{state}] {item.due:%Y-%m-%d}{when}  {item.what}（依据：{item.basis}）")
    return 0


def holidays(args: argparse.Namespace) -> int:
    from fazhi_desktop.domain.errors import UserError
    from fazhi_desktop.services import holiday_files

    if args.action == "import":
        if not args.file:
            raise UserError("请写出县里下发的节假日安排文件，例如 holidays import 2027年节假日安排.json")
        ctx = _context(args, write=True)
        found = holiday_files.import_file(ctx, args.file).value[1]
        print(f"已导入{found.year}年节假日安排（{found.notice}）：放假 {len(found.off)} 天，调休上班 {len(found.worked)} 天。"
              "待办期限从此按这些日期计算。")
        return 0
    if not args.year or not args.out:
        raise UserError("请用 --year 和 --out 写出年份和文件，例如 holidays export --year 2027 --out 2027年节假日安排.json")
    ctx = _context(args)
    out = holiday_files.export_file(ctx, args.year, args.out, args.notice)
    print(f"已写出{args.year}年节假日安排：{out}（可下发给各乡镇，在“设置 → 待办期限”或 holidays import 中导入）")
    return 0


def score(args: argparse.Namespace) -> int:
    from fazhi_desktop.domain.scoring import RULES_SHEET, shown, total
    from fazhi_desktop.exchange.scoring_sheet import read_sheet, write_rules
    from fazhi_desktop.reports.render.score_xlsx import write_score_workbook
    from fazhi_desktop.services import score_figures

    sheet = read_sheet(args.sheet)
    if args.rules_out:
        path = write_rules(args.sheet, sheet, None, args.rules_out)
        print(f"已写出带“{RULES_SHEET}”工作表的考核细则：{path}（{len(sheet.items)} 个考核项目，"
              f"{len(sheet.unmapped)} 个尚无规则）。在 Excel 或 WPS 中取消隐藏该工作表，为各行填写统计指标和规则后，"
              "可下发各乡镇直接使用。")
        return 0
    if not args.year or not args.out:
        from fazhi_desktop.domain.errors import UserError

        raise UserError("请用 --year 和 --out 写出自评的年份和自评表，例如 score --year 2023 --sheet 考核细则.xlsx "
                        "--out 自评表.xlsx")
    ctx = _context(args)
    with ctx.engine.connect() as conn:
        scored = score_figures.score_unit(conn, ctx.unit, args.year, sheet)
    path = write_score_workbook(ctx.unit, args.year, sheet, scored, args.out)
    t = total(scored)
    said = "一票否决" if t.vetoed else f"自评 {shown(t.own)} 分"
    print(f"已按「{sheet.name}」生成{ctx.unit.name}{args.year}年考核自评表：{path}（{said}，另有 {t.manual} 项需由考核组"
          "评分）")
    if not sheet.rules_found:
        print(f"  这个考核细则还没有自评规则，各项都留给考核组评分。可在图形界面“文件 → 考核自评”中逐项对应统计指标，"
              f"或用 --rules-out 写出带“{RULES_SHEET}”工作表的细则后填写。")
    for s in scored:
        if s.score is not None and s.applicable and s.score < s.applicable:
            print(f"  失分：第 {s.item.row} 行 {sheet.words(s.item)[:30]}——{s.note}")
    return 0


def binder(args: argparse.Namespace) -> int:
    from fazhi_desktop.domain.ledgers import ledger_named
    from fazhi_desktop.reports.render.binder_pdf import make_binder

    chosen = [ledger_named(name).key for name in args.ledger] if args.ledger else None
    ctx = _context(args)
    book = make_binder(ctx, args.year, args.out, chosen, fonds=args.fonds, org_code=args.org_code)
    path = args.out
    missing = sum(1 for p in book.pieces if p.flagged)
    volumes = "、".join(f"{v.shown} {len(v.pieces)} 件 {len(v.boxes)} 盒" for v in book.volumes)
    print(f"已生成{ctx.unit.name}{args.year}年台账汇编：{path}（{volumes}；共 {book.total_pages} 页，"
          f"照片 {book.photos} 张{f'，{missing} 件缺佐证材料' if missing else ''}）")
    return 0
