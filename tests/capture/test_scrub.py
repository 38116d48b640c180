"""The scrubber on HARs built by hand (no browser): one shaped like the mock's answers, and small ones per rule."""

from __future__ import annotations

import base64
import copy
import json
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from runbook import qr
from runbook.capture import qr_swap
from runbook.capture.scrub import Known, Scrubber
from runbook.capture.standins import Standins, pattern
from runbook.fixtures.qr import png_data_uri, qr_matrix, qr_png

ORG = "7623379731659948049"
TOKEN = "Zq3xT9kLm2Pw8Rv4"
ORIGIN = "http://127.0.0.1:8765"
PAYLOAD = f"{ORIGIN}/authorize/{TOKEN}"
URL_TOKEN = "abcDEF123456"
COOKIE = "sid=s3ss10nV4lue99"
BEARER = "eyJhbGciOi.J9fake.t0ken77"
CSRF = "csrf-9f8e7d6c5b4a"
PERSON = {"name": "Jordan Lee", "email": "jordan@northwind.example", "phone": "+44 20 7946 0958"}
JS = f'window.ORG="{ORG}";const css="@media (max-width: 600px) {{ .card {{ width: 100% }} }}";'
ORIGINALS = [ORG, TOKEN, PAYLOAD, URL_TOKEN, "s3ss10nV4lue99", BEARER, CSRF, *PERSON.values(), "@acme.official"]
ORIGINALS += ["acme.official", "Acme Official"]


def header(name: str, value: str) -> dict[str, str]:
    return {"name": name, "value": value}


def entry(url: str, body: Any = None, *, method: str = "GET", mime: str = "application/json", **more: Any) -> dict:
    """A HAR entry; `body` a dict or list is JSON, bytes are base64 (binary, as Playwright embeds it)."""
    if isinstance(body, bytes):
        content = {"mimeType": mime, "size": len(body), "text": base64.b64encode(body).decode(), "encoding": "base64"}
    elif body is not None:
        text = body if isinstance(body, str) else json.dumps(body)
        content = {"mimeType": mime, "size": len(text), "text": text}
    else:
        content = {"mimeType": mime, "size": 0}
    query = [{"name": k, "value": v[0]} for k, v in parse_qs(urlsplit(url).query).items()]
    request = {"method": method, "url": url, "headers": more.get("request_headers", []), "cookies": []}
    request |= {"queryString": query, "bodySize": -1}
    if "post" in more:
        request["postData"] = more["post"]
    response = {"status": 200, "headers": more.get("headers", []), "cookies": more.get("cookies", [])}
    response |= {"content": content, "redirectURL": "", "bodySize": content["size"]}
    return {"startedDateTime": "2025-12-02T10:00:00.000Z", "time": 12.5, "request": request, "response": response}


def har_of(*entries: dict) -> dict:
    return {"log": {"version": "1.2", "pages": [{"id": "page@1", "title": "Business Center"}], "entries": [*entries]}}


def realistic_har() -> dict:
    """Shaped like the mock's answers: context, TikTok accounts, a QR code (matrix and PNG), its status, a bundle."""
    matrix = qr_matrix(PAYLOAD, "M")
    secrets = [header("Cookie", COOKIE), header("Authorization", f"Bearer {BEARER}"), header("x-csrf-token", CSRF)]
    api = f"{ORIGIN}/api"
    return har_of(
        entry(
            f"{api}/context?org_id={ORG}&token={URL_TOKEN}&page=2",
            {"business_center": {"id": ORG, "name": "Northwind Agency"}, "user": PERSON},
            request_headers=secrets,
            headers=[header("Set-Cookie", f"{COOKIE}; Path=/; HttpOnly"), header("Content-Length", "180")],
            cookies=[{"name": "sid", "value": "s3ss10nV4lue99"}],
        ),
        entry(
            f"{api}/tiktok-accounts?org_id={ORG}",
            {"accounts": [{"handle": "@acme.official", "display_name": "Acme Official", "status": "Linked"}]},
        ),
        entry(
            f"{api}/qr?org_id={ORG}",
            {
                "token": TOKEN,
                "org_id": ORG,
                "payload": PAYLOAD,
                "status": "pending",
                "account": None,
                "expires_at": 1764700000.5,
                "expires_in": 119.8,
                "matrix": matrix,
                "png": png_data_uri(qr_png(matrix)),
            },
            method="POST",
            post={"mimeType": "application/json", "text": json.dumps({"username": "acme.official"})},
        ),
        entry(f"{api}/qr/{TOKEN}", {"status": "pending", "expires_at": 1764700000.5}),
        entry(f"{ORIGIN}/static/qr.png", qr_png(matrix), mime="image/png"),
        entry(f"{ORIGIN}/static/app.js", JS, mime="text/javascript"),
    )


