"""Quotes from the register by e-mail: the .eml draft read back with `email.parser`, and `quote send` to a real
SMTP server (aiosmtpd on a loopback port), on SQLite and PostgreSQL (docs/customers-and-email.md)."""

import json
from email import policy
from email.parser import BytesParser

import pytest

from conftest import assert_no_traceback
from mailserver import Inbox, free_port
from registers import MORE, REQUEST, issued

CONTACT = REQUEST.replace('dodaac = "W91ABC"', 'dodaac = "W91ABC"\ncontact = "Maj. Ann Lee"\n'
                                               'email = "ann.lee@example.mil"')
PROFILE = """[vendor]
name = "Pacira BioSciences, Inc."
email = "orders@example.com"

[preparer]
name = "Alex Smith"
email = "alex.smith@example.com"
"""
PASSWORD = "correct horse"


def profile(desk, text=PROFILE, name="desk.toml"):
    path = desk.folder / name
    path.write_text(text, encoding="utf-8")
    return path


def parsed(data: bytes):
    return BytesParser(policy=policy.default).parsebytes(data)


def attachments(message) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()}


def one_line(result) -> str:
    assert_no_traceback(result)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# ------------------------------------------------------------------ the .eml draft


def test_the_eml_is_a_draft_with_the_summary_and_the_stored_files(desk):
    number = issued(desk.issue(CONTACT))
    path = desk.folder / "quote.eml"
    result = desk("quote", "email", number, "-o", path, "--profile", profile(desk))
    assert result.exit_code == 0, result.stderr
    assert f"wrote {path} (to ann.lee@example.mil)" in result.stdout
    message = parsed(path.read_bytes())
    assert message["To"] == "ann.lee@example.mil"
    assert message["From"] == message["Reply-To"] == "Alex Smith <alex.smith@example.com>"
    assert message["Subject"] == f"Quote {number} - Public Example Clinic - contract SPE2DE-21-D-7004"
    assert message["X-Unsent"] == "1"
    assert message["Date"] is None and message["Message-ID"] is None
    assert message.get_content_type() == "multipart/mixed"
    body = message.get_body(preferencelist=("plain",))
    text = (desk.out / f"{number}.txt").read_text(encoding="utf-8")
    assert body.get_content().replace("\r\n", "\n") == text, "the body is the stored summary (CRLF on the wire)"
    assert message.get_body(preferencelist=("html",)) is None or (desk.out / f"{number}.html").exists()
    files = attachments(message)
    assert sorted(files) == [f"{number}.pdf", f"{number}.xlsx"]
    for name, content in files.items():
        assert content == (desk.out / name).read_bytes(), name
    again = desk.folder / "again.eml"
    assert desk("quote", "email", number, "-o", again, "--profile", profile(desk)).exit_code == 0
    assert again.read_bytes() == path.read_bytes()


def test_to_and_cc_replace_the_contact_and_a_bad_address_is_named(desk):
    number = issued(desk.issue(CONTACT))
    path = desk.folder / "q.eml"
    assert desk("quote", "email", number, "-o", path, "--to", "buyer@example.mil", "--cc", "boss@example.mil",
                "--profile", profile(desk)).exit_code == 0
    message = parsed(path.read_bytes())
    assert (message["To"], message["Cc"]) == ("buyer@example.mil", "boss@example.mil")
    bad = desk("quote", "email", number, "-o", desk.folder / "bad.eml", "--to", "buyer at example")
    assert bad.exit_code == 2 and "--to 'buyer at example' is not an e-mail address" in one_line(bad)
    assert not (desk.folder / "bad.eml").exists()


def test_without_a_preparer_the_draft_falls_back_and_says_so(desk):
    number = issued(desk.issue(CONTACT))
    vendor_only = profile(desk, PROFILE.split("[preparer]")[0], "vendor.toml")
    result = desk("quote", "email", number, "-o", desk.folder / "v.eml", "--profile", vendor_only)
    assert result.exit_code == 0 and "From and Reply-To are the vendor's e-mail orders@example.com" in result.stderr
    assert parsed((desk.folder / "v.eml").read_bytes())["From"] == '"Pacira BioSciences, Inc." <orders@example.com>'
    bare = desk("quote", "email", number, "-o", desk.folder / "n.eml", env={"PROCURE_PROFILE": None})
    assert bare.exit_code == 0 and "no profile was found" in bare.stderr
    assert parsed((desk.folder / "n.eml").read_bytes())["From"] is None


