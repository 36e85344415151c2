"""PostgreSQL: a weighted tsvector and the facets of each entry in search_match, GIN-indexed.

search_match is a narrow copy of search_entry (key, facets, tsvector; no texts) that
triggers keep from each row as it is written (see migration 0003), so there is nothing
to keep here: writing ``Entry`` rows is indexing them. Matching reads only this table;
the texts in search_entry are read for the shown page's snippets.
"""

import re
from contextlib import contextmanager

from ..documents import MARK_END, MARK_START, YEAR
from ..query import Query
from . import ATTACHMENT_WEIGHT, FIELD_WEIGHTS, Backend, Hit

CONFIG = "empac_search"  # English stemming with accents removed (the migration makes it)
# ts_headline reads the whole text it is given: long texts are cut for snippets only.
HEADLINE_CHARS = 50_000
MARKS = f'StartSel="{MARK_START}", StopSel="{MARK_END}"'
HEADLINE = f'{MARKS}, MaxWords=32, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'


# The tsvector's weight of each field (see the migration).
LABELS = {"title": "A", "summary": "B", "body": "C"}
LEXEME = re.compile(r"'(?:[^']|'')*'")


def weighted(tsquery: str, weights: str) -> str:
    """The tsquery matching only in the fields of these weights ('red':A <-> 'team':A)."""
    return LEXEME.sub(lambda lexeme: f"{lexeme.group(0)}:{weights}", tsquery)


def _score_sql(clauses: list[str]) -> tuple[str, list[str]]:
    """SQL adding up, for each clause, the weight of the strongest field it matches in."""
    cases, params = [], []
    for clause in clauses:
        whens = []
        for column, weight in FIELD_WEIGHTS:
            whens.append(f"WHEN document @@ %s::tsquery THEN {weight}")
            params.append(weighted(clause, LABELS[column]))
        cases.append(f"(CASE {' '.join(whens)} ELSE {ATTACHMENT_WEIGHT} END)")
    return (" + ".join(cases) or "0"), params


def _term(term) -> tuple[str, list]:
    # One word, or "a phrase": websearch_to_tsquery stems it, drops stop words, and
    # accepts any text without error.
    text = term.tokens[0] if term.is_word else '"' + " ".join(term.tokens) + '"'
    return f"websearch_to_tsquery('{CONFIG}', %s)", [text]


def _any(terms) -> tuple[str, list]:
    parts = [_term(term) for term in terms]
    sql = " || ".join(part for part, _ in parts)
    return (f"({sql})" if len(parts) > 1 else sql), [p for _, params in parts for p in params]


def tsquery_sql(query: Query) -> tuple[str, list]:
    """The query as a tsquery expression. OR binds tighter than AND, as readers expect
    ("county OR rural lines"), so each clause is combined here rather than handing the
    whole text to websearch_to_tsquery, whose OR binds looser."""
    parts = [_any(clause) for clause in query.clauses]
    if query.excluded:
        sql, params = _any(query.excluded)
        parts.append((f"!!({sql})", params))
    return " && ".join(sql for sql, _ in parts), [p for _, params in parts for p in params]


RANDOM_PAGE_COST = 1.1
GIN_INDEXES = ("search_match_document", "search_match_facet_tokens")


