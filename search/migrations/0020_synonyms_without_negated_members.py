"""Take the members with »ikke« out of two seeded groups (search.0009): the search
drops »ikke« as a small word, so »ikke-forsikrede ledige« and »ikke-forsikrede« matched
»forsikrede ledige« and »forsikrede«, and »ikke-faglært« matched »faglært«, the
opposite (found when the admin began to refuse a word that is already in another
group: »forsikrede ledige« is in the group of the insured). The group »ufaglært,
ikke-faglært« has one member left and goes. The admin now refuses a member with
»ikke« in it."""

from django.db import migrations

SEEDED = "uforsikrede ledige, ikke-forsikrede ledige, ikke-forsikrede"
FIXED = "uforsikrede ledige, uforsikret"


UNSKILLED = "ufaglært, ikke-faglært"


def fix(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    SynonymGroup.objects.filter(words=SEEDED).update(words=FIXED)
    SynonymGroup.objects.filter(words=UNSKILLED).delete()


def unfix(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    SynonymGroup.objects.filter(words=FIXED).update(words=SEEDED)


class Migration(migrations.Migration):
    dependencies = [("search", "0019_term_counts")]

    operations = [migrations.RunPython(fix, unfix)]
