"""Login errors land on the right field of the server login form, in words, for every code."""

from __future__ import annotations

from asndesk.errors import ValidationError
from sync.client import SyncError
from ui.server_login_dialog import login_error


def test_an_unknown_code_is_still_a_field_error_naming_the_code() -> None:
    err = login_error(SyncError("E_SOMETHING_NEW"))
    assert isinstance(err, ValidationError)
    assert err.field == "password"
    assert "E_SOMETHING_NEW" in err.message()


def test_link_errors_land_on_the_address_field() -> None:
    err = login_error(SyncError("network"))
    assert isinstance(err, ValidationError)
    assert err.field == "url"
    assert "{" not in err.message() and err.message() != "network"  # words, not the code
