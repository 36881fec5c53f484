"""Demo data: the township 肖咀镇 with ledgers whose statistics reproduce the facts of the 2023 seed report.

Everything is deterministic (a seeded generator, UUIDs included). The records are invented; their counts are chosen so
that the statistics equal what the seed report states (see ``SEED_FACTS``), and plausible values fill what it does not.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.domain.idcard import check_digit
from fazhi_desktop.services import reports_text
from fazhi_desktop.services.records import RecordService
from fazhi_desktop.services.units import Unit, create_unit, update_settings
from fazhi_desktop.storage.schema import units

DEMO_ACTOR = "示例数据"
VILLAGES = ["肖咀村", "寨子村", "铁赵村", "张岔村", "王沟村", "李塬村"]
DEMO_UNIT = {
    "name": "肖咀镇",
    "kind": "镇",
    "county": "合水县",
    "addressee": "县法治办",
    "issuers": ["中共肖咀镇委员会"],
    "villages": VILLAGES,
    "contact": "党政办",
    "phone": "0934-5500000",
    # The township's own opening wording, kept across years (the seed's report opens this way).
    "basis_wording": "按照{依据}文件要求，{单位}对{年度}年法治政府建设工作及时开展了自查，现将自查情况报告如下：",
    "opening_wording": "{年度}年，{单位}在县委、县政府的正确领导下，在县依法治县工作领导小组的精心指导下，坚持以习近平新时代"
                       "中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，扎实推进法治政府建设。",
}

_SURNAMES = "王李张刘赵杨马何陈郭牛段肖铁韩曹吴罗高周孙朱胡党"
_GIVEN = "建国军红明志强海燕丽娟文华玉兰小平宏伟春梅秀英俊峰永刚桂芳振东学成宝林彦龙亚萍晓东淑珍"

# 科级干部 of the demo township: all of them 述法 in writing (law_report.leaders = their number).
CADRES = [
    ("党委书记", "党政主要负责人", "组长"),
    ("党委副书记、镇长", "党政主要负责人", "副组长"),
    ("党委专职副书记", "班子成员", "副组长"),
    ("人大主席", "班子成员", "成员"),
    ("纪委书记", "班子成员", "成员"),
    ("组织委员", "班子成员", "成员"),
    ("宣传委员", "班子成员", "成员"),
    ("政法委员", "班子成员", "办公室主任"),
    ("武装部长", "班子成员", "成员"),
    ("副镇长", "班子成员", "成员"),
    ("副镇长", "班子成员", "成员"),
]


class _Gen:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self._names: set[str] = set()

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def name(self) -> str:
        while True:
            n = self.rng.choice(_SURNAMES) + "".join(self.rng.sample(_GIVEN, self.rng.choice((1, 2))))
            if n not in self._names:
                self._names.add(n)
                return n

    def date(self, year: int, month: int | None = None) -> dt.date:
        month = month or self.rng.randint(1, 12)
        return dt.date(year, month, self.rng.randint(1, 28))

    def idcard(self, birth_year: int) -> str:
        first17 = f"621024{birth_year}{self.rng.randint(1, 12):02d}{self.rng.randint(1, 28):02d}{self.rng.randint(100, 999)}"
        return first17 + check_digit(first17)

    def split(self, total: int, parts: int, low: int) -> list[int]:
        """``parts`` integers ≥ ``low`` that add up to ``total``."""
        cuts = sorted(self.rng.sample(range(1, total - parts * low + parts), parts - 1))
        sizes = [b - a for a, b in zip([0, *cuts], [*cuts, total - parts * low + parts], strict=True)]
        return [s - 1 + low for s in sizes]


def _with_ids(g: _Gen, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [dict(r, id=g.uid()) for r in rows]


def _meetings(g: _Gen, year: int, special: int) -> Iterator[dict[str, Any]]:
    topics = ["研究部署年度法治政府建设重点任务", "推进依法治乡和法治乡村建设", "研究行政执法“三项制度”落实工作",
              "听取矛盾纠纷排查化解情况汇报", "研究法治建设考核及整改工作"]
    for i in range(special):
        yield {"date": g.date(year, 2 + i * 3), "kind": "法治建设专题会议", "title": topics[i % len(topics)],
               "host": "党委书记", "attendees": g.rng.randint(18, 32), "issues_resolved": g.rng.randint(2, 5),
               "decisions": "明确责任领导和完成时限，列入督办事项。", "recorder": "党政办"}
    yield {"date": g.date(year, 3), "kind": "法治建设领导小组会议", "title": "调整充实法治建设领导小组",
           "host": "党委书记", "attendees": 24, "issues_resolved": 2, "recorder": "司法所"}
    yield {"date": g.date(year, 9), "kind": "党委会议研究法治工作", "title": "研究法治政府建设督察反馈问题整改",
           "host": "党委书记", "attendees": 11, "issues_resolved": 3, "recorder": "党政办"}


def _documents(year: int, full: bool) -> list[dict[str, Any]]:
    docs = [
        {"date": dt.date(year, 2, 26), "title": f"肖咀镇{year}年依法治乡实施方案", "doc_no": f"肖发〔{year}〕3号", "kind": "实施方案"},
        {"date": dt.date(year, 3, 6), "title": f"肖咀镇{year}年法治建设工作计划", "doc_no": f"肖发〔{year}〕5号", "kind": "工作计划"},
        {"date": dt.date(year, 3, 20), "title": "肖咀镇法治建设领导小组议事规则", "doc_no": f"肖发〔{year}〕8号", "kind": "议事规则"},
    ]
    if full:
        docs += [
            {"date": dt.date(year, 3, 20), "title": "肖咀镇法治建设领导小组办公室工作细则", "doc_no": f"肖发〔{year}〕9号",
             "kind": "工作细则"},
            {"date": dt.date(year, 5, 12), "title": "肖咀镇加强法治乡村建设方案", "doc_no": f"肖发〔{year}〕16号", "kind": "实施方案"},
        ]
    return docs


def _people(g: _Gen) -> tuple[list[tuple[str, str, str, str]], list[str]]:
    cadres = [(g.name(), post, identity, role) for post, identity, role in CADRES]
    secretaries = [g.name() for _ in VILLAGES]
    return cadres, secretaries


def _leading_group(year: int, cadres, secretaries) -> Iterator[dict[str, Any]]:
    for name, post, _identity, role in cadres:
        yield {"year": year, "name": name, "post": post, "role": role, "employer": "肖咀镇"}
    for station in ("司法所", "派出所", "林业站"):
        yield {"year": year, "name": f"{station}负责人", "post": "所长" if station != "林业站" else "站长",
               "role": "成员", "employer": f"肖咀{station}"}
    for village, name in zip(VILLAGES, secretaries, strict=True):
        yield {"year": year, "name": name, "post": "党支部书记", "role": "成员", "employer": village}
    yield {"year": year, "name": "司法所干部", "post": "司法助理员", "role": "联络员", "employer": "肖咀司法所"}


def _facilities() -> list[dict[str, Any]]:
    town = [
        ("肖咀镇综治中心", "综治中心", dt.date(2021, 6, 30)),
        ("综治中心矛盾纠纷调解室", "矛盾纠纷调解室", dt.date(2021, 6, 30)),
        ("综治中心心理咨询室", "心理咨询室", dt.date(2023, 4, 18)),
        ("综治中心法律服务室", "法律服务室", dt.date(2021, 6, 30)),
        ("政务大厅群众接待窗口", "群众接待窗口", dt.date(2020, 9, 1)),
    ]
    rows = [{"name": n, "kind": k, "level": "镇级", "built_on": d, "in_use": True} for n, k, d in town]
    rows += [{"name": f"{v}公共法律服务工作室", "kind": "村公共法律服务工作室", "level": "村级", "village": v,
              "built_on": dt.date(2021, 11, 15), "in_use": True} for v in VILLAGES]
    rows.append({"name": "寨子村矛盾纠纷调解工作室", "kind": "矛盾纠纷调解室", "level": "村级", "village": "寨子村",
                 "built_on": dt.date(2023, 5, 10), "in_use": True})
    rows.append({"name": "铁赵村乡贤调解工作室", "kind": "乡贤调解工作室", "level": "村级", "village": "铁赵村",
                 "built_on": dt.date(2023, 7, 6), "in_use": True})
    return rows


_CENTER_TOPICS = ["习近平法治思想", "《中华人民共和国宪法》", "《中华人民共和国行政处罚法》", "《中华人民共和国民法典》",
                  "《中华人民共和国行政复议法》", "《法治政府建设实施纲要（2021—2025年）》", "《中华人民共和国安全生产法》"]
_JOINT = [("镇村组三级干部会", "《中华人民共和国土地管理法》《中华人民共和国民法典》相关条款"),
          ("护林防火会", "《中华人民共和国森林法》《森林防火条例》"),
          ("安全生产会、产业培训会", "《中华人民共和国安全生产法》《中华人民共和国农产品质量安全法》")]


def _studies(g: _Gen, year: int, center: int, joint: int, pre: int) -> Iterator[dict[str, Any]]:
    for i in range(center):
        yield {"date": g.date(year, 1 + i * 2), "form": "党委理论学习中心组学法", "content": _CENTER_TOPICS[i % 7],
               "speaker": "党委书记", "participants": g.rng.randint(11, 14), "hours": 2}
    for i in range(joint):
        occasion, content = _JOINT[i % 3]
        yield {"date": g.date(year, 3 + i * 3), "form": "干部群众共同学法", "occasion": occasion, "content": content,
               "speaker": "司法所所长", "participants": g.rng.randint(60, 150), "hours": 1}
    for i in range(pre):
        yield {"date": g.date(year, 4 + i * 4), "form": "会前学法", "occasion": "镇党委会",
               "content": "《中华人民共和国反有组织犯罪法》", "participants": 11, "hours": 1}


def _law_reports(year: int, cadres, secretaries) -> Iterator[dict[str, Any]]:
    for name, post, identity, _role in cadres:
        yield {"year": year, "person": name, "post": post, "identity": identity, "date": dt.date(year + 1, 1, 18),
               "manner": "书面述法", "audience": "镇党委", "evaluation": "好"}
    for village, name in zip(VILLAGES, secretaries, strict=True):
        yield {"year": year, "person": name, "post": "村党支部书记", "identity": "村党组织书记", "village": village,
               "date": dt.date(year + 1, 1, 18), "manner": "书面述法", "audience": "镇党委", "evaluation": "较好"}


_TEN_TARGETS = {"进机关": 3, "进企业": 3, "进学校": 3, "进乡村": 5, "进家庭": 3}
_TOPIC_SETS = [["宪法", "民法典"], ["反有组织犯罪法", "扫黑除恶"], ["社区矫正法"], ["禁毒法"], ["反电信网络诈骗法"],
               ["道路交通安全法"], ["食品安全法", "药品管理法"], ["宪法"], ["民法典"], ["安全生产法", "森林法"]]
_CAMPAIGNS = [("宪法宣传周", 1), ("集日宣传", 5), ("主题宣传日", 3), ("线上宣传", 2), ("特殊群体普法", 1)]


def _publicity(g: _Gen, year: int, ten: int, meetings: int, campaigns: int, materials: int, banners: int):
    scale = ten / sum(_TEN_TARGETS.values())
    kinds: list[tuple[str, str | None]] = []
    for target, n in _TEN_TARGETS.items():
        kinds += [("法律十进", target)] * max(1, round(n * scale))
    kinds = kinds[:ten]
    kinds += [("普法宣传会议", None)] * meetings
    camp = [k for k, n in _CAMPAIGNS for _ in range(n)]
    kinds += [(camp[i % len(camp)], None) for i in range(campaigns)]
    material_split = g.split(materials, len(kinds), 20)
    banner_slots = set(g.rng.sample(range(len(kinds)), banners))
    places = {"进机关": "镇机关", "进企业": "辖区企业", "进学校": "肖咀中心小学", "进家庭": "寨子村农户"}
    for i, ((kind, target), mats) in enumerate(zip(kinds, material_split, strict=True)):
        place = places.get(target or "", g.rng.choice(VILLAGES)) if kind != "集日宣传" else "肖咀集市"
        yield {"date": g.date(year, 12 if kind == "宪法宣传周" else None), "kind": kind, "target": target,
               "place": place, "topics": _TOPIC_SETS[i % len(_TOPIC_SETS)], "organizer": "司法所",
               "audience": g.rng.randint(30, 300), "materials": mats, "banners": 1 if i in banner_slots else 0,
               "boards": g.rng.randint(0, 3), "consultations": g.rng.randint(0, 25)}


def _talent(g: _Gen, leaders: int, understanders: int, first_year: int, last_year: int) -> Iterator[dict[str, Any]]:
    years = list(range(first_year, last_year + 1))
    for i in range(leaders + understanders):
        category = "学法带头人" if i < leaders else "法律明白人"
        birth = g.rng.randint(1965, 1995)
        yield {"year": years[i % len(years)], "name": g.name(), "gender": g.rng.choice(("男", "女")),
               "village": VILLAGES[i % len(VILLAGES)], "category": category,
               "identity": g.rng.choice(("村干部", "党员", "网格员", "群众")),
               "id_number": g.idcard(birth) if category == "学法带头人" else None,
               "trainings": g.rng.randint(1, 4)}


_ENFORCEMENT = [
    ("安全生产", "行政指导", "加油站安全警示标识不全"), ("林业草原", "行政告诫", "林区野外违规用火"),
    ("生态环境", "行政建议", "养殖场粪污堆放不规范"), ("自然资源", "责令改正", "农户未经批准占地建房"),
    ("安全生产", "行政指导", "小作坊消防通道堵塞"), ("市场监管", "不予处罚（免罚清单）", "商户价格标签不规范（首次轻微）"),
    ("农业农村", "行政告诫", "秸秆露天焚烧"), ("安全生产", "行政检查", "冬季燃煤取暖安全检查"),
]


def _enforcement(g: _Gen, year: int, n: int) -> Iterator[dict[str, Any]]:
    for i in range(n):
        domain, method, facts = _ENFORCEMENT[i % len(_ENFORCEMENT)]
        day = g.date(year)
        yield {"date": day, "case_no": f"肖执〔{year}〕{i + 1}号", "domain": domain, "party": g.name(),
               "facts": facts, "method": method, "officers": "执法证号 6210240001、6210240002",
               "id_shown": i % 3 != 2, "recorded": i % 4 != 3, "publicized": i != 5, "major": False,
               "legal_review": False, "closed_on": day + dt.timedelta(days=g.rng.randint(1, 10)), "appeal": "无"}


_DISPUTE_CATS = {"婚姻家庭": 5, "土地纠纷": 7, "邻里关系": 6, "民间借贷": 3, "经济利益": 3}
_DISPUTE_TEXT = {"婚姻家庭": "夫妻因赡养老人问题发生争执", "土地纠纷": "承包地界址不清引发争议", "邻里关系": "宅基地排水引发邻里矛盾",
                 "民间借贷": "亲戚间借款到期未还", "经济利益": "合伙养殖分红产生分歧"}


def _disputes(g: _Gen, year: int, scale: float) -> Iterator[dict[str, Any]]:
    cats = [c for c, n in _DISPUTE_CATS.items() for _ in range(max(1, round(n * scale)))]
    total = len(cats)
    risks = ["红"] + ["黄"] * (total // 4) + ["绿"] * total
    states = (["调解不成", "已移交"] + ["调解成功"] * total)[:total - 3] + ["调处中"] * 3
    for i, cat in enumerate(cats):
        day = g.date(year, min(11, 1 + i * 11 // total))
        status = states[i]
        closed = status in ("调解成功", "调解不成", "已移交")
        done = day + dt.timedelta(days=g.rng.randint(3, 20))
        yield {"date": day, "source": g.rng.choice(("排查发现", "群众来访", "网格上报")), "village": g.rng.choice(VILLAGES),
               "category": cat, "parties": f"{g.name()}与{g.name()}", "summary": _DISPUTE_TEXT[cat], "risk": risks[i],
               "leader": "政法委员", "mediator": "司法所", "measures": "入户走访，组织双方面对面调解",
               # The ones still being mediated were found late in the year and have until the spring.
               "deadline": dt.date(year + 1, 4, 30) if not closed else day + dt.timedelta(days=30), "status": status,
               "resolution": "调解协议" if status == "调解成功" else ("引导诉讼" if status == "已移交" else None),
               "closed_on": done if closed else None, "revisit_on": done + dt.timedelta(days=15) if closed else None}


_RECTIFY = [
    ("行政执法公示信息更新不及时", "在政务大厅和镇政府网站专栏及时公示执法主体、人员、依据和结果", "党政办"),
    ("执法全过程记录不完整", "配备执法记录仪，建立执法音像资料归档制度", "综合执法办"),
    ("重大执法决定法制审核机制不健全", "制定重大执法决定法制审核目录清单，明确审核人员", "司法所"),
    ("行政规范性文件合法性审核不到位", "规范性文件出台前一律经法律顾问审核", "党政办"),
    ("执法人员持证上岗管理不严格", "组织执法人员参加资格考试，未取得执法证件的不得独立执法", "综合执法办"),
    ("执法案卷归档不规范", "对照案卷评查标准逐卷整理归档", "综合执法办"),
]


def _rectification(year: int) -> Iterator[dict[str, Any]]:
    for i, (problem, measures, dept) in enumerate(_RECTIFY):
        closed = i in (0, 3)
        yield {"source": "司法部反馈问题",
               "batch": "司法部全面推行行政执法三项制度行政规范性文件合法性审核机制落实情况专项监督反馈问题合水县整改方案", "assigned_on": dt.date(year, 9, 15),
               "problem": problem, "measures": measures, "department": dept, "person": "分管领导",
               "deadline": dt.date(year, 12, 31) if closed else dt.date(year + 1, 6, 30),
               "status": "已销号" if closed else "整改中", "closed_on": dt.date(year, 12, 20) if closed else None}


def _legal_services(g: _Gen, year: int, consultations: int) -> Iterator[dict[str, Any]]:
    for i in range(consultations):
        v = VILLAGES[i % len(VILLAGES)]
        yield {"date": g.date(year), "station": f"{v}公共法律服务工作室" if i % 2 else "镇公共法律服务工作站",
               "kind": "法律咨询", "client": g.name(), "matter": g.rng.choice(("土地承包", "婚姻继承", "劳务工资", "借贷合同")),
               "provider": "司法所", "result": "已解答"}
    yield {"date": g.date(year, 6), "station": "镇公共法律服务工作站", "kind": "法律援助转介", "client": g.name(),
           "matter": "农民工讨薪", "provider": "司法所", "result": "已转县法律援助中心"}


def _counsel_services(year: int) -> list[dict[str, Any]]:
    return [
        {"date": dt.date(year, 4, 11), "kind": "合同审查", "title": "村集体光伏电站租赁合同", "department": "经管站",
         "opinion": "补充违约责任条款", "adopted": True, "handler": "司法所", "completed_on": dt.date(year, 4, 20)},
        {"date": dt.date(year, 8, 2), "kind": "重大行政决策合法性审查", "title": "肖咀镇人居环境整治实施方案",
         "department": "党政办", "opinion": "程序合法，建议公开征求意见", "adopted": True, "handler": "司法所",
         "completed_on": dt.date(year, 8, 16)},
    ]


def _guard_empty(conn: sa.Connection) -> None:
    if conn.execute(sa.select(sa.func.count()).select_from(units)).scalar_one():
        raise UserError("数据库中已经有单位数据，示例数据只能载入空数据库。请换一个数据库文件（--db）后再试。")


def load_demo(engine: sa.Engine) -> Unit:
    """Fill an empty database with the demo township; refuses a database that holds anything already."""
    g = _Gen(2023)
    with engine.begin() as conn:
        _guard_empty(conn)
        unit = create_unit(conn, DEMO_UNIT, DEMO_ACTOR)
        svc = RecordService(engine, unit, DEMO_ACTOR)
        cadres, secretaries = _people(g)

        def add(key: str, rows) -> None:
            svc.bulk_create(key, _with_ids(g, list(rows)), conn=conn)

        for year, full in ((2022, False), (2023, True)):
            add("meeting", _meetings(g, year, 4 if full else 3))
            add("document", _documents(year, full))
            add("leading_group", _leading_group(year, cadres, secretaries))
            add("study", _studies(g, year, 6 if full else 4, 3 if full else 2, 2 if full else 1))
            add("law_report", _law_reports(year, cadres, secretaries))
            add("publicity", _publicity(g, year, 17 if full else 10, 3 if full else 2, 12 if full else 8,
                                        3560 if full else 2150, 6 if full else 4))
            add("enforcement", _enforcement(g, year, 8 if full else 5))
            add("dispute", _disputes(g, year, 1.0 if full else 0.7))
            add("legal_service", _legal_services(g, year, 15 if full else 9))
            add("counsel_service", _counsel_services(year))
        add("facility", _facilities())
        # Registered 2021–2023; the 2023 roster in force is 43 学法带头人 and 686 法律明白人.
        add("legal_talent", _talent(g, 43, 686, 2021, 2023))
        add("rectification", _rectification(2023))
        add("counsel", [{"name": "赵明远", "firm": "县金桥律师事务所", "license_no": "16210202110345678",
                         "signed_on": dt.date(2024, 1, 8), "service_from": dt.date(2024, 1, 8),
                         "service_to": dt.date(2024, 12, 31), "fee": "20000.00",
                         "scope": "重大行政决策、规范性文件和合同的合法性审查，参与信访接待和矛盾纠纷化解"}])
        add("review_litigation", [{"date": dt.date(2023, 7, 14), "case_no": "合政复〔2023〕9号", "kind": "行政复议",
                                   "applicant": g.name(), "act": "责令限期拆除违法建筑", "result": "维持",
                                   "served_on": dt.date(2023, 7, 17), "answered_on": dt.date(2023, 7, 26)},
                                  # a lawsuit still being tried, its 答辩状 filed within the 15 days (待办)
                                  {"date": dt.date(2023, 12, 18), "case_no": "（2023）甘1024行初45号", "kind": "行政诉讼",
                                   "applicant": g.name(), "act": "不予受理信息公开申请", "result": "审理中",
                                   "served_on": dt.date(2023, 12, 20), "answered_on": dt.date(2024, 1, 3)}])
        # one penalty decided within 90 days of 立案 (the seed's 「过错与处罚相当」), after the guidance cases
        add("enforcement", [{"date": dt.date(2023, 8, 28), "case_no": "肖执〔2023〕9号", "domain": "安全生产",
                             "party": g.name(), "facts": "烟花爆竹零售点超量储存，责令改正后逾期未改正",
                             "method": "行政处罚", "fine": "3000.00", "officers": "执法证号 6210240001、6210240002",
                             "id_shown": True, "recorded": True, "publicized": True, "major": False,
                             "legal_review": False, "filed_on": dt.date(2023, 8, 28),
                             # the decision handed to the party when it was announced (行政处罚法第六十一条)
                             "closed_on": dt.date(2023, 9, 15), "served_on": dt.date(2023, 9, 15), "appeal": "无"}])
        reports_text.save_report_text(conn, unit, 2023, DEMO_REPORT_TEXT, DEMO_ACTOR)
        unit = update_settings(conn, unit, {"todo": DEMO_TODO}, DEMO_ACTOR)
    return unit


def _days(*spans: tuple[str, int]) -> list[str]:
    return [str(dt.date.fromisoformat(first) + dt.timedelta(days=i)) for first, n in spans for i in range(n)]


# 待办's settings as a county would set them: the report due on 3月25日 (the demo's is dated 3月20日), and the
# State Council's 2023/2024 holidays with their 调休 working weekends, so working days count as in the office.
DEMO_TODO = {
    "report_due": "03-25",
    "holidays": _days(("2023-01-02", 1), ("2023-01-23", 5), ("2023-04-05", 1), ("2023-05-01", 3), ("2023-06-22", 2),
                      ("2023-09-29", 1), ("2023-10-02", 5), ("2024-01-01", 1), ("2024-02-12", 5), ("2024-04-04", 2)),
    "workdays": ["2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07", "2023-10-08",
                 "2024-02-04", "2024-02-18", "2024-04-07"],
}


DEMO_REPORT_TEXT: dict[str, Any] = {
    "basis": "县法治办（2023）16号、35号、（2024）1号",
    "template": "三段式",
    "doc_date": dt.date(2024, 3, 20),
    "submitted_on": dt.date(2024, 3, 20),  # sent the day it was dated
    "issuers": ["中共肖咀镇委员会"],
    "problems": [
        "执法力量不足。镇上干部一人多岗，能够专门用于执法的时间和精力有限。",
        "执法能力有待提高。执法人员缺少系统的业务培训，对各领域执法标准把握不够准确。",
        "行政执法“三项制度”落实不够到位。亮证执法尚未成为习惯，部分执法过程没有佩戴记录设备，过程资料留存不全。",
    ],
    "plans": [
        "持续加大普法宣传力度。创新宣传载体，用好集日、会议、入户走访和微信群等渠道，深入开展“法律十进”活动。",
        "全面落实行政执法“三项制度”。抓好执法公示、执法全过程记录和重大执法决定法制审核，做到执法全程留痕、可回溯。",
        "扎实做好矛盾纠纷排查化解。",
        "强化法治建设保障。充实执法人员，争取普法经费，配齐执法服装和设备，加强执法人员培训。",
    ],
}
