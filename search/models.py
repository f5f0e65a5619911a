"""The database search index, the queue of Elasticsearch writes, query statistics
and editors' promotions.

The index lives in ordinary tables plus one full-text structure per database:
an FTS5 table `search_fts` on SQLite, a `vector tsvector` column on
`search_searchentry` on PostgreSQL (both created by migration 0002, outside the
ORM). Both hold the terms search.analysis produced, never the database's own
stemming, so both databases find exactly the same documents.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import models
from django.utils import timezone

from . import analysis


class SearchEntry(models.Model):
    """One indexed document (a registered type's SearchDocument), as shown in results."""

    type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    access = models.CharField(max_length=80, db_index=True)
    title = models.CharField(max_length=500)
    url = models.CharField(max_length=500)
    municipalities = models.JSONField(default=list)
    topics = models.JSONField(default=list)
    project_key = models.CharField(max_length=100, blank=True)
    project_title = models.CharField(max_length=300, blank=True)
    date = models.DateField(null=True, blank=True, db_index=True)
    # SearchDocument.published, else its date: what *Nyeste* sorts by.
    published = models.DateField(null=True, blank=True)
    external_id = models.CharField(max_length=100, null=True, blank=True)
    # "facet=value" tokens (the SearchFacetValue rows), read in one pass to count facets.
    facets = models.TextField(blank=True)
    indexed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "søgeindeks-post"
        verbose_name_plural = "søgeindeks"
        constraints = [
            models.UniqueConstraint(fields=["type", "object_id"], name="search_entry_unique")
        ]

    def __str__(self):
        return f"{self.type}:{self.object_id} {self.title}"


class SearchEntryText(models.Model):
    """The long text of an entry, for snippets, kept out of SearchEntry so that the
    rows every search reads (access, date, facets) stay small: SQLite would otherwise
    walk each row's body overflow pages to reach the columns after it."""

    entry = models.OneToOneField(
        SearchEntry, on_delete=models.CASCADE, primary_key=True, related_name="text"
    )
    body = models.TextField(blank=True)
    extra = models.TextField(blank=True)
    # The vocabulary words counted in SearchTerm, kept to uncount them on change.
    words = models.TextField(blank=True)

    def __str__(self):
        return str(self.entry_id)


class SearchFacetValue(models.Model):
    """One facet value of an entry (type, municipality, region, topic, project, year):
    filters and facet counts are joins on this table."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="facet_values")
    facet = models.CharField(max_length=12)
    value = models.CharField(max_length=100)

    class Meta:
        indexes = [
            models.Index(fields=["facet", "value", "entry"], name="search_facet_value"),
            models.Index(fields=["entry", "facet", "value"], name="search_facet_entry"),
        ]

    def __str__(self):
        return f"{self.facet}={self.value}"


class SearchTermCount(models.Model):
    """How many documents of one access token hold an index term, each document once
    (in any field). Summed over a reader's tokens: how many documents they may see hold
    it, the weight of a word when SQLite ranks their best matches (FTS5's own counts
    take in what they may not see: backends.database._reranked). SQLite only."""

    access = models.CharField(max_length=80)
    term = models.CharField(max_length=100)
    documents = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["access", "term"], name="search_termcount_unique")
        ]

    def __str__(self):
        return f"{self.term} ({self.access}: {self.documents})"


class SearchTerm(models.Model):
    """How many documents of one access token contain a word: the vocabulary behind
    "Mente du" and autocomplete. Kept per token so a word that occurs only in
    content a user may not see is never offered to them."""

    access = models.CharField(max_length=80)
    word = models.CharField(max_length=100)
    key = models.CharField(max_length=100)  # analysis.vocabulary_key(word)
    # analysis.term_of(word), the term the index holds for it: summed over a reader's
    # tokens, how many documents they may see hold a term (search.feedback).
    term = models.CharField(max_length=100, blank=True, default="")
    length = models.PositiveSmallIntegerField()
    documents = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["access", "word"], name="search_term_unique")
        ]
        indexes = [
            models.Index(fields=["access", "key"], name="search_term_key"),
            models.Index(fields=["access", "term"], name="search_term_term"),
        ]

    def __str__(self):
        return f"{self.word} ({self.access}: {self.documents})"


class PendingWrite(models.Model):
    """The Elasticsearch outbox: one row per change of a document, written in the same
    transaction as the document's database index entry, so no committed change can be
    missed. The sender (`indexing.send_pending`) rebuilds the document from current
    content, so only the key counts; it deletes the rows it has sent by key and id, so
    a change queued while it was sending stays queued.

    A document Elasticsearch keeps refusing (a 4xx for that document alone) is retried
    with a growing pause, and after MAX_ATTEMPTS it is taken out of Elasticsearch and
    the row is kept with `failed_at` set: `search_index status` lists it, and
    `search_index replay --failed` tries it again."""

    type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["type", "object_id"], name="search_pending_key"),
            models.Index(fields=["failed_at", "next_attempt_at"], name="search_pending_due"),
        ]

    def __str__(self):
        return f"{self.type}:{self.object_id}"


class ElasticsearchState(models.Model):
    """One row (pk 1) that orders every write to Elasticsearch.

    `version` is the version clock: a sender (or a rebuild batch) takes the next value
    while it holds this row locked and loads the documents it will send, so a higher
    version always carries newer content. Documents are written with external
    versioning, so Elasticsearch keeps the newest whatever order writes arrive in.
    `rebuild_index` names the index a running rebuild writes into; senders write there
    as well as to the alias until the alias is swapped. `rebuild_seen_at` is the
    rebuild's last sign of life (renewed with every batch): a rebuild not seen for
    REBUILD_STALE_SECONDS is taken for dead, senders stop writing to its index, and it
    may no longer swap the alias."""

    version = models.BigIntegerField(default=0)
    rebuild_index = models.CharField(max_length=200, blank=True)
    rebuild_seen_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"version {self.version}"


class IndexState(models.Model):
    """One row (pk 1) whose `token` changes, to a new random value, in every
    transaction that writes the database index (search.backends.database). A
    search's match for a query is the same for as long as the token is, so it may be
    kept in the cache under it (search.backends.matchcache). Random rather than a
    counter: a rolled-back write or a restored database never hands an old token
    out again for other content."""

    token = models.CharField(max_length=32)

    def __str__(self):
        return self.token


class SearchQueryLog(models.Model):
    """One search (first page only), for editors' statistics. No user is stored."""

    query = models.CharField(max_length=200, db_index=True)
    results = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "søgning"
        verbose_name_plural = "søgninger"

    def __str__(self):
        return self.query


def promotion_key(query: str) -> str:
    """Queries that mean the same (word order, inflection, case) share a key."""
    return " ".join(sorted(set(analysis.terms(query))))


class SearchPromotion(models.Model):
    """An editor's choice: show this page first when someone searches for `query`.

    It is still subject to visibility: a promoted page the user may not see is not shown.
    """

    query = models.CharField(
        "søgning",
        max_length=200,
        help_text="Søgningen, siden skal vises øverst for. Bøjning, store/små bogstaver og "
        "ordenes rækkefølge er ligegyldige.",
    )
    query_key = models.CharField(max_length=200, editable=False, db_index=True)
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name="side", on_delete=models.CASCADE, related_name="+"
    )
    sort_order = models.PositiveSmallIntegerField("rækkefølge", default=0)
    note = models.CharField("note til redaktionen", max_length=200, blank=True)

    class Meta:
        ordering = ["query", "sort_order"]
        verbose_name = "fremhævet resultat"
        verbose_name_plural = "fremhævede resultater"

    def __str__(self):
        return f"{self.query} → {self.page}"

    def save(self, *args, **kwargs):
        self.query_key = promotion_key(self.query)
        super().save(*args, **kwargs)


