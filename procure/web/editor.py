"""The request editor's fields: from a request (to edit it), from a submitted form, and as a request's TOML text.

Fields are named like the request file's keys (`customer.facility`,
`treatment.0.nerves`, `stock.1.packs`). The editor never checks a value itself:
the TOML it writes goes through `read_request`, the reader every request goes
through, so a field typed wrong is refused with the reader's message naming it.
A value typed where a number or date belongs is written as a number or date when
it reads as one, else as text, which the reader then refuses naming the field.
"""

import datetime
import json
import re

from procure.core.record import Record
from procure.core.request import Request

SCALARS = (
    ("quote", "number", "Quote number", "text"), ("quote", "date", "Quote date", "date"),
    ("quote", "valid_days", "Valid for days", "int"),
    ("customer", "facility", "Facility", "text"), ("customer", "dodaac", "DoDAAC", "text"),
    ("customer", "contact", "Contact", "text"), ("customer", "email", "E-mail", "text"),
    ("customer", "phone", "Phone", "text"), ("customer", "ship_to", "Ship to", "text"),
    ("order", "requisition", "Requisition", "text"), ("order", "delivery_order", "Delivery order", "text"),
    ("order", "fund_cite", "Fund cite", "text"), ("order", "required_delivery", "Required delivery", "date"),
    ("order", "bill_to", "Bill to", "text"), ("order", "mark_for", "Mark for", "text"),
    ("plan", "spare_percent", "Spare percent", "number"), ("plan", "generation", "Generation", "int"),
    ("reimbursement", "site", "Site of service", "text"),
)
"""(section, key, label, kind) of each single field, in the order of the request file."""
TREATMENT_KEYS = (("name", "text"), ("procedures", "int"), ("tips_per_procedure", "int"),
                  ("cartridges_per_procedure", "int"))
LINE_KEYS = (("part", "text"), ("quantity", "int"))
STOCK_KEYS = (("packs", "int"), ("loose", "int"))
ROW = re.compile(r"^(treatment|line|stock)\.(\d{1,3})\.([a-z_]+)$")
MAX_ROWS = 200
"""The most rows of treatments, lines or stock the editor takes."""
EDITOR_NAME = "request.toml"
"""What the editor's request is called in the register and in messages."""


class Fields(Record):
    values: dict[str, str]
    """`section.key` -> the text typed."""
    installed: list[str]
    treatments: list[dict]
    """Each: name, procedures, tips_per_procedure, cartridges_per_procedure (text), nerves (codes), nerve_stim."""
    lines: list[dict]
    stock: list[dict]
    """Each: part, packs, loose (text)."""
    reimbursement: bool
    """The request asks for the coding estimate ([reimbursement], with or without a site)."""


def blank() -> Fields:
    return Fields({}, [], [_treatment()], [], [], False)


def _treatment(**values) -> dict:
    return {"name": "", "procedures": "", "tips_per_procedure": "", "cartridges_per_procedure": "", "nerves": [],
            "nerve_stim": False, **values}


def from_request(request: Request, *, keep_number: bool = True) -> Fields:
    """The fields of a request read from a file, to edit it."""
    order, customer = request.references, request.customer
    values = {
        "quote.number": request.quote_number if keep_number else None,
        "quote.date": request.quote_date, "quote.valid_days": request.valid_days,
        **{f"customer.{k}": getattr(customer, k) for k in ("facility", "dodaac", "contact", "email", "phone",
                                                          "ship_to")},
        "order.requisition": order.requisition, "order.delivery_order": order.delivery_order_display,
        "order.fund_cite": order.fund_cite, "order.required_delivery": order.required_delivery,
        "order.bill_to": order.bill_to, "order.mark_for": order.mark_for,
        "plan.spare_percent": request.spare_percent or None, "plan.generation": request.generation,
        "reimbursement.site": request.site,
    }
    treatments = [_treatment(name=t.name, procedures=str(t.procedures), nerves=list(t.nerves),
                             nerve_stim=t.nerve_stim, tips_per_procedure=_text(t.tips_per_procedure),
                             cartridges_per_procedure=_text(t.cartridges_per_procedure))
                  for t in request.treatments]
    return Fields({k: _text(v) for k, v in values.items() if v is not None}, list(request.installed),
                  treatments, [{"part": line.part, "quantity": str(line.quantity)} for line in request.lines],
                  [{"part": part, "packs": str(s.packs), "loose": str(s.loose) if s.loose else ""}
                   for part, s in request.stock.items()],
                  request.reimbursement)


