"""RSS 2.0 and Atom feeds of experiences, filtered like the listing
(`?omraade=sygedagpenge`, `?kommune=aarhus`, ...)."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

FEED_SIZE = 30


class ExperienceRssFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "da"

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def get_object(self, request, *args, **kwargs):
        from .queries import ExperienceFilter

        self.request = request
        return ExperienceFilter(request.GET, base=self.index_page.experiences())

    def title(self, experience_filter):
        labels = [chip["label"] for chip in experience_filter.active()]
        suffix = f": {', '.join(labels)}" if labels else ""
        return f"Erfaringer{suffix} – Beskæftigelsesnetværket"

    def link(self, experience_filter):
        query = experience_filter.querystring()
        return self.index_page.url + (f"?{query}" if query else "")

    def feed_url(self, experience_filter):
        """The feed's own address, filters included (RSS atom:link rel=self, Atom's
        link rel=self): a reader that follows it gets the same feed."""
        query = experience_filter.querystring()
        return self.request.path + (f"?{query}" if query else "")

    def description(self, experience_filter):
        return "Nye erfaringer fra landets jobcentre."

    def items(self, experience_filter):
        return experience_filter.with_related(experience_filter.queryset()[:FEED_SIZE])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        from datetime import datetime, time

        from django.utils import timezone

        # The article's date, at 8 in the morning; never later than it was published
        # (an article published at 7:46 had 8:00, a time to come, which some feed
        # readers hide: an outside walk).
        moment = timezone.make_aware(datetime.combine(item.published_date, time(8, 0)))
        published = item.first_published_at
        return min(moment, published) if published else moment

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return item.author or None

    def item_categories(self, item):
        return [area.name for area in item.work_areas.all()] + [
            m.name for m in item.municipalities.all()
        ]


class ExperienceAtomFeed(ExperienceRssFeed):
    feed_type = Atom1Feed
    subtitle = ExperienceRssFeed.description
    # RFC 4287: an entry with no author of its own inherits the feed's.
    author_name = "Beskæftigelsesnetværket"
