"""TLS trust for the office server: its own CA and/or a pinned public key from office.json.

A server whose `server_url` matches the office file is verified against the office CA alone
(not the system's store) when one is given, and its certificate's public key must match the
pin when one is given (security.md S-12). Any other server gets the system's trust store.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import ssl
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from asndesk.office_file import PIN_PREFIX, OfficeConfig, OfficeConfigError, load_office_config

log = logging.getLogger(__name__)


class PinMismatch(ssl.SSLError):
    """The server's certificate key is not the one the office file pins."""


def spki_pin(der_certificate: bytes) -> str:
    """`sha256/<base64>` of a DER certificate's SubjectPublicKeyInfo (the office-file form)."""
    key = x509.load_der_x509_certificate(der_certificate).public_key()
    spki = key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return PIN_PREFIX + base64.b64encode(hashlib.sha256(spki).digest()).decode()


def _pinned_pool(pin: str) -> type[HTTPSConnectionPool]:
    """A connection pool whose connections check `pin` right after the TLS handshake,
    before a single request byte (and so any token) is sent."""

    class PinnedConnection(HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            der = self.sock.getpeercert(binary_form=True) if self.sock else None  # type: ignore[union-attr]
            if not der or spki_pin(der) != pin:
                self.close()
                raise PinMismatch("the server's public key does not match the office pin")

    class PinnedPool(HTTPSConnectionPool):
        ConnectionCls = PinnedConnection

    return PinnedPool


class OfficeTlsAdapter(HTTPAdapter):
    """Verifies with the office CA only (if given) and checks the key pin (if given)."""

    def __init__(self, ca_pem: str = "", pin: str = "") -> None:
        self._context: ssl.SSLContext | None = None
        if ca_pem:
            # Only the office CA: a public CA's certificate for the office host is refused.
            self._context = ssl.create_default_context(cadata=ca_pem)
        self._pin = pin
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        if self._context is not None:
            kwargs["ssl_context"] = self._context
        super().init_poolmanager(*args, **kwargs)
        if self._pin:
            self.poolmanager.pool_classes_by_scheme = {"http": HTTPConnectionPool,
                                                       "https": _pinned_pool(self._pin)}

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        super().cert_verify(conn, url, verify, cert)
        if self._context is not None and verify is not False:
            # requests would add the system bundle to our context; the office CA stands alone.
            conn.ca_certs = None
            conn.ca_cert_dir = None


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme, (parts.hostname or "").lower(), port


def session_for(base_url: str, office: OfficeConfig | None) -> requests.Session:
    """A session for `base_url`: with the office's CA and pin when it is the office's server."""
    session = requests.Session()
    if office is None or not (office.ca_certificate or office.public_key_pin):
        return session
    if _origin(office.server_url) != _origin(base_url) or not base_url.startswith("https"):
        return session
    session.mount(base_url.rstrip("/") + "/",
                  OfficeTlsAdapter(office.ca_certificate, office.public_key_pin))
    return session


def office_session(base_url: str) -> requests.Session:
    """`session_for` with the office file this installation uses (data home, app, bundle)."""
    try:
        office = load_office_config()
    except OfficeConfigError:
        # The app already shows this file's error; the system's trust store still applies.
        log.warning("office file unusable; TLS uses the system trust store")
        office = None
    return session_for(base_url, office)


def failure_code(exc: requests.RequestException) -> str:
    """The sync error code for a failed request: `tls_untrusted` when the server's identity
    could not be verified (pin, CA, expired certificate), else `network`."""
    if isinstance(exc, requests.exceptions.SSLError):
        return "tls_untrusted"
    return "network"
