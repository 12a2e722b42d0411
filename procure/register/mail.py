"""A quote from the register as an e-mail message, to save as a draft or to send (docs/customers-and-email.md).

The message is made with the standard library's `email`: the stored text summary
as the plain-text body (the stored HTML copy as its alternative, when the quote
has one), the stored PDF and workbook attached byte for byte. To is the quote's
contact (the version of the facility's record its issue made) unless given;
From and Reply-To are the profile's preparer. A draft (`quote email`) carries
`X-Unsent: 1`, so Outlook opens it to check and send, and no date or Message-ID,
so the same quote makes the same bytes. `send` delivers it through the profile's
`[smtp]` server and records a `sent` event; a failure records nothing. When the
facility has a live customer link and the profile a `[web] base_url`, the message
opens with a link to the facility's quotes (`facility_link`).
"""

import datetime
import html
import os
import re
import smtplib
import socket
import ssl
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid, parseaddr

from procure.core.digest import sha256_hex
from procure.core.errors import DeliveryError, InputError, RuleError
from procure.core.profile import Profile, Smtp, find_profile, read_profile
from procure.core.record import Record
from procure.register.approval import released
from procure.register.facility_directory import contact_of_quote
from procure.register.issuing import find
from procure.register.records import EXPIRED, SUPERSEDED, VOID, Entry, Sent
from procure.register.store import Store
from procure.register.stored import utc_now

PASSWORD_VARIABLE = "PROCURE_SMTP_PASSWORD"
TIMEOUT = 30
"""Seconds to wait for the mail server at each step."""
ATTACHED = {".pdf": ("application", "pdf"),
            ".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")}


class Draft(Record):
    """A quote's message, and what a user should know of how it was addressed."""

    message: EmailMessage
    entry: Entry
    recipients: tuple[str, ...]
    cc: tuple[str, ...]
    notes: tuple[str, ...]


def sendable(entry: Entry) -> None:
    """RuleError if the quote may not go to a customer: void, superseded, or a practice quote."""
    if entry.status in (VOID, SUPERSEDED):
        raise RuleError(f"{entry.number} is {entry.status_text}: it cannot be e-mailed to the customer")
    if entry.practice:
        raise RuleError(f"{entry.number} is a practice quote: it cannot be e-mailed to a customer")


def address(text: str, option: str) -> str:
    """An e-mail address as given (`--to`, `--cc`), checked: InputError if it is not one."""
    addr = parseaddr(text)[1]
    local, at, domain = addr.rpartition("@")
    if not at or not local or "." not in domain or any(c.isspace() for c in addr) or "," in text:
        raise InputError(f"{option} {text!r} is not an e-mail address such as buyer@example.mil")
    return addr


def compose(store: Store, number: str, profile: Profile | None, contract: str, *, to=(), cc=(),
            today: datetime.date | None = None, cover: str | None = None) -> Draft:
    """The message of quote `number` (a draft: `X-Unsent: 1`), addressed to `to` or the quote's contact; a
    `cover` note goes above the quote's text (and above the HTML copy)."""
    today = today or datetime.date.today()
    entry = find(store, number, today)
    sendable(entry)
    released(store, entry, "e-mailed")
    notes = [f"{entry.number} is {entry.status_text}: revise it before the customer relies on it"] \
        if entry.status == EXPIRED else []
    recipients = _recipients(store, entry, to)
    copies = tuple(address(a, "--cc") for a in cc)
    files = {f.suffix: f.content for f in store.files(entry.number)}
    message = EmailMessage(policy=SMTP)
    message["To"] = ", ".join(recipients)
    if copies:
        message["Cc"] = ", ".join(copies)
    sender, note = _sender(profile)
    if note:
        notes.append(note)
    if sender:
        message["From"] = message["Reply-To"] = sender
    message["Subject"] = f"Quote {entry.number} - {entry.facility} - contract {contract}"
    message["X-Unsent"] = "1"
    cover = cover_note(cover)
    link = facility_link(store, entry.dodaac, profile)
    text = files[".txt"].decode("utf-8")
    message.set_content("\n\n".join(part for part in (cover, f"{LINK_TEXT}\n{link}" if link else "", text) if part),
                        cte="quoted-printable")
    if ".html" in files:
        page = files[".html"].decode("utf-8")
        if link:
            shown = html.escape(link)
            page = re.sub(r"(<body[^>]*>)", lambda m: f'{m[1]}\n<p>{LINK_TEXT} <a href="{shown}">{shown}</a></p>',
                          page, count=1)
        message.add_alternative(_html_with_cover(page, cover), subtype="html", cte="quoted-printable")
    for suffix, (kind, subtype) in ATTACHED.items():
        message.add_attachment(files[suffix], maintype=kind, subtype=subtype, filename=f"{entry.number}{suffix}")
    seed = sha256_hex(b"".join(files[s] for s in sorted(files)))[:24]
    for i, part in enumerate(p for p in message.walk() if p.is_multipart()):
        part.set_boundary(f"=_procure_{seed}_{i}")
    return Draft(message, entry, recipients, copies, tuple(notes))


