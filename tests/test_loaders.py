"""Document loaders: each fixture gives the expected sections and passages; bad files fail in one line."""

from __future__ import annotations

import textwrap
import zipfile
from pathlib import Path

import pytest

from gcmkg.errors import LoaderError, UnsupportedFormat
from gcmkg.loaders import load, loader_for, registry
from gcmkg.loaders.docx import DocxLoader
from gcmkg.loaders.markdown import inline_text, markdown_to_blocks
from gcmkg.loaders.text import text_to_blocks
from gcmkg.model import BlockKind, Document

DATA = Path(__file__).parent / "data" / "loaders"

TITLE = "Regional Review of the Global Compact for Migration"
OBJ13 = "Objective 13 – Use migration detention only as a measure of last resort"
OBJ21 = "Objective 21 – Cooperate in facilitating safe and dignified return and readmission"
BACKGROUND = "Background note for Roundtable 3 of the UNECE regional review, held in Geneva in November 2020."
PORTUGAL = "Portugal reported that it no longer detains migrant children."
IOM_LONG = ("The International Organization for Migration (IOM) supports community-based alternatives to "
            "detention in the region, together with UNHCR and civil society partners.")
IOM_SHORT = ("The International Organization for Migration (IOM) supports community-based alternatives to "
             "detention in the region.")
LAST_RESORT = "Detention should be used only as a measure of last resort."
NESTED = ["Alternatives to detention:", "community-based case management", "release on reporting conditions"]
AGREEMENT = "Portugal and IOM signed a cooperation agreement in 2019."
GERMANY = "Germany and IOM presented an assisted voluntary return programme."

EXPECTED = {
    "sample.txt": (
        "text", "",
        [OBJ13, OBJ21],  # the first lines of a plain-text file are its title, not a section
        [TITLE, BACKGROUND, OBJ13, PORTUGAL, IOM_LONG, LAST_RESORT,
         "Alternatives to detention exist and are less costly.", OBJ21, GERMANY],
    ),
    "sample.md": (
        "markdown", TITLE,
        [TITLE, OBJ13, NESTED[0], "Good practices", OBJ21],
        [TITLE, BACKGROUND, OBJ13, PORTUGAL, IOM_SHORT, *NESTED, LAST_RESORT,
         "Civil society organisations called for an end to child detention.", "Good practices",
         "Portugal ended the detention of children.", "IOM trained border officials.", OBJ21, GERMANY],
    ),
    "sample.html": (
        "html", None,  # the <title> is not read yet: see test_html_title_from_head
        [TITLE, OBJ13, NESTED[0], OBJ21],
        [TITLE, BACKGROUND, OBJ13, PORTUGAL, IOM_SHORT, *NESTED, LAST_RESORT, AGREEMENT, OBJ21, GERMANY],
    ),
    "sample.pdf": (
        "pdf", "Roundtable 3: Use migration detention only as a last resort",
        [OBJ13, OBJ21],  # the first lines of the page are its title, not a section
        [TITLE, BACKGROUND, OBJ13, PORTUGAL, IOM_LONG, LAST_RESORT,
         "Alternatives to detention exist and are less costly.",
         "States were encouraged to publish data on immigration detention and to allow independent "
         "monitoring of all places where migrants are held.",
         OBJ21, GERMANY, "Returns should be safe, dignified and sustainable."],
    ),
    "sample.docx": (
        "docx", "Roundtable 3: Use migration detention only as a last resort",
        [TITLE, OBJ13],
        [TITLE, OBJ13, PORTUGAL,
         "The International Organization for Migration (IOM) supports alternatives to detention "
         "in the region.",
         LAST_RESORT, AGREEMENT, "States were encouraged to publish data on immigration detention."],
    ),
}


def _check_offsets(doc: Document) -> None:
    for p in doc.passages:
        assert doc.text[p.start:p.end] == p.text, p
    assert [p.index for p in doc.passages] == list(range(len(doc.passages)))
    assert [p.start for p in doc.passages] == sorted(p.start for p in doc.passages)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_loads(name: str) -> None:
    loader_name, title, headings, passages = EXPECTED[name]
    doc = load(DATA / name)
    assert doc.identifier == name
    assert doc.media_type == loader_for(DATA / name).media_type
    if title is not None:
        assert doc.title == (title or doc.title)  # '' means the format gives none: segment.py guesses one
    assert [s.heading for s in doc.sections] == headings
    assert [p.text for p in doc.passages] == passages
    _check_offsets(doc)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_objective_heading_governs_what_follows(name: str) -> None:
    doc = load(DATA / name)
    section = next(s for s in doc.sections if s.heading == OBJ13)
    assert doc.passages[section.passage].kind == "heading"
    assert doc.passages[section.passage].text == OBJ13
    after = doc.passages[section.passage + 1:]
    governed = [p for p in after if section.index in p.sections]
    assert governed, "nothing after the Objective 13 heading is in its section"
    assert after[0] in governed and PORTUGAL in [p.text for p in governed]
    assert any("IOM" in p.text for p in governed)
    # The section runs up to the next heading of its rank or above.
    ranks = {s.passage: s.level for s in doc.sections}
    for p in after:
        if ranks.get(p.index, section.level + 1) <= section.level:
            break
        assert section.index in p.sections, p


