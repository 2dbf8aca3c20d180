"""Indonesian stemming for matching indicator phrases across affixes.

Dictionary-checked affix stripping after Nazief and Adriani (1996) as refined by the
Enhanced Confix Stripping stemmer (Arifin, Mahendra and Ciptaningtyas, 2009): a word is
reduced only when the result is a root word; otherwise it stays as it is. The root list is
the set of lemmas of spaCy's Indonesian lookup table (spacy-lookups-data, about 8,600 roots),
and a word the table knows is reduced to its lemma directly (``pelayanan`` -> ``layan``).

Order, as in the published algorithm: the word itself; then with the particle (``-lah``,
``-kah``, ``-tah``, ``-pun``), the possessive (``-ku``, ``-mu``, ``-nya``) and the derivational
suffix (``-kan``, ``-an``, ``-i``) removed one after another, least stripped first, each tried
with up to three prefixes removed (``di-``, ``ke-``, ``se-``, ``ber-``, ``ter-``, ``me-``, ``pe-``
with ECS's recoding of nasal assimilation: ``meny-`` -> ``s``, ``mem-`` -> ``p``, ``men-`` ->
``t``, ``meng-`` -> ``k``, and the same for ``pe-``), skipping the confixes the rules disallow
(``be-...-i``, ``di-...-an``, ``ke-...-i``, ``ke-...-kan``, ``me-...-an``, ``se-...-i``,
``se-...-kan``, ``te-...-an``).

`light_stem` removes only what leaves a word's meaning alone: particles, possessives and the
loan affixes below; one-word phrases are matched with it, since native derivation often
changes the meaning (``teliti`` careful / ``penelitian`` research, ``lambat`` slow /
``terlambat`` late, ``sempat`` / ``kesempatan``).

One documented addition for the loan words of government writing, which the published rules
leave alone: loan suffixes (``-isasi``, ``-isme``, ``-itas``, ``-asi``, ``-si``, ``-er``,
``-if``) are removed when at least five letters remain (``kompetensi`` -> ``kompeten``,
``profesionalitas`` -> ``profesional``), and a loan prefix (``in-``, ``non-``, ``anti-``) only
when what remains is a root (``indisipliner`` -> ``disiplin``; ``industri`` stays).
"""

from __future__ import annotations

from functools import cache, lru_cache

_PARTICLES = ("lah", "kah", "tah", "pun")
_POSSESSIVES = ("nya", "ku", "mu")
_DERIVATIONAL = ("kan", "an", "i")
_DISALLOWED = {("be", "i"), ("di", "an"), ("ke", "i"), ("ke", "kan"), ("me", "an"),
               ("se", "i"), ("se", "kan"), ("te", "an")}
_LOAN_SUFFIXES = ("isasi", "isme", "itas", "asi", "si", "er", "if")
_LOAN_PREFIXES = ("anti", "non", "in")
_VOWELS = frozenset("aiueo")
MIN_ROOT = 3
MIN_LOAN_STEM = 5


@cache
def roots() -> frozenset[str]:
    """Root words: the lemmas of spaCy's Indonesian lookup table."""
    return frozenset(_lemma_table().values())


@cache
def _lemma_table() -> dict[str, str]:
    from spacy.lookups import load_lookups

    table = load_lookups("id", ["lemma_lookup"]).get_table("lemma_lookup")
    return {str(k): str(v) for k, v in table.items()}


