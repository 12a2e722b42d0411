"""The small ones of issue 26, item 7: `next=` goes only to a path of the desk and never fails (F4, F5); any
`/quotes.json?page=` answers (F8); more than 1,000 files on Verify says so (F7); downloads say their charset
once and error answers carry the security headers (F17); the e-mail draft's address comes only from the form;
the web says "practice quote", never a command-line option."""

import io
import re

import pytest
from test_web import issue, post

from desks import PASSWORDS, make_desk, signed_in, token


@pytest.fixture
def app(tmp_path):
    return make_desk(tmp_path)


def sign_in_to(app, target: str) -> str:
    client = app.test_client()
    response = client.post("/login", data={"username": "desk", "password": PASSWORDS["desk"], "next": target,
                                           "csrf_token": token(client)})
    assert response.status_code == 303
    return response.headers["Location"]


@pytest.mark.parametrize("target", ["//evil.example", "/\t/evil.example", "/\n/evil.example", " //evil.example",
                                    "/\\evil.example", "https://evil.example/", "/%0d%0a/x\r\nSet-Cookie: a=b",
                                    "\x00//evil.example", "/\u3000/evil.example", "javascript:alert(1)"])
def test_next_never_leaves_the_desk_and_never_fails(app, target):
    location = sign_in_to(app, target)
    as_a_browser_reads_it = re.sub(r"[\x00-\x20\x7f-\x9f]", "", location)
    assert as_a_browser_reads_it.startswith("/") and not as_a_browser_reads_it.startswith("//")
    assert "://" not in location and "\\" not in location


def test_next_keeps_a_path_of_the_desk(app):
    assert sign_in_to(app, "/quotes?status=issued&q=knee") == "/quotes?status=issued&q=knee"
    assert sign_in_to(app, "/customers/W91ABC") == "/customers/W91ABC"
    assert sign_in_to(app, "/quotes?q=é") == "/quotes?q=%C3%A9"


@pytest.mark.parametrize("page", ["0", "-5", "99999999999999999999", "9" * 5000, "1e9", "abc", ""])
def test_any_page_of_quotes_json_answers_200(app, page):
    client = signed_in(app, "viewer")
    response = client.get(f"/quotes.json?page={page}")
    assert response.status_code == 200 and response.get_json() == {"quotes": []}


def test_more_than_1000_files_on_verify_says_so(app):
    client = signed_in(app, "viewer")
    files = [(io.BytesIO(b"x"), f"f{n}.pdf") for n in range(1001)]
    response = client.post("/verify", data={"files": files, "csrf_token": token(client, "/verify")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "1,001 files sent" in response.get_data(as_text=True)
    files = [(io.BytesIO(b"x"), f"f{n}.pdf") for n in range(1100)]
    response = client.post("/verify", data={"files": files, "csrf_token": token(client, "/verify")},
                           content_type="multipart/form-data")
    assert response.status_code == 413 and "at most 1,000 files" in response.get_data(as_text=True)


def test_downloads_say_their_charset_once(app):
    client = signed_in(app, "desk")
    number = issue(client)
    for name, kind in ((f"{number}.txt", "text/plain"), (f"{number}.html", "text/html")):
        assert client.get(f"/quotes/{number}/{name}").headers["Content-Type"] == f"{kind}; charset=utf-8"
    assert client.get("/quotes.csv").headers["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize("how", ["404", "405", "413", "400"])
def test_error_answers_carry_the_security_headers(app, how):
    client = signed_in(app, "desk")
    response = {"404": lambda: client.get("/quotes/NOPE-1"), "405": lambda: client.open("/quotes", method="TRACE"),
                "413": lambda: client.post("/verify", environ_overrides={"CONTENT_LENGTH": str(10 ** 9)}),
                "400": lambda: client.post("/verify", data={})}[how]()
    assert response.status_code == int(how)
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert response.headers["X-Frame-Options"] == "DENY" and response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_email_draft_form_posts_its_address(app):
    client = signed_in(app, "desk")
    number = issue(client)
    page = client.get(f"/quotes/{number}").get_data(as_text=True)
    assert 'class="draft" method="post"' in page
    assert post(client, f"/quotes/{number}/draft.eml", {"to": "buyer@example.mil"}).status_code == 200
    assert client.post(f"/quotes/{number}/draft.eml", data={"to": "buyer@example.mil"}).status_code == 400


def test_the_web_says_practice_quote_never_the_option(app, tmp_path):
    desk, approver = signed_in(app, "desk"), signed_in(app, "approver")
    number = issue(desk, practice="1")
    page = post(approver, f"/quotes/{number}/accept", {"delivery_order": "SPE2DE26F0001"}).get_data(as_text=True)
    assert "practice quote" in page and "--practice" not in page
