"""Hostile values posted into every text field, and what must never come back out.

The rule for NUL (PostgreSQL refuses it in text): NUL characters are removed from every text
field before anything is stored, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

MEGABYTE = 1_000_000

TEXT_PAYLOADS = {
    "one_megabyte": "A" * MEGABYTE,
    "nul": "Hurdles\x00 session\x00",
    "controls": "Bell\x07 escape\x1b[31m vertical\x0b form\x0c line\u2028para\u2029 del\x7f",
    "rtl_override": "Aisha \u202eexe.tnemmoc\u202c and \u2066isolate\u2069 \u200bzero",
    "normalisation": "Ame\u0301lie Ｓｔａｎ \ufb01t \u0130stanbul A\u030a\u0301 \U0001f3c3\u200d",
    "xss_html": '"><script>alert("xss")</script><img src=x onerror=alert(1)>'
                "<svg onload=alert(2)><iframe src=javascript:alert(3)>",
    "xss_markdown": "[click](javascript:alert(4)) ![i](javascript:alert(5)) "
                    "<a href=\"jav&#x09;ascript:alert(6)\">t</a> [j](//evil.test) "
                    "<style>*{}</style><form action=//evil.test><math>",
    "formula": '=HYPERLINK("http://evil.test","x")',
}

# Raw request bodies with bytes that are not UTF-8, per field name: percent-encoded and bare.
INVALID_UTF8 = [b"%FF%FE%C0%AF caf%E9", b"\xff\xfe\xc0\xaf caf\xe9"]

# Substrings that would mean a payload came back as live markup (checked case-insensitively).
# Each starts with "<" or sits inside a quoted attribute, so escaped text never matches.
LIVE_MARKUP = (
    "<script>alert", "<img src=x onerror", "<svg onload", "<iframe src=javascript", "<math>",
    "<style>*", "<form action=//evil.test", 'href="javascript:', "href='javascript:",
    'src="javascript:', 'href="jav&#x09;ascript', 'href="//evil.test',
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_PAYLOADS = ['=HYPERLINK("http://evil.test","x")', "+1+1", "-2+3", "@SUM(A1)",
                    "\t=1+1", "\r=1+1"]

HUGE_IDS = ["-1", "0", str(2**31), str(2**63), str(10**30), "abc", "1e3", "%00", "1;DROP"]


def live_markup_in(body: str) -> list[str]:
    lowered = body.lower()
    return [marker for marker in LIVE_MARKUP if marker.lower() in lowered]
