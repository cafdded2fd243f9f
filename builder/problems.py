"""Problems in a course tree, one ``path:line: [code] message`` each; collected, not raised."""

from __future__ import annotations

import difflib
import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

# A file with one of these cannot be read at all: its own error comes first, and references
# into it are not reported as unknown.
UNREADABLE = frozenset(
    {
        "encoding.utf8",
        "file.empty",
        "file.shape",
        "file.too-large",
        "file.unreadable",
        "frontmatter.missing",
        "frontmatter.syntax",
        "path.outside",
        "yaml.alias",
        "yaml.duplicate-key",
        "yaml.syntax",
        "yaml.tag",
        "yaml.too-deep",
        "yaml.too-large",
    }
)

# Listed before anything else: what cannot be read, and invisible characters (they can make
# the YAML around them read wrongly).
FIRST = UNREADABLE | {"text.control"}


class Severity(enum.Enum):
    """How bad a problem is; ``--strict`` promotes warnings to errors."""

    ERROR = "error"
    WARNING = "warning"


def suggest(name: str, known: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close match exists, for messages about unknown ids."""
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


@dataclass(frozen=True, order=True)
class Where:
    """A place in the source tree: a path relative to the course root and a 1-based line."""

    path: str
    line: int = 1

    def at(self, line: int) -> Where:
        """The same file at another line."""
        return Where(self.path, line)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the sources, located and coded so users can find and silence it."""

    where: Where
    code: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        suffix = " (warning)" if self.severity is Severity.WARNING else ""
        return f"{self.where.path}:{self.where.line}: [{self.code}] {self.message}{suffix}"


@dataclass
class Problems:
    """An append-only collection of problems, reported together once loading and checks are done."""

    items: list[Problem] = field(default_factory=list)
    _seen: set[Problem] = field(default_factory=set, repr=False, compare=False)

    def error(self, where: Where, code: str, message: str) -> None:
        """Record an error."""
        self.add(Problem(where, code, message, Severity.ERROR))

    def warning(self, where: Where, code: str, message: str) -> None:
        """Record a warning."""
        self.add(Problem(where, code, message, Severity.WARNING))

    def add(self, problem: Problem) -> None:
        """Record a problem, once: two checks that find the same thing report it once."""
        if problem not in self._seen:
            self._seen.add(problem)
            self.items.append(problem)

    def extend(self, other: Problems | list[Problem]) -> None:
        """Take every problem of another collection."""
        for problem in other.items if isinstance(other, Problems) else other:
            self.add(problem)

    def at(self, path: str) -> list[Problem]:
        """Problems located in one file."""
        return [p for p in self.items if p.where.path == path]

    def sorted(self) -> list[Problem]:
        """Files that could not be read first (the cause of anything that follows), then
        every other problem in file and line order; stable for equal places."""
        return sorted(
            self.items,
            key=lambda p: (p.code not in FIRST, p.where.path, p.where.line),
        )

    def errors(self, strict: bool = False) -> list[Problem]:
        """Problems that stop a build (warnings too when ``strict``)."""
        return [p for p in self.items if strict or p.severity is Severity.ERROR]

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)
