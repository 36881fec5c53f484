"""The ledgers of ``spec/ledgers.md``, declared once.

Everything else — tables, forms, list columns, Excel sheets, statistics filters — reads these declarations.
Field keys are stable identifiers (database columns, workbook metadata, data packages); labels are what users see.
"""

from __future__ import annotations

from fazhi_desktop.domain.fields import (
    CAPTION_PEOPLE,
    CAPTION_PLACE,
    Field,
    Ledger,
    Material,
    MinorWarning,
    NotBefore,
    PatternWarning,
    RequiredWhen,
    RequireTrueWhen,
)
from fazhi_desktop.domain.fields import (
    FieldType as T,
)
from fazhi_desktop.domain.periods import Period

# Appended to every ledger: the spec gives every record a 备注.
REMARKS = Field("remarks", "备注", T.LONGTEXT)


def _ledger(*, fields: tuple[Field, ...], **kw) -> Ledger:
    return Ledger(fields=(*fields, REMARKS), **kw)


MEETING = _ledger(
    key="meeting",
    file_title="{kind}：{title}",
    evidence=True,
    name="会议台账",
    group="组织领导",
    year_from="date",
    title_field="title",
    fields=(
        Field("date", "日期", T.DATE, required=True),
        Field("kind", "会议类型", T.CHOICE, required=True,
              choices=("法治建设专题会议", "党委会议研究法治工作", "法治建设领导小组会议", "联席会议", "其他")),
        Field("title", "会议名称/议题", T.TEXT, required=True),
        Field("place", "地点", T.TEXT, caption=CAPTION_PLACE),
        Field("host", "主持人", T.TEXT, caption=CAPTION_PEOPLE),
        Field("attendees", "参会人数", T.INT, usual_max=2_000),
        Field("issues_resolved", "研究解决问题数", T.INT, usual_max=200),
        Field("decisions", "形成决定", T.LONGTEXT),
        Field("recorder", "记录人", T.TEXT),
    ),
)

DOCUMENT = _ledger(
    key="document",
    file_title="{title}",
    retention="永久",
    name="制度文件台账",
    group="组织领导",
    year_from="date",
    title_field="title",
    fields=(
        Field("date", "印发日期", T.DATE, required=True),
        Field("title", "文件名称", T.TEXT, required=True),
        Field("doc_no", "文号", T.TEXT, help="例如 肖发〔2023〕3号"),
        Field("kind", "文件类型", T.CHOICE, required=True,
              choices=("实施方案", "工作计划", "工作要点", "议事规则", "工作细则", "制度", "责任清单", "其他")),
    ),
    rules=(PatternWarning("doc_no", r"^[^\[\]()（）【】]*〔\d{4}〕[^\[\]()（）【】]*$",
                          "文号中的年份应使用六角括号〔〕，例如 肖发〔2023〕3号"),),
)

LEADING_GROUP = _ledger(
    key="leading_group",
    one_piece=True,
    name="领导小组成员名册",
    group="组织领导",
    year_from="year",
    title_field="name",
    sheet_order="role",
    fields=(
        Field("year", "年度", T.YEAR, required=True),
        Field("name", "姓名", T.TEXT, required=True),
        Field("post", "职务", T.TEXT, required=True),
        # In the order a roster lists them (report, sheets and sorting follow it).
        Field("role", "小组职务", T.CHOICE, required=True, choices=("组长", "副组长", "办公室主任", "联络员", "成员")),
        Field("employer", "所在单位", T.TEXT),
        Field("phone", "联系电话", T.PHONE),
    ),
)

