"""The es and pt_BR catalogues cover every message in the code, fully translated and compiled.

The messages are extracted afresh from the code (as `make translations` does) into a
temporary directory, so a string added without a translation fails here, not in
front of a Spanish- or Portuguese-speaking user.
"""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import to_locale

from tests.i18n.catalogue import Entry, placeholders, read_catalogue

PROJECT = Path(settings.BASE_DIR)
LOCALE_DIR = PROJECT / "locale"
TRANSLATED_LOCALES = ["es", "pt_BR"]
# The same places `make translations` leaves out.
NOT_EXTRACTED = {".venv", "tests", "locale", "media", "staticfiles", "node_modules"}
SHOWN = 15


def domains() -> list[str]:
    """`django`, plus `djangojs` once the app's own JavaScript marks strings."""
    scripts = [p for p in (PROJECT / "static").rglob("*.js") if "vendor" not in p.parts]
    uses_gettext = any("gettext(" in p.read_text(encoding="utf-8") for p in scripts)
    return ["django", "djangojs"] if uses_gettext else ["django"]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[str, list[Entry]]:
    """Freshly extracted messages per domain (the .pot makemessages builds)."""
    if not shutil.which("xgettext") or not shutil.which("msgfmt"):
        pytest.fail("GNU gettext is missing: `make messages` installs it (apt-get install gettext)")
    # A mirror of the project whose only locale/ is empty: makemessages writes the .pot
    # there and never touches the committed catalogues.
    mirror = tmp_path_factory.mktemp("extract")
    for item in PROJECT.iterdir():
        if item.name not in NOT_EXTRACTED and not item.name.startswith("."):
            (mirror / item.name).symlink_to(item)
    (mirror / "locale").mkdir()
    env = {**os.environ, "DEBUG": "1"}
    extracted = {}
    for domain in domains():
        command = [sys.executable, str(PROJECT / "manage.py"), "makemessages", "--symlinks"]
        command += ["--keep-pot", "-l", "es", "-d", domain, "--ignore=static/vendor/*", "-v0"]
        subprocess.run(command, cwd=mirror, env=env, check=True, capture_output=True)
        pot = mirror / "locale" / f"{domain}.pot"
        extracted[domain] = (
            [e for e in read_catalogue(pot) if not e.is_header] if pot.exists() else []
        )
    assert extracted["django"], "makemessages found no message at all: is the mirror wrong?"
    return extracted


def catalogue_path(locale: str, domain: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{domain}.po"


def listing(entries: list[Entry]) -> str:
    lines = [f"  {e.msgid!r} ({e.where})" for e in entries[:SHOWN]]
    if len(entries) > SHOWN:
        lines.append(f"  … and {len(entries) - SHOWN} more")
    return "\n".join(lines)


@pytest.mark.parametrize("locale", TRANSLATED_LOCALES)
def test_every_message_in_the_code_is_in_the_catalogue(extracted, locale):
    for domain, messages in extracted.items():
        path = catalogue_path(locale, domain)
        assert path.exists(), f"{path.relative_to(PROJECT)} is missing: run `make translations`"
        in_catalogue = {entry.key for entry in read_catalogue(path)}
        missing = [message for message in messages if message.key not in in_catalogue]
        assert not missing, (
            f"{len(missing)} message(s) not in {path.relative_to(PROJECT)} "
            f"(run `make translations`, then translate):\n{listing(missing)}"
        )


@pytest.mark.parametrize("locale", TRANSLATED_LOCALES)
def test_every_catalogue_entry_is_translated_and_not_fuzzy(locale):
    for path in sorted((LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po")):
        entries = [e for e in read_catalogue(path) if not e.is_header]
        fuzzy = [e for e in entries if "fuzzy" in e.flags]
        untranslated = [e for e in entries if not e.is_translated]
        assert not fuzzy, f"fuzzy in {path.relative_to(PROJECT)}:\n{listing(fuzzy)}"
        assert not untranslated, (
            f"untranslated in {path.relative_to(PROJECT)}:\n{listing(untranslated)}"
        )


@pytest.mark.parametrize("locale", TRANSLATED_LOCALES)
def test_translations_keep_the_placeholders_and_every_plural_form(locale):
    for path in sorted((LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po")):
        header, *entries = read_catalogue(path)
        plural_forms = re.search(r"nplurals=(\d+)", header.msgstr[0])
        assert plural_forms, f"{path.relative_to(PROJECT)} has no Plural-Forms header"
        nplurals = int(plural_forms.group(1))
        for entry in entries:
            expected = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
            for form, translation in enumerate(entry.msgstr):
                if translation:
                    assert placeholders(translation) <= expected, (entry.msgid, form, translation)
                    if entry.msgid_plural is None:
                        assert placeholders(translation) == expected, (entry.msgid, translation)
            if entry.msgid_plural is not None:
                assert len(entry.msgstr) == nplurals, (entry.msgid, entry.msgstr)


@pytest.mark.parametrize("locale", TRANSLATED_LOCALES)
def test_compiled_catalogues_match_the_po_files(locale, tmp_path):
    """The .mo files are built at set-up (`make messages`); stale ones show old wording."""
    for path in sorted((LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po")):
        compiled = path.with_suffix(".mo")
        assert compiled.exists(), f"{compiled.relative_to(PROJECT)} missing: run `make messages`"
        fresh = tmp_path / compiled.name
        subprocess.run(
            ["msgfmt", "--check", "-o", str(fresh), str(path)], check=True, capture_output=True
        )
        with compiled.open("rb") as stale_file, fresh.open("rb") as fresh_file:
            stale, current = (
                gettext.GNUTranslations(stale_file),
                gettext.GNUTranslations(fresh_file),
            )
        assert stale._catalog == current._catalog, (
            f"{compiled.relative_to(PROJECT)} is out of date: run `make messages`"
        )


def test_every_configured_language_but_english_has_a_catalogue():
    locales = {to_locale(code) for code, _name in settings.LANGUAGES} - {"en"}
    assert locales == set(TRANSLATED_LOCALES)
