"""Applying an import plan: the whole workbook in one transaction, with a backup first — or nothing at all."""

from __future__ import annotations

import logging
import os

import sqlalchemy as sa

from fazhi_desktop.domain.audit_actions import IMPORT
from fazhi_desktop.exchange.plan import ImportReport, plan_import
from fazhi_desktop.services import reports_text
from fazhi_desktop.services.records import RecordService
from fazhi_desktop.services.units import create_unit

log = logging.getLogger(__name__)


def run_import(engine: sa.Engine, path: str | os.PathLike, *, dry_run: bool = False, actor: str | None = None,
               unit_name: str | None = None, before_write=None) -> ImportReport:
    """Validate the whole workbook, then write all of it in one transaction — or nothing at all."""
    try:
        report = plan_import(engine, path, unit_name)
    except Exception as exc:
        log.warning("import of %s refused: %s", path, exc)
        raise
    report.dry_run = dry_run
    if dry_run or (report.created == 0 and report.updated == 0 and not report.unit_created and not report.drafts):
        log.info("import of %s checked%s: nothing to write", path, " (dry run)" if dry_run else "")
        return report
    if before_write:
        before_write()
    with engine.begin() as conn:
        unit = report.unit
        if unit is None:
            unit = create_unit(conn, report.unit_values or {}, actor or "导入")
            report.unit = unit
        svc = RecordService(engine, unit, actor)
        for plan in report.plans:
            if plan.creates:
                svc.insert_clean(conn, plan.ledger, plan.creates, action=IMPORT, stored=plan.stored)
            for record_id, clean in plan.updates:
                svc.update_clean(conn, plan.ledger, record_id, clean)
        for year, values in report.drafts:
            reports_text.save_report_text(conn, unit, year, values, actor or "导入")
    log.info("imported %s by %s: %d created, %d updated, %d drafts", path, actor, report.created, report.updated,
             len(report.drafts))
    return report