def test_a_quote_without_a_contact_email_needs_to(desk):
    number = issued(desk.issue())
    result = desk("quote", "email", number, "-o", desk.folder / "q.eml")
    assert result.exit_code == 1 and "gave no contact e-mail" in one_line(result) and "--to" in result.stderr


def test_void_and_superseded_quotes_are_not_emailed(desk):
    void = issued(desk.issue(CONTACT))
    assert desk("quote", "void", void, "--reason", "duplicate").exit_code == 0
    old = issued(desk.issue(CONTACT))
    issued(desk.revise(old, MORE.replace('dodaac = "W91ABC"', 'dodaac = "W91ABC"\nemail = "a@example.mil"')))
    for number, status in ((void, "void (duplicate)"), (old, "superseded by")):
        result = desk("quote", "email", number, "-o", desk.folder / "x.eml")
        assert result.exit_code == 1 and f"{number} is {status}" in one_line(result)
        assert not (desk.folder / "x.eml").exists()



def test_a_practice_quote_is_never_emailed_to_a_customer(desk):
    practice = issued(desk.issue(CONTACT, "--practice"))
    result = desk("quote", "email", practice, "-o", desk.folder / "x.eml")
    assert result.exit_code == 1 and f"{practice} is a practice quote" in one_line(result)
    assert not (desk.folder / "x.eml").exists()


# ------------------------------------------------------------------ sending