class PostgreSQLBackend(Backend):
    @contextmanager
    def bulk(self):
        """Add to the GIN indexes' pending lists, then merge them once at the end.

        Inserting 100,000 entries took 63 s with each row merged into the GIN indexes
        as it came, 14 s this way. Searches read the pending list meanwhile, so what
        is written is found before the merge.
        """
        with self.connection.cursor() as cursor:
            # Local to the transaction, and the caller's own value put back after, since
            # a caller's transaction may go on (RESET would drop a value it had set).
            cursor.execute(
                "SELECT current_setting('gin_pending_list_limit'), "
                "set_config('gin_pending_list_limit', '1GB', true)"
            )
            before = cursor.fetchone()[0]
            yield
            for name in GIN_INDEXES:
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])
            cursor.execute("SELECT set_config('gin_pending_list_limit', %s, true)", [before])

    def _tsqueries(self, cursor, query: Query) -> tuple[str, list[str]]:
        """The whole query and each of its clauses as tsquery text, in one round trip.

        Computed first, so the planner sees constants and can tell a rare word (use the
        GIN index) from a common one (walk the newest entries and stop early).
        """
        parts = [tsquery_sql(query), *(_any(clause) for clause in query.clauses)]
        cursor.execute(
            "SELECT " + ", ".join(f"({sql})::text" for sql, _ in parts),
            [p for _, params in parts for p in params],
        )
        whole, *clauses = cursor.fetchone()
        return whole or "", [clause for clause in clauses if clause]

    @contextmanager
    def _setting(self, cursor, name: str, value):
        """A setting changed for one statement only, then as it was: yields the SQL to
        put before that statement.

        Outside a transaction (autocommit, as requests run), ``set_config(..., true)``
        sent in the same query string as the statement lasts only as long as that
        string's implicit transaction: one round trip, where a transaction of its own
        took three (1.0 of 12.9 ms a search on PostgreSQL's side and ours). In a
        caller's transaction (a test, a command) a local setting would last until it
        ends, so the value it replaces is read first and put back after.
        """
        setting = f"SELECT set_config('{name}', '{value}', true); "
        if self.connection.get_autocommit() and not self.connection.in_atomic_block:
            yield setting
            return
        # Materialised: read before set_config runs, whatever the plan.
        cursor.execute(
            "WITH old AS MATERIALIZED (SELECT current_setting(%s) AS value) "
            "SELECT value, set_config(%s, %s, true) FROM old",
            [name, name, str(value)],
        )
        old = cursor.fetchone()[0]
        yield ""
        cursor.execute("SELECT set_config(%s, %s, true)", [name, old])

    def clear(self):
        with self.connection.cursor() as cursor:
            # DELETE rather than TRUNCATE: searches go on reading the old index until
            # the rebuild commits, instead of waiting on a table lock.
            cursor.execute("DELETE FROM search_word")

    def optimise(self):
        with self.connection.cursor() as cursor:
            cursor.execute("ANALYZE search_entry")
            cursor.execute("ANALYZE search_match")
            cursor.execute("ANALYZE search_word")

    def candidates(self, query, facets, limit):
        with self.connection.cursor() as cursor:
            where, params, score, score_params = [], [], "0", []
            if query:
                tsquery, clauses = self._tsqueries(cursor, query)
                if not tsquery:
                    return []
                where.append("document @@ %s::tsquery")
                params.append(tsquery)
                score, score_params = _score_sql(clauses)
            if facets:
                where.append("facet_tokens @> %s::text[]")
                params.append(list(facets))
            matched = " AND ".join(where)
            # The newest matches with what scoring and facets need, taken in the pass that
            # finds them: looking the 500 up again by key cost 1.3 of 12.9 ms a search.
            newest = (
                f"SELECT key, document, facet_tokens FROM search_match WHERE {matched} "
                "ORDER BY key LIMIT %s"
            )
            if any(token.startswith(YEAR) for token in facets):
                # A year's entries are a run of keys far from the newest: walking the key
                # index, as the planner would, read 54,000 rows to find 500 (370 ms).
                # Taken from the GIN indexes first, then sorted: 30 ms.
                newest = (
                    "SELECT key, document, facet_tokens FROM search_match WHERE key IN ("
                    f"WITH matches AS MATERIALIZED (SELECT key FROM search_match WHERE {matched}) "
                    "SELECT key FROM matches ORDER BY key LIMIT %s)"
                )
            # Scored above the LIMIT, so only the bounded candidates pay for it.
            sql = (
                f"SELECT key, {score}, array_to_string(facet_tokens, ' ') "
                f"FROM ({newest}) AS candidates ORDER BY key"
            )
            # The default (4) prices a page read at random as one from disk, so the
            # planner walked the key index past 56,000 rows for 'lines' in a theme (931
            # matches, 50 ms) rather than fetch the matches' pages (12 ms). search_match
            # is small enough to stay in memory, where both cost alike.
            with self._setting(cursor, "random_page_cost", RANDOM_PAGE_COST) as prefix:
                cursor.execute(prefix + sql, score_params + params + [limit])
                rows = cursor.fetchall()
            return [Hit(key, score, tokens) for key, score, tokens in rows]

    def highlights(self, query, keys):
        if not keys:
            return {}
        # The tsquery computed in the same statement: only the snippets need it, and a
        # round trip of its own cost more than the planner's not seeing its value.
        tsquery, tsquery_params = tsquery_sql(query)
        headline = f"ts_headline('{CONFIG}', left(entry.{{}}, {HEADLINE_CHARS}), q, %s)"
        # A snippet comes from the first of summary, body and attachment with a match
        # (engine._snippet). Where the query matches in the fields before one (their
        # weights in the tsvector), that one's snippet would go unused, so it is not
        # made: 5.7 -> 3.9 ms a search, the same snippets for all 6,454 results of the
        # benchmark's queries.
        # Only where those fields are short enough for their snippets to hold every match
        # (octet_length: bytes, at least the characters left() counts).
        later = "CASE WHEN {} AND ts_filter(match.document, '{{{}}}') @@ q THEN '' ELSE {} END"
        short = f"octet_length(entry.{{}}) <= {HEADLINE_CHARS}"
        columns = ", ".join(
            (
                headline.format("title"),
                headline.format("summary"),
                later.format(
                    short.format("summary"), LABELS["summary"].lower(), headline.format("body")
                ),
                later.format(
                    f"{short.format('summary')} AND {short.format('body')}",
                    f"{LABELS['summary']},{LABELS['body']}".lower(),
                    headline.format("attachment"),
                ),
            )
        )
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT entry.key, {columns} FROM search_entry AS entry "
                "JOIN search_match AS match ON match.key = entry.key, "
                f"(SELECT {tsquery} AS q) AS query "
                "WHERE entry.key = ANY(%s) AND numnode(q) > 0",
                [f"HighlightAll=true, {MARKS}", HEADLINE, HEADLINE, HEADLINE]
                + tsquery_params
                + [keys],
            )
            return {row[0]: tuple(text or "" for text in row[1:]) for row in cursor.fetchall()}

    def key_list(self, keys):
        return "SELECT unnest(%s::bigint[])", [list(keys)]

    def similar_words(self, word, limit=30):
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM search_word WHERE word %% %s "
                "ORDER BY similarity(word, %s) DESC, word LIMIT %s",
                [word, word, limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def size(self):
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_total_relation_size('search_entry') "
                "+ pg_total_relation_size('search_match') + pg_total_relation_size('search_word')"
            )
            return cursor.fetchone()[0]
