"""SQLite: an FTS5 index over search_entry (external content), kept by this module.

The index is written here, beside each write of ``Entry`` rows and in the same
transaction, rather than by triggers, so that a rebuild can empty it at once with
FTS5's 'delete-all' (a trigger would unindex row by row).
"""

import json

from ..documents import MARK_END, MARK_START
from ..query import Query
from . import ATTACHMENT_WEIGHT, FIELD_WEIGHTS, TEXT_COLUMNS, Backend, Hit

FTS = "search_entry_fts"
ENTRY = "search_entry"
WORDS = "search_word"
WORD_TRIGRAMS = "search_word_trigram"
FACETS_INDEX = "search_entry_key_facets"
SNIPPET_WORDS = 32
CHUNK = 500


def quoted(text: str) -> str:
    """An FTS5 string: whatever it holds is text to the tokenizer, never syntax."""
    return '"' + text.replace('"', '""') + '"'


def _term(term) -> str:
    return quoted(" ".join(term.tokens))


def _any(terms) -> str:
    terms = list(terms)
    return _term(terms[0]) if len(terms) == 1 else "(" + " OR ".join(map(_term, terms)) + ")"


def text_expression(query: Query, columns=TEXT_COLUMNS) -> str:
    expression = " AND ".join(_any(clause) for clause in query.clauses)
    if query.excluded:
        expression = f"({expression}) NOT {_any(query.excluded)}"
    return "{" + " ".join(columns) + "} : (" + expression + ")"


def match_expression(query: Query | None, facets: list[str]) -> str:
    parts = [text_expression(query)] if query else []
    parts += [f"facets : {quoted(token)}" for token in facets]
    return " AND ".join(parts)


def _chunks(keys):
    keys = list(keys)
    for start in range(0, len(keys), CHUNK):
        yield keys[start : start + CHUNK]


def _in(keys) -> str:
    return ", ".join(["%s"] * len(keys))