def test_pdf_drops_running_header_and_page_numbers() -> None:
    doc = load(DATA / "sample.pdf")
    assert "Background note, Roundtable 3" not in doc.text
    assert not any(p.text.strip().isdigit() for p in doc.passages)
    assert [p.kind for p in doc.passages if p.text == LAST_RESORT] == ["item"]


def test_docx_blocks_keep_table_in_reading_order() -> None:
    blocks, title = DocxLoader().blocks(DATA / "sample.docx")
    assert title == "Roundtable 3: Use migration detention only as a last resort"
    assert [(b.kind, b.level) for b in blocks] == [
        (BlockKind.HEADING, 1), (BlockKind.HEADING, 1), (BlockKind.PARAGRAPH, 0),
        (BlockKind.ITEM, 0), (BlockKind.PARAGRAPH, 0), (BlockKind.PARAGRAPH, 0),
    ]
    assert blocks[4].text == AGREEMENT


def test_docx_list_levels_from_ilvl_and_style(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading(OBJ13, level=1)
    document.add_paragraph("States committed to alternatives to detention:", style="List Bullet")
    document.add_paragraph("Portugal ended child detention.", style="List Bullet 2")
    nested = document.add_paragraph("IOM runs case management in Greece.", style="List Number")
    num_pr = nested._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 1
    num_pr.get_or_add_numId().val = 1
    path = tmp_path / "levels.docx"
    document.save(str(path))
    blocks, _ = DocxLoader().blocks(path)
    assert [(b.kind, b.level) for b in blocks] == [(BlockKind.HEADING, 1), (BlockKind.ITEM, 0),
                                                   (BlockKind.ITEM, 1), (BlockKind.ITEM, 1)]
    doc = load(path)
    parent = next(s for s in doc.sections if s.heading.startswith("States committed"))
    assert all(parent.index in p.sections for p in doc.passages[-2:])


def test_pdf_encrypted_and_page_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf import PdfWriter

    import gcmkg.loaders.pdf as pdf

    writer = PdfWriter(clone_from=DATA / "sample.pdf")
    writer.encrypt(user_password="secret", owner_password="owner")
    locked = tmp_path / "locked.pdf"
    with open(locked, "wb") as fh:
        writer.write(fh)
    with pytest.raises(LoaderError, match="locked.pdf: corrupt or unreadable PDF .*password"):
        load(locked)

    writer = PdfWriter(clone_from=DATA / "sample.pdf")
    writer.encrypt(user_password="", owner_password="owner")  # opens without a password
    opened = tmp_path / "opened.pdf"
    with open(opened, "wb") as fh:
        writer.write(fh)
    assert [s.heading for s in load(opened).sections] == [OBJ13, OBJ21]

    monkeypatch.setattr(pdf, "MAX_PAGES", 2)
    with pytest.raises(LoaderError, match=r"too many pages \(3; the limit is 2\)"):
        load(DATA / "sample.pdf")


@pytest.mark.parametrize("title, expected", [
    ("Microsoft Word - GCM_report_final.docx", ""),
    ("untitled", ""),
    ("report.pdf", ""),
    ("  GCM Regional Review:\n Summary  ", "GCM Regional Review: Summary"),
])
def test_pdf_title_only_when_real(tmp_path: Path, title: str, expected: str) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=DATA / "sample.pdf")
    writer.add_metadata({"/Title": title})
    path = tmp_path / "titled.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    doc = load(path)
    if expected:
        assert doc.title == expected
    else:
        assert doc.title != title.strip()  # the metadata is ignored; segment.py guesses from the text


# --- the registry -------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix, name", [
    (".txt", "text"), (".md", "markdown"), (".markdown", "markdown"), (".html", "html"), (".htm", "html"),
    (".pdf", "pdf"), (".PDF", "pdf"), (".docx", "docx"),
])
def test_registry_picks_loader_by_suffix(suffix: str, name: str) -> None:
    assert {"text", "markdown", "html", "pdf", "docx"} <= set(registry())
    assert loader_for(Path(f"report{suffix}")).name == name


