"""Shared pieces of the property-based fuzz tests (tests/security/test_fuzz.py) and of
the longer run (bench/fuzz.py).

Hostile values (oversized, NUL, bidi overrides, combining marks, numbers no database
column holds, dates no calendar has), query strings and form data built from them, and
a recorder that sends each request, counts it and checks the two properties:

1. no answer is a 5xx;
2. a request that was refused (anything but a redirect after a POST, unless a test says
   otherwise) wrote nothing: the guarded rows are the same before and after.

By default the first violation fails the test, with the request (method, path, role,
data), the same request cut down to the keys that still fail it, and where it failed.
With FUZZ_COLLECT=1 (bench/fuzz.py) every violation is recorded instead and the run goes
on, so one long run lists them all. FUZZ_EXAMPLES sets the examples per test.
"""

from __future__ import annotations

import os
import re
import traceback
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
COLLECT = os.environ.get("FUZZ_COLLECT") == "1"
# Hypothesis' shrinking of a failing request can take minutes (each step is a request);
# the recorder minimises a failing request itself. FUZZ_SHRINK=1 shrinks as well.
SHRINK = os.environ.get("FUZZ_SHRINK") == "1"

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
    database=None,
    # CI (CI=true) draws the same examples every run, so a green run stays green;
    # bench/fuzz.py and local runs draw new ones.
    derandomize=os.environ.get("CI") == "true" and not os.environ.get("FUZZ_RANDOM"),
    print_blob=False,
    phases=[Phase.explicit, Phase.generate, *([Phase.shrink] if SHRINK else [])],
)

REDIRECTS = frozenset({301, 302, 303, 307, 308})
LONG = 20_000

# -- hostile values -------------------------------------------------------------------

ZALGO = "Z\u0324\u0354\u0367\u0311a\u0308\u0356\u032d\u0308\u0307l\u036e\u0312\u036bg\u030c\u0317"

# Past what a 64-bit column holds, or at its edges.
OUT_OF_RANGE = [
    "99999999999999999999",
    str(2**63),
    str(2**63 - 1),
    str(-(2**63) - 1),
    str(2**64),
    "9" * 5000,  # past Python's 4300-digit limit for int(str)
    "-1",
    "0",
    "-0",
    str(2**31),
]
# str.isdigit() says yes, int() says no (or reads another script's digits).
UNICODE_DIGITS = [
    "\u00b2",  # SUPERSCRIPT TWO
    "2\u00b2",
    "\u2460",  # CIRCLED DIGIT ONE
    "\u00b3\u2074",
    "\u0663",  # ARABIC-INDIC DIGIT THREE: int() reads it
    "\U0001d7d7",  # MATHEMATICAL BOLD DIGIT NINE
    "\u0968\u0966\u0968\u096a",  # 2024 in Devanagari digits
    "\u216b",  # ROMAN NUMERAL TWELVE
    "\u00bd",  # VULGAR FRACTION ONE HALF
]
NUMBER_FORMATS = ["1e309", "1.5", "-1.5", "NaN", "inf", "-inf", "0x1F", "1_000", " 7 ", "+1", "1,5"]
NUMBERS = OUT_OF_RANGE + UNICODE_DIGITS + NUMBER_FORMATS

DATES = [
    "2024-02-30",
    "2023-02-29",
    "99999-01-01",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "2024-13-01",
    "2024-00-10",
    "2024-1-1",
    "24-01-01",
    "31.12.2024",
    "31/12/2024",
    "2024-02-29T25:61:61",
    "2024-01-01T00:00:00+99:00",
    "-2024-01-01",
    "\u0968\u0966\u0968\u096a-\u0966\u0967-\u0966\u0967",
    "2024-01-01\x00",
    "today",
]

