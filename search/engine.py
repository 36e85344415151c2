"""Run a search: candidates from the engine, checked against ``.published()``, then
counted by facet, ordered, paginated, and shown (snippets for the shown page only).

What the public may see is decided here, at query time, by the models' published()
querysets: the index holds only what was public when it was written, but a rule that
depends on the clock (an item that expires) or on anything else ``.published()`` says
hides a candidate from the next content version on (``publishing.versioning``: a write,
``bump_content_version()``, or a scheduled go-live or expiry passing starts one), as the
page cache does. Counts and facets are computed from the checked candidates.
"""

import difflib
import html
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.safestring import SafeString

from publishing.versioning import Memo

from .backends import Hit, backend
from .documents import (
    BY_CODE,
    MARK_END,
    MARK_START,
    is_dated,
    object_of_key,
    published_themes,
)
from .models import Entry, Word
from .query import Query, Term, fold

PER_PAGE = 20
# A word this short is neither completed as a prefix nor corrected as a typo.
MIN_PREFIX, MIN_TYPO = 3, 4
MAX_COMPLETIONS = 20
# How alike a suggested word must be to the typed one (difflib's ratio, 0 to 1).
SIMILAR_ENOUGH = 0.75
SNIPPET_WORDS = 40
# Candidates fetched to tell whether a suggested spelling finds anything public.
SUGGESTION_CHECK = 20
MARKS = re.compile(f"([{MARK_START}{MARK_END}])")


def candidate_limit() -> int:
    return settings.EMPAC_SEARCH_CANDIDATES


@dataclass(frozen=True)
class Filters:
    """Facet values chosen, as keys; every one narrows the results."""

    kind: int | None = None
    themes: tuple[int, ...] = ()
    report_kind: str | None = None
    year: int | None = None
    tags: tuple[int, ...] = ()
    organisations: tuple[int, ...] = ()

    def tokens(self) -> list[str]:
        from .documents import KIND, ORGANISATION, TAG, THEME, YEAR, facet, report_kind_facet

        tokens = [facet(KIND, self.kind)] if self.kind else []
        tokens += [facet(THEME, pk) for pk in self.themes]
        if self.report_kind:
            tokens.append(report_kind_facet(self.report_kind))
        if self.year:
            tokens.append(facet(YEAR, self.year))
        tokens += [facet(TAG, pk) for pk in self.tags]
        tokens += [facet(ORGANISATION, pk) for pk in self.organisations]
        return tokens

    def __bool__(self) -> bool:
        return bool(self.tokens())


@dataclass
class Results:
    query: Query
    hits: list[Hit] = field(default_factory=list)
    truncated: bool = False
    # The query the results are for, when the one typed found nothing and this did.
    corrected: Query | None = None
    # A better spelling that also finds results, offered as a link.
    suggestion: Query | None = None
    facet_counts: Counter = field(default_factory=Counter)
    page: object = None
    items: list[dict] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.hits)


def _successor(word: str) -> str:
    return word[:-1] + chr(ord(word[-1]) + 1)


# Which words the vocabulary holds, and the completions of prefixes, as found so far in
# this content version: a search asked the database 1.2 times for them, 0.7 ms of its
# 3.3 ms of queries (PostgreSQL, 100,000 reports), where most words come up again.
KNOWN_WORDS = Memo("search:known-words", 50_000)
COMPLETIONS = Memo("search:completions", 10_000)


def completions(prefix: str) -> list[str]:
    """Words of the vocabulary that begin with prefix, the shortest first."""
    found = COMPLETIONS.current()
    if prefix not in found:
        words = Word.objects.filter(word__gte=prefix, word__lt=_successor(prefix))
        words = words.order_by("word").values_list("word", flat=True)[:200]
        words = [w for w in words if w.startswith(prefix) and w != prefix]
        found[prefix] = sorted(words, key=lambda w: (len(w), w))[:MAX_COMPLETIONS]
    return found[prefix]