FACILITY = _ledger(
    key="facility",
    one_piece=True,
    retention="10年",
    evidence=True,
    name="法治阵地台账",
    group="组织领导",
    year_from="built_on",
    title_field="name",
    in_force=True,
    fields=(
        Field("name", "名称", T.TEXT, required=True),
        Field("kind", "类型", T.CHOICE, required=True,
              choices=("综治中心", "矛盾纠纷调解室", "心理咨询室", "法律服务室", "群众接待窗口", "村公共法律服务工作室",
                       "乡贤调解工作室", "普法宣传阵地", "其他")),
        Field("level", "层级", T.CHOICE, required=True, choices=("镇级", "村级")),
        Field("village", "所在村", T.VILLAGE, caption=CAPTION_PLACE),
        Field("built_on", "建成日期", T.DATE),
        Field("in_use", "在用", T.BOOL, default=True),
    ),
    rules=(RequiredWhen("village", "level", ("村级",)),),
)

STUDY = _ledger(
    key="study",
    file_title="{form}：{content}",
    retention="10年",
    evidence=True,
    name="学法台账",
    group="学法述法",
    year_from="date",
    title_field="content",
    fields=(
        Field("date", "日期", T.DATE, required=True),
        Field("form", "学法形式", T.CHOICE, required=True,
              choices=("党委理论学习中心组学法", "会前学法", "干部群众共同学法", "法治专题培训", "法律知识考试", "旁听庭审", "其他")),
        Field("occasion", "依托会议", T.TEXT, help="例如 镇村组三级干部会、护林防火会、安全生产会、产业培训会"),
        Field("content", "学习内容（法律法规）", T.LONGTEXT, required=True),
        Field("place", "地点", T.TEXT, caption=CAPTION_PLACE),
        Field("speaker", "主讲人", T.TEXT, caption=CAPTION_PEOPLE),
        Field("participants", "参加人数", T.INT, usual_max=2_000),
        Field("hours", "学时", T.INT, usual_max=200),
    ),
)

LAW_REPORT = _ledger(
    key="law_report",
    file_title="述法材料：{post}（{manner}）",
    evidence=True,
    name="述法台账",
    group="学法述法",
    year_from="year",
    title_field="person",
    fields=(
        Field("year", "年度", T.YEAR, required=True),
        Field("person", "述法人", T.TEXT, required=True, caption=CAPTION_PEOPLE),
        Field("post", "职务", T.TEXT, required=True),
        Field("identity", "身份", T.CHOICE, required=True,
              choices=("党政主要负责人", "班子成员", "村党组织书记", "站所负责人", "其他")),
        Field("village", "所在村", T.VILLAGE, caption=CAPTION_PLACE),
        Field("date", "述法日期", T.DATE),
        Field("manner", "述法方式", T.CHOICE, required=True, choices=("书面述法", "会议述法")),
        # No default: 镇党委 is wrong for a 乡 or a 街道; the report names the unit's own 党委/党工委 when it is empty.
        Field("audience", "述法对象", T.TEXT, help="例如 镇党委、县委依法治县办；不填则报告写本级党委"),
        Field("evaluation", "评议结果", T.TEXT),
    ),
)

TEN_ENTRIES = "法律十进"
# A 宣传主题 that names a law or regulation (宪法, 森林防火条例…) — 扫黑除恶 or 其他 name a campaign, not a 法律法规.
LAW_SUFFIXES = ("宪法", "法", "法典", "条例", "规定", "办法", "规则")


def is_law(topic: str) -> bool:
    return topic != "其他" and topic.endswith(LAW_SUFFIXES)
