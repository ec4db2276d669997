"""Modules stay small enough to read at once: at most 400 lines, functions at most 50."""

from __future__ import annotations

import ast

from tests.support.layers import ROOT, source_files

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 50


def test_no_module_over_400_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in source_files()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def test_no_function_over_50_lines() -> None:
    long = []
    for path in source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({lines})")
    assert long == []
