"""Hand-written REFI-QDA files (from the specification) for the exchange tests.

`project_xml` writes a small project.qde around one text source; `write_qdpx` zips it with
the given files, so each test states exactly the variant it reads.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

NS = "urn:QDA-XML:project:1.0"
USER = "0f5a5b1e-0000-4000-8000-000000000001"
CODE = "0f5a5b1e-0000-4000-8000-000000000002"
SOURCE = "0f5a5b1e-0000-4000-8000-000000000003"
SELECTION = "0f5a5b1e-0000-4000-8000-000000000004"
CODING = "0f5a5b1e-0000-4000-8000-000000000005"
CASE = "0f5a5b1e-0000-4000-8000-000000000006"
VAR_ROLE = "0f5a5b1e-0000-4000-8000-000000000007"
VAR_AGE = "0f5a5b1e-0000-4000-8000-000000000008"
NOTE = "0f5a5b1e-0000-4000-8000-000000000009"
TEXT = "Peneliti: Bagaimana kerja tim?\nInforman: Kami bekerja keras setiap hari.\n"
PHRASE = "bekerja keras"


def project_xml(path: str, start: int, end: int, *, origin: str = "Hand-written test",
                base_path: str = "", extra_sources: str = "", extra: str = "",
                content: str | None = None) -> bytes:
    """A project with one user, one code, one case (role, age) and one coded text source."""
    body = (f"<PlainTextContent>{content}</PlainTextContent>" if content is not None else "")
    where = "" if content is not None else f' plainTextPath="{path}"'
    base = f' basePath="{base_path}"' if base_path else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="{NS}" name="Studi ASN" origin="{origin}"{base}>
  <Users><User guid="{USER}" name="Sari"/></Users>
  <CodeBook><Codes>
    <Code guid="{CODE}" name="Kerja keras" isCodable="true" color="#3cb44b">
      <Description>Effort at work.</Description>
    </Code>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="{VAR_ROLE}" name="Role" typeOfVariable="Text"/>
    <Variable guid="{VAR_AGE}" name="Age" typeOfVariable="Integer"/>
  </Variables>
  <Cases>
    <Case guid="{CASE}" name="Bu Ani">
      <VariableValue><VariableRef targetGUID="{VAR_ROLE}"/><TextValue>staff</TextValue>
      </VariableValue>
      <VariableValue><VariableRef targetGUID="{VAR_AGE}"/><IntegerValue>41</IntegerValue>
      </VariableValue>
      <SourceRef targetGUID="{SOURCE}"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{SOURCE}" name="wawancara-ani"{where}>{body}
      <PlainTextSelection guid="{SELECTION}" startPosition="{start}" endPosition="{end}"
                          creatingUser="{USER}">
        <Coding guid="{CODING}" creatingUser="{USER}"><CodeRef targetGUID="{CODE}"/>
          <NoteRef targetGUID="{NOTE}"/></Coding>
      </PlainTextSelection>
    </TextSource>{extra_sources}
  </Sources>
  <Notes>
    <Note guid="{NOTE}" name="note" creatingUser="{USER}">
      <PlainTextContent>Works late too.</PlainTextContent></Note>
  </Notes>{extra}
</Project>""".encode()


def write_qdpx(path: Path, qde: bytes, files: dict[str, bytes] | None = None,
               qde_name: str = "project.qde") -> Path:
    """Zip `qde` (as `qde_name`) and `files` into `path`."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(qde_name, qde)
        for name, data in (files or {}).items():
            zf.writestr(name, data)
    return path


def span_of(text: str, phrase: str = PHRASE) -> tuple[int, int]:
    """[start, end) of `phrase` in `text`, in characters."""
    start = text.index(phrase)
    return start, start + len(phrase)
