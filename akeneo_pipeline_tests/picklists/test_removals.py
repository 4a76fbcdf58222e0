"""Removals confirmed with Akeneo before they are recorded: offset-paged lists edited while they
are read (the sandbox applies the edit between two pages), against a real warehouse.

Each run makes the calls the `picklists_refresh` job's assets make: `sync_catalog` for attributes
and their options, then `sync_picklists`, which confirms removals with the client.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from akeneo_pipeline.akeneo import AkeneoClient, AkeneoHTTPError
from akeneo_pipeline.picklists import PicklistCommit
from akeneo_pipeline.picklists.feed import feed_dir
from akeneo_pipeline.picklists.removals import Removals, confirm_removals, suspected_removals
from akeneo_pipeline.picklists.snapshot import OptionSnapshot
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.storage import Store
from akeneo_pipeline.sync import sync_catalog, sync_picklists
from akeneo_pipeline_tests.fixtures.sandbox import settings_for

T0 = datetime(2026, 5, 17, 2, 0, tzinfo=UTC)
OPTIONS = "/api/rest/v1/attributes/color/options"
Factory = Callable[..., SandboxServer]


def read_options(client: AkeneoClient, store: Store, run_id: str) -> None:
    for stream in ("attributes", "attribute_options"):
        sync_catalog(client, store, stream, run_id)


def picklist_run(store: Store, client: AkeneoClient, run_id: str, day: int) -> PicklistCommit:
    read_options(client, store, run_id)
    return sync_picklists(client, store, run_id, T0 + timedelta(days=day)).commit


def changes(result: PicklistCommit) -> list[tuple[str, str, str | None]]:
    return [(r["change_type"], r["attribute_code"], r["option_code"]) for r in result.changes]


def rows(store: Store, table: str, **where: Any) -> list[dict[str, Any]]:
    return [r for r in store.read_table(table).to_pylist() if all(r[k] == v for k, v in where.items())]


def current(store: Store, attribute: str) -> dict[str, dict[str, Any]]:
    return {r["option_code"]: r for r in rows(store, "picklist_current", attribute_code=attribute)}


def read_codes(store: Store, attribute: str) -> set[str]:
    return {r["code"] for r in rows(store, "attribute_options", attribute_code=attribute)}


def test_options_shifted_out_of_the_read_are_kept_and_real_removals_recorded(
    sandbox_factory: Factory, store: Store
) -> None:
    server = sandbox_factory(products=20)
    with AkeneoClient(settings_for(server, page_size=3)) as client:
        assert picklist_run(store, client, "run-1", 0).baseline
        # After the first page of color (black, blue, green): black and yellow go, zinc comes. The
        # list shifts back by one, so the second page starts at navy: grey is never read.
        for mutation, body in (("attribute-options/remove", {"attribute": "color", "code": "black"}),
                               ("attribute-options/remove", {"attribute": "color", "code": "yellow"}),
                               ("attribute-options/add", {"attribute": "color", "code": "zinc", "labels": {}})):
            server.schedule_mutation(OPTIONS, 1, mutation, body)
        server.clear_log()
        second = picklist_run(store, client, "run-2", 1)
        assert [a["error"] for a in server.schedule.applied] == [None] * 3
        assert "grey" not in read_codes(store, "color") and "black" in read_codes(store, "color")  # the shift
        assert changes(second) == [("removed", "color", "yellow"), ("added", "color", "zinc")]
        assert second.unconfirmed_removals == Removals((), (("color", "grey"),))
        lookups = [e.path for e in server.request_log if e.path.startswith(f"{OPTIONS}/")]
        assert sorted(lookups) == [f"{OPTIONS}/grey", f"{OPTIONS}/yellow"]  # only the suspects are asked about
        state = current(store, "color")
        assert state["grey"]["active"] and state["grey"]["changed_at"] == T0  # kept exactly as it was
        assert not state["yellow"]["active"] and state["zinc"]["active"]

        server.clear_log()
        third = picklist_run(store, client, "run-3", 2)  # a quiet read sees everything again
        assert changes(third) == [("removed", "color", "black")] and len(third.unconfirmed_removals) == 0
        assert current(store, "color")["grey"]["changed_at"] == T0
        assert not any(e.path.endswith("/grey") for e in server.request_log)
    history = rows(store, "picklist_changes", change_type="removed")
    assert sorted(r["option_code"] for r in history) == ["black", "yellow"]  # never grey


def test_an_attribute_shifted_out_of_the_attribute_list_keeps_its_options(
    sandbox_factory: Factory, store: Store
) -> None:
    server = sandbox_factory(products=20)
    catalog = server.catalog
    catalog.add_attribute("aa_note", "pim_catalog_text")  # sorts first
    catalog.add_attribute("zz_trim", "pim_catalog_simpleselect")  # sorts last
    catalog.add_option("zz_trim", "piping", {"en_US": "Piping"})
    with AkeneoClient(settings_for(server, page_size=2)) as client:
        picklist_run(store, client, "run-1", 0)
        # After page 1 (aa_note, brand) both new attributes go: page 2 starts at description, so
        # color is skipped, and zz_trim is really gone.
        server.schedule_mutation("/api/rest/v1/attributes", 1, "attributes/remove", {"code": "aa_note"})
        server.schedule_mutation("/api/rest/v1/attributes", 1, "attributes/remove", {"code": "zz_trim"})
        second = picklist_run(store, client, "run-2", 1)
    attributes_read = {r["code"] for r in rows(store, "attributes")}
    assert "color" not in attributes_read and "brand" in attributes_read  # the shift
    assert changes(second) == [("removed", "zz_trim", "piping"), ("attribute_removed", "zz_trim", None)]
    assert second.unconfirmed_removals == Removals(("color",), ())
    colors = {o["code"] for o in catalog.items("attribute_options") if o["attribute"] == "color"}
    state = current(store, "color")
    assert set(state) == colors and all(row["active"] and row["changed_at"] == T0 for row in state.values())
    active = rows(store, "picklist_attributes")
    assert {r["attribute_code"]: r["active"] for r in active if r["attribute_code"] in ("color", "zz_trim")} == {
        "color": True, "zz_trim": False}
    assert second.attribute_count == 5 and second.option_count == len(
        [o for o in catalog.items("attribute_options") if o["attribute"] != "zz_trim"])


def test_a_confirmation_that_keeps_failing_commits_nothing(sandbox_factory: Factory, store: Store) -> None:
    server = sandbox_factory(products=20)
    settings = settings_for(server, page_size=3, max_attempts=2, backoff_base=0.01, backoff_max=0.02)
    with AkeneoClient(settings) as client:
        picklist_run(store, client, "run-1", 0)
        server.catalog.remove_option("color", "red")
        server.catalog.add_option("color", "teal", {"en_US": "Teal"})
        read_options(client, store, "run-2")
        server.configure(fault_rate=1.0, fault_kinds=("503",))  # Akeneo fails after the read
        with pytest.raises(AkeneoHTTPError, match="503") as info:
            sync_picklists(client, store, "run-2", T0 + timedelta(days=1))
        assert info.value.path == f"{OPTIONS}/red"
        assert store.table_rows("picklist_changes") == 0
        assert current(store, "color")["red"]["active"] and "teal" not in current(store, "color")
        assert not feed_dir(store.data_dir).exists()
        server.configure(fault_rate=0.0)
        retried = sync_picklists(client, store, "run-2", T0 + timedelta(days=1)).commit
    assert changes(retried) == [("removed", "color", "red"), ("added", "color", "teal")]


class DictLookup:
    """Akeneo's get-one answers for the pure rules below (the sandbox tests cover the wire)."""

    def __init__(self, attributes: dict[str, dict[str, Any]], options: dict[tuple[str, str], dict[str, Any]]) -> None:
        self.attributes, self.options = attributes, options
        self.asked: list[str | tuple[str, str]] = []

    def get_attributes(self, codes: Iterable[str]) -> dict[str, dict[str, Any] | None]:
        codes = list(codes)
        self.asked += codes
        return {c: self.attributes.get(c) for c in codes}

    def get_attribute_options(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any] | None]:
        keys = list(keys)
        self.asked += keys
        return {k: self.options.get(k) for k in keys}


