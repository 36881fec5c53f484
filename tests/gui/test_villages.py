"""村（社区）名单 (issue #13): a village that records name cannot be deleted; renaming changes the records too."""

from __future__ import annotations

import pytest

from fazhi_desktop.domain.errors import UserError, ValidationError
from fazhi_desktop.services import audit
from fazhi_desktop.services.units import rename_village, update_unit, village_usage

DISPUTE = {"date": "2023-03-01", "source": "排查发现", "village": "东村", "category": "土地纠纷", "parties": "甲与乙",
           "summary": "地界", "risk": "绿", "status": "调处中"}


def test_a_village_in_use_cannot_be_deleted(db, unit, svc):
    rid = svc.create("dispute", DISPUTE).id
    svc.delete("dispute", rid)  # in the recycle bin it still names the village
    with db.engine.begin() as conn:
        assert village_usage(conn, unit, "东村") == 1
        with pytest.raises(ValidationError) as err:
            update_unit(conn, unit, {"villages": ["西村", "南村"]}, "测试员")
        assert "「东村」还有 1 条记录在用" in str(err.value.problems[0]) and "改名" in str(err.value.problems[0])
        unit = update_unit(conn, unit, {"villages": ["东村", "西村"]}, "测试员")  # 南村 is unused: fine
    assert unit.villages == ["东村", "西村"]


def test_rename_changes_the_list_and_every_record_and_is_logged(db, unit, svc):
    ids = [svc.create("dispute", DISPUTE).id for _ in range(3)]
    with db.engine.begin() as conn:
        unit, changed = rename_village(conn, unit, "东村", "东风村", "测试员")
    assert changed == 3 and unit.villages[0] == "东风村"
    for rid in ids:
        assert svc.get("dispute", rid)["village"] == "东风村"
    with db.engine.connect() as conn:
        history = audit.history(conn, ids[0])
        assert history[-1]["changes"] == {"village": ("东村", "东风村")} or \
            history[-1]["changes"] == {"village": ["东村", "东风村"]}
        assert audit.verify(conn) is None
    from fazhi_desktop.services.records import RecordService

    RecordService(db.engine, unit, "测试员").update("dispute", ids[0], {**DISPUTE, "village": "东风村",
                                                                        "summary": "改后仍可编辑"})
    with db.engine.begin() as conn, pytest.raises(UserError, match="已经有"):
        rename_village(conn, unit, "东风村", "西村", "测试员")


def test_settings_dialog_renames_a_village(window, svc, qtbot, monkeypatch):
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    from fazhi_desktop.gui.dialogs.settings_dialog import SettingsDialog

    svc.create("dispute", DISPUTE)
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("东村", True)))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("东风村", True)))
    told = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: told.append(a[2])))
    dialog = SettingsDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.rename_button.click()
    assert told and "1 条记录" in told[0]
    assert window.session.unit.villages[0] == "东风村"
    assert dialog.unit_form.values()["villages"][0] == "东风村"