@pytest.fixture
def smtp_server():
    """A real SMTP server on a loopback port that signs in `desk` with PASSWORD (no TLS); yields (port, inbox)."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def authenticate(server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and data.login == b"desk" and data.password == PASSWORD.encode()
        return AuthResult(success=ok, handled=False)  # False: the server sends the 535 reply itself

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=authenticate,
                            auth_require_tls=False)
    controller.start()
    yield controller.port, inbox
    controller.stop()


def smtp_profile(desk, port: int) -> str:
    return str(profile(desk, PROFILE + f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
                                       f'username = "desk"\n', "smtp.toml"))


def sent_at(desk, number):
    return next(q for q in json.loads(desk("quote", "list", "--json").stdout)["quotes"]
                if q["number"] == number)["sent_at"]


def test_send_delivers_the_message_and_records_a_sent_event(desk, smtp_server):
    port, inbox = smtp_server
    number = issued(desk.issue(CONTACT))
    result = desk("quote", "send", number, "--cc", "boss@example.mil", "--profile", smtp_profile(desk, port),
                  "--by", "alex", env={"PROCURE_SMTP_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"sent {number} to ann.lee@example.mil (cc boss@example.mil), Message-ID <")
    assert PASSWORD not in result.stdout + result.stderr
    [(sender, recipients, raw)] = inbox.received
    assert sender == "alex.smith@example.com" and recipients == ["ann.lee@example.mil", "boss@example.mil"]
    message = parsed(raw)
    assert message["Subject"] == f"Quote {number} - Public Example Clinic - contract SPE2DE-21-D-7004"
    assert message["X-Unsent"] is None and message["Date"] is not None
    assert message["Message-ID"] in result.stdout
    for name, content in attachments(message).items():
        assert content == (desk.out / name).read_bytes(), name
    assert sent_at(desk, number) is not None
    events = json.loads(desk("quote", "show", number, "--json").stdout)["events"]
    assert [(e["event"], e["to"], e["recorded_by"]) for e in events] == [("sent", "ann.lee@example.mil", "alex")]
    assert json.loads(desk("quote", "list", "--json").stdout)["quotes"][0]["status"] == "issued"
    assert [q["number"] for q in json.loads(desk("quote", "due", "--within", "30", "--json").stdout)["quotes"]] == [
        number]


def test_a_wrong_password_is_one_line_and_records_nothing(desk, smtp_server):
    port, inbox = smtp_server
    number = issued(desk.issue(CONTACT))
    result = desk("quote", "send", number, "--profile", smtp_profile(desk, port),
                  env={"PROCURE_SMTP_PASSWORD": "wrong"})
    assert result.exit_code == 1
    line = one_line(result)
    assert line.startswith(f"error: 127.0.0.1:{port}: the mail server refused the sign-in of 'desk' (535")
    assert "wrong" not in line
    assert inbox.received == [] and sent_at(desk, number) is None


def test_a_refused_connection_is_one_line_and_records_nothing(desk):
    number = issued(desk.issue(CONTACT))
    port = free_port()
    result = desk("quote", "send", number, "--profile", smtp_profile(desk, port),
                  env={"PROCURE_SMTP_PASSWORD": PASSWORD})
    assert result.exit_code == 1
    assert one_line(result) == (f"error: 127.0.0.1:{port}: cannot connect to the mail server: Connection refused; "
                                f"nothing was sent")
    assert sent_at(desk, number) is None


def test_send_needs_a_server_and_a_password_and_a_quote_that_may_go(desk, smtp_server):
    port, inbox = smtp_server
    number = issued(desk.issue(CONTACT))
    no_server = desk("quote", "send", number, "--profile", profile(desk))
    assert no_server.exit_code == 1 and "no [smtp] section" in one_line(no_server)
    no_password = desk("quote", "send", number, "--profile", smtp_profile(desk, port),
                       env={"PROCURE_SMTP_PASSWORD": None})
    assert no_password.exit_code == 1 and "PROCURE_SMTP_PASSWORD is not set" in one_line(no_password)
    assert desk("quote", "void", number, "--reason", "wrong facility").exit_code == 0
    void = desk("quote", "send", number, "--profile", smtp_profile(desk, port),
                env={"PROCURE_SMTP_PASSWORD": PASSWORD})
    assert void.exit_code == 1 and "is void (wrong facility)" in one_line(void)
    assert inbox.received == []


def test_a_password_in_the_profile_is_refused(desk):
    number = issued(desk.issue(CONTACT))
    path = profile(desk, PROFILE + '\n[smtp]\nhost = "smtp.example.com"\npassword = "x"\n', "pw.toml")
    result = desk("quote", "send", number, "--profile", path)
    assert result.exit_code == 2
    assert "pw.toml:11: [smtp] password: a password is never kept in the profile" in one_line(result)


@pytest.mark.parametrize("smtp, problem", [
    ('host = "smtp.example.com"\nsecurity = "ssl"', "[smtp] security: 'ssl' is not one of 'starttls', 'tls', 'none'"),
    ('host = "smtp.example.com"\nport = 0', "[smtp] port: must be a whole number of at least 1, not 0"),
    ('port = 25', "[smtp]: host is required"),
    ('host = "smtp example"', "[smtp] host: 'smtp example' is not a server name"),
])
def test_a_bad_smtp_section_is_one_line_naming_the_profile_and_key(run, tmp_path, smtp, problem):
    path = tmp_path / "desk.toml"
    path.write_text(f"{PROFILE}\n[smtp]\n{smtp}\n", encoding="utf-8")
    request = tmp_path / "request.toml"
    request.write_text(CONTACT, encoding="utf-8")
    result = run("check", request, "--profile", path)
    assert result.exit_code == 2
    assert one_line(result).startswith("error: ") and "desk.toml:" in result.stderr and problem in result.stderr


def test_an_eml_is_never_written_over_a_file_without_force(desk):
    number = issued(desk.issue(CONTACT))
    path = desk.folder / "q.eml"
    path.write_bytes(b"mine")
    refused = desk("quote", "email", number, "-o", path)
    assert refused.exit_code == 1 and path.read_bytes() == b"mine"
    assert desk("quote", "email", number, "-o", path, "--force").exit_code == 0
    assert parsed(path.read_bytes())["X-Unsent"] == "1"


def test_a_preparer_email_that_is_not_an_address_is_named(desk):
    number = issued(desk.issue(CONTACT))
    bad = profile(desk, PROFILE.replace("alex.smith@example.com", "alex at example"), "bad.toml")
    result = desk("quote", "email", number, "-o", desk.folder / "q.eml", "--profile", bad)
    assert result.exit_code == 1
    assert one_line(result) == ("error: bad.toml: [preparer] email 'alex at example' is not an e-mail address such "
                                "as alex.smith@example.com")


def test_starttls_to_a_server_without_it_is_one_line_and_sends_nothing(desk, smtp_server):
    port, inbox = smtp_server
    number = issued(desk.issue(CONTACT))
    path = profile(desk, PROFILE + f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "starttls"\n', "tls.toml")
    result = desk("quote", "send", number, "--profile", path)
    assert result.exit_code == 1
    assert one_line(result).startswith(f"error: 127.0.0.1:{port}: the mail server does not offer what "
                                       f"[smtp] security = 'starttls' needs")
    assert inbox.received == [] and sent_at(desk, number) is None
