"""Regenerate the loader fixtures in this folder: `python tests/data/loaders/make_fixtures.py`.

The generated files are committed, so the tests need none of this; rerun it only to change a fixture.
How each file is made:

- sample.txt, sample.md, sample.html: written from the literal strings below (UTF-8).
- sample.pdf: a 3-page text PDF written by hand (no PDF library): a catalog, a page tree, the standard
  Helvetica font with WinAnsiEncoding and one content stream per page that draws lines with `Tj`/`Td`.
  Every page carries the same running header and a bare page number as footer, so the loader's
  header/footer removal is exercised; the /Title metadata is a real title.
- scanned.pdf: a valid 1-page PDF whose only content is a filled grey rectangle (no text layer).
- corrupt.pdf: a `%PDF-1.7` header followed by 2 KB of seeded random bytes.
- sample.docx: built with python-docx (Title, Heading 1, body paragraph, List Bullet item, 1-cell table);
  the core-properties dates are fixed.
- bomb.docx: a zip holding word/document.xml of 300 MB of zeros, deflated in 1 MB chunks so the zip
  itself stays ~300 KB; the loader must refuse it before decompressing.
- notutf8.txt: French text encoded as Latin-1 (é, à are invalid UTF-8).
- binary.txt: text mixed with NUL and other control bytes.
- empty.txt: 0 bytes.

Needs python-docx (a gcmkg dependency) and nothing else.
"""

from __future__ import annotations

import datetime as dt
import random
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

SAMPLE_TXT = """\
Regional Review of the Global Compact for Migration

Background note for Roundtable 3 of the UNECE regional review, held in Geneva in November 2020.

Objective 13 – Use migration detention only as a measure of last resort

Portugal reported that it no longer detains migrant children. The International Organization
for Migration (IOM) supports community-based alternatives to detention in the region, together
with UNHCR and civil society partners.

- Detention should be used only as a measure of last resort.
- Alternatives to detention exist and are less costly.

Objective 21 – Cooperate in facilitating safe and dignified return and readmission

Germany and IOM presented an assisted voluntary return programme.
"""

SAMPLE_MD = """\
# Regional Review of the Global Compact for Migration

Background note for *Roundtable 3* of the [UNECE](https://unece.org/) regional review,
held in Geneva in November 2020. ![logo](logo.png)

## Objective 13 – Use migration detention only as a measure of last resort

**Portugal** reported that it no longer detains migrant children. The
_International Organization for Migration_ (`IOM`) supports community-based
alternatives to detention in the region.

- Alternatives to detention:
  - community-based case management
  - release on reporting conditions
- Detention should be used only as a measure of last resort.

```python
print("this code block is dropped")
```

<p>Civil society organisations called for an end to child detention.</p>

Good practices
--------------

1. Portugal ended the detention of children.
2. IOM trained border officials.

---

## Objective 21 – Cooperate in facilitating safe and dignified return and readmission

Germany and IOM presented an assisted voluntary return programme.
"""

SAMPLE_HTML = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Roundtable 3 &ndash; Regional Review of the GCM</title>
<style>body { font-family: sans-serif; }</style>
<script>console.log("dropped");</script>
</head>
<body>
<nav><a href="/">Home</a> | <a href="/gcm">GCM</a></nav>
<h1>Regional Review of the Global Compact for Migration</h1>
<p>Background note for Roundtable 3 of the UNECE regional review, held in Geneva in November 2020.</p>
<h2>Objective 13 &ndash; Use migration detention only as a measure of last resort</h2>
<p>Portugal reported that it no longer detains migrant children. The International Organization
for Migration (IOM) supports community-based alternatives to detention in the region.</p>
<ul>
  <li>Alternatives to detention:
    <ul><li>community-based case management</li><li>release on reporting conditions</li></ul>
  </li>
  <li>Detention should be used only as a measure of last resort.</li>
</ul>
<table><tr><td>Portugal and IOM signed a cooperation agreement in 2019.</td></tr></table>
<h2>Objective 21 &ndash; Cooperate in facilitating safe and dignified return and readmission</h2>
<p>Germany and IOM presented an assisted voluntary return programme.</p>
<footer>&copy; United Nations Network on Migration</footer>
</body>
</html>
"""

NOTUTF8_TXT = """\
Objectif 13 - Recourir à la rétention administrative des migrants en dernier ressort