def scrubbed(har: dict, **options: Any) -> tuple[dict, Scrubber]:
    scrubber = Scrubber(Known(), **options)
    scrubber.learn_har(har)
    return scrubber.har(har), scrubber


def bodies(har: dict) -> list[Any]:
    """Each entry's response body: parsed JSON, text, or bytes."""
    out: list[Any] = []
    for item in har["log"]["entries"]:
        content = item["response"]["content"]
        if content.get("encoding") == "base64":
            out.append(base64.b64decode(content["text"]))
        else:
            text = content.get("text", "")
            out.append(json.loads(text) if content["mimeType"] == "application/json" else text)
    return out


def read(png: bytes) -> str:
    return qr.decode(png)


def test_no_original_is_left_anywhere() -> None:
    out, scrubber = scrubbed(realistic_har())
    text = json.dumps(out, ensure_ascii=False)
    assert [o for o in ORIGINALS if o in text] == []
    assert [o for o in scrubber.originals() if o in text] == []
    assert set(ORIGINALS) <= set(scrubber.originals())


def test_the_org_id_has_one_standin_in_urls_json_and_scripts() -> None:
    out, _ = scrubbed(realistic_har())
    context, _, qr_answer, _, _, js = bodies(out)
    standin = parse_qs(urlsplit(out["log"]["entries"][0]["request"]["url"]).query)["org_id"][0]
    assert re.fullmatch(r"\d{19}", standin) and standin != ORG
    assert context["business_center"]["id"] == qr_answer["org_id"] == standin
    assert f'window.ORG="{standin}"' in js
    assert out["log"]["entries"][0]["request"]["queryString"][0] == {"name": "org_id", "value": standin}


def test_what_is_no_secret_is_kept() -> None:
    out, _ = scrubbed(realistic_har())
    context, accounts, qr_answer, _, _, js = bodies(out)
    assert "@media (max-width: 600px)" in js
    assert (qr_answer["expires_at"], qr_answer["expires_in"], qr_answer["status"]) == (1764700000.5, 119.8, "pending")
    assert "page=2" in out["log"]["entries"][0]["request"]["url"]
    assert accounts["accounts"][0]["status"] == "Linked"
    assert context["business_center"]["name"] == "Northwind Agency"  # a Business Center's name is no person's
    assert out["log"]["pages"][0]["title"] == "Business Center"


def test_people_and_accounts_get_consistent_standins() -> None:
    out, _ = scrubbed(realistic_har())
    context, accounts, *_ = bodies(out)
    assert context["user"]["email"] == "person1@example.invalid"
    assert context["user"]["name"] == "Account 1"
    assert re.fullmatch(r"\+1\d{10}", context["user"]["phone"])
    assert accounts["accounts"][0]["handle"] == "@account1"
    assert accounts["accounts"][0]["display_name"] == "Account 2"
    posted = json.loads(out["log"]["entries"][2]["request"]["postData"]["text"])
    assert posted == {"username": "account1"}  # the bare form of the handle, as the API sends it