TEXTS = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202e",
    "rapport\u202egpj.exe",
    "e\u0301\u0301\u0301\u0301",
    ZALGO,
    "\U0001f642",
    "\U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",
    "\ufeff",
    "\u200b\u200d",
    "\uffff",
    "\U0010ffff",
    "\r\nSet-Cookie: x=y",
    "\t",
    "\u2028\u2029",
    "'; DROP TABLE network_user; --",
    '" OR 1=1 --',
    "<script>alert(1)</script>",
    "{{ 7|add:7 }}",
    "{% debug %}",
    "%s%n%x",
    "../../../../etc/passwd",
    "..%2f..%2f",
    "NEAR(a b)",
    'a"b',
    '"',
    "*",
    "a*",
    "AND",
    "OR NOT",
    "-x",
    "x:y",
    "^",
    "\\",
    "null",
    "None",
    "true",
    "[]",
    "{}",
    '{"a": 1}',
    "æøå ÆØÅ",
    "\ufb01",
    "\u0130",
    "\u00df",
    "http://evil.example/",
    "//evil.example",
    "javascript:alert(1)",
    "/\\evil.example",
]

EMAILS = [
    "a@b",
    "@",
    "x@y.z",
    "navn@kommune.dk",
    "medlem@netvaerk.example",
    "MEDLEM@NETVAERK.EXAMPLE",
    "a@b.c\x00",
    "a" * 300 + "@example.com",
    "<a@b.dk>",
    "a@[127.0.0.1]",
    "\u202e@example.com",
    "a@\u00e6\u00f8\u00e5.dk",
    "a@xn--.dk",
    "a..b@c.dk",
    "a@b.dk,c@d.dk",
    "a@b.dk\r\nBcc: c@d.dk",
]

_CONSTANTS = NUMBERS + DATES + TEXTS + EMAILS

_weird_text = st.text(
    alphabet=st.characters(categories=["Cc", "Cf", "Mn", "Me", "Zs", "Zl", "Nd", "No", "So"]),
    max_size=20,
)


def _long(unit: str, count: int) -> str:
    return (unit * count)[:LONG]


_long_text = st.builds(
    _long,
    st.sampled_from(["a", "\u00f8", "\x00", "\U0001f642", "e\u0301", "9", " ", "<", "\u202e"]),
    st.integers(1, LONG),
)


_UNICODE_DIGITS = st.text(
    alphabet=st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=4
)

_GENERIC = [
    st.sampled_from(_CONSTANTS),
    st.text(max_size=40),
    _weird_text,
    st.integers().map(str),
    st.floats().map(str),
    st.dates().map(lambda d: d.isoformat()),
    _long_text,
]

_AIMED = {
    "int": [
        st.sampled_from(OUT_OF_RANGE),
        st.sampled_from(UNICODE_DIGITS),
        st.sampled_from(NUMBER_FORMATS),
        st.integers().map(str),
        st.integers(2**63 - 2, 2**80).map(str),
        st.integers(-(2**80), -(2**63) + 2).map(str),
        _UNICODE_DIGITS,  # isdigit() is not int()
    ],
    "date": [
        st.sampled_from(DATES),
        st.tuples(st.integers(-1, 100_000), st.integers(-1, 14), st.integers(-1, 33)).map(
            lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"
        ),
        st.datetimes().map(lambda d: d.isoformat()),
        _UNICODE_DIGITS,
    ],
    "email": [
        st.sampled_from(EMAILS),
        st.tuples(st.text(max_size=20), st.text(max_size=20)).map("@".join),
        st.emails(),
    ],
    "text": [st.sampled_from(TEXTS), _long_text, _weird_text],
}


@st.composite
def hostile(draw, kind: str = "text") -> str:
    """One hostile string: a known troublemaker, random text, a number, a date, long.
    Mostly one aimed at the `kind` of field (int, date, email, text); now and then two
    run together."""
    if draw(st.integers(0, 3)) == 3 or (kind == "text" and draw(st.booleans())):
        return draw(draw(st.sampled_from(_GENERIC)))
    if draw(st.integers(0, 9)) == 9:
        return draw(draw(st.sampled_from(_GENERIC))) + draw(draw(st.sampled_from(_GENERIC)))
    return draw(draw(st.sampled_from(_AIMED[kind])))


