"""Known answers for content_hash: every sign-off records one, so its output must never drift.

Each expected digest was computed outside Python (`printf '<canonical JSON>' | sha256sum`), so
a change to the canonical form (key order, separators, escaping, encoding) fails here before a
stored sign-off stops matching the version it signed.
"""

from __future__ import annotations

import pytest

from portfolio.entries.versioning import content_hash

# A whole entry version, as working_content() builds it.
ENTRY_VERSION = {
    "title": "Hurdle rhythm",
    "practice_date": "2026-03-14",
    "session_type": "training",
    "event_group": "Sprints",
    "athletes": "",
    "reflection_model": "gibbs",
    "sections": {"what": "Block starts in the rain."},
    "privacy": "peers",
    "competency_ids": [3, 7],
    "evidence_ids": [12],
    "tags": ["starts", "wet weather"],
}

KNOWN_ANSWERS = [
    pytest.param({}, "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
                 id="empty"),
    # A philosophy statement's content.
    pytest.param({"body": "Coaching is about people."},
                 "ad4f0547b00744e10b34e8b660798622404feff6a054157a3299474160ec026c", id="body"),
    pytest.param(ENTRY_VERSION,
                 "e162e7f8c27be94c9df580824c10c06a378569903fa84d7724a02b0268478af6",
                 id="entry-version"),
    # Non-ASCII is hashed as UTF-8, not as \\u escapes.
    pytest.param({"body": "S\u00e9ance"},
                 "446072fb60a1eafc1869498a34cc164adb7b01c5075a3ad075c3ea29aedd894d",
                 id="composed-e-acute"),
    pytest.param({"body": "Se\u0301ance"},
                 "9b1b6295d2c92e6e6153434255b2d1eb964fa51aab6cf07fb0680a45fc8b99d2",
                 id="decomposed-e-acute"),
    pytest.param({"body": "Séance d’entraînement – “tall hips” 🏃"},
                 "711149bf64302873721af9da2e0be0b2c5e9ab508c25d727d0ea3e72bec5efae",
                 id="quotes-dashes-emoji"),
    # JSON escapes: newline, tab, quote, backslash, NUL.
    pytest.param({"body": "Drills\n"},
                 "b70f4b879e819540fa4bf520a9e0506953fa4fb1b051929494901814dc0a1dee",
                 id="trailing-newline"),
    pytest.param({"body": "tab\there"},
                 "907ead5d5902c768e8aceac44a9a771fcc2b71bca728b4345636bcb6ef587972", id="tab"),
    pytest.param({"body": 'He said "go" \\ now'},
                 "8d44a5bb428886ad8201678a2e6ea81347121dd816f36c5e881ada6fdedfb63d",
                 id="quote-and-backslash"),
    pytest.param({"body": "\x00"},
                 "b95fdea27b1c7c92a36f16930d7dfa68918fc28aaf1c92e01648d6604cfb0ca9", id="nul"),
    pytest.param({"d": None}, "780e1b18e0904b2686e7e68ae54ea50056ef4e5667be2a918485704234516280",
                 id="null"),
]


@pytest.mark.parametrize(("content", "digest"), KNOWN_ANSWERS)
def test_content_hash_gives_the_known_digest(content, digest):
    assert content_hash(content) == digest


def test_key_order_does_not_change_the_digest_at_any_depth():
    shuffled = dict(reversed(list(ENTRY_VERSION.items())))
    assert list(shuffled) != list(ENTRY_VERSION)
    assert content_hash(shuffled) == content_hash(ENTRY_VERSION)
    # '{"a":[],"b":{"a":1,"z":2}}' whichever order the keys were built in.
    expected = "d4fe900486bb74adcfb68e28a0618d9008cb0ffebb788ca7fa8d164674419d5d"
    assert content_hash({"b": {"z": 2, "a": 1}, "a": []}) == expected
    assert content_hash({"a": [], "b": {"a": 1, "z": 2}}) == expected


def test_list_order_is_content():
    assert content_hash({"ids": [1, 2]}) == (
        "eff9df2013c08a13cdd7ffabfcf9514b6f6411e2a0b52c5948c7036d3d442253")
    assert content_hash({"ids": [2, 1]}) == (
        "b019dc39463ec779505698b22d9342dbe419ef5129637ee9dc525e4298c62ad8")


def test_whitespace_is_content_and_the_form_has_none_of_its_own():
    # '{"body":"Drills"}': no space after ':' or ','; the text's own spaces count.
    assert content_hash({"body": "Drills"}) == (
        "7de4a845d9788318e715d9d00e41a3fc734930b211ddc43882cfa7f30c070124")
    assert content_hash({"body": " Drills"}) == (
        "a27d1366ee6df2b11e66193c68e8e21e30c32d58e9fcd607bf2333597025de21")
    assert content_hash({"body": "Drills\r\n"}) == (
        "efe1ee706dfbfc69ffcec9045c6a040384b431a8ca3a2ec17d4a4c272d2cc0a7")


def test_a_number_and_its_digits_differ():
    assert content_hash({"n": 1}) == (
        "2bfd14f43d17fc7cea24e0917a8879b4b2f880b8baeec1b9d90fbaad655e71bd")
    assert content_hash({"n": "1"}) == (
        "1a2613ec93fa82b8b76d7decf6f493cff9bdf9999208caa30deb11440c1f8b43")


def test_unicode_is_not_normalised_nor_escaped():
    composed, decomposed = content_hash({"body": "S\u00e9ance"}), content_hash(
        {"body": "Se\u0301ance"})
    assert composed != decomposed
    # The ASCII-escaped form '{"body":"S\\u00e9ance"}' hashes differently.
    assert composed != "27bbe24cd41e24ab5409a4c12c509b7121d796a53f01aea6c37af30987aac6ad"
