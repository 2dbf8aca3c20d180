"""spaCy pipelines, built lazily and only as far as a caller needs them.

`get_segmenter`: blank 'id'/'en' + sentencizer, all an import needs; `get_pipeline`: the same
plus the lookup lemmatizer (code suggestions). No model download: the lemma tables come from
spacy-lookups-data. Importing this module does not import spaCy; the first call does (most of
the cost: about 0.7 s of CPU), later calls are cached per process. Building a blank pipeline
costs 0.1-0.2 s, loading the lemma tables another 0.06-0.13 s per language, which an import no
longer pays.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, Any

from qualcode.errors import QualcodeError
from qualcode.i18n import N_

if TYPE_CHECKING:
    from spacy.language import Language

SUPPORTED_LANGUAGES = ("id", "en")
_ALIASES = dict.fromkeys(("id", "ind", "in", "indonesian", "indonesia", "bahasa"), "id")
_ALIASES |= dict.fromkeys(("en", "eng", "english", "inggris"), "en")
_PIPELINES: dict[tuple[str, bool], Language] = {}
_LOCK = threading.Lock()


def normalise_language(language: str) -> str:
    """Map 'id', 'Indonesian', 'en', 'English'... to 'id' or 'en'; anything else is an error."""
    key = " ".join(language.lower().replace("_", "-").split())
    code = _ALIASES.get(key) or _ALIASES.get(key.split("-")[0].strip())
    if code is None:
        raise QualcodeError(N_("unsupported language '{language}'"),
                            hint=N_("qualcode segments Indonesian ('id') and English ('en') "
                                    "sources."), language=language)
    return code


def get_pipeline(language: str) -> Language:
    """The cached full pipeline for `language` ('id' or 'en'), with lemmas; thread-safe."""
    return _cached(normalise_language(language), lemmas=True)


def get_segmenter(language: str) -> Language:
    """The cached sentence segmenter for `language`: tokenizer and sentencizer, no lemmas."""
    return _cached(normalise_language(language), lemmas=False)


def _cached(code: str, *, lemmas: bool) -> Language:
    nlp = _PIPELINES.get((code, lemmas))
    if nlp is not None:
        return nlp
    with _LOCK:
        nlp = _PIPELINES.get((code, lemmas))
        if nlp is None:
            nlp = _build(code, lemmas=lemmas)
            _PIPELINES[(code, lemmas)] = nlp
    return nlp


# Honorifics and abbreviations common in Indonesian interview transcripts: a period after
# them does not end a sentence ("Drs. Hartono", "Bpk. Budi", "dkk."). Spoken forms such as
# "Pak." and "Bu." are left out: they often do end a sentence ("Baik, Pak.").
_ID_ABBREVIATIONS = (
    "Bpk.", "Bp.", "Sdr.", "Sdri.", "Yth.", "Drs.", "Dra.", "Dr.", "Ir.",
    "Prof.", "H.", "Hj.", "S.E.", "S.H.", "S.Sos.", "S.Pd.", "S.Kom.", "S.IP.", "M.Si.",
    "M.M.", "M.Pd.", "M.A.P.", "M.AP.", "dkk.", "dsb.", "dst.", "dll.", "tsb.", "No.", "Jl.",
    "Kab.", "Kec.", "Kel.", "Prov.", "Rp.", "Tbk.",
)


def _import_spacy() -> Any:
    """`import spacy` without its command-line package, which qualcode never uses.

    spaCy's `__init__` imports `spacy.cli` only for `spacy.info`; that pulls in typer, weasel
    and the download/train/package commands: about a third of the import (0.6 s of CPU per
    process, paid by every import command's workers). Stand-ins take its place while spaCy is
    imported and are removed afterwards, so an explicit `import spacy.cli` still loads the real
    package; if spaCy ever needs more of it, the import is done again without them.
    """
    import sys
    import types

    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    stubs = {}
    for name in ("spacy.cli", "spacy.cli.info"):
        module = types.ModuleType(name)
        module.info = None  # type: ignore[attr-defined]
        stubs[name] = sys.modules.setdefault(name, module)
    try:
        import spacy
    except Exception:  # a spaCy that needs the real package
        for name in [n for n in sys.modules if n == "spacy" or n.startswith("spacy.")]:
            del sys.modules[name]
        stubs = {}
        import spacy
    finally:
        for name, module in stubs.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return spacy


def _blank(code: str) -> Language:
    """A blank pipeline; for 'id', without spaCy's ~15,600 hyphenated-word exceptions.

    spaCy's Indonesian defaults list every reduplication ("anak-anak") as a tokenizer special
    case, which costs about 5 s per process to build and decides no sentence boundary; the
    exceptions with a period (abbreviations) are kept and the list above is added.
    """
    spacy = _import_spacy()
    if code != "id":
        return spacy.blank(code)
    from spacy.lang.id import Indonesian
    from spacy.symbols import ORTH

    base = Indonesian.Defaults.tokenizer_exceptions
    kept = {k: v for k, v in base.items() if "-" not in k or "." in k}
    kept.update({abbr: [{ORTH: abbr}] for abbr in _ID_ABBREVIATIONS})

    class _Defaults(Indonesian.Defaults):  # type: ignore[name-defined,misc,valid-type]
        tokenizer_exceptions = kept

    class _FastIndonesian(Indonesian):
        Defaults = _Defaults

    return _FastIndonesian()


def _build(code: str, *, lemmas: bool) -> Language:
    nlp = _blank(code)
    nlp.add_pipe("sentencizer")
    if not lemmas:
        return nlp
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    try:
        nlp.initialize()
    except (ValueError, OSError) as exc:  # lookup tables missing
        raise QualcodeError(N_("cannot load the {code!r} lemma tables: {exc}"),
                            hint=N_("Install spacy-lookups-data (it is a qualcode dependency): "
                                    "uv sync"), code=code, exc=exc) from None
    return nlp


_WORD_RE = re.compile(r"[^\W\d_]+")


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_STOPWORDS_ID = _words(
    """yang dan di ke dari ini itu dengan untuk tidak ada dalam akan pada juga saya kami kita
    mereka sudah bisa karena atau tersebut oleh sebagai adalah bahwa lebih telah harus masih
    jadi ya kalau belum sangat seperti hanya apa bagaimana pak bu ibu bapak nya kan sih tapi
    namun agar supaya setiap sering biasanya memang begitu begini"""
)
_STOPWORDS_EN = _words(
    """the and of to in is that it for was on with as we they this are be have not but at by
    you what which there our their would can so do about from been has were an how who will
    all if or my your his her its them these those than then when where because very just"""
)
_DETECT_SAMPLE = 20_000


def detect_language(text: str) -> str:
    """'id' or 'en' by a stopword vote over the first 20,000 characters; ties go to 'id'."""
    id_votes = en_votes = 0
    for word in _WORD_RE.findall(text[:_DETECT_SAMPLE].lower()):
        if word in _STOPWORDS_ID:
            id_votes += 1
        elif word in _STOPWORDS_EN:
            en_votes += 1
    return "en" if en_votes > id_votes else "id"