PUBLICITY = _ledger(
    key="publicity",
    file_title="{kind}：{topics}",
    retention="10年",
    evidence=True,
    name="普法宣传活动台账",
    group="普法宣传",
    year_from="date",
    title_field="place",
    fields=(
        Field("date", "日期", T.DATE, required=True),
        Field("kind", "活动类型", T.CHOICE, required=True,
              choices=(TEN_ENTRIES, "普法宣传会议", "集日宣传", "宪法宣传周", "主题宣传日", "法治讲座", "特殊群体普法", "线上宣传", "其他")),
        Field("target", "进入对象", T.CHOICE,
              choices=("进机关", "进乡村", "进社区", "进学校", "进企业", "进单位", "进宗教场所", "进网络", "进家庭", "进军营")),
        Field("place", "地点/村", T.TEXT, required=True, caption=CAPTION_PLACE),
        Field("topics", "宣传主题（法律法规）", T.MULTICHOICE,
              choices=("宪法", "民法典", "反有组织犯罪法", "社区矫正法", "反电信网络诈骗法", "禁毒法", "道路交通安全法",
                       "食品安全法", "药品管理法", "扫黑除恶", "安全生产法", "森林法", "其他")),
        Field("organizer", "组织单位", T.TEXT, caption=CAPTION_PEOPLE),
        Field("audience", "受众人次", T.INT, usual_max=100_000),
        Field("materials", "发放资料（份）", T.INT, usual_max=100_000),
        Field("banners", "悬挂横幅（条）", T.INT, usual_max=1_000),
        Field("boards", "展板海报（块）", T.INT, usual_max=1_000),
        Field("consultations", "现场咨询（人次）", T.INT, usual_max=10_000),
    ),
    rules=(RequiredWhen("target", "kind", (TEN_ENTRIES,)),),
)

LEGAL_TALENT = _ledger(
    key="legal_talent",
    one_piece=True,
    retention="10年",
    name="法治人才名册",
    group="法治人才",
    year_from="year",
    title_field="name",
    in_force=True,
    fields=(
        Field("year", "登记年度", T.YEAR, required=True),
        Field("name", "姓名", T.TEXT, required=True, private_name=True),
        Field("gender", "性别", T.CHOICE, choices=("男", "女")),
        Field("village", "所在村", T.VILLAGE, required=True),
        Field("category", "类别", T.CHOICE, required=True, choices=("学法带头人", "法律明白人", "民主法治示范户")),
        Field("identity", "身份", T.CHOICE, choices=("村干部", "党员", "网格员", "群众", "其他")),
        Field("phone", "联系电话", T.PHONE),
        Field("id_number", "身份证号", T.IDCARD),
        Field("trainings", "培训次数", T.INT, usual_max=100),
        # Not in the spec: without it a person who leaves could only be deleted, erasing them from earlier years too.
        Field("left_year", "退出年度", T.YEAR, help="不再担任时填写；该年度起不再统计"),
    ),
)

COUNSEL = _ledger(
    key="counsel",
    file_title="法律顾问聘用合同：{firm}",
    name="法律顾问台账",
    group="法律顾问",
    activity=False,
    period=Period("service_from", "signed_on", "service_to"),
    year_from="signed_on",
    title_field="name",
    fields=(
        Field("name", "顾问姓名", T.TEXT, required=True),
        Field("firm", "律师事务所", T.TEXT, required=True),
        Field("license_no", "执业证号", T.TEXT),
        Field("signed_on", "签约日期", T.DATE, required=True),
        Field("service_from", "服务起始", T.DATE),
        Field("service_to", "服务截止", T.DATE),
        Field("fee", "费用", T.MONEY),
        Field("scope", "服务范围", T.LONGTEXT),
    ),
    rules=(NotBefore("service_to", "service_from"),),
)

REVIEW_KINDS = ("重大行政决策合法性审查", "规范性文件合法性审查", "合同审查", "重大执法决定法制审核")
COUNSEL_SERVICE = _ledger(
    key="counsel_service",
    file_title="{kind}：{title}",
    name="合法性审查与法律服务台账",
    group="法律顾问",
    year_from="date",
    title_field="title",
    fields=(
        Field("date", "日期", T.DATE, required=True),
        Field("kind", "事项类型", T.CHOICE, required=True,
              choices=(*REVIEW_KINDS, "法律咨询", "参与信访接待", "法治讲座", "其他")),
        Field("title", "事项名称", T.TEXT, required=True),
        Field("department", "提交部门", T.TEXT),
        Field("opinion", "审查/服务意见", T.LONGTEXT),
        Field("adopted", "意见是否采纳", T.BOOL),
        Field("handler", "经办人", T.TEXT),
        Field("completed_on", "审查完成日期", T.DATE,
              help="出具审查意见的日期；未填时，待办按审查期限（15个工作日）提醒"),
        Field("extension_days", "延长审查期限（工作日）", T.INT, printed=False,
              help="这件审查经批准延长的工作日数；未填时按“设置 → 待办期限”中的可延长天数"),
    ),
    rules=(NotBefore("completed_on", "date"),),
)

