"""The sandbox as an Enterprise PIM, edited between reads through its admin routes: records, assets and
table select options added, relabelled, edited and removed are stamped and served, also between two
pages of one read."""

from __future__ import annotations

from akeneo_pipeline_tests.fixtures.enterprise import API, epoch, iso_z, ok, post, search
from akeneo_pipeline_tests.fixtures.sandbox import SandboxAPI


def test_records_added_relabelled_edited_and_removed_are_stamped_and_served(ee: SandboxAPI) -> None:
    catalog = ee.server.catalog
    generation = catalog.generation
    before = catalog.now()
    added = post(ee, "reference-entity-records/add",
                 {"reference_entity": "brands", "code": "zephyr", "labels": {"en_US": "Zephyr", "fr_FR": "Zéphyr"}})
    assert added.status_code == 200, added.text
    assert catalog.generation == generation + 1
    got = ok(ee, "reference-entities/brands/records/zephyr")
    assert got["values"]["label"] == [{"locale": "en_US", "channel": None, "data": "Zephyr"},
                                      {"locale": "fr_FR", "channel": None, "data": "Zéphyr"}]
    assert epoch(got["created"]) == epoch(got["updated"]) >= before
    since = search(updated=[{"operator": ">", "value": iso_z(before - 1)}])
    assert [r["code"] for r in ee.walk(f"{API}/reference-entities/brands/records", search=since)[0]] == ["zephyr"]

    assert post(ee, "reference-entity-records/relabel", {"reference_entity": "brands", "code": "acme",
                                                         "locale": "de_DE", "label": "Akme"}).status_code == 200
    acme = ok(ee, "reference-entities/brands/records/acme")
    assert {"locale": "de_DE", "channel": None, "data": "Akme"} in acme["values"]["label"]
    assert epoch(acme["updated"]) >= before
    edited = post(ee, "reference-entity-records/update", {"reference_entity": "materials", "n": 3}).json()["codes"]
    changed, _ = ee.walk(f"{API}/reference-entities/materials/records", search=since)
    assert sorted(r["code"] for r in changed) == sorted(edited) and len(edited) == 3

    removed = post(ee, "reference-entity-records/remove", {"reference_entity": "brands", "code": "acme"})
    assert removed.status_code == 200
    assert ee.get(f"{API}/reference-entities/brands/records/acme").status_code == 404
    codes = [r["code"] for r in ee.walk(f"{API}/reference-entities/brands/records")[0]]
    assert "acme" not in codes and "zephyr" in codes and len(codes) == 120
    for bad in ({"reference_entity": "brands", "code": "zephyr"}, {"reference_entity": "nope", "code": "x"},
                {"reference_entity": "brands", "code": "no spaces"}):
        assert post(ee, "reference-entity-records/add", bad).status_code == 422


def test_assets_added_and_edited_are_read_incrementally(ee: SandboxAPI) -> None:
    before = ee.server.catalog.now()
    added = post(ee, "assets/add", {"asset_family": "packshots", "code": "packshot_new_0"}).json()
    assert added["values"]["media"][0]["data"].endswith(".jpg")
    edited = post(ee, "assets/update", {"asset_family": "packshots", "n": 2}).json()["codes"]
    since = search(updated=[{"operator": ">", "value": iso_z(before - 1)}])
    got, _ = ee.walk(f"{API}/asset-families/packshots/assets", search=since)
    assert sorted(a["code"] for a in got) == sorted(edited + ["packshot_new_0"])
    assert all(epoch(a["updated"]) >= before for a in got)
    assert post(ee, "assets/remove", {"asset_family": "packshots", "code": "packshot_new_0"}).status_code == 200
    assert ee.get(f"{API}/asset-families/packshots/assets/packshot_new_0").status_code == 404


def test_table_select_options_added_relabelled_and_removed(ee: SandboxAPI) -> None:
    catalog = ee.server.catalog
    stamp = epoch(ok(ee, "attributes/composition")["updated"])

    def material_options() -> dict[str, dict[str, str]]:
        table = ok(ee, "attributes/composition", with_table_select_options="true")["table_configuration"]
        return {o["code"]: o["labels"] for o in table[0]["options"]}

    body = {"attribute": "composition", "column": "material", "code": "hemp", "labels": {"en_US": "Hemp"}}
    assert post(ee, "table-select-options/add", body).status_code == 200
    assert material_options()["hemp"] == {"en_US": "Hemp"}
    assert epoch(ok(ee, "attributes/composition")["updated"]) > stamp
    assert post(ee, "table-select-options/add", dict(body, code="HEMP")).status_code == 422  # case-insensitive codes
    assert post(ee, "table-select-options/relabel", {"attribute": "composition", "column": "material", "code": "hemp",
                                                     "locale": "fr_FR", "label": "Chanvre"}).status_code == 200
    assert material_options()["hemp"] == {"en_US": "Hemp", "fr_FR": "Chanvre"}
    assert post(ee, "table-select-options/remove", {"attribute": "composition", "column": "material",
                                                    "code": "cotton"}).status_code == 200
    assert "cotton" not in material_options()
    assert catalog.enterprise.table_select_options("composition", "material")[-1]["code"] == "hemp"
    for bad in ({"attribute": "composition", "column": "percentage", "code": "x"},
                {"attribute": "color", "column": "material", "code": "x"}):
        assert post(ee, "table-select-options/add", bad).status_code == 422


def test_records_removed_between_two_pages_are_neither_served_twice_nor_invented(ee: SandboxAPI) -> None:
    path = f"{API}/reference-entities/brands/records"
    ee.server.schedule_mutation(path, 1, "reference-entity-records/remove",
                                {"reference_entity": "brands", "code": "acme"})  # on page 1, already read
    ee.server.schedule_mutation(path, 1, "reference-entity-records/remove",
                                {"reference_entity": "brands", "code": "vento"})  # on page 2, not yet read
    codes = [r["code"] for r in ee.walk(path)[0]]
    assert len(codes) == len(set(codes)) == 119 and "acme" in codes and "vento" not in codes
    assert ee.get(f"{path}/acme").status_code == 404
