"""Checks on the metadata a researcher types: dates, roles, speaker maps, attributes.

Pure Python (no database): the importer, the store and the screens share these rules, so a
date or a role is judged the same way wherever it is entered.
"""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date as Date
from typing import Any

from qualcode.errors import QualcodeError
from qualcode.i18n import N_

SOURCE_KINDS = ("interview", "observation", "document")  # models.py has them from here

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
INTERVIEWER = "interviewer"  # a speaker map value: this label is the interviewer
_INTERVIEWER_WORDS = {"interviewer", "pewawancara", "peneliti", "researcher", "moderator"}
ATTRIBUTE_KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_ -]{0,49}$")
RESERVED_ATTRIBUTES = ("role", "unit", "pseudonym", "informant")


def check_date(value: Any) -> str | None:
    """A date as `YYYY-MM-DD` (or `YYYY-MM`, `YYYY` when only that is known); None for none.

    `2026-13-45` is refused with one line saying why."""
    if value is None or value == "":
        return None
    if isinstance(value, Date):
        return value.isoformat()
    text = str(value).strip()
    match = _DATE_RE.match(text)
    if match is None:
        raise QualcodeError(N_("date {value!r} is not a date like 2026-03-14"),
                            hint=N_("write dates as YYYY-MM-DD (or YYYY-MM, YYYY)"),
                            value=text)
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is not None and not 1 <= month <= 12:
        raise QualcodeError(N_("date {value!r}: there is no month {month}"),
                            hint=N_("write dates as YYYY-MM-DD"),
                            value=text, month=month)
    if day is not None:
        try:
            return Date(year or 0, month or 1, day).isoformat()
        except ValueError:
            raise QualcodeError(N_("date {value!r}: month {month} has no day {day}"),
                                hint=N_("write dates as YYYY-MM-DD"),
                                value=text, month=month, day=day) from None
    return f"{year:04d}" + (f"-{month:02d}" if month else "")


def check_role(role: str | None, known: Iterable[str]) -> str:
    """`role` if the project knows it ('' for none), else an error naming the nearest role."""
    role = (role or "").strip()
    if not role:
        return ""
    roles = list(known)
    if role in roles:
        return role
    lowered = {r.lower(): r for r in roles}
    if role.lower() in lowered:
        return lowered[role.lower()]
    near = difflib.get_close_matches(role.lower(), list(lowered), n=1, cutoff=0.5)
    hint = N_("known roles: {roles}; add a new one with `qualcode roles add {quoted}`")
    if near:
        raise QualcodeError(N_("role {role!r} is not in the project's role list (did you mean "
                               "{nearest!r}?)"), hint=hint, role=role, nearest=lowered[near[0]],
                            roles=", ".join(roles), quoted=shlex.quote(role))
    raise QualcodeError(N_("role {role!r} is not in the project's role list"), hint=hint,
                        role=role, roles=", ".join(roles), quoted=shlex.quote(role))


def check_attribute_key(key: str) -> str:
    """An informant attribute name (e.g. gender, tenure, education)."""
    key = key.strip()
    if not ATTRIBUTE_KEY_RE.match(key) or key.lower() in RESERVED_ATTRIBUTES:
        raise QualcodeError(N_("{key!r} cannot be an attribute name"),
                            hint=N_("use a word such as gender, tenure or education"),
                            key=key)
    return key


def parse_assignments(items: Iterable[str], what: str,
                      example: str = "gender=f") -> dict[str, str]:
    """`["Bu Rina=Informan 3", "gender=f"]` -> a dict; a bad item is one clear error."""
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise QualcodeError(N_("{what} {item!r} is not NAME=VALUE"), hint=N_("e.g. {example}"),
                                what=what, item=item, example=example)
        key, value = item.split("=", 1)
        if not key.strip():
            raise QualcodeError(N_("{what} {item!r} has no name before '='"), what=what, item=item)
        out[key.strip()] = value.strip()
    return out


@dataclass(frozen=True)
class SpeakerTarget:
    """What a speaker label stands for: an informant (with optional role/unit), the
    interviewer, or nobody yet (`pseudonym` empty)."""

    pseudonym: str = ""
    role: str | None = None
    unit: str | None = None
    interviewer: bool = False


def speaker_target(value: Any, label: str) -> SpeakerTarget:
    """One entry of a `speakers:` map: `Informan 3`, `interviewer`, or
    `{informant: Informan 3, role: section_head, unit: ...}`."""
    if isinstance(value, Mapping):
        name = str(value.get("informant") or value.get("pseudonym") or "").strip()
        role = value.get("role")
        unit = value.get("unit")
        if str(value.get("interviewer", "")).lower() in ("true", "yes", "1"):
            return SpeakerTarget(interviewer=True)
        if not name:
            raise QualcodeError(N_("speaker {label!r}: the map gives no informant"),
                                hint=N_("e.g.  {label}: {{informant: Informan 3, role: staff}}"),
                                label=label)
        return SpeakerTarget(name, None if role is None else str(role),
                             None if unit is None else str(unit))
    text = "" if value is None else str(value).strip()
    if text.lower() in _INTERVIEWER_WORDS:
        return SpeakerTarget(interviewer=True)
    return SpeakerTarget(text)


def speaker_map(raw: Any, where: str) -> dict[str, SpeakerTarget]:
    """A `speakers:` map from a manifest or front matter; anything else is one clear error.

    Also the detection switches of the ingest (`detect`, `none`: no mapping here) and a plain
    list of labels (speakers known by label, informant not given yet).
    """
    if raw is None or raw == "":
        return {}
    if isinstance(raw, str) and raw.strip().lower() in ("detect", "none", "auto", "no"):
        return {}
    if isinstance(raw, list | tuple) and all(isinstance(x, str | int) for x in raw):
        return {str(label).strip(): SpeakerTarget() for label in raw if str(label).strip()}
    if not isinstance(raw, Mapping):
        raise QualcodeError(N_("{where}: `speakers` must map speaker labels to informants"),
                            hint=N_("e.g.  speakers: {{Bu Rina: Informan 3, Moderator: "
                                    "interviewer}}, a list of labels, or detect / none"),
                            where=where)
    return {str(label).strip(): speaker_target(value, str(label)) for label, value in raw.items()}
