"""The office provisioning file (`office.json`): server address, office identity, TLS trust
and sync policy, as an HR office hands it out with the installer (docs/installer.md).

Looked for in the data home, then beside the installed app, then baked into the bundle.
"""

from __future__ import annotations

import base64
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from asndesk import paths
from asndesk.errors import UserFacingError
from asndesk.i18n import N_, _

OFFICE_FILE = "office.json"
FORMAT_VERSION = 1
LOOPBACK = ("127.0.0.1", "localhost", "::1")
PIN_PREFIX = "sha256/"
AUTO_LOCK_RANGE = (1, 120)  # minutes; the app's own choices are 2–60
MAX_DAYS_OFFLINE_RANGE = (1, 365)
MAX_TEXT = 200
TOP_KEYS = ("format", "server_url", "office_name", "office_code", "ca_certificate",
            "public_key_pin", "policy")
POLICY_KEYS = ("auto_lock_minutes", "max_days_offline")

_Bad = Callable[[str], "OfficeConfigError"]


@dataclass(frozen=True)
class OfficePolicy:
    """What the office decides for every laptop: None means "the person chooses"."""

    auto_lock_minutes: int | None = None
    max_days_offline: int | None = None


@dataclass(frozen=True)
class OfficeConfig:
    server_url: str
    office_name: str
    source: Path
    office_code: str = ""
    ca_certificate: str = ""  # PEM text of the office CA (trusted for server_url only)
    public_key_pin: str = ""  # "sha256/<base64 of the SPKI digest>"
    policy: OfficePolicy = OfficePolicy()


class OfficeConfigError(UserFacingError):
    """The office file exists but cannot be used; `reason` is already translated."""

    message_id = N_("The office file {path} cannot be used: {reason}")


def baked_office_file() -> Path:
    """Where `build_installer.py --office` puts the file inside the bundle."""
    return paths.resource_path(OFFICE_FILE)


