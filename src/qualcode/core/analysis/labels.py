"""Labels for analysis displays in the catalogs' languages: roles (and their order), source
kinds, valences, and the draft mark.

Pure Python (no pandas): the store and the CLI may import it cheaply.
"""

from __future__ import annotations

from collections.abc import Sequence

from qualcode.i18n import LANGS, N_, _, ngettext

DRAFT_MARK = N_("[DRAFT]")  # starts every generated summary until the researcher accepts it

# Informant roles from purposive sampling, in the order a role-ordered matrix shows them.
ROLE_ORDER = ("head", "secretary", "section_head", "staff", "public")
_ROLES: dict[str, str] = {
    "head": N_("Head"),
    "secretary": N_("Secretary"),
    "section_head": N_("Section head"),
    "staff": N_("Staff"),
    "public": N_("Public"),
    "": N_("(no role)"),
}
_KINDS: dict[str, str] = {
    "interview": N_("Interview"),
    "observation": N_("Observation"),
    "document": N_("Document"),
}
_VALENCES: dict[str, str] = {
    "+": N_("+ (well)"),
    "-": N_("− (shortfall)"),
    "0": N_("0 (neutral)"),
}


def check_lang(lang: str) -> str:
    """`lang` if it is a supported language, else a QualcodeError."""
    if lang not in LANGS:
        from qualcode.errors import QualcodeError

        raise QualcodeError(N_("language {lang!r} is not one of id, en"),
                            hint=N_("use --lang id or en"), lang=lang)
    return lang


def draft_mark(lang: str | None = None) -> str:
    """The mark that starts a generated summary until it is accepted, in `lang`."""
    return _(DRAFT_MARK, lang=lang)


def _marks() -> tuple[str, ...]:
    return tuple({_(DRAFT_MARK, lang=lang) for lang in LANGS})


def is_draft(text: str) -> bool:
    """Whether `text` still carries the draft mark (of either language)."""
    return text.lstrip().startswith(_marks())


def strip_draft(text: str) -> str:
    """The text without its draft mark (what 'accept' keeps)."""
    text = text.lstrip()
    for mark in _marks():
        if text.startswith(mark):
            return text[len(mark):].lstrip()
    return text


def role_rank(role: str | None) -> tuple[int, str]:
    """Sort key: the known roles in ROLE_ORDER first, then other roles alphabetically."""
    role = role or ""
    if role in ROLE_ORDER:
        return ROLE_ORDER.index(role), ""
    return len(ROLE_ORDER) + (1 if role == "" else 0), role.lower()


def role_label(role: str | None, lang: str | None = None) -> str:
    """A role's display label (unknown roles are shown as written)."""
    name = _ROLES.get(role or "")
    return str(role) if name is None else _(name, lang=lang)


def kind_label(kind: str, lang: str | None = None) -> str:
    """A source kind's display label."""
    name = _KINDS.get(kind)
    return _(name, lang=lang) if name else kind


def valence_label(valence: str, lang: str | None = None) -> str:
    """A valence's column label, e.g. '+ (baik)'."""
    name = _VALENCES.get(valence)
    return _(name, lang=lang) if name else valence


def valence_cell(n_plus: int, n_minus: int, n_neutral: int = 0, lang: str | None = None) -> str:
    """The +/− cell text of a matrix: '3+ / 1−', with neutral codings spelt out; '' if empty."""
    parts = []
    if n_plus or n_minus:
        parts = [f"{n_plus}+", f"{n_minus}−"]
    if n_neutral:
        parts.append(f"{n_neutral} {_('neutral', lang=lang)}")
    return " / ".join(parts)


def valence_legend(lang: str | None = None) -> str:
    """The footnote explaining +/− cells."""
    return _("+ = carried out well, − = shortfall, neutral = no judgement; numbers = codings.",
             lang=lang)


def join_names(names: list[str], lang: str | None = None) -> str:
    """'A', 'A dan B', 'A, B, dan C' (or 'and')."""
    conj = _("and", lang=lang)
    if len(names) <= 1:
        return "".join(names)
    if len(names) == 2:
        return f"{names[0]} {conj} {names[1]}"
    return f"{', '.join(names[:-1])}, {conj} {names[-1]}"


def kind_key(text: str) -> str | None:
    """The source kind a researcher typed, in either language ("wawancara", "Interview"),
    or None if it names none."""
    wanted = text.strip().lower()
    for key, name in _KINDS.items():
        if wanted in (key, *(_(name, lang=lang).lower() for lang in LANGS)):
            return key
    return None


def role_key(text: str) -> str:
    """A known role typed in either language ("Kepala bidang" -> "section_head"); any other
    text is kept as written."""
    wanted = text.strip()
    for key, name in _ROLES.items():
        names = (_(name, lang=lang).lower() for lang in LANGS)
        if key and wanted.lower() in (key, key.replace("_", " "), *names):
            return key
    return wanted


def speaker_summary(speakers: Sequence[tuple[str, int, bool]], lang: str | None = None) -> str:
    """'; speakers: Moderator (interviewer, 5 turns), Bu Sari (3 turns)' or '; no speaker
    labels': the speakers an import found in a file, for the researcher to check."""
    if not speakers:
        return _("; no speaker labels", lang=lang)
    parts = []
    for name, turns, interviewer in speakers:
        count = ngettext("{n} turn", "{n} turns", turns, lang=lang).format(n=turns)
        parts.append(_("{name} (interviewer, {count})", lang=lang).format(name=name, count=count)
                     if interviewer else f"{name} ({count})")
    return _("; speakers: {list}", lang=lang).format(list=", ".join(parts))