# The most words and expressions in one group: each is matched in place of the others.
MAX_SYNONYMS = 20
# Letters and digits, with spaces, hyphens, apostrophes and full stops between them (no
# Elasticsearch synonym syntax: =>, backslash, #).
_SYNONYM_TEXT = re.compile(r"^[^\W_](?:[^\W_]|[ .'’-])*$")


def _split_members(text: str) -> list[str]:
    members = []
    for raw in text.replace("\n", ",").replace(";", ",").split(","):
        member = " ".join(raw.split())
        if member and member.lower() not in {m.lower() for m in members}:
            members.append(member)
    return members


class SynonymGroup(models.Model):
    """Words and expressions that mean the same in the field (førtidspension,
    invalidepension). Applied when a search is made, so a change needs no reindexing: a
    query word that is one of them also matches the others (search.expansion), and
    Elasticsearch gets the groups as a synonyms set for its `synonym_graph` filter."""

    words = models.TextField(
        "ord og udtryk",
        help_text=(
            "Adskil med komma. Fx: førtidspension, invalidepension. Et udtryk på flere "
            "ord (ondt i ryggen) findes, når dets ord står sammen i teksten; småord som "
            "»i« og »og« ser søgningen bort fra."
        ),
    )
    note = models.CharField("note", max_length=200, blank=True)
    updated_at = models.DateTimeField("ændret", auto_now=True)

    class Meta:
        verbose_name = "synonymgruppe"
        verbose_name_plural = "synonymgrupper"
        ordering = ["words"]

    def __str__(self):
        return ", ".join(self.members())

    def members(self) -> list[str]:
        return _split_members(self.words)

    def clean(self):
        from django.core.exceptions import ValidationError

        members = self.members()
        if len(members) < 2:
            raise ValidationError({"words": "Skriv mindst to ord eller udtryk, adskilt af komma."})
        if len(members) > MAX_SYNONYMS:
            raise ValidationError(
                {"words": f"Højst {MAX_SYNONYMS} ord eller udtryk i en gruppe, her {len(members)}."}
            )
        seen: dict[tuple[str, ...], str] = {}
        for member in members:
            if len(member) > 80:
                raise ValidationError({"words": f"»{member[:40]}…« er for langt (højst 80 tegn)."})
            if not _SYNONYM_TEXT.match(member):
                raise ValidationError(
                    {"words": f"»{member}«: brug kun bogstaver, tal, mellemrum og bindestreg."}
                )
            terms = tuple(analysis.terms(member))
            if not terms:
                raise ValidationError(
                    {"words": f"»{member}« består kun af småord, som søgningen ser bort fra."}
                )
            if "ikke" in re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", member).lower()):
                rest = " ".join(analysis.terms(member))
                raise ValidationError(
                    {
                        "words": f"»{member}«: søgningen ser bort fra »ikke«, så det ville "
                        f"finde det modsatte (»{rest}«). Skriv fx »u…« i stedet."
                    }
                )
            if terms in seen:
                raise ValidationError(
                    {"words": f"»{member}« og »{seen[terms]}« er det samme ord for søgningen."}
                )
            seen[terms] = member
        same = set(seen)
        others = [
            (other, {tuple(analysis.terms(word)) for word in other.members()})
            for other in SynonymGroup.objects.exclude(pk=self.pk)
        ]
        for other, terms in others:
            if terms == same:
                raise ValidationError({"words": f"Den samme gruppe findes allerede: {other}."})
        # A word in two groups matches both, but the groups do not reach each other's
        # words through it (an outside walk added »makkerordning, buddy-ordning« beside
        # the group with »makkerordning« and »buddyordning«, and expected them to meet).
        for other, terms in others:
            if shared := terms & same:
                raise ValidationError(
                    {
                        "words": f"»{seen[min(shared)]}« står allerede i gruppen »{other}«. "
                        "Tilføj de nye ord dér, så de alle hører sammen."
                    }
                )
        self.words = ", ".join(members)