def _prefix_options(word: str) -> list[tuple[str, str]]:
    """(prefix family, remainder) pairs for one prefix removal, in the order tried."""
    out: list[tuple[str, str]] = []
    if word.startswith(("di", "ke", "se")):
        out.append((word[:2], word[2:]))
    if word.startswith("ber"):
        out.append(("be", word[3:]))
    if word.startswith("bel") and word[3:5] == "aj":
        out.append(("be", word[3:]))  # belajar -> ajar
    if word.startswith("be"):
        out.append(("be", word[2:]))
    if word.startswith("ter"):
        out.append(("te", word[3:]))
    if word.startswith("te"):
        out.append(("te", word[2:]))
    for family in ("me", "pe"):
        if not word.startswith(family):
            continue
        rest = word[2:]
        if rest.startswith("ny"):
            out.append((family, "s" + rest[2:]))
        elif rest.startswith("ng"):
            if rest[2:3] == "e":
                out.append((family, rest[3:]))  # mengebom -> bom
            out += [(family, rest[2:]), (family, "k" + rest[2:])]
        elif rest.startswith("m"):
            out += [(family, rest[1:]), (family, "p" + rest[1:])]
        elif rest.startswith("n"):
            out += [(family, rest[1:]), (family, "t" + rest[1:])]
        elif family == "pe" and rest.startswith("r"):
            out += [(family, rest[1:]), (family, rest)]
        elif family == "pe" and rest.startswith("l") and rest[1:3] == "aj":
            out.append((family, rest[1:]))  # pelajar -> ajar
        else:
            out.append((family, rest))
    return [(f, r) for f, r in out if len(r) >= MIN_ROOT]


def _strip_prefixes(word: str, suffix: str, known: frozenset[str], depth: int = 0,
                    previous: str = "") -> str | None:
    if depth and word in known:
        return word
    if depth == 3:
        return None
    for family, rest in _prefix_options(word):
        if family == previous or (depth == 0 and (family, suffix) in _DISALLOWED):
            continue
        found = _strip_prefixes(rest, suffix, known, depth + 1, family)
        if found is not None:
            return found
    return None


def _suffix_bases(word: str) -> list[tuple[str, str]]:
    """(base, derivational suffix removed) from least to most stripped."""
    bases = [(word, "")]
    current = word
    for group in (_PARTICLES, _POSSESSIVES):
        for suffix in group:
            if current.endswith(suffix) and len(current) - len(suffix) >= MIN_ROOT:
                current = current[:-len(suffix)]
                bases.append((current, ""))
                break
    for suffix in _DERIVATIONAL:
        if current.endswith(suffix) and len(current) - len(suffix) >= MIN_ROOT:
            bases.append((current[:-len(suffix)], suffix))
            break
    return bases


def _affix_stem(word: str, known: frozenset[str]) -> str | None:
    for base, suffix in _suffix_bases(word):
        if base in known:
            return base
        found = _strip_prefixes(base, suffix, known)
        if found is not None:
            return found
    return None


def _loan_stem(word: str, known: frozenset[str]) -> str:
    stem = word
    for suffix in _LOAN_SUFFIXES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= MIN_LOAN_STEM:
            stem = stem[:-len(suffix)]
            break
    for prefix in _LOAN_PREFIXES:
        rest = stem[len(prefix):]
        if stem.startswith(prefix) and len(rest) >= MIN_LOAN_STEM and rest in known:
            return rest
    return stem


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The root of a lower-case Indonesian word, or the word itself when none is found."""
    if not word.isalpha():
        return word
    table = _lemma_table()
    lemma = table.get(word)
    if lemma is not None:
        return lemma
    known = roots()
    if word in known:
        return word
    found = _affix_stem(word, known)
    if found is not None:
        return found
    loan = _loan_stem(word, known)
    if loan != word:
        return _affix_stem(loan, known) or loan
    return word


@lru_cache(maxsize=200_000)
def light_stem(word: str) -> str:
    """`word` without particle, possessive and loan affixes (``kompetensinya`` -> ``kompeten``,
    ``indisipliner`` -> ``disiplin``); native derivational affixes stay."""
    if not word.isalpha():
        return word
    current = word
    for group in (_PARTICLES, _POSSESSIVES):
        for suffix in group:
            if current.endswith(suffix) and len(current) - len(suffix) >= MIN_LOAN_STEM:
                current = current[:-len(suffix)]
                break
    return _loan_stem(current, roots())
