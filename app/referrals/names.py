"""Names as they are searched: any case, accents and apostrophe shapes folded.

A discharge letter may spell "O’Brien" with a curly apostrophe and a broker type
"obrien"; "Zoë" may be typed "zoe", "MÜLLER" "müller". SQLite's lower() folds A to Z
only, so the folding is done here, stored beside the name (``Referral.name_search``),
and applied to what is searched for.
"""

from __future__ import annotations

import unicodedata

APOSTROPHES = str.maketrans({c: "'" for c in "\u2018\u2019\u201b\u02bc\u02b9\u0060\u00b4\u2032"})


def fold_name(text: str) -> str:
    """Casefolded, without accents, one kind of apostrophe, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().translate(APOSTROPHES).split())
