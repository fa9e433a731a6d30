"""The Chinese catalogue is complete and its compiled form is current."""

from pathlib import Path

import polib

import onestop

CATALOGUE = Path(onestop.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_is_translated():
    po = polib.pofile(str(CATALOGUE / "django.po"))

    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    mo = polib.mofile(str(CATALOGUE / "django.mo"))

    source = {(e.msgctxt, e.msgid): e.msgstr for e in po.translated_entries()}
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo if e.msgid}
    assert compiled == source, "run `onestop compilemessages` after editing django.po"
