"""A practice register to look around the desk in (`procure serve --demo`): never a real one.

`make_practice` marks a register as a practice one, which it does only while the
register holds no quote and no user, so a real register is never turned into one.
`seed` fills it with the shipped examples issued in every status (issued,
superseded, accepted, void, expired) with the illustrative price list and the
example profile; `demo_sign_in` gives the one user a fresh password. Every quote
of a practice register is a practice quote (`integrity.is_practice_register`): it
says PRACTICE on every page and the desk never accepts it. The accepted example
is recorded here, as an example of what an accepted quote looks like.
"""

import datetime
import os
import re
import secrets
import tempfile

from procure.core.catalog import Catalog
from procure.core.errors import RuleError
from procure.core.request import delivery_order_piid
from procure.register.accounts import ADMIN, add_user, find_user, has_users, set_password
from procure.register.facility_directory import directory_of
from procure.register.integrity import PRACTICE_SETTING, is_practice_register
from procure.register.issuing import issue, read_source
from procure.register.ordering import void
from procure.register.records import ACCEPTED, Event, Placed
from procure.register.store import Store
from procure.register.stored import utc_now
from procure.shipped import shipped_folder

DEMO_USER = "demo"
BY = "demo"
"""Who the example quotes are issued, accepted and voided by."""
EXAMPLE_ORDER = "SPE2DE-27-F-0001"
"""The delivery order the accepted example names (a made-up one)."""


def make_practice(store: Store) -> None:
    """Make `store` a practice register; RuleError when it is a real one (it holds quotes, users or price lists)."""
    if is_practice_register(store):
        return
    with store.writing():
        if store.count()[0] or has_users(store) or store.has_price_lists():
            raise RuleError(f"{store.target.shown} is a real register (it holds quotes, users or price lists): only "
                            f"a new, empty register can be made a practice register; leave out --register, or name "
                            f"a new file")
        store.put_setting(PRACTICE_SETTING, "yes")


def demo_sign_in(store: Store) -> tuple[str, str]:
    """The demo user (an admin, to see every page) with a new password: `(name, password)`."""
    password = secrets.token_urlsafe(12)
    if find_user(store, DEMO_USER) is None:
        add_user(store, DEMO_USER, ADMIN, password)
    else:
        set_password(store, DEMO_USER, password)
    return DEMO_USER, password


def seed(store: Store, catalog: Catalog, today: datetime.date | None = None) -> list[str]:
    """Issue the shipped examples into the empty practice register `store`, one of each status; their numbers.

    Nothing is written but the register: the requests are copied, dated, into a temporary folder.
    """
    assert is_practice_register(store), "only a practice register is seeded"
    today = today or datetime.date.today()
    examples = shipped_folder("examples")
    prices = os.path.join(examples, "prices-illustrative.csv")
    profile = os.path.join(examples, "profile.toml")
    with tempfile.TemporaryDirectory(prefix="procure-demo-") as folder:
        def issued(example: str, date: datetime.date, *, revise: str | None = None, more: int = 0) -> str:
            path = _dated(os.path.join(examples, example), folder, date, more)
            source = read_source(path, prices, profile, directory_of(store))
            reason = "more procedures planned" if revise else None
            return issue(store, source, catalog, None, by=BY, revise=revise, reason=reason, today=date,
                         practice=True).issued.number

        superseded = issued("request.toml", today - datetime.timedelta(days=3))
        revision = issued("request.toml", today, revise=superseded, more=8)
        accepted = issued("army-medical-center.toml", today - datetime.timedelta(days=10))
        _accept(store, accepted, today)
        voided = issued("navy-gen1-nerve-stim.toml", today - datetime.timedelta(days=5))
        void(store, voided, "an example: the clinic ordered elsewhere", by=BY, today=today)
        expired = issued("air-force-first-handpiece.toml", today - datetime.timedelta(days=60))
    return [superseded, revision, accepted, voided, expired]


def _dated(example: str, folder: str, date: datetime.date, more: int) -> str:
    """A copy of an example request in `folder`, numbered by the register (its own number left out), dated
    `date`, with `more` procedures in its first treatment."""
    with open(example, encoding="utf-8") as given:
        text = given.read()
    text = re.sub(r"(?m)^number = .*\n", "", text, count=1)
    text = re.sub(r"(?m)^date = \S+", f"date = {date.isoformat()}", text, count=1)
    text = re.sub(r"(?m)^procedures = (\d+)", lambda m: f"procedures = {int(m.group(1)) + more}", text, count=1)
    path = os.path.join(folder, f"{date.isoformat()}-{more}-{os.path.basename(example)}")
    with open(path, "w", encoding="utf-8") as copy:
        copy.write(text)
    return path


def _accept(store: Store, number: str, today: datetime.date) -> None:
    """Record the example acceptance of `number` (`ordering.accept` refuses a practice quote, as the desk must)."""
    piid = delivery_order_piid(EXAMPLE_ORDER)
    entry = store.entry(number, today=today)
    assert piid is not None and entry is not None
    now = utc_now()
    with store.writing():
        store.add_event(Event(number=number, kind=ACCEPTED, superseded_by=None, delivery_order=piid, reason=None,
                              recorded_by=BY, recorded_at=now))
        store.add_order(Placed(number=number, kind=ACCEPTED, delivery_order=piid, order_date=today,
                               amount=entry.total, reason=None, recorded_by=BY, recorded_at=now, pay_dodaac=None,
                               issue_by=None, admin_by=None))
