"""Payloads a hostile user types into free-text fields (issue 7 item 7).

Every script payload sets ``window.__xss`` (or opens a dialog) if it ever
runs, so the browser test can tell. Short fields get the short ones.
"""

from __future__ import annotations

PAYLOADS = [
    "<script>window.__xss=1</script>",
    "<ScRiPt>window.__xss=2</sCrIpT>",
    '"><script>window.__xss=3</script>',
    "'><img src=x onerror=window.__xss=4>",
    '" autofocus onfocus="window.__xss=5" x="',
    "' onmouseover='window.__xss=6",
    "<img src=x onerror=alert(7)>",
    "<svg onload=window.__xss=8>",
    "<svg><script>window.__xss=9</script></svg>",
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=10">',
    "<iframe srcdoc='<script>parent.__xss=11</script>'></iframe>",
    '<a href="javascript:window.__xss=12">点我</a>',
    "javascript:window.__xss=13",
    "<details open ontoggle=window.__xss=14>",
    "<body onload=window.__xss=15>",
    "</textarea><script>window.__xss=16</script>",
    "</title><script>window.__xss=17</script>",
    "{{7*7}}{% debug %}{{ request.user.password }}",
    "${7*7}#{7*7}<%= 7*7 %>",
    "＜script＞window.__xss=18＜/script＞",  # fullwidth brackets
    "\u202egnp.exe<script>window.__xss=19</script>",  # right-to-left override
    "<scr<script>ipt>window.__xss=20</scr</script>ipt>",
    "%3Cscript%3Ewindow.__xss=21%3C/script%3E",
    "<meta http-equiv=refresh content='0;url=javascript:window.__xss=22'>",
]
SHORT = [
    "<b onclick=alert(1)>张</b>",
    '"><svg onload=alert(2)>',
    "<img src=x onerror=alert(3)>",
    "{{7*7}}李四",
]


def dangerous(payload: str) -> bool:
    """True when the payload would act if it reached the page unescaped."""
    return any(ch in payload for ch in "<>\"'")


def raw_leaks(html: str, payloads: list[str]) -> list[str]:
    """The dangerous payloads that appear in the page as they were typed."""
    return [p for p in payloads if dangerous(p) and p in html]