# 柔性执法: guidance instead of punishment. 责令改正 is not one of them: the law requires it alongside a penalty.
# A decision taken further (行政执法, 政府信息公开): "无", or the way it went
NO_APPEAL, APPEALED = "无", ("行政复议", "行政诉讼")
PENDING = "审理中"  # a 复议/诉讼 not decided yet
REVIEW_LOST = ("撤销", "确认违法", "败诉")  # results of a 复议/诉讼 that correct the township's act (被纠错)
FLEXIBLE_METHODS = ("行政指导", "行政告诫", "行政建议", "不予处罚（免罚清单）")
# A 行政检查 is an inspection, not a case: it counts on its own.
INSPECTION = "行政检查"
ENFORCEMENT = _ledger(
    key="enforcement",
    materials=(Material("行政处罚决定书", (("method", ("行政处罚",)),)),),
    file_title="{domain}领域{method}案件",
    name="行政执法台账",
    group="行政执法",
    year_from="date",
    title_field="party",
    fields=(
        Field("date", "日期", T.DATE, required=True),
        Field("case_no", "案号", T.TEXT),
        Field("domain", "执法领域", T.CHOICE, required=True,
              choices=("安全生产", "自然资源", "生态环境", "农业农村", "市场监管", "城乡建设", "林业草原", "交通运输", "卫生健康",
                       "文化旅游", "其他")),
        Field("party", "当事人", T.TEXT, required=True, private_name=True),
        Field("party_id", "当事人身份证号", T.IDCARD, printed=False, help="当事人是自然人时填写；未满十四周岁的会提示"),
        Field("facts", "违法事实/事由", T.LONGTEXT, required=True),
        Field("method", "处理方式", T.CHOICE, required=True,
              choices=(*FLEXIBLE_METHODS[:3], "责令改正", FLEXIBLE_METHODS[3], "行政处罚", "行政强制", INSPECTION)),
        Field("fine", "罚没金额", T.MONEY),
        Field("officers", "执法人员及证号", T.TEXT),
        Field("id_shown", "亮证执法", T.BOOL),
        Field("recorded", "全过程记录", T.BOOL),
        Field("publicized", "执法公示", T.BOOL),
        Field("major", "重大执法决定", T.BOOL),
        Field("legal_review", "法制审核", T.BOOL),
        Field("filed_on", "立案日期", T.DATE, help="行政处罚案件的立案日期：自立案之日起九十日内作出处罚决定（行政处罚法第六十条）"),
        Field("extended_days", "批准延长（日）", T.INT, printed=False,
              help="依法经批准延长作出处罚决定期限的天数（法律、法规、规章另有规定的，行政处罚法第六十条）"),
        Field("suspended_days", "不计入期限（日）", T.INT, printed=False,
              help="听证、检测、检验、鉴定、公告等依法不计入办案期限的天数"),
        Field("hearing_told_on", "告知听证权利日期", T.DATE, printed=False,
              help="当事人要求听证的，应当在告知后5个工作日内提出（行政处罚法第六十四条）；期满前不宜作出决定"),
        Field("closed_on", "办结日期", T.DATE),
        Field("served_on", "决定书送达日期", T.DATE, printed=False,
              help="当事人不在场的，宣告后7个工作日内送达（行政处罚法第六十一条）"),
        Field("urged_on", "催告书送达日期", T.DATE, printed=False,
              help="当事人不履行决定的：催告书送达10个工作日后仍未履行的，可申请法院强制执行（行政强制法第五十四条）"),
        Field("appeal_expires_on", "复议诉讼期限届满日期", T.DATE, printed=False,
              help="当事人申请复议、提起诉讼的期限届满之日：起三个月内申请法院强制执行（行政强制法第五十三条）"),
        Field("court_applied_on", "申请法院强制执行日期", T.DATE, printed=False),
        Field("appeal", "复议诉讼", T.CHOICE, choices=(NO_APPEAL, *APPEALED), default=NO_APPEAL),
    ),
    rules=(
        RequireTrueWhen("legal_review", "major", "重大执法决定应当经过法制审核后再作出"),
        NotBefore("closed_on", "date"),
        MinorWarning("party_id", "date", "当事人是未成年人（{age}岁，未满十四周岁），请注意保护其个人信息和隐私",
                     when="method", values=("行政处罚",),
                     special="当事人未满十四周岁（{age}岁），依法不予行政处罚，应责令监护人加以管教（行政处罚法第三十条）"),
    ),
)

