"""GB/T 9704-2012 page geometry, in PostScript points (1 mm = 72/25.4 pt)."""

from __future__ import annotations

MM = 72 / 25.4

PAGE_W, PAGE_H = 210 * MM, 297 * MM
TOP, BOTTOM, LEFT, RIGHT = 37 * MM, 35 * MM, 28 * MM, 26 * MM
TEXT_W, TEXT_H = PAGE_W - LEFT - RIGHT, PAGE_H - TOP - BOTTOM  # 156 × 225 mm

LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
# Word's document grid for this layout is 579 twips: the same pitch makes PDF and DOCX break pages alike.
LINE_PITCH = 579 / 20  # 28.95 pt
CHAR_PITCH = TEXT_W / CHARS_PER_LINE  # ≈ 15.79 pt
# The DOCX condenses every character by this much (pt), so 28 of 15.7 pt fit a line in Word, WPS and LibreOffice; the
# PDF layout measures lines the same way when it breaks them. Not −0.25: 28 characters of 15.75 pt leave 1.2 pt,
# and LibreOffice then drops (does not hang) a 、 or ， after the 28th — the mark is missing from its print.
CHAR_SPACING = -0.3

BODY_SIZE = 16  # 3号
TITLE_SIZE = 22  # 2号
PAGE_NUMBER_SIZE = 14  # 4号
PAGE_NUMBER_GAP = 7 * MM  # the 一字线 stand 7 mm below the text area
INDENT_CHARS = 2
DATE_RIGHT_INDENT_CHARS = 4
SEAL_GAP_LINES = 2  # blank lines between the body and the signature: room for the seal's upper half


JOINT_LEFT_CENTRE = CHARS_PER_LINE * 0.3  # where the first of two joint issuers is centred, in characters


def issuer_rows(widths: list[float], right_centre: float) -> list[list[int]]:
    """Joint issuers two to a line, in their order (GB/T 9704 联合行文), when they fit with two characters between
    them; else one to a line. Widths and the right name's centre (over the date) in characters from the left edge.
    Returns the issuers' indexes line by line; the PDF and the DOCX both place them by it."""
    rows: list[list[int]] = []
    i = 0
    while i < len(widths):
        if i + 1 < len(widths) and JOINT_LEFT_CENTRE + widths[i] / 2 + 2 <= right_centre - widths[i + 1] / 2:
            rows.append([i, i + 1])
            i += 2
        else:
            rows.append([i])
            i += 1
    return rows