@pytest.mark.parametrize("filename", ["notes.xyz", "README"])
def test_unknown_suffix(filename: str) -> None:
    with pytest.raises(UnsupportedFormat) as err:
        load(DATA / filename)
    assert filename in str(err.value) and "\n" not in str(err.value)
    assert ".docx" in str(err.value)  # lists the supported types


# --- bad files ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, problem", [
    ("corrupt.pdf", "corrupt or unreadable PDF ("),
    ("scanned.pdf", "no text layer (scanned images?); run OCR first"),
    ("bomb.docx", "refused: word/document.xml expands to 300 MB"),
    ("notutf8.txt", "not UTF-8 text"),
    ("binary.txt", "binary content"),
    ("empty.txt", "empty file"),
    ("missing.txt", "file not found"),
    ("missing.md", "file not found"),
    ("missing.html", "file not found"),
    ("missing.pdf", "file not found"),
    ("missing.docx", "file not found"),
])
def test_bad_file_is_one_line_loader_error(name: str, problem: str) -> None:
    with pytest.raises(LoaderError) as err:
        load(DATA / name)
    message = str(err.value)
    assert name in message and problem in message
    assert "\n" not in message and "\r" not in message


def test_bomb_fixture_stays_small() -> None:
    assert (DATA / "bomb.docx").stat().st_size < 1024 * 1024


def test_docx_guard_ratio_and_not_a_docx(tmp_path: Path) -> None:
    ratio = tmp_path / "ratio.docx"
    with zipfile.ZipFile(ratio, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))
    with pytest.raises(LoaderError, match=r"refused: word/document.xml expands to 20 MB .*ratio over 100:1"):
        load(ratio)

    no_body = tmp_path / "nobody.docx"
    with zipfile.ZipFile(no_body, "w") as zf:
        zf.writestr("content.xml", "<x/>")
    with pytest.raises(LoaderError, match=r"corrupt or not a DOCX file \(no word/document.xml"):
        load(no_body)

    renamed = tmp_path / "renamed.docx"
    renamed.write_bytes((DATA / "sample.pdf").read_bytes())
    with pytest.raises(LoaderError, match=r"renamed.docx: corrupt or not a DOCX file \("):
        load(renamed)

    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types")
        zf.writestr("word/document.xml", "<w:document")
    with pytest.raises(LoaderError, match=r"broken.docx: corrupt or not a DOCX file \(") as err:
        load(broken)
    assert "\n" not in str(err.value)


# --- plain text ---------------------------------------------------------------------------------------

SENTENCES = [
    "The Global Compact for Safe, Orderly and Regular Migration was adopted in Marrakech in December 2018.",
    "Portugal presented its national implementation plan, prepared with the International Organization "
    "for Migration and civil society.",
    "Objective 13 calls on States to use migration detention only as a measure of last resort and to work "
    "towards alternatives.",
]


def test_hard_wrapped_text_is_rejoined(tmp_path: Path) -> None:
    wrapped = textwrap.fill(" ".join(SENTENCES), width=60)
    assert wrapped.count("\n") >= 4 and max(len(line) for line in wrapped.splitlines()) <= 60
    blocks = text_to_blocks(wrapped)
    assert [b.kind for b in blocks] == [BlockKind.PARAGRAPH]
    path = tmp_path / "wrapped.txt"
    path.write_text(OBJ13 + "\n\n" + wrapped + "\n", encoding="utf-8")
    doc = load(path)
    assert [p.text for p in doc.passages] == [OBJ13, *SENTENCES]
    _check_offsets(doc)


def test_html_fragments_in_text_become_blocks(tmp_path: Path) -> None:
    line = ("<p>Portugal ended the detention of migrant children.</p>"
            "<p>IOM supports alternatives to detention.</p><br><h3>Objective 21</h3>")
    blocks = text_to_blocks("Intro line about the GCM review.\n" + line + "\n")
    assert [(b.kind, b.text) for b in blocks] == [
        (BlockKind.PARAGRAPH, "Intro line about the GCM review."),
        (BlockKind.PARAGRAPH, "Portugal ended the detention of migrant children."),
        (BlockKind.PARAGRAPH, "IOM supports alternatives to detention."),
        (BlockKind.HEADING, "Objective 21"),
    ]
    path = tmp_path / "fragments.txt"
    path.write_text("Intro line about the GCM review.\n" + line + "\n", encoding="utf-8")
    doc = load(path)
    assert "<p>" not in doc.text
    assert [p.text for p in doc.passages][1:3] == [blocks[1].text, blocks[2].text]
    _check_offsets(doc)


# --- markdown -----------------------------------------------------------------------------------------