CLOSED_DISPUTE_STATES = ("调解成功", "调解不成", "已移交")
PETITION = "信访事项"  # a dispute that came as 信访: the 信访 time limits apply
DISPUTE_COMPLEXITY = ("简单", "一般", "复杂")
DISPUTE = _ledger(
    key="dispute",
    materials=(Material("调解协议书", (("status", ("调解成功",)), ("resolution", ("调解协议", None)))),),
    file_title="矛盾纠纷调处：{village}{category}",
    retention="10年",
    name="矛盾纠纷排查调处台账",
    group="矛盾纠纷",
    year_from="date",
    title_field="parties",
    fields=(
        Field("date", "排查日期", T.DATE, required=True),
        Field("source", "来源", T.CHOICE, required=True,
              choices=("排查发现", "群众来访", "网格上报", "上级转办", PETITION, "其他"),
              help=f"「{PETITION}」：按信访的办理时限提醒（15日内告知是否受理，受理后60日内办结）"),
        Field("village", "所在村", T.VILLAGE, required=True, caption=CAPTION_PLACE),
        Field("category", "纠纷类别", T.CHOICE, required=True,
              choices=("婚姻家庭", "土地纠纷", "邻里关系", "民间借贷", "经济利益", "劳资纠纷", "山林权属", "征地拆迁", "其他")),
        Field("parties", "当事人", T.TEXT, required=True, private_name=True),
        Field("party_id", "当事人身份证号", T.IDCARD, printed=False, help="需要核实身份时填写；未满十四周岁的会提示"),
        Field("summary", "简要情况", T.LONGTEXT, required=True),
        Field("risk", "风险等级", T.CHOICE, required=True, choices=("红", "黄", "绿"), extendable=False),
        Field("complexity", "难易程度", T.CHOICE, choices=DISPUTE_COMPLEXITY, extendable=False, printed=False,
              help="待办按它提醒化解时限（简单1日、一般7日、复杂20日，设置中可改）；登记了化解时限的以化解时限为准"),
        Field("leader", "包案领导", T.TEXT),
        Field("mediator", "调解员/责任人", T.TEXT, caption=CAPTION_PEOPLE),
        Field("measures", "化解措施", T.LONGTEXT),
        Field("deadline", "化解时限", T.DATE),
        Field("status", "状态", T.CHOICE, required=True, choices=("排查登记", "调处中", *CLOSED_DISPUTE_STATES),
              extendable=False),
        Field("resolution", "化解方式", T.CHOICE, choices=("调解协议", "口头协议", "引导诉讼", "转信访", "其他")),
        Field("closed_on", "办结日期", T.DATE),
        Field("revisit_on", "回访日期", T.DATE),
        Field("petition_accepted_on", "信访受理日期", T.DATE, printed=False,
              help=f"来源为「{PETITION}」的：告知受理的日期，办结时限自此起算"),
        Field("petition_extended_days", "信访延长办理（日）", T.INT, printed=False, usual_max=30,
              help="情况复杂、经负责人批准延长的天数（不超过30日）"),
    ),
    rules=(
        RequiredWhen("closed_on", "status", CLOSED_DISPUTE_STATES),
        NotBefore("petition_accepted_on", "date"),
        NotBefore("closed_on", "date"),
        NotBefore("revisit_on", "closed_on"),
        MinorWarning("party_id", "date", "当事人是未成年人（{age}岁，未满十四周岁），调处时应通知监护人到场，"
                     "并保护其个人信息和隐私（未成年人保护法）"),
    ),
)

