"""Credentials failing during unattended runs of the sync functions the assets call: a token that
expires mid-run, a refresh token Akeneo no longer honours (log in again), and a password changed
in Akeneo (one clear error, no retry storm, nothing written; the next run with the new password
recovers)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from akeneo_pipeline.akeneo import AkeneoAuthError, AkeneoClient
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.storage import Store
from akeneo_pipeline.streams import ENTITY_STREAMS
from akeneo_pipeline.sync import sync_entities
from akeneo_pipeline_tests.fixtures.pipeline import Proof, assert_matches_sandbox, load_catalog, run_pipeline
from akeneo_pipeline_tests.fixtures.sandbox import settings_for

Factory = Callable[..., SandboxServer]
TOKEN = "/api/oauth/v1/token"
PRODUCTS_PATH = "/api/rest/v1/products-uuid"


def token_calls(server: SandboxServer) -> list[int]:
    return [e.status for e in server.request_log if e.path == TOKEN]


def parquet_files_of(data_dir: Path, run_id: str) -> list[Path]:
    return list((data_dir / "parquet").glob(f"*/run={run_id}/*.parquet"))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "data", f"duckdb:///{tmp_path / 'warehouse.duckdb'}", batch_rows=30)


def test_token_expiring_mid_run_is_refreshed_and_the_run_is_exact(sandbox_factory: Factory, store: Store) -> None:
    # One call at a time, 40 ms each: the night lasts seconds, the token one.
    server = sandbox_factory(products=200, seed=2, token_lifetime=1, latency_ms=40)
    proof = Proof("access token expiring in the middle of a run")
    with AkeneoClient(settings_for(server, page_size=10, max_concurrency=1)) as client:
        load_catalog(client, store, "night-1")
        for kind in ENTITY_STREAMS:
            sync_entities(client, store, kind, "night-1")
        tokens = client._transport.tokens
        assert tokens.logins == 1 and tokens.refreshes >= 2, (tokens.logins, tokens.refreshes)
    proof.runs += 1
    proof.rows_compared += assert_matches_sandbox(store, server.catalog)
    calls = token_calls(server)
    assert set(calls) == {200} and len(calls) == 1 + tokens.refreshes  # one login, then refreshes only
    assert len([e for e in server.request_log if e.status == 401]) <= 4  # renewed before expiry, not after failures
    proof.faults["token expiries"] = tokens.refreshes
    proof.report()


def test_a_refresh_token_akeneo_no_longer_honours_means_logging_in_again(
    sandbox_factory: Factory, store: Store
) -> None:
    """Akeneo drops refresh tokens once they expire (FOSOAuthServerBundle's refresh token lifetime); a
    run outliving one logs in again, once per refused refresh, and loses nothing."""
    server = sandbox_factory(products=200, seed=2, token_lifetime=1, refresh_token_lifetime=0.5, latency_ms=40)
    proof = Proof("refresh token refused mid run")
    run_pipeline(settings_for(server, page_size=10, max_concurrency=1), store, "night-1", picklists=False)
    calls = token_calls(server)
    refused = calls.count(422)
    assert refused >= 1 and calls == [200] + [422, 200] * refused  # login, then refused refresh + login: no storm
    proof.runs += 1
    proof.faults["refresh tokens refused"] += refused
    proof.rows_compared += assert_matches_sandbox(store, server.catalog)
    proof.report()


def test_password_changed_in_akeneo_gives_one_clear_error_and_writes_nothing(
    sandbox_factory: Factory, store: Store
) -> None:
    server = sandbox_factory(products=150, seed=2)
    settings = settings_for(server, page_size=10)
    proof = Proof("password changed in Akeneo")
    run_pipeline(settings, store, "night-1")
    cursor, rows = store.get_cursor("products"), store.table_rows("products")

    # Between runs: the next run cannot log in. One token request, one error, nothing written.
    server.catalog.change_password("rotated-by-an-admin-7c1")
    server.catalog.update_products(30)
    server.clear_log()
    with pytest.raises(AkeneoAuthError) as raised:
        run_pipeline(settings, store, "night-2")
    message = str(raised.value)
    assert "AKENEO_PASSWORD" in message and "No user found" in message and raised.value.status == 422
    assert "rotated-by-an-admin-7c1" not in message and server.credentials["client_secret"] not in message
    assert token_calls(server) == [422] and len(server.request_log) == 1
    assert store.get_cursor("products") == cursor and store.table_rows("products") == rows
    assert parquet_files_of(store.data_dir, "night-2") == []

    # During a run: an admin changes the password after the products read began; at the next renewal
    # of the token (its refresh token long gone) the refresh and the login are refused, and the load
    # stops with the same clear error, the cursor where it was. A full read at 100 ms a page lasts
    # well past the half-second token.
    server.catalog.change_password("sandbox_password")
    server.configure(token_lifetime=0.5, refresh_token_lifetime=0.01, latency_ms=100)
    server.schedule_mutation(PRODUCTS_PATH, 1, "password", {"new_password": "rotated-again-9d2"})
    server.clear_log()
    with (
        AkeneoClient(settings_for(server, page_size=10, max_concurrency=1)) as client,
        pytest.raises(AkeneoAuthError, match="AKENEO_PASSWORD"),
    ):
        sync_entities(client, store, "products", "night-3", full_refresh=True)
    assert [a["error"] for a in server.schedule.applied] == [None]
    calls = token_calls(server)
    # Logins while the old password held (each after a refused refresh), then one refused refresh and
    # one refused login: no storm.
    assert calls[-2:] == [422, 422] and calls[0] == 200, calls
    assert calls[:-2] == [200] + [422, 200] * ((len(calls) - 3) // 2), calls
    assert store.get_cursor("products") == cursor
    proof.runs += 3
    proof.faults["password changes"] += 2

    # The operator sets the new password: the next run recovers and is exact.
    server.configure(token_lifetime=3600, refresh_token_lifetime=1_209_600, latency_ms=0)
    fixed = settings_for(server, page_size=10, password=server.credentials["password"])
    run_pipeline(fixed, store, "night-4")
    proof.runs += 1
    proof.rows_compared += assert_matches_sandbox(store, server.catalog)
    moved = store.get_cursor("products")
    assert moved is not None and cursor is not None and moved > cursor
    proof.report()
