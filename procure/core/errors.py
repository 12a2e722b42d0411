"""Exceptions that stop a run; each one's text is the message a user reads.

They are raised by the core and caught once, at the command-line boundary,
which prints `problems` one per line and exits with `exit_code`.
"""

from collections.abc import Iterable

from procure.core.findings import ERROR, Finding, finding_line, verdict


class ProcureError(Exception):
    """A run cannot go on; `problems` are lines a user can act on."""

    exit_code = 2

    def __init__(self, problems: str | Iterable[str]) -> None:
        if isinstance(problems, str):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

    def report(self) -> list[str]:
        """The lines a user reads on stderr."""
        return [f"error: {problem}" for problem in self.problems]


class InputError(ProcureError):
    """A file or option given by the user cannot be read or does not fit its schema (exit 2)."""


class PartialRequest(InputError):
    """A request with problems, and the same request read without its bad values (None when too little is
    left), so that the rules can run on the rest and every problem is reported in one run (exit 2)."""

    def __init__(self, problems: str | list[str], request: object = None, document: dict[str, object] | None = None,
                 failed: tuple[tuple[object, ...], ...] = ()):
        super().__init__(problems)
        self.request = request
        """The `Request` read without the bad values, or None (typed loosely: errors import no other module)."""
        self.document = document
        """Every value read, bad ones too, in the request file's shape (tables of keys), to fill an editor."""
        self.failed = failed
        """The key paths of the bad values, such as `("customer", "dodaac")` or `("treatment", 0, "procedures")`."""


class CatalogError(ProcureError):
    """The catalog folder cannot be loaded (exit 2; `catalog check` exits 1)."""


class RegisterError(ProcureError):
    """The quote register cannot be used: unreachable, locked, damaged, or newer than this procure (exit 2)."""


class NoRegister(RegisterError):
    """No register where one was named, for a command that only reads (exit 1): the message names the path and
    how to create one."""

    exit_code = 1


class RegisterUnreachable(RegisterError):
    """The register's server refused or did not answer the connection (exit 2); worth asking again later."""


class RegisterReadOnly(RegisterError):
    """The register may be read but not written (a read-only file or database user) (exit 2)."""


class RuleError(ProcureError):
    """The input is readable but breaks a rule, such as a date before every catalog version (exit 1)."""

    exit_code = 1


class DeliveryError(ProcureError):
    """A quote could not be sent: the mail server is unreachable, refused the sign-in or the message (exit 1)."""

    exit_code = 1


class NotInForce(RuleError):
    """No catalog version is in force on a date; `--json` reports it as the finding `no-catalog-version`."""

    code = "no-catalog-version"

    def __init__(self, problem: str, subject: str) -> None:
        super().__init__(problem)
        self.subject = subject


class OrderHasErrors(RuleError):
    """An order with error findings (a missing price or no lines included) cannot be rendered (exit 1)."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__([finding_line(i) for i in self.findings if i.severity == ERROR])
        self.summary = f"Nothing was written: {verdict(self.findings)}"

    def report(self) -> list[str]:
        return [*map(finding_line, self.findings), self.summary]