RECTIFICATION = _ledger(
    key="rectification",
    file_title="整改问题：{problem}",
    name="整改问题台账",
    group="整改台账",
    year_from="assigned_on",
    title_field="problem",
    fields=(
        Field("source", "问题来源", T.CHOICE, required=True, choices=("司法部反馈问题", "上级督察", "考核评价", "自查发现", "其他")),
        Field("batch", "批次/文件", T.TEXT),
        # Not in the spec: the ledger needs a main date to belong to a year; 整改时限 often falls in the next year.
        Field("assigned_on", "交办日期", T.DATE, required=True, help="问题交办或认领的日期，决定所属年度"),
        Field("problem", "问题描述", T.LONGTEXT, required=True),
        Field("measures", "整改措施", T.LONGTEXT, required=True),
        Field("department", "责任部门", T.TEXT, required=True),
        Field("person", "责任人", T.TEXT),
        Field("deadline", "整改时限", T.DATE, required=True),
        Field("status", "状态", T.CHOICE, required=True, choices=("整改中", "已销号"), default="整改中",
              extendable=False),
        Field("closed_on", "销号日期", T.DATE),
    ),
    rules=(RequiredWhen("closed_on", "status", ("已销号",)), NotBefore("closed_on", "assigned_on")),
)

LEGAL_SERVICE = _ledger(
    key="legal_service",
    file_title="{kind}：{matter}",
    retention="10年",
    evidence=True,
    name="公共法律服务台账",
    group="公共法律服务",
    year_from="date",
    title_field="matter",
    fields=(
        Field("date", "日期", T.DATE, required=True),
        Field("station", "服务站点", T.TEXT, required=True, help="镇公共法律服务工作站，或某村公共法律服务工作室", caption=CAPTION_PLACE),
        Field("kind", "服务类型", T.CHOICE, required=True,
              choices=("法律咨询", "法律援助转介", "人民调解", "公证引导", "代写文书", "其他")),
        Field("client", "服务对象", T.TEXT, private_name=True),
        Field("matter", "事项", T.TEXT, required=True),
        Field("provider", "提供人", T.TEXT, caption=CAPTION_PEOPLE),
        Field("result", "结果", T.TEXT),
    ),
)

REVIEW_LITIGATION = _ledger(
    key="review_litigation",
    file_title="{kind}案件：{act}",
    name="行政复议与应诉台账",
    group="复议应诉",
    year_from="date",
    title_field="applicant",
    fields=(
        Field("date", "收案日期", T.DATE, required=True),
        Field("case_no", "案号", T.TEXT),
        Field("kind", "类型", T.CHOICE, required=True, choices=("行政复议", "行政诉讼")),
        Field("served_on", "收到副本日期", T.DATE,
              help="收到起诉状副本（诉讼：15日内答辩）或复议申请书副本（复议：10日内书面答复）的日期"),
        Field("answered_on", "答辩/答复日期", T.DATE, help="提交答辩状或书面答复的日期"),
        Field("simple", "简易程序", T.BOOL, printed=False,
              help="行政复议适用简易程序的：5个工作日内书面答复（行政复议法第五十四条，2024年起）"),
        Field("applicant", "申请人/原告", T.TEXT, required=True, private_name=True),
        Field("act", "被复议/被诉行为", T.TEXT, required=True),
        Field("head_appeared", "负责人出庭", T.BOOL),
        Field("head_name", "出庭负责人", T.TEXT),
        Field("result", "结果", T.CHOICE,
              choices=(PENDING, "维持", "驳回", *REVIEW_LOST[:2], "撤回/撤诉", "调解", REVIEW_LOST[2])),
    ),
)