def test_markdown_nested_list_parent_is_section(tmp_path: Path) -> None:
    path = tmp_path / "nested.md"
    path.write_text(textwrap.dedent("""\
        ## Objective 13 – detention

        - States reported alternatives to detention:
            - Portugal: case management
            - Germany: reporting duties
                * IOM monitors the pilots
        - UNHCR called for an end to child detention.
        """), encoding="utf-8")
    doc = load(path)
    assert [(p.kind, p.text) for p in doc.passages][1:] == [
        ("item", "States reported alternatives to detention:"),
        ("item", "Portugal: case management"),
        ("item", "Germany: reporting duties"),
        ("item", "IOM monitors the pilots"),
        ("item", "UNHCR called for an end to child detention."),
    ]
    heading, parent, germany = (next(s for s in doc.sections if s.heading.startswith(x))
                                for x in ("Objective 13", "States reported", "Germany"))
    p = {q.text.split()[0].rstrip(":"): q for q in doc.passages}
    assert p["States"].sections == (heading.index,)
    assert p["Portugal"].sections == (heading.index, parent.index)
    assert p["IOM"].sections == (heading.index, parent.index, germany.index)
    assert p["UNHCR"].sections == (heading.index,)
    assert parent.parent == heading.index and germany.parent == parent.index
    _check_offsets(doc)


def test_markdown_blocks() -> None:
    blocks = markdown_to_blocks(textwrap.dedent("""\
        ---
        title: front matter is skipped
        ---
        Setext title
        ============

        A paragraph about the GCM
        wrapped over two lines.

        [ref]: https://example.org

        ~~~
        # not a heading: code
        ~~~
        1. first
        2. second
           continued lazily
        10) tenth

            more text of the tenth item



        After a gap.

        ***

        | State | Pledge |
        |-------|--------|
        | Portugal | ends child detention |
        <div>IOM <b>supports</b> it</div>

        > Quoted: a *key* message.
        ### Closing ###
        """))
    assert [(b.kind.value, b.level, b.text) for b in blocks] == [
        ("heading", 1, "Setext title"),
        ("paragraph", 0, "A paragraph about the GCM wrapped over two lines."),
        ("item", 0, "first"),
        ("item", 0, "second continued lazily"),
        ("item", 0, "tenth more text of the tenth item"),
        ("gap", 0, ""),
        ("paragraph", 0, "After a gap."),
        ("gap", 0, ""),
        ("paragraph", 0, "State"), ("paragraph", 0, "Pledge"),
        ("paragraph", 0, "Portugal"), ("paragraph", 0, "ends child detention"),
        ("paragraph", 0, "IOM supports it"),
        ("paragraph", 0, "Quoted: a key message."),
        ("heading", 3, "Closing"),
    ]


@pytest.mark.parametrize("markup, text", [
    ("**Portugal** and _IOM_ and *UNHCR* and __ILO__ and ***both***",
     "Portugal and IOM and UNHCR and ILO and both"),
    ("see [Objective 13](https://example.org/o13 \"title\") now", "see Objective 13 now"),
    ("logo ![GCM logo](logo.png) gone", "logo gone"),
    ("[![badge](b.svg)](https://x.org) keep `snake_case_name` and `**raw**`",
     "keep snake_case_name and **raw**"),
    ("snake_case_name stays, 2 * 3 * 4 stays", "snake_case_name stays, 2 * 3 * 4 stays"),
    (r"escaped \*stars\* and \_under\_", "escaped *stars* and _under_"),
    ("visit <https://migrationnetwork.un.org> &amp; more", "visit https://migrationnetwork.un.org & more"),
    ("text<sup>1</sup> with ~~strike~~ and a note[^1]", "text1 with strike and a note"),
    ("a [ref link][r1] and [r1] and [not a ref]", "a ref link and r1 and [not a ref]"),
])
def test_markdown_inline(markup: str, text: str) -> None:
    assert inline_text(markup, {"r1"}) == text


def test_markdown_gap_marks_after_gap(tmp_path: Path) -> None:
    path = tmp_path / "gap.md"
    path.write_text(f"# {OBJ13}\n\n{PORTUGAL}\n\n---\n\n{GERMANY}\n", encoding="utf-8")
    doc = load(path)
    assert [p.after_gap for p in doc.passages] == [False, False, True]
    assert doc.title == OBJ13


# --- known problems outside the loaders written here ---------------------------------------------------


def test_html_title_from_head() -> None:
    assert load(DATA / "sample.html").title == "Roundtable 3 – Regional Review of the GCM"


def test_blocks_are_text_only() -> None:
    for name in EXPECTED:
        doc = load(DATA / name)
        assert all(p.text == p.text.strip() and p.text for p in doc.passages)
