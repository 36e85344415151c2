"""The query language readers type, parsed once into a small tree both engines compile.

Plain words must all match; ``"an exact phrase"``; ``-word`` or ``-"a phrase"`` leaves
out; ``OR`` between two words or phrases matches either; ``word*`` matches words
beginning so. Everything else is text: FTS syntax (``:``, ``^``, ``NEAR(``, brackets),
unbalanced quotes, control and formatting characters, emoji. Nothing a reader types
reaches an engine as syntax: each word is passed as a quoted token or a parameter.
"""

import re
import unicodedata
from dataclasses import dataclass, field, replace

# A query longer than this is cut; the words past it are said to be left out.
MAX_QUERY_CHARS = 200
# Words and phrases a query may hold, and the longest word kept: each costs the engine.
MAX_TERMS = 12
MAX_WORD_CHARS = 50

# PostgreSQL's English stop words (its snowball english.stop): dropped as plain words so
# "county and lines" means the same on both engines. Inside a phrase they are kept.
STOP_WORDS = frozenset(
    """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what
    which who whom this that these those am is are was were be been being have has had
    having do does did doing a an the and but if or because as until while of at by for
    with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how
    all any both each few more most other some such no nor not only own same so than too
    very s t can will just don should now
    """.split()
)

# Letters and digits, as both engines' tokenizers take them (no underscore).
WORD = re.compile(r"[^\W_]+")
# The query syntax: a quoted phrase (to the closing quote, or the end), or a run of
# anything else but space and quotes.
CHUNK = re.compile(r'(-?)"([^"]*)"?|(\S+?)(?=\s|"|$)')


def fold(word: str) -> str:
    """A word as the index compares it: accents removed, case folded."""
    word = word.casefold()
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return WORD.findall(text)


def clean(text: str) -> str:
    """Text safe to parse: NFKC, without control or formatting characters, or U+FFFD."""
    text = unicodedata.normalize("NFKC", text)
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char == "\ufffd" or category in ("Cc", "Zl", "Zp") or category.startswith("Z"):
            kept.append(" ")
        elif category in ("Cf", "Cs", "Co", "Cn"):
            # Right-to-left overrides, zero-width joiners, lone surrogates: never text.
            continue
        else:
            kept.append(char)
    return " ".join("".join(kept).split())


@dataclass(frozen=True)
class Term:
    """A word (one token) or a phrase (several), optionally a prefix (``word*``)."""

    tokens: tuple[str, ...]
    prefix: bool = False

    @property
    def is_word(self) -> bool:
        return len(self.tokens) == 1

    def text(self) -> str:
        if self.is_word:
            return self.tokens[0] + ("*" if self.prefix else "")
        return '"' + " ".join(self.tokens) + '"'


@dataclass(frozen=True)
class Query:
    """All clauses must match (each is a choice of terms joined by OR); none excluded may."""

    clauses: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)

    def __bool__(self) -> bool:
        return bool(self.clauses)

    def text(self) -> str:
        """The query written back in the language it was read in, tidied."""
        parts = [" OR ".join(term.text() for term in clause) for clause in self.clauses]
        parts += [f"-{term.text()}" for term in self.excluded]
        return " ".join(parts)

    def terms(self):
        for clause in self.clauses:
            yield from clause

    def replace_term(self, old: Term, new: tuple[Term, ...]) -> "Query":
        """The query with one matching term replaced by several alternatives."""
        clauses = tuple(
            tuple(alt for term in clause for alt in (new if term == old else (term,)))
            for clause in self.clauses
        )
        return replace(self, clauses=clauses)


def _term(text: str, *, phrase: bool) -> Term | None:
    prefix = not phrase and text.endswith("*")
    tokens = tuple(token[:MAX_WORD_CHARS] for token in words(text))
    if not tokens:
        return None
    if len(tokens) == 1 and not phrase and not prefix and fold(tokens[0]) in STOP_WORDS:
        return None
    return Term(tokens, prefix=prefix and len(tokens) == 1)


def parse(text: str) -> Query:
    """Read what a reader typed. Never raises; what it leaves out, its notes say."""
    notes = []
    text = clean(text or "")
    if len(text) > MAX_QUERY_CHARS:
        cut = text[:MAX_QUERY_CHARS]
        text = cut.rsplit(" ", 1)[0] if " " in cut else cut
        notes.append(
            f"Your search was longer than {MAX_QUERY_CHARS} characters, "
            "so only its beginning was used."
        )
    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    joining = negate_next = False
    for match in CHUNK.finditer(text):
        quoted_minus, phrase, bare = match.groups()
        if bare is not None:
            if bare == "OR":
                joining = bool(clauses)
                continue
            if bare in ("AND", "&&"):
                continue
            if bare == "NOT":
                negate_next = True
                continue
            negated = bare.startswith("-") and len(bare) > 1
            term = _term(bare[1:] if negated else bare, phrase=False)
        else:
            negated = bool(quoted_minus)
            term = _term(phrase, phrase=True)
        negated = negated or negate_next
        negate_next = False
        if term is None:
            continue
        if negated:
            excluded.append(term)
        elif joining and clauses:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        joining = False

    count = sum(len(clause) for clause in clauses) + len(excluded)
    if count > MAX_TERMS:
        notes.append(f"Only the first {MAX_TERMS} words and phrases of your search were used.")
        kept, budget = [], MAX_TERMS
        for clause in clauses:
            if budget <= 0:
                break
            kept.append(clause[:budget])
            budget -= len(kept[-1])
        clauses, excluded = kept, excluded[: max(budget, 0)]
    if excluded and not clauses:
        notes.append(
            "A search cannot only leave words out: add a word to look for "
            "before the words with a minus sign."
        )
        excluded = []
    return Query(
        clauses=tuple(tuple(dict.fromkeys(clause)) for clause in clauses),
        excluded=tuple(dict.fromkeys(excluded)),
        notes=tuple(notes),
    )
