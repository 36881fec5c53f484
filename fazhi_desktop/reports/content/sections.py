"""The report's generated sections, written from the year's records as claims (``claims``, ``domain.evidence``).

Each method returns the text of one section (the templates only place it under its heading) and keeps the claims it
made: every sentence names the records it rests on and what it states about them, so ``services.claim_check`` can
re-derive it. A figure is always about the records it was counted from — a topic of some events is never put in front
of what all of them did, one 述法对象 is never lent to people who reported to another body — and no sentence states a
cause, a principle or an outcome the records do not hold. Organ names come from ``domain.unit``; nothing is said about
the program's own records (what the ledgers lack is for 报告体检, not for the county).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from fazhi_desktop.domain.evidence import Rows, YearRecords, count, every, names, none, share, total
from fazhi_desktop.domain.ledgers import (
    APPEALED,
    CLOSED_DISPUTE_STATES,
    CORRECTED,
    FLEXIBLE_METHODS,
    INSPECTION,
    PENDING,
    TEN_ENTRIES,
    is_law,
    ledger,
)
from fazhi_desktop.domain.unit import county_organs, government_name, organs
from fazhi_desktop.reports.content import numbers
from fazhi_desktop.reports.content.claims import (
    Claim,
    Item,
    book,
    joined,
    listing,
    numbered,
    prefixed,
    say,
    sentence,
    several,
)
from fazhi_desktop.reports.content.markup import TO_WRITE

# How a choice value reads in a sentence (the ledgers' labels are column headings, not prose). A value without prose
# here (其他) is never printed by its label: it counts in the totals only.
MEETING_PROSE = {"党委会议研究法治工作": "召开{committee}会议研究法治工作{n}次", "法治建设领导小组会议": "召开法治建设领导小组会议{n}次",
                 "联席会议": "召开联席会议研究法治工作{n}次"}
STUDY_PROSE = {"法治专题培训": "举办法治专题培训{n}次", "法律知识考试": "组织法律知识考试{n}次", "旁听庭审": "组织旁听庭审{n}次"}
CAMPAIGN_PROSE = {"集日宣传": "集日宣传", "宪法宣传周": "宪法宣传周活动", "主题宣传日": "主题宣传日活动", "法治讲座": "法治讲座",
                  "特殊群体普法": "特殊群体普法", "线上宣传": "线上宣传"}
COUNSEL_SERVICE_PROSE = {"法律咨询": "提供法律咨询{n}次", "参与信访接待": "参与信访接待{n}次", "法治讲座": "开展法治讲座{n}次"}
LEGAL_SERVICE_PROSE = {"法律咨询": "提供法律咨询{n}人次", "法律援助转介": "转介法律援助{n}件", "人民调解": "开展人民调解{n}件",
                       "公证引导": "引导办理公证{n}件", "代写文书": "代写法律文书{n}份"}
SOURCE_PROSE = {"司法部反馈问题": "司法部反馈的问题", "上级督察": "上级督察发现的问题", "考核评价": "考核评价反馈的问题",
                "自查发现": "自查发现的问题"}
# 合法性审查 proper; the fourth review kind, 重大执法决定法制审核, is an enforcement duty and is said under 执法.
LEGALITY_REVIEWS = ("重大行政决策合法性审查", "规范性文件合法性审查", "合同审查")
LAW_ENFORCEMENT_REVIEW = "重大执法决定法制审核"
# Results of a 行政复议/行政诉讼: (one case, every case, as part of a mix). A case without a result typed has none.
REVIEW_PROSE = {
    "行政复议": {"维持": ("经复议维持原行政行为", "均经复议维持原行政行为", "维持原行政行为"),
                 "驳回": ("复议申请被驳回", "复议申请均被驳回", "驳回复议申请"),
                 "撤销": ("原行政行为被撤销", "原行政行为均被撤销", "撤销原行政行为"),
                 "确认违法": ("原行政行为被确认违法", "原行政行为均被确认违法", "确认违法"),
                 "撤回/撤诉": ("申请人撤回复议申请", "申请人均撤回复议申请", "申请人撤回申请"),
                 "调解": ("经调解结案", "均经调解结案", "调解结案"),
                 "败诉": ("原行政行为被纠正", "原行政行为均被纠正", "被纠正"),
                 "审理中": ("正在审理中", "均在审理中", "正在审理")},
    "行政诉讼": {"维持": ("法院判决维持被诉行为", "法院均判决维持被诉行为", "判决维持"),
                 "驳回": ("法院判决驳回原告诉讼请求", "法院均判决驳回原告诉讼请求", "判决驳回诉讼请求"),
                 "撤销": ("被诉行为被判决撤销", "被诉行为均被判决撤销", "判决撤销"),
                 "确认违法": ("被诉行为被确认违法", "被诉行为均被确认违法", "确认违法"),
                 "撤回/撤诉": ("原告撤诉", "原告均已撤诉", "原告撤诉"),
                 "调解": ("经调解结案", "均经调解结案", "调解结案"),
                 "败诉": ("一审败诉", "均一审败诉", "败诉"),
                 "审理中": ("正在审理中", "均在审理中", "正在审理")},
}
FLEXIBLE_WAYS = ("行政指导", "行政告诫", "行政建议")
SET_UP = ("群众接待窗口", "心理咨询室", "矛盾纠纷调解室", "法律服务室")  # rooms and windows are 设立, not 建成
# The two 主要负责人 of 督察规定 by the posts people write, with or without their organ (乡党委书记, 党委副书记、镇长).
PARTY_HEAD = re.compile(r"^(?:[乡镇]|街道)?(?:党委|党工委)?书记$")
GOVERNMENT_HEAD = re.compile(r"(?:^|[、，,])(?:[乡镇]|街道办事处|办事处)?(?:镇长|乡长|主任)$")
STUDY_LEDGERS = ("study", "law_report", "publicity", "legal_talent")
DOCUMENT_NAME = re.compile(r"(方案|通知|意见|办法|规定|细则|计划|要点|清单|报告|决定|函|纪要|通报)》?$")

_BASIS_DEFAULT = {"三段式": "按照{依据}文件要求，{单位}对{年度}年法治政府建设工作进行了认真自查，现将有关情况报告如下：",
                  "督察规定五项": "按照{依据}文件要求，现将{单位}{年度}年法治政府建设情况报告如下："}
_NO_BASIS = {"三段式": "根据上级关于法治政府建设年度报告的要求，{单位}对{年度}年法治政府建设工作进行了认真自查，现将有关情况报告如下：",
             "督察规定五项": "根据《法治政府建设与责任落实督察工作规定》，现将{单位}{年度}年法治政府建设情况报告如下："}


def normalise_doc_numbers(text: str) -> str:
    """发文字号 years in 六角括号 (GB/T 9704 7.2.4): 县法治办（2023）16号 → 县法治办〔2023〕16号."""
    return re.sub(r"[（(\[【［]\s*((?:19|20)\d{2})\s*[）)\]】］](?=\s*第?\d)", r"〔\1〕", text)


def fill(wording: str, **slots: str) -> str:
    """A unit's wording with {单位}, {年度}, {依据} filled in — plain replacement, never str.format: the text may come
    from a restored backup and must not reach Python's formatting machinery."""
    for name, value in slots.items():
        wording = wording.replace("{" + name + "}", value)
    return wording


