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
        "a trial action's purpose is shown unescaped",
        "projects/templates/projects/trial_action_detail.html",
        "{{ log.purpose|urlize|linebreaks }}",
        "{{ log.purpose|safe|linebreaks }}",
        ["tests/projects/test_text_and_uploads.py"],
    ),
    (
        "a comment is shown unescaped",
        "projects/templates/projects/trial_action_detail.html",
        "{{ c.text|urlize|linebreaks }}",
        "{% autoescape off %}{{ c.text|linebreaks }}{% endautoescape %}",
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
        "a dead sender's handed mail released as if never sent",
        "newsletters/sending.py",
        "    released = orphaned.filter(handed_at=None).update(",
        "    released = orphaned.update(",
        ["tests/newsletters/test_sending.py"],
    ),
    (
        "a killed sender on this host taken for alive until its lease runs out",
        "newsletters/sending.py",
        "        if run_host == host and not _pid_alive(pid):\n            continue\n",
        "",
        ["tests/newsletters/test_sending.py"],
    ),
    (
        "a mail recorded as sent before the server accepted it",
        "newsletters/sending.py",
        "                _mark_sent_and_handed(*accepted_pk, handed=pk)\n",
        "                _mark_sent(pk, '')\n",
        ["tests/newsletters/test_sending.py", "tests/newsletters/test_smtp.py"],
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
    # -- who sees what ----------------------------------------------------------------
    (
        "members-only profile shown to anonymous visitors",
        "network/permissions.py",
        "        return viewer.is_authenticated\n",
        "        return True\n",
        ["tests/network/test_profiles.py"],
    ),
    (
        "contact details shown without consent",
        "network/permissions.py",
        "    return member.contact_allowed and can_view_profile(viewer, member)\n",
        "    return can_view_profile(viewer, member)\n",
        ["tests/network/test_profiles.py"],
    ),
    (
        "experience shows a hidden contact person",
        "experiences/models.py",
        "            if contact and network_permissions.can_view_profile(request.user, contact)\n",
        "            if contact\n",
        ["tests/experiences/test_pages.py"],
    ),
    (
        "password-protected experience findable by members",
        "experiences/registrations.py",
        "        if restriction.restriction_type != PageViewRestriction.LOGIN:\n"
        "            return None\n",
        "",
        ["tests/search/test_indexing.py"],
    ),
    (
        "anonymous visitors see members-only projects",
        "projects/permissions.py",
        "    return level == Visibility.MEMBERS and user_role == MEMBER\n",
        "    return level == Visibility.MEMBERS\n",
        ["tests/projects/test_permissions.py"],
    ),
    (
        "log visibility is the less restrictive of log and project",
        "projects/permissions.py",
        "    rank = max(_RANK[log.visibility], _RANK[log.project.visibility])\n",
        "    rank = min(_RANK[log.visibility], _RANK[log.project.visibility])\n",
        [
            "tests/projects/test_permissions.py::"
            "test_effective_log_visibility_is_the_more_restrictive"
        ],
    ),
    (
        "anonymous listings show public logs of members-only projects",
        "projects/permissions.py",
        "    public = Q(visibility=LogVisibility.PUBLIC, project__visibility=Visibility.PUBLIC)\n",
        "    public = Q(visibility=LogVisibility.PUBLIC)\n",
        [
            "tests/projects/test_permissions.py::"
            "test_effective_log_visibility_is_the_more_restrictive",
            "tests/projects/test_permissions.py::"
            "test_municipality_page_lists_only_what_the_viewer_may_see",
        ],
    ),
    (
        "paused subscribers receive editions",
        "newsletters/permissions.py",
        "RECEIVING_STATUSES = (SubscriberStatus.ACTIVE,)\n",
        "RECEIVING_STATUSES = (SubscriberStatus.ACTIVE, SubscriberStatus.PAUSED)\n",
        ["tests/newsletters/test_sending.py"],
    ),
    (
        "draft editions in the public archive",
        "newsletters/permissions.py",
        "    return queryset.exclude(status=EditionStatus.DRAFT).exclude(send_started_at=None)\n",
        "    return queryset\n",
        ["tests/newsletters/test_content.py"],
    ),
    (
        "anonymous visitors hold the members search token",
        "search/registry.py",
        "    tokens = {PUBLIC}\n",
        "    tokens = {PUBLIC, MEMBERS}\n",
        ["tests/search/test_visibility.py"],
    ),
    (
        "search indexes a log by its own visibility only",
        "projects/searching.py",
        "        access=_token(permissions.effective_visibility(log), project.pk),\n",
        "        access=_token(log.visibility, project.pk),\n",
        ["tests/projects/test_search.py"],
    ),
    (
        "database search ranks hidden matches into the page",
        "search/backends/database.py",
        "                keep = allowed[ids]\n",
        "                keep = np.ones(len(ids), dtype=bool)\n",
        ["tests/search/test_visibility.py"],
    ),
    (
        "Elasticsearch query without the access filter",
        "search/backends/es_schema.py",
        '    query = Q("bool", filter=[access], must=text_query(request))\n',
        '    query = Q("bool", must=text_query(request))\n',
        ["tests/search/test_elasticsearch_dict.py"],
    ),
    (
        "project material served by its direct URL",
        "projects/wagtail_hooks.py",
        "    projects = [\n        m.project\n",
        "    projects = [] and [\n        m.project\n",
        ["tests/projects/test_permissions.py::test_permission_matrix"],
    ),
    (
        "trial action attachment served without a permission check",
        "projects/views.py",
        "    if not permissions.can_see_log(request.user, attachment.trial_action):\n"
        "        raise Http404\n",
        "",
        ["tests/projects/test_flows.py"],
    ),
    # -- what is sent -----------------------------------------------------------------
    (
        "who unsubscribes during sending still gets the edition",
        "newsletters/sending.py",
        "        .filter(subscriber__status__in=permissions.RECEIVING_STATUSES)\n",
        "",
        ["tests/newsletters/test_sending.py"],
    ),
    (
        "subscribers get sections of work areas they did not choose",
        "newsletters/segments.py",
        "        if item.work_area_id not in self.work_area_ids:\n            return False\n",
        "",
        ["tests/newsletters/test_sending.py"],
    ),
    (
        "a GET on the unsubscribe link unsubscribes",
        "newsletters/views.py",
        '    if request.method == "POST":\n'
        "        subscriptions.unsubscribe(subscriber, ConsentMethod.ONE_CLICK)\n",
        '    if request.method in ("GET", "POST"):\n'
        "        subscriptions.unsubscribe(subscriber, ConsentMethod.ONE_CLICK)\n",
        ["tests/newsletters/test_preferences.py"],
    ),
    (
        "replacing the manage key does not revoke old links",
        "newsletters/tokens.py",
        "    return Subscriber.objects.filter(pk=value[0], manage_key=value[1]).first()\n",
        "    return Subscriber.objects.filter(pk=value[0]).first()\n",
        ["tests/newsletters/test_preferences.py"],
    ),
    (
        "weekly digest keyed by the day",
        "newsletters/digests.py",
        "            sent += send_for(user_id, period=period_key(frequency, now), now=now)\n",
        "            sent += send_for(\n"
        "                user_id, period=period_key(DigestFrequency.DAILY, now), now=now\n"
        "            )\n",
        ["tests/newsletters/test_following.py"],
    ),
    # -- what is stored ---------------------------------------------------------------
    (
        "log title stored unsanitised",
        "projects/forms.py",
        'TEXT_FIELDS = ("title", "purpose",',
        'TEXT_FIELDS = ("purpose",',
        ["tests/projects/test_flows.py"],
    ),
    (
        "import lines applied outside one transaction",
        "network/importing.py",
        "        with transaction.atomic(), ExitStack() as batch:\n",
        "        with ExitStack() as batch:\n",
        ["tests/experiences/test_import.py", "tests/experiences/test_import_scale.py"],
    ),
    (
        "bulk-imported pages left without their live revision",
        "network/pages.py",
        "                live_revision=Subquery(only_revision),\n",
        "",
        ["tests/experiences/test_import_scale.py"],
    ),
    (
        "re-importing an unchanged experience publishes it again",
        "experiences/importing.py",
        '        if page_state(page) == data.state():\n            return "unchanged"\n',
        "",
        ["tests/experiences/test_import.py"],
    ),
    (
        "trial action import ignores its external_id",
        "projects/importing.py",
        '        log = TrialAction.objects.filter(external_id=record["external_id"]).first()\n',
        "        log = None\n",
        ["tests/projects/test_import.py"],
    ),
    # -- account protection -----------------------------------------------------------
    (
        "rate limit lets one attempt too many through",
        "network/ratelimit.py",
        "    return count is not None and count <= limit\n",
        "    return count is not None and count <= limit + 1\n",
        ["tests/config/test_proxy.py"],
    ),
    (
        "leftmost X-Forwarded-For entry trusted",
        "network/ratelimit.py",
        "            ip = entries[-count]\n",
        "            ip = entries[0]\n",
        ["tests/config/test_proxy.py"],
    ),
    (
        "allauth counts failed logins by its own idea of the client",
        "network/adapter.py",
        "        return ratelimit.client_ip(request)\n",
        "        return super().get_client_ip(request)\n",
        ["tests/config/test_proxy.py"],
    ),
    (
        "TOTP two-factor not offered",
        "config/settings/base.py",
        'MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]\n',
        'MFA_SUPPORTED_TYPES = ["recovery_codes"]\n',
        ["tests/network/test_accounts.py"],
    ),
    (
        "Wagtail's password-only login answers for restricted pages",
        "config/urls.py",
        '    path("_util/login/", site_login_redirect, name="wagtailcore_login"),\n',
        "",
        ["tests/security/test_doors.py::test_wagtail_login_forms_hand_over_to_allauth"],
    ),
    (
        "account deleted without the password",
        "network/forms.py",
        "        if not self.user.check_password(password):\n",
        "        if not password:\n",
        ["tests/network/test_personal_data.py"],
    ),
    (
        "remove mode deletes logs of projects that keep content",
        "projects/personal_data.py",
        "    for log in TrialAction.objects.filter("
        "author=user, project__members_may_remove_content=True):\n",
        "    for log in TrialAction.objects.filter(author=user):\n",
        ["tests/network/test_personal_data.py"],
    ),
    (
        "Elasticsearch writes without versions (a stale write can win)",
        "search/backends/elasticsearch.py",
        "        if version is not None:\n"
        '            action.update(version=version, version_type="external")\n'
        '        operations.append(({"index": action}',
        '        if False:\n            pass\n        operations.append(({"index": action}',
        [
            "tests/search/test_es_consistency.py::test_a_change_during_a_rebuild_is_in_the_new_index",
            "tests/search/test_es_consistency.py::test_a_stale_write_never_wins",
        ],
    ),
    (
        "during a rebuild changes go to the old index only",
        "search/indexing.py",
        "    indices = [rebuild_index] if rebuild_index else []\n",
        "    indices = []\n",
        ["tests/search/test_es_consistency.py::test_a_change_during_a_rebuild_is_in_the_new_index"],
    ),
    (
        "searches read Elasticsearch while writes wait",
        "search/backends/__init__.py",
        "    if writes_waiting():\n",
        "    if False:\n",
        [
            "tests/search/test_es_consistency.py::test_while_a_write_waits_searches_come_from_the_database"
        ],
    ),
    (
        "Elasticsearch written before the commit",
        "search/indexing.py",
        "    transaction.on_commit(_enqueue_send, robust=True)\n",
        "    _enqueue_send()\n",
        ["tests/search/test_es_consistency.py::test_nothing_is_sent_before_the_commit"],
    ),
    (
        "sent outbox rows deleted by key only",
        "search/indexing.py",
        "            condition |= Q(type=type_key, object_id=object_id, id__lte=key.newest_id)\n",
        "            condition |= Q(type=type_key, object_id=object_id)\n",
        ["tests/search/test_es_consistency.py::test_a_change_queued_during_a_send_stays_queued"],
    ),
    (
        "the breaker opens on any error",
        "search/backends/__init__.py",
        "    return isinstance(status, int) and (status >= 500 or status == 429)\n",
        "    return True\n",
        ["tests/search/test_es_consistency.py::test_only_an_outage_opens_the_breaker"],
    ),
    (
        "deep pages asked of Elasticsearch",
        "search/backends/__init__.py",
        "    if es is None or not elasticsearch_available() or window > MAX_RESULT_WINDOW:\n",
        "    if es is None or not elasticsearch_available():\n",
        ["tests/search/test_es_consistency.py::test_deep_pages_never_reach_elasticsearch"],
    ),
    (
        "a set-aside document stays in Elasticsearch",
        "search/indexing.py",
        "            if attempts >= MAX_ATTEMPTS and _take_out(es, ref, version, also):\n",
        "            if attempts >= MAX_ATTEMPTS:\n",
        ["tests/search/test_es_consistency.py::test_a_document_that_always_fails_is_set_aside"],
    ),
    (
        "a refused document stops the batch",
        "search/backends/elasticsearch.py",
        '        refused[(doc_type, object_id)] = f"{action} {status}: {error}"\n',
        '        raise ElasticsearchError(f"{action} {status}: {error}", status=500)\n',
        ["tests/search/test_es_consistency.py::test_a_document_that_always_fails_is_set_aside"],
    ),
    (
        "a send returns before its change is searchable",
        "search/backends/elasticsearch.py",
        '        return self._bulk(operations, refresh="wait_for", deadline=deadline)\n',
        "        return self._bulk(operations, deadline=deadline)\n",
        [
            "tests/search/test_es_consistency.py::test_a_sent_change_is_searchable_once_its_row_is_gone"
        ],
    ),
    (
        "a rebuild that lost its lease swaps anyway",
        "search/indexing.py",
        "        rebuild_seen_at__gte=now - datetime.timedelta(seconds=REBUILD_STALE_SECONDS),\n",
        "",
        ["tests/search/test_es_consistency.py::test_a_rebuild_that_lost_its_lease_does_not_swap"],
    ),
    (
        "a rebuild deletes the index of one started with it",
        "search/indexing.py",
        "        es.delete_orphans(keep=target, spare_seconds=REBUILD_STALE_SECONDS)\n",
        "        es.delete_orphans(keep=target)\n",
        [
            "tests/search/test_es_consistency.py::test_two_rebuilds_started_together_leave_one_good_index"
        ],
    ),
    (
        "a send past its deadline goes anyway",
        "search/backends/elasticsearch.py",
        "            if deadline is not None and time.monotonic() > deadline:\n",
        "            if False:\n",
        [
            "tests/search/test_es_consistency.py::test_a_send_too_late_for_its_version_writes_nothing"
        ],
    ),
    (
        "one broken document blocks the outbox",
        "search/indexing.py",
        "    refused.update(broken)\n",
        "    refused.update(broken)\n    if broken:\n        raise ValueError(broken)\n",
        [
            "tests/search/test_es_consistency.py::test_a_document_that_cannot_be_made_holds_up_no_other"
        ],
    ),
    (
        "a search waits for the bulk timeout to send",
        "search/backends/elasticsearch.py",
        '        if getattr(self._local, "quick", False):\n',
        "        if False:\n",
        [
            "tests/search/test_es_consistency.py::test_a_search_sends_waiting_writes_quickly_without_a_worker"
        ],
    ),
    (
        "typo corrections drawn from hidden content",
        "search/expansion.py",
        "    for candidate in database.vocabulary.closest_many(word, access, MAX_CORRECTIONS):\n",
        "    everything = frozenset({'public', 'members', 'project:7'})\n"
        "    for candidate in database.vocabulary.closest_many(word, everything, 3):\n",
        [
            "tests/search/test_visibility.py::"
            "test_typos_of_hidden_words_are_corrected_only_for_those_who_see_them"
        ],
    ),
    (
        "a shared agenda item counts in every event",
        "projects/searching.py",
        '        f"{a.title if holders.get(_item_key(a.title), event.pk) == event.pk'
        " else ''} \"\n",
        '        f"{a.title} "\n',
        ["tests/projects/test_search.py::test_an_agenda_item_every_event_has_counts_once"],
    ),
    (
        "question words count",
        "search/query.py",
        "    found = _searched(content) or _searched(typed)",
        "    found = _searched(typed)",
        ["tests/search/test_behaviour.py::test_a_question_ranks_like_its_key_words"],
    ),
    (
        "fewer-word fill drawn from members-only content",
        "search/service.py",
        '    more, _ = _search(backend, replace(request, match="any"))',
        '    more, _ = _search(backend, replace(request, match="any",'
        ' access=request.access | {"members"}))',
        [
            "tests/security/test_routes.py::"
            "test_longer_queries_with_a_private_word_answer_as_with_a_made_up_one"
        ],
    ),
    (
        "completions drawn from members-only vocabulary",
        "search/service.py",
        "    access = frozenset(registry.access_tokens(user))\n    backend = backends.reader()\n"
        "    try:\n        return backend.autocomplete(",
        '    access = frozenset(registry.access_tokens(user)) | {"members"}\n'
        "    backend = backends.reader()\n    try:\n        return backend.autocomplete(",
        [
            "tests/security/test_routes.py::"
            "test_search_answers_are_the_same_for_a_private_word_and_a_made_up_one"
        ],
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
