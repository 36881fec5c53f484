"""The indicators of ``spec/indicators.md``: key, category, label, unit and kind, declared once. ``services.stats``
computes them; the report, the statistics workbook, the overview and the command line show them by these labels."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    key: str
    category: str
    label: str
    unit: str
    kind: str = "count"  # count | rate | breakdown


# The fields the statistics count in each ledger, beside its unit, deleted flag and year. Each ledger's
# (unit, deleted, year) index carries them (storage.schema), so every statistics statement is answered from the index
# alone: at a million records, reading the rows behind the index cost four times the counting (#38). A test checks
# that the statements read no other column and that SQLite plans each as a covering-index search.
COUNTED: dict[str, tuple[str, ...]] = {
    "meeting": ("kind", "issues_resolved"),
    "facility": ("kind", "in_use"),
    "study": ("form", "participants"),
    "law_report": ("identity",),
    "publicity": ("kind", "target", "topics", "audience", "materials", "banners", "boards"),
    "legal_talent": ("category", "left_year"),
    "counsel": ("service_from", "signed_on", "service_to"),
    "counsel_service": ("kind", "adopted"),
    "enforcement": ("method", "recorded", "publicized", "major", "legal_review"),
    "dispute": ("status", "category", "risk"),
    "rectification": ("status", "deadline"),
    "legal_service": ("kind",),
    "review_litigation": ("kind", "head_appeared"),
    "disclosure": ("answered_on", "appeal", "appeal_result", "date", "corrected_on", "consult_days", "extended_days"),
}

INDICATORS: tuple[Indicator, ...] = (
    Indicator("org.special_meetings", "组织领导", "法治建设专题会议", "次"),
    Indicator("org.meetings_total", "组织领导", "研究法治工作会议合计", "次"),
    Indicator("org.issues_resolved", "组织领导", "研究解决问题", "项"),
    Indicator("org.documents", "组织领导", "制度文件", "份"),
    Indicator("org.leading_group_members", "组织领导", "领导小组成员", "人"),
    Indicator("org.facilities", "组织领导", "法治阵地", "个"),
    Indicator("org.facilities.by_kind", "组织领导", "法治阵地（分类）", "个", "breakdown"),
    Indicator("study.center_group", "学法述法", "党委理论学习中心组学法", "次"),
    Indicator("study.joint", "学法述法", "干部群众共同学法", "次"),
    Indicator("study.pre_meeting", "学法述法", "会前学法", "次"),
    Indicator("study.total", "学法述法", "学法合计", "次"),
    Indicator("study.participants", "学法述法", "学法参加", "人次"),
    Indicator("law_report.leaders", "学法述法", "班子成员述法", "人"),
    Indicator("law_report.village_secretaries", "学法述法", "村党组织书记述法", "人"),
    Indicator("law_report.total", "学法述法", "述法合计", "人"),
    Indicator("publicity.ten_entries", "普法宣传", "法律十进活动", "场次"),
    Indicator("publicity.ten_entries.by_target", "普法宣传", "法律十进（分对象）", "场次", "breakdown"),
    Indicator("publicity.by_kind", "普法宣传", "普法宣传（分活动类型）", "场次", "breakdown"),
    Indicator("publicity.meetings", "普法宣传", "普法宣传会议", "场次"),
    Indicator("publicity.campaigns", "普法宣传", "法律宣传活动", "场次"),
    Indicator("publicity.audience", "普法宣传", "受众", "人次"),
    Indicator("publicity.materials", "普法宣传", "发放宣传资料", "份"),
    Indicator("publicity.banners", "普法宣传", "悬挂横幅", "条"),
    Indicator("publicity.boards", "普法宣传", "展板海报", "块"),
    Indicator("publicity.laws", "普法宣传", "宣传涉及法律法规", "部"),
    Indicator("publicity.laws.by_law", "普法宣传", "宣传主题（分主题）", "场次", "breakdown"),
    Indicator("talent.law_leaders", "法治人才", "学法带头人", "名"),
    Indicator("talent.legal_understanders", "法治人才", "法律明白人", "人"),
    Indicator("counsel.count", "法律顾问", "法律顾问", "名"),
    Indicator("counsel.reviews", "法律顾问", "合法性审查", "件"),
    Indicator("counsel.review_adoption", "法律顾问", "审查意见采纳率", "%", "rate"),
    Indicator("enforcement.cases", "行政执法", "行政执法案件（不含行政检查）", "件"),
    Indicator("enforcement.inspections", "行政执法", "行政检查", "次"),
    Indicator("enforcement.flexible", "行政执法", "柔性执法（指导/告诫/建议/免罚）", "件"),
    Indicator("enforcement.by_method", "行政执法", "行政执法（分处理方式）", "件", "breakdown"),
    Indicator("enforcement.penalties", "行政执法", "行政处罚", "件"),
    Indicator("enforcement.recorded_rate", "行政执法", "全过程记录率", "%", "rate"),
    Indicator("enforcement.publicized_rate", "行政执法", "执法公示率", "%", "rate"),
    Indicator("enforcement.legal_review_rate", "行政执法", "重大执法决定法制审核率", "%", "rate"),
    Indicator("disputes.found", "矛盾纠纷", "排查矛盾纠纷", "件"),
    Indicator("disputes.handled", "矛盾纠纷", "调处", "件"),
    Indicator("disputes.resolved", "矛盾纠纷", "调解成功", "件"),
    Indicator("disputes.handled_rate", "矛盾纠纷", "调处率", "%", "rate"),
    Indicator("disputes.success_rate", "矛盾纠纷", "调解成功率", "%", "rate"),
    Indicator("disputes.by_category", "矛盾纠纷", "矛盾纠纷（分类别）", "件", "breakdown"),
    Indicator("disputes.by_risk", "矛盾纠纷", "矛盾纠纷（红/黄/绿）", "件", "breakdown"),
    Indicator("disputes.by_status", "矛盾纠纷", "矛盾纠纷（分状态）", "件", "breakdown"),
    Indicator("rectification.total", "整改落实", "整改问题", "个"),
    Indicator("rectification.closed", "整改落实", "已销号", "个"),
    Indicator("rectification.overdue", "整改落实", "逾期未销号", "个"),
    Indicator("legal_service.consultations", "公共法律服务", "法律咨询", "人次"),
    Indicator("review.cases", "复议应诉", "行政复议/诉讼案件", "件"),
    Indicator("review.head_appearance_rate", "复议应诉", "负责人出庭应诉率", "%", "rate"),
    # labels are placeholders of a unit's own outline too ({信息公开申请}): each names its subject
    Indicator("disclosure.requests", "政府信息公开", "信息公开申请", "件"),
    Indicator("disclosure.answered", "政府信息公开", "信息公开已答复", "件"),
    Indicator("disclosure.on_time", "政府信息公开", "信息公开按时答复", "件"),
    Indicator("disclosure.on_time_rate", "政府信息公开", "信息公开按时答复率", "%", "rate"),
    Indicator("disclosure.appeals", "政府信息公开", "信息公开引发复议诉讼", "件"),
    Indicator("disclosure.corrected", "政府信息公开", "信息公开被纠错", "件"),
)
INDICATOR_BY_KEY = {i.key: i for i in INDICATORS}