SENTENCE_ENDS = "。！？…；"
OPEN_ENDS = "，、：,;:"


def ended(text: str) -> str:
    """A clerk's line as a sentence: typed without its end mark (or stopping on a comma), it gets its 。 — else the
    items run together as 「…还需提高二是村级…」."""
    text = text.strip()
    body = text.rstrip("”’」）)")
    if body[-1:] in SENTENCE_ENDS:
        return text
    if text[-1:] in OPEN_ENDS:
        return text[:-1] + "。"
    return text + "。"


def held(rows: Rows, name: str) -> str:
    """「党委书记」, 「党委副书记、镇长、2名党委副书记」: each post once, with how many hold it when several do."""
    seen = Counter(r.get(name) for r in rows if r.get(name))
    return "、".join(post if n == 1 else f"{n}名{post}" for post, n in seen.items())


def bare_title(title: str) -> str:
    return title.strip().strip("《》")


def as_named(name: str) -> str:
    """A batch or document as the report names it: a document's title in 《》, an activity's name as it is."""
    bare = bare_title(name)
    return f"《{bare}》" if DOCUMENT_NAME.search(bare) else bare


class Parts(Mapping[str, str]):
    """The sections by name, each written on first use (a template reads ``parts.org`` or ``parts["org"]``)."""

    def __init__(self, writers: Mapping[str, Callable[[], str]]):
        self._writers, self._done = dict(writers), {}

    def __getitem__(self, key: str) -> str:
        if key not in self._done:
            self._done[key] = self._writers[key]()
        return self._done[key]

    def __iter__(self):
        return iter(self._writers)

    def __len__(self) -> int:
        return len(self._writers)


