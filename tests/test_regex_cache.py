"""calpae.regex_cache: compiled patterns recorded, saved, refused when foreign or damaged, rebuilt identical."""

from __future__ import annotations

import json
import os
import re
import uuid

import pytest

from calpae import regex_cache

pytestmark = pytest.mark.skipif(not regex_cache.SUPPORTED, reason="the compiled-pattern cache needs CPython ≥ 3.11")

LETTERS = "a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u017f\u0400-\u04ff"  # Latin and Cyrillic ranges, as spaCy's classes


def big_pattern() -> str:
    """A pattern no test compiled before (unique words), long enough to be recorded, with Unicode classes."""
    tag = uuid.uuid4().hex[:8]
    words = [f"w{tag}{i}" for i in range(60)]
    return "(?iu)" + "|".join(f"(?:^{w}[-‐][{LETTERS}][{LETTERS}'’-]*$)" for w in words)


KEY = {"python": "test", "spacy": "x"}


def test_recorded_pattern_is_rebuilt_identical_and_served_by_re(tmp_path):
    text = big_pattern()
    with regex_cache.record(min_chars=1000) as recorded:
        fresh = re.compile(text)
        re.compile("short|pattern")  # under min_chars: not recorded
    assert [p.text for p in recorded] == [text]
    assert recorded[0].flags == 0
    path = tmp_path / "patterns.json"
    regex_cache.save(path, KEY, recorded)
    loaded = regex_cache.load(path, KEY)
    assert loaded is not None and [p.sre_args for p in loaded] == [p.sre_args for p in recorded]

    re.purge()
    assert regex_cache.seed(loaded) == 1
    with regex_cache.record(min_chars=1000) as compiled:
        served = re.compile(text)
    assert compiled == []  # served from re's cache: nothing compiled
    assert served is not fresh  # built from the file
    assert served == fresh  # CPython compares pattern, flags and the compiled opcodes
    word = text.split("^", 2)[1].split("[", 1)[0]
    assert served.match(f"{word}-été") and not served.match(f"{word}été")
    assert served.flags == fresh.flags and served.groups == fresh.groups


def test_patterns_compiled_with_flags_keep_their_key(tmp_path):
    text = big_pattern()
    with regex_cache.record(min_chars=1000) as recorded:
        fresh = re.compile(text, re.MULTILINE)
    assert [(p.text, p.flags) for p in recorded] == [(text, re.MULTILINE.value)]
    re.purge()
    regex_cache.seed(recorded)
    with regex_cache.record(min_chars=1000) as compiled:
        assert re.compile(text, re.MULTILINE) == fresh
    assert compiled == []


def _saved(tmp_path) -> tuple:
    text = big_pattern()
    with regex_cache.record(min_chars=1000) as recorded:
        re.compile(text)
    path = tmp_path / "patterns.json"
    regex_cache.save(path, KEY, recorded)
    return path, recorded


def test_missing_foreign_or_damaged_files_are_refused(tmp_path):
    path, _ = _saved(tmp_path)
    assert regex_cache.load(tmp_path / "absent.json", KEY) is None
    assert regex_cache.load(path, {**KEY, "spacy": "other version"}) is None  # another key: foreign

    raw = path.read_bytes()
    head, _, payload = raw.partition(b"\n")
    flipped = bytearray(payload)
    flipped[len(flipped) // 2] ^= 0x01
    path.write_bytes(head + b"\n" + bytes(flipped))
    assert regex_cache.load(path, KEY) is None  # checksum

    path.write_bytes(raw[: len(raw) // 2])
    assert regex_cache.load(path, KEY) is None  # truncated

    path.write_bytes(b"\x00garbage\nmore")
    assert regex_cache.load(path, KEY) is None

    header = json.loads(head)
    path.write_bytes(json.dumps({**header, "format": header["format"] + 1}).encode() + b"\n" + payload)
    assert regex_cache.load(path, KEY) is None  # a later layout


def test_save_replaces_atomically_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    path, recorded = _saved(tmp_path)
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        regex_cache.save(path, {**KEY, "spacy": "y"}, recorded)
    assert path.read_bytes() == before  # the old file is whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["patterns.json"]  # the temporary file is gone
    monkeypatch.undo()
    regex_cache.save(path, {**KEY, "spacy": "y"}, recorded)
    assert regex_cache.load(path, {**KEY, "spacy": "y"}) is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["patterns.json"]
