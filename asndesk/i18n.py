"""One gettext-based translation system for the core and the UI (locales `id`, `en`).

Indonesian is the default. Message ids are English source strings with `{named}`
placeholders; catalogs live in `resources/locale/<lang>/LC_MESSAGES/asndesk.mo`.
"""

from __future__ import annotations

import gettext as _gettext
import os
import threading

from asndesk.paths import resource_path

DOMAIN = "asndesk"
SUPPORTED_LOCALES = ("id", "en")
DEFAULT_LOCALE = "id"

_lock = threading.Lock()
_env_lang = os.environ.get("ASNDESK_LANG", DEFAULT_LOCALE)
# One mutable slot instead of a `global`: the process-wide current language.
_state = {"lang": _env_lang if _env_lang in SUPPORTED_LOCALES else DEFAULT_LOCALE}
_cache: dict[str, _gettext.NullTranslations] = {}


def locale_dir() -> str:
    return str(resource_path("locale"))


def _translations(lang: str) -> _gettext.NullTranslations:
    with _lock:
        found = _cache.get(lang)
        if found is None:
            found = _gettext.translation(DOMAIN, locale_dir(), languages=[lang], fallback=True)
            _cache[lang] = found
        return found


def set_locale(lang: str) -> None:
    """Switch the process-wide language; unknown codes raise `ValueError`."""
    if lang not in SUPPORTED_LOCALES:
        raise ValueError(f"unsupported locale {lang!r}; choose one of {SUPPORTED_LOCALES}")
    _state["lang"] = lang


def current_locale() -> str:
    return _state["lang"]


def reload_catalogs() -> None:
    """Forget loaded catalogs (after `tools/i18n.py compile`, or an HR-updated catalog)."""
    with _lock:
        _cache.clear()


def gettext(message: str) -> str:
    """Translate `message` into the current locale (falls back to the msgid)."""
    return _translations(_state["lang"]).gettext(message)


def gettext_in(lang: str, message: str) -> str:
    """Translate `message` into `lang` (a document's language), whatever the UI language."""
    if lang not in SUPPORTED_LOCALES:
        raise ValueError(f"unsupported locale {lang!r}; choose one of {SUPPORTED_LOCALES}")
    return _translations(lang).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations(_state["lang"]).ngettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (translated when shown)."""
    return message
