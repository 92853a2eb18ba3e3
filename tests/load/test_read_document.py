"""A file that is not a JSON document is refused with the file's name and where the JSON breaks."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.load import LoadError, read_document
from tests.load.documents import minimal_document, write_document


def test_invalid_json_is_refused_with_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "format": "lianxi/v1",\n  "people": [,]\n}\n', encoding="utf-8")

    with pytest.raises(LoadError) as refused:
        read_document(path)

    (problem,) = refused.value.problems
    assert problem.path == str(path)
    assert "line 3, column 14" in problem.message


def test_a_file_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    write_document(path, minimal_document())
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    assert read_document(path)["people"][0]["name"] == "黄元吉"


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.json"

    with pytest.raises(LoadError) as refused:
        read_document(path)

    assert str(refused.value).startswith(f"{path}: cannot read the file")


def test_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "gbk.json"
    path.write_bytes('{"format": "lianxi/v1",\n "people": [{"id": "P1", "name": "黄元吉"}]}'.encode("gbk"))

    with pytest.raises(LoadError) as refused:
        read_document(path)

    assert "not UTF-8 text at line 2" in str(refused.value)


def test_a_json_array_is_not_a_document(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text("[]", encoding="utf-8")

    with pytest.raises(LoadError, match="must be a JSON object"):
        read_document(path)
