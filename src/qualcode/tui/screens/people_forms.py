"""Forms on who speaks: a source's speakers, a source's metadata, an informant, and the
attribution of a passage. Each is a FormDialog whose submit does one undoable store call;
a refused value (unknown role, bad date) is shown inside the form, which stays open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qualcode.core.analysis.labels import kind_label, role_label
from qualcode.core.metadata import INTERVIEWER, parse_assignments, speaker_target
from qualcode.core.models import SOURCE_KINDS
from qualcode.i18n import N_, _
from qualcode.tui.screens.form_dialog import FormDialog, FormField, Values

if TYPE_CHECKING:
    from qualcode.core.store import Project

NEW = "__new__"


def needs_speakers(project: Project, source_id: int) -> bool:
    """Whether to ask after import: several informant labels (a focus group, a group
    interview), or labels in a source without an informant, none of them mapped yet."""
    found = [sp for sp in project.speakers(source_id) if not sp.interviewer]
    if any(sp.informant for sp in found):
        return False
    return len(found) > 1 or (bool(found) and project.get_source(source_id).informant_id is None)


def speakers_form(project: Project, source_id: int, lang: str) -> FormDialog | None:
    """One field per speaker label of the source: the informant it stands for (an existing
    pseudonym, completed as typed, or a new one, which creates the informant), `interviewer`,
    or empty (the source's informant). Saving is one `map_speakers` call (one undoable action,
    as `qualcode speakers --map`). None when the source has no speaker labels."""
    source = project.get_source(source_id)
    found = project.speakers(source_id)
    if not found:
        return None
    interviewer = _(INTERVIEWER, lang=lang)  # `pewawancara` is read as the interviewer too
    current = {sp.label: interviewer if sp.interviewer else (sp.informant or "") for sp in found}
    known = [p.pseudonym for p in project.informants()]
    fields = [FormField(f"s{n}", f"{sp.label} ({sp.turns})", current[sp.label],
                        placeholder=_("pseudonym, or interviewer", lang=lang), max_length=200,
                        suggestions=[*known, interviewer])
              for n, sp in enumerate(found)]

    def submit(values: Values) -> None:
        mapping = {sp.label: speaker_target(values[f"s{n}"], sp.label)
                   for n, sp in enumerate(found) if values[f"s{n}"] != current[sp.label]}
        if mapping:
            project.map_speakers(source_id, mapping)

    title = _("Who speaks in {name}? (label (turns) → informant)", lang=lang).format(
        name=source.name)
    return FormDialog(title, fields, submit)


def source_form(project: Project, source_id: int, lang: str) -> FormDialog:
    """Kind, informant, date and language of a source."""
    source = project.get_source(source_id)
    informant = ""
    if source.informant_id is not None:
        informant = next((i.pseudonym for i in project.informants()
                          if i.id == source.informant_id), "")
    fields = [
        FormField("kind", _("Kind", lang=lang), source.kind,
                  choices=[(k, kind_label(k, lang)) for k in SOURCE_KINDS]),
        FormField("informant", _("Informant", lang=lang), informant, max_length=200,
                  placeholder=_("pseudonym (empty: none)", lang=lang)),
        FormField("date", _("Date", lang=lang), source.date or "", max_length=10,
                  placeholder="YYYY-MM-DD"),
        FormField("language", _("Language", lang=lang), source.language,
                  choices=[("id", "Bahasa Indonesia"), ("en", "English")]),
    ]

    def submit(values: Values) -> None:
        project.edit_source(source_id, kind=values["kind"] or None,
                            informant=values["informant"], date=values["date"],
                            language=values["language"] or None)

    return FormDialog(_("Source {name}", lang=lang).format(name=source.name), fields, submit)


def informant_form(project: Project, pseudonym: str, lang: str) -> FormDialog:
    """Pseudonym, role (from the project's list), unit and free attributes of an informant."""
    person = project.get_informant(pseudonym)
    attrs = person.attributes or {}
    roles = project.roles()
    if person.role and person.role not in roles:
        roles.append(person.role)
    fields = [
        FormField("pseudonym", _("Pseudonym", lang=lang), person.pseudonym, max_length=200),
        FormField("role", _("Role", lang=lang), person.role,
                  choices=[(r, role_label(r, lang)) for r in roles]),
        FormField("unit", _("Unit", lang=lang), person.unit, max_length=300),
        FormField("attributes", _("Attributes", lang=lang),
                  "; ".join(f"{k}={v}" for k, v in sorted(attrs.items())),
                  placeholder="gender=f; tenure=12; education=S2"),
    ]

    def submit(values: Values) -> None:
        items = [part.strip() for part in values["attributes"].split(";") if part.strip()]
        given = parse_assignments(items, _("attribute", lang=lang))
        project.edit_informant(person.id or pseudonym, pseudonym=values["pseudonym"],
                               role=values["role"], unit=values["unit"], attributes=given,
                               remove=[k for k in attrs if k not in given])

    return FormDialog(_("Informant {name}", lang=lang).format(name=person.pseudonym), fields,
                      submit)


def attribution_form(project: Project, source_id: int, start: int, end: int,
                     lang: str, author: str) -> FormDialog:
    """Credit the passage [start, end) to a known informant or a new one."""
    people = project.informants()
    fields = [
        FormField("informant", _("Informant", lang=lang), "",
                  choices=[(p.pseudonym, p.pseudonym + (f" ({role_label(p.role, lang)})"
                                                        if p.role else "")) for p in people]),
        FormField("new", _("or a new one", lang=lang), "", max_length=200,
                  placeholder=_("pseudonym", lang=lang)),
    ]

    def submit(values: Values) -> None:
        name = values["new"] or values["informant"]
        if not name:
            from qualcode.errors import QualcodeError

            raise QualcodeError(N_("choose an informant or type a new pseudonym"))
        project.attribute_passage(source_id, start, end, name, author=author)

    return FormDialog(_("Who says this passage?", lang=lang), fields, submit)