class Writer:
    """Writes the sections of one unit's report for one year."""

    def __init__(self, unit: Any, year: int, records: YearRecords, ref_date: dt.date, template: str,
                 basis: str | None = None):
        self.unit, self.year, self.r, self.ref_date = unit, year, records, ref_date
        self.template, self.basis = template, normalise_doc_numbers(basis or "")
        self.o = organs(unit.kind)
        self.government = government_name(unit.name, unit.kind)
        self.claims: list[Claim] = []
        self.sections: dict[str, list[Claim]] = {}  # the claims of each section, for the evidence view
        self._section = ""

    def parts(self, problems: Sequence[str], plans: Sequence[str]) -> Parts:
        """Every generated section, by the name the templates place it under — each written when a template first
        places it, so the claims kept are those of the sections the report prints."""
        writers = {
            "basis": self.basis_line, "opening": self.opening, "org_lead": self.org_lead, "org": self.org,
            "study_lead": self.study_lead, "study": self.study, "enforcement_lead": self.enforcement_lead,
            "enforcement": self.enforcement, "rectification": self.rectification, "disputes": self.disputes,
            "disputes_next": self.disputes_next, "problems": lambda: self.problems(problems),
            "plans": lambda: self.plans(plans), "first_duty": self.first_duty,
            "other": lambda: "无。",  # 其他需要报告的情况: nothing the records could tell
        }
        return Parts({key: self._in_section(key, write) for key, write in writers.items()})

    def _in_section(self, key: str, write: Callable[[], str]) -> Callable[[], str]:
        def written() -> str:
            self._section = key
            try:
                return write()
            finally:
                self._section = ""
        return written

    # -- helpers ---------------------------------------------------------------------------------------------------
    def _keep(self, text: str, claims: Sequence[Claim]) -> str:
        self.claims += claims
        if self._section:
            self.sections.setdefault(self._section, []).extend(claims)
        return text

    def _items(self, items: Sequence[Item], suffix: str = "是") -> str:
        return self._keep(*numbered(items, suffix))

    def _one(self, claim: Claim | None) -> str:
        return "" if claim is None else self._keep(claim.text, [claim])

    @staticmethod
    def _each(rows: Rows, key: str, prose: Mapping[str, str], **words: str) -> list[Claim | None]:
        """One clause per value of ``key`` that has prose, most frequent first."""
        return [say(prose[k].format(n=len(sub), **words), count(sub)) for k, sub in rows.by(key).items() if k in prose]

    def _village(self, label: str) -> str:
        return self.o.village + label.removeprefix("村") if label.startswith("村") else label

    def _active(self) -> list[str]:
        """The ledgers holding records of the year that count as the year's work."""
        return [lg for (lg, scope), rows in self.r.scoped.items() if scope == "year" and rows and ledger(lg).activity]

    # -- opening ---------------------------------------------------------------------------------------------------
    def basis_line(self) -> str:
        own = (self.unit.basis_wording or "").strip()
        wording = own or (_BASIS_DEFAULT if self.basis else _NO_BASIS).get(self.template, _BASIS_DEFAULT["三段式"])
        return fill(wording, 单位=self.unit.name, 年度=str(self.year), 依据=self.basis or "上级")

    def opening(self) -> str:
        own = (self.unit.opening_wording or "").strip()
        if own:
            return fill(own, 单位=self.unit.name, 年度=str(self.year), 依据=self.basis or "上级")
        r = self.r
        areas = [(name, [count(r(k), "") for k in keys if r(k)]) for keys, name in (
            (STUDY_LEDGERS, "学法普法"), (("enforcement",), "规范执法"), (("dispute",), "矛盾纠纷化解"),
            (("rectification",), "问题整改"), (("legal_service", "counsel_service", "review_litigation"), "法律服务"))]
        areas = [(name, facts) for name, facts in areas if facts]
        work = f"统筹推进{listing(name for name, _f in areas)}工作" if areas else "推进法治政府建设"
        facts = [f for _n, fs in areas for f in fs] or [count(r(k), "") for k in self._active()]
        return self._one(say(
            f"{self.year}年，{self.unit.name}在{county_organs(self.unit.county)}的领导下，坚持以习近平新时代中国特色社会主义"
            f"思想为指导，深入学习贯彻习近平法治思想，{work}。", *facts))

    # -- 组织领导 -------------------------------------------------------------------------------------------------
    def org_lead(self) -> str:
        lg, m = self.r("leading_group"), self.r("meeting")
        return self._one(say(f"{self.o.both}认真履行推进法治建设主体责任。", count(lg, ""), count(m, "")))

    def org(self) -> str:
        r = self.r
        lg = r("leading_group")
        heads, deputies = lg.eq("role", "组长"), lg.eq("role", "副组长")
        staff = lg.among("role", ("办公室主任", "联络员"))
        group = sentence(
            say(f"调整充实了{self.unit.name}法治建设领导小组", count(lg, "")),
            prefixed("由", say(f"{held(heads, 'post')}任组长", names(heads, "post", heads.values("post")))),
            say(f"{held(deputies, 'post')}任副组长", names(deputies, "post", deputies.values("post"))),
            say(f"小组成员共{len(lg)}人", count(lg)) if len(lg) > 1 else None,
            say("明确专人负责日常工作", count(staff, "")))
        d = r("document")
        titles = [bare_title(t) for t in d.values("title")]
        if len(d) == 1:
            docs = say(f"制定印发了{book(titles[0])}。", count(d, ""), names(d, "title", titles))
        elif len(titles) < 2:  # several under one title: no 「等」 after a single name
            docs = say(f"制定印发了制度文件{len(d)}份。", count(d))
        else:
            docs = say(f"制定印发了{listing(book(t) for t in titles[:8])}等制度文件{len(d)}份。", count(d),
                       names(d, "title", titles[:8]))
        m = r("meeting")
        special = m.eq("kind", "法治建设专题会议")
        others = self._each(m, "kind", MEETING_PROSE, committee=self.o.committee)
        meetings = sentence(prefixed("全年", joined([say(f"召开法治建设专题会议{len(special)}次", count(special)),
                                                     *others])),
                            say(f"研究解决问题{m.total('issues_resolved')}项", total(m, "issues_resolved")))
        return self._items([
            Item("健全组织机构" if lg else "完善制度机制", [group, docs]),
            Item("周密安排部署", [meetings]),
            Item("强化阵地建设", self._facilities()),
        ])

    def _facilities(self) -> list[Claim | None]:
        year, unit = self.year, self.unit
        in_use = self.r("facility", "in_use")
        town_rows, village_rows = in_use.eq("level", "镇级"), in_use.ne("level", "镇级")
        kind_order = {k: i for i, k in enumerate(ledger("facility").field("kind").choices)}
        town = sorted(town_rows, key=lambda x: kind_order.get(x["kind"], 99))

        def new(x: Mapping[str, Any]) -> bool:
            return bool(x.get("built_on")) and x["built_on"].year == year

        def bare(name: str) -> str:
            return name.removeprefix(unit.name)

        # Rooms of a centre go with the centre: 肖咀镇综治中心（内设矛盾纠纷调解室、法律服务室）.
        centres: list[dict[str, Any]] = []
        for x in town:
            parent = next((c for c in centres if len(bare(c["name"])) < len(bare(x["name"]))
                           and bare(x["name"]).startswith(bare(c["name"]))), None)
            if parent is None:
                centres.append({**x, "rooms": []})
            else:
                parent["rooms"].append({**x, "room": bare(x["name"]).removeprefix(bare(parent["name"]))})
        old_built, old_set, new_built, new_set, new_rooms = [], [], [], [], []
        named: list[str] = []
        for c in centres:
            rooms = [x for x in c["rooms"] if not new(x) or new(c)]
            late = [x for x in c["rooms"] if new(x) and not new(c)]
            shown = f"{c['name']}（内设{listing(x['room'] for x in rooms)}）" if rooms else c["name"]
            named += [c["name"], *(x["room"] for x in c["rooms"])]
            set_up = c["kind"] in SET_UP and not rooms
            [[old_built, old_set], [new_built, new_set]][new(c)][set_up].append(shown)
            if late:
                new_rooms.append(f"在{bare(c['name'])}新设{listing(x['room'] for x in late)}")
        level = f"{self.o.place}级"
        old_town, new_town = town_rows.not_in_year("built_on", year), town_rows.in_year("built_on", year)
        town_claims = sentence(
            prefixed(level, joined([say(f"已建成{listing(old_built)}", count(old_town, ""),
                                        names(town_rows, "name", named)) if old_built else None,
                                    say(f"已设立{listing(old_set)}", count(old_town, ""),
                                        names(town_rows, "name", named)) if old_set else None])),
            prefixed(f"{year}年", joined([say(f"新建成{listing(new_built)}", count(new_town, "")) if new_built else None,
                                          say(f"新设立{listing(new_set)}", count(new_town, "")) if new_set else None,
                                          say(listing(new_rooms), count(new_town, "")) if new_rooms else None])))
        room_rows = village_rows.eq("kind", "村公共法律服务工作室")
        rooms = list(room_rows)
        room_label = self._village("村公共法律服务工作室").removeprefix(self.o.village)
        covered = {x["village"] for x in rooms}
        fresh = room_rows.in_year("built_on", year)
        if len(unit.villages) > 1 and covered >= set(unit.villages):
            if not fresh:
                room_text = f"各{self.o.village}均已建成{room_label}"
            elif len(fresh) == len(rooms):
                room_text = f"{year}年各{self.o.village}均建成{room_label}"
            else:
                room_text = f"各{self.o.village}均建成{room_label}，其中{len(fresh)}个为{year}年新建"
        elif len(rooms) == 1:
            room_text = f"{rooms[0]['village']}{'新' if fresh else '已'}建成{room_label}"
        else:
            room_text = f"{len(rooms)}个{self.o.village}建成{room_label}" + (
                f"，其中{len(fresh)}个为{year}年新建" if 0 < len(fresh) < len(rooms) else
                f"，均为{year}年新建" if fresh else "")
        rest = village_rows.ne("kind", "村公共法律服务工作室")

        def placed(x: Mapping[str, Any]) -> str:
            verb = "设立" if x["kind"] in SET_UP[:1] else "建成"
            return f"在{x.get('village') or ''}{verb}{x['name'].removeprefix(x.get('village') or '')}"

        old_rest, new_rest = rest.not_in_year("built_on", year), rest.in_year("built_on", year)
        village_claims = sentence(
            say(room_text, count(room_rows, "")),
            prefixed("此前已", say("，".join(placed(x) for x in old_rest), count(old_rest, ""))),
            prefixed(f"{year}年", say("，".join(placed(x) for x in new_rest), count(new_rest, ""))))
        return [town_claims, village_claims]

    # -- 学法普法 -------------------------------------------------------------------------------------------------
    def study_lead(self) -> str:
        return self._one(say("坚持把法律知识学习作为法治建设的基础性工作。", count(self.r("study"), "")))

    def study(self) -> str:
        r, o = self.r, self.o
        st = r("study")
        center, joint, pre = (st.eq("form", k) for k in ("党委理论学习中心组学法", "干部群众共同学法", "会前学法"))
        occasions = list(dict.fromkeys(o_.strip() for occ in joint.values("occasion") for o_ in occ.split("、")
                                       if o_.strip()))
        joint_claim = (say(f"结合召开{several(occasions, '会议')}开展干部群众共同学法{len(joint)}次", count(joint),
                           names(joint, "occasion", occasions)) if occasions else
                       say(f"开展干部群众共同学法{len(joint)}次", count(joint)))
        studies = sentence(prefixed("全年", joined([
            say(f"{o.committee}理论学习中心组集体学法{len(center)}次", count(center)), joint_claim,
            say(f"会前学法{len(pre)}次", count(pre)), *self._each(st, "form", STUDY_PROSE)])),
            say(f"累计参学{st.total('participants')}人次", total(st, "participants")))
        ten = self._ten_entries()
        publicity = self._publicity()
        p = r("publicity")
        kinds = (len(p.eq("kind", "普法宣传会议")) > 0) + len(
            [k for k in p.besides("kind", (TEN_ENTRIES, "普法宣传会议")).by("kind") if k])
        counsel_rows = r("counsel", "window")
        reviews = r("counsel_service").among("kind", LEGALITY_REVIEWS)
        return self._items([
            Item("干部带头学法述法", [studies, self._law_reports()]),
            Item("开展“法律十进”活动", [ten]),
            Item("多措并举广泛宣传" if kinds > 1 else "开展法治宣传", publicity),
            Item("培育法治人才", [self._talent()]),
            Item("聘请法律顾问" if counsel_rows else "开展合法性审查" if reviews else "做好法律服务", self._counsel()),
        ])

    def _law_reports(self) -> Claim | None:
        """Who reported, to whom and how — each group as the records say; a blank 述法对象 is the unit's own party
        committee (the field's help text), never another group's body."""
        o = self.o
        groups: list[Claim | None] = []
        by_audience = self.r("law_report").by("audience")
        for audience, rows in by_audience.items():
            leaders = rows.among("identity", ("党政主要负责人", "班子成员"))
            secretaries, stations = rows.eq("identity", "村党组织书记"), rows.eq("identity", "站所负责人")
            others = rows.besides("identity", ("党政主要负责人", "班子成员", "村党组织书记", "站所负责人"))
            parts = [c for c in (
                say(f"班子成员{len(leaders)}人", count(leaders)),
                say(f"{len(secretaries)}名{o.village}党组织书记", count(secretaries)),
                say(f"{len(stations)}名站所负责人", count(stations)),
                say(f"其他人员{len(others)}人", count(others))) if c]
            who = joined(parts, "和" if len(parts) == 2 else "、")
            to = audience or o.party
            manners = {m: sub for m, sub in rows.by("manner").items() if m}
            one_manner = len(manners) == 1 and len(next(iter(manners.values()))) == len(rows)
            manner = next(iter(manners)) if one_manner else "述法"
            # Several bodies: each group opens with its body, so that the groups, alike but for their numbers, do not
            # read as one phrase said twice (班子成员1人向…委员会会议述法；班子成员1人向…委员会会议述法).
            if len(by_audience) > 1:
                said = prefixed(f"{to}听取", who, manner if one_manner else "的述法")
            else:
                said = prefixed("", who, f"向{to}{manner}")
            if not one_manner:  # several ways of reporting to one body: said once, with how many each
                how = joined([say(f"{m}{len(sub)}人", count(sub)) for m, sub in manners.items()], "、")
                said = joined([said, prefixed("其中", how)])
            groups.append(said if who else None)
        return sentence(*groups, sep="；")

    def _ten_entries(self) -> Claim | None:
        ten = self.r("publicity").eq("kind", TEN_ENTRIES)
        order = {k: i for i, k in enumerate(ledger("publicity").field("target").choices)}
        targets = sorted(ten.values("target"), key=lambda t: order.get(t, 99))
        if targets:
            return say(f"开展法律知识{listing(targets)}活动{len(ten)}场次。", count(ten), names(ten, "target", targets))
        return say(f"开展“法律十进”活动{len(ten)}场次。", count(ten))

    def _publicity(self) -> list[Claim | None]:
        p = self.r("publicity")
        meetings = p.eq("kind", "普法宣传会议")
        campaigns = p.besides("kind", (TEN_ENTRIES, "普法宣传会议"))
        by_kind = campaigns.by("kind")
        kinds = [CAMPAIGN_PROSE[k] for k in by_kind if k in CAMPAIGN_PROSE]
        if len(kinds) > 1:
            campaign_text = f"通过{several(kinds, '形式')}开展法律宣传活动{len(campaigns)}场次"
        elif kinds and len(by_kind) == 1:
            campaign_text = f"开展{kinds[0]}{len(campaigns)}场次"
        else:
            campaign_text = f"开展法律宣传活动{len(campaigns)}场次"
        # The topics named with the leaflets are those of the events that gave leaflets out (#34: a topic of some
        # school events without leaflets is not put in front of every campaign's leaflets).
        leaflets = p.positive("materials")
        order = {k: i for i, k in enumerate(ledger("publicity").field("topics").choices)}
        topics = sorted((t for t in leaflets.each("topics") if t != "其他"), key=lambda t: order.get(t, len(order)))
        what = several([book(t) if is_law(t) else t for t in topics], "") if topics else ""
        materials = p.total("materials")
        audience = p.total("audience")
        return [sentence(
            say(f"召开{'各类' if len(meetings) > 1 else ''}普法宣传会议{len(meetings)}场次", count(meetings)),
            say(campaign_text, count(campaigns)),
            say(f"各类普法活动受众{numbers.approx(audience, '余')}人次", total(p, "audience", numbers.approx(audience, "余"))),
            say(f"现场解答群众咨询{p.total('consultations')}人次", total(p, "consultations")),
            say(f"向群众发放{what}宣传资料{numbers.approx(materials)}份", total(p, "materials", numbers.approx(materials)),
                *([names(leaflets, "topics", topics)] if topics else [])),
            say(f"悬挂横幅{p.total('banners')}条", total(p, "banners")),
            say(f"制作展板海报{p.total('boards')}块", total(p, "boards")))]

    def _talent(self) -> Claim | None:
        t = self.r("legal_talent", "in_force")
        leaders, understanders = t.eq("category", "学法带头人"), t.eq("category", "法律明白人")
        households = t.eq("category", "民主法治示范户")
        roster = joined([say(f"学法带头人{len(leaders)}名", count(leaders)),
                         say(f"法律明白人{numbers.approx(len(understanders), '余')}人",
                             count(understanders, numbers.approx(len(understanders), "余"))),
                         say(f"民主法治示范户{len(households)}户", count(households))], "、")
        if roster is None:
            return None
        fresh = t.eq("year", self.year)
        if fresh and len(fresh) == len(t):
            return prefixed(f"{self.year}年培养", roster, "。")
        return sentence(prefixed(f"全{self.o.place}现有", roster),
                        say(f"其中{self.year}年新培养{len(fresh)}名", count(fresh)))

    def _counsel(self) -> list[Claim | None]:
        r = self.r
        counsels = r("counsel", "window")
        contract = None
        if counsels:
            firms = counsels.values("firm")
            months = list(dict.fromkeys((c["signed_on"].year, c["signed_on"].month) for c in counsels
                                        if c.get("signed_on")))
            when = f"{months[0][0]}年{months[0][1]}月" if len(months) == 1 else ""
            contract = say(f"{when}与{listing(firms)}签订聘请协议，聘请{len(counsels)}名执业律师担任{self.government}"
                           "法律顾问。", count(counsels), *([names(counsels, "firm", firms)] if firms else []))
        cs = r("counsel_service")
        services = prefixed("全年", joined(self._each(cs.besides("kind", (*LEGALITY_REVIEWS, LAW_ENFORCEMENT_REVIEW)),
                                                     "kind", COUNSEL_SERVICE_PROSE), "、"), "。")
        reviews = cs.among("kind", LEGALITY_REVIEWS)
        adopted = reviews.true("adopted")
        counsel_names = tuple(r("counsel", "window").values("name"))
        by_counsel = reviews.among("handler", counsel_names)  # a counsel's own name reads as 法律顾问
        others = [h for h in reviews.values("handler") if h not in counsel_names]
        handlers = ["法律顾问"] * bool(by_counsel) + others
        # who did them is said only when every review names its handler
        said_by = handlers if handlers and not reviews.blank("handler") else []
        review = sentence(
            say(f"全年{'由' + listing(said_by) if said_by else ''}开展合法性审查{len(reviews)}件", count(reviews),
                *([names(reviews.besides("handler", counsel_names), "handler", others)] if said_by and others else [])),
            say("审查意见均被采纳" if len(reviews) > 1 else "审查意见被采纳", every(reviews, "adopted"))
            if len(adopted) == len(reviews) else None,
            say(f"采纳审查意见{len(adopted)}件", count(adopted)) if len(adopted) < len(reviews) else None)
        return [contract, services, review]

    # -- 规范执法 -------------------------------------------------------------------------------------------------
    def enforcement_lead(self) -> str:
        return self._one(say("坚持严格规范公正文明执法。", count(self.r("enforcement").ne("method", INSPECTION), "")))

    def enforcement(self) -> str:
        r = self.r
        e = r("enforcement")
        cases = e.ne("method", INSPECTION)
        by_method = cases.by("method")
        ways = [m for m in FLEXIBLE_WAYS if m in by_method]
        flexible_ways = cases.among("method", ways)
        parts: list[tuple[str, Rows]] = []
        if ways:
            parts.append((f"采取{several(ways, '柔性方式') if len(ways) > 1 else ways[0] + '方式'}办理", flexible_ways))
        parts += [(text, by_method[m]) for m, text in (
            ("不予处罚（免罚清单）", "依照免罚清单对轻微违法行为不予处罚"), ("责令改正", "责令改正"),
            ("行政处罚", "作出行政处罚"), ("行政强制", "采取行政强制措施")) if m in by_method]
        n = len(cases)
        if len(parts) == 1 and len(parts[0][1]) == n:
            split = [say(f"，{'均' if n > 1 else ''}{parts[0][0]}", count(parts[0][1], ""))]
        else:
            split = [say(f"{'：' if i == 0 else '，'}{t}{len(rows)}件", count(rows)) for i, (t, rows) in enumerate(parts)]
        flexible, penalties = cases.among("method", FLEXIBLE_METHODS), cases.eq("method", "行政处罚")
        manner = say("坚持教育与处罚相结合", count(flexible, ""), count(penalties, "")) or \
            (say("坚持以教育引导为主", count(flexible, "")) if len(flexible) * 2 > n else None)
        inspections = e.eq("method", INSPECTION)
        handled = joined([
            joined([say(f"全年办理行政执法案件{n}件", count(cases)), *split], "", "。"),
            say(f"{'全年' if not n else ''}开展行政检查{len(inspections)}次。", count(inspections)),
            sentence(manner)], "")
        done = [(label, key) for label, key in (("全过程记录", "recorded"), ("执法公示", "publicized"))
                if cases and len(cases.true(key)) == n]
        procedure = sentence(
            say(f"{str(n) + '件执法案件均' if n > 1 else '执法案件'}做到{'和'.join(label for label, _k in done)}",
                *(every(cases, key) for _l, key in done)) if done else None,
            say(f"重大执法决定{'均' if len(cases.true('major')) > 1 else ''}经法制审核", every(cases.true("major"), "legal_review"))
            if cases.true("major") and len(cases.true("major").true("legal_review")) == len(cases.true("major")) else None,
            say(f"开展重大执法决定法制审核{len(sub)}件", count(sub)) if (
                sub := r("counsel_service").eq("kind", LAW_ENFORCEMENT_REVIEW)) else None)
        ls = r("legal_service")
        known = self._each(ls, "kind", LEGAL_SERVICE_PROSE)
        other = ls.besides("kind", tuple(LEGAL_SERVICE_PROSE))
        if not any(known) and other:  # only 其他: the total, never the raw label
            known = [say(f"提供公共法律服务{len(other)}次", count(other))]
        service = prefixed("公共法律服务站点全年", joined(known, "、"), "。")
        review = sentence(*self._reviews(), sep="；")
        title = "做好法律服务和复议应诉" if service and review else "做好公共法律服务" if service else "依法做好复议应诉"
        return self._items([
            Item("推行柔性执法" if flexible else "依法开展行政执法" if n else "依法开展行政检查", [handled]),
            Item("规范执法程序", [procedure]),
            Item(title, [service, review]),
            Item("依法办理政府信息公开申请", [self._disclosure()]),
        ])

    def _disclosure(self) -> Claim | None:
        """政府信息公开 依申请: how many came, how many were answered and in time (each judged by its statutory date
        over the holiday calendar the unit uses), how many went to 复议/诉讼 and were corrected there."""
        d = self.r("disclosure")
        if not d:
            return None
        from fazhi_desktop.services.todo import settings_of

        days = settings_of(self.unit)  # the unit's own calendar additions, carried by the claim for the checker
        spec = ("disclosure_answer", tuple(days["holidays"]), tuple(days["workdays"]))
        n = len(d)
        answered, waiting = d.filled("answered_on"), d.blank("answered_on")
        parts: list[Claim | None] = [say(f"收到政府信息公开申请{n}件", count(d))]
        if answered and not waiting:
            parts.append(say("均已答复" if n > 1 else "已答复", share(answered, d, "100%")))
        elif answered:
            parts.append(say(f"已答复{len(answered)}件，正在办理{len(waiting)}件", count(answered), count(waiting)))
        in_time, late = answered.in_time(spec), answered.not_in_time(spec)
        if answered and not late:
            parts.append(say("均在法定期限内答复" if len(answered) > 1 else "在法定期限内答复",
                             share(in_time, answered, "100%")))
        elif late:
            parts.append(say(f"逾期答复{len(late)}件", count(late)))
        appeals = d.among("appeal", APPEALED)
        if appeals:
            corrected = appeals.eq("appeal_result", CORRECTED)
            decided = appeals.besides("appeal_result", (PENDING, None))
            parts.append(say(f"引发行政复议、行政诉讼{len(appeals)}件", count(appeals)))
            if corrected:
                parts.append(say(f"被纠错{len(corrected)}件", count(corrected)))
            elif len(decided) == len(appeals):  # every case decided: none corrected is a fact, not a guess
                parts.append(say("无被纠错", none(corrected), share(decided, appeals, "100%")))
        return joined(parts, "，", "。")

    def _reviews(self) -> list[Claim | None]:
        out: list[Claim | None] = []
        rl = self.r("review_litigation")
        for kind, cases in rl.by("kind").items():
            words = REVIEW_PROSE.get(kind or "行政复议", REVIEW_PROSE["行政复议"])
            noun = f"{kind or '行政复议'}案件"
            n = len(cases)
            results = {k: v for k, v in cases.by("result").items() if k is not None}
            if not results:  # no result typed: the case is stated, no outcome is made up
                out.append(say(f"{noun}{n}件", count(cases)))
            elif len(results) == 1 and len(next(iter(results.values()))) == n:
                result, rows = next(iter(results.items()))
                one, each_, _part = words.get(result, words["审理中"])
                out.append(say(f"{noun}{n}件，{one if n == 1 else each_}", count(cases), every(rows, "result", result)))
            else:
                mix = listing(f"{words.get(k, words['审理中'])[2]}{len(rows)}件" for k, rows in results.items())
                out.append(say(f"{noun}{n}件，其中{mix}", count(cases),
                               *(count(rows) for rows in results.values())))
        suits = rl.eq("kind", "行政诉讼")
        attended = suits.true("head_appeared")
        if suits and len(attended) == len(suits):
            out.append(say("行政机关负责人均出庭应诉" if len(suits) > 1 else "行政机关负责人出庭应诉",
                           every(suits, "head_appeared")))
        elif attended:
            out.append(say(f"行政机关负责人出庭应诉{len(attended)}件", count(attended)))
        return out

    # -- 整改 ------------------------------------------------------------------------------------------------------
    def rectification(self) -> str:
        rt = self.r("rectification")
        batches: list[Claim | None] = []
        by_batch = rt.by("batch")
        for batch, rows in by_batch.items():
            sources = [SOURCE_PROSE[x] for x in rows.values("source") if x in SOURCE_PROSE]
            # where the problems came from is said for a single list; several lists are told apart by their names
            what = listing(sources) if sources and len(by_batch) == 1 else "问题"
            against = f"对照{as_named(batch)}，" if batch else ""
            batches.append(say(f"{against}{'逐条' if len(rows) > 1 else ''}认领{what}{len(rows)}个", count(rows),
                               *([names(rows, "batch", [bare_title(batch)])] if batch else [])))
        # Each 督查 batch is counted on its own (#34): two batches are two lists, never one summed figure.
        claimed = sentence(*batches, sep="；")
        if claimed is None:
            return ""
        # 「问题清单」, never 「台账」: nothing in the report reads as talk of the program's own records (#34)
        managed = say("建立问题清单，明确责任部门和整改时限，实行销号式管理。", count(rt, ""))
        closed, open_ = rt.eq("status", "已销号"), rt.ne("status", "已销号")
        on = numbers.cn_date(self.ref_date)
        n = len(rt)
        if not open_:
            status = say(f"截至{on}，{'已全部销号' if n > 1 else '已销号'}。", every(rt, "status", "已销号"))
        elif not closed:
            status = say(f"截至{on}，{'均在整改中' if n > 1 else '正在整改'}。", every(rt, "status", "整改中"))
        else:
            status = say(f"截至{on}，已销号{len(closed)}个，正在整改{len(open_)}个。", count(closed), count(open_))
        return self._one(joined([claimed, managed, status], ""))

    # -- 矛盾纠纷 ---------------------------------------------------------------------------------------------------
    def disputes(self) -> str:
        d = self.r("dispute")
        found = len(d)
        handled, resolved = d.among("status", CLOSED_DISPUTE_STATES), d.eq("status", "调解成功")
        order = ledger("dispute").field("category").choices
        cats = {k: rows for k, rows in sorted(((k, v) for k, v in d.by("category").items() if k),
                                              key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)}
        head = f"{self.year}年共排查矛盾纠纷{found}件"
        if len(cats) == 1 and len(next(iter(cats.values()))) == found:
            found_claim = say(f"{head}，{'均为' if found > 1 else '为'}{next(iter(cats))}", count(d),
                              every(d, "category", next(iter(cats))))
        elif cats:
            found_claim = say(f"{head}，其中{listing(f'{k}{len(v)}件' for k, v in cats.items())}", count(d),
                              *(count(v) for v in cats.values()))
        else:
            found_claim = say(head, count(d))
        risks = {k: v for k, v in d.by("risk").items() if k}
        risks = {k: risks[k] for k in ("红", "黄", "绿") if k in risks}
        if len(risks) > 1:
            risk = say("按“红、黄、绿”分类定级，" + "、".join(f"{k}色{len(v)}件" for k, v in risks.items()),
                       *(count(v) for v in risks.values()))
        elif risks:
            only = next(iter(risks))
            risk = say(f"按“红、黄、绿”分类定级，{'均' if found > 1 else ''}定为{only}色", every(d, "risk", only)) \
                if len(risks[only]) == found else None
        else:
            risk = None
        if len(handled) == found:
            done = say("均已调处" if found > 1 else "已调处", every(d, "status", CLOSED_DISPUTE_STATES))
        else:
            done = say(f"调处{len(handled)}件", count(handled))
        if resolved and len(resolved) == len(handled):
            success = say("均调解成功" if len(handled) > 1 else "调解成功", every(handled, "status", "调解成功"))
        elif resolved:
            rate = numbers.percent(len(resolved) / len(handled))
            success = say(f"其中调解成功{len(resolved)}件，调解成功率{rate}", count(resolved), share(resolved, handled, rate))
        else:
            success = None
        return self._one(sentence(found_claim, risk, joined([done, success]), sep="；"))

    def disputes_next(self) -> str:
        d = self.r("dispute")
        cats = [k for k in d.values("category") if k != "其他"]
        order = ledger("dispute").field("category").choices
        cats.sort(key=lambda k: order.index(k) if k in order else 99)
        where = f"继续从{several(cats, '方面')}入手，" if cats else ""
        return (f"{where}坚持“红、黄、绿”分类定级、动态管理，做到小事不出{self.o.village}、大事不出{self.o.place}、矛盾不上交。"
                if d else "坚持经常性排查，做到发现一件、登记一件、化解一件。")

    # -- 第一责任人 -------------------------------------------------------------------------------------------------
    def _head_of(self, who: str | None, roster: Mapping[str, str]) -> str | None:
        """"party" or "government" when ``who`` (a post, or a name on the year's roster) is one of the two 主要负责人."""
        if not who:
            return None
        post = roster.get(who, who)
        if PARTY_HEAD.search(post):
            return "party"
        if GOVERNMENT_HEAD.search(post) and not post.endswith("副主任") and (
                "主任" not in post[-2:] or self.unit.kind == "街道"):
            return "government"
        return None

    def first_duty(self) -> str:
        """督察规定 item 三: what each of the two 主要负责人 did, as the records name them (a post written with its
        organ — 乡党委书记, 镇长 — is theirs too); nothing is said of one the records do not name."""
        r, o = self.r, self.o
        roster = {row["name"]: row["post"] for row in r("leading_group") if row.get("name") and row.get("post")}
        heads: dict[str, list[Claim | None]] = {}
        posts: dict[str, str] = {}

        def add(kind: str | None, who: str, claim: Claim | None) -> None:
            if kind and claim is not None:
                posts.setdefault(kind, roster.get(who, who))
                heads.setdefault(kind, []).append(claim)

        def by_head(rows: Rows, name: str) -> dict[str, tuple[str, Rows]]:
            """The rows of each 主要负责人 (a post or a name of the year's roster in ``name``), with the post said."""
            found: dict[str, list[str]] = {}
            for who in rows.values(name):
                kind = self._head_of(who, roster)
                if kind:
                    found.setdefault(kind, []).append(who)
            return {kind: (who[0], rows.among(name, who)) for kind, who in found.items()}

        meetings = r("meeting").eq("kind", "法治建设专题会议")
        for kind, (who, rows) in by_head(meetings, "host").items():
            add(kind, who, say(f"主持召开法治建设专题会议{len(rows)}次", count(rows)))
        center = r("study").eq("form", "党委理论学习中心组学法")
        for kind, (who, rows) in by_head(center, "speaker").items():
            add(kind, who, say(f"为{o.committee}理论学习中心组学法主讲{len(rows)}次", count(rows)))
        mains = r("law_report").eq("identity", "党政主要负责人")
        for post, rows in mains.by("post").items():
            manner = rows.values("manner")
            # a 主要负责人 whose post reads as neither head is still named, under the post the record gives
            add(self._head_of(post, roster) or post, post or "", say(
                f"已{manner[0] if len(manner) == 1 else '述法'}", count(rows, ""), *([names(rows, "post", [post])] if post else [])))
        suits = r("review_litigation").eq("kind", "行政诉讼").true("head_appeared")
        for kind, (who, rows) in by_head(suits, "head_name").items():
            add(kind, who, say(f"出庭应诉行政诉讼案件{len(rows)}件", count(rows)))
        parts = []
        for kind in sorted(heads, key=lambda k: {"party": 0, "government": 1}.get(k, 2)):
            post = posts[kind] or ("党委书记" if kind == "party" else o.head if kind == "government" else kind)
            parts.append(prefixed(post, joined(heads[kind], "，")))
        duties = joined(parts, "；")
        if duties is None:
            return TO_WRITE if self.template == "督察规定五项" else ""
        return self._one(prefixed("党政主要负责人履行推进法治建设第一责任人职责：", duties, "。"))

    # -- 存在问题 and 打算 ------------------------------------------------------------------------------------------
    def derived_problems(self) -> list[tuple[str, Claim]]:
        """存在的问题 the records show, each with the records behind it and no cause (no record holds one)."""
        r, year = self.r, self.year
        out: list[tuple[str, Claim | None]] = []
        cases = r("enforcement").ne("method", INSPECTION)
        n = len(cases)
        major = cases.true("major")
        gaps = [(cases.not_true("recorded"), "未做到全过程记录"), (cases.not_true("publicized"), "未进行执法公示"),
                (major.not_true("legal_review"), "重大执法决定未经法制审核")]
        if n > 1:
            missed = joined([say(f"{len(rows)}件{what}", count(rows)) for rows, what in gaps], "、")
            out.append(("three_systems", prefixed(
                f"行政执法“三项制度”落实还不够到位。{year}年办理的{n}件执法案件中，", missed, "。")))
        elif n == 1:  # the one case: what it lacked, without counting to one
            missed = joined([say(what.replace("重大执法决定未经", "作为重大执法决定未经"), count(rows, ""))
                             for rows, what in gaps], "、")
            out.append(("three_systems", prefixed(f"行政执法“三项制度”落实还不够到位。{year}年办理的1件执法案件", missed,
                                                 "。")))
        rt = r("rectification")
        overdue = rt.eq("status", "整改中").before("deadline", self.ref_date)
        out.append(("rectification_overdue", say(
            f"问题整改进度不够快。认领的{len(rt)}个整改问题中，有{len(overdue)}个超过整改时限仍未销号。"
            if len(rt) > 1 else "问题整改进度不够快。认领的1个整改问题超过整改时限仍未销号。", count(overdue), count(rt))))
        d = r("dispute")
        open_ = d.besides("status", CLOSED_DISPUTE_STATES)
        late = open_.before("deadline", self.ref_date)
        late_text = "" if not late else "，均已超过化解时限" if len(late) == len(open_) > 1 else "，已超过化解时限" \
            if len(late) == len(open_) else f"，其中{len(late)}件已超过化解时限"
        out.append(("disputes_open", say(
            f"矛盾纠纷化解还有差距。{year}年排查的{len(d)}件矛盾纠纷中，尚有{len(open_)}件未调处完毕{late_text}。"
            if len(d) > 1 else f"矛盾纠纷化解还有差距。{year}年排查的1件矛盾纠纷尚未调处完毕{late_text}。",
            count(open_), *([count(late)] if late else []))))
        counsels = r("counsel", "window")
        out.append(("no_counsel", say(
            f"法律顾问制度尚未落实。{year}年没有在聘的法律顾问，{self.government}的合法性审查和法律事务缺少执业律师参与。",
            none(counsels))))
        suits = r("review_litigation").eq("kind", "行政诉讼")
        attended = suits.true("head_appeared")
        absent = ("负责人未出庭应诉" if len(suits) == 1 else "负责人均未出庭应诉") if not attended else \
            f"负责人出庭应诉{len(attended)}件"
        if suits and len(attended) < len(suits):
            out.append(("head_appearance", say(
                f"行政机关负责人出庭应诉还不到位。{len(suits)}件行政诉讼案件中，{absent}。" if len(suits) > 1 else
                f"行政机关负责人出庭应诉还不到位。1件行政诉讼案件{absent}。", count(suits),
                count(attended) if attended else none(attended))))
        return [(k, c) for k, c in out if c is not None]

    def problems(self, own: Sequence[str]) -> str:
        """The clerk's problems when written; else the derived ones; else one honest sentence."""
        if own:
            return self._list(own, "是")
        derived = self.derived_problems()
        if not derived:
            return f"经自查，{self.year}年未发现需要单独报告的问题。"
        self._keep("", [c for _k, c in derived])
        return self._list([c.text for _k, c in derived], "是")

    def plans(self, own: Sequence[str]) -> str:
        """One 打算 per problem found, then the standing ones; the clerk's own plans when written."""
        if own:
            items = [p + self.disputes_next() if "矛盾纠纷" in p and p.rstrip("。").count("。") == 0
                     and p.endswith("。") else p for p in own]
            return self._list(items, "要", paragraphs=True)
        r = self.r
        keys = {k: c for k, c in self.derived_problems()}
        out = []
        if "three_systems" in keys:
            out.append("全面落实行政执法“三项制度”。抓好执法公示、执法全过程记录和重大执法决定法制审核，做到执法全程留痕、可回溯。")
        # a plan that names a figure is a claim like any sentence: it carries the records it counts
        figured: list[Claim | None] = []
        if "rectification_overdue" in keys:
            late = r("rectification").eq("status", "整改中").before("deadline", self.ref_date)
            figured.append(say(f"加快问题整改进度。对超过整改时限仍未销号的{len(late)}个问题{'逐项' if len(late) > 1 else ''}"
                               "分析原因、明确措施和责任人，限期销号。", count(late)))
        d = r("dispute")
        if "disputes_open" in keys:
            open_ = d.besides("status", CLOSED_DISPUTE_STATES)
            figured.append(say(f"抓好矛盾纠纷调处化解。对尚未调处完毕的{len(open_)}件纠纷落实包案责任，跟踪化解到位。"
                               f"{self.disputes_next()}", count(open_)))
        kept = [c for c in figured if c is not None]
        self._keep("", kept)
        out += [c.text for c in kept]
        if "no_counsel" in keys:
            out.append(f"落实法律顾问制度。按规定聘请执业律师担任{self.government}法律顾问，参与重大行政决策、规范性文件和合同的"
                       "合法性审查。")
        if "head_appearance" in keys:
            out.append("落实行政机关负责人出庭应诉制度。行政诉讼案件由负责人出庭应诉，不能出庭的依法委托相应工作人员。")
        publicity = bool(r("publicity"))
        out.append(f"{'持续' if publicity else ''}加大普法宣传力度。创新普法宣传载体，用好集日、会议、入户走访和微信群等渠道，"
                   "深入开展“法律十进”活动。")
        if "disputes_open" not in keys and d:
            out.append(f"扎实做好矛盾纠纷排查化解。{self.disputes_next()}")
        if "three_systems" not in keys and r("enforcement").ne("method", INSPECTION):
            out.append("持续规范行政执法。坚持执法公示、执法全过程记录和重大执法决定法制审核制度，推行柔性执法。")
        return self._list(out, "要", paragraphs=True)

    @staticmethod
    def _list(items: Iterable[str], suffix: str, paragraphs: bool = False) -> str:
        """一是… 二是…, or the single item alone; 打算 are one paragraph each."""
        items = [ended(i) for i in items if i and i.strip()]
        if len(items) == 1:
            return items[0]
        parts = [f"{numbers.chinese(n)}{suffix}{i}" for n, i in enumerate(items, 1)]
        return "\n\n".join(parts) if paragraphs else "".join(parts)