def from_document(data: dict, *, keep_number: bool = True) -> Fields:
    """The fields of a request read but refused (a form with bad cells): every value read, bad ones too, as
    typed, so that nothing the customer filled in is lost."""
    def table(key) -> dict:
        found = data.get(key)
        return found if isinstance(found, dict) else {}

    def rows(key) -> list[dict]:
        found = data.get(key)
        return [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []

    values = {f"{section}.{key}": _text(table(section).get(key)) for section, key, _, _ in SCALARS
              if not isinstance(table(section).get(key), (dict, list))}
    if not keep_number:
        values.pop("quote.number", None)
    installed = table("equipment").get("installed")
    treatments = [_treatment(**{k: _text(t.get(k)) for k, _ in TREATMENT_KEYS},
                             nerves=[str(n) for n in t.get("nerves", []) if isinstance(n, str)]
                             if isinstance(t.get("nerves"), list) else [],
                             nerve_stim=t.get("nerve_stim") is True) for t in rows("treatment")]
    stock = [{"part": str(part), "packs": _text(s.get("packs")), "loose": _text(s.get("loose"))}
             for part, s in table("stock").items() if isinstance(s, dict)]
    return Fields({k: v for k, v in values.items() if v}, [str(p) for p in installed if isinstance(p, str)]
                  if isinstance(installed, list) else [], treatments or [_treatment()],
                  [{k: _text(line.get(k)) for k, _ in LINE_KEYS} for line in rows("line")], stock,
                  "reimbursement" in data)


KNOWN = ("customer.facility", "customer.contact", "customer.email", "customer.phone", "customer.ship_to",
         "order.bill_to", "order.mark_for")
"""The fields a request naming only a known DoDAAC is completed with from the customer directory."""


def with_known(fields: Fields, request: Request) -> Fields:
    """The fields with those left empty filled as the checked `request` was completed (from the customer
    directory, when the request named only a DoDAAC)."""
    if request.customer_source is None:
        return fields
    completed = from_request(request).values
    return fields._replace(values={**fields.values, **{k: completed[k] for k in KNOWN
                                                       if not fields.values.get(k) and completed.get(k)}})


def field_name(path: tuple) -> str:
    """The editor's field of a request's key path: `("treatment", 0, "procedures")` is `treatment.0.procedures`;
    a stock row's path names its part, so it is the part's field."""
    return ".".join(str(p) for p in path[:3])


def from_form(form) -> Fields:
    """The fields of a submitted editor (a werkzeug MultiDict)."""
    values = {f"{s}.{k}": form.get(f"{s}.{k}", "").strip() for s, k, _, _ in SCALARS}
    rows: dict[str, dict[int, dict]] = {"treatment": {}, "line": {}, "stock": {}}
    for name in form:
        match = ROW.match(name)
        if match and int(match[2]) < MAX_ROWS:
            rows[match[1]].setdefault(int(match[2]), {})
    treatments = [_treatment(**{k: form.get(f"treatment.{i}.{k}", "").strip() for k, _ in TREATMENT_KEYS},
                             nerves=[c.strip().upper() for c in form.getlist(f"treatment.{i}.nerves") if c.strip()],
                             nerve_stim=bool(form.get(f"treatment.{i}.nerve_stim")))
                  for i in sorted(rows["treatment"])]
    lines = [{k: form.get(f"line.{i}.{k}", "").strip() for k, _ in LINE_KEYS} for i in sorted(rows["line"])]
    stock = [{k: form.get(f"stock.{i}.{k}", "").strip() for k in ("part", "packs", "loose")}
             for i in sorted(rows["stock"])]
    return Fields({k: v for k, v in values.items() if v}, [p for p in form.getlist("equipment.installed") if p],
                  treatments, lines, stock, bool(form.get("reimbursement")) or bool(values["reimbursement.site"]))


def with_row(fields: Fields, kind: str) -> Fields:
    """The fields with one more empty row of `kind` (`treatment`, `line`, `stock`)."""
    if kind == "treatment":
        return fields._replace(treatments=[*fields.treatments, _treatment()])
    if kind == "line":
        return fields._replace(lines=[*fields.lines, {"part": "", "quantity": ""}])
    return fields._replace(stock=[*fields.stock, {"part": "", "packs": "", "loose": ""}])


def to_toml(fields: Fields) -> str:
    """The request file the fields make; empty fields and empty rows are left out."""
    out: list[str] = []
    sections: dict[str, list[str]] = {}
    for section, key, _, kind in SCALARS:
        value = fields.values.get(f"{section}.{key}", "")
        if value:
            sections.setdefault(section, []).append(f"{key} = {_value(value, kind)}")
    if fields.installed:
        sections["equipment"] = [f"installed = [{', '.join(map(_string, fields.installed))}]"]
    for section in ("quote", "customer", "order", "equipment", "plan"):
        if section in sections:
            out += [f"[{section}]", *sections[section], ""]
    for t in fields.treatments:
        if not any(t[k] for k, _ in TREATMENT_KEYS) and not t["nerves"]:
            continue
        out.append("[[treatment]]")
        out += [f"{k} = {_value(t[k], kind)}" for k, kind in TREATMENT_KEYS if t[k]]
        if t["nerves"]:
            out.append(f"nerves = [{', '.join(map(_string, t['nerves']))}]")
        if t["nerve_stim"]:
            out.append("nerve_stim = true")
        out.append("")
    for line in fields.lines:
        if line["part"] or line["quantity"]:
            out += ["[[line]]", *(f"{k} = {_value(line[k], kind)}" for k, kind in LINE_KEYS if line[k]), ""]
    stock = [s for s in fields.stock if s["part"]]
    if stock:
        out.append("[stock]")
        for s in stock:
            counts = ", ".join(f"{k} = {_value(s[k], kind)}" for k, kind in STOCK_KEYS if s[k]) or "packs = 0"
            out.append(f"{_string(s['part'])} = {{ {counts} }}")
        out.append("")
    if fields.reimbursement:
        out += ["[reimbursement]", *sections.get("reimbursement", []), ""]
    return "\n".join(out)


def _text(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def _value(text: str, kind: str) -> str:
    """A typed value as TOML: a number or date when it reads as one, else a string."""
    if kind == "int" and re.fullmatch(r"\d{1,9}", text):
        return str(int(text))
    if kind == "number" and re.fullmatch(r"\d{1,9}(\.\d{1,6})?", text):
        return text
    if kind == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return datetime.date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    return _string(text)


def _string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, DEL escaped too."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")
