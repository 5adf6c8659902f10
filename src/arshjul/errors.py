"""Errors a planner can act on.

Bad input is a ``ValueError`` subclass whose message is one line naming the file, the field
and the problem; the CLI prints it as it is and exits 2.  Infeasible or out-of-time is *not*
an error: it is a status on the result.
"""

from __future__ import annotations


def printable(text: str) -> str:
    """``text`` with every character a terminal would act on shown as its escape (``\\x1b``)."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


class ScenarioError(ValueError):
    """A scenario file (or a plan file) that cannot be used as written."""

    def __init__(
        self,
        problem: str,
        *,
        source: str | None = None,
        field: str | None = None,
        path: tuple[str | int, ...] | None = None,
    ):
        self.problem = problem
        self.source = source
        self.field = field
        """The field as the planner reads it: list items by id (``regions[SE-W].name``)."""
        self.path = path
        """The same field as keys and list positions (``("regions", 19, "name")``), when known:
        what code that maps the field back to the data (an ``extends`` chain) walks."""
        super().__init__(self.line())

    def line(self) -> str:
        """The one line a planner sees: ``file: field: problem``; always one line, and
        control characters (from the input it quotes) shown escaped, never sent to the
        terminal."""
        parts = [p for p in (self.source, self.field) if p]
        return printable(" ".join(": ".join([*parts, self.problem]).split()))

    def located(self, source: str) -> ScenarioError:
        """The same error, now naming the file it came from."""
        return ScenarioError(self.problem, source=source, field=self.field, path=self.path)


class ScenarioWarning(UserWarning):
    """A scenario that is valid but probably not what the planner meant, e.g. a Swedish
    region for which no school holidays are known.

    Like PyVRP's ``ScalingWarning``, a category for :func:`warnings.warn`: a script may
    filter it or turn it into an error; ``arshjul validate`` prints each as a ``warning:``
    line.  The message is one line naming the file, the field and the problem."""

    def __init__(self, problem: str, *, source: str | None = None, field: str | None = None):
        self.problem = problem
        self.source = source
        self.field = field
        super().__init__(self.line())

    def line(self) -> str:
        """The one line a planner sees: ``file: field: problem``."""
        parts = [p for p in (self.source, self.field) if p]
        return printable(" ".join(": ".join([*parts, self.problem]).split()))

    def located(self, source: str) -> ScenarioWarning:
        """The same warning, now naming the file it came from."""
        return ScenarioWarning(self.problem, source=source, field=self.field)


class PlanFileError(ScenarioError):
    """A plan JSON or calendar file that cannot be read back."""
