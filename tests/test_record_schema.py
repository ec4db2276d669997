"""One record layout everywhere: the ArticleRecord type, the JSON Schema, Parquet/CSV columns."""

from __future__ import annotations

import json
import typing
from pathlib import Path

from scraper.export.formats import COLUMNS
from scraper.extract.record import ArticleRecord

SCHEMA = Path(__file__).resolve().parents[1] / "scraper" / "schema" / "article.schema.json"


def _typed_fields(cls: type, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    fields: list[tuple[str, ...]] = []
    for name, hint in typing.get_type_hints(cls).items():
        nested = [a for a in typing.get_args(hint) or (hint,) if typing.is_typeddict(a)]
        if nested:
            fields += _typed_fields(nested[0], (*prefix, name))
        else:
            fields.append((*prefix, name))
    return fields


def _schema_fields(schema: dict[str, typing.Any], prefix: tuple[str, ...] = ()
                   ) -> list[tuple[str, ...]]:
    fields: list[tuple[str, ...]] = []
    for name, spec in schema["properties"].items():
        if "properties" in spec:
            fields += _schema_fields(spec, (*prefix, name))
        else:
            fields.append((*prefix, name))
    return fields


def test_record_type_and_json_schema_list_the_same_fields_in_the_same_order() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert _typed_fields(ArticleRecord) == _schema_fields(schema)


def test_parquet_and_csv_columns_are_the_record_fields() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert sorted(c.path for c in COLUMNS) == sorted(_schema_fields(schema))
    assert len({c.name for c in COLUMNS}) == len(COLUMNS)


def test_the_extractor_version_is_trafilaturas_and_the_cli_does_not_import_it() -> None:
    import json
    import subprocess
    import sys

    import trafilatura

    from scraper.extract.record import extractor_info

    assert extractor_info("x")["version"] == trafilatura.__version__
    probe = "import json, sys, scraper.cli; print(json.dumps('trafilatura' in sys.modules))"
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           check=True)
    assert json.loads(shown.stdout) is False  # 0.16 s of every command's start-up