def snapshot(attributes: dict[str, str], options: dict[tuple[str, str], int]) -> OptionSnapshot:
    return OptionSnapshot.from_akeneo(
        [{"code": c, "type": t} for c, t in attributes.items()],
        [{"attribute": a, "code": o, "sort_order": n, "labels": {"en_US": o}} for (a, o), n in options.items()],
    )


def test_what_counts_as_confirmed() -> None:
    previous = snapshot(
        {"color": "pim_catalog_simpleselect", "size": "pim_catalog_multiselect",
         "brand": "pim_reference_data_simpleselect", "fit": "pim_catalog_simpleselect"},
        {("color", "red"): 1, ("color", "blue"): 2, ("size", "s"): 1, ("fit", "slim"): 1},
    )
    current = snapshot({"color": "pim_catalog_simpleselect"}, {("color", "blue"): 2})
    assert suspected_removals(previous, current) == Removals(("brand", "fit", "size"), (("color", "red"),))
    lookup = DictLookup(
        {"size": {"code": "size", "type": "pim_catalog_multiselect"},  # still there: shifted out
         "brand": {"code": "brand", "type": "pim_reference_data_simpleselect"},  # a select without options
         "fit": {"code": "fit", "type": "pim_catalog_text"}},  # no longer a select: removed as a picklist
        {("color", "red"): {"code": "red"}},
    )
    kept, unconfirmed = confirm_removals(previous, current, lookup)
    assert unconfirmed == Removals(("brand", "size"), (("color", "red"),))
    assert kept.attributes == {"color": "pim_catalog_simpleselect", "size": "pim_catalog_multiselect",
                               "brand": "pim_reference_data_simpleselect"}
    assert kept.options["size"] == previous.options["size"] and kept.options["color"] == previous.options["color"]
    assert unconfirmed.as_rows()[0] == {"attribute_code": "brand", "option_code": None}
    quiet = DictLookup({}, {})
    assert confirm_removals(previous, previous, quiet) == (previous, Removals()) and quiet.asked == []
