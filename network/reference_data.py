"""The field's fixed vocabulary and the official municipality list.

Used by the data migration (and nowhere else writes these rows), so a fresh
database always has the 5 regions, 98 municipalities, the 10 work areas and the
competence profiles.
"""

import csv
from pathlib import Path

from .text import danish_slugify

MUNICIPALITIES_CSV = Path(__file__).parent / "data" / "municipalities.csv"

WORK_AREAS = [
    ("forsikrede-ledige", "Forsikrede ledige"),
    ("kontanthjaelp", "Kontanthjælp og uddannelseshjælp"),
    ("sygedagpenge", "Sygedagpenge og jobafklaring"),
    ("ressourceforloeb", "Ressourceforløb, fleksjob og førtidspension"),
    ("unge", "Unge"),
    ("integration", "Integration"),
    ("virksomhedsservice", "Virksomhedsservice og rekruttering"),
    ("digitalisering", "Digitalisering og digitale kontaktformer"),
    ("faglighed", "Faglighed, kompetencer og organisering"),
    ("ydelser", "Ydelser og rådighed"),
]

COMPETENCE_PROFILES = [
    ("basiskompetencer", "Basiskompetencer"),
    ("virksomhedsprofil", "Virksomhedsprofil"),
    ("kompetencematchprofil", "Kompetencematchprofil"),
    ("udviklingsprofil", "Udviklingsprofil"),
    ("helhedsprofil", "Helhedsprofil"),
]


def read_municipalities() -> list[dict]:
    with MUNICIPALITIES_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load(region_model, municipality_model, work_area_model, profile_model) -> None:
    """Create or update the reference rows; safe to run again."""
    rows = read_municipalities()
    regions = {}
    for row in rows:
        if row["region_code"] not in regions:
            regions[row["region_code"]], _ = region_model.objects.update_or_create(
                code=row["region_code"],
                defaults={"name": row["region_name"], "slug": danish_slugify(row["region_name"])},
            )
    for row in rows:
        municipality_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "slug": danish_slugify(row["name"]),
                "region": regions[row["region_code"]],
            },
        )
    for model, vocabulary in ((work_area_model, WORK_AREAS), (profile_model, COMPETENCE_PROFILES)):
        for order, (slug, name) in enumerate(vocabulary):
            model.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order})
