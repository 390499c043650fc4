"""Rebuild fastpron-reading.woff2 from Debian's Charis SIL (fonts-sil-charis).

    apt-get install fonts-sil-charis python3-fonttools python3-brotli
    /usr/bin/python3 webproject/static/webproject/fonts/build_font.py

The font is cut down to the Latin, IPA and combining-mark ranges that the
romanised readings use (o͘'s U+0358 included), with every OpenType feature
kept so that marks stack and attach as Charis draws them.  The OFL reserves
the names "Charis" and "SIL" for the unmodified font, so the subset is
renamed "Fastpron Reading" (see FONTLOG.txt and OFL.txt beside it).
"""

import pathlib

from fontTools import subset
from fontTools.ttLib import TTFont

SOURCE = "/usr/share/fonts/truetype/charis/CharisSIL-Regular.ttf"
OUT = pathlib.Path(__file__).with_name("fastpron-reading.woff2")
UNICODES = ("U+0020-007E,U+00A0-024F,U+0250-02FF,U+0300-036F,U+1DC0-1DFF,U+1E00-1EFF,"
            "U+2000-206F,U+2070-209F,U+2C60-2C7F,U+A720-A7FF")
FAMILY = "Fastpron Reading"


def main():
    options = subset.Options()
    options.layout_features = ["*"]
    options.flavor = "woff2"
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(SOURCE)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
    subsetter.subset(font)
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 4, 16, 21):
            record.string = FAMILY
        elif record.nameID == 3:
            record.string = f"{FAMILY}: derived from Charis SIL 6.101"
        elif record.nameID == 6:
            record.string = FAMILY.replace(" ", "") + "-Regular"
        elif record.nameID in (2, 17, 22):
            record.string = "Regular"
    subset.save_font(font, str(OUT), options)
    print(f"{OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