def kind_of(valid) -> str:
    """What a field holds, judged from its valid values."""
    valid = [str(v) for v in valid]
    if not valid:
        return "text"
    if all(v.isascii() and v.lstrip("-").isdigit() for v in valid):
        return "int"
    if all(len(v) >= 10 and v[4:5] == "-" and v[:4].isdigit() for v in valid):
        return "date"
    if all("@" in v for v in valid):
        return "email"
    return "text"


def value(valid=()) -> st.SearchStrategy[str]:
    """A valid value about half of the time, otherwise a hostile one."""
    valid = [str(v) for v in valid]
    if not valid:
        return hostile()
    return st.one_of(st.sampled_from(valid), hostile(kind_of(valid)))


MUTATIONS = ["hostile", "hostile", "hostile", "repeated", "absent", "empty"]


def _mutate(draw, valid) -> list[str]:
    """What a mutated key carries: a hostile value, the key repeated, nothing, ''."""
    mode = draw(st.sampled_from(MUTATIONS))
    if mode == "hostile":
        return [draw(hostile(kind_of(valid)))]
    if mode == "repeated":
        return draw(st.lists(value(valid), min_size=2, max_size=4))
    return [] if mode == "absent" else [""]


@st.composite
def params(draw, spec: dict, extra: bool = True, complete: bool = False) -> dict:
    """Query or form data from `spec` (name -> valid values). Each name starts with a
    valid value (all of them when `complete`, as a filled-in form; otherwise some);
    then none, one, some or all of the names are mutated: given a hostile value,
    repeated, dropped or emptied. Now and then a parameter nobody reads is added."""
    names = list(spec)
    data: dict[str, list] = {}
    for name in names:
        valid = [str(v) for v in spec[name]]
        if complete or draw(st.booleans()):
            data[name] = [draw(st.sampled_from(valid))] if valid else [draw(hostile())]
    level = draw(st.sampled_from(["one", "one", "none", "some", "all"]))
    if level == "one" and names:
        chosen = [draw(st.sampled_from(names))]
    elif level == "some":
        chosen = [name for name in names if draw(st.integers(0, 2)) == 2]
    elif level == "all":
        chosen = names
    else:
        chosen = []
    for name in chosen:
        data[name] = _mutate(draw, spec[name])
    if extra and draw(st.integers(0, 3)) == 3:
        unknown = draw(
            st.dictionaries(
                st.one_of(st.sampled_from(_CONSTANTS), st.text(max_size=10)),
                st.lists(hostile(), min_size=1, max_size=2),
                min_size=1,
                max_size=2,
            )
        )
        data = {**unknown, **data}
    return {k: v for k, v in data.items() if v}


def segment(valid=()) -> st.SearchStrategy[str]:
    """A URL path segment, quoted so it survives as one segment."""
    return value(valid).map(lambda v: quote(v, safe="")).filter(lambda v: v not in ("", ".", ".."))


