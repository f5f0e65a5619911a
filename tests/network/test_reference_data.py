import pytest

from network.models import CompetenceProfile, Municipality, Region, WorkArea


def test_all_regions_and_municipalities_are_loaded_with_official_codes(db):
    assert Region.objects.count() == 5
    assert set(Region.objects.values_list("code", flat=True)) == {
        "1081",
        "1082",
        "1083",
        "1084",
        "1085",
    }
    assert Municipality.objects.count() == 98
    copenhagen = Municipality.objects.get(code="0101")
    assert copenhagen.name == "København"
    assert copenhagen.slug == "koebenhavn"
    assert copenhagen.region.name == "Region Hovedstaden"
    assert Municipality.objects.get(code="0580").slug == "aabenraa"
    assert all(len(code) == 4 for code in Municipality.objects.values_list("code", flat=True))


def test_the_fields_vocabulary_is_loaded(db):
    assert WorkArea.objects.count() == 10
    assert WorkArea.objects.get(slug="sygedagpenge").name == "Sygedagpenge og jobafklaring"
    assert CompetenceProfile.objects.count() == 5


@pytest.mark.django_db
def test_municipalities_are_listed_in_danish_alphabetical_order(client):
    """Aa is å in Danish names: Aabenraa, Aalborg and Aarhus come after Ærø, on every
    database (an outside walk found them first in the sign-up's list)."""
    from bs4 import BeautifulSoup

    from network.collation import danish_key

    names = list(Municipality.objects.values_list("name", flat=True))
    assert names[0] == "Albertslund"
    assert names[-4:] == ["Ærø", "Aabenraa", "Aalborg", "Aarhus"]
    assert names == sorted(names, key=danish_key)
    soup = BeautifulSoup(client.get("/konto/signup/").content, "html.parser")
    options = [o.text for o in soup.select("select[name=municipality] option") if o["value"]]
    assert options[-4:] == ["Ærø", "Aabenraa", "Aalborg", "Aarhus"]
