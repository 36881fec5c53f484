"""One entry point for writing the annual report, shared by the command line and the GUI."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import sqlalchemy as sa

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.reports.content.builder import build_document
from fazhi_desktop.reports.model import Document
from fazhi_desktop.reports.render.pdf import RenderResult
from fazhi_desktop.reports.typeset.fonts import ROLE_LABELS, FontChoice, FontSet, resolve
from fazhi_desktop.services.units import Unit
from fazhi_desktop.storage.blobstore import regular_file

FORMATS = ("pdf", "docx")


def fonts_for(chosen: Mapping[str, str] | None = None, roles: tuple[str, ...] | None = None) -> FontSet:
    """Fonts chosen in this PC's settings first, then the PC's official fonts, then the bundled ones."""
    chosen = dict(chosen or {})
    for role, path in chosen.items():
        if path and not regular_file(Path(path)):
            raise UserError(f"设置中为「{ROLE_LABELS.get(role, role)}」选择的字体文件不存在：{path}")
    choices: dict[str, FontChoice] = resolve(chosen, roles=roles) if roles else resolve(chosen)
    return FontSet(choices)


def format_for(out: str | os.PathLike, fmt: str | None) -> str:
    if fmt:
        return fmt
    suffix = Path(out).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "pdf"


def write_report(engine: sa.Engine, unit: Unit, year: int, out: str | os.PathLike, fmt: str | None = None,
                 template: str | None = None, *, fonts: Mapping[str, str] | None = None,
                 public: bool = False, document: Document | None = None) -> RenderResult:
    """``public``: the 公开版, written only once its 保密审查 has nothing left (reports.publication). ``document``:
    the report built already from ``template`` (the command line lints it first)."""
    fmt = format_for(out, fmt)
    with engine.connect() as conn:
        doc = document if document is not None else build_document(conn, unit, year, template)
        if public:
            from fazhi_desktop.reports import publication

            publication.refuse_unhandled(conn, unit, year, doc)
    font_set = fonts_for(fonts)
    h3_bold = bool(unit.settings.get("h3_bold"))
    if fmt == "pdf":
        from fazhi_desktop.reports.render.pdf import render_pdf

        return render_pdf(doc, out, font_set, h3_bold=h3_bold, author=unit.name)
    from fazhi_desktop.reports.render.docx import render_docx
    from fazhi_desktop.reports.typeset.layout import Layout

    title_lines = Layout(font_set).title_lines(doc.title)
    title_break = len(title_lines[0]) if len(title_lines) > 1 else None
    render_docx(doc, out, title_break=title_break, h3_bold=h3_bold, author=unit.name)
    return RenderResult(Path(out), 0, font_set.warnings())


def write_submitted_reports(engine: sa.Engine, unit: Unit, year: int, folder: Path,
                            fonts: Mapping[str, str] | None = None) -> tuple[Path, Path | None, str | None]:
    """The reports a township's package carries to the county (#36): the report, and its 公开版 when its 保密审查
    has nothing left (else None, and why)."""
    report = write_report(engine, unit, year, folder / "report.pdf", fonts=fonts).path
    try:
        public = write_report(engine, unit, year, folder / "report-public.pdf", fonts=fonts, public=True).path
    except UserError as exc:
        return report, None, str(exc)
    return report, public, None