def test_the_qr_code_becomes_the_standin_payloads_everywhere() -> None:
    out, scrubber = scrubbed(realistic_har())
    *_, qr_answer, _, png, _ = bodies(out)
    standin = qr_answer["payload"]
    assert standin != PAYLOAD and len(standin) == len(PAYLOAD) and standin.startswith(ORIGIN + "/authorize/")
    assert standin == f"{ORIGIN}/authorize/{qr_answer['token']}"  # the token's stand-in inside the payload
    assert out["log"]["entries"][3]["request"]["url"] == f"{ORIGIN}/api/qr/{qr_answer['token']}"
    assert read(png) == standin  # the image answer, redrawn
    assert read(base64.b64decode(qr_answer["png"].split(",", 1)[1])) == standin  # the data: URI
    assert len(qr_answer["matrix"]) == len(qr_matrix(PAYLOAD, "M"))
    assert read(qr_swap._png(qr_swap._draw(qr_answer["matrix"], 4))) == standin  # the matrix
    assert scrubber.standin_payloads() == [standin]
    assert scrubber.report()["replaced"]["qr"] >= 3


def test_a_payloads_query_values_change_inside_it_only() -> None:
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/"
    payload = f"{ORIGIN}/authorize/{TOKEN}?ref={alphabet[:30]}&ticket=T1ck3tT1ck3t&lang=en"
    har = har_of(
        entry(f"{ORIGIN}/api/qr", {"payload": payload}, method="POST"),
        entry(f"{ORIGIN}/api/ticket/T1ck3tT1ck3t", {"ok": True}),
        entry(f"{ORIGIN}/static/b64.js", f"const A='{alphabet}';", mime="text/javascript"),
    )
    out, _ = scrubbed(har)
    answer, _, js = bodies(out)
    standin = urlsplit(answer["payload"])
    assert len(answer["payload"]) == len(payload) and alphabet[:30] not in answer["payload"]
    assert js == f"const A='{alphabet}';"  # the tracking value was not replaced everywhere
    ticket = parse_qs(standin.query)["ticket"][0]
    assert out["log"]["entries"][1]["request"]["url"] == f"{ORIGIN}/api/ticket/{ticket}" and ticket != "T1ck3tT1ck3t"
    assert parse_qs(standin.query)["lang"] == ["en"]


def test_headers_and_cookies() -> None:
    out, scrubber = scrubbed(realistic_har())
    first = out["log"]["entries"][0]
    request_headers = {h["name"]: h["value"] for h in first["request"]["headers"]}
    assert "Cookie" not in request_headers and "Set-Cookie" not in {h["name"] for h in first["response"]["headers"]}
    assert first["response"]["cookies"] == [] and first["request"]["cookies"] == []
    assert request_headers["Authorization"].startswith("Bearer ") and BEARER not in request_headers["Authorization"]
    assert len(request_headers["x-csrf-token"]) == len(CSRF) and request_headers["x-csrf-token"] != CSRF
    size = first["response"]["content"]["size"]
    assert {h["name"]: h["value"] for h in first["response"]["headers"]}["Content-Length"] == str(size)
    replaced = scrubber.report()["replaced"]
    assert replaced["cookie"] == 3 and replaced["header"] == 2  # Cookie, Set-Cookie and one cookie listed


def test_a_url_token_gets_a_url_safe_standin_of_its_shape() -> None:
    out, _ = scrubbed(realistic_har())
    token = parse_qs(urlsplit(out["log"]["entries"][0]["request"]["url"]).query)["token"][0]
    assert re.fullmatch(r"[a-z]{3}[A-Z]{3}\d{6}", token) and token != URL_TOKEN


def test_keep_handles_keeps_handles_and_names() -> None:
    out, scrubber = scrubbed(realistic_har(), keep_handles=True)
    accounts = bodies(out)[1]
    assert accounts["accounts"][0] == {"handle": "@acme.official", "display_name": "Acme Official", "status": "Linked"}
    assert "Jordan Lee" in json.dumps(out)
    assert scrubber.report()["kept"] == ["handle", "name"]
    assert "@acme.official" not in scrubber.originals()
    assert ORG not in json.dumps(out)  # everything else is scrubbed still


