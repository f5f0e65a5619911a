"""Demo experiences for `seed_demo`; safe to run again (keyed by external id)."""

from network.models import User

from .demo_data import EXPERIENCES
from .factories import create_experience
from .models import ExperiencePage


def seed(stdout=None) -> None:
    created = 0
    for record in EXPERIENCES:
        if ExperiencePage.objects.filter(external_id=record["external_id"]).exists():
            continue
        contact = User.objects.filter(email=record.get("contact", "")).first()
        create_experience(
            record["title"],
            lead=record["lead"],
            published=record["published"],
            kind=record["kind"],
            municipalities=record["municipalities"],
            topics=record["topics"],
            profiles=record["profiles"],
            organisations=record["organisations"],
            author=record["author"],
            body=record["body"],
            contact=contact,
            external_id=record["external_id"],
        )
        created += 1
    if stdout:
        stdout.write(f"  experiences: {created} created, {len(EXPERIENCES) - created} existed")
