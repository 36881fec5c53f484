"""The unit (单位: a 乡, 镇 or 街道) and its yearly report draft, declared like the ledgers — and the names of its organs.

A 街道 has a 党工委 and a 办事处, a 乡 and a 镇 have a 党委 and a 人民政府: every sentence the program writes takes
the organ names from here, never spelled in a template.
"""

from __future__ import annotations

from dataclasses import dataclass

from fazhi_desktop.domain.fields import Field
from fazhi_desktop.domain.fields import FieldType as T

UNIT_FIELDS: tuple[Field, ...] = (
    Field("name", "单位名称", T.TEXT, required=True),
    Field("kind", "单位类型", T.CHOICE, choices=("镇", "乡", "民族乡", "街道"), default="镇"),
    Field("county", "所属县（区）", T.TEXT, required=True),
    Field("addressee", "主送机关", T.TEXT, required=True, default="县法治办"),
    Field("issuers", "落款机关", T.TEXTLIST, required=True, help="党委、政府联合行文时填两个机关", max_items=4),
    Field("villages", "村（社区）名单", T.TEXTLIST, required=True, help="按顺序填写", max_items=500),
    Field("contact", "联系人", T.TEXT),
    Field("phone", "联系电话", T.PHONE),
    # The unit's own wording of the report's first two paragraphs, kept across years (placeholders: WORDING_SLOTS).
    Field("basis_wording", "报告开头（依据）", T.LONGTEXT, max_length=500,
          help="不填则用程序默认。可用 {单位}、{年度}、{依据}，例如：按照{依据}文件要求，{单位}对法治政府建设工作及时开展自查，现将情况报告如下："),
    Field("opening_wording", "报告开头（总述）", T.LONGTEXT, max_length=1000,
          help="三段式报告的第二段，不填则用程序默认。可用 {单位}、{年度}，例如：{年度}年，{单位}在县委、县政府的正确领导下……"),
)
# What the first-run wizard asks: the report's wording can wait for the settings dialog.
FIRST_RUN_FIELDS: tuple[Field, ...] = tuple(f for f in UNIT_FIELDS if not f.key.endswith("_wording"))
# What a unit's wording may name; anything else in braces is left as typed and the 报告体检 points at it.
WORDING_SLOTS = ("单位", "年度", "依据")

REPORT_TEXT_FIELDS: tuple[Field, ...] = (
    Field("basis", "依据文件", T.TEXT, help="例如 县法治办（2023）16号、35号、（2024）1号"),
    Field("template", "报告模板", T.TEXT, default="三段式"),
    # Bounded so a draft cannot make a report of thousands of pages (the real one has ≈ 6,000 characters in all).
    Field("sections", "各部分文稿", T.TEXTMAP, max_length=3000, max_items=20),
    Field("problems", "存在问题", T.LINES, max_length=1000, max_items=20),
    Field("plans", "工作打算", T.LINES, max_length=1000, max_items=20),
    Field("issuers", "落款机关", T.TEXTLIST, max_items=4),
    Field("doc_date", "成文日期", T.DATE, required=True),
    # What the county checks after the report is sent (督察工作规定: 审议 by the party committee, 公开 by 4月1日).
    Field("reviewed_on", "审议会议日期", T.DATE, help="党委（党工委）常委会或政府常务会议审议报告的日期"),
    Field("published_on", "公开日期", T.DATE, help="报告在政府网站或公开栏公开的日期（应在4月1日前）"),
    Field("published_url", "公开网址", T.TEXT, help="公开的网址或位置，如 政府网站“法治政府建设”栏目"),
    Field("submitted_on", "报送日期", T.DATE, help="报告报送县里的日期（导出数据包也算报送）"),
)


# 待办's settings (services.todo), kept in the unit's settings and edited in 设置 → 待办期限.
DAYS_OF_A_CENTURY = 366 * 101
TODO_FIELDS: tuple[Field, ...] = (
    Field("report_due", "年度报告报送县里的日期", T.TEXT, max_length=5,
          help="次年的月-日，如 03-15；不填则待办中不列这一项"),
    Field("review_days", "合法性审查期限（工作日）", T.INT, default=15, help="自收到送审材料之日起"),
    Field("review_extension_days", "审查期限可延长（工作日）", T.INT, default=0, help="县里允许延长时填写，如 10"),
    Field("dispute_simple_days", "简单纠纷化解时限（日）", T.INT, default=1),
    Field("dispute_days", "一般纠纷化解时限（日）", T.INT, default=7,
          help="矛盾纠纷没有登记化解时限时按难易程度提醒；未填难易程度的按一般纠纷"),
    Field("dispute_complex_days", "复杂纠纷化解时限（日）", T.INT, default=20),
    Field("due_soon_days", "提前几天提醒", T.INT, default=7),
    # No cap a clerk could meet (#35): every day of a century; the bound is for a hostile settings value only.
    Field("holidays", "法定节假日", T.TEXTLIST, max_items=DAYS_OF_A_CENTURY,
          help="2020年至2026年的节假日已内置；以后年份的通知发布后可在此补录（如 2027-10-01），或导入县里下发的"
               "节假日安排文件；周末已自动跳过"),
    Field("workdays", "调休上班日", T.TEXTLIST, max_items=DAYS_OF_A_CENTURY, help="内置年份以外、周末调休上班的日期"),
)


