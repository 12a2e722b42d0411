"""The profile: who a quote is from (the vendor's identity) and who prepared it.

Found, in order: `--profile FILE`, env `PROCURE_PROFILE`, `procure.toml` in the
current folder; else none, and quotes carry the catalog's vendor name alone.
Checked like a request: every problem names the file, the line and the key.
An optional `[smtp]` section names the mail server quotes are sent through
(`procure quote send`); its password is never in the profile, only in env
PROCURE_SMTP_PASSWORD. An optional `[approval]` section holds the rules that keep
a quote waiting for an approver (`total_over`, `new_customer`, `hand_quantities`).
An optional `[web] base_url` is where officers reach the desk
(`https://quotes.example.com`): customer links and the e-mails that carry them
start with it.
"""

import os
from decimal import Decimal

from procure.core.arguments import PATH, TEXT, FilePath, expect
from procure.core.errors import InputError
from procure.core.money import parse_price
from procure.core.record import Record
from procure.core.tomlschema import Checker, Document, parse_toml
from procure.core.user_files import read_text

CAGE = r"[A-Z0-9]{5}"
UEI = r"[A-HJ-NP-Z1-9][A-HJ-NP-Z0-9]{11}"
"""SAM's Unique Entity ID: 12 characters, no I or O, not starting with 0."""
LOCAL_PROFILE = "procure.toml"
VENDOR_TEXTS = ("name", "address", "remit_to", "phone", "email", "website")
PREPARER_TEXTS = ("name", "title", "phone", "email")
SECURITY = {"starttls": 587, "tls": 465, "none": 25}
"""`[smtp] security` and the port each uses unless `port` is given."""
BASE_URL = r"https?://[A-Za-z0-9.\[\]:-]+(/[A-Za-z0-9._~/-]*)?"
"""`[web] base_url`: a plain http(s) address, no query or fragment."""
HOST = r"[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]"
PLACEHOLDER_CAGES = frozenset({"1ABC2"})
PLACEHOLDER_UEIS = frozenset({"ABCDEFGH1234"})
"""The example profile's CAGE and UEI: placeholders wherever they appear."""


class Vendor(Record):
    name: str | None = None
    cage: str | None = None
    uei: str | None = None
    address: str | None = None
    remit_to: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    placeholder: bool = False
    """`placeholder = true`: an example identity, never to be quoted for real."""

    @property
    def placeholders(self) -> tuple[str, ...]:
        """What of the identity is an example's: `placeholder = true`, the example CAGE, the example UEI."""
        return tuple(what for what, yes in (("it says placeholder = true", self.placeholder),
                                            (f"CAGE {self.cage} is the example's", self.cage in PLACEHOLDER_CAGES),
                                            (f"UEI {self.uei} is the example's", self.uei in PLACEHOLDER_UEIS)) if yes)


class Preparer(Record):
    name: str | None = None
    title: str | None = None
    phone: str | None = None
    email: str | None = None


class Smtp(Record):
    """The mail server quotes are sent through."""

    host: str
    port: int
    security: str
    """`starttls` (a plain connection raised to TLS), `tls` (TLS from the start) or `none`."""
    username: str | None = None
    """Sign in as this user (the password from env PROCURE_SMTP_PASSWORD); None: send without signing in."""

    @property
    def shown(self) -> str:
        """`smtp.example.com:587`, as messages name the server."""
        return f"{self.host}:{self.port}"


class ApprovalRules(Record):
    """`[approval]`: the rules that hold a quote for an approver (`core/approval.py` applies them)."""

    total_over: Decimal | None = None
    """A total above this amount."""
    new_customer: bool = False
    """A DoDAAC no quote has gone out to."""
    hand_quantities: bool = False
    """A line whose quantity was set by hand, not by the plan."""


class Profile(Record):
    name: str
    """The profile file's name without its folder."""
    vendor: Vendor
    preparer: Preparer | None
    smtp: Smtp | None = None
    approval: ApprovalRules | None = None
    base_url: str | None = None
    """`[web] base_url`: the address officers reach the desk at, for customer links."""


def find_profile(option: FilePath | None) -> str | None:
    """The profile file in use: the option, else env PROCURE_PROFILE, else ./procure.toml if there is one."""
    chosen = option or os.environ.get("PROCURE_PROFILE")
    if chosen:
        return os.fspath(chosen)
    return LOCAL_PROFILE if os.path.isfile(LOCAL_PROFILE) else None