LINK_TEXT = "Your facility's quotes, to read, accept or ask for changes online:"


def facility_link(store: Store, dodaac: str, profile: Profile | None) -> str | None:
    """The facility's link for a message, when it has a live one and the profile gives `[web] base_url`.

    The register keeps only a hash of each link, so a message gets a new link of its own, expiring with the
    facility's live link that lasts longest (revoking the facility's links revokes it too)."""
    from procure.register.links import create_link, newest_live, url_of

    live = newest_live(store, dodaac)
    if live is None or profile is None or not profile.base_url:
        return None
    _, token = create_link(store, dodaac, by=f"e-mail ({live.created_by}'s link {live.id})", expires=live.expires_at)
    return url_of(profile.base_url, token)
MAX_COVER = 5000
"""The longest cover note, in characters."""


def cover_note(text: str | None) -> str:
    """A cover note as typed, with its line ends made plain: InputError if it is too long or holds a control
    character."""
    from procure.core.characters import describe, forbidden

    lines = [line.rstrip() for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    note = "\n".join(lines).strip("\n")
    if len(note) > MAX_COVER:
        raise InputError(f"the cover note is too long: use at most {MAX_COVER} characters")
    char = forbidden(note.replace("\n", " ").replace("\t", " "))
    if char is not None:
        raise InputError(f"the cover note holds {describe(char)}: type it without one")
    return note


def _html_with_cover(page: str, cover: str) -> str:
    """The HTML copy with the cover note's paragraphs at the top of its body."""
    if not cover:
        return page
    paragraphs = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in cover.split("\n\n") if p.strip())
    start = page.find("<body")
    end = page.find(">", start) + 1 if start >= 0 else 0
    return f"{page[:end]}<div class=\"cover-note\">{paragraphs}</div>{page[end:]}"


def mark_sent(store: Store, number: str, to: str, on: datetime.date, *, by: str,
              today: datetime.date | None = None) -> Sent:
    """Record that quote `number` was sent to `to` on `on` from the user's own mail program (a draft sent from
    Outlook, say): a `sent` event without a Message-ID."""
    today = today or datetime.date.today()
    entry = find(store, number, today)
    sendable(entry)
    released(store, entry, "marked as sent")
    recipients = tuple(address(a.strip(), "To") for a in to.replace(";", ",").split(",") if a.strip())
    if not recipients:
        raise InputError("To: give the address the quote was sent to, such as buyer@example.mil")
    if on > today:
        raise InputError(f"Date sent: {on} is after today: give the day it was sent")
    if on < entry.date:
        raise InputError(f"Date sent: {on} is before the quote's date {entry.date}")
    now = utc_now()
    at = now if on == now.date() else datetime.datetime.combine(on, datetime.time(12), datetime.UTC)
    sent = Sent(entry.number, recipients, (), MARKED, by, at)
    with store.writing():
        store.add_sent(sent)
    return sent


