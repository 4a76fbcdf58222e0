"""`watch_options`, the change sensor's look at attribute options, against the sandbox: a slice of
attributes per look within the request budget or the deadline, resumed where it stopped, a silent
first pass, then every kind of change (an option relabelled, an attribute added or removed) once."""

from __future__ import annotations

import time
from collections.abc import Callable

from akeneo_pipeline.akeneo import AkeneoClient
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.sync.option_watch import OptionWatch, watch_options
from akeneo_pipeline_tests.fixtures.sandbox import settings_for

FAR = float("inf")


def _whole_pass(client: AkeneoClient, watch: OptionWatch) -> list[str]:
    changed: list[str] = []
    while True:
        look = watch_options(client, watch, max_requests=8, deadline=FAR)
        changed += look.changed
        if look.pass_complete:
            return changed


def test_slices_resume_and_each_change_is_reported_once(sandbox_factory: Callable[..., SandboxServer]) -> None:
    server = sandbox_factory(products=20, seed=7, extra_select_attributes=12, options_per_extra_attribute=30)
    watch = OptionWatch()
    with AkeneoClient(settings_for(server)) as client:
        first = watch_options(client, watch, max_requests=8, deadline=FAR)
        assert not first.pass_complete and first.cut_short == "request budget" and first.requests <= 8
        assert first.changed == [] and first.total == 17  # 5 select attributes of the catalog and 12 more
        read = first.read
        while not (look := watch_options(client, watch, max_requests=8, deadline=FAR)).pass_complete:
            assert look.changed == [] and look.requests <= 8
            read += look.read
        read += look.read
        assert read == 17 and watch.passes == 1 and watch.fingerprint is not None
        assert _whole_pass(client, watch) == []  # nothing changed: nothing reported
        baseline = watch.fingerprint

        server.catalog.relabel_option("picklist_0007", "value_00003", "en_US", "Changed")
        server.catalog.add_attribute("new_select", "pim_catalog_simpleselect")
        server.catalog.remove_attribute("picklist_0002")
        assert sorted(_whole_pass(client, watch)) == ["new_select", "picklist_0002", "picklist_0007"]
        assert watch.fingerprint != baseline
        assert _whole_pass(client, watch) == []  # judged once


def test_a_spent_deadline_reads_nothing_and_keeps_its_place(sandbox_factory: Callable[..., SandboxServer]) -> None:
    server = sandbox_factory(products=20, seed=7)
    watch = OptionWatch()
    with AkeneoClient(settings_for(server)) as client:
        look = watch_options(client, watch, max_requests=100, deadline=time.monotonic() - 1)
    assert look.cut_short == "deadline" and look.read == 0 and len(watch.pending) == look.total == 5
