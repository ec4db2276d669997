"""The project's import layers, read from the source with ``ast`` (no module is imported).

archive <- scraper base <- extract <- sites <- store <- crawl (and distributed) <- spiders |
export <- cli: a module may import its own layer and the ones below it, never one above;
``spiders`` and ``scraper.export`` sit side by side and do not import each other.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("archive", "scraper", "spiders")

#: Module prefix -> (rank, layer name); the longest matching prefix wins.
LAYERS: dict[str, tuple[int, str]] = {
    "archive": (0, "archive"),
    "scraper": (1, "scraper base"),
    "scraper.errors": (1, "scraper base"),
    "scraper.project": (1, "scraper base"),
    "scraper.table": (1, "scraper base"),
    "scraper.extract": (2, "extract"),
    "scraper.sites": (3, "sites"),
    "scraper.store": (4, "store"),
    "scraper.crawl": (5, "crawl"),
    "scraper.distributed": (5, "crawl"),
    "spiders": (6, "spiders"),
    "scraper.export": (6, "export"),
    "scraper.cli": (7, "cli"),
    "scraper.__main__": (7, "cli"),
}

#: (importer, imported) pairs allowed against the layers, each for a stated reason.
EXCEPTIONS = {
    # `from scraper import Collection`: the public API, imported lazily on first use.
    ("scraper", "scraper.store.collection"),
}


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    path: Path
    line: int


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_files(root: Path = ROOT) -> Iterator[Path]:
    for package in PACKAGES:
        yield from sorted((root / package).rglob("*.py"))


def imports_of(path: Path, root: Path = ROOT) -> Iterator[Import]:
    """Every import of a project module in the file, at any depth (functions included)."""
    importer = module_name(path, root)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            if name.split(".")[0] in PACKAGES:
                yield Import(importer, _existing_module(name, root), path, node.lineno)


def _existing_module(name: str, root: Path) -> str:
    """``scraper.sites.SiteDefinition`` -> ``scraper.sites`` (the module that holds the name)."""
    parts = name.split(".")
    while parts:
        candidate = root.joinpath(*parts)
        if candidate.with_suffix(".py").exists() or (candidate / "__init__.py").exists():
            return ".".join(parts)
        parts.pop()
    return name


def layer_of(module: str) -> tuple[int, str]:
    prefixes = [p for p in LAYERS if module == p or module.startswith(p + ".")]
    return LAYERS[max(prefixes, key=len)]


def violations(root: Path = ROOT) -> list[str]:
    """One line per import that goes up the layers (or across spiders / export)."""
    found = []
    for path in source_files(root):
        for imp in imports_of(path, root):
            if (imp.importer, imp.imported) in EXCEPTIONS or imp.importer == imp.imported:
                continue
            (low, low_name), (high, high_name) = layer_of(imp.importer), layer_of(imp.imported)
            if high > low or (high == low and low_name != high_name):
                found.append(f"{imp.path.relative_to(root)}:{imp.line}: {imp.importer} "
                             f"({low_name}) imports {imp.imported} ({high_name})")
    return found


def module_cycles(root: Path = ROOT) -> list[list[str]]:
    """Import cycles between project modules (strongly connected components of size > 1)."""
    graph: dict[str, set[str]] = {}
    for path in source_files(root):
        for imp in imports_of(path, root):
            if imp.importer != imp.imported and (imp.importer, imp.imported) not in EXCEPTIONS:
                graph.setdefault(imp.importer, set()).add(imp.imported)
    return [sorted(c) for c in _components(graph) if len(c) > 1]


def _components(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's strongly connected components, iteratively."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[set[str]] = []
    for start in list(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    result.append(component)
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return result