MARKED = ""
"""The Message-ID of a quote marked as sent from another mail program: none that procure knows."""


def _recipients(store: Store, entry: Entry, to) -> tuple[str, ...]:
    """`--to` as given, else the quote's contact's e-mail."""
    if to:
        return tuple(address(a, "--to") for a in to)
    contact = contact_of_quote(store, entry.number, entry.dodaac)
    if contact is None or not contact.email:
        raise RuleError(f"{entry.number}: the request gave no contact e-mail for {entry.facility}: give --to "
                        f"ADDRESS (or record one with `procure customer set {entry.dodaac} --email ...`)")
    try:
        return (address(contact.email, "the contact's e-mail"),)
    except InputError:
        raise RuleError(f"{entry.number}: the contact's e-mail {contact.email!r} is not an e-mail address: "
                        f"give --to ADDRESS") from None


def profile_of(store: Store, number: str, option: str | None) -> Profile | None:
    """The profile to send as: `--profile`, env PROCURE_PROFILE or ./procure.toml, else the one the quote was
    issued with."""
    path = find_profile(option)
    if path is not None:
        return read_profile(path)
    issued = store.issued(number)
    if issued.profile_bytes is None:
        return None
    return read_profile(text=issued.profile_bytes.decode("utf-8"), name=issued.profile_name)


def _sender(profile: Profile | None) -> tuple[str | None, str | None]:
    """From and Reply-To: the preparer's name and e-mail, else the vendor's e-mail; and a note when it falls back."""
    if profile is None:
        return None, ("no profile was found (--profile, PROCURE_PROFILE or procure.toml here, nor one stored with "
                      "the quote): the message has no From; your mail program puts in your own address")
    preparer = profile.preparer
    if preparer and preparer.email:
        return _mailbox(profile, "[preparer]", preparer.name, preparer.email), None
    if profile.vendor.email:
        vendor = _mailbox(profile, "[vendor]", profile.vendor.name, profile.vendor.email)
        return vendor, (f"the profile {profile.name} gives no [preparer] email: From and Reply-To are the vendor's "
                        f"e-mail {profile.vendor.email}")
    return None, (f"the profile {profile.name} gives no [preparer] email: the message has no From; your mail "
                  f"program puts in your own address (add [preparer] email to the profile to set it)")


def _mailbox(profile: Profile, section: str, name: str | None, email: str) -> str:
    """`Alex Smith <alex@example.com>`; RuleError naming the profile's key when the e-mail is not an address."""
    from email.errors import HeaderParseError
    from email.headerregistry import Address

    try:
        return str(Address(name or "", addr_spec=address(email, "e-mail")))
    except (InputError, ValueError, HeaderParseError):
        raise RuleError(f"{profile.name}: {section} email {email!r} is not an e-mail address such as "
                        f"alex.smith@example.com") from None


def eml_bytes(draft: Draft) -> bytes:
    return draft.message.as_bytes()


def send(store: Store, draft: Draft, smtp: Smtp | None, *, by: str) -> tuple[Sent, tuple[str, ...]]:
    """Send the draft through `smtp` and record it; DeliveryError (nothing recorded) if it does not go.
    The sent event, and a line for each recipient the server refused while it took the others."""
    if smtp is None:
        raise RuleError("the profile has no [smtp] section naming the mail server: add host, port, security and "
                        "username, or use `procure quote email` to save a draft")
    message = draft.message
    if "From" not in message:
        raise RuleError(f"{smtp.shown}: a message sent needs a sender: add [preparer] email to the profile")
    password = os.environ.get(PASSWORD_VARIABLE)
    if smtp.username and not password:
        raise RuleError(f"{smtp.shown}: [smtp] username is {smtp.username!r} but {PASSWORD_VARIABLE} is not set: "
                        f"set it to the password where `procure quote send` runs")
    del message["X-Unsent"]
    at = utc_now()
    message["Date"] = format_datetime(at)
    message["Message-ID"] = make_msgid(domain=message["From"].addresses[0].domain or None)
    refused = _deliver(smtp, password, message, draft.recipients + draft.cc)
    sent = Sent(draft.entry.number, tuple(a for a in draft.recipients if a not in refused),
                tuple(a for a in draft.cc if a not in refused), message["Message-ID"], by, at)
    with store.writing():
        store.add_sent(sent)
    return sent, tuple(f"{smtp.shown}: the mail server refused {a} ({_replies({a: refused[a]})}); it was not sent "
                       f"there" for a in refused)


