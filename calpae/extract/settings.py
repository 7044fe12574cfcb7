"""The tuning numbers of the readers, each named once with its unit and why it is what it is.

One frozen dataclass per area (pdfplumber's TableSettings, docling's pipeline options), and one module-level
default instance of each, which the readers use. To try other values, build one with dataclasses.replace and pass
it where a function takes one (the OCR steps take OcrSettings: ocr_document, ocr_image, run_tesseract, parse_tsv).

Units: "points" are PDF points (1/72 inch); "font sizes" are multiples of the font size of the word concerned
(DEFAULT_FONT_SIZE when a word has none); "word heights" are multiples of the median height of the OCR words
concerned; "line heights" of the height of one text band; "shares" are fractions between 0 and 1.
Where a number is used as "x within N of y", N is a tolerance: its value is what separates the layouts of the
corpora and of the real documents (ARCHITECTURE.md says how to change one without breaking another layout).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEFAULT_FONT_SIZE = 10.0  # points: the size taken for a word whose font size is unknown (and for text-only lines)
A4_HEIGHT = 842.0  # points: the page height taken for a page that has none
POINTS_PER_INCH = 72.0


@dataclass(frozen=True)
class LineSettings:
    """Words into visual lines (calpae.extract.geometry.lines)."""

    baseline_tol: float = 0.3  # font sizes: baselines this close are one line…
    baseline_tol_min: float = 1.5  # points: …but never closer than this
    box_slack: float = 0.5  # points: a word whose box lies within the line's (this much slack) joins it
    overlap_share: float = 0.6  # share of the smaller height two boxes must overlap to sit on one line
    lookback: int = 3  # lines (the last ones started) a word may join; a page's lines are met top to bottom


@dataclass(frozen=True)
class AmountSettings:
    """A line split into a label and the amount cells that end it (calpae.extract.numbers.cells)."""

    col_gap: float = 0.9  # font sizes: a wider gap separates two cells
    wide_gap: float = 3.0  # multiples of col_gap: a gap this wide is a column break whatever word precedes it
    many_amounts: int = 3  # a line ending with this many amounts (with units) in their own columns is a row
    ambiguous_groups: int = 3  # digit groups from which a cell's leading group may belong to the label
    text_char_width: float = 5.0  # points: width given to a character of a text-only line (no geometry)
    text_space_width: float = 2.5  # points: width given to the space between two of its words


@dataclass(frozen=True)
class FurnitureSettings:
    """Stamps, running headers and footers, page numbers (calpae.extract.structure.furniture, .gaps)."""

    stamp_gap_lines: int = 2  # non-stamp lines allowed between two stamp lines of one block
    stamp_inner_chars: int = 60  # such inner lines are short (a stray stamp word, a signatory)
    stamp_min_fields: int = 2  # a block is a stamp with this many fields (or an ACTES id)
    stray_after_fields: int = 3  # a full stamp (this many fields) takes one stray all-caps word printed after it
    min_repeats: int = 3  # pages a running line must repeat on…
    min_page_share: float = 0.3  # …and this share of the document's pages
    edge_lines: int = 3  # lines looked at from the top and the bottom of each page
    edge_share: float = 0.15  # share of the page height at the top and bottom counted as header/footer zone
    same_place_band: float = 0.14  # share of the page height where lines repeated at one place are furniture (pass
    # before tables: it sees table headers that the after-tables pass has by then flagged in_table)
    same_place_step: float = 6.0  # points: lines this close in distance from the same page edge are at one place
    misread_ratio: float = 85.0  # rapidfuzz ratio (0-100): a line this like a running line at its place is that
    # line as OCR misread it ('… page 3 É' beside '… page 4')
    head_cell_gap: float = 1.5  # font sizes: a gap this wide separates two cells of a table header line
    head_min_gaps: int = 2  # a header line has at least this many such gaps (three cells)
    head_reach: int = 10  # lines below a header line within which its table's first row stands
    head_stack_gap: float = 0.8  # font sizes of white at most between two stacked lines of one table header
    page_number_edge_lines: int = 2  # a bare number counts as a page number among this many lines at each edge
    page_number_min_pages: int = 2  # bare numbers must count pages on this many pages
    text_min_repeats: int = 3  # text exports: a line seen this many times verbatim is a running header or footer
    text_min_running_chars: int = 20  # text exports: shorter repeated lines are table headers or labels


@dataclass(frozen=True)
class HeadingSettings:
    """Numbered headings, annexes and the section tree (calpae.extract.structure.headings, .sections)."""

    max_title_chars: int = 220
    max_annex_chars: int = 160
    max_unnumbered_title_chars: int = 100  # a '4 Titre' heading (no dot) longer than this is prose
    max_continuation_chars: int = 100  # a heading's second line is at most this long…
    max_caps_continuation_chars: int = 80  # …and this long when both lines are in capitals
    column_gap: float = 20.0  # points between two words of one line that only a column boundary explains
    bold_weight: float = 1.3  # a bold or marked-up heading weighs this much against a plain line (1.0)
    annex_caps_bonus: float = 0.2  # 'ANNEXE' in capitals adds this to an annex heading's weight
    toc_weight: float = 0.4  # a table-of-contents entry ('1.1 Titre 3') keeps this share of its weight
    wrapped_weight: float = 0.6  # a heading ending with ',' or ';' keeps this share
    skip_penalty: float = 0.6  # per level implied but never printed ('6.1' right after '5')
    lookback: int = 400  # candidates considered as predecessor of one candidate


@dataclass(frozen=True)
class TableSettings:
    """Ruled tables, tables over page breaks, lines inside tables (calpae.extract.tables: found, ruled, merge)."""

    # pdfplumber's table finder on the page's ruling lines (points)
    ruled_finder: dict[str, Any] = field(
        default_factory=lambda: {
            "vertical_strategy": "lines",
            "horizontal_strategy": "lines",
            "snap_tolerance": 3,
            "join_tolerance": 3,
        }
    )
    min_rules: int = 2  # ruling lines in each direction a page needs before the finder runs
    edge_tol: float = 2.5  # points: two grid coordinates closer than this are one
    same_columns_tol: float = 4.0  # points: the columns of two parts of one table agree within this
    body_slack: float = 1.0  # points: a body line this far into a table's edge still stands outside it
    tail_gap: float = 2.0  # font sizes of white between label lines a page break cut off a table's last row
    inside_slack_y: float = 0.5  # points: a line whose centre is this near a table's area is inside it…
    inside_slack_x: float = 2.0  # points: …when its ends are this near the area's sides
    overflow_rise: float = 1.0  # points: a word whose top stands this far above its cell's top rule began above it
    overflow_pitch: float = 1.6  # word heights: the most a cell's line stands below the line before it


@dataclass(frozen=True)
class BandSettings:
    """Rows of a borderless table read as bands of label words (calpae.extract.tables.bands)."""

    gap_factor: float = 0.45  # font sizes: a vertical gap wider than this separates two rows
    subcolumn_gap: float = 6.0  # points of empty x between two label columns
    min_edge_lines: int = 2  # visual lines starting on one x (nothing left of them) make a column edge
    slack: float = 1.0  # points: coordinates this close count as one (edges, amount lines beside a band)
    fine_slack: float = 0.5  # points: a word reaching this far past an edge still stands inside it


@dataclass(frozen=True)
class BorderlessSettings:
    """Borderless tables from lines ending with amounts (calpae.extract.tables.borderless)."""

    max_gap_lines: int = 5  # non-amount lines allowed between two rows of one table
    max_header_lines: int = 10  # upright lines above a table's first row that may head it
    x1_tol: float = 4.0  # points: right edges of one right-aligned column agree within this
    fragment_chars: int = 3  # a line this short without digits is a fragment of rotated text
    number_column_gap: float = 10.0  # points: an action number this far left of every row's amounts is a label
    attach_lines: int = 5  # wrapped label lines attached to a row at the most
    number_cell_gap: float = 1.0  # font sizes: a row's leading number standing this far left of the next label word
    # is in a column of its own (a fiche number beside a wrapped label)
    wrap_lines: int = 4  # lines above a table's first row its label may wrap from
    label_right_slack: float = 2.0  # points: a header word ending this near the labels' right edge is over them
    header_start_slack: float = 5.0  # points: a header line starting this near the amounts is over them
    header_over_amounts: float = 0.5  # font sizes: a header starting this far right of every label is over amounts
    header_cell_gap: float = 1.5  # font sizes: a gap this wide separates two header cells
    rotated_reach: float = 2.0  # font sizes: rotated header cells this close above join the header band
    prose_width: float = 0.6  # share of the body width from which a line above the table is prose, not header
    column_slack: float = 2.0  # points: a header word centred this far past a column's right edge is over it
    body_width_pages: int = 20  # pages measured for the body's width
    label_slack: float = 1.0  # points: a header word ending this far past the labels' right edge is over them
    tail_reach: float = 0.8  # font sizes of white above a letter fragment that ends the header word over it
    centred_overlap: float = 0.2  # share of a line's height: a label line and an amount line overlapping this much
    # stand half a line apart, not stacked: the amount is centred beside a label cell of several lines, one row


@dataclass(frozen=True)
class CellTextSettings:
    """The lines of one cell into its text: words and numbers broken over two lines rejoined
    (calpae.extract.tables.cell_text, calpae.extract.lexicon)."""

    full_line_chars: float = 2.0  # characters: a line ending in a broken word is at most this much narrower than
    # the cell's widest line (the next character did not fit); a shorter single word was wrapped whole
    max_number_breaks: int = 4  # line breaks inside one cell's number tried both ways (2**n readings)
    referential_frequency: float = 1e-6  # share of words: a word of the referential is at least this common (zipf
    # 3, one word in a million) whatever its general frequency
    unknown_cost: float = 8.0  # -log10 probability of a word no list holds: rarer than the rarest listed (1e-8)…
    unknown_cost_per_char: float = 1.0  # …and each letter a tenfold less likely string


@dataclass(frozen=True)
class WrappedSettings:
    """Tables whose amounts wrap inside their cells, with no inner rules (calpae.extract.tables.wrapped)."""

    right_tol: float = 0.4  # font sizes: the line ends of one right-aligned amount column agree within this (a
    # line broken after a no-break space ends a space's width short of the others)
    piece_gap: float = 0.6  # font sizes: number words this close on one line are pieces of one amount…
    group_space_slack: float = 1.25  # …or, where the page shows amounts in groups, this times the median white
    # between two groups of one amount ('167 000'): neighbouring columns may stand closer than a word space
    ocr_group_rank: float = 0.9  # quantile of those white gaps taken on OCR words: boxes of ink spread 1.3-3.4 pt
    # where the text layer of the same page gives 1.7-1.8 pt (office seed 5 Jura recap), so the median splits amounts
    cell_gap: float = 1.2  # font sizes: lines of one amount cell are at most this far apart (bottom to top)
    min_columns: int = 3  # amount columns a table has at least…
    min_rows: int = 2  # …each with amounts on this many rows
    header_gap: float = 4.0  # font sizes (of the body) of white above a header line end the table's header (a
    # spreadsheet centres a stacked header in a tall row: white above its body as tall as three lines)…
    heading_size: float = 1.2  # …as does a line set this many times larger than the body (a heading)
    max_header_lines: int = 30  # visual lines a stacked header of narrow cells may hold
    phrase_gap: float = 0.45  # font sizes: words of one header phrase are closer than this (a space is 0.23-0.32
    # of the font size in the usual fonts; two columns' header cells stand at least a cell padding apart)
    span_share: float = 0.25  # share of a header phrase's width each column under it holds when the phrase spans
    # them ('Financement 2022' centred over six columns), not merely overhangs one (a left-aligned column header)
    cell_pad: float = 0.5  # font sizes: white a cell keeps past its widest line or its amounts' right edge
    filled_share: float = 0.8  # share of a table's row × amount-column slots holding an amount (a recap fills
    # every slot, with '- €' where nothing was spent): less, and a words-based reading of a page holding no wrapped
    # amount is several tables read as one
    label_gap: float = 2.0  # points of white running down between two label columns (two narrow Calc columns
    # stand 2.3 points apart; the spaces of one column's lines never line up all the way down)…
    ocr_label_gap: float = 1.0  # points: the same on OCR words, whose ink boxes close a 2.3-point gutter to 1-1.5
    # (office seed 5, Jura recap: theme and Chorus columns; a glyph fragment read as a word stands in it)
    gutter_crossings: int = 1  # …that this many words may cross (a total's label merged over the label columns)
    gutter_step: float = 0.5  # points: the resolution at which white is measured
    column_edge_slack: float = 1.0  # points: lines of a label column starting this near its left edge are aligned


@dataclass(frozen=True)
class TextLayoutSettings:
    """Tables that exist only as text layout, in PDFs and text exports (calpae.extract.tables.text_layout)."""

    max_blanks: int = 4  # this many blank lines in a row (no furniture among them) end a table region
    max_lead_label: int = 4  # label lines above a header-less table's first amount line
    fragment_chars: int = 3  # a line this short without digits is a fragment of rotated text
    crowded_header_cells: int = 3  # a header line splitting into this many cells at capitals is a full header
    title_reach: int = 30  # lines above a table searched for its title
    tsv_title_reach: int = 40  # lines above a tab-separated table searched for its title
    prose_quantile: float = 0.9  # the line length at this quantile…
    prose_share: float = 0.85  # …times this share is where prose running the full width starts…
    min_prose_chars: int = 60  # …but never below this many characters
    default_prose_chars: int = 80  # characters, when there are no lines to measure
    amount_slack: float = 0.5  # points: label words ending this near the amounts' left edge stand left of them
    gutter_em: float = 2.0  # font sizes: a gap this wide before a line's amounts is a column gutter, no word space
    gutter_spaces: int = 3  # spaces: the same in a text export's line


@dataclass(frozen=True)
class TextGridSettings:
    """Wide amount tables of monospace text exports read by character columns (calpae.extract.tables.text_grid)."""

    min_amount_columns: int = 5  # amounts on one line that make a page's table wide enough to read by columns
    max_columns: int = 40  # …and at most this many: a longer run of figures on a line is no table's row
    max_lines_apart: int = 2  # source lines: a row's amounts (wrapped, centred) stand this close together
    max_drift: float = 4.0  # characters: an amount this far from a column's centre is still in it (a shifted row)
    missing_cells: int = 1  # amount cells the fullest row may lack (a cell the export ran into its neighbour's)
    edge_share: float = 0.15  # share of a table's lines whose words start on one character: a label column's edge
    min_edge_lines: int = 2  # …and never fewer lines than this
    header_blanks: int = 2  # blank lines in a row that end a header upwards
    title_reach: int = 30  # lines above a table searched for its title
    max_header_cells_per_column: int = 2  # header cells (stacks of phrases) per column beyond which the lines above
    # a table are no header to match column by column (calpae.extract.tables.text_header)
    header_skip_pitches: float = 2.0  # amount-column pitches of drift that leaving an amount column without its own
    # header cell (or giving one two) costs when header cells are matched to columns in order (the export shifts a
    # cell by up to a column, and a few columns' drift adds up along a line)
    header_label_skip_pitches: float = 1.0  # …and a label column (the body shows its label columns only where their
    # lines start: two header cells over one of them is likelier)
    # The words of a header line over the amount columns, each given a column (calpae.extract.tables.text_header):
    # pdftotext sets a run of words that stand close on the page one space apart from where the run starts, so only
    # the run's first word keeps its place; the others keep their order and may stand left of their column (never
    # far right of it). Costs in characters of misplacement.
    crowded_run_columns: int = 3  # column centres a run of words must stand over, on a line with other runs, for
    # a header to be read so (else its cells are matched to the columns in order)
    header_run_start_weight: float = 0.5  # per character between a run's first word's centre and its column's
    header_run_inner_weight: float = 0.1  # …and between a later word's centre and its column's
    header_run_right_slack: int = 2  # characters a later word may stand right of its column's centre…
    header_run_right_weight: float = 2.0  # …and the cost of each character beyond
    header_run_join_cost: float = 3.0  # each word a group of a run joins where the group is wider than its column's
    # band (a narrow cell's line is one word; 'en 2022' fits)
    header_run_cut_cost: float = 3.0  # a later group of a run opening on a dash ('- en 2020 -'): the end of the
    # cell line before ('reporter en 2020 -' / 'Part État')
    header_run_skip_cost: float = 3.0  # each column a run passes over between two of its words (left bare there)
    header_bare_cost: float = 1.0  # …and each column left bare between two runs (a cell with fewer lines)
    header_run_shared_cost: float = 6.0  # two runs of one line in one column (a wide gap inside a narrow cell)


@dataclass(frozen=True)
class FigureSettings:
    """Tables of figures that are not money (indicator tables: counts, rates, NC/SO) set without inner rules or
    with rules between rows only (calpae.extract.tables.figures)."""

    space_factor: float = 1.8  # multiples of the page's word space: a wider gap ends a phrase (a cell's text)
    min_space: float = 0.2  # font sizes: the word space taken at least (a page with few words measures little)
    min_figures: int = 2  # figures standing apart on one line make it a row of a table of figures
    gutter_spaces: float = 1.8  # word spaces of white running down between label words: a column gutter…
    edge_spaces: float = 1.2  # …or this much where lines start on one x right of it (a left-aligned column)
    edge_lines: int = 2  # lines starting on one x that make a column's left edge
    named_edge_spaces: float = 0.9  # word spaces of such an edge where the header names more label columns
    named_edge_drift: float = 2.0  # word spaces (a text export's characters) a column's lines start left of its edge
    column_tol: float = 1.0  # points: figures of one column overlap in x at least this much less than nothing
    cell_gap: float = 1.2  # font sizes of white between two lines of one cell at the most (a larger one ends
    # the table below its last row)
    header_gap: float = 1.5  # font sizes of white above a header line that end the table's header (the lines of
    # a stacked header interleave; a caption stands a paragraph's space above)
    first_header_gap: float = 2.5  # font sizes of white allowed right above the first row when the line there
    # stands over the value columns (a text export puts a blank line under a bottom-aligned header)
    max_header_lines: int = 30  # visual lines above the first row: a header of narrow cells broken mid-word, the
    # first row's label lines
    max_row_lines: int = 14  # visual lines between two rows of figures (a tall comment cell)
    edge_tol: float = 3.0  # points: a line starting this far left of the table (or ending right of it) is outside
    size_tol: float = 0.1  # share: a line set this much larger than the table's text is a heading or a caption
    money_share: float = 0.5  # share of figures in euros from which the table is a budget (the other readers)


@dataclass(frozen=True)
class OcrSettings:
    """OCR of pages without a usable text layer: which pages, Tesseract's pass, its words (calpae.extract.ocr)."""

    dpi: int = 300  # render resolution: Tesseract reads best with capital letters ~30 px high
    page_timeout: float = 90.0  # seconds of Tesseract per page before the page is given up
    lang: str = "fra"
    psm: str = "6"  # one uniform block: keeps a table row's label and amounts on one line
    stamp_chars: int = 400  # a text layer this small over a full-page image is a stamp, not the page's content
    image_cover: float = 0.6  # share of the page an image must cover to count as a scan
    scan_fit: float = 0.01  # share of the page size within which an image's edges must meet the page's
    min_conf: float = 10.0  # words Tesseract is less sure of than this are noise (specks, rule remnants)
    symbol_conf: float = 50.0  # a word without letters or digits read less surely than this is noise
    em_per_height: float = 1 / 0.72  # word box height (cap or x-height + ascender/descender) → font size
    descent_em: float = 0.21  # font sizes: a line's box ends this far below its baseline, as a font box does
    repeat_overlap: float = 0.8  # share of the narrower width two meeting words of one text share: one word read twice
    repeat_height: float = 0.33  # …and the share of the lower one's height they share
    speck_conf: float = 50.0  # below this, a short word standing alone is a speck or a rule remnant
    speck_chars: int = 3  # such a word has at most this many characters
    speck_gap_em: float = 1.5  # font sizes of white on both sides make a word stand alone
    stray_conf: float = 60.0  # mean confidence under which a lone run of short wordless marks is the scan's noise
    stray_words: int = 2  # such a run has at most this many words ('Vie LE' before a stamp)
    stray_lead_conf: float = 80.0  # a lone letter before a number read at least this surely is kept
    stray_lead_gap_em: float = 2.0  # font sizes of white before a lone mark opening a cell
    grid_tol_in: float = 0.03  # inches: rules this close are one grid line
    # pixels of one page image, at most (an A2 page at 300 dpi): a 200×200-inch page at 300 dpi would be 60 000² px
    # (3.6 G, MemoryError); a larger page is rendered at the resolution that fits, and a finding says so
    max_pixels: int = 36_000_000
    # share of a text layer's visible characters that are control, private-use or replacement codes past which the
    # layer is garbage (a font without a Unicode map): the page is OCRed like a scan, or flagged when it cannot be
    garbled_share: float = 0.3
    min_garbled_chars: int = 20  # fewer visible characters than this say nothing either way


