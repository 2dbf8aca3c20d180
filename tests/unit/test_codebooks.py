"""Codebook loader: bundled codebooks, the YAML format, and FILE:LINE validation errors."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from qualcode.core.codebooks import (
    CodebookSpec,
    Text,
    bundled_codebooks,
    bundled_codebooks_dir,
    find_codebook,
    load_codebook,
    parse_codebook,
)
from qualcode.errors import CodebookError

# Six lines; the first code item starts on line 7.
HEAD = """\
key: demo
title: Demo
scale:
  - {key: good, value: 2, label: Good}
  - {key: bad, value: 1, label: Bad}
codes:
"""


def error_of(text: str) -> CodebookError:
    with pytest.raises(CodebookError) as info:
        parse_codebook(text, "x.yaml")
    return info.value


def assert_error(text: str, line: int, *fragments: str) -> CodebookError:
    """The error starts with `x.yaml:LINE: `, mentions every fragment, is one line, has a hint."""
    exc = error_of(text)
    assert exc.message.startswith(f"x.yaml:{line}: "), exc.message
    for fragment in fragments:
        assert fragment in exc.message, exc.message
    assert "\n" not in exc.message
    assert exc.hint
    return exc


def bundled(key: str) -> CodebookSpec:
    return load_codebook(find_codebook(key))


# -- bundled codebooks
def test_bundled_dir_holds_the_five_codebooks() -> None:
    assert bundled_codebooks_dir().is_dir()
    stems = {p.stem for p in bundled_codebooks()}
    assert {"sobandi-2008", "siagian-2014", "apparatus-development", "berakhlak",
            "ipasn"} <= stems


@pytest.mark.parametrize("path", bundled_codebooks(), ids=lambda p: p.stem)
def test_every_bundled_codebook_is_complete(path: Path) -> None:
    book = load_codebook(path)
    assert book.key == path.stem
    assert book.path == str(path)
    assert book.title.id and book.title.en
    assert book.description.id and book.description.en
    assert book.focus.id and book.focus.en
    assert book.citation
    values = [level.value for level in book.scale]
    assert values == sorted(values, reverse=True), "scale is listed best first"
    for code, _parent in book.iter_codes():
        assert code.label.id and code.label.en, code.key
        assert code.definition.id and code.definition.en, code.key
        if not code.children:
            assert code.indicators, f"leaf code {code.key} has no indicators"
        for indicator in code.indicators:
            assert indicator.label.id and indicator.label.en, indicator.key
            for lang in ("id", "en"):
                phrases = indicator.phrases.get(lang, ())
                assert 4 <= len(phrases) <= 8, (indicator.key, lang, phrases)
                assert all(p == p.lower() for p in phrases), (indicator.key, phrases)


def test_bundled_codebook_keys_are_unique() -> None:
    keys = [load_codebook(p).key for p in bundled_codebooks()]
    assert len(keys) == len(set(keys))


def test_sobandi_has_six_characteristics_with_two_parameters() -> None:
    book = bundled("sobandi-2008")
    assert (book.author, book.year, book.page, book.language) == ("Sobandi", 2008, "64", "id")
    assert [c.key for c in book.codes] == [f"SOB-{i}" for i in range(1, 7)]
    assert [c.shortcut for c in book.codes] == [str(i) for i in range(1, 7)]
    for code in book.codes:
        assert [i.key for i in code.indicators] == [f"{code.key}a", f"{code.key}b"]
        assert code.informant_roles == ("head", "secretary")
        assert code.colour is not None and code.colour.startswith("#")
    assert book.codes[0].label == Text(id="Harus ahli", en="Expertise")
    assert [(s.key, s.value) for s in book.scale] == [
        ("effective", 3), ("not_yet_optimal", 2), ("not_effective", 1)]
    assert book.scale[1].label.get("id") == "Belum optimal"


def test_siagian_has_three_aspects_and_four_factors() -> None:
    book = bundled("siagian-2014")
    order = [(c.key, parent) for c, parent in book.iter_codes()]
    assert order == [("SIA-1", None), ("SIA-2", None), ("SIA-3", None), ("SIA-F", None),
                     ("SIA-F1", "SIA-F"), ("SIA-F2", "SIA-F"), ("SIA-F3", "SIA-F"),
                     ("SIA-F4", "SIA-F")]
    shortcuts = [c.shortcut for c, _ in book.iter_codes()]
    assert all(s is not None and s.isalpha() for s in shortcuts)
    assert len(set(shortcuts)) == len(shortcuts)
    assert book.get_code("SIA-F3") is not None
    assert book.get_code("SIA-9") is None


def test_apparatus_development_themes() -> None:
    book = bundled("apparatus-development")
    assert len(book.codes) == 5
    children = {c.key: [k.key for k in c.children] for c in book.codes}
    assert children["DEV-2"] == ["DEV-2.1", "DEV-2.2"]
    assert children["DEV-3"] == ["DEV-3.1", "DEV-3.2", "DEV-3.3"]
    assert children["DEV-5"] == ["DEV-5.1", "DEV-5.2", "DEV-5.3", "DEV-5.4"]
    bimtek = book.get_code("DEV-3.1")
    assert bimtek is not None and "bimtek" in bimtek.indicators[0].phrases["id"]


def test_berakhlak_has_seven_values_with_three_indicators() -> None:
    book = bundled("berakhlak")
    assert len(book.codes) == 7
    assert [c.label.en for c in book.codes] == [
        "Service-oriented", "Accountable", "Competent", "Harmonious", "Loyal", "Adaptive",
        "Collaborative"]
    assert all(len(c.indicators) == 3 for c in book.codes)


def test_ipasn_has_four_dimensions_and_four_point_scale() -> None:
    book = bundled("ipasn")
    assert [c.label.en for c in book.codes] == [
        "Qualification", "Competence", "Performance", "Discipline"]
    assert [(s.value, s.label.en) for s in book.scale] == [
        (4, "Very good"), (3, "Good"), (2, "Fairly good"), (1, "Poor")]


# -- find_codebook
def test_find_codebook_by_key_and_by_path(tmp_path: Path) -> None:
    path = find_codebook("sobandi-2008")
    assert path.name == "sobandi-2008.yaml" and path.is_file()
    assert find_codebook("sobandi-2008.yaml") == path
    own = tmp_path / "own.yaml"
    own.write_text(HEAD + "  - {key: A-1, label: One}\n", encoding="utf-8")
    assert find_codebook(str(own)) == own


def test_find_codebook_unknown_key_lists_bundled_keys() -> None:
    with pytest.raises(CodebookError) as info:
        find_codebook("sobandi-2009")
    assert "did you mean 'sobandi-2008'" in info.value.message
    assert info.value.hint is not None and "siagian-2014" in info.value.hint


def test_find_codebook_missing_path() -> None:
    with pytest.raises(CodebookError, match="no such codebook file"):
        find_codebook("nowhere/own.yaml")


# -- accepted conveniences
def test_plain_string_label_is_both_languages() -> None:
    book = parse_codebook(HEAD + "  - key: A-1\n    label: Harus ahli\n")
    assert book.codes[0].label == Text(id="Harus ahli", en="Harus ahli")
    assert book.title == Text(id="Demo", en="Demo")
    assert book.scale[0].label.get("en") == "Good"


def test_one_language_label_falls_back() -> None:
    book = parse_codebook(HEAD + "  - key: A-1\n    label: {en: Expertise}\n")
    label = book.codes[0].label
    assert label == Text(id="", en="Expertise")
    assert label.get("id") == "Expertise"


def test_text_get_falls_back_to_the_other_language() -> None:
    assert Text(id="Ahli", en="Expert").get("en") == "Expert"
    assert Text(id="Ahli", en="Expert").get("id") == "Ahli"
    assert Text(id="Ahli", en="").get("en") == "Ahli"
    assert Text(id="", en="Expert").get("id") == "Expert"
    assert Text(id="", en="Expert").get() == "Expert"
    assert not Text()


def test_nested_children_and_iter_codes_order() -> None:
    text = HEAD + """\
  - key: P
    label: Parent
    children:
      - key: C1
        label: Child one
        children:
          - key: G1
            label: Grandchild
            indicators:
              - {key: G1a, label: Sign, phrases: {id: [tanda], en: [sign]}}
      - key: C2
        label: Child two
  - key: Q
    label: Other