def test_the_report_holds_counts_and_no_value() -> None:
    _, scrubber = scrubbed(realistic_har())
    report = scrubber.report()
    assert set(report) == {"replaced", "kept"} and report["kept"] == []
    assert {"header", "cookie", "token", "id", "email", "phone", "qr", "handle", "name"} <= set(report["replaced"])
    assert all(isinstance(n, int) and n > 0 for n in report["replaced"].values())
    assert [o for o in scrubber.originals() if o in json.dumps(report)] == []


def test_storage_values_are_replaced_where_the_app_echoes_them() -> None:
    local = "ls-token-ZZ9912abcd"
    har = har_of(
        entry(
            f"{ORIGIN}/api/me",
            {"echo": f"your token is {local}", "nested": {"value": local}, "cache": "pc-77ab12Xy"},
            request_headers=[header("x-tt-token", local), header("Accept", "application/json")],
        )
    )
    scrubber = Scrubber(Known())
    storage = [{"name": "t", "value": local}, {"name": "cache", "value": "pc-77ab12Xy"}]  # the cache only echoed
    scrubber.learn_storage({"cookies": [], "origins": [{"origin": ORIGIN, "localStorage": storage}]})
    scrubber.learn_har(har)
    out = scrubber.har(har)
    assert local not in json.dumps(out) and "pc-77ab12Xy" not in json.dumps(out)
    sent = out["log"]["entries"][0]["request"]["headers"][0]["value"]
    body = bodies(out)[0]
    assert body["nested"]["value"] == sent and body["echo"] == f"your token is {sent}"


def test_known_secrets_handles_and_payloads_are_replaced_as_given() -> None:
    known = Known(secrets={"s3cr3t-value"}, handles={"@brand.one"}, qr_payloads={"https://x.example/a/B7c9D1e3F5"})
    page = "<p>@brand.one and brand.one: s3cr3t-value%2F</p><a href='https://x.example/a/B7c9D1e3F5'>scan</a>"
    page += "<a href='/search?who=%40brand.one'>"  # URL-encoded: not a handle between word boundaries
    scrubber = Scrubber(known)
    scrubber.learn_html(page)
    html = scrubber.html(page + "<script>var u='brand.one';</script>")
    assert "brand.one" not in html and "s3cr3t-value" not in html and "B7c9D1e3F5" not in html
    assert "<p>@account1 and account1: " in html and "var u='account1'" in html


def test_ids_and_timestamps() -> None:
    body = {"user_id": 123456789, "created_at": 1764700000123, "ts": 1764700000, "count": 42, "price": 12345678901.5}
    body |= {"advertiser": {"name": "Ads", "bc_id": "76233800517283"}}
    out, _ = scrubbed(har_of(entry(f"{ORIGIN}/api/x", body)))
    got = bodies(out)[0]
    assert isinstance(got["user_id"], int) and len(str(got["user_id"])) == 9 and got["user_id"] != 123456789
    assert (got["created_at"], got["ts"], got["count"], got["price"]) == (1764700000123, 1764700000, 42, 12345678901.5)
    assert got["advertiser"]["bc_id"] != "76233800517283" and len(got["advertiser"]["bc_id"]) == 14


def test_plain_words_under_sensitive_keys_and_script_paths_are_kept() -> None:
    body = {"state": "pending", "key": "home", "code": 0, "session_status": "Active", "csrf": "s3cr3tCsrf"}
    script = entry("https://cdn.example/npm/@babel/core.js", "x='@babel'", mime="text/javascript")
    har = har_of(entry(f"{ORIGIN}/api/x", body), script)
    out, _ = scrubbed(har, keep_handles=False)
    got, js = bodies(out)
    assert got == {**body, "csrf": got["csrf"]} and got["csrf"] != "s3cr3tCsrf"
    assert js == "x='@babel'" and out["log"]["entries"][1]["request"]["url"].endswith("/@babel/core.js")