def read_profile(path: FilePath | None = None, *, text: str | None = None, name: str | None = None) -> Profile:
    """Read and check a profile file, or profile `text`; InputError lists every problem."""
    for argument, value in (("path", path), ("text", text), ("name", name)):
        expect("read_profile", argument, value, PATH if argument == "path" else TEXT)
    if text is None:
        if path is None:
            raise InputError("read_profile: give path (a profile file) or text= (TOML text)")
        text = read_text(path, "profile")
    name = name if name is not None else (os.fspath(path) if path is not None else LOCAL_PROFILE)
    c = Checker(name, text)
    data = parse_toml(text, name)
    c.keys(data, (), ("vendor", "preparer", "smtp", "approval", "web"))
    vendor_table = c.table(data, (), "vendor") or {}
    c.keys(vendor_table, ("vendor",), VENDOR_TEXTS + ("cage", "uei", "placeholder"))
    cage = c.text(vendor_table, ("vendor",), "cage", pattern=CAGE, max_length=5,
                  rule="a CAGE code: 5 characters, A-Z and 0-9, such as 1ABC2")
    uei = c.text(vendor_table, ("vendor",), "uei", pattern=UEI, max_length=12,
                 rule="a Unique Entity ID: 12 characters, A-Z and 0-9 without I or O, not starting with 0, "
                      "such as ABCDEFGH1234")
    vendor = Vendor(cage=cage, uei=uei, placeholder=bool(c.boolean(vendor_table, ("vendor",), "placeholder")),
                    **{k: c.text(vendor_table, ("vendor",), k, max_length=300) for k in VENDOR_TEXTS})
    preparer_table = c.table(data, (), "preparer")
    preparer = None
    if preparer_table is not None:
        c.keys(preparer_table, ("preparer",), PREPARER_TEXTS)
        preparer = Preparer(**{k: c.text(preparer_table, ("preparer",), k, max_length=200) for k in PREPARER_TEXTS})
    smtp = _smtp(c, c.table(data, (), "smtp"))
    approval = _approval(c, c.table(data, (), "approval"))
    web = c.table(data, (), "web") or {}
    c.keys(web, ("web",), ("base_url",))
    base_url = c.text(web, ("web",), "base_url", pattern=BASE_URL, max_length=300,
                      rule="the address officers reach the desk at, such as https://quotes.example.com")
    if c.problems:
        raise InputError(c.problems)
    return Profile(name=os.path.basename(name), vendor=vendor, preparer=preparer, smtp=smtp, approval=approval,
                   base_url=base_url.rstrip("/") if base_url else None)


def _approval(c: Checker, table: Document | None) -> ApprovalRules | None:
    if table is None:
        return None
    at = ("approval",)
    c.keys(table, at, ("total_over", "new_customer", "hand_quantities"))
    total_over = None
    value = table.get("total_over")
    if isinstance(value, str):
        try:
            total_over = parse_price(value)
        except ValueError as e:
            c.fail(at + ("total_over",), f"{e}; give an amount such as \"25000.00\"")
    elif value is not None:
        total_over = c.number(table, at, "total_over", minimum=0, maximum=10**12)
    return ApprovalRules(total_over=total_over, new_customer=bool(c.boolean(table, at, "new_customer")),
                         hand_quantities=bool(c.boolean(table, at, "hand_quantities")))


def _smtp(c: Checker, table: Document | None) -> Smtp | None:
    if table is None:
        return None
    at = ("smtp",)
    if "password" in table:
        c.fail(at + ("password",), "a password is never kept in the profile: remove it and set the environment "
                                   "variable PROCURE_SMTP_PASSWORD where `procure quote send` runs")
    c.keys({k: v for k, v in table.items() if k != "password"}, at, ("host", "port", "security", "username"))
    host = c.text(table, at, "host", required=True, pattern=HOST, max_length=253,
                  rule="a server name such as smtp.example.com")
    security = c.text(table, at, "security", max_length=20)
    if security is not None and security not in SECURITY:
        c.fail(at + ("security",), f"{security!r} is not one of {', '.join(map(repr, SECURITY))}")
        security = None
    security = security or "starttls"
    port = c.integer(table, at, "port", minimum=1, maximum=65535)
    username = c.text(table, at, "username", max_length=300)
    return Smtp(host or "", port or SECURITY[security], security, username)


def profile_for(option: FilePath | None) -> Profile | None:
    """The profile found by `find_profile`, read and checked; None when there is none."""
    expect("profile_for", "option", option, PATH)
    path = find_profile(option)
    return read_profile(path) if path else None
