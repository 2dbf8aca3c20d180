"""Non-breaking abbreviations and patterns per language, read from data files.

`data/abbreviations-{lang}.txt` lists abbreviations after which a period does not end a
sentence (`Tk.`, `NIP.`, `Kab.` ...); `data/nonbreaking-{lang}.txt` holds regular expressions
(`(?i)` for any case) for sentence-candidate endings that are no sentence end (`tabel 2.3.`),
matched against the last two words before the candidate boundary. A user extends both with
files of the same name in the user config folder (`~/.config/qualcode/`) or in a folder named
by `QUALCODE_ABBREVIATIONS_DIR` (e.g. the project folder); their lines are added.
`joins(before, after)` is the one question segmentation asks.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from qualcode.errors import IngestError
from qualcode.i18n import N_

_DATA = Path(__file__).parent / "data"
_OPENERS = "([{\"'“‘«"


def _user_dirs() -> list[Path]:
    dirs = []
    extra = os.environ.get("QUALCODE_ABBREVIATIONS_DIR")
    if extra:
        dirs.append(Path(extra))
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    dirs.append(Path(config) / "qualcode")
    return dirs


def _lines(name: str) -> list[tuple[Path, int, str]]:
    """Non-comment lines of the packaged file `name` and of the user's files of that name."""
    out = []
    for folder in [_DATA, *_user_dirs()]:
        path = folder / name
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (FileNotFoundError, NotADirectoryError):
            continue
        except (OSError, UnicodeDecodeError) as exc:
            raise IngestError(N_("{path}: cannot read the abbreviation list ({exc})"), path=path,
                              exc=exc) from None
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if line and not line.startswith("#"):
                out.append((path, number, line))
    return out


_MAYBE = "maybe"  # the last word may end a sentence: the next sentence decides
MEMO_SIZE = 100_000  # endings remembered per language (cleared when full)


@dataclass(frozen=True)
class Abbreviations:
    """The non-breaking rules of one language."""

    never_final: frozenset[str]  # lower-cased: a period after them never ends a sentence
    may_be_final: frozenset[str]  # join only when the next sentence does not start a new one
    patterns: re.Pattern[str] | None  # the data file's expressions as one alternation
    # verdicts on sentence endings (the last two words), which repeat across a corpus
    memo: dict[str, bool | str] = field(default_factory=dict, compare=False, repr=False)

    def joins(self, before: str, after: str) -> bool:
        """True when the boundary between sentence `before` and sentence `after` is no boundary.

        `before` must end with a period for the abbreviation rules; `after` is the next text.
        """
        if not before.endswith("."):
            return False
        # Everything but the next sentence's part depends on the last two words only.
        space = before.rfind(" ")
        ending = before[before.rfind(" ", 0, space) + 1:] if space >= 0 else before
        verdict = self.memo.get(ending)
        if verdict is None:
            verdict = self._ending(ending)
            if len(self.memo) >= MEMO_SIZE:
                self.memo.clear()
            self.memo[ending] = verdict
        if verdict is not _MAYBE:
            return verdict is True
        head = after.lstrip()[:1]
        if not head or not head.isalpha() or head.islower():
            return True
        first = after.split(None, 1)[0].lower() if after.strip() else ""
        return first in self.never_final or first in self.may_be_final

    def _ending(self, before: str) -> bool | str:
        """True (never a sentence end), False (a sentence end) or _MAYBE (the next sentence
        decides) for a sentence ending with a period: its last two words, or all of it."""
        last = before[before.rfind(" ") + 1:].lstrip(_OPENERS).lower()
        if "\n" in last:
            last = last[last.rfind("\n") + 1:]
        if last in self.never_final:
            return True
        if self.patterns is not None:
            cut = before.rfind(" ", 0, len(before) - len(last) - 1)
            if self.patterns.search(before[cut + 1:]):  # the last two words
                return True
        return _MAYBE if last in self.may_be_final else False


_GLOBAL_FLAGS_RE = re.compile(r"^\(\?([imsx]+)\)")


def _scoped(pattern: str) -> str:
    """`pattern` as a group that can join an alternation: a leading `(?i)` becomes `(?i:...)`."""
    m = _GLOBAL_FLAGS_RE.match(pattern)
    if m:
        return f"(?{m.group(1)}:{pattern[m.end():]})"
    return f"(?:{pattern})"


@cache
def abbreviations(language: str) -> Abbreviations:
    """The rules for 'id' or 'en' (packaged data plus the user's additions); cached."""
    never: set[str] = set()
    maybe: set[str] = set()
    for _path, _n, line in _lines(f"abbreviations-{language}.txt"):
        if line.endswith(" ?"):
            maybe.add(line[:-2].strip().lower())
        else:
            never.add(line.lower())
    patterns = []
    for path, number, line in _lines(f"nonbreaking-{language}.txt"):
        try:
            patterns.append(re.compile(line))
        except re.error as exc:
            raise IngestError(N_("{path}:{number}: not a valid regular expression ({exc})"),
                              hint=N_("one Python regular expression per line"),
                              path=path, number=number, exc=exc) from None
    combined = re.compile("|".join(_scoped(p.pattern) for p in patterns)) if patterns else None
    return Abbreviations(frozenset(never), frozenset(maybe - never), combined)
