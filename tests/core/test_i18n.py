"""Translations: catalogs cover the code, keep placeholders, ship fresh .mo; locale switching.

A failure here after adding a string is expected: run `tools/i18n.py update`, translate the
new `id` entries and `tools/i18n.py compile` (see resources/locale/README.md).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from asndesk import i18n
from asndesk.errors import WrongPassword

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ("id", "en")


@functools.cache
def i18n_tool() -> ModuleType:
    """tools/i18n.py, imported from its path (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location("asndesk_tools_i18n", ROOT / "tools" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.cache
def extracted() -> Catalog:
    """Every message marked in asndesk/, sync/ and ui/ (one extraction per test run)."""
    return i18n_tool().extract()


def po(lang: str) -> Catalog:
    path = ROOT / "resources" / "locale" / lang / "LC_MESSAGES" / "asndesk.po"
    with path.open("rb") as fh:
        return read_po(fh, locale=lang, domain="asndesk")


def messages(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


@pytest.fixture(autouse=True)
def _restore_locale() -> Iterator[None]:
    i18n.set_locale("id")
    yield
    i18n.set_locale("id")


def test_extraction_finds_known_messages() -> None:
    ids = {m.id for m in messages(extracted())}
    assert "The password is wrong." in ids
    assert len(ids) > 100


@pytest.mark.parametrize("lang", LOCALES)
def test_placeholders_match_msgid(lang: str) -> None:
    tool = i18n_tool()
    bad = {m.id: tool.placeholder_problems(m) for m in messages(po(lang))}
    assert {k: v for k, v in bad.items() if v} == {}


def test_placeholder_check_catches_renamed_and_plural_fields() -> None:
    tool = i18n_tool()
    assert tool.placeholder_problems(Message("Hi {name}.", "Halo {nama}."))
    assert tool.placeholder_problems(Message("{a} and {b}", "{a}"))
    assert not tool.placeholder_problems(Message("Hi {name}.", "Halo, {name}."))
    plural = ("One file of {who}", "{count} files of {who}")
    assert not tool.placeholder_problems(Message(plural, ("{count} berkas milik {who}",)))
    assert tool.placeholder_problems(Message(plural, ("berkas milik {who}",)))


@pytest.mark.parametrize("lang", LOCALES)
def test_every_code_message_is_in_catalog(lang: str) -> None:
    catalog = po(lang)
    missing = [f"{m.id!r} ({m.locations[0][0]}:{m.locations[0][1]})"
               for m in messages(extracted()) if m.id not in catalog]
    assert missing == [], "run: .venv/bin/python tools/i18n.py update"


def test_every_code_message_is_translated_in_id() -> None:
    catalog, tool = po("id"), i18n_tool()
    todo = []
    for m in messages(extracted()):
        entry = catalog.get(m.id)
        if entry is None or entry.fuzzy or not tool.is_translated(entry.string):
            todo.append(m.id)
    assert todo == [], "translate these in resources/locale/id/LC_MESSAGES/asndesk.po"


@pytest.mark.parametrize("lang", LOCALES)
def test_plural_forms_header(lang: str) -> None:
    assert po(lang).plural_forms == i18n_tool().PLURAL_FORMS[lang]


@pytest.mark.parametrize("lang", LOCALES)
def test_mo_is_compiled_from_current_po(lang: str) -> None:
    tool = i18n_tool()
    mo = ROOT / "resources" / "locale" / lang / "LC_MESSAGES" / "asndesk.mo"
    assert mo.exists(), "run: .venv/bin/python tools/i18n.py compile"
    assert tool.mo_messages(mo.read_bytes()) == tool.compiled(po(lang)), (
        "stale .mo; run: .venv/bin/python tools/i18n.py compile")


def test_check_reports_nothing() -> None:
    assert i18n_tool().check(extracted()) == []


def test_check_flags_broken_catalogs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tool = i18n_tool()
    shutil.copytree(ROOT / "resources" / "locale", tmp_path / "locale")
    monkeypatch.setattr(tool, "LOCALE_DIR", tmp_path / "locale")
    before = set(tool.check(extracted()))  # strings added but not yet translated are not ours
    path = tool.po_path("id")
    text = path.read_text(encoding="utf-8")
    text = text.replace('msgstr "Kata sandi salah."', 'msgstr ""')
    text = text.replace("Profil untuk NIP {nip} tidak", "Profil untuk NIP {nomor} tidak")
    path.write_text(text, encoding="utf-8")
    problems = "\n".join(p for p in tool.check(extracted()) if p not in before)
    assert "id: untranslated: 'The password is wrong.'" in problems
    assert "id: placeholders ['nomor'] != ['nip']" in problems
    assert "asndesk.mo is stale" in problems
    assert "en:" not in problems


def test_fill_sets_empty_and_fuzzy_entries_and_refuses_wrong_placeholders(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tool = i18n_tool()
    path = tmp_path / "asndesk.po"
    shutil.copyfile(ROOT / "resources" / "locale" / "id" / "LC_MESSAGES" / "asndesk.po", path)
    catalog = tool.load("id", path)
    catalog["The password is wrong."].string = ""
    fuzzy = catalog["The recovery key is wrong."]
    fuzzy.flags.add("fuzzy")
    fuzzy.previous_id = ["The recovery key was wrong."]
    catalog["No profile exists for NIP {nip}."].string = ""
    catalog.add(("{n} test file", "{n} test files"), ("",))  # a plural id not in the catalog
    tool.save(catalog, "id", path)
    pending = tmp_path / "id.json"
    pending.write_text(json.dumps({
        "The password is wrong.": "Kata sandi keliru.",
        "The recovery key is wrong.": "Kunci pemulihan keliru.",
        "No profile exists for NIP {nip}.": "Profil untuk NIP {nomor} tidak ditemukan.",
        "{n} test file": ["{n} berkas uji"],
        "The profile is locked. Unlock it first.": "Sudah diterjemahkan; tidak ditimpa.",
    }), encoding="utf-8")

    assert tool.main(["fill", str(pending), "--po", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "filled 3" in out
    assert "placeholders ['nomor'] != ['nip']: 'No profile exists for NIP {nip}.'" in err
    filled = tool.load("id", path)
    assert filled["The password is wrong."].string == "Kata sandi keliru."
    recovered = filled["The recovery key is wrong."]
    assert recovered.string == "Kunci pemulihan keliru."
    assert not recovered.fuzzy and not recovered.previous_id
    assert filled["{n} test file"].string == ("{n} berkas uji",)
    assert filled["No profile exists for NIP {nip}."].string == ""
    assert filled["The profile is locked. Unlock it first."].string == (
        "Profil terkunci. Silakan buka kuncinya terlebih dahulu.")


def test_set_locale_switches_text() -> None:
    i18n.reload_catalogs()
    i18n.set_locale("id")
    assert i18n.current_locale() == "id"
    indonesian = i18n.gettext("The password is wrong.")
    i18n.set_locale("en")
    assert i18n.current_locale() == "en"
    english = i18n.gettext("The password is wrong.")
    assert english == "The password is wrong."
    assert indonesian == "Kata sandi salah."
    assert i18n._("Saved (id {id}).").format(id=7) == "Saved (id 7)."


def test_unknown_message_falls_back_to_msgid() -> None:
    assert i18n.gettext("No such message, surely.") == "No such message, surely."


@pytest.mark.parametrize("lang", ["fr", "", "ID", "id_ID"])
def test_unknown_locale_raises(lang: str) -> None:
    with pytest.raises(ValueError, match="unsupported locale"):
        i18n.set_locale(lang)
    assert i18n.current_locale() == "id"


def test_error_text_follows_current_locale() -> None:
    err = WrongPassword()
    assert str(err) == "Kata sandi salah."
    i18n.set_locale("en")
    assert str(err) == "The password is wrong."
    i18n.set_locale("id")
    assert str(WrongPassword()) == "Kata sandi salah."
