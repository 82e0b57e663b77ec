"""What a ContentNote's Content may hold: escaped text and a few simple tags."""

import base64

import pytest

from integrations.emulator.errors import ApiError
from integrations.emulator.records.notes import NOTE_REFUSED, note_derived_fields, note_text


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "html",
    [
        "Plain text",
        "Tom &amp; Jerry &lt;3 &quot;quoted&quot; it&#39;s",
        "<p>First</p><p>Second<br>line</p>",
        "<b>bold</b> <i>it</i> <u>under</u> <ul><li>one</li></ul><ol><li>two</li></ol>",
        '<a href="https://example.com/?a=1&amp;b=2">link</a>',
        "Grüße &#8364;",
    ],
)
def test_escaped_html_with_simple_tags_is_accepted(html):
    assert note_text(_b64(html)) == html


@pytest.mark.parametrize(
    "html",
    [
        "Tom & Jerry",
        "it's",
        'say "hi"',
        "1 < 2",
        "2 > 1",
        "it&apos;s",
        "line one\nline two",
        "tab\there",
        "<script>alert(1)</script>",
        "<div>block</div>",
        '<p style="color:red">styled</p>',
        '<a onclick="x()">link</a>',
        "<img src=x>",
    ],
)
def test_unescaped_characters_and_other_tags_are_refused(html):
    with pytest.raises(ApiError) as raised:
        note_text(_b64(html))

    assert raised.value.error_code == "FIELD_INTEGRITY_EXCEPTION"
    assert raised.value.message == NOTE_REFUSED


def test_content_that_is_not_utf8_is_refused():
    with pytest.raises(ApiError):
        note_text(base64.b64encode(b"\xff\xfe").decode())


def test_derived_fields_give_a_plain_preview_and_the_size():
    content = _b64("<p>Met Tom &amp; Ann</p><p>next week</p>")

    derived = note_derived_fields(content)

    assert derived["TextPreview"] == "Met Tom & Ann next week"
    assert derived["ContentSize"] == len(base64.b64decode(content))
    assert (derived["FileType"], derived["FileExtension"]) == ("SNOTE", "snote")