@dataclass(frozen=True)
class OcrImageSettings:
    """Page images before Tesseract: deskew, ruling lines (calpae.extract.ocr.image)."""

    ink: int = 150  # grey level below which a pixel is ink (skew estimate; Tesseract binarises the text itself)
    rule_ink: int = 185  # thin rules scanned at low resolution come out mid-grey: a laxer threshold finds them
    rule_gap: int = 2  # pixels: noise may break a rule's run this much
    max_rule_pt: float = 3.0  # points: a rule is at most this thick; bold text rows that run long are thicker
    min_rule_px: int = 2  # pixels: the thickness allowed to a rule is never below this
    skew_range: float = 2.0  # degrees searched either way
    skew_step: float = 0.1  # degrees
    skew_width: int = 1000  # pixels: the projection profile is computed on a copy this wide (fast, precise enough)
    min_skew: float = 0.05  # degrees: a smaller skew is left as it is
    h_rule_in: float = 0.4  # inches: a horizontal rule is an ink run at least this long; letters never are
    h_rule_alone_in: float = 1.0  # inches: a horizontal run meeting no vertical rule is whitened from this long (a bold
    # word on shading bridges past h_rule_in; a word is not an inch long at table sizes)
    v_rule_in: float = 0.18  # inches: vertical rules are shorter (one table row is ~0.2 in); strokes shorter still
    cover: float = 0.5  # share of a grid edge that rules must cover for the edge to exist
    clean_pad: int = 3  # pixels whitened around a rule before Tesseract reads the page
    median_filter: int = 3  # pixels: the denoising median filter's window (specks and JPEG ringing go, strokes stay)
    min_grid_columns: int = 2  # a ruled grid has at least this many columns…
    min_grid_rows: int = 1  # …and rows
    # ink OCR left unread (calpae.extract.ocr.image.unread_ink): the evidence that an empty cell was not blank
    ink_word_pad_pt: float = 1.0  # points of margin around each OCR word whose ink counts as read
    ink_gap_pt: float = 2.0  # points: ink this close along a line is one mark (the gaps inside an amount)
    ink_min_height_pt: float = 2.5  # points: a shorter mark is a rule remnant, a speck or a dash (a printed zero)
    ink_min_pixels: int = 12  # pixels of ink, at least, in one mark at the page's resolution


