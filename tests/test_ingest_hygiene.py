"""Folder ingest never follows symlinks or reads special files; control characters never reach the catalog;
UTF-16 without a byte-order mark is read as text."""

from __future__ import annotations

import os

import pytest

from ingest.loaders import load_text
from ingest.pipeline import ingest_paths

from .test_pipeline import FakeKB

REGULATION = ("某市河道管理条例\n\n第一条 为了加强河道管理，保障防洪安全，制定本条例。\n\n"
              "第二条 河道管理范围内禁止倾倒垃圾。\n\n第三条 本条例自2024年1月1日起施行。\n")


@pytest.fixture
def kb(tmp_path) -> FakeKB:
    return FakeKB(tmp_path / "catalog.sqlite")


def test_symlinks_and_special_files_in_a_folder_are_refused(kb, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "passwd.txt"
    secret.write_text("第一条 root:x:0:0:root:/root:/bin/bash 机密内容。\n", encoding="utf-8")
    d = tmp_path / "法规"
    d.mkdir()
    (d / "河道管理条例.txt").write_text(REGULATION, encoding="utf-8")
    (d / "passwd.txt").symlink_to("/etc/passwd")
    (d / "机密.txt").symlink_to(secret)
    (d / "外部目录").symlink_to(outside, target_is_directory=True)
    os.mkfifo(d / "管道.txt")  # reading it would block the ingest forever

    report = ingest_paths(kb, [d])
    assert [e["title"] for e in report.added] == ["某市河道管理条例"]
    failed = {os.path.basename(f["path"]): f["reason"] for f in report.failed}
    assert set(failed) == {"passwd.txt", "机密.txt", "外部目录", "管道.txt"}
    assert "符号链接" in failed["passwd.txt"] and "符号链接" in failed["外部目录"]
    assert "特殊文件" in failed["管道.txt"]
    texts = " ".join(a.text for law in kb.catalog.laws() for a in kb.catalog.articles(law.law_id))
    assert "root" not in texts and "机密" not in texts


def test_nul_and_control_characters_are_stripped_and_word_export_works(kb, tmp_path):
    import docx

    padding = "第一条 为了加强河道管理，制定本条例。" + "河道管理。" * 2000  # NUL after the first 8 KiB
    text = (f"某市河道管理条例\n\n{padding}\n\n第二条 河道\x00管理范围内\x07禁止\x1b倾倒\x0b垃圾\ufffe。\n\n"
            "第三条 本条例自2024年1月1日起施行。\n")
    assert text.encode("utf-8").index(b"\x00") > 8192
    path = tmp_path / "控制字符.txt"
    path.write_text(text, encoding="utf-8")
    report = ingest_paths(kb, [path])
    assert report.ok, report.to_json()
    arts = kb.catalog.articles(report.added[0]["law_id"])
    assert arts[1].text == "河道管理范围内禁止倾倒垃圾。"  # the vertical tab became a line break, joined in the 款
    out = docx.Document()
    for a in arts:  # raised "All strings must be XML compatible" before
        out.add_paragraph(a.text)
    out.save(tmp_path / "导出.docx")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_text(tmp_path, codec):
    path = tmp_path / f"{codec}.txt"
    path.write_bytes(REGULATION.encode(codec))
    assert not path.read_bytes().startswith((b"\xff\xfe", b"\xfe\xff"))
    assert load_text(path) == REGULATION


def test_real_binary_is_still_refused(tmp_path):
    from knowledge.errors import IngestError

    path = tmp_path / "数据.txt"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(IngestError, match="二进制数据"):
        load_text(path)