def known_words(words: set[str]) -> set[str]:
    """Those of these words that the vocabulary holds."""
    known = KNOWN_WORDS.current()
    unseen = words - known.keys()
    if unseen:
        found = set(Word.objects.filter(word__in=unseen).values_list("word", flat=True))
        known.update((word, word in found) for word in unseen)
    return {word for word in words if known[word]}


def expand(query: Query) -> tuple[Query, list[Term]]:
    """Complete prefixes (``McCus`` finds McCusker) from the vocabulary of public words.

    A word typed with ``*``, or one that no public text holds, also matches the words
    that begin with it. Returns the expanded query and the words still unknown, which
    may be typos.
    """
    words = {t for t in (*query.terms(), *query.excluded) if t.is_word}
    if not words:
        return query, []
    known = known_words({fold(t.tokens[0]) for t in words})
    unknown = []
    for term in words:
        word = fold(term.tokens[0])
        if word in known and not term.prefix:
            continue
        extra = completions(word) if len(word) >= MIN_PREFIX else []
        if extra:
            alternatives = (Term(term.tokens), *(Term((w,)) for w in extra))
            if term in query.excluded:
                excluded = tuple(
                    alt for t in query.excluded for alt in (alternatives if t == term else (t,))
                )
                query = Query(query.clauses, excluded, query.notes)
            else:
                query = query.replace_term(term, alternatives)
        elif word not in known and term not in query.excluded:
            unknown.append(term)
    return query, unknown


# The likeliest public spelling of each unknown word asked about in this content version.
SPELLINGS = Memo("search:spellings", 10_000)


def spelling(word: str) -> str | None:
    found = SPELLINGS.current()
    if word not in found:
        close = difflib.get_close_matches(
            word, backend().similar_words(word), n=1, cutoff=SIMILAR_ENOUGH
        )
        found[word] = close[0] if close else None
    return found[word]


def correct(query: Query, unknown: list[Term]) -> Query | None:
    """The query with each unknown word replaced by the likeliest public word, if any."""
    corrected = query
    for term in unknown:
        word = fold(term.tokens[0])
        if len(word) < MIN_TYPO or word.isdigit():
            continue
        close = spelling(word)
        if close:
            corrected = corrected.replace_term(term, (Term((close,)),))
    return corrected if corrected != query else None


# Entry keys that .published() returned in this content version, at most as many as the
# index's entries at 100,000 reports.
PUBLIC_KEYS = Memo("search:public-keys", 200_000, set)


def public_keys() -> set[int]:
    """The entry keys found public so far in this content version.

    A fact about objects, not about a query: whichever searches asked, an entry found
    public stays so until the version changes. Checking only the candidates not seen
    before took the published check (a row read per candidate) out of most searches:
    at 100,000 reports on SQLite, CPU 30.3 -> 25.7 ms a search, alternating the two
    request by request on a loaded machine (load average 5.8).
    """
    return PUBLIC_KEYS.current()


def visible_hits(query: Query, filters: Filters, limit=None) -> tuple[list[Hit], bool]:
    """Candidates from the engine that ``.published()`` still returns, newest first."""
    limit, engine = limit or candidate_limit(), backend()
    hits = engine.candidates(query or None, filters.tokens(), limit)
    known = public_keys()
    by_kind = defaultdict(dict)
    for hit in hits:
        if hit.key not in known:
            code, pk = object_of_key(hit.key)
            by_kind[code][pk] = hit.key
    for code, keys in by_kind.items():
        kind = BY_CODE.get(code)
        if kind is not None:
            known.update(keys[pk] for (pk,) in kind.rows(("pk",), list(keys)))
    kept = [hit for hit in hits if hit.key in known]
    return kept, len(hits) >= limit


