"""The child's side of rendering a unit's own report template (``builder.render``, ``runtime.child``)."""

from __future__ import annotations

from typing import Any


def render(request: dict[str, Any]) -> dict[str, Any]:
    from fazhi_desktop.reports.content.builder import render_here

    body, generated = render_here(request["unit"], request["sections"], request["name"], request["context"],
                                  request["seconds"])
    return {"body": body, "generated": generated}
