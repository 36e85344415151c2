"""The query language: what a reader types is read as words, phrases, OR and exclusions."""

import pytest

from search.query import MAX_QUERY_CHARS, MAX_TERMS, Term, parse


def words(*tokens):
    return tuple((Term((token,)),) for token in tokens)


def test_plain_words_must_all_match():
    query = parse("county lines")
    assert query.clauses == words("county", "lines")
    assert not query.excluded


def test_a_quoted_phrase_is_one_term_of_several_words():
    query = parse('"money laundering" networks')
    assert query.clauses == ((Term(("money", "laundering")),), (Term(("networks",)),))


def test_a_minus_sign_leaves_a_word_or_phrase_out():
    query = parse('intelligence -adaptability -"red teaming"')
    assert query.clauses == words("intelligence")
    assert query.excluded == (Term(("adaptability",)), Term(("red", "teaming")))


def test_or_joins_the_words_either_side_and_binds_tighter_than_and():
    query = parse("rural OR urban exploitation")
    assert query.clauses == (
        (Term(("rural",)), Term(("urban",))),
        (Term(("exploitation",)),),
    )


def test_a_trailing_star_asks_for_words_beginning_so():
    assert parse("launder*").clauses == ((Term(("launder",), prefix=True),),)


def test_common_words_are_dropped_but_kept_inside_a_phrase():
    assert parse("the county and lines").clauses == words("county", "lines")
    assert parse('"mind the gap"').clauses == ((Term(("mind", "the", "gap")),),)


def test_punctuation_inside_a_word_makes_it_a_phrase_of_its_parts():
    assert parse("county-lines").clauses == ((Term(("county", "lines")),),)
    assert parse("O'Brien").clauses == ((Term(("O", "Brien")),),)


def test_the_query_is_written_back_tidied():
    assert parse('  county   OR rural  "money  laundering" -drugs ').text() == (
        'county OR rural "money laundering" -drugs'
    )


@pytest.mark.parametrize(
    "text",
    ['"', "*", ":", "^", "NEAR(", "AND", "OR", "(((", ")", '"unbalanced', "-", "--", "title:x^2"],
)
def test_search_syntax_of_engines_is_only_text(text):
    query = parse(text)
    for term in query.terms():
        assert all(token.isalnum() for token in term.tokens)


def test_an_unbalanced_quote_runs_to_the_end():
    assert parse('red "teaming trial').clauses == (
        (Term(("red",)),),
        (Term(("teaming", "trial")),),
    )


def test_control_and_direction_characters_are_not_text():
    query = parse("red\x00teaming \u202ecounty\u202c \ufffd lines \U0001f600")
    assert query.text() == "red teaming county lines"


def test_a_long_query_is_cut_and_said_so():
    query = parse("resilience " * 2000)
    assert len(query.text()) <= MAX_QUERY_CHARS
    assert any("longer than" in note for note in query.notes)


def test_too_many_words_are_cut_and_said_so():
    query = parse(" ".join(f"word{n}" for n in range(40)))
    assert len(list(query.terms())) == MAX_TERMS
    assert any("first" in note for note in query.notes)


def test_only_leaving_words_out_is_explained():
    query = parse("-county -lines")
    assert not query
    assert any("cannot only leave words out" in note for note in query.notes)
