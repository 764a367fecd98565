"""Every word a template shows is marked for translation.

A pragmatic scanner: it drops the marked text ({% translate %}, {% blocktranslate %}),
comments and template variables, then reads what is left as HTML. Any word still
visible — a text node or a visible attribute (placeholder, title, aria-label, alt,
button value) — was forgotten. Literal strings handed to tags and filters
(`label="Credit limit"`, `default:"None"`) are checked too.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

PROJECT = Path(settings.BASE_DIR)
NOT_SCANNED = {".venv", "node_modules", "staticfiles", "media", "tests"}

# Names and symbols that read the same in every language.
ALLOWED = re.compile(r"\b(?:creditadmin|VTEX|CSV|CPF|CNPJ|API|UUID|JSON|ID|R\$|US\$|€)(?!\w)")
# Two letters in a row, in any alphabet: a word someone will read.
WORD = re.compile(r"[^\W\d_]{2,}")

REMOVED = re.compile(
    r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}"
    r"|{#.*?#}"
    r"|{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}",
    re.DOTALL,
)
TAG = re.compile(r"{%.*?%}|{{.*?}}", re.DOTALL)
LITERAL = re.compile(r"""(["'])(.*?)\1""")
VISIBLE_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "data-bs-title", "label"}
BUTTON_INPUT_TYPES = {"submit", "button", "reset"}
NOT_PROSE_TAGS = {"script", "style", "code", "pre", "kbd", "samp"}
VOID_TAGS = {"input", "img", "br", "hr", "meta", "link", "source", "wbr"}


def template_files() -> list[Path]:
    return sorted(
        path
        for path in PROJECT.glob("**/templates/**/*.html")
        if not NOT_SCANNED & set(path.relative_to(PROJECT).parts)
    )


def unmarked_literals(tag: str) -> list[str]:
    """Literals in a tag that look like prose, not names: `label="Credit limit"`."""
    if re.match(r"{%\s*(?:trans|translate|load|extends|url|static|block|now)\b", tag):
        return []
    found = []
    for match in LITERAL.finditer(tag):
        before = tag[: match.start()].rstrip()
        text = match.group(2)
        if re.search(r"_\($", before):  # _("…") is marked
            continue
        if re.search(r"(?:==|!=|<|>|\bin|\bnot in|date:|time:|include|with)$", before):
            continue  # a comparison, a date format or a template name
        if WORD.search(ALLOWED.sub("", text)) and (" " in text or re.match(r"[A-Z][a-z]", text)):
            found.append(text)
    return found


class VisibleText(HTMLParser):
    """Text nodes and visible attributes, except inside code samples and scripts, or an
    element marked translate="no" (the HTML way to say "this is not prose")."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skipped_tag: str | None = None
        self._skipped_depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self._skipped_tag:
            self._skipped_depth += tag == self._skipped_tag
            return
        if tag not in VOID_TAGS and (tag in NOT_PROSE_TAGS or attributes.get("translate") == "no"):
            self._skipped_tag, self._skipped_depth = tag, 1
        for name, value in attributes.items():
            if value and name in VISIBLE_ATTRIBUTES:
                self.texts.append(value)
        if tag == "input" and attributes.get("type") in BUTTON_INPUT_TYPES:
            self.texts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag == self._skipped_tag:
            self._skipped_depth -= 1
            if not self._skipped_depth:
                self._skipped_tag = None

    def handle_data(self, data):
        if not self._skipped_tag:
            self.texts.append(data)


def unmarked_text(source: str) -> list[str]:
    source = REMOVED.sub(" ", source)
    problems = [text for tag in TAG.findall(source) for text in unmarked_literals(tag)]
    parser = VisibleText()
    parser.feed(TAG.sub(" ", source))
    parser.close()
    for text in parser.texts:
        if WORD.search(ALLOWED.sub("", text)):
            problems.append(" ".join(text.split()))
    return problems


def test_templates_are_found():
    assert PROJECT / "templates" / "base.html" in template_files()


@pytest.mark.parametrize(
    "source, unmarked",
    [
        ('<p>{% translate "Accounts" %}</p>', []),
        ("<p>{% blocktranslate trimmed %}Hello {{ name }}{% endblocktranslate %}</p>", []),
        ("<td>{{ account.email }}</td><span>· creditadmin</span> <b>R$</b>", []),
        ("{# note #}{% comment %}Apps add theirs here.{% endcomment %}", []),
        ("<p>Accounts</p><p>{% if x %}Open{% endif %}</p>", ["Accounts", "Open"]),
        (
            '<input placeholder="Search" type="search"><button aria-label="Close">',
            ["Search", "Close"],
        ),
        ('<input type="submit" value="Save"><input type="hidden" value="token">', ["Save"]),
        (
            '{% include "x.html" with label="Credit limit" %}{{ x|default:"None" }}',
            ["Credit limit", "None"],
        ),
        ('{% include "x.html" with label=_("Credit limit") field="credit_limit" %}', []),
        ("{% if status == 'Open' %}{{ when|date:'SHORT_DATE_FORMAT' }}{% endif %}", []),
        ("<script>const label = 'Loading';</script>", []),
        ("<pre><code>curl -H 'X-VTEX-API-AppKey: key'</code></pre><p>After</p>", ["After"]),
        ('<span translate="no">Id <b>Email</b></span><span>Status</span>', ["Status"]),
    ],
)
def test_scanner_finds_unmarked_text(source, unmarked):
    assert unmarked_text(source) == unmarked


@pytest.mark.parametrize(
    "template", template_files(), ids=lambda path: str(path.relative_to(PROJECT))
)
def test_template_text_is_marked_for_translation(template):
    problems = unmarked_text(template.read_text(encoding="utf-8"))
    assert not problems, (
        f"{template.relative_to(PROJECT)} shows text not marked for translation "
        f"(wrap it in {{% translate %}} or {{% blocktranslate trimmed %}}): {problems}"
    )
