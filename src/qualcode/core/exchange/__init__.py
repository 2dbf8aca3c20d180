"""Exchange with other QDA programs through REFI-QDA, and plain CSV codebooks.

- `qdc`: codebooks as .qdc (Codebook.xsd) from projects and YAML codebooks; `qdc_read`: .qdc
  from any program into codebooks, matching codes already in a project;
- `csv_codebook`: CSV (key, parent, label, definition) and YAML codebook files, conversions;
- `qdpx_write`: a project as .qdpx (Project.xsd), optionally with CRLF text and positions;
- `qdpx_read` -> `qdpx_build` -> `qdpx_store`: a .qdpx from any program into a new project,
  liberal in the variants it reads (each with a warning), all or nothing;
- `positions`: how positions are counted (characters; CRLF, BOM and UTF-8 byte variants);
- `safety`: archive, size and XML checks for untrusted files; `model`: the records in between.
Importing this package loads neither lxml nor SQLAlchemy.
"""