@dataclass(frozen=True)
class OcrCellSettings:
    """Second OCR pass on amount cells (calpae.extract.ocr.cells)."""

    span_gap: float = 0.6  # line heights: words closer than this belong to the same amount
    right_tol: float = 0.8  # line heights: amounts whose right edges are this close share a column
    min_members: int = 3  # a column is at least this many right-aligned amounts
    column_break: float = 6.0  # line heights: a vertical gap this tall between amounts starts another column
    column_pad: float = 0.3  # line heights of margin around a column's amounts
    min_band: float = 0.5  # share of the median band height a text band needs
    cell_gap: float = 0.9  # band heights: walking left from a column's edge, white this wide ends the cell
    margin: int = 4  # pixels kept around a cell's ink when it is cut out
    pad: int = 12  # white pixels around each crop: Tesseract misreads glyphs touching the image edge
    min_ink: int = 2  # pixels of ink a row needs to count as text (isolated specks are not)
    mag: int = 2  # crops are enlarged this much: small table digits read far better at twice the resolution
    em_per_ink: float = 1.4  # font size per digit ink height (cap height ~0.72 em)
    descent: float = 0.3  # descender depth per digit ink height (0.21 em / 0.72 em)
    confident: float = 90.0  # a first-pass word with 3+ letters this sure of itself is text, not a misread amount
    unsure: float = 60.0  # a re-read whose least sure word is below this loses a tie to a surer first pass
    overlap_v: float = 1 / 3  # share of the shorter height a word and a crop must share to overlap
    covered: float = 0.5  # share of a word's width inside a crop for the crop's reading to replace it
    amount_digits: int = 3  # digits a run of number-like words needs to be an amount (not list numbering '2.1')
    text_letters: int = 3  # letters a confident first-pass word needs to be text, not a misread amount
    band_bridge: int = 2  # pixels of white a text band may be broken by
    same_row: float = 0.5  # band heights: crops whose ink bottoms are this close share a row


