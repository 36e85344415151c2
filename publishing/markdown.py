"""Formatted text that curators write: Markdown in, sanitised HTML or plain text out.

markdown-it-py parses CommonMark (tables and strikethrough added); raw HTML in the text
is never passed through, it shows as typed. nh3 (the Ammonia sanitiser) then keeps only
the tags and attributes below, so no text can reach a page as script, style or an
unsafe link whatever the parser lets by. A single line break stays a line break, as
plain text always read, so text written before formatting existed reads as it did.
Headings are shifted down two levels: the page's own h1 and h2 stay above them.
"""

import html
import re
from functools import lru_cache

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "hr",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"scope"}}
HEADING_SHIFT = 2

# What a curator sees under a formatted field.
FORMATTING_HINT = (
    "Formatting (Markdown): a blank line starts a new paragraph; **bold**, *italic*; "
    "a line starting “- ” is a bullet, “1. ” a numbered item; ### a heading; "
    "[words](https://address) a link. Anything else shows as typed."
)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "breaks": True}).enable(
        ["table", "strikethrough"]
    )


def _html(text: str) -> str:
    parser = _parser()
    tokens = parser.parse(text or "")
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            level = min(6, int(token.tag[1]) + HEADING_SHIFT)
            token.tag = f"h{level}"
    return parser.renderer.render(tokens, parser.options, {})


def render_markdown(text: str) -> SafeString:
    """Sanitised HTML of a curator's Markdown, safe to put on any page."""
    if not text or not text.strip():
        return mark_safe("")
    cleaned = nh3.clean(
        _html(text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above


_BLOCK_END = re.compile(r"</(p|ul|ol|h[3-6]|blockquote|pre|tr|table)>|<hr\s*/?>")


# Text with none of these can hold no Markdown: its plain text is itself, tidied. Most
# text is such (all of the seeded and demo text), and skipping the parser for it kept
# indexing 10,000 demo reports as fast as before formatting existed.
_MARKUP = re.compile(r"[*_`#\[\]<>&|~\\!]|^(?: {4}|\t|\s*(?:[-+>=]|\d+[.)]))", re.MULTILINE)


def markdown_to_text(text: str) -> str:
    """The words of a curator's Markdown without its markup, for search, feeds and the API.

    Paragraphs stay apart by a blank line and list items and line breaks by a new line;
    ``**bold**`` becomes ``bold`` and a link its words.
    """
    if not text or not text.strip():
        return ""
    if not _MARKUP.search(text):
        return _tidy(text)
    rendered = _BLOCK_END.sub(lambda m: m.group(0) + "\n", _html(text))
    return _tidy(html.unescape(strip_tags(rendered)))


def _tidy(plain: str) -> str:
    lines = [line.strip() for line in plain.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