def test_http2_pseudo_headers_are_no_secrets() -> None:
    request_headers = [header(":authority", "bc.example.com"), header("authorization", "Basic dXNlcjpwYXNz")]
    out, _ = scrubbed(har_of(entry("https://bc.example.com/api/x", {"a": 1}, request_headers=request_headers)))
    item = out["log"]["entries"][0]["request"]
    assert item["url"] == "https://bc.example.com/api/x" and item["headers"][0]["value"] == "bc.example.com"
    assert item["headers"][1]["value"].startswith("Basic ") and "dXNlcjpwYXNz" not in json.dumps(out)


def test_pages_scripts_and_styles() -> None:
    page = (
        "<html><head><style>@keyframes spin { to { transform: rotate(1turn) } } @media print { a { color: #000 } }"
        '</style><script>const who = "@studio.fox", org = "7623380051728394561", tel = "+15550109999";</script>'
        "</head>"
        '<body><p>Linked to @studio.fox — call <a href="tel:+1 (555) 010-9999">us</a> or mail a@b.example</p>'
        "<div data-org='7623380051728394561'>@decorator</div></body></html>"
    )
    scrubber = Scrubber(Known())
    scrubber.learn_html(page)
    html = scrubber.html(page)
    assert "@keyframes spin" in html and "@media print" in html
    assert "studio.fox" not in html and html.count("@account") == 3  # the page's two and the script's one
    assert "7623380051728394561" not in html and "a@b.example" not in html and "555" not in html


def test_text_bodies_in_base64_and_forms() -> None:
    post = {"mimeType": "application/x-www-form-urlencoded", "text": "user=jo%40x.example&password=hunter2hunter"}
    post["params"] = [{"name": "user", "value": "jo@x.example"}, {"name": "password", "value": "hunter2hunter"}]
    body = f"<p>mail jo@x.example, id {ORG}</p>".encode()
    out, _ = scrubbed(har_of(entry(f"{ORIGIN}/login", body, method="POST", mime="text/html", post=post)))
    item = out["log"]["entries"][0]
    assert "encoding" not in item["response"]["content"] and ORG not in item["response"]["content"]["text"]
    assert item["response"]["content"]["size"] == len(item["response"]["content"]["text"].encode())
    sent = json.dumps(item["request"]["postData"])
    assert "hunter2hunter" not in sent and "jo%40x.example" not in sent and "jo@x.example" not in sent


def test_binary_bodies_without_a_code_are_kept() -> None:
    font = bytes(range(256)) * 4
    har = har_of(entry(f"{ORIGIN}/f.woff2", font, mime="font/woff2"), entry(f"{ORIGIN}/x.png", qr_png([[0] * 21] * 21)))
    out, _ = scrubbed(copy.deepcopy(har))
    assert out["log"]["entries"] == har["log"]["entries"]


def test_standins_are_shaped_like_their_originals_and_never_an_original() -> None:
    standins = Standins()
    standins.add("1000000000000000001", "id")  # what the first stand-in would be
    standins.add("5555555555555555555", "id")
    standins.add("9f86d081884c7d65", "token")
    assert standins.standin("1000000000000000001") == "1000000000000000002"  # skipped its own value
    assert standins.standin("5555555555555555555") == "1000000000000000003"
    assert re.fullmatch(r"[0-9a-f]{16}", standins.standin("9f86d081884c7d65") or "")
    regex = pattern({"abc": "token", "abcdef": "token", "1234567890": "id"})
    assert regex is not None and regex.findall("abcdefg 01234567890 1234567890") == ["abcdef", "1234567890"]


def test_matrices_keep_their_size_and_error_correction() -> None:
    matrix = qr_matrix(PAYLOAD, "H")
    swapped = qr_swap.swap_matrices({"m": matrix}, {PAYLOAD: f"{ORIGIN}/authorize/aaaaBBBB11112222"})["m"]
    assert len(swapped) == len(matrix) and qr_swap.error_correction(swapped) == qr_swap.error_correction(matrix)
    assert qr_swap.error_correction(matrix) == 2  # H in the format bits
    assert read(qr_swap._png(qr_swap._draw(swapped, 4))) == f"{ORIGIN}/authorize/aaaaBBBB11112222"
    assert qr_swap.swap_matrices(matrix, {"other": "x"}) is matrix
