"""The long fuzz run: the property-based tests of tests/security/test_fuzz.py with many
more examples, every failure collected instead of stopping at the first.

    .venv/bin/python bench/fuzz.py --examples 500
    .venv/bin/python bench/fuzz.py --examples 2000 -k "trial_action or profile"
    .venv/bin/python bench/fuzz.py --examples 200 --stop-first --shrink   # one, minimal

It runs pytest in this process on a throwaway test database (config.settings.test,
as the test suite does), then prints the requests tried per surface, the answers by
status class, and each distinct 5xx and each refused request that wrote something,
with the request (method, path, role, data, a minimised data) and where it failed.
Exits 1 if any were found (or the tests themselves broke), 0 otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests" / "security" / "test_fuzz.py"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=500, help="examples per test")
    parser.add_argument("-k", dest="keyword", help="only the tests matching (pytest -k)")
    parser.add_argument("--seed", help="Hypothesis seed, to repeat a run")
    parser.add_argument(
        "--stop-first",
        action="store_true",
        help="stop each test at its first failure instead of collecting them all",
    )
    parser.add_argument(
        "--shrink", action="store_true", help="let Hypothesis shrink a failure (slow)"
    )
    args = parser.parse_args(argv)

    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["FUZZ_EXAMPLES"] = str(args.examples)
    os.environ["FUZZ_COLLECT"] = "0" if args.stop_first else "1"
    os.environ["FUZZ_SHRINK"] = "1" if args.shrink else "0"
    # Uploads of the run never land in the repository's media folder.
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="fuzz-media-"))
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))

    import pytest

    pytest_args = [str(TESTS), "-q", "-p", "no:cacheprovider"]
    if args.keyword:
        pytest_args += ["-k", args.keyword]
    if args.seed:
        pytest_args += [f"--hypothesis-seed={args.seed}"]
    started = time.monotonic()
    exit_code = pytest.main(pytest_args)
    elapsed = time.monotonic() - started

    fuzzing = sys.modules.get("tests.security.fuzzing")
    if fuzzing is None:
        print("The fuzz tests did not run (see pytest's output above).")
        return 2
    recorder = fuzzing.RECORDER
    print()
    print(f"Fuzz run: {args.examples} examples per test, {elapsed:.0f} s")
    print(f"Requests tried: {recorder.total()}")
    width = max((len(s) for s in recorder.requests), default=10)
    classes = (200, 300, 400, 500)
    print(
        f"  {'surface':<{width}}  {'total':>6}" + "".join(f"{c // 100}xx".rjust(7) for c in classes)
    )
    for surface, count in sorted(recorder.requests.items(), key=lambda kv: (-kv[1], kv[0])):
        by_class = "".join(f"{recorder.outcomes[surface, c]:>7}" for c in classes)
        print(f"  {surface:<{width}}  {count:>6}{by_class}")
    statuses = ", ".join(f"{k // 100}xx: {v}" for k, v in sorted(recorder.statuses.items()))
    print(f"Answers: {statuses}")

    distinct: dict[tuple, list] = {}
    for failure in recorder.failures:
        distinct.setdefault(failure.key(), []).append(failure)
    server_errors = [v for k, v in distinct.items() if k[0] == "5xx"]
    writes = [v for k, v in distinct.items() if k[0] != "5xx"]
    found = sum(len(v) for v in server_errors)
    print(f"5xx found: {found} ({len(server_errors)} distinct)")
    for failures in server_errors:
        _print_group(failures)
    found = sum(len(v) for v in writes)
    print(f"Refused requests that wrote: {found} ({len(writes)} distinct)")
    for failures in writes:
        _print_group(failures)
    if recorder.failures:
        return 1
    return 0 if exit_code == 0 else int(exit_code)


def _print_group(failures) -> None:
    """One bug: how often, on which surfaces, and its smallest reproduction."""
    surfaces = sorted({f"{f.method} {f.surface}" for f in failures})
    smallest = min(failures, key=lambda f: len(repr(f.minimal or f.data)) + len(f.path))
    print(f"- {len(failures)}x on {len(surfaces)} surface(s): {'; '.join(surfaces)}")
    print("  " + smallest.describe().replace("\n", "\n  "))


if __name__ == "__main__":
    sys.exit(main())
