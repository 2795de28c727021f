#!/usr/bin/env python3
"""Extract, merge, check and compile the asndesk gettext catalogs (Babel's Python API).

Workflow, from the repository root, after adding or changing `_()` / `N_()` strings:

    .venv/bin/python tools/i18n.py update    # scan code; merge into id + en .po (en auto-filled)
    # translate every empty or `#, fuzzy` entry in resources/locale/id/LC_MESSAGES/asndesk.po
    # (keep each {placeholder}; `#|` shows the old msgid; then delete the `fuzzy` flag)
    .venv/bin/python tools/i18n.py compile   # runs `check`, then writes the .mo files
    .venv/bin/python tools/i18n.py check     # exit 1 with a list of problems (tests enforce it)

`extract` prints the template (.pot) to stdout. Keywords: _ gettext N_ ngettext(sing, plural).
Message ids are English source strings with str.format `{named}` placeholders, so `en`
msgstr = msgid. Removed strings stay in `id` as `#~` obsolete entries; `en` drops them.
"""

from __future__ import annotations

import argparse
import gettext
import io
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


def load(lang: str) -> Catalog | None:
    path = po_path(lang)
    if not path.exists():
        return None
    with path.open("rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN)


def save(catalog: Catalog, lang: str) -> None:
    path = po_path(lang)
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
    parser.add_argument("command", choices=["extract", "update", "compile", "check"])
    command = parser.parse_args(argv).command
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