DISCLOSURE_RESULTS = ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理")
CORRECTED = "纠正"  # a 复议/诉讼 result that corrected the answer (被纠错)
DISCLOSURE = _ledger(
    key="disclosure",
    file_title="政府信息公开申请答复：{content}",
    name="政府信息公开申请台账",
    group="信息公开",
    year_from="date",
    title_field="content",
    fields=(
        Field("date", "收到申请日期", T.DATE, required=True,
              help="当面提交的为提交之日，邮寄的为签收之日，网络提交的为确认之日（政府信息公开条例第三十一条）"),
        Field("applicant", "申请人", T.TEXT, required=True, private_name=True),
        Field("form", "申请方式", T.CHOICE, choices=("当面", "信函", "网络", "传真", "其他")),
        Field("content", "申请公开的信息", T.TEXT, required=True),
        Field("correction_told_on", "告知补正日期", T.DATE, printed=False,
              help="申请内容不明确的，收到申请之日起7个工作日内一次性告知补正（第三十条）"),
        Field("corrected_on", "收到补正日期", T.DATE, printed=False, help="答复期限自收到补正的申请之日起计算"),
        Field("consulted_on", "征求第三方意见日期", T.DATE, printed=False,
              help="书面征求第三方意见的，第三方15个工作日内提出意见（第三十二条）"),
        Field("consult_days", "征求意见用时（工作日）", T.INT, printed=False,
              help="征求第三方和其他机关意见所需时间，不计算在答复期限内（第三十三条）"),
        Field("extended_days", "延长答复（工作日）", T.INT, printed=False, usual_max=20,
              help="经政府信息公开工作机构负责人同意并告知申请人的延长，最长20个工作日（第三十三条）"),
        Field("answered_on", "答复日期", T.DATE),
        Field("result", "答复结果", T.CHOICE, choices=DISCLOSURE_RESULTS, extendable=False),
        Field("appeal", "复议诉讼", T.CHOICE, choices=(NO_APPEAL, *APPEALED), default=NO_APPEAL, extendable=False),
        Field("appeal_result", "复议诉讼结果", T.CHOICE, choices=(PENDING, "维持", CORRECTED, "驳回", "撤回/撤诉", "其他"),
              extendable=False),
    ),
    rules=(
        NotBefore("answered_on", "date"),
        NotBefore("correction_told_on", "date"),
        NotBefore("corrected_on", "date"),
        NotBefore("consulted_on", "date"),
    ),
)

LEDGERS: tuple[Ledger, ...] = (
    MEETING, DOCUMENT, LEADING_GROUP, FACILITY, STUDY, LAW_REPORT, PUBLICITY, LEGAL_TALENT, COUNSEL, COUNSEL_SERVICE,
    ENFORCEMENT, DISPUTE, RECTIFICATION, LEGAL_SERVICE, REVIEW_LITIGATION, DISCLOSURE,
)
_BY_KEY = {ledger.key: ledger for ledger in LEDGERS}


def ledger(key: str) -> Ledger:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown ledger {key!r}") from None


def ledger_named(name: str) -> Ledger:
    """A ledger by the name a clerk types (矛盾纠纷排查调处台账, or without 台账) or by its key."""
    from fazhi_desktop.domain.errors import UserError

    wanted = name.strip()
    for candidate in LEDGERS:
        if wanted in (candidate.key, candidate.name, candidate.name.removesuffix("台账")):
            return candidate
    raise UserError(f"没有名为「{wanted}」的台账，可选：{'、'.join(x.name for x in LEDGERS)}")


# Tab groups, in the order a township office thinks of its work (each ledger declares its ``group``).
GROUPS = ("组织领导", "学法述法", "普法宣传", "法治人才", "法律顾问", "行政执法", "矛盾纠纷", "整改台账", "公共法律服务",
          "复议应诉", "信息公开")
