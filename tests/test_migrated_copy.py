"""The kept copy of the migrated test database (tests/migrated.py) must never stand in
for migrations that changed: its name follows everything the migrations read."""

from tests import migrated


def test_the_copy_is_named_after_the_migrations_and_what_they_read(tmp_path, monkeypatch):
    migration = tmp_path / "0001_initial.py"
    migration.write_text("operations = []\n")
    data = tmp_path / "data"
    data.mkdir()
    (data / "municipalities.csv").write_text("code,name\n101,København\n")
    monkeypatch.setattr(migrated, "migration_files", lambda: [migration])
    monkeypatch.setattr(migrated, "ROOT", tmp_path)
    monkeypatch.setattr(migrated, "READ_BY_MIGRATIONS", ("data",))

    first = migrated.key()
    assert migrated.key() == first  # the same files, the same copy

    migration.write_text("operations = [1]\n")
    second = migrated.key()
    (data / "municipalities.csv").write_text("code,name\n101,Københavns Kommune\n")
    third = migrated.key()
    assert len({first, second, third}) == 3


def test_every_app_with_migrations_is_read():
    files = migrated.migration_files()
    apps = {path.parent.parent.name for path in files}
    # Django's, Wagtail's (its core app's folder is "wagtail") and ours.
    assert {"auth", "wagtail", "network", "projects", "search", "newsletters"} <= apps
    assert all(path.suffix == ".py" for path in files)