class SQLiteBackend(Backend):
    def _index(self, keys, command: str | None) -> None:
        columns = ", ".join((*TEXT_COLUMNS, "facets"))
        target = f"{FTS}, rowid, {columns}" if command else f"rowid, {columns}"
        first = f"'{command}', key" if command else "key"
        with self.connection.cursor() as cursor:
            for chunk in _chunks(keys):
                cursor.execute(
                    f"INSERT INTO {FTS} ({target}) SELECT {first}, {columns} "
                    f"FROM {ENTRY} WHERE key IN ({_in(chunk)})",
                    chunk,
                )

    def add(self, keys):
        self._index(keys, None)

    def remove(self, keys):
        # External content: FTS5 unindexes a row given the values it indexed.
        self._index(keys, "delete")

    def clear(self):
        with self.connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS} ({FTS}) VALUES ('delete-all')")
            cursor.execute(f"DELETE FROM {WORD_TRIGRAMS}")

    def repair(self):
        # A flush (tests, `manage.py flush`) empties search_entry and search_word but not
        # the FTS5 tables Django does not know; rebuilding from them puts both right.
        with self.connection.cursor() as cursor:
            for table, content, rebuild in (
                (f"{FTS}_docsize", ENTRY, f"INSERT INTO {FTS} ({FTS}) VALUES ('rebuild')"),
                (f"{WORD_TRIGRAMS}_docsize", WORDS, None),
            ):
                cursor.execute(
                    f"SELECT (SELECT count(*) FROM {table}) = (SELECT count(*) FROM {content})"
                )
                if cursor.fetchone()[0]:
                    continue
                if rebuild:
                    cursor.execute(rebuild)
                else:
                    cursor.execute(f"DELETE FROM {WORD_TRIGRAMS}")
                    cursor.execute(
                        f"INSERT INTO {WORD_TRIGRAMS} (rowid, word) SELECT id, word FROM {WORDS}"
                    )

    def optimise(self):
        with self.connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS} ({FTS}) VALUES ('optimize')")
            cursor.execute(f"INSERT INTO {WORD_TRIGRAMS} ({WORD_TRIGRAMS}) VALUES ('optimize')")

    def candidates(self, query, facets, limit):
        # ORDER BY rowid LIMIT: FTS5 walks its lists newest first (the smallest keys)
        # and stops after `limit` matches, however many there are (a common word
        # matches 95,000). Each match's facets are then read by its key, one row at a
        # time: asked for as key IN (...500 keys), SQLite's planner scanned every entry
        # whenever its statistics predated the index (60 ms a search at 100,000). They
        # are read from the index of keys and facets (migration 0004), not the rows
        # with the texts: 2.9 -> 0.9 ms for "county lines" at 100,000 reports.
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT entry.key, entry.facets FROM (SELECT rowid AS key FROM {FTS} "
                f"WHERE {FTS} MATCH %s ORDER BY rowid LIMIT %s) AS matches "
                f"CROSS JOIN {ENTRY} AS entry INDEXED BY {FACETS_INDEX} "
                "ON entry.key = matches.key ORDER BY entry.key",
                [match_expression(query, facets), limit],
            )
            rows = cursor.fetchall()
            if not rows:
                return []
            scores = self._scores(cursor, query, facets, rows[-1][0]) if query else {}
        base = len(query.clauses) * ATTACHMENT_WEIGHT if query else 0
        return [Hit(key, scores.get(key, base), tokens) for key, tokens in rows]

    def _scores(self, cursor, query, facets, oldest) -> dict[int, int]:
        """Each candidate's score, where above the base (ATTACHMENT_WEIGHT a clause).

        For each clause, the weight of the strongest field it matches in (every
        candidate matches every clause somewhere), added up in one query. Each part
        also asks for the other clauses and the facets, and stops at the oldest
        candidate's key, so it finds candidates only: a clause alone matched up to
        30,000 entries over the span of a two-word search's candidates (40 ms at
        100,000 reports).
        """
        parts, params = [], []
        for number, clause in enumerate(query.clauses):
            others = Query(clauses=query.clauses[:number] + query.clauses[number + 1 :])
            rest = match_expression(others if others.clauses else None, facets)
            for column, weight in FIELD_WEIGHTS:
                parts.append(
                    f"SELECT rowid AS key, {number} AS clause, {weight} AS weight FROM {FTS} "
                    f"WHERE {FTS} MATCH %s AND rowid <= %s"
                )
                expression = text_expression(Query(clauses=(clause,)), (column,))
                params += [f"{expression} AND {rest}" if rest else expression, oldest]
        extra = ATTACHMENT_WEIGHT
        cursor.execute(
            f"SELECT key, SUM(weight - {extra}) + {len(query.clauses) * extra} FROM ("
            f"SELECT key, clause, MAX(weight) AS weight FROM ({' UNION ALL '.join(parts)}) "
            "GROUP BY key, clause) GROUP BY key",
            params,
        )
        return dict(cursor.fetchall())

    def highlights(self, query, keys):
        if not keys:
            return {}
        marks = f"'{MARK_START}', '{MARK_END}'"
        snippets = ", ".join(
            f"snippet({FTS}, {column}, {marks}, '…', {SNIPPET_WORDS})" for column in (1, 2, 3)
        )
        sql = (
            f"SELECT rowid, highlight({FTS}, 0, {marks}), {snippets} FROM {FTS} "
            f"WHERE {FTS} MATCH %s AND rowid IN ({_in(keys)})"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [text_expression(query), *keys])
            return {row[0]: tuple(text or "" for text in row[1:]) for row in cursor.fetchall()}

    def key_list(self, keys):
        return "SELECT value FROM json_each(%s)", [json.dumps(list(keys))]

    def similar_words(self, word, limit=30):
        trigrams = {word[i : i + 3] for i in range(len(word) - 2)}
        if not trigrams:
            return []
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT word FROM {WORD_TRIGRAMS} WHERE {WORD_TRIGRAMS} MATCH %s "
                "ORDER BY rank LIMIT %s",
                [" OR ".join(quoted(t) for t in sorted(trigrams)), limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def size(self):
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search\\_%' ESCAPE '\\'"
                )
                return cursor.fetchone()[0]
        except Exception:  # noqa: BLE001 - dbstat is an optional part of SQLite
            return None