"""
    book = parse_codebook(text)
    assert [(c.key, p) for c, p in book.iter_codes()] == [
        ("P", None), ("C1", "P"), ("G1", "C1"), ("C2", "P"), ("Q", None)]
    grandchild = book.get_code("G1")
    assert grandchild is not None
    assert grandchild.indicators[0].phrases == {"id": ("tanda",), "en": ("sign",)}


def test_optional_fields_and_defaults() -> None:
    book = parse_codebook(HEAD + '  - {key: A-1, label: One, shortcut: 7, colour: "#A0B1C2"}\n'
                          "  - key: A-2\n    label: Two\n    data_sources: [interview]\n")
    one, two = book.codes
    assert (one.shortcut, one.colour) == ("7", "#a0b1c2")
    assert one.definition == Text() and one.indicators == () and one.children == ()
    assert two.data_sources == ("interview",) and two.shortcut is None
    assert (book.author, book.year, book.page, book.citation) == ("", None, None, "")
    assert book.language == "id" and book.path is None


def test_plain_phrase_list_uses_the_codebook_language() -> None:
    text = HEAD.replace("key: demo\n", "key: demo\nlanguage: en\n") + (
        "  - key: A-1\n    label: One\n    indicators:\n"
        "      - {key: A-1a, label: Sign, phrases: [masters, mastered]}\n")
    book = parse_codebook(text)
    assert book.codes[0].indicators[0].phrases == {"en": ("masters", "mastered")}


def test_specs_are_frozen() -> None:
    book = parse_codebook(HEAD + "  - {key: A-1, label: One}\n")
    with pytest.raises(dataclasses.FrozenInstanceError):
        book.codes[0].key = "B"  # type: ignore[misc]


def test_bom_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + (HEAD + "  - {key: A-1, label: Ahli}\n").encode())
    assert load_codebook(path).codes[0].key == "A-1"
    assert parse_codebook("\ufeff" + HEAD + "  - {key: A-1, label: Ahli}\n").key == "demo"


# -- errors: file level
def test_yaml_syntax_error_names_the_line() -> None:
    assert_error("key: demo\ntitle: Demo\n  scale: bad\n", 3, "not valid YAML")


def test_tab_indentation_names_the_line() -> None:
    assert_error(HEAD + "\t- key: A-1\n", 7, "not valid YAML")


def test_two_documents_are_rejected() -> None:
    assert_error("key: demo\n---\nkey: other\n", 2, "more than one YAML document")


def test_control_character_names_the_line() -> None:
    assert_error("key: demo\ntitle: De\x07mo\n", 2, "control character", "U+0007")


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n# and another\n"])
def test_empty_file(text: str) -> None:
    assert_error(text, 1, "empty")


@pytest.mark.parametrize(("text", "line"), [("- a\n- b\n", 1), ("# note\njust some text\n", 2)])
def test_top_level_must_be_a_mapping(text: str, line: int) -> None:
    assert_error(text, line, "must be a mapping")


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"key: demo\ntitle: Demo\n\x00\x01\x02")
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    assert info.value.message.startswith(f"{path}:3: ")
    assert "binary" in info.value.message


def test_undecodable_file(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"key: demo\ntitle: Caf\xe9\n")
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    assert info.value.message.startswith(f"{path}:2: ")
    assert "not UTF-8" in info.value.message and info.value.hint


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CodebookError, match="no such codebook file"):
        load_codebook(tmp_path / "absent.yaml")


# -- errors: top-level fields
@pytest.mark.parametrize("field", ["key", "title", "scale", "codes"])
def test_missing_required_top_level_field(field: str) -> None:
    lines = [*HEAD.splitlines(keepends=True), "  - {key: A-1, label: One}\n"]
    if field == "scale":
        lines = lines[:2] + lines[5:]
    elif field == "codes":
        lines = lines[:5]
    else:
        lines = [line for line in lines if not line.startswith(f"{field}:")]
    assert_error("".join(lines), 1, f"the codebook has no {field}")


def test_unknown_top_level_field_suggests_close_match() -> None:
    exc = assert_error(HEAD.replace("title:", "titel:"), 2,
                       "unknown field 'titel'", "did you mean 'title'")
    assert exc.hint is not None and "citation" in exc.hint


def test_duplicate_top_level_field_names_both_lines() -> None:
    assert_error("key: demo\ntitle: Demo\ntitle: Again\n", 3, "duplicate field 'title'", "line 2")


def test_codebook_key_with_space() -> None:
    assert_error(HEAD.replace("key: demo", "key: my demo") + "  - {key: A, label: A}\n", 1,
                 "no spaces")


def test_year_must_be_a_number() -> None:
    assert_error("key: demo\nyear: 2008a\n" + HEAD[10:] + "  - {key: A, label: A}\n", 2,
                 "year must be a whole number")


def test_unknown_language() -> None:
    assert_error("key: demo\nlanguage: fr\n" + HEAD[10:] + "  - {key: A, label: A}\n", 2,
                 "language must be 'id' or 'en'")


def test_empty_codes_list() -> None:
    assert_error(HEAD.replace("codes:\n", "codes: []\n"), 6, "no codes")


def test_codes_left_blank() -> None:
    assert_error(HEAD, 6, "no codes")


# -- errors: scale
def test_duplicate_scale_values_name_both_lines() -> None:
    text = HEAD.replace("value: 1", "value: 2") + "  - {key: A, label: A}\n"
    assert_error(text, 5, "duplicate scale value 2", "line 4")


def test_scale_value_must_be_an_integer() -> None:
    text = HEAD.replace("value: 1", "value: low") + "  - {key: A, label: A}\n"
    assert_error(text, 5, "must be a whole number", "'low'")


def test_duplicate_scale_keys() -> None:
    text = HEAD.replace("key: bad", "key: good") + "  - {key: A, label: A}\n"
    assert_error(text, 5, "duplicate scale key 'good'", "line 4")


def test_verdict_rule_thresholds_are_read_and_checked() -> None:
    text = HEAD.replace("label: Good}", "label: Good, min_share: 0.8, min_informants: 3}")
    book = parse_codebook(text + "  - {key: A, label: A}\n", "x.yaml")
    assert (book.scale[0].min_share, book.scale[0].min_informants) == (0.8, 3)
    assert (book.scale[1].min_share, book.scale[1].min_informants) == (None, None)
    code = "  - {key: A, label: A}\n"
    assert_error(HEAD.replace("label: Good}", "label: Good, min_share: 1.5}") + code, 4,
                 "min_share of scale level 'good' must be a number above 0 and at most 1")
    assert_error(HEAD.replace("label: Good}", "label: Good, min_informants: 0}") + code, 4,
                 "min_informants of scale level 'good' must be a whole number of at least 1")
    text = HEAD.replace("label: Good}", "label: Good, min_share: 0.5}").replace(
        "label: Bad}", "label: Bad, min_share: 0.6}")
    assert_error(text + code, 5, "min_share of scale level 'bad' must be below that of the "
                                 "better level 'good'")


def test_bundled_codebooks_write_out_the_default_rule() -> None:
    from qualcode.core.analysis.verdicts import Level, thresholds

    for path in bundled_codebooks():
        book = load_codebook(path)
        levels = [Level(s.key, s.value, s.key, s.key) for s in book.scale]  # the defaults
        written = [s.min_share or 0 for s in book.scale]
        assert [float(t) for t in thresholds(levels)] == written, path.name
        assert {s.min_informants for s in book.scale} == {2}, path.name


def test_empty_scale() -> None:
    text = "key: demo\ntitle: Demo\nscale: []\ncodes:\n  - {key: A, label: A}\n"
    assert_error(text, 3, "scale is empty")


# -- errors: codes
def test_code_without_label() -> None:
    text = HEAD + "  - key: A-1\n    label: One\n  - key: SOB-2\n    definition: Ahli\n"
    assert_error(text, 9, "code 'SOB-2' has no label")


def test_code_with_blank_label() -> None:
    assert_error(HEAD + "  - key: A-1\n    label:\n", 8, "label of code 'A-1' is empty")


def test_code_without_key() -> None:
    assert_error(HEAD + "  - label: One\n", 7, "has no key")


def test_unknown_code_field_suggests_close_match() -> None:
    assert_error(HEAD + "  - key: A-1\n    lable: One\n", 8,
                 "unknown field 'lable'", "did you mean 'label'")


def test_duplicate_code_keys_name_both_lines() -> None:
    text = HEAD + "  - key: A-1\n    label: One\n  - key: A-1\n    label: Again\n"
    assert_error(text, 9, "duplicate code key 'A-1'", "line 9", "line 7")


def test_duplicate_code_key_in_children() -> None:
    text = HEAD + "  - key: A-1\n    label: One\n    children:\n      - {key: A-1, label: Kid}\n"
    assert_error(text, 10, "duplicate code key 'A-1'", "line 7")


def test_code_key_with_whitespace() -> None:
    assert_error(HEAD + '  - key: "A 1"\n    label: One\n', 7, "no spaces")


def test_code_key_must_be_text() -> None:
    assert_error(HEAD + "  - key: 5\n    label: One\n", 7, "must be text")


def test_duplicate_shortcuts_name_both_lines() -> None:
    text = HEAD + ('  - key: A-1\n    label: One\n    shortcut: "1"\n'
                   '  - key: A-2\n    label: Two\n    shortcut: "1"\n')
    assert_error(text, 12, "shortcut '1'", "'A-2'", "'A-1'", "line 9")


@pytest.mark.parametrize("value", ['"ab"', '""', "12", '" "', "true"])
def test_shortcut_must_be_one_character(value: str) -> None:
    text = HEAD + f"  - key: A-1\n    label: One\n    shortcut: {value}\n"
    assert_error(text, 9, "single character")


@pytest.mark.parametrize("value", ['"red"', '"#12345"', '"#1234567"', '"#gg0000"', "12"])
def test_colour_must_be_hex(value: str) -> None:
    text = HEAD + f"  - key: A-1\n    label: One\n    colour: {value}\n"
    assert_error(text, 9, "#rrggbb")


def test_unquoted_colour_is_explained() -> None:
    exc = assert_error(HEAD + "  - key: A-1\n    label: One\n    colour: #e6194b\n", 9,
                       "colour of code 'A-1' is empty")
    assert exc.hint is not None and "quote" in exc.hint


@pytest.mark.parametrize("label", ["{}", '{id: "", en: ""}', "{id: null}"])
def test_label_mapping_without_id_or_en(label: str) -> None:
    assert_error(HEAD + f"  - key: A-1\n    label: {label}\n", 8, "neither 'id' nor 'en'")


def test_label_with_unknown_language() -> None:
    assert_error(HEAD + "  - key: A-1\n    label: {fr: Un}\n", 8, "unknown field 'fr'")


def test_duplicate_field_in_a_code() -> None:
    assert_error(HEAD + "  - key: A-1\n    label: One\n    label: Two\n", 9,
                 "duplicate field 'label'", "line 8")


def test_code_that_is_not_a_mapping() -> None:
    assert_error(HEAD + "  - key: A-1\n    label: One\n  - just text\n", 9, "must be a mapping")


def test_children_must_be_a_list() -> None:
    assert_error(HEAD + "  - key: A-1\n    label: One\n    children: B\n", 9, "must be a list")


# -- errors: indicators
def test_duplicate_indicator_keys_across_codes() -> None:
    text = HEAD + ("  - key: A-1\n    label: One\n    indicators:\n      - {key: X, label: x}\n"
                   "  - key: A-2\n    label: Two\n    indicators:\n      - {key: X, label: y}\n")
    assert_error(text, 14, "duplicate indicator key 'X'", "line 10")


def test_indicator_without_label() -> None:
    text = HEAD + "  - key: A-1\n    label: One\n    indicators:\n      - key: A-1a\n"
    assert_error(text, 10, "indicator 'A-1a' has no label")


def test_phrases_with_unknown_language() -> None:
    text = HEAD + ("  - key: A-1\n    label: One\n    indicators:\n      - key: A-1a\n"
                   "        label: x\n        phrases: {id: [a], de: [b]}\n")
    assert_error(text, 12, "unknown field 'de'")


def test_empty_phrase() -> None:
    text = HEAD + ("  - key: A-1\n    label: One\n    indicators:\n      - key: A-1a\n"
                   "        label: x\n        phrases:\n          id: [ahli, '']\n")
    assert_error(text, 13, "empty entry")
