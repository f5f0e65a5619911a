"""Sanitising what members write.

Logs and comments are plain text: every tag is stripped on the way in (nh3, the
Rust html sanitiser), and templates escape on the way out and only turn http(s)
addresses into links (urlize). So no script, no event handler and no javascript:
link can survive, whatever is pasted in.
"""

import nh3


def clean_text(value: str) -> str:
    if not value:
        return ""
    cleaned = nh3.clean(value, tags=set(), attributes={}, strip_comments=True)
    # nh3 returns HTML-escaped text; we store plain text and escape when rendering.
    return (
        cleaned.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .replace("\r\n", "\n")
        .strip()
    )
