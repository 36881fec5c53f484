"""The report's generated sections, written from the year's figures as claims (``claims``).

Each method returns the text of one section (the templates only place it under its heading) and keeps the claims it
made, so a test can check that every written sentence has records behind it. Organ names come from ``domain.unit``;
no sentence states a cause, a principle or an outcome the ledgers do not record.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fazhi_desktop.domain.ledgers import is_law, ledger
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
    with_parts,
)
from fazhi_desktop.services.report_facts import ReportFacts

# How a choice value reads in a sentence (the ledgers' labels are column headings, not prose).
MEETING_PROSE = {"党委会议研究法治工作": "召开{committee}会议研究法治工作{n}次", "法治建设领导小组会议": "召开法治建设领导小组会议{n}次",
                 "联席会议": "召开联席会议研究法治工作{n}次", "其他": "在其他会议上研究法治工作{n}次"}
STUDY_PROSE = {"法治专题培训": "举办法治专题培训{n}次", "法律知识考试": "组织法律知识考试{n}次", "旁听庭审": "组织旁听庭审{n}次",
               "其他": "开展其他形式学法{n}次"}
CAMPAIGN_PROSE = {"集日宣传": "集日宣传", "宪法宣传周": "宪法宣传周活动", "主题宣传日": "主题宣传日活动", "法治讲座": "法治讲座",
                  "特殊群体普法": "特殊群体普法", "线上宣传": "线上宣传"}
COUNSEL_SERVICE_PROSE = {"法律咨询": "提供法律咨询{n}次", "参与信访接待": "参与信访接待{n}次", "法治讲座": "开展法治讲座{n}次",
                         "其他": "提供其他法律服务{n}次"}
LEGAL_SERVICE_PROSE = {"法律咨询": "提供法律咨询{n}人次", "法律援助转介": "转介法律援助{n}件", "人民调解": "开展人民调解{n}件",
                       "公证引导": "引导办理公证{n}件", "代写文书": "代写法律文书{n}份", "其他": "提供其他法律服务{n}次"}
SOURCE_PROSE = {"司法部反馈问题": "司法部反馈的问题", "上级督察": "上级督察发现的问题", "考核评价": "考核评价反馈的问题",
                "自查发现": "自查发现的问题"}
# Results of a 行政复议/行政诉讼: (one case, every case, as part of a mix).
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
MAIN_POSTS = ("党委书记", "党工委书记", "书记", "镇长", "乡长", "街道办事处主任", "办事处主任", "主任")
CORE_LEDGERS = ("meeting", "study", "law_report", "publicity", "dispute")  # missing ones make a thin year
STUDY_LEDGERS = ("study", "law_report", "publicity", "legal_talent")

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

    def __init__(self, unit: Any, year: int, s: Mapping[str, Any], facts: ReportFacts, ref_date: dt.date,
                 template: str, basis: str | None = None):
        self.unit, self.year, self.s, self.f, self.ref_date = unit, year, s, facts, ref_date
        self.template, self.basis = template, normalise_doc_numbers(basis or "")
        self.o = organs(unit.kind)
        self.government = government_name(unit.name, unit.kind)
        self.claims: list[Claim] = []

    def parts(self, problems: Sequence[str], plans: Sequence[str]) -> Parts:
        """Every generated section, by the name the templates place it under — each written when a template first
        places it, so the claims kept are those of the sections the report prints."""
        return Parts({
            "basis": self.basis_line, "opening": self.opening, "org_lead": self.org_lead, "org": self.org,
            "study_lead": self.study_lead, "study": self.study, "enforcement_lead": self.enforcement_lead,
            "enforcement": self.enforcement, "rectification": self.rectification, "disputes": self.disputes,
            "disputes_next": self.disputes_next, "problems": lambda: self.problems(problems),
            "plans": lambda: self.plans(plans), "first_duty": self.first_duty,
            "other": lambda: "无。",  # 其他需要报告的情况: nothing the ledgers could tell
        })

    # -- helpers ---------------------------------------------------------------------------------------------------
    def _keep(self, text: str, claims: Sequence[Claim]) -> str:
        self.claims += claims
        return text

    def _items(self, items: Sequence[Item], suffix: str = "是") -> str:
        return self._keep(*numbered(items, suffix))

    def _one(self, claim: Claim | None) -> str:
        return "" if claim is None else self._keep(claim.text, [claim])

    def _all(self, counts: Mapping[str, int], prose: Mapping[str, str], **names: str) -> list[Claim | None]:
        return [say(prose[k].format(n=n, **names), **{k: n}) for k, n in counts.items() if k in prose]

    def _village(self, label: str) -> str:
        return self.o.village + label.removeprefix("村") if label.startswith("村") else label

    # -- opening ---------------------------------------------------------------------------------------------------
    def basis_line(self) -> str:
        own = (self.unit.basis_wording or "").strip()
        wording = own or (_BASIS_DEFAULT if self.basis else _NO_BASIS).get(self.template, _BASIS_DEFAULT["三段式"])
        return fill(wording, 单位=self.unit.name, 年度=str(self.year), 依据=self.basis or "上级")

    def opening(self) -> str:
        own = (self.unit.opening_wording or "").strip()
        if own:
            return fill(own, 单位=self.unit.name, 年度=str(self.year), 依据=self.basis or "上级")
        has = set(self.f.ledgers_with_records)
        areas = [name for keys, name in ((STUDY_LEDGERS, "学法普法"), (("enforcement",), "规范执法"),
                                         (("dispute",), "矛盾纠纷化解"), (("rectification",), "问题整改"),
                                         (("legal_service", "counsel_service", "review_litigation"), "法律服务"))
                 if has & set(keys)]
        work = f"统筹推进{listing(areas)}工作" if areas else "推进法治政府建设"
        return self._one(say(
            f"{self.year}年，{self.unit.name}在{county_organs(self.unit.county)}的领导下，坚持以习近平新时代中国特色社会主义"
            f"思想为指导，深入学习贯彻习近平法治思想，{work}。", ledgers=len(has)))

    # -- 组织领导 -------------------------------------------------------------------------------------------------
    def org_lead(self) -> str:
        return self._one(say(f"{self.o.both}认真履行推进法治建设主体责任。",
                             leading_group=self.s["org.leading_group_members"], meetings=self.s["org.meetings_total"]))

    def org(self) -> str:
        s, f = self.s, self.f
        posts, members = f.group_posts, s["org.leading_group_members"]
        staff = len(posts.get("办公室主任", [])) + len(posts.get("联络员", []))
        group = sentence(
            say(f"调整充实了{self.unit.name}法治建设领导小组", leading_group=members),
            prefixed("由", say(f"{listing(posts.get('组长', []))}任组长", leaders=len(posts.get("组长", [])))),
            say(f"{listing(posts.get('副组长', []))}任副组长", deputies=len(posts.get("副组长", []))),
            say(f"小组成员共{members}人", leading_group=members if members > 1 else 0),
            say("明确专人负责日常工作", staff=staff))
        titles = [book(t) for t in f.documents]
        n = s["org.documents"]
        if n == 1:
            docs = say(f"制定印发了{titles[0]}。", documents=n)
        else:
            shown = titles[:8]
            docs = say(f"制定印发了{listing(shown)}等制度文件{n}份。", documents=n)
        special = s["org.special_meetings"]
        others = [say(MEETING_PROSE[k].format(n=v, committee=self.o.committee), **{"meetings": v})
                  for k, v in f.meeting_kinds.items() if k in MEETING_PROSE]
        meetings = sentence(prefixed("全年", joined([say(f"召开法治建设专题会议{special}次", special_meetings=special),
                                                     *others])),
                            say(f"研究解决问题{s['org.issues_resolved']}项", issues=s["org.issues_resolved"]))
        return self._items([
            Item("健全组织机构" if members else "完善制度机制", [group, docs]),
            Item("周密安排部署", [meetings]),
            Item("强化阵地建设", self._facilities()),
        ])

    def _facilities(self) -> list[Claim | None]:
        year, unit = self.year, self.unit
        town = [x for x in self.f.facilities if x["level"] == "镇级"]
        village = [x for x in self.f.facilities if x["level"] != "镇级"]

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
        for c in centres:
            rooms = [r for r in c["rooms"] if not new(r) or new(c)]
            late = [r for r in c["rooms"] if new(r) and not new(c)]
            shown = f"{c['name']}（内设{listing(r['room'] for r in rooms)}）" if rooms else c["name"]
            set_up = c["kind"] in SET_UP and not rooms
            [[old_built, old_set], [new_built, new_set]][new(c)][set_up].append(shown)
            if late:
                new_rooms.append(f"在{bare(c['name'])}新设{listing(r['room'] for r in late)}")
        level = f"{self.o.place}级"
        town_claims = sentence(
            prefixed(level, joined([say(f"已建成{listing(old_built)}", facilities=len(old_built)),
                                    say(f"已设立{listing(old_set)}", facilities=len(old_set))])),
            prefixed(f"{year}年", joined([say(f"新建成{listing(new_built)}", facilities=len(new_built)),
                                          say(f"新设立{listing(new_set)}", facilities=len(new_set)),
                                          say(listing(new_rooms), facilities=len(new_rooms))])))
        rooms = [x for x in village if x["kind"] == "村公共法律服务工作室"]
        room_label = self._village("村公共法律服务工作室").removeprefix(self.o.village)
        covered = {x["village"] for x in rooms}
        fresh = [x for x in rooms if new(x)]
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
        rest = [x for x in village if x["kind"] != "村公共法律服务工作室"]

        def placed(x: Mapping[str, Any]) -> str:
            verb = "设立" if x["kind"] in SET_UP[:1] else "建成"
            return f"在{x.get('village') or ''}{verb}{x['name'].removeprefix(x.get('village') or '')}"

        old_rest = [placed(x) for x in rest if not new(x)]
        new_rest = [placed(x) for x in rest if new(x)]
        village_claims = sentence(
            say(room_text, rooms=len(rooms)),
            prefixed("此前已", say("，".join(old_rest), facilities=len(old_rest))),
            prefixed(f"{year}年", say("，".join(new_rest), facilities=len(new_rest))))
        return [town_claims, village_claims]

    # -- 学法普法 -------------------------------------------------------------------------------------------------
    def study_lead(self) -> str:
        return self._one(say("坚持把法律知识学习作为法治建设的基础性工作。", study=self.s["study.total"]))

    def study(self) -> str:
        s, f, o = self.s, self.f, self.o
        forms = f.study_forms
        center, joint, pre = (forms.get(k, 0) for k in ("党委理论学习中心组学法", "干部群众共同学法", "会前学法"))
        occasions = f.joint_occasions
        joint_text = f"结合召开{several(occasions, '会议')}开展干部群众共同学法{joint}次" if occasions else \
            f"开展干部群众共同学法{joint}次"
        studies = sentence(prefixed("全年", joined([
            say(f"{o.committee}理论学习中心组集体学法{center}次", center_group=center),
            say(joint_text, joint=joint), say(f"会前学法{pre}次", pre_meeting=pre),
            *self._all(forms, STUDY_PROSE)])),
            say(f"累计参学{s['study.participants']}人次", participants=s["study.participants"]))
        ids = f.law_report_identities
        leaders = ids.get("党政主要负责人", 0) + ids.get("班子成员", 0)
        groups = [c.text for c in (
            say(f"班子成员{leaders}人", leaders=leaders),
            say(f"{ids.get('村党组织书记', 0)}名{o.village}党组织书记", secretaries=ids.get("村党组织书记", 0)),
            say(f"{ids.get('站所负责人', 0)}名站所负责人", stations=ids.get("站所负责人", 0)),
            say(f"其他人员{ids.get('其他', 0)}人", others=ids.get("其他", 0))) if c is not None]
        who = "和".join(groups) if len(groups) == 2 else listing(groups)
        who = who or f"{s['law_report.total']}名干部"
        reports = say(f"{who}向{f.law_report_audience or o.party}{f.law_report_manner or '述法'}。",
                      law_report=s["law_report.total"])
        ten = s["publicity.ten_entries"]
        targets = [k for k, v in s["publicity.ten_entries.by_target"].items() if v]
        ten_text = say(f"开展法律知识{listing(targets)}活动{ten}场次。", ten_entries=ten)
        publicity = self._publicity()
        return self._items([
            Item("干部带头学法述法", [studies, reports]),
            Item("开展“法律十进”活动", [ten_text]),
            Item("多措并举广泛宣传" if (s["publicity.meetings"] > 0) + len(f.campaign_counts) > 1 else "开展法治宣传",
                 publicity),
            Item("培育法治人才", [self._talent()]),
            Item("聘请法律顾问" if f.counsels else "开展合法性审查" if s["counsel.reviews"] else "做好法律服务",
                 self._counsel()),
        ])

    def _publicity(self) -> list[Claim | None]:
        s, f = self.s, self.f
        meetings = s["publicity.meetings"]
        campaigns = s["publicity.campaigns"]
        kinds = [CAMPAIGN_PROSE[k] for k in f.campaign_counts if k in CAMPAIGN_PROSE]
        if len(kinds) > 1:
            campaign_text = f"通过{several(kinds, '形式')}开展法律宣传活动{campaigns}场次"
        elif kinds and len(f.campaign_counts) == 1:
            campaign_text = f"开展{kinds[0]}{campaigns}场次"
        else:
            campaign_text = f"开展法律宣传活动{campaigns}场次"
        topics = [book(t) if is_law(t) else t for t in s["publicity.laws.by_law"] if t != "其他"]
        materials = s["publicity.materials"]
        what = f"{several(topics, '')}" if topics else ""
        return [sentence(
            say(f"召开{'各类' if meetings > 1 else ''}普法宣传会议{meetings}场次", meetings=meetings),
            say(campaign_text, campaigns=campaigns),
            say(f"受众{numbers.approx(s['publicity.audience'], '余')}人次", audience=s["publicity.audience"]),
            say(f"向群众发放{what}宣传资料{numbers.approx(materials)}份", materials=materials),
            say(f"悬挂横幅{s['publicity.banners']}条", banners=s["publicity.banners"]),
            say(f"制作展板海报{s['publicity.boards']}块", boards=s["publicity.boards"]))]

    def _talent(self) -> Claim | None:
        s, f = self.s, self.f
        leaders, understanders, households = (s["talent.law_leaders"], s["talent.legal_understanders"],
                                              f.talent_households)
        roster = joined([say(f"学法带头人{leaders}名", law_leaders=leaders),
                         say(f"法律明白人{numbers.approx(understanders, '余')}人", understanders=understanders),
                         say(f"民主法治示范户{households}户", households=households)], "、")
        total, fresh = leaders + understanders + households, sum(f.talent_new.values())
        if roster is None:
            return None
        if fresh and fresh >= total:
            return prefixed(f"{self.year}年培养", roster, "。")
        return sentence(prefixed(f"全{self.o.place}现有", roster),
                        say(f"其中{self.year}年新培养{fresh}名", talent_new=fresh))

    def _counsel(self) -> list[Claim | None]:
        s, f = self.s, self.f
        counsels = f.counsels
        contract = None
        if counsels:
            firms = list(dict.fromkeys(c["firm"] for c in counsels))
            months = list(dict.fromkeys((c["signed_on"].year, c["signed_on"].month) for c in counsels))
            when = f"{months[0][0]}年{months[0][1]}月" if len(months) == 1 else ""
            contract = say(f"{when}与{listing(firms)}签订聘请协议，聘请{len(counsels)}名执业律师担任{self.government}法律顾问。",
                           counsel=len(counsels))
        services = prefixed("全年", joined(self._all(f.counsel_services, COUNSEL_SERVICE_PROSE), "、"), "。")
        reviews = s["counsel.reviews"]
        adoption = s["counsel.review_adoption"]
        adopted = round((adoption or 0) * reviews)
        handlers = [h for h in f.review_handlers if h]
        review = sentence(
            say(f"全年{'由' + listing(handlers) if handlers else ''}开展合法性审查{reviews}件", reviews=reviews),
            say("审查意见均被采纳" if reviews > 1 else "审查意见被采纳", adopted=adopted if adopted == reviews else 0),
            say(f"采纳审查意见{adopted}件", adopted=adopted if adopted < reviews else 0))
        return [contract, services, review]

    # -- 规范执法 -------------------------------------------------------------------------------------------------
    def enforcement_lead(self) -> str:
        return self._one(say("坚持严格规范公正文明执法。", cases=self.s["enforcement.cases"]))

    def enforcement(self) -> str:
        s, f = self.s, self.f
        cases, by_method = s["enforcement.cases"], s["enforcement.by_method"]
        ways = [m for m in FLEXIBLE_WAYS if by_method.get(m)]
        n_ways = sum(by_method.get(m, 0) for m in ways)
        parts = [(f"采取{several(ways, '柔性方式') if len(ways) > 1 else ways[0] + '方式'}办理", n_ways)] if ways else []
        parts += [(text, by_method.get(m, 0)) for m, text in (
            ("不予处罚（免罚清单）", "依照免罚清单对轻微违法行为不予处罚"), ("责令改正", "责令改正"),
            ("行政处罚", "作出行政处罚"), ("行政强制", "采取行政强制措施")) if by_method.get(m)]
        if len(parts) == 1 and parts[0][1] == cases:
            split = f"，{'均' if cases > 1 else ''}{parts[0][0]}"
        else:
            split = "：" + "，".join(f"{t}{n}件" for t, n in parts) if parts else ""
        flexible, penalties = s["enforcement.flexible"], s["enforcement.penalties"]
        manner = say("坚持教育与处罚相结合", flexible=flexible, penalties=penalties) or \
            say("坚持以教育引导为主", flexible=flexible if flexible * 2 > cases else 0)
        inspections = say(f"{'全年' if not cases else ''}开展行政检查{s['enforcement.inspections']}次。",
                          inspections=s["enforcement.inspections"])
        handled = joined([sentence(say(f"全年办理行政执法案件{cases}件{split}", cases=cases)), inspections,
                          sentence(manner)], "")
        done = [label for label, rate in (("全过程记录", s["enforcement.recorded_rate"]),
                                          ("执法公示", s["enforcement.publicized_rate"])) if rate == 1]
        procedure = sentence(
            say(f"{str(cases) + '件执法案件均' if cases > 1 else '执法案件'}做到{'和'.join(done)}", cases=len(done) and cases),
            say("重大执法决定均经法制审核", reviewed=s["enforcement.legal_review_rate"] == 1))
        service = prefixed("公共法律服务站点全年", joined(self._all(f.legal_services, LEGAL_SERVICE_PROSE), "、"), "。")
        review = sentence(*self._reviews(), sep="；")
        title = "做好法律服务和复议应诉" if service and review else "做好公共法律服务" if service else "依法做好复议应诉"
        return self._items([
            Item("推行柔性执法" if flexible else "依法开展行政执法" if cases else "依法开展行政检查", [handled]),
            Item("规范执法程序", [procedure]),
            Item(title, [service, review]),
        ])

    def _reviews(self) -> list[Claim | None]:
        out: list[Claim | None] = []
        for kind, results in self.f.review_outcomes.items():
            words = REVIEW_PROSE.get(kind, REVIEW_PROSE["行政复议"])
            n = sum(results.values())
            noun = f"{kind}案件"
            if len(results) == 1:
                one, every, _part = words.get(next(iter(results)), words["审理中"])
                out.append(say(f"{noun}{n}件，{one if n == 1 else every}", cases=n))
            else:
                mix = listing(f"{words.get(r, words['审理中'])[2]}{c}件" for r, c in results.items())
                out.append(say(f"{noun}{n}件，其中{mix}", cases=n))
        if self.f.lawsuits and self.f.lawsuits_attended == self.f.lawsuits:
            out.append(say("行政机关负责人均出庭应诉" if self.f.lawsuits > 1 else "行政机关负责人出庭应诉",
                           attended=self.f.lawsuits))
        return out

    # -- 整改 ------------------------------------------------------------------------------------------------------
    def rectification(self) -> str:
        s, f = self.s, self.f
        total, closed = s["rectification.total"], s["rectification.closed"]
        what = listing(SOURCE_PROSE[x] for x in f.rectification_sources if x in SOURCE_PROSE) or "问题"
        on = numbers.cn_date(self.ref_date)
        if closed == total:
            status = f"截至{on}，{'已全部销号' if total > 1 else '已销号'}"
        elif not closed:
            status = f"截至{on}，{'均在整改中' if total > 1 else '正在整改'}"
        else:
            status = f"截至{on}，已销号{closed}个，正在整改{total - closed}个"
        return self._one(joined([sentence(
            say(f"对照{listing(book(b) for b in f.rectification_batches)}", batches=len(f.rectification_batches)),
            say(f"{'逐条' if total > 1 else ''}认领{what}{total}个", rectification=total),
            say("建立问题台账，明确责任部门和整改时限，实行销号式管理", rectification=total)),
            sentence(say(status, rectification=total))], ""))

    # -- 矛盾纠纷 ---------------------------------------------------------------------------------------------------
    def disputes(self) -> str:
        s = self.s
        found, handled, resolved = s["disputes.found"], s["disputes.handled"], s["disputes.resolved"]
        risks = {k: v for k, v in s["disputes.by_risk"].items() if v}
        if len(risks) > 1:
            risk_text = "按“红、黄、绿”分类定级，" + "、".join(f"{k}色{v}件" for k, v in risks.items())
        else:
            risk_text = f"按“红、黄、绿”分类定级，{'均' if found > 1 else ''}定为{next(iter(risks), '')}色"
        done = ("均已调处" if found > 1 else "已调处") if handled == found else f"调处{handled}件"
        success = ("，均调解成功" if handled > 1 else "，调解成功") if resolved == handled else \
            f"，其中调解成功{resolved}件"
        return self._one(sentence(
            say(with_parts(f"{self.year}年共排查矛盾纠纷{found}件", found, s["disputes.by_category"], "件"), disputes=found),
            say(risk_text, risk=len(risks)),
            say(done + (success if resolved else ""), handled=handled), sep="；"))

    def disputes_next(self) -> str:
        cats = [k for k, v in self.s["disputes.by_category"].items() if v and k != "其他"]
        where = f"继续从{several(cats, '方面')}入手，" if cats else ""
        return (f"{where}坚持“红、黄、绿”分类定级、动态管理，做到小事不出{self.o.village}、大事不出{self.o.place}、矛盾不上交。"
                if self.s["disputes.found"] else "坚持经常性排查，做到发现一件、登记一件、化解一件。")

    # -- 第一责任人 -------------------------------------------------------------------------------------------------
    def first_duty(self) -> str:
        f, o = self.f, self.o
        main_names = {m["person"] for m in f.main_leaders}
        main_posts = {m["post"] for m in f.main_leaders} | set(f.group_posts.get("组长", []))

        def post_of(who: str) -> str:
            return f.group_people.get(who, who)

        def is_main(who: str) -> bool:
            post = post_of(who)
            return who in main_names or post in main_posts or post in MAIN_POSTS or post == o.head

        def by_post(counts: Mapping[str, int]) -> dict[str, int]:  # 王明 and 党委书记 are one person's count
            out: dict[str, int] = {}
            for who, n in counts.items():
                if is_main(who):
                    out[post_of(who)] = out.get(post_of(who), 0) + n
            return out

        hosted = [say(f"{post}主持召开法治建设专题会议{n}次", special_meetings=n)
                  for post, n in by_post(f.special_meeting_hosts).items()]
        taught = [say(f"{post}为{o.committee}理论学习中心组学法主讲{n}次", center_group=n)
                  for post, n in by_post(f.center_group_speakers).items()]
        leaders = f.main_leaders
        manners = {m["manner"] for m in leaders}
        named = list(dict.fromkeys(m["post"] for m in leaders))
        posts = "和".join(named) if len(named) == 2 else listing(named)
        # Whom they reported to is said under 学法普法 already; here only that they did.
        report = say(f"{posts}{'均' if len(leaders) > 1 else ''}已{next(iter(manners)) if len(manners) == 1 else '述法'}",
                     main_leaders=len(leaders))
        duties = joined([*hosted, *taught, report], "；")
        if duties is None:
            return (f"{self.year}年台账中没有党政主要负责人主持法治建设专题会议、为中心组学法主讲或述法的记录。")
        return self._one(prefixed("党政主要负责人履行推进法治建设第一责任人职责：", duties, "。"))

    # -- 存在问题 and 打算 ------------------------------------------------------------------------------------------
    def derived_problems(self) -> list[tuple[str, Claim]]:
        """存在的问题 the figures show, each with the records behind it and no cause (no ledger records one)."""
        s, f, year = self.s, self.f, self.year
        out: list[tuple[str, Claim | None]] = []
        cases = s["enforcement.cases"]
        missed = [say(f"{n}件{what}", missed=n) for n, what in (
            (cases - round((s["enforcement.recorded_rate"] or 0) * cases), "未做到全过程记录"),
            (cases - round((s["enforcement.publicized_rate"] or 0) * cases), "未进行执法公示"),
            (f.major_unreviewed, "重大执法决定未经法制审核"))]
        gaps = joined(missed, "、")
        if gaps is not None and cases > 1:
            out.append(("three_systems", prefixed(
                f"行政执法“三项制度”落实还不够到位。{year}年办理的{cases}件执法案件中，", gaps, "。")))
        elif gaps is not None and cases == 1:  # the one case: what it lacked, without counting to one
            out.append(("three_systems", prefixed(f"行政执法“三项制度”落实还不够到位。{year}年办理的1件执法案件",
                                                 joined([Claim(c.text.removeprefix("1件").replace(
                                                     "重大执法决定未经", "作为重大执法决定未经"), c.evidence)
                                                     for c in missed if c is not None], "、"), "。")))
        overdue = s["rectification.overdue"]
        out.append(("rectification_overdue", say(
            f"问题整改进度不够快。认领的{s['rectification.total']}个整改问题中，有{overdue}个超过整改时限仍未销号。"
            if s["rectification.total"] > 1 else "问题整改进度不够快。认领的1个整改问题超过整改时限仍未销号。",
            overdue=overdue)))
        found, handled = s["disputes.found"], s["disputes.handled"]
        open_, late = found - handled, f.disputes_overdue
        late_text = "" if not late else "，均已超过化解时限" if late == open_ > 1 else "，已超过化解时限"             if late == open_ else f"，其中{late}件已超过化解时限"
        out.append(("disputes_open", say(
            f"矛盾纠纷化解还有差距。{year}年排查的{found}件矛盾纠纷中，尚有{open_}件未调处完毕{late_text}。" if found > 1
            else f"矛盾纠纷化解还有差距。{year}年排查的1件矛盾纠纷尚未调处完毕{late_text}。", open_disputes=open_)))
        if not f.counsels:
            out.append(("no_counsel", Claim(
                f"法律顾问制度尚未落实。{year}年没有在聘的法律顾问，{self.government}的合法性审查和法律事务缺少执业律师参与。",
                (("no_counsel_contract", 1),))))
        suits, attended = f.lawsuits, f.lawsuits_attended
        absent = ("负责人未出庭应诉" if suits == 1 else "负责人均未出庭应诉") if not attended else \
            f"负责人出庭应诉{attended}件"
        out.append(("head_appearance", say(
            f"行政机关负责人出庭应诉还不到位。{suits}件行政诉讼案件中，{absent}。" if suits > 1 else
            f"行政机关负责人出庭应诉还不到位。1件行政诉讼案件{absent}。", lawsuits=suits if attended < suits else 0)))
        missing = [k for k in CORE_LEDGERS if k not in f.ledgers_with_records]
        if missing:
            names = listing(ledger(k).name for k in missing)
            text = (f"法治建设台账记录还不完整。{year}年各项法治建设台账均没有记录，全年工作没有形成台账资料。"
                    if not f.ledgers_with_records else f"法治建设台账记录还不完整。{year}年{names}没有记录。")
            out.append(("records_thin", Claim(text, (("ledgers_without_records", len(missing)),))))
        return [(k, c) for k, c in out if c is not None]

    def problems(self, own: Sequence[str]) -> str:
        """The clerk's problems when written; else the derived ones; else one honest sentence."""
        if own:
            return self._list(own, "是")
        derived = self.derived_problems()
        if not derived:
            return f"对照各项台账自查，{self.year}年未发现需要单独报告的问题。"
        self.claims += [c for _k, c in derived]
        return self._list([c.text for _k, c in derived], "是")

    def plans(self, own: Sequence[str]) -> str:
        """One 打算 per problem found, then the standing ones; the clerk's own plans when written."""
        if own:
            items = [p + self.disputes_next() if "矛盾纠纷" in p and p.rstrip("。").count("。") == 0
                     and p.endswith("。") else p for p in own]
            return self._list(items, "要", paragraphs=True)
        s, f = self.s, self.f
        keys = {k: c for k, c in self.derived_problems()}
        out = []
        if "three_systems" in keys:
            out.append("全面落实行政执法“三项制度”。抓好执法公示、执法全过程记录和重大执法决定法制审核，做到执法全程留痕、可回溯。")
        if "rectification_overdue" in keys:
            out.append(f"加快问题整改进度。对超过整改时限仍未销号的{s['rectification.overdue']}个问题逐项分析原因、明确措施和责任人，"
                       "限期销号。")
        if "disputes_open" in keys:
            out.append(f"抓好矛盾纠纷调处化解。对尚未调处完毕的{s['disputes.found'] - s['disputes.handled']}件纠纷落实包案责任，"
                       f"跟踪化解到位。{self.disputes_next()}")
        if "no_counsel" in keys:
            out.append(f"落实法律顾问制度。按规定聘请执业律师担任{self.government}法律顾问，参与重大行政决策、规范性文件和合同的"
                       "合法性审查。")
        if "head_appearance" in keys:
            out.append("落实行政机关负责人出庭应诉制度。行政诉讼案件由负责人出庭应诉，不能出庭的依法委托相应工作人员。")
        if "records_thin" in keys:
            missing = [k for k in CORE_LEDGERS if k not in f.ledgers_with_records]
            out.append(f"健全法治建设台账。对{listing(ledger(k).name.removesuffix('台账') for k in missing)}等工作随时登记、"
                       "及时归档，做到有据可查。" if len(missing) > 1 else
                       f"健全法治建设台账。对{ledger(missing[0]).name.removesuffix('台账')}工作随时登记、及时归档，做到有据可查。")
        publicity = "publicity" in f.ledgers_with_records
        out.append(f"{'持续' if publicity else ''}加大普法宣传力度。创新普法宣传载体，用好集日、会议、入户走访和微信群等渠道，"
                   "深入开展“法律十进”活动。")
        if "disputes_open" not in keys and s["disputes.found"]:
            out.append(f"扎实做好矛盾纠纷排查化解。{self.disputes_next()}")
        if "three_systems" not in keys and s["enforcement.cases"]:
            out.append("持续规范行政执法。坚持执法公示、执法全过程记录和重大执法决定法制审核制度，推行柔性执法。")
        return self._list(out, "要", paragraphs=True)

    @staticmethod
    def _list(items: Sequence[str], suffix: str, paragraphs: bool = False) -> str:
        """一是… 二是…, or the single item alone; 打算 are one paragraph each."""
        items = [ended(i) for i in items if i and i.strip()]
        if len(items) == 1:
            return items[0]
        parts = [f"{numbers.chinese(n)}{suffix}{i}" for n, i in enumerate(items, 1)]
        return "\n\n".join(parts) if paragraphs else "".join(parts)
