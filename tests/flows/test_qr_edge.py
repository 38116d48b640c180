"""connect with a QR code at the edge of readability (issue 21): drawn at 64 CSS px, error correction H, a centre
logo and a 250-character payload, at device scale 1. Its screenshot at the page's scale has less than one pixel per
module (no decoder reads it, which the test checks); connect reads it from its source and says which."""

from __future__ import annotations

from pathlib import Path

import pytest

from runbook import qr
from runbook.core.errors import QrUnreadable
from tests.support.matrix import cells
from tests.support.runs import connect_one_code

EDGE = {"qr_size": 64, "qr_error_correction": "H", "qr_logo": True, "qr_payload_length": 250, "delay": 0.03}
# (edition, markup, rendering, the source the qr event names): the canvas in the dialog every day; img, svg, the
# canvas in the frame-qr edition's cross-origin iframe, and the React front end's svg in the matrix.
CASES = [("tutorial", "aria", "canvas", "canvas"), ("tutorial", "aria", "img", "img")]
CASES += [
    ("tutorial", "aria", "svg", "svg"),
    ("frame-qr", "aria", "canvas", "canvas"),
    ("tutorial", "arco", "svg", "svg"),
]


@pytest.mark.parametrize(("edition", "markup", "render", "source"), cells(CASES, everyday=[CASES[0]]))
def test_connect_reads_a_code_at_the_edge(
    edition, markup, render, source, mock, owner, tmp_path, capsys, monkeypatch
) -> None:
    mock.reset(edition=edition, markup=markup, qr_render=render, **EDGE)
    _, _, event = connect_one_code(mock, owner, tmp_path, capsys, monkeypatch)
    assert event["source"] == source
    assert len(event["payload"]) == 250
    assert mock.state()["accounts"]["@x"] == {"linked": True, "assigned": True}
    # What a person sees is kept, and it is the screen at the page's scale, which no decoder can read.
    [shot] = Path(event["png"]).parent.rglob("qr-capture-1.png")
    with pytest.raises(QrUnreadable):
        qr.decode(shot)