@dataclass(frozen=True)
class OcrTableSettings:
    """Borderless tables rebuilt from OCR words (calpae.extract.ocr: layout, amounts, reread, totals, vote)."""

    right_tol: float = 0.9  # word heights: amount ends this close share a column edge
    member_tol: float = 0.4  # word heights: a word belongs to the column whose edge its right end reaches
    min_rows: int = 3  # a column edge is the end of amounts on at least this many rows
    ghost_share: float = 0.5  # share of the narrower width a bare group on the line below a band shares with the
    # same group over it in its column: a column re-read placed the head's digits again a line lower
    lost_cents_digits: int = 4  # digits, at least, of a cell read without its separators in a column written with
    # cents before it is cut as the column writes them ('2683721 €' → '26.837,21 €'; fewer tell too little)
    row_tol: float = 0.6  # word heights: amount words whose centres are this close lie on one row
    header_gap: float = 1.6  # word heights: header lines are at most this far apart
    label_gap: float = 1.0  # word heights of white between label words that separates label columns
    label_fine_gap: float = 0.3  # word heights: a narrower gutter separates them where the header titles each side
    run_gap: float = 0.6  # word heights: amount words closer than this are pieces of one amount
    body_gap: float = 4.0  # word heights: a wider gap between row bands ends the table's body
    wrap_gap: float = 1.0  # word heights: at most this much white above the wrapped end of an amount ('934,52 €')
    default_height: float = 8.0  # points: word height taken when there are no words to measure
    run_digits: int = 3  # digits a run of amount words needs to read as money (not a list number '3.1')
    amount_share: float = 0.7  # share of a word's characters that must read as digits for it to be an amount
    label_reach_left: float = 0.2  # word heights: label words end at most this far right of the amounts' start
    label_reach_above: float = 1.0  # word heights above the first row where label words may stand
    label_reach_below: float = 1.5  # word heights below the last row where label words may still stand…
    label_tail: float = 0.5  # …joining the last row only past this many word heights
    label_col_slack: float = 0.5  # points: a label word starting this near a label column is in it
    fill_gap: float = 2.0  # word heights of white at most above each label line that runs on below a row
    block_gap: float = 0.8  # word heights of white at most between the lines of one label cell
    start_tol: float = 0.5  # word heights: words starting this near one x are left-aligned in one column
    speck_width: float = 0.2  # word heights per character: a word narrower is a speck (a rule's remnant read 'L')
    header_reach: float = 0.3  # word heights: header lines end at most this far below the first row's top
    centred_blocks: int = 2  # label blocks of three lines or more centred on their one row that show a table's
    # cells set centred (fewer, or no more than those with the row on a first or last line, show nothing)
    title_height: float = 1.4  # word heights (median of a line's words): a taller line is a title, no header's
    label_bound_pad: float = 0.3  # word heights of margin around a label column
    amount_bound_start: float = 0.5  # word heights right of the last label column where amount columns start
    head_crop_top: float = 0.3  # word heights above the header words where a header crop starts
    head_crop_bottom: float = 0.1  # word heights above the first row where it ends
    cell_crop_pad: float = 0.2  # word heights of margin above and below a re-read amount cell
    label_crop_pad: float = 0.1  # word heights of margin above and below a re-read label
    grid_crop_inset: float = 1.5  # points a re-read grid cell's crop keeps inside its rules (remnants read as '|')
    cut_word_px: float = 2.0  # pixels (page scale): a re-read header word this close to a side of its crop
    # (a table without rules), on or above its first line clear of both sides, is a cut phrase over several columns
    label_filled: float = 0.5  # share of a words-based reading's amount slots filled for its labels to be re-read
    # cell by cell (OCR loses amounts: a recap page of office seed 5 read 0.78 of its slots; an indicator table
    # or a page of several tables, which fill few, keep their first-pass labels)
    head_mags: tuple[int, ...] = (1, 2, 3)  # enlargements a header crop is read at, the readings voted on
    label_unsure: float = 60.0  # a label word read less surely than this gets its row's label re-read
    # words (of 3 letters or more) of an OCR'd row label that neither the French word list nor the referential holds,
    # from which on the label is a misreading (the audit says its amounts' meaning is a guess): office and generated
    # dev scans, 2 words: 104 wrong rows' amounts against 3 right; 1 word: 205 against 63
    label_unknown_words: int = 2
    header_mark_conf: float = 80.0  # a lone mark in a header re-read surer than this is kept
    vote_min_conf: float = 40.0  # a group whose best reading is this unsure is a speck, not a word
    vote_overlap_x: float = 0.3  # share of the narrower width two readings must share to be one word…
    vote_overlap_y: float = 0.5  # …and of the lower height
    vote_line: float = 0.5  # word heights: re-read words whose centres are this close share a line
    sum_min_share: float = 0.6  # a column relation must hold on this share of the rows where it can be checked…
    sum_min_rows: int = 3  # …on this many rows with a non-zero sum, and every term must count somewhere
    sum_max_terms: int = 6  # columns a sum column may add up at the most
    copy_share: float = 0.8  # a column equal to one other must hold on more rows than a sum
    # Tesseract confidence (0-100) of the least sure word of an amount cell read with confidence: below it (or
    # when two readings of the cell disagree, their combined confidence) OCR was unsure, and only then may the
    # table's sums correct the cell; a sure cell that breaks a total is the document's error. On the scans of
    # both corpus families, cells read wrong were all below 70, and 95 % of cells read right above it.
    rate_scale_share: float = 0.5  # a rate mended from above 100 % is at least this share of its row's smallest
    sure_conf: float = 70.0
    # enlargements at which a sure cell of a failing sum is read again on its column's band (ocr.confirm): two
    # scales other than the second pass's, so that one misreading is not repeated
    confirm_mags: tuple[int, ...] = (3, 4)
    # an OCR'd column header's damaged year ('019') is repaired to the one year of its neighbours this many edits away
    head_year_edits: int = 1
    # a header word misread ('Mat') is replaced by the model column name's word ('etat') only when all its other words
    # match that name and the two are this similar (rapidfuzz ratio, 0-100: 'mat'/'etat' 57, 'mat'/'departement' 29)
    head_word_ratio: float = 50.0
    # a header that is no model column name, token by token, is read as the name it is closest to as a whole
    # (rapidfuzz ratio of the folded texts, 0-100, years as slots: 'montant a rparter en {year} partcd' and
    # '...reporter en {year} part cd' 90), when no name of another wording is within head_phrase_margin of it; the
    # names other headers of the table already are take no part (a table has each column once)
    head_phrase_ratio: float = 80.0
    head_phrase_margin: float = 5.0
    # a label word of an OCR'd table that no French list holds is mended to the listed word one edit away (ocr.
    # labelwords) when it has this many letters at least, that word is at least this common (share of words: 1e-7 is
    # zipf 2, 'maillage' 3e-6) and no other word one edit away is within mend_margin times as common
    mend_min_letters: int = 5
    mend_min_frequency: float = 1e-7
    mend_margin: float = 10.0


