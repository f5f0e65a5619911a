from django.db import migrations, models

SEED = [
    ("ledig, arbejdsløs, jobsøgende", "Borgere uden arbejde"),
    ("virksomhed, arbejdsgiver", ""),
    ("borger, klient", ""),
    ("møde, samtale", ""),
    ("STAR, Styrelsen for Arbejdsmarked og Rekruttering", "Styrelsen"),
    ("RAR, regionale arbejdsmarkedsråd, Det Regionale Arbejdsmarkedsråd", ""),
    ("LAB, LAB-loven, lov om en aktiv beskæftigelsesindsats", ""),
    ("FGU, forberedende grunduddannelse", ""),
    ("a-kasse, arbejdsløshedskasse", ""),
]


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for words, note in SEED:
        SynonymGroup.objects.get_or_create(words=words, defaults={"note": note})


class Migration(migrations.Migration):
    dependencies = [("search", "0006_rebuild_seen_at")]

    operations = [
        migrations.CreateModel(
            name="SynonymGroup",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "words",
                    models.TextField(
                        help_text="Adskil med komma. Fx: ledig, arbejdsløs, jobsøgende. Et udtryk på flere ord (Styrelsen for Arbejdsmarked og Rekruttering) findes, når alle dets ord står i teksten.",
                        verbose_name="ord og udtryk",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="ændret")),
            ],
            options={
                "verbose_name": "synonymgruppe",
                "verbose_name_plural": "synonymer",
                "ordering": ["words"],
            },
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
