"""The mock's QR code at the edge of readability (issue 21): its size, error correction, logo and long payload are
knobs of MockConfig, checked before use, carried by the /api/qr answer the pages draw from."""

from __future__ import annotations

import pytest

from runbook import qr
from runbook.browser.capture import data_url_bytes
from runbook.fixtures.config import MockConfig
from runbook.fixtures.server import MockBusinessCenter
from tests.mock.test_mock import create_qr, fetch


def test_an_edge_code_has_its_size_logo_level_and_a_padded_payload_the_approval_ignores(
    mock: MockBusinessCenter,
) -> None:
    mock.reset(qr_size=64, qr_error_correction="H", qr_logo=True, qr_payload_length=250)
    code = create_qr(mock, "@x")
    assert len(code["payload"]) == 250 and code["payload"].startswith(f"{mock.url}/authorize/{code['token']}?ref=")
    assert code["size"] == 64 and code["logo"] is True
    assert len(code["matrix"]) >= 17 + 4 * 16  # version 16 or more: level H of 250 characters
    png = data_url_bytes(code["png"])
    assert png is not None and qr.decode(png) == code["payload"]  # the logo over the centre leaves it readable
    assert fetch(code["payload"])[0] == 200  # the owner's scan of the long URL is accepted
    assert mock.state()["accounts"]["@x"]["linked"] is True


def test_the_default_code_is_unchanged(mock: MockBusinessCenter) -> None:
    code = create_qr(mock)
    assert code["payload"] == f"{mock.url}/authorize/{code['token']}"
    assert code["size"] is None and code["logo"] is False


@pytest.mark.parametrize(
    "bad",
    [{"qr_size": 10}, {"qr_size": 5000}, {"qr_error_correction": "X"}, {"qr_payload_length": -1}],
)
def test_edge_knobs_are_checked(bad: dict) -> None:
    with pytest.raises(ValueError):
        MockConfig(**bad)
