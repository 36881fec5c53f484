"""The demo data reproduces every fact that the 2023 seed report states (indicators.md, column "肖咀镇 2023")."""

from __future__ import annotations

import pytest

from fazhi_desktop.services import stats
from fazhi_desktop.services.units import get_unit


@pytest.fixture(scope="module")
def s(demo_db):
    with demo_db.engine.connect() as conn:
        unit = get_unit(conn)
        return stats.compute(conn, unit, 2023)


def test_seed_facts(s):
    assert s["org.special_meetings"] == 4  # 先后四次召开法治建设工作专题会议
    assert s["org.meetings_total"] >= 4
    assert s["org.documents"] == 5  # 实施方案、工作计划、领导小组规则、办公室工作细则、法治乡村建设方案
    assert s["org.facilities"] >= 11
    assert s["study.center_group"] == 6
    assert s["study.joint"] == 3
    assert s["study.total"] >= 9
    assert s["law_report.village_secretaries"] == 6
    assert s["publicity.ten_entries"] == 17
    assert s["publicity.meetings"] == 3
    assert s["publicity.campaigns"] == 12
    assert 3500 <= s["publicity.materials"] <= 3599
    assert s["publicity.banners"] == 6
    assert s["talent.law_leaders"] == 43
    assert 680 <= s["talent.legal_understanders"] <= 689
    assert s["counsel.count"] == 1
    assert s["rectification.total"] == 6
    assert s["rectification.closed"] < 6


def test_seed_breakdowns(s, demo_db):
    with demo_db.engine.connect() as conn:
        unit = get_unit(conn)
    assert s["org.facilities.by_kind"]["村公共法律服务工作室"] == len(unit.villages) == 6
    assert {"寨子村", "铁赵村"} <= set(unit.villages)
    for target in ("进机关", "进企业", "进学校", "进乡村", "进家庭"):
        assert s["publicity.ten_entries.by_target"][target] > 0
    for law in ("宪法", "民法典", "反有组织犯罪法", "社区矫正法", "扫黑除恶", "禁毒法", "反电信网络诈骗法",
                "道路交通安全法", "食品安全法"):
        assert s["publicity.laws.by_law"].get(law, 0) > 0, law


def test_all_cadres_reported(demo_db, s):
    """所有科级干部 述法: every 班子 member of the leading group reported."""
    import sqlalchemy as sa

    from fazhi_desktop.storage.schema import ledger_table

    lg = ledger_table("leading_group")
    with demo_db.engine.connect() as conn:
        cadres = conn.execute(sa.select(sa.func.count()).where(lg.c.year == 2023, lg.c.employer == "肖咀镇")).scalar()
    assert s["law_report.leaders"] == cadres > 0


def test_what_the_seed_does_not_count_is_plausible(s):
    cats = {k for k, v in s["disputes.by_category"].items() if v}
    assert cats == {"婚姻家庭", "土地纠纷", "邻里关系", "民间借贷", "经济利益"}
    assert all(s["disputes.by_risk"][r] > 0 for r in ("红", "黄", "绿"))
    # 「以行政指导、行政告诫、行政建议为主」 and 「过错与处罚相当」: mostly guidance, and a penalty where it was due
    assert s["enforcement.flexible"] > 2 * s["enforcement.penalties"] > 0


def test_previous_year_is_not_empty(demo_db):
    with demo_db.engine.connect() as conn:
        prev = stats.compute(conn, get_unit(conn), 2022)
    assert prev["publicity.ten_entries"] > 0 and prev["org.special_meetings"] > 0


def test_demo_is_deterministic(tmp_path):
    from fazhi_desktop.services.demo import load_demo
    from fazhi_desktop.storage.database import open_database

    results = []
    for name in ("a.sqlite3", "b.sqlite3"):
        db = open_database(tmp_path / name)
        load_demo(db.engine)
        with db.engine.connect() as conn:
            results.append(stats.compute(conn, get_unit(conn), 2023))
        db.dispose()
    assert results[0] == results[1]


def test_demo_refuses_a_database_with_data(db, unit):
    from fazhi_desktop.domain.errors import UserError
    from fazhi_desktop.services.demo import load_demo

    with pytest.raises(UserError, match="空数据库"):
        load_demo(db.engine)
