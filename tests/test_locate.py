"""The quote finder: one pass over the paragraphs gives what a scan per quote gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from beibei_cli.report import PREFIX, locate


def naive(needles: set[str], paragraphs: list[str]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for needle in needles:
        found = [n for n, text in enumerate(paragraphs, 1) if needle in text]
        if found:
            out[needle] = found
    return out


def test_short_long_repeated_and_overlapping() -> None:
    paragraphs = ["招商引资招商引资成效明显", "研发经费投入强度达到3.1%", "招商引资招商引资成效明显", "短"]
    needles = {
        "招商",  # short, twice in one paragraph, and in a repeated paragraph
        "招商引资招商引资成效",  # PREFIX or longer, in two paragraphs
        "研发经费投入强度达到3.1%",  # a whole paragraph
        "研发经费投入强度达到3.2%",  # shares its first PREFIX characters, found nowhere
        "招商引资成效明显",  # exactly PREFIX long, at a paragraph's end
        "短",
        "",
        "nowhere at all, long enough",
    }
    assert locate(needles, paragraphs) == naive(needles, paragraphs)
    assert locate(needles, paragraphs)["招商"] == [1, 3]


ALPHABET = "招商引资ab"  # a small alphabet: many prefixes shared, many overlaps


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(ALPHABET, max_size=40), max_size=8),
    st.sets(st.text(ALPHABET, max_size=PREFIX + 4), max_size=12),
    st.lists(st.tuples(st.integers(0, 7), st.integers(0, 40), st.integers(0, PREFIX + 6)), max_size=8),
)
def test_same_as_a_scan_per_quote(paragraphs: list[str], needles: set[str], cuts: list[tuple[int, int, int]]) -> None:
    # besides random needles (mostly found nowhere), pieces cut from the paragraphs
    for which, start, size in cuts:
        if paragraphs:
            text = paragraphs[which % len(paragraphs)]
            needles.add(text[start : start + size])
    assert locate(needles, paragraphs) == naive(needles, paragraphs)
