#!/usr/bin/env python3
"""Extract, merge, check and compile the asndesk gettext catalogs (Babel's Python API).

Workflow, from the repository root, after adding or changing `_()` / `N_()` strings:

    .venv/bin/python tools/i18n.py update    # scan code; merge into id + en .po (en auto-filled)
    # translate every empty or `#, fuzzy` entry in resources/locale/id/LC_MESSAGES/asndesk.po
    # (keep each {placeholder}; `#|` shows the old msgid; then delete the `fuzzy` flag)
    .venv/bin/python tools/i18n.py compile   # runs `check`, then writes the .mo files
    .venv/bin/python tools/i18n.py check     # exit 1 with a list of problems (tests enforce it)

Translations prepared elsewhere (e.g. while others run `update`) go in with `fill`:

    .venv/bin/python tools/i18n.py fill FILE.json [--po PATH]   # default PATH: the id .po

FILE.json is one object {msgid: msgstr}; a plural entry is keyed by its singular msgid and
maps to a list with one string per plural form (Indonesian has one: {"{n} entry": ["{n} entri"]}).
Only empty or fuzzy entries are filled (the fuzzy flag and `#|` line are cleared); translations
whose `{placeholders}` differ from the msgid's are refused and listed (exit 1).

`extract` prints the template (.pot) to stdout. Keywords: _ gettext N_ ngettext(sing, plural).
Message ids are English source strings with str.format `{named}` placeholders, so `en`
msgstr = msgid. Removed strings stay in `id` as `#~` obsolete entries; `en` drops them.
"""

from __future__ import annotations

import argparse
import gettext
import io
import json
import string
import sys
import tomllib
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("asndesk", "sync", "ui")
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}
LOCALE_DIR = ROOT / "resources" / "locale"
DOMAIN = "asndesk"
LOCALES = ("id", "en")
TEAMS = {"id": "Indonesian <asndesk>", "en": "English <asndesk>"}
PLURAL_FORMS = {"id": "nplurals=1; plural=0;", "en": "nplurals=2; plural=(n != 1);"}
HEADER = "# asndesk messages ({lang}). Edit msgstr only; run tools/i18n.py (see its docstring)."


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def extract() -> Catalog:
    """Scan the source folders for marked strings; return an in-memory template."""
    template = Catalog(domain=DOMAIN, project="asndesk", version=_version(), fuzzy=False)
    for folder in SOURCE_DIRS:
        if not (ROOT / folder).is_dir():
            continue
        found = extract_from_dir(ROOT / folder, [("**.py", "python")], keywords=KEYWORDS,
                                 comment_tags=("TRANSLATORS:",), strip_comment_tags=True)
        for filename, lineno, message, comments, context in found:
            template.add(message, locations=[(f"{folder}/{filename}", lineno)],
                         auto_comments=comments, context=context)
    return template