def app_dir() -> Path:
    """The installed app's folder (the executable's), or the source tree's root from source."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return paths.resources_root().parent


def office_config_paths(home: Path | None = None) -> list[Path]:
    """Where `office.json` is looked for, first found wins: the person's data home, then beside
    the app (placed there by IT after installing), then the copy baked into the package."""
    return [(home or paths.data_home()) / OFFICE_FILE, app_dir() / OFFICE_FILE,
            baked_office_file()]


def load_office_config(home: Path | None = None) -> OfficeConfig | None:
    """The office file in effect, or None when there is none (reads disk: not on the GUI)."""
    for path in office_config_paths(home):
        try:
            text = path.read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):
            continue
        except (OSError, UnicodeDecodeError):
            raise OfficeConfigError(path=str(path),
                                    reason=_("it cannot be read as UTF-8 text.")) from None
        return parse_office_config(text, path)
    return None


def read_office_file(path: Path) -> OfficeConfig:
    """Read and validate one given file (the installer's `--office`, `asndesk office check`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise OfficeConfigError(path=str(path), reason=_("the file does not exist.")) from None
    except (OSError, UnicodeDecodeError):
        raise OfficeConfigError(path=str(path),
                                reason=_("it cannot be read as UTF-8 text.")) from None
    return parse_office_config(text, path)


def parse_office_config(text: str, source: Path) -> OfficeConfig:
    """Validate the text of an office file; `OfficeConfigError` names the key and the problem."""
    def bad(reason: str) -> OfficeConfigError:
        return OfficeConfigError(path=str(source), reason=reason)

    try:
        data: Any = json.loads(text)
    except ValueError as err:
        line = getattr(err, "lineno", 0)
        raise bad(_("it is not valid JSON (line {line}).").format(line=line)) from None
    if not isinstance(data, dict):
        raise bad(_("it must be a JSON object with \"server_url\" and \"office_name\"."))
    _check_keys(data, TOP_KEYS, "", bad)
    version = data.get("format", FORMAT_VERSION)
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise bad(_("\"format\" must be {expected}; this file is for another version of "
                    "asndesk.").format(expected=FORMAT_VERSION))
    url = _server_url(data.get("server_url"), bad)
    name = _text(data, "office_name", bad, required=True)
    code = _text(data, "office_code", bad)
    if code and not all(ch.isalnum() or ch in "._-" for ch in code):
        raise bad(_("\"office_code\" may only hold letters, digits, dots, dashes and "
                    "underscores: {value}").format(value=code))
    cert = _ca_certificate(data.get("ca_certificate"), bad)
    pin = _public_key_pin(data.get("public_key_pin"), bad)
    if (cert or pin) and url.startswith("http://"):
        raise bad(_("\"ca_certificate\" and \"public_key_pin\" need an https:// "
                    "\"server_url\"."))
    return OfficeConfig(url, name, source, office_code=code, ca_certificate=cert,
                        public_key_pin=pin, policy=_policy(data.get("policy"), bad))


def _check_keys(data: dict[str, Any], allowed: tuple[str, ...], prefix: str, bad: _Bad) -> None:
    # A typo ("server_ulr") must not silently leave a laptop unprovisioned.
    unknown = sorted(key for key in data if key not in allowed)
    if unknown:
        raise bad(_("unknown setting {names}; the known ones are: {known}.").format(
            names=", ".join(f'"{prefix}{key}"' for key in unknown),
            known=", ".join(f"{prefix}{key}" for key in allowed)))


def _server_url(value: Any, bad: _Bad) -> str:
    if not isinstance(value, str) or not value.strip():
        raise bad(_("\"server_url\" is missing or empty."))
    url = value.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        host = None
    if parts.scheme not in ("http", "https") or not host:
        raise bad(_("\"server_url\" is not a server address: {value}").format(value=url))
    if parts.scheme == "http" and host not in LOOPBACK:
        raise bad(_("\"server_url\" must start with https:// (plain http:// is only allowed "
                    "to this computer)."))
    return url.rstrip("/")


def _text(data: dict[str, Any], key: str, bad: _Bad, *, required: bool = False) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise bad(_("\"{key}\" must be text.").format(key=key))
    value = value.strip()
    if required and not value:
        raise bad(_("\"{key}\" is missing or empty.").format(key=key))
    if len(value) > MAX_TEXT:
        raise bad(_("\"{key}\" is longer than {limit} characters.").format(
            key=key, limit=MAX_TEXT))
    return value


def _ca_certificate(value: Any, bad: _Bad) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, str) or "-----BEGIN CERTIFICATE-----" not in value:
        raise bad(_("\"ca_certificate\" must be the office CA certificate in PEM form "
                    "(-----BEGIN CERTIFICATE----- …)."))
    from cryptography import x509  # noqa: PLC0415 (only when a certificate is given)

    try:
        x509.load_pem_x509_certificate(value.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise bad(_("\"ca_certificate\" is not a readable PEM certificate.")) from None
    return value.strip() + "\n"


def _public_key_pin(value: Any, bad: _Bad) -> str:
    if value is None or value == "":
        return ""
    message = _("\"public_key_pin\" must be \"sha256/\" followed by the base64 SHA-256 of the "
                "server's public key (44 characters).")
    if not isinstance(value, str) or not value.startswith(PIN_PREFIX):
        raise bad(message)
    try:
        digest = base64.b64decode(value[len(PIN_PREFIX):], validate=True)
    except ValueError:
        raise bad(message) from None
    if len(digest) != 32:
        raise bad(message)
    return value


def _policy(value: Any, bad: _Bad) -> OfficePolicy:
    if value is None:
        return OfficePolicy()
    if not isinstance(value, dict):
        raise bad(_("\"policy\" must be a JSON object."))
    _check_keys(value, POLICY_KEYS, "policy.", bad)
    return OfficePolicy(
        auto_lock_minutes=_whole(value, "auto_lock_minutes", AUTO_LOCK_RANGE, bad),
        max_days_offline=_whole(value, "max_days_offline", MAX_DAYS_OFFLINE_RANGE, bad))


def _whole(policy: dict[str, Any], key: str, bounds: tuple[int, int], bad: _Bad) -> int | None:
    value = policy.get(key)
    if value is None:
        return None
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise bad(_("\"policy.{key}\" must be a whole number from {low} to {high}; it is "
                    "{value}.").format(key=key, low=low, high=high, value=json.dumps(value)))
    return value
