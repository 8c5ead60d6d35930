"""Scoring search against a relevance set (tests/relevance.yaml): recall@k and MRR.

Pure functions over plain data, so the test suite and the benchmark share them
and the figures they print are the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any


@dataclass
class QueryScore:
    query: str
    expect: list[str]
    got: list[str]
    recall: float | None  # None for a query the article does not answer
    reciprocal_rank: float | None
    clean: bool  # an unanswered query was not answered "found" (nothing, or only looser tiers)


@dataclass
class Scores:
    recall: float  # mean recall@k over the answered queries
    mrr: float  # mean reciprocal rank of the first expected record
    answered: int
    unanswered: int
    unanswered_clean: int
    per_query: list[QueryScore] = field(default_factory=list)

    def misses(self) -> list[QueryScore]:
        return [q for q in self.per_query if (q.recall is not None and q.recall < 1.0) or not q.clean]


def score(
    cases: Sequence[dict[str, Any]],
    run: Callable[[str], list[dict[str, Any]]],
    k: int = 5,
) -> Scores:
    """Score ``run`` (query text -> ranked hits) on ``cases`` ({query, expect})."""
    per_query: list[QueryScore] = []
    for case in cases:
        query = str(case["query"])
        expect = [str(e) for e in case.get("expect") or []]
        hits = run(query)
        got = [str(h["id"]) for h in hits]
        if expect:
            top = set(got[:k])
            recall: float | None = sum(e in top for e in expect) / min(len(expect), k)
            rank = next((i for i, rid in enumerate(got, 1) if rid in expect), None)
            rr: float | None = 1.0 / rank if rank else 0.0
            clean = True
        else:
            recall = rr = None
            clean = not any(h.get("match") == "exact" for h in hits)  # answered related or not-stated
        per_query.append(QueryScore(query, expect, got[:k], recall, rr, clean))
    answered = [q for q in per_query if q.recall is not None]
    return Scores(
        recall=sum(q.recall or 0.0 for q in answered) / len(answered) if answered else 0.0,
        mrr=sum(q.reciprocal_rank or 0.0 for q in answered) / len(answered) if answered else 0.0,
        answered=len(answered),
        unanswered=len(per_query) - len(answered),
        unanswered_clean=sum(q.clean for q in per_query if q.recall is None),
        per_query=per_query,
    )


# the relevance set's query types by the language they are typed in
GROUPS = {
    "Chinese": ("compound", "word", "figure", "traditional", "question"),
    "pinyin": ("pinyin", "initials", "fuzzy"),
    "English": ("english",),
}


def by_group(cases: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The answered cases of each group of ``GROUPS``, and the unanswered ones under "absent"."""
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in GROUPS}
    out["absent"] = []
    for case in cases:
        if not case.get("expect"):
            out["absent"].append(case)
            continue
        for name, types in GROUPS.items():
            if case.get("type") in types:
                out[name].append(case)
    return out


def load_cases(path: str) -> list[dict[str, Any]]:
    import yaml

    with open(path, encoding="utf-8") as handle:
        doc = yaml.safe_load(handle)
    cases: list[dict[str, Any]] = doc["queries"]
    return cases
