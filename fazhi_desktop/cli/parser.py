"""Argument parsing with Chinese help and error messages."""

from __future__ import annotations

import argparse
import datetime as dt

from fazhi_desktop import __version__
from fazhi_desktop.runtime import command_name

# argparse's own words, in Chinese (it looks them up through its module-level ``_``).
_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "需要一个参数值",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
}
argparse._ = lambda text: _ZH.get(text, text)  # type: ignore[attr-defined]


class UsageError(Exception):
    pass


class ChineseParser(argparse.ArgumentParser):
    def error(self, message: str):  # never exits on its own; main() maps this to exit code 2
        raise UsageError(message)


def year(text: str) -> int:
    if not text.isdigit() or not 1949 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"年份应为四位数字，例如 2023，现为「{text}」")
    return int(text)


def build_parser() -> ChineseParser:
    p = ChineseParser(prog=command_name(), description="法治建设台账与年度报告。不带子命令时打开图形界面。")
    p.add_argument("--version", action="version", version=f"{command_name()} {__version__}",
                   help="显示版本号并退出")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--db", metavar="文件", help="SQLite 数据库文件（默认在用户数据文件夹中）")
    g.add_argument("--db-url", metavar="地址", help="SQLAlchemy 数据库地址，例如 postgresql+psycopg://…")
    p.add_argument("--unit", metavar="单位", help="数据库中有多个单位时，指定要操作的单位名称")
    p.add_argument("--user", metavar="账户", help="以这个账户操作（默认是系统登录名）；建有账户后会询问密码（从标准输入读取）")
    p.set_defaults(handler="gui", command=None)
    sub = p.add_subparsers(dest="command", metavar="子命令", parser_class=ChineseParser)

    s = sub.add_parser("init", help="创建单位（与图形界面首次运行向导相同）")
    s.add_argument("--unit", dest="unit_name", required=True, metavar="名称", help="单位名称，例如 肖咀镇")
    s.add_argument("--kind", metavar="类型", help="单位类型：镇、乡、民族乡、街道（默认按单位名称判断，如 某某乡 为乡）")
    s.add_argument("--county", required=True, metavar="名称", help="所属县（区）")
    s.add_argument("--addressee", required=True, metavar="文字", help="主送机关，例如 县法治办")
    s.add_argument("--issuer", required=True, metavar="文字", help="落款机关，两个机关用逗号分隔")
    s.add_argument("--villages", required=True, metavar="A,B,C", help="村（社区）名单，用逗号分隔")
    s.set_defaults(handler="init")

    s = sub.add_parser("demo", help="载入示例单位肖咀镇及其2023年台账")
    s.set_defaults(handler="demo")

    s = sub.add_parser("stats", help="显示统计指标")
    s.add_argument("--year", type=year, required=True, metavar="年份")
    s.add_argument("--format", choices=("json", "table"), default="table", help="输出格式（默认 table）")
    s.set_defaults(handler="stats")

    s = sub.add_parser("report", help="生成年度法治政府建设自查报告（PDF 或 Word）；生成前先做“报告体检”")
    s.add_argument("--year", type=year, required=True, metavar="年份")
    s.add_argument("--out", metavar="文件", help="输出文件，例如 报告.pdf 或 报告.docx（--check 时不需要）")
    s.add_argument("--check", action="store_true", help="只做报告体检：列出提交前需要处理的事项，不生成报告")
    s.add_argument("--strict", action="store_true", help="体检发现问题时不生成报告，以 1 退出")
    s.add_argument("--format", choices=("pdf", "docx"), help="输出格式（默认按文件扩展名，否则 pdf）")
    s.add_argument("--template", metavar="模板", help="报告模板：三段式（默认）或 督察规定五项")
    s.add_argument("--public", action="store_true",
                   help="生成向社会公开的公开版：先做保密审查（当事人和村民姓名、身份证号、电话、敏感词），全部处理后才生成")
    s.add_argument("--accept", action="append", default=[], metavar="文字",
                   help="公开版：确认这处文字可以公开（可写多次；仅管理员，记入修改记录）")
    s.set_defaults(handler="report")

    s = sub.add_parser("tables", help="生成统计表（Excel 工作簿）")
    s.add_argument("--year", type=year, required=True, metavar="年份")
    s.add_argument("--out", required=True, metavar="文件.xlsx")
    s.add_argument("--full-rosters", action="store_true",
                   help="法治人才名册列出全部人员（默认按村汇总人数，完整名册可用 export 导出）")
    s.set_defaults(handler="tables")

    s = sub.add_parser("template", help="生成空白的台账导入模板（Excel）")
    s.add_argument("--out", required=True, metavar="文件.xlsx")
    s.set_defaults(handler="template")

    s = sub.add_parser("import", help="从 Excel 工作簿导入台账（先检查全部内容，有错误则一条也不导入）")
    s.add_argument("file", metavar="文件.xlsx")
    s.add_argument("--dry-run", action="store_true", help="只检查，不导入")
    s.set_defaults(handler="import_")

    s = sub.add_parser("export", help="把台账导出为可再导入的 Excel 工作簿")
    s.add_argument("file", metavar="文件.xlsx")
    s.add_argument("--year", type=year, metavar="年份", help="只导出某一年度")
    s.add_argument("--ledger", action="append", metavar="台账", help="只导出某本台账（台账名称，如 矛盾纠纷排查调处台账；可重复）")
    s.add_argument("--full-ids", action="store_true", help="身份证号不隐藏（仅在本单位电脑之间转移数据时使用）")
    s.set_defaults(handler="export")

    s = sub.add_parser("backup", help="备份数据库（默认放入备份文件夹并自动轮换；--out 可备份到U盘等位置）")
    s.add_argument("--out", metavar="文件或文件夹", help="把备份写到这里（不参与轮换）")
    s.set_defaults(handler="backup")

    s = sub.add_parser("restore", help="用备份文件恢复数据库（会先把当前数据另存一份）")
    s.add_argument("file", metavar="备份文件")
    s.add_argument("--other-unit", action="store_true", help="确认用其他单位的备份替换当前数据（默认拒绝）")
    s.add_argument("--accounts-from-backup", action="store_true",
                   help="用备份中的账户和密码替换现有账户（默认保留现有账户，仅管理员）")
    s.set_defaults(handler="restore")

    s = sub.add_parser("check", help="检查数据库是否完好")
    s.set_defaults(handler="check")

    s = sub.add_parser("todo", help="待办：由台账推算出的法定期限（答辩、复议答复、处罚决定、合法性审查、整改、纠纷化解等）")
    s.add_argument("--year", type=year, required=True, metavar="年份")
    s.add_argument("--today", type=dt.date.fromisoformat, metavar="日期", help="按某一天计算剩余天数（默认今天）")
    s.add_argument("--all", action="store_true", help="连已完成的一起列出")
    s.set_defaults(handler="todo")

    s = sub.add_parser("holidays", help="节假日安排：export 把某年的放假和调休日期写成文件（县里下发给乡镇）、"
                       "import 读入县里下发的文件（用于程序尚未内置的年份）")
    s.add_argument("action", choices=("export", "import"))
    s.add_argument("file", nargs="?", metavar="文件.json", help="import：县里下发的节假日安排文件")
    s.add_argument("--year", type=year, metavar="年份", help="export：哪一年")
    s.add_argument("--out", metavar="文件.json", help="export：写到哪个文件")
    s.add_argument("--notice", metavar="文号", help="export：国务院办公厅通知的文号或日期（已录入或内置的可不写）")
    s.set_defaults(handler="holidays")

    s = sub.add_parser("binder", help="台账汇编：封面、归档文件目录、各台账记录、照片（带说明）、备考表和脊背标签，供检查时装订")
    s.add_argument("--year", type=year, required=True, metavar="年份")
    s.add_argument("--out", required=True, metavar="文件.pdf")
    s.add_argument("--ledger", action="append", metavar="台账", help="只汇编某本台账（可重复）")
    s.add_argument("--fonds", metavar="全宗号", help="档号和归档章用的全宗号（不写则用“设置”中的）")
    s.add_argument("--org-code", metavar="代码", help="档号中的机构（问题）代码（不写则用“设置”中的）")
    s.set_defaults(handler="binder")

    s = sub.add_parser("score", help="考核自评：按县里的考核细则（Excel）由台账算出自评得分")
    s.add_argument("--year", type=year, metavar="年份", help="自评哪一年（写 --rules-out 时不用）")
    s.add_argument("--sheet", required=True, metavar="考核细则.xlsx", help="县里的考核细则（示例见 resources/考核细则示例.xlsx）")
    s.add_argument("--out", metavar="自评表.xlsx", help="自评表写到哪里")
    s.add_argument("--rules-out", metavar="细则.xlsx",
                   help="不自评，而是写出带“自评规则”工作表（隐藏）的细则副本，供县里为各行填写规则后下发")
    s.set_defaults(handler="score")

    s = sub.add_parser("package", help="数据包：export 把一个年度的台账打包报送县里，import 在县里合并各乡镇的数据包")
    s.add_argument("action", choices=("export", "import"))
    s.add_argument("files", nargs="*", metavar="数据包或文件夹", help="import：一个或多个数据包，或存放数据包的文件夹")
    s.add_argument("--year", type=year, metavar="年份", help="export：打包的年度")
    s.add_argument("--out", metavar="文件.zip", help="export：数据包保存到")
    s.add_argument("--with-report", action="store_true", help="export：同时附上生成的年度报告 PDF")
    s.add_argument("--receipt", metavar="报送单.pdf", help="export：同时打印数据包报送单（含签名指纹，随数据包交给县里）")
    s.add_argument("--received", type=dt.date.fromisoformat, metavar="日期",
                   help="import：数据包送到县里的日期（如用U盘送来），不写为今天；按时与否按首次收到的日期判断")
    s.set_defaults(handler="package")

    s = sub.add_parser("county", help="县级汇总：setup 写明本县名称和各乡镇（街道），按县里的顺序（本机用于县级汇总，"
                       "不建本单位的台账）；report 取出某乡镇随数据包报送的年度报告PDF（原样）；relink 乡镇重装电脑后，"
                       "核对其新的签名指纹，准许接收（仅管理员）")
    s.add_argument("action", choices=("setup", "report", "relink"))
    s.add_argument("--county", metavar="县名", help="setup：如 甲县")
    s.add_argument("--townships", metavar="乡镇",
                   help="setup：各乡镇（街道），按县里的顺序用逗号隔开，如 柳树乡,肖咀镇,西华街道；看不出类型的写成 城关:镇")
    s.add_argument("--deadline", metavar="日期", help="setup：年度报告报送截止日期，如 03-25 或 2024-03-25")
    s.add_argument("--township", metavar="乡镇", help="report、relink：哪个乡镇（街道）")
    s.add_argument("--fingerprint", metavar="指纹", help="relink：乡镇新密钥的签名指纹（乡镇导出数据包时显示），如 3F2A-9C1B-77D0-4E12")
    s.add_argument("--year", type=year, metavar="年份", help="report：哪一年的报告")
    s.add_argument("--out", metavar="文件.pdf", help="report：保存到")
    s.add_argument("--public", action="store_true", help="report：取公开版")
    s.set_defaults(handler="county")

    s = sub.add_parser("county-tables", help="县级汇总表：各乡镇主要指标、报送情况、完整性、风险与整改")
    s.add_argument("--year", type=year, required=True, metavar="年份")
    s.add_argument("--out", required=True, metavar="文件.xlsx")
    s.add_argument("--deadline", metavar="月-日", help="县里要求的报送截止日期，如 03-15（记住，下次不必再写）")
    s.add_argument("--sheet", metavar="考核细则.xlsx", help="按县里的考核细则给各乡镇自评打分，加一张考核汇总表（合计和名次）")
    s.set_defaults(handler="county_tables")

    s = sub.add_parser("user", help="账户：add 新建（密码从标准输入读两遍）、list 列出、disable 停用；建有账户后图形界面要求登录")
    s.add_argument("action", choices=("add", "list", "disable", "password"))
    s.add_argument("name", nargs="?", metavar="账户名")
    s.add_argument("--role", choices=("管理员", "录入员", "查看"), metavar="角色", help="add：管理员、录入员或查看")
    s.set_defaults(handler="user")

    s = sub.add_parser("retention", help="保管期限：list 到期清单、destroy 销毁到期记录（仅管理员，留下销毁记录）、"
                       "purge-backups 从本机备份中清除已销毁的记录、set 改某本台账的保管期限")
    s.add_argument("action", choices=("list", "destroy", "purge-backups", "set"))
    s.add_argument("ledger", nargs="?", metavar="台账", help="set：台账名称")
    s.add_argument("period", nargs="?", choices=("永久", "30年", "10年"), metavar="期限", help="set：永久、30年或10年")
    s.add_argument("--today", type=dt.date.fromisoformat, metavar="日期", help="按某一天计算是否到期（默认今天）")
    s.add_argument("--yes", action="store_true", help="destroy：确认销毁（不加时只列出将要销毁的记录）")
    s.add_argument("--backups", action="store_true", help="destroy：同时从本机的备份中清除这些记录")
    s.set_defaults(handler="retention")

    s = sub.add_parser("reveal", help="显示一条记录的完整身份证号或电话（仅管理员，每次查看都记入修改记录）")
    s.add_argument("--ledger", required=True, metavar="台账")
    s.add_argument("--record", required=True, metavar="UUID")
    s.add_argument("--field", required=True, metavar="字段", help="如 身份证号、联系电话、当事人身份证号")
    s.set_defaults(handler="reveal")

    s = sub.add_parser("audit", help="修改记录：verify 检查是否被篡改，log 显示修改历史")
    s.add_argument("action", choices=("verify", "log"))
    s.add_argument("--record", metavar="UUID", help="只显示这条记录的历史")
    s.set_defaults(handler="audit")
    return p