def tell_desk(profile: Profile | None, subject: str, text: str) -> bool:
    """A short message to the desk (the profile's preparer, else the vendor's e-mail) through the profile's
    `[smtp]` server, from that same address; False when the profile names no server or address. DeliveryError when
    the server does not take it."""
    if profile is None or profile.smtp is None:
        return False
    sender, _ = _sender(profile)
    if sender is None:
        return False
    password = os.environ.get(PASSWORD_VARIABLE)
    if profile.smtp.username and not password:
        return False
    message = EmailMessage(policy=SMTP)
    message["From"] = message["To"] = sender
    message["Subject"] = subject
    message["Date"] = format_datetime(utc_now())
    message["Message-ID"] = make_msgid(domain=message["From"].addresses[0].domain or None)
    message.set_content(text)
    _deliver(profile.smtp, password, message, [message["To"].addresses[0].addr_spec])
    return True


def _deliver(smtp: Smtp, password: str | None, message: EmailMessage, recipients) -> dict:
    """One connection to the server: TLS as configured, sign-in if a username is set, the message sent; the
    recipients the server refused while it took the others (`{address: (code, reply)}`)."""
    where = smtp.shown
    try:
        context = ssl.create_default_context()
        server = (smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=TIMEOUT, context=context) if smtp.security == "tls"
                  else smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT))
        with server:
            if smtp.security == "starttls":
                server.starttls(context=context)
            if smtp.username:
                server.login(smtp.username, password or "")
            refused = server.send_message(message, to_addrs=list(recipients))
    except smtplib.SMTPAuthenticationError as e:
        raise DeliveryError(f"{where}: the mail server refused the sign-in of {smtp.username!r} ({_reply(e)}); "
                            f"check [smtp] username and {PASSWORD_VARIABLE}; nothing was sent") from None
    except smtplib.SMTPRecipientsRefused as e:
        raise DeliveryError(f"{where}: the mail server refused the recipient(s) "
                            f"{', '.join(e.recipients)} ({_replies(e.recipients)}); nothing was sent") from None
    except smtplib.SMTPNotSupportedError as e:
        raise DeliveryError(f"{where}: the mail server does not offer what [smtp] security = {smtp.security!r} "
                            f"needs ({e}); nothing was sent") from None
    except smtplib.SMTPResponseException as e:
        raise DeliveryError(f"{where}: the mail server refused the message ({_reply(e)}); nothing was sent") from None
    except (smtplib.SMTPException, ssl.SSLError) as e:
        raise DeliveryError(f"{where}: the mail server failed: {e or type(e).__name__}; nothing was sent") from None
    except socket.gaierror:
        raise DeliveryError(f"{where}: cannot find the mail server {smtp.host!r}: check [smtp] host") from None
    except (OSError, TimeoutError) as e:
        reason = e.strerror or str(e) or type(e).__name__
        raise DeliveryError(f"{where}: cannot connect to the mail server: {reason}; nothing was sent") from None
    return refused


def _reply(e: smtplib.SMTPResponseException) -> str:
    text = e.smtp_error.decode("utf-8", "replace") if isinstance(e.smtp_error, bytes) else str(e.smtp_error)
    return f"{e.smtp_code} {' '.join(text.split())}"


def _replies(refused: dict) -> str:
    return "; ".join(_reply(smtplib.SMTPResponseException(code, text)) for code, text in refused.values())
