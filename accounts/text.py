"""What a typed identity value may hold: characters staff can see, and the digits 0 to 9.

A copy from a web page, a PDF or a word processor brings along characters nobody sees —
a soft hyphen where a line broke, a zero-width space, a direction mark — and other scripts'
digits (full-width `１２３`, Arabic-Indic `١٢٣`) look like ours. Stored, they make an e-mail
that never receives mail, or a second "same" document that escapes the duplicate checks;
read as numbers they would be guessed. The rules refuse them, naming the character.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError

from .problems import rule_error

# Anything but printable ASCII: the check below runs only where this finds something, so
# the plain values of a 100,000-row import cost one regular-expression scan each.
_NOT_PRINTABLE_ASCII = re.compile(r"[^\x20-\x7e]")
# Letters that draw nothing (Hangul fillers, the blank Braille pattern): abused as spaces.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp"})


# Unicode gives controls no name; these are the ones a pasted or multi-line cell brings.
_CONTROL_NAMES = {"\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN"}


def character_name(char: str) -> str:
    """`U+200B ZERO WIDTH SPACE`: how a message names a character nobody can see."""
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(char, "CONTROL CHARACTER")
    return f"U+{ord(char):04X} {name}"


def is_invisible(char: str) -> bool:
    """Controls, format characters (soft hyphen, zero-width space and joiners, direction
    marks, byte order mark), unassigned and private-use code points, line and paragraph
    separators, and letters that draw nothing. Spaces are seen: the rules judge them (a
    spreadsheet groups a number's digits with a no-break space)."""
    return char in _BLANK_LETTERS or unicodedata.category(char) in _INVISIBLE_CATEGORIES


def invisible_character_error(text: str) -> ValidationError | None:
    """The rule error naming the first invisible character of ``text`` and its position."""
    for position, char in enumerate(text, start=1):
        if is_invisible(char):
            return rule_error(
                "invisible_character", value=text, character=character_name(char), position=position
            )
    return None


def check_visible_ascii_digits(text: str) -> str:
    """``text`` in NFC (an accent typed or pasted decomposed reads as one character), or a
    rule error: `invisible_character` naming it and its position, `text_non_ascii_digits`."""
    if _NOT_PRINTABLE_ASCII.search(text) is None:
        return text
    error = invisible_character_error(text)
    if error is not None:
        raise error
    if any(char.isdigit() and not char.isascii() for char in text):
        raise rule_error("text_non_ascii_digits", value=text)
    return unicodedata.normalize("NFC", text)