def upload() -> st.SearchStrategy:
    """An uploaded file: a few bytes of something, under a valid or hostile name."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    heads = st.sampled_from(
        [
            b"",
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06",
            b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
            b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
            b"GIF89a",
            b"MZ\x90\x00",
            b"<svg onload=alert(1)>",
        ]
    )
    names = value(
        ["rapport.pdf", "foto.png", "billede.jpg", "plan.docx", "x.exe", "rapport.pdf.exe"]
    )

    def file_name(name: str) -> str:
        # A name the test client can send: the server's parser sees its last part.
        name = name[:300]
        return name if os.path.basename(name) not in ("", ".", "..") else "x"

    return st.builds(
        lambda head, tail, name: SimpleUploadedFile(file_name(name), head + tail),
        heads,
        st.binary(max_size=200),
        names,
    )


# -- recording requests -----------------------------------------------------------------


@dataclass
class Failure:
    test: str
    surface: str
    role: str
    method: str
    path: str
    data: object
    status: int
    problem: str
    error: str = ""
    encoding: str = "multipart"
    minimal: object = None

    def describe(self, limit: int = 400) -> str:
        how = f" ({self.encoding})" if self.method == "POST" else ""
        path = _short(_squeeze(self.path), limit)
        lines = [
            f"[{self.test}] {self.problem}: {self.method}{how} {path} "
            f"as {self.role} -> {self.status}",
            f"    data: {_short(self.data, limit)}",
        ]
        if self.minimal is not None and self.minimal != self.data:
            lines.append(f"    minimal data: {_short(self.minimal, limit)}")
        if self.error:
            lines.append("    " + self.error.replace("\n", "\n    "))
        return "\n".join(lines)

    def key(self) -> tuple:
        """One bug: a 5xx is the same exception raised from the same place, whatever
        the surface; a write is the same surface writing."""
        if self.problem != "5xx":
            return (self.problem.split(":")[0], self.surface)
        lines = self.error.strip().splitlines() or [""]
        return (self.problem, lines[0], lines[-1].split(":")[0])


def _squeeze(text: str) -> str:
    """Runs of one character, as in a 5000-digit id, written as [9 x 5000]."""
    return re.sub(r"(.)\1{39,}", lambda m: f"[{m.group(1)} x {len(m.group(0))}]", text)


def _short(obj, limit: int) -> str:
    text = _visible(obj if isinstance(obj, str) else repr(_compact(obj)))
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


def _visible(text: str) -> str:
    """Marks, bidi controls and the like written as escapes: a report shows what was
    sent, not what it does to the text around it."""
    return "".join(
        f"\\u{ord(c):04x}"
        if unicodedata.category(c) in ("Mn", "Me", "Cf", "Cc", "Zl", "Zp") and c != "\n"
        else c
        for c in text
    )


class _Long(str):
    """A long value as it reads best in a report: '9' * 5000."""

    def __repr__(self):
        return str(self)


def _compact(obj):
    if isinstance(obj, dict):
        return {_compact(k): _compact(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_compact(v) for v in obj]
    if isinstance(obj, str) and len(obj) > 80:
        for size in range(1, 5):
            unit = obj[:size]
            if unit * (len(obj) // size) + unit[: len(obj) % size] == obj:
                return _Long(f"{unit!r} * {len(obj) // size}")
        return _Long(f"{obj[:40]!r} + ... ({len(obj)} characters)")
    return obj


@dataclass
class Recorder:
    requests: Counter = field(default_factory=Counter)  # per surface
    statuses: Counter = field(default_factory=Counter)  # per status class (200, 300, ...)
    outcomes: Counter = field(default_factory=Counter)  # per (surface, status class)
    failures: list[Failure] = field(default_factory=list)
    test: str = ""

    def total(self) -> int:
        return sum(self.requests.values())

    def send(
        self,
        client,
        method: str,
        path: str,
        data=None,
        *,
        surface: str,
        role: str,
        guard=None,
        refused=None,
        encoding: str = "multipart",
        collect: bool = False,
    ):
        """Send one request and check it. `guard` returns a snapshot of what a refused
        request must not change; `refused(response)` says whether it was refused (by
        default: anything but a redirect). A POST's `encoding` is multipart (as a
        browser sends files), urlencoded, or json (a type no form here reads). A
        failure raises AssertionError unless `collect` or FUZZ_COLLECT=1."""
        __tracebackhide__ = True  # a failure shows the request, not this frame
        before = guard() if guard else None
        response = _send(client, method, path, data, encoding)
        status_class = response.status_code // 100 * 100
        self.requests[surface] += 1
        self.statuses[status_class] += 1
        self.outcomes[surface, status_class] += 1
        problems = []
        if response.status_code >= 500:
            problems.append("5xx")
        if guard:
            was_refused = (
                refused(response) if refused else response.status_code not in REDIRECTS
            ) or response.status_code >= 500
            if was_refused:
                after = guard()
                if after != before:
                    problems.append(f"refused request wrote: {_diff(before, after)}")
        for problem in problems:
            failure = Failure(
                test=self.test,
                surface=surface,
                role=role,
                method=method,
                path=path,
                data=_plain(data),
                status=response.status_code,
                problem=problem,
                error=_error(response),
                encoding=encoding,
            )
            # A long run minimises each bug once; a failing test minimises its failure
            # each time (Hypothesis replays the failing example at the end).
            known = COLLECT and any(f.key() == failure.key() for f in self.failures)
            if problem == "5xx" and isinstance(data, dict) and not known:
                signature = _signature(failure.error)
                failure.minimal = _plain(_minimize(client, method, path, data, encoding, signature))
            self.failures.append(failure)
            if not (COLLECT or collect):
                raise AssertionError(failure.describe(limit=2000))
        return response


_TYPES = {"urlencoded": "application/x-www-form-urlencoded", "json": "application/json"}


def _send(client, method: str, path: str, data, encoding: str):
    data = data or {}
    for item in data.values():
        for one in item if isinstance(item, list) else [item]:
            if hasattr(one, "seek"):
                one.seek(0)  # an upload sent again is sent whole
    send = getattr(client, method.lower())
    if method == "POST" and encoding != "multipart":
        return send(path, _body(data, encoding), content_type=_TYPES[encoding])
    return send(path, data)


def _signature(error: str) -> tuple:
    """Where it failed and how: the same bug, not merely the same exception."""
    lines = error.strip().splitlines() or [""]
    return (lines[0], lines[-1])


def _minimize(client, method, path, data: dict, encoding, signature, budget: int = 40):
    """The smallest data (fewest keys, one value each) that still fails the same way.
    Hypothesis' own shrinking of a whole request takes minutes; this takes a few
    requests, and the failure report shows both."""
    current = dict(data)

    def still_fails(candidate) -> bool:
        nonlocal budget
        if budget <= 0:
            return False
        budget -= 1
        response = _send(client, method, path, candidate, encoding)
        return response.status_code >= 500 and _signature(_error(response)) == signature

    for key in list(current):
        candidate = {k: v for k, v in current.items() if k != key}
        if still_fails(candidate):
            current = candidate
    for key, item in list(current.items()):
        if isinstance(item, list) and len(item) > 1:
            for one in item:
                candidate = {**current, key: [one]}
                if still_fails(candidate):
                    current = candidate
                    break
    return current


def _body(data: dict, encoding: str) -> str:
    if encoding == "json":
        import json

        return json.dumps({k: v if len(v) > 1 else v[0] for k, v in data.items() if v})
    from django.utils.http import urlencode

    return urlencode(data, doseq=True)


def _plain(data):
    if not isinstance(data, dict):
        return data

    def plain(item):
        return f"<file {item.name!r}>" if hasattr(item, "read") else item

    return {
        k: [plain(v) for v in vs] if isinstance(vs, list) else plain(vs) for k, vs in data.items()
    }


def _diff(before, after) -> str:
    if isinstance(before, dict) and isinstance(after, dict):
        changed = {
            k: (before.get(k), after.get(k))
            for k in sorted(set(before) | set(after), key=str)
            if before.get(k) != after.get(k)
        }
        return _short(changed, 600)
    return f"{_short(before, 300)} -> {_short(after, 300)}"


def _ours(filename: str) -> bool:
    """Our code, or the app that called into Django (Wagtail, allauth)."""
    if "site-packages" not in filename:
        return True
    return any(f"site-packages/{app}/" in filename for app in ("wagtail", "allauth"))


def _error(response) -> str:
    """The exception, and where it left our code (or Wagtail's, allauth's): that frame
    and the last frame of all."""
    exc_info = getattr(response, "exc_info", None)
    if not exc_info:
        return ""
    frames = traceback.extract_tb(exc_info[2])
    ours = [f for f in frames if _ours(f.filename)]
    shown = []
    for frame in ([ours[-1]] if ours else []) + [frames[-1]]:
        line = _squeeze(
            f'File "{frame.filename}", line {frame.lineno}, in {frame.name}: {frame.line}'
        )
        if line not in shown:
            shown.append(line)
    exception = traceback.format_exception_only(exc_info[0], exc_info[1])[-1].strip()
    exception = _visible(_squeeze(exception))
    return "\n".join([*shown, exception])


RECORDER = Recorder()