Le Portugal et l'OIM ont présenté des alternatives à la rétention.
"""

# --- PDF ---------------------------------------------------------------------------------------------

PDF_HEADER_LINE = "UNECE Regional Review of the GCM - Background note, Roundtable 3"

# Each page: (font size, gap before the line in points, text). Paragraph lines are hard-wrapped.
PDF_PAGES = [
    [
        (16, 0, "Regional Review of the Global Compact for Migration"),
        (11, 28, "Background note for Roundtable 3 of the UNECE regional review, held in"),
        (11, 0, "Geneva in November 2020."),
        (13, 22, "Objective 13 \u2013 Use migration detention only as a measure of last resort"),
        (11, 20, "Portugal reported that it no longer detains migrant children. The"),
        (11, 0, "International Organization for Migration (IOM) supports community-based"),
        (11, 0, "alternatives to detention in the region, together with UNHCR and civil"),
        (11, 0, "society partners."),
    ],
    [
        (11, 0, "\u2022 Detention should be used only as a measure of last resort."),
        (11, 6, "\u2022 Alternatives to detention exist and are less costly."),
        (11, 18, "States were encouraged to publish data on immigration detention and to"),
        (11, 0, "allow independent monitoring of all places where migrants are held."),
    ],
    [
        (13, 0, "Objective 21 \u2013 Cooperate in facilitating safe and dignified return and readmission"),
        (11, 20, "Germany and IOM presented an assisted voluntary return programme. Returns"),
        (11, 0, "should be safe, dignified and sustainable."),
    ],
]


def _pdf_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in "()\\":
            out.append("\\" + ch)
        elif ord(ch) < 128:
            out.append(ch)
        else:
            out.append(f"\\{ch.encode('cp1252')[0]:03o}")
    return "(" + "".join(out) + ")"


def _page_stream(lines: list[tuple[int, int, str]], number: int) -> bytes:
    ops = ["BT", "/F1 9 Tf", "72 800 Td", _pdf_string(PDF_HEADER_LINE) + " Tj", "ET", "BT", "72 760 Td"]
    for size, gap, text in lines:
        ops.append(f"/F1 {size} Tf")
        ops.append(f"0 {-(size + 3 + gap)} Td")
        ops.append(_pdf_string(text) + " Tj")
    ops += ["ET", "BT", "/F1 9 Tf", "297 40 Td", _pdf_string(str(number)) + " Tj", "ET"]
    return "\n".join(ops).encode("latin-1")


def _write_pdf(path: Path, streams: list[bytes], title: str | None) -> None:
    """A minimal PDF: 1 catalog, 2 pages, 3 font, 4 info, then a page and a content stream per page."""
    n_pages = len(streams)
    page_ids = [5 + 2 * i for i in range(n_pages)]
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: f"<< /Type /Pages /Kids [{' '.join(f'{p} 0 R' for p in page_ids)}] /Count {n_pages} >>".encode(),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        4: (f"<< /Title {_pdf_string(title)} /Producer (gcmkg make_fixtures.py) >>" if title
            else "<< /Producer (gcmkg make_fixtures.py) >>").encode("latin-1"),
    }
    for page_id, stream in zip(page_ids, streams, strict=True):
        objects[page_id] = (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {page_id + 1} 0 R >>").encode()
        objects[page_id + 1] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objects):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objects[num] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for num in range(1, size):
        out += b"%010d 00000 n \n" % offsets[num]
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    path.write_bytes(bytes(out))


def make_pdfs() -> None:
    streams = [_page_stream(lines, n) for n, lines in enumerate(PDF_PAGES, start=1)]
    _write_pdf(HERE / "sample.pdf", streams, "Roundtable 3: Use migration detention only as a last resort")
    _write_pdf(HERE / "scanned.pdf", [b"0.5 g\n72 400 450 300 re\nf"], None)
    rng = random.Random(13)
    (HERE / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(2048)))


# --- DOCX --------------------------------------------------------------------------------------------


def make_docx() -> None:
    import docx

    document = docx.Document()
    document.add_heading("Regional Review of the Global Compact for Migration", level=0)  # style "Title"
    document.add_heading("Objective 13 \u2013 Use migration detention only as a measure of last resort", 1)
    document.add_paragraph(
        "Portugal reported that it no longer detains migrant children. "
        "The International Organization for Migration (IOM) supports alternatives to detention in the region."
    )
    document.add_paragraph("Detention should be used only as a measure of last resort.", style="List Bullet")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "Portugal and IOM signed a cooperation agreement in 2019."
    document.add_paragraph("States were encouraged to publish data on immigration detention.")
    props = document.core_properties
    props.title = "Roundtable 3: Use migration detention only as a last resort"
    props.author = "gcmkg test fixtures"
    props.created = props.modified = dt.datetime(2020, 11, 12, 10, 0, 0)
    props.last_modified_by = "gcmkg"
    props.revision = 1
    document.save(str(HERE / "sample.docx"))


def make_bomb() -> None:
    path = HERE / "bomb.docx"
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        info = zipfile.ZipInfo("word/document.xml", date_time=(2020, 11, 12, 10, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as member:
            for _ in range(300):
                member.write(chunk)
    size = path.stat().st_size
    assert size < 1 << 20, f"bomb.docx is {size} bytes; it must stay under 1 MB"


# --- plain files -------------------------------------------------------------------------------------


def make_text_files() -> None:
    (HERE / "sample.txt").write_text(SAMPLE_TXT, encoding="utf-8")
    (HERE / "sample.md").write_text(SAMPLE_MD, encoding="utf-8")
    (HERE / "sample.html").write_text(SAMPLE_HTML, encoding="utf-8")
    (HERE / "notutf8.txt").write_bytes(NOTUTF8_TXT.encode("latin-1"))
    (HERE / "binary.txt").write_bytes(
        b"Objective 13 Portugal IOM\x00\x00\x01\x02\x03\x00detention\x00\xff\xfe\x00\x10\x11" * 8
    )
    (HERE / "empty.txt").write_bytes(b"")


def main() -> None:
    make_text_files()
    make_pdfs()
    make_docx()
    make_bomb()
    for path in sorted(HERE.iterdir()):
        if path.suffix != ".py" and path.name != "README.md":
            print(f"{path.name:14} {path.stat().st_size:>8} bytes")


if __name__ == "__main__":
    main()
