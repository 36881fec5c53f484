"""Wording a report draws from the figures when the clerk has not written it: problems with their reasons, facility
lists grouped the way people say them, whether the year has anything to report at all.

Every sentence here is backed by a figure; none claims what the ledgers do not show.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fazhi_desktop.reports.content import numbers

# Indicators that show the year had work to report (an empty year must not "取得了新的进展").
_ACTIVITY = ("org.meetings_total", "org.documents", "study.total", "law_report.total", "publicity.ten_entries",
             "publicity.campaigns", "publicity.meetings", "enforcement.cases", "disputes.found",
             "rectification.total", "counsel.reviews", "legal_service.consultations")


def has_activity(s: Mapping[str, Any]) -> bool:
    return any(s.get(key) for key in _ACTIVITY)


def derived_problems(s: Mapping[str, Any], counsels: Sequence[Any]) -> list[str]:
    """存在的问题 from the figures, each with its reason, for a clerk who has not written them."""
    out = []
    recorded = s.get("enforcement.recorded_rate")
    publicized = s.get("enforcement.publicized_rate")
    if s.get("enforcement.cases") and ((recorded is not None and recorded < 1) or
                                       (publicized is not None and publicized < 1)):
        rates = []
        if recorded is not None and recorded < 1:
            rates.append(f"执法全过程记录率{numbers.percent(recorded)}")
        if publicized is not None and publicized < 1:
            rates.append(f"执法公示率{numbers.percent(publicized)}")
        out.append(f"行政执法“三项制度”落实还不够到位。{'、'.join(rates)}，主要原因是执法人员少、一人多岗，"
                   "执法记录设备配备和使用不够规范。")
    if s.get("rectification.overdue"):
        out.append(f"问题整改进度不够快。有{s['rectification.overdue']}个整改问题超过整改时限仍未销号，"
                   "主要原因是部分问题涉及面广、需要多部门协调，整改力量不足。")
    found, handled = s.get("disputes.found") or 0, s.get("disputes.handled") or 0
    if found and handled < found:
        out.append(f"矛盾纠纷化解还有差距。排查的{found}件矛盾纠纷中尚有{found - handled}件未调处完毕，"
                   "主要原因是部分纠纷历史成因复杂，专业调解力量不足。")
    if not counsels:
        out.append("法律顾问作用发挥不够。目前尚未聘请法律顾问，重大决策和合同审查缺少专业支撑，"
                   "主要原因是经费保障不足。")
    if not out:
        out.append("法治宣传的针对性和实效性有待提高。宣传形式以集中宣传为主，贴近群众需求的案例讲解偏少，"
                   "主要原因是普法力量和经费有限。")
    return out


def grouped_facilities(names: Sequence[str], unit_name: str) -> list[str]:
    """镇级 facilities as people list them: rooms of a centre go with the centre —
    肖咀镇综治中心（内设矛盾纠纷调解室、心理咨询室） rather than the centre and each room in a row."""
    out: list[str] = []
    rooms: dict[str, list[str]] = {}
    for name in names:
        bare = name.removeprefix(unit_name)
        parent = next((p for p in out if len(p.removeprefix(unit_name)) < len(bare)
                       and bare.startswith(p.removeprefix(unit_name))), None)
        if parent is None:
            out.append(name)
        else:
            rooms.setdefault(parent, []).append(bare.removeprefix(parent.removeprefix(unit_name)))
    return [f"{n}（内设{'、'.join(rooms[n])}）" if n in rooms else n for n in out]