# 台账汇编's 档号 (DA/T 22-2015): the 全宗号 the archives gave the unit and the optional 机构（问题）代码; kept in the
# unit's settings under ARCHIVE and edited in 设置 → 个人信息 beside the 保管期限.
ARCHIVE = "archive"
ARCHIVE_FIELDS: tuple[Field, ...] = (
    Field("fonds", "全宗号", T.TEXT, max_length=20,
          help="档案馆给本单位的全宗号，用于台账汇编的档号、归档章和脊背；不填则不编档号"),
    Field("org_code", "机构（问题）代码", T.TEXT, max_length=10, help="档号中的机构或问题代码，如 BGS；不填则档号不含这一段"),
)


def privacy_fields() -> tuple[Field, ...]:
    """设置 → 个人信息: each ledger's 保管期限 (its declared default), the 档号's parts and the idle lock, declared
    once here."""
    from fazhi_desktop.domain.fields import RETENTION_YEARS
    from fazhi_desktop.domain.ledgers import LEDGERS

    return (
        Field("idle_lock_minutes", "闲置自动锁定（分钟）", T.INT, default=10, usual_max=240,
              help="建有账户后，这么久没有操作就要求重新输入密码；0 为不锁定"),
        Field("sensitive_words", "公开版敏感词", T.TEXTLIST, max_items=200, max_length=40,
              help="生成公开版前的保密审查要找出的词，如 内部讨论、未定稿"),
        *(Field(lg.key, f"{lg.name}保管期限", T.CHOICE, choices=tuple(RETENTION_YEARS), default=lg.retention,
                extendable=False, help="期满后列入到期清单，由管理员销毁") for lg in LEDGERS),
        *ARCHIVE_FIELDS,
    )


UNIT_KINDS = ("镇", "乡", "民族乡", "街道")


def kind_from_name(name: str | None) -> str | None:
    """乡/镇/街道 as the name says it (某某民族乡, 某某街道办事处…); None when the name does not tell."""
    text = (name or "").strip()
    for suffix, kind in (("民族乡", "民族乡"), ("街道办事处", "街道"), ("街道", "街道"), ("乡", "乡"), ("镇", "镇")):
        if text.endswith(suffix):
            return kind
    return None


@dataclass(frozen=True)
class Organs:
    """How a unit of one kind names itself and its organs."""

    place: str  # 镇 / 乡 / 街道 — 全镇, 镇级
    party: str  # 镇党委 / 街道党工委
    government: str  # 镇政府 / 街道办事处
    both: str  # 镇党委、政府 / 街道党工委、办事处
    government_full: str  # 人民政府 / 街道办事处 (after the unit's name: 肖咀镇人民政府)
    committee: str  # 党委 / 党工委 — 党委理论学习中心组, 党委会议
    village: str  # 村 / 社区 — 各村, 小事不出村
    head: str  # 镇长 / 乡长 / 主任 — the government's head


_ORGANS = {
    "镇": Organs("镇", "镇党委", "镇政府", "镇党委、政府", "人民政府", "党委", "村", "镇长"),
    "乡": Organs("乡", "乡党委", "乡政府", "乡党委、政府", "人民政府", "党委", "村", "乡长"),
    "民族乡": Organs("乡", "乡党委", "乡政府", "乡党委、政府", "人民政府", "党委", "村", "乡长"),
    "街道": Organs("街道", "街道党工委", "街道办事处", "街道党工委、办事处", "街道办事处", "党工委", "社区", "主任"),
}


def county_organs(county: str | None) -> str:
    """县委、县政府 — or 区委、区政府 for a district, 市委、市政府 for a county-level city, 旗委、旗政府."""
    level = (county or "县").strip()[-1:]
    level = level if level in "县区市旗" else "县"
    return f"{level}委、{level}政府"


def organs(kind: str | None) -> Organs:
    return _ORGANS.get(kind or "镇", _ORGANS["镇"])


def government_name(name: str, kind: str | None) -> str:
    """肖咀镇人民政府; 太白街道办事处 (never 太白街道街道办事处)."""
    suffix = organs(kind).government_full
    if kind == "街道":
        base = name.removesuffix("办事处")
        return base + "办事处" if base.endswith("街道") else base + suffix
    return name + suffix
