"""Mutation testing of the code that decides who sees what, what is sent and what is
stored: apply one small, plausible bug at a time, run the tests that cover it, and
report which mutants the suite killed and which survived (with their diffs).

    .venv/bin/python bench/mutate.py            # every mutant
    .venv/bin/python bench/mutate.py -k login   # mutants whose name contains "login"

A mutant is a (name, file, original text, mutated text, tests) entry in MUTANTS; the
original text must occur exactly once. The working tree is restored after each mutant,
also when the run is interrupted. Prints a table and exits 1 when a mutant survived.
"""

from __future__ import annotations

import argparse
import difflib
import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")

# (name, file, original, mutated, tests that should kill it)
MUTANTS: list[tuple[str, str, str, str, list[str]]] = [
    (
        "admin login checks the password itself again",
        "config/urls.py",
        'path("admin/login/", admin_login_redirect, name="wagtailadmin_login"),\n',
        "",
        ["tests/security/test_doors.py::test_wagtail_login_forms_hand_over_to_allauth"],
    ),
    (
        "open data API accepts any page type",
        "config/api.py",
        "        if wanted and wanted.lower() != EXPERIENCE_TYPE.lower():\n",
        "        if False:\n",
        ["tests/security/test_doors.py::test_api_serves_only_public_experiences"],
    ),
    (
        "open data API starts from every public page",
        "config/api.py",
        "        return ExperiencePage.objects.live().public()\n",
        "        return super().get_base_queryset()\n",
        ["tests/security/test_doors.py::test_api_serves_only_public_experiences"],
    ),
    (
        "hidden comment readable by members",
        "projects/views.py",
        "    if not permissions.can_see_comment(request.user, comment):\n",
        "    if not permissions.can_see_log(request.user, comment.trial_action):\n",
        ["tests/security/test_doors.py::test_hidden_comment_is_not_readable_at_its_report_page"],
    ),
    (
        "hidden log answers 403",
        "projects/views.py",
        "    if not permissions.can_see_log(request.user, log):\n        raise Http404\n"
        "    return log",
        "    if not permissions.can_see_log(request.user, log):\n        raise PermissionDenied\n"
        "    return log",
        ["tests/security/test_routes.py::test_leak_matrix"],
    ),
    (
        "event material served by its direct URL",
        "projects/wagtail_hooks.py",
        "    projects += [\n        m.event.project\n",
        "    projects += [] and [\n        m.event.project\n",
        ["tests/security/test_routes.py::test_leak_matrix"],
    ),
    (
        "media route serves all of MEDIA_ROOT",
        "config/media.py",
        'document_root=settings.MEDIA_ROOT / "images"',
        "document_root=settings.MEDIA_ROOT",
        ["tests/security/test_doors.py::test_development_serves_only_image_renditions_from_media"],
    ),
    (
        "every OperationalError is an outage",
        "config/middleware.py",
        "    if not isinstance(exception, OperationalError):\n        return False\n",
        "    if isinstance(exception, OperationalError):\n        return True\n",
        ["tests/security/test_doors.py::test_only_a_lost_or_busy_database_counts_as_an_outage"],
    ),
    (
        "sanitiser un-escapes entities",
        "projects/text.py",
        'cleaned = nh3.clean(text.replace("&", "&amp;"),',
        "cleaned = nh3.clean(text,",
        ["tests/projects/test_text_and_uploads.py"],
    ),
    (
        "sanitiser keeps harmless-looking tags",
        "projects/text.py",
        "tags=set(), attributes={}, strip_comments=True",
        "strip_comments=True",
        ["tests/projects/test_text_and_uploads.py"],
    ),
    (
        "editors' search tokens only for participants-only projects",
        "projects/permissions.py",
        '        return ProjectPage.objects.values_list("pk", flat=True)\n',
        "        return ProjectPage.objects.filter(visibility=Visibility.PARTICIPANTS)"
        '.values_list("pk", flat=True)\n',
        [
            "tests/security/test_doors.py::"
            "test_editors_find_participants_only_logs_of_public_projects"
        ],
    ),
    (
        "impossible ids reach the database",
        "network/formfields.py",
        "        return not -_LIMIT < int(str(value).strip()) < _LIMIT\n",
        "        return False\n",
        ["tests/security/test_doors.py::test_trial_action_form_refuses_impossible_ids"],
    ),
    (
        "two senders claim the same deliveries",
        "newsletters/sending.py",
        "    claimed = Delivery.objects.filter(_claimable(edition), pk__in=",
        "    claimed = Delivery.objects.filter(pk__in=",
        ["tests/newsletters/test_sending.py::test_two_runs_never_claim_the_same_deliveries"],
    ),
    (
        "notifications checked at creation only",
        "newsletters/following.py",
        "        if seen[ref]:\n            shown.append(notification)\n",
        "        shown.append(notification)\n",
        [
            "tests/newsletters/test_following.py::test_permission_is_checked_at_delivery_not_at_creation"
        ],
    ),
    (
        "digest sent twice in one period",
        "newsletters/digests.py",
        "            return 0  # this period's digest has gone out already\n",
        "            pass\n",
        ["tests/newsletters/test_following.py::test_weekly_digest_once_a_week"],
    ),
    (
        "meeting link for everyone who can see the event",
        "projects/permissions.py",
        '    return event.registrations.filter(user=user, status="registered").exists()\n',
        "    return True\n",
        ["tests/projects/test_event_mails.py"],
    ),
]


def run(selected):
    results = []
    for name, path, original, mutated, tests in selected:
        file = ROOT / path
        source = file.read_text()
        if source.count(original) != 1:
            results.append((name, "stale", f"found {source.count(original)}x", ""))
            print(f"stale     {name}: original text found {source.count(original)}x", flush=True)
            continue
        started = time.monotonic()
        try:
            file.write_text(source.replace(original, mutated))
            done = subprocess.run(
                [PYTHON, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
        finally:
            file.write_text(source)
        outcome = "killed" if done.returncode != 0 else "SURVIVED"
        diff = "".join(
            difflib.unified_diff(
                original.splitlines(True), mutated.splitlines(True), path, path + " (mutant)"
            )
        )
        results.append((name, outcome, f"{time.monotonic() - started:.0f}s", diff))
        print(f"{outcome:9} {name} ({results[-1][2]})", flush=True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("-k", default="", help="only mutants whose name contains this")
    args = parser.parse_args()
    selected = [m for m in MUTANTS if args.k.lower() in m[0].lower()]
    results = run(selected)
    killed = sum(1 for r in results if r[1] == "killed")
    survived = [r for r in results if r[1] == "SURVIVED"]
    print(f"\nmutants tried: {len(results)}, killed: {killed}, survived: {len(survived)}")
    for name, _, _, diff in survived:
        print(f"\nsurvivor: {name}\n{diff}")
    return 1 if survived or any(r[1] == "stale" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
