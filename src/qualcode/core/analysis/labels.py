"""Bilingual labels for analysis displays: roles (and their order), source kinds, valences.

Pure Python (no pandas): the store and the CLI may import it cheaply.
"""

from __future__ import annotations

LANGS = ("id", "en")
DRAFT_MARK = "[DRAFT]"  # starts every generated summary until the researcher accepts it

# Informant roles from purposive sampling, in the order a role-ordered matrix shows them.
ROLE_ORDER = ("head", "secretary", "section_head", "staff", "public")
_ROLES: dict[str, tuple[str, str]] = {
    "head": ("Kepala", "Head"),
    "secretary": ("Sekretaris", "Secretary"),
    "section_head": ("Kepala bidang", "Section head"),
    "staff": ("Staf", "Staff"),
    "public": ("Masyarakat", "Public"),
    "": ("(tanpa peran)", "(no role)"),
}
_KINDS: dict[str, tuple[str, str]] = {
    "interview": ("Wawancara", "Interview"),
    "observation": ("Observasi", "Observation"),
    "document": ("Dokumen", "Document"),
}
_VALENCES: dict[str, tuple[str, str]] = {
    "+": ("+ (baik)", "+ (well)"),
    "-": ("− (kurang)", "− (shortfall)"),
    "0": ("0 (netral)", "0 (neutral)"),
}


def check_lang(lang: str) -> str:
    """`lang` if it is a supported language, else a QualcodeError."""
    if lang not in LANGS:
        from qualcode.errors import QualcodeError

        raise QualcodeError(f"language {lang!r} is not one of id, en", hint="use --lang id or en")
    return lang


def t(lang: str, id_text: str, en_text: str) -> str:
    """Pick the Indonesian or English text."""
    return en_text if lang == "en" else id_text


def role_rank(role: str | None) -> tuple[int, str]:
    """Sort key: the known roles in ROLE_ORDER first, then other roles alphabetically."""
    role = role or ""
    if role in ROLE_ORDER:
        return ROLE_ORDER.index(role), ""
    return len(ROLE_ORDER) + (1 if role == "" else 0), role.lower()


def role_label(role: str | None, lang: str = "id") -> str:
    """A role's display label (unknown roles are shown as written)."""
    pair = _ROLES.get(role or "")
    if pair is None:
        return str(role)
    return t(lang, *pair)


def kind_label(kind: str, lang: str = "id") -> str:
    """A source kind's display label."""
    pair = _KINDS.get(kind)
    return t(lang, *pair) if pair else kind


def valence_label(valence: str, lang: str = "id") -> str:
    """A valence's column label, e.g. '+ (baik)'."""
    pair = _VALENCES.get(valence)
    return t(lang, *pair) if pair else valence


def valence_cell(n_plus: int, n_minus: int, n_neutral: int = 0, lang: str = "id") -> str:
    """The +/− cell text of a matrix: '3+ / 1−', with neutral codings spelt out; '' if empty."""
    parts = []
    if n_plus or n_minus:
        parts = [f"{n_plus}+", f"{n_minus}−"]
    if n_neutral:
        parts.append(f"{n_neutral} {t(lang, 'netral', 'neutral')}")
    return " / ".join(parts)


def valence_legend(lang: str = "id") -> str:
    """The footnote explaining +/− cells."""
    return t(lang,
             "+ = dilaksanakan dengan baik, − = kekurangan, netral = tidak menilai; "
             "angka = jumlah koding.",
             "+ = carried out well, − = shortfall, neutral = no judgement; "
             "numbers = codings.")


def join_names(names: list[str], lang: str = "id") -> str:
    """'A', 'A dan B', 'A, B, dan C' (or 'and')."""
    conj = t(lang, "dan", "and")
    if len(names) <= 1:
        return "".join(names)
    if len(names) == 2:
        return f"{names[0]} {conj} {names[1]}"
    return f"{', '.join(names[:-1])}, {conj} {names[-1]}"


def kind_key(text: str) -> str | None:
    """The source kind a researcher typed, in either language ("wawancara", "Interview"),
    or None if it names none."""
    wanted = text.strip().lower()
    for key, names in _KINDS.items():
        if wanted in (key, *(n.lower() for n in names)):
            return key
    return None


def role_key(text: str) -> str:
    """A known role typed in either language ("Kepala bidang" -> "section_head"); any other
    text is kept as written."""
    wanted = text.strip()
    for key, names in _ROLES.items():
        if key and wanted.lower() in (key, key.replace("_", " "), *(n.lower() for n in names)):
            return key
    return wanted
