"""The templates of the outputs: shipped ones, with a user's folder in front.

`--templates DIR` puts DIR before the shipped `templates/` (a jinja2
ChoiceLoader), for the text templates and the workbook layout file alike.
Compiled templates are kept in the user's cache folder
(`$XDG_CACHE_HOME/procure/templates`, else `~/.cache/procure/templates`), keyed
by the template's text, so a command does not compile them anew each run; a
cache that cannot be read or written only costs that time.
"""

import contextlib
import functools
import os
import tomllib
from pathlib import Path

import jinja2

from procure.core.errors import InputError
from procure.core.record import Record
from procure.renderers.tables import money, thousands
from procure.shipped import shipped_folder

WORKBOOK_LAYOUT = "workbook-layout.toml"


def folders(user_folder: str | Path | None) -> list[Path]:
    """The template folders in the order they are searched."""
    shipped = Path(shipped_folder("templates"))
    if user_folder is None:
        return [shipped]
    user_folder = Path(user_folder)
    if not user_folder.is_dir():
        raise InputError(f"{user_folder}: --templates must name a folder of templates")
    return [user_folder, shipped]


def environment(user_folder: str | Path | None) -> jinja2.Environment:
    """A jinja2 environment for plain-text templates (no HTML escaping), with `money` and `thousands` filters.

    One environment per list of folders and process, so a template is compiled once, not once per quote
    (`procure batch` renders many); jinja2 still reloads a template whose file changed.
    """
    return _environment(tuple(str(f) for f in folders(user_folder)))


def html_environment(user_folder: str | Path | None) -> jinja2.Environment:
    """The same environment for HTML templates: every value escaped unless it is `markupsafe.Markup`."""
    return _environment(tuple(str(f) for f in folders(user_folder)), html=True)


@functools.lru_cache(maxsize=16)
def _environment(searched: tuple[str, ...], html: bool = False) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(f) for f in searched]),
                             autoescape=html, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined, bytecode_cache=_compiled_templates())
    env.filters.update(money=money, thousands=thousands)
    return env


def _compiled_templates() -> jinja2.BytecodeCache | None:
    """The cache of compiled templates in the user's cache folder; None when the folder cannot be made."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "procure", "templates")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    return _QuietCache(folder)


class _QuietCache(jinja2.FileSystemBytecodeCache):
    """jinja2's file cache of compiled templates, whose read and write failures are only a slower run."""

    def load_bytecode(self, bucket) -> None:
        with contextlib.suppress(OSError, ValueError, EOFError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def render(env: jinja2.Environment, name: str, **context) -> str:
    """Render one template; a broken user template is an input error, not a traceback."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as e:
        raise InputError(f"{e.filename or name}:{e.lineno}: template error: {e.message}") from None
    except jinja2.TemplateError as e:
        raise InputError(f"{name}: template error: {e}") from None


class LayoutColumn(Record):
    heading: str
    field: str
    """A key of the line fields (`LINE_FIELDS` in `renderers/workbook.py`)."""
    width: int | None = None
    when_known: bool = False
    """Shown only when a line of the order has a value for it (product data)."""


def workbook_layout(user_folder: str | Path | None, known_fields) -> tuple[LayoutColumn, ...]:
    """The columns of the Order sheet, from the first `workbook-layout.toml` found."""
    path = next(f / WORKBOOK_LAYOUT for f in folders(user_folder) if (f / WORKBOOK_LAYOUT).is_file())
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as e:
        raise InputError(f"{path}: cannot read the workbook layout: {e}") from None
    columns, problems = [], []
    for i, entry in enumerate(data.get("column", [])):
        heading, field = entry.get("heading"), entry.get("field")
        if not isinstance(heading, str) or not heading.strip():
            problems.append(f"{path}: [[column]] #{i + 1}: heading must be text")
        if field not in known_fields:
            problems.append(f"{path}: [[column]] #{i + 1}: field {field!r} is unknown; "
                            f"known: {', '.join(known_fields)}")
        width = entry.get("width")
        if width is not None and (not isinstance(width, int) or isinstance(width, bool) or not 1 <= width <= 200):
            problems.append(f"{path}: [[column]] #{i + 1}: width must be a whole number from 1 to 200")
        when_known = entry.get("when_known", False)
        if not isinstance(when_known, bool):
            problems.append(f"{path}: [[column]] #{i + 1}: when_known must be true or false")
        columns.append(LayoutColumn(heading, field, width, bool(when_known)))
    if not columns and not problems:
        problems.append(f"{path}: the layout has no [[column]]")
    if problems:
        raise InputError(problems)
    return tuple(columns)