LINES = LineSettings()
AMOUNTS = AmountSettings()
FURNITURE = FurnitureSettings()
HEADINGS = HeadingSettings()
TABLES = TableSettings()
BANDS = BandSettings()
BORDERLESS = BorderlessSettings()
CELL_TEXT = CellTextSettings()
TEXT_LAYOUT = TextLayoutSettings()
TEXT_GRID = TextGridSettings()
WRAPPED = WrappedSettings()


@dataclass(frozen=True)
class OcrDashSettings:
    """Dash zeros of ruled grids read from their ink ('- €' however OCR read it: calpae.extract.ocr.dashes)."""

    inset_pt: float = 1.5  # points a cell's crop keeps inside its rules (their remnants are no mark)
    join_px: int = 2  # pixels: ink columns this close are one mark (a glyph's own gaps at 300 dpi)
    max_height: float = 0.45  # of the glyph's height: a dash is at most this tall (and wider than tall)…
    centre_tol: float = 0.2  # …its middle this close to the glyph's (glyph heights)…
    max_gap: float = 1.5  # …and this near it (glyph heights of white between them)
    speck_share: float = 0.15  # share of the glyph's ink past which another mark is not a speck
    word_letters: int = 3  # letters of one word read in a cell that make it a label's, whatever its ink
    conf: float = 90.0  # confidence given to the two words: the shape is the evidence, not Tesseract


@dataclass(frozen=True)
class OcrGridSumsSettings:
    """Garbled amounts of ruled grids read from page images set by the table's sums (calpae.extract.ocr.gridsums)."""

    max_lost: int = 3  # digits OCR may have lost of a value it is set to ('207 0,00 €' for '207 000,00 €': 2)
    min_kept: int = 3  # digits, at least, OCR must have read of it (fewer say too little of the value)


OCR = OcrSettings()
OCR_IMAGE = OcrImageSettings()
OCR_CELLS = OcrCellSettings()
OCR_TABLE = OcrTableSettings()
OCR_DASH = OcrDashSettings()
OCR_GRID_SUMS = OcrGridSumsSettings()
FIGURES = FigureSettings()