def load(lang: str, path: Path | None = None) -> Catalog | None:
    path = path or po_path(lang)
    if not path.exists():
        return None
    with path.open("rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN)


def save(catalog: Catalog, lang: str, path: Path | None = None) -> None:
    path = path or po_path(lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, ignore_obsolete=(lang == "en"), include_previous=True)
    path.write_bytes(buf.getvalue())


def update() -> None:
    """Merge the template into every .po: keep translations, add new ids, obsolete removed."""
    template = extract()
    for lang in LOCALES:
        catalog = load(lang)
        if catalog is None:
            catalog = Catalog(locale=lang, domain=DOMAIN, revision_date=datetime.now(UTC))
        catalog.project, catalog.version = "asndesk", _version()
        catalog.language_team, catalog.last_translator = TEAMS[lang], "asndesk maintainers"
        catalog.header_comment = HEADER.format(lang=lang)
        catalog.mime_headers = [("Plural-Forms", PLURAL_FORMS[lang])]
        catalog.fuzzy = False
        catalog.update(template, no_fuzzy_matching=(lang == "en"), update_creation_date=False)
        if lang == "en":
            for msg in catalog:
                if msg.id and (not is_translated(msg.string) or msg.fuzzy):
                    msg.string, msg.previous_id = msg.id, []
                    msg.flags.discard("fuzzy")
        save(catalog, lang)
        todo = sum(1 for m in catalog if m.id and (m.fuzzy or not is_translated(m.string)))
        gone = "dropped" if lang == "en" else "kept as #~ obsolete"
        print(f"{lang}: {len(catalog)} messages, {todo} to translate, "
              f"{len(catalog.obsolete)} removed from code ({gone})")


def is_translated(value: str | tuple[str, ...] | None) -> bool:
    """True when the msgstr (every plural form) is non-empty."""
    return all(value) if isinstance(value, (list, tuple)) else bool(value)


def placeholders(text: str) -> set[str]:
    """The `{name}` fields of a str.format string (`{a.b}` and `{a[0]}` count as `a`)."""
    names = set()
    for _literal, field, _spec, _conv in string.Formatter().parse(text):
        if field is not None:
            names.add(field.split(".")[0].split("[")[0])
    return names


def placeholder_problems(msg: Message) -> list[str]:
    """Why `msg`'s translations use other `{names}` than its msgid (empty list: fine)."""
    ids = list(msg.id) if isinstance(msg.id, (list, tuple)) else [msg.id]
    forms = list(msg.string) if isinstance(msg.string, (list, tuple)) else [msg.string]
    try:
        wanted = [placeholders(text) for text in ids]
    except ValueError as exc:
        return [f"msgid is not a valid format string ({exc})"]
    problems = []
    for index, form in enumerate(forms):
        if not form:
            continue
        # form 0 may follow the singular when the language has a separate singular form
        allowed = [wanted[-1]] + ([wanted[0]] if index == 0 and len(forms) > 1 else [])
        try:
            got = placeholders(form)
        except ValueError as exc:
            problems.append(f"msgstr[{index}] is not a valid format string ({exc})")
            continue
        if got not in allowed:
            problems.append(f"placeholders {sorted(got)} != {sorted(allowed[0])}")
    return problems


def mo_bytes(catalog: Catalog) -> bytes:
    """The .mo file for `catalog` (fuzzy and untranslated entries are left out)."""
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def compiled(catalog: Catalog) -> dict[object, object]:
    """The message dict gettext would load from a .mo compiled from `catalog`."""
    return mo_messages(mo_bytes(catalog))


def mo_messages(data: bytes) -> dict[object, object]:
    """The message dict gettext loads from .mo bytes (empty if they are not a .mo file)."""
    try:
        return dict(gettext.GNUTranslations(io.BytesIO(data))._catalog)  # type: ignore[attr-defined]
    except (OSError, ValueError, UnicodeDecodeError):
        return {}


def _label(msg: Message) -> str:
    """`'msgid…' (file:line)`, short enough for one line of output."""
    text = msg.id[0] if isinstance(msg.id, (list, tuple)) else msg.id
    where = f" ({msg.locations[0][0]}:{msg.locations[0][1]})" if msg.locations else ""
    return repr(text if len(text) <= 60 else text[:57] + "...") + where


def check(template: Catalog | None = None) -> list[str]:
    """Every problem that would ship wrong or missing text, as short one-line strings."""
    template = template if template is not None else extract()
    problems: list[str] = []
    for lang in LOCALES:
        catalog = load(lang)
        if catalog is None:
            problems.append(f"{lang}: {_rel(po_path(lang))} is missing")
            continue
        problems += _catalog_problems(lang, catalog, template)
    return problems


def _catalog_problems(lang: str, catalog: Catalog, template: Catalog) -> Iterable[str]:
    if catalog.plural_forms != PLURAL_FORMS[lang]:
        yield f"{lang}: Plural-Forms is {catalog.plural_forms!r}, want {PLURAL_FORMS[lang]!r}"
    for msg in template:
        if msg.id and msg.id not in catalog:
            yield f"{lang}: not in catalog (run update): {_label(msg)}"
    for msg in catalog:
        if not msg.id:
            continue
        if lang == "id" and msg.fuzzy:
            yield f"{lang}: fuzzy: {_label(msg)}"
        elif lang == "id" and not is_translated(msg.string):
            yield f"{lang}: untranslated: {_label(msg)}"
        for problem in placeholder_problems(msg):
            yield f"{lang}: {problem}: {_label(msg)}"
    mo = mo_path(lang)
    if not mo.exists():
        yield f"{lang}: {_rel(mo)} is missing (run compile)"
    elif mo_messages(mo.read_bytes()) != compiled(catalog):
        yield f"{lang}: {_rel(mo)} is stale (run compile)"


def needs_translation(msg: Message) -> bool:
    """True for a real entry whose msgstr is empty (any plural form) or marked fuzzy."""
    return bool(msg.id) and (msg.fuzzy or not is_translated(msg.string))


def read_translations(path: Path) -> dict[str, str | list[str]]:
    """The {msgid: msgstr or [plural forms]} object of a `fill` JSON file (ValueError if not)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: want one JSON object {{msgid: msgstr}}")
    for key, value in data.items():
        is_list = isinstance(value, list) and all(isinstance(form, str) for form in value)
        if not (isinstance(value, str) or is_list):
            raise ValueError(f"{path}: the value of {key!r} is not a string or a list of them")
    return data


def _translation_problems(msg: Message, value: str | list[str], nplurals: int) -> list[str]:
    """Why `value` cannot become `msg`'s msgstr (empty list: it can)."""
    plural = isinstance(msg.id, (list, tuple))
    if plural and (not isinstance(value, list) or len(value) != nplurals):
        return [f"plural entry: want a list of {nplurals} form(s)"]
    if not plural and not isinstance(value, str):
        return ["not a plural entry: want a string"]
    if not is_translated(value):
        return ["empty translation"]
    return placeholder_problems(Message(msg.id, tuple(value) if plural else value))


def fill_catalog(catalog: Catalog, translations: dict[str, str | list[str]]) -> list[str]:
    """Set every empty or fuzzy msgstr that `translations` has; return the refused ones."""
    refused = []
    for msg in catalog:
        key = msg.id[0] if isinstance(msg.id, (list, tuple)) else msg.id
        if not needs_translation(msg) or key not in translations:
            continue
        value = translations[key]
        problems = _translation_problems(msg, value, catalog.num_plurals)
        if problems:
            refused += [f"{problem}: {_label(msg)}" for problem in problems]
            continue
        msg.string = tuple(value) if isinstance(value, list) else value
        msg.flags.discard("fuzzy")
        msg.previous_id = []
    return refused


def fill(json_path: Path, po_file: Path | None = None) -> int:
    """Fill the id catalog (or `po_file`) from a JSON file of translations; exit code."""
    path = po_file or po_path("id")
    catalog = load("id", path)
    if catalog is None:
        print(f"fill: {_rel(path)} is missing", file=sys.stderr)
        return 1
    try:
        translations = read_translations(json_path)
    except (OSError, ValueError) as exc:  # json.JSONDecodeError is a ValueError
        print(f"fill: {exc}", file=sys.stderr)
        return 1
    todo_before = sum(1 for msg in catalog if needs_translation(msg))
    refused = fill_catalog(catalog, translations)
    todo = sum(1 for msg in catalog if needs_translation(msg))
    if todo != todo_before:
        save(catalog, "id", path)
    known = {msg.id[0] if isinstance(msg.id, (list, tuple)) else msg.id for msg in catalog}
    unknown = [key for key in translations if key not in known]
    print(f"id: filled {todo_before - todo} in {_rel(path)}; {todo} still to translate")
    if unknown:
        shown = ", ".join(repr(key) for key in unknown[:10]) + (", ..." if unknown[10:] else "")
        print(f"{len(unknown)} msgid(s) in the JSON are not in the catalog (run update?): {shown}")
    if refused:
        print("\n".join(refused), file=sys.stderr)
        print(f"fill refused {len(refused)} translation(s): placeholders must match the msgid",
              file=sys.stderr)
        return 1
    return 0


def compile_all() -> int:
    """Write every .mo from its .po, but only when `check` finds nothing except stale .mo."""
    problems = [p for p in check() if "(run compile)" not in p]
    if problems:
        print("\n".join(problems), file=sys.stderr)
        print(f"compile refused: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    for lang in LOCALES:
        catalog = load(lang)
        assert catalog is not None
        mo_path(lang).write_bytes(mo_bytes(catalog))
        print(f"{lang}: wrote {_rel(mo_path(lang))}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("extract", "update", "compile", "check"):
        commands.add_parser(name)
    fill_parser = commands.add_parser("fill", help="set empty/fuzzy id msgstr from a JSON file")
    fill_parser.add_argument("file", type=Path, help="JSON object {msgid: msgstr or [forms]}")
    fill_parser.add_argument("--po", type=Path, help="the .po to fill (default: the id catalog)")
    args = parser.parse_args(argv)
    command = args.command
    if command == "fill":
        return fill(args.file, args.po)
    if command == "extract":
        write_po(sys.stdout.buffer, extract(), width=100)
    elif command == "update":
        update()
    elif command == "compile":
        return compile_all()
    else:
        problems = check()
        print("\n".join(problems) if problems else "i18n: all catalogs OK")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