def ordered(hits: list[Hit], sort: str, ranked: bool) -> list[Hit]:
    if sort == "date" or not ranked:
        # Newest first, then what has no date (themes, partners, people, undated reports).
        return sorted(hits, key=lambda h: (not is_dated(h.key), h.key))
    # Relevance (backends.FIELD_WEIGHTS); newer (a smaller key) breaks a tie.
    return sorted(hits, key=lambda h: (-h.score, h.key))


def search(query: Query, filters: Filters, *, sort: str = "relevance", page=1) -> Results:
    results = Results(query=query)
    if not query and not filters:
        return results
    expanded, unknown = expand(query)
    hits, truncated = visible_hits(expanded, filters)
    if query and unknown:
        fixed = correct(query, unknown)
        if fixed is not None:
            fixed_expanded, _ = expand(fixed)
            if not hits:
                fixed_hits, fixed_truncated = visible_hits(fixed_expanded, filters)
                if fixed_hits:
                    results.corrected = fixed
                    expanded, hits, truncated = fixed_expanded, fixed_hits, fixed_truncated
            elif visible_hits(fixed_expanded, filters, limit=SUGGESTION_CHECK)[0]:
                # Offered only if it finds something public; a few candidates tell.
                results.suggestion = fixed
    results.hits, results.truncated = hits, truncated
    # One split of all the tokens (each entry holds each once): a third of the cost of
    # splitting them entry by entry, for 500 candidates.
    results.facet_counts = Counter(" ".join(hit.facets for hit in hits).split())
    paginator = Paginator(ordered(hits, sort, ranked=bool(query)), PER_PAGE)
    results.page = paginator.get_page(page)
    results.items = shown(list(results.page), expanded)
    return results


def marked(text: str) -> SafeString:
    """Text escaped, with the engine's marks around matched words turned into <mark>."""
    out, is_open = [], False
    for part in MARKS.split(html.escape(text)):
        if part == MARK_START:
            if not is_open:
                out.append("<mark>")
            is_open = True
        elif part == MARK_END:
            if is_open:
                out.append("</mark>")
            is_open = False
        else:
            out.append(part)
    if is_open:
        out.append("</mark>")
    return SafeString("".join(out))


def excerpt(text: str, words: int = SNIPPET_WORDS) -> str:
    found = text.split()
    return " ".join(found[:words]) + (" …" if len(found) > words else "")


def _snippet(texts: tuple[str, ...]) -> str:
    for text in texts:
        if MARK_START in text:
            return text
    return excerpt(texts[0]) if texts else ""


def shown(hits: list[Hit], query: Query) -> list[dict]:
    """The page's results as the template shows them: from their models (published only),
    with the engine's highlighted title and snippet where the query matched."""
    keys = [hit.key for hit in hits]
    by_kind = defaultdict(list)
    for key in keys:
        code, pk = object_of_key(key)
        by_kind[code].append(pk)
    found = {}
    for code, ids in by_kind.items():
        kind = BY_CODE[code]
        for pk, result in kind.results(ids).items():
            found[(code, pk)] = result | {"kind": kind.label}
    marks = backend().highlights(query, keys) if query else {}
    texts = {}
    if set(keys) - set(marks):
        rows = Entry.objects.filter(key__in=set(keys) - set(marks))
        texts = {
            key: (summary or body,)
            for key, summary, body in rows.values_list("key", "summary", "body")
        }
    themes = published_themes()
    items = []
    for hit in hits:
        result = found.get(object_of_key(hit.key))
        if result is None:  # unpublished since the candidates were checked
            continue
        title, *rest = marks.get(hit.key, ("",))
        theme_ids = [int(t[1:]) for t in hit.facets.split() if t.startswith("t")]
        items.append(
            result
            | {
                "title_html": marked(title) if MARK_START in title else marked(result["title"]),
                "snippet": marked(_snippet(tuple(rest) if rest else texts.get(hit.key, ("",)))),
                "themes": [themes[pk][1] for pk in theme_ids if pk in themes],
            }
        )
    return items
