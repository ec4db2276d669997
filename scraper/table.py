"""Plain-text tables for the terminal: columns padded to their widest cell."""

from __future__ import annotations

from collections.abc import Sequence


def format_table(rows: Sequence[Sequence[object]], free_last: bool = False) -> list[str]:
    """One line per row, cells joined by two spaces, trailing blanks stripped.

    Args:
        rows: the header first, then the data rows; cells are shown with ``str()``.
        free_last: leave the last column unpadded and out of the width computation (a long
            free-text column such as notes).
    """
    cells = [[str(value) for value in row] for row in rows]
    if not cells:
        return []
    padded = len(cells[0]) - 1 if free_last else len(cells[0])
    widths = [max(len(row[i]) for row in cells) for i in range(padded)]
    lines = []
    for row in cells:
        parts = [value.ljust(width) for value, width in zip(row, widths)] + row[padded:]
        lines.append("  ".join(parts).rstrip())
    return lines
