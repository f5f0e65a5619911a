"""Load the demo content of every app, in dependency order. Safe to run again."""

from django.core.management.base import BaseCommand
from django.db import transaction

from experiences import demo as experiences_demo
from network import demo as network_demo
from network import importing
from newsletters import demo as newsletters_demo
from projects import demo as projects_demo
from search import demo as search_demo

from ... import demo as cockpit_demo

# Each app owns its demo content; add an app's `demo.seed` here in layer order.
SEEDERS = [
    cockpit_demo.site_address,
    cockpit_demo.seed_info_pages,  # the footer's pages (config/home/demo.py)
    network_demo.seed,
    experiences_demo.seed,
    projects_demo.seed,
    newsletters_demo.seed,
    search_demo.seed,
    cockpit_demo.seed,  # joins the apps: follows and notifications (config/home/demo.py)
]
# What needs the seed committed and indexed (a followed search's first look).
AFTER_INDEXING = [cockpit_demo.follow_search]


class Command(BaseCommand):
    help = (
        "Opretter demoindhold (organisationer, medlemmer, erfaringer, projekter). Kan køres igen."
    )

    def handle(self, *args, **options):
        self.stdout.write("Indlæser demoindhold …")
        # As an import: the layers above batch their follow-up work (search reindexes
        # everything the seed touched once, in bulk, instead of at every save).
        with transaction.atomic(), importing.registry.batch():
            for seed in SEEDERS:
                seed(stdout=self.stdout)
        for seed in AFTER_INDEXING:
            seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demoindhold er klar."))
        self.stdout.write(f"Demo-logins (adgangskode: {network_demo.DEMO_PASSWORD}):")
        shown = set()
        for email, *_rest, role in network_demo.MEMBERS:
            if role not in shown:
                shown.add(role)
                self.stdout.write(f"  {role:<12} {email}")
