"""The consultancy's brand profile: what makes a report look like theirs. Presentation only; the
numbers never depend on it. Stored as `brand.yaml` (see app/storage/brand.py and docs/report.md)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

HEX_COLOUR = r"^#[0-9A-Fa-f]{6}$"
DEFAULT_DISCLAIMER = (
    "This report rests on the answers and assumptions listed in its appendices, as they stood on the date "
    "on its cover. Prices and hardware change quickly; revisit the recommendation quarterly and whenever a "
    "tipping point named in the report is reached."
)


class BrandProfile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    consultancy_name: str = Field(default="Independent advisory", min_length=1, max_length=120)
    # PNG or SVG. A relative path in brand.yaml is resolved against the folder of that file.
    logo_path: Path | None = None
    primary_colour: str = Field(default="#1F3A5F", pattern=HEX_COLOUR)
    accent_colour: str = Field(default="#C8102E", pattern=HEX_COLOUR)
    # A family bundled with the app (or dropped into the user's fonts folder) as
    # <Family>-Regular/-Bold/-Italic/-BoldItalic.ttf, spaces removed from the file names.
    # Part of a bundled font file name: letters, digits, spaces and dashes only (no path tricks).
    font_family: str = Field(default="Lato", min_length=1, max_length=60, pattern=r"^[A-Za-z0-9][A-Za-z0-9 \-]*$")
    contact_line: str = Field(default="", max_length=300)
    disclaimer: str = Field(default=DEFAULT_DISCLAIMER, max_length=3000)
    confidentiality: str = Field(default="Confidential", min_length=1, max_length=80)
    # The consultancy's own Word template (.docx) for the Word report: its styles, cover and headers, with
    # placeholders (docs/report.md lists them). Relative paths resolve against brand.yaml's folder.
    docx_template: Path | None = None
