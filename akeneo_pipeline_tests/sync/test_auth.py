"""Credentials failing during unattended runs: a token that expires mid-run, a refresh token
Akeneo refuses (log in again), and a password changed in Akeneo (one clear error, no retry
storm, nothing written; the next run with the new password recovers)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from akeneo_pipeline.akeneo import AkeneoAuthError, AkeneoClient
from akeneo_pipeline.sandbox import SandboxServer
from akeneo_pipeline.storage import Store
from akeneo_pipeline_tests.fixtures.sandbox import settings_for
from akeneo_pipeline_tests.reliability_pipeline import Proof, assert_matches_sandbox, load_catalog, run_pipeline

Factory = Callable[..., SandboxServer]
TOKEN = "/api/oauth/v1/token"


def token_calls(server: SandboxServer) -> list[int]:
    return [e.status for e in server.request_log if e.path == TOKEN]


def parquet_files_of(data_dir: Path, run_id: str) -> list[Path]:
    return list((data_dir / "parquet").glob(f"*/run={run_id}/*.parquet"))


def forget_tokens_after(pages: Iterator[list[dict]], server: SandboxServer, after: int,
                        new_password: str | None = None) -> Iterator[list[dict]]:
    """Mid-read, Akeneo forgets every access and refresh token (and may change the password)."""
    for number, page in enumerate(pages):
        if number == after:
            server.auth.access.clear()
            server.auth.refresh.clear()
            if new_password is not None:
                server.catalog.change_password(new_password)
        yield page


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "data", f"duckdb:///{tmp_path / 'warehouse.duckdb'}", batch_rows=30)


def pause_after(pages: Iterator[list[dict]], after: int, seconds: float) -> Iterator[list[dict]]:
    """Hands the pages over, sleeping past the token's lifetime once, in the middle of the load."""
    for number, page in enumerate(pages):
        if number == after:
            time.sleep(seconds)
        yield page


def test_token_expiring_mid_run_is_refreshed_and_the_run_is_exact(sandbox_factory: Factory, store: Store) -> None:
    server = sandbox_factory(products=200, seed=2, token_lifetime=1)
    proof = Proof("access token expiring in the middle of a load")
    with AkeneoClient(settings_for(server, page_size=10)) as client:
        load_catalog(client, store, "night-1")
        plan = client.plan_watermark(None)
        for stream, read in (("products", client.iter_products), ("product_models", client.iter_product_models)):
            store.load_incremental(stream, pause_after(read(), 2, 1.1), run_id="night-1",
                                   next_cursor=plan.next_watermark.isoformat(), identifier_attribute="sku")
        tokens = client._transport.tokens
        # The products read (20 pages, more than the workers' queue holds) always pauses
        # mid-read; product models may already be fetched by then, so at least one refresh.
        assert tokens.logins == 1 and tokens.refreshes >= 1, (tokens.logins, tokens.refreshes)
    proof.runs += 1
    proof.rows_compared += assert_matches_sandbox(store, server.catalog)
    calls = token_calls(server)
    assert set(calls) == {200} and len(calls) == 1 + tokens.refreshes  # one login, then refreshes only
    assert len([e for e in server.request_log if e.status == 401]) <= 4  # renewed before expiry, not after failures
    proof.faults["token expiries"] = tokens.refreshes
    proof.report()


def test_refused_refresh_token_logs_in_again_mid_load(sandbox_factory: Factory, store: Store) -> None:
    server = sandbox_factory(products=200, seed=2)
    settings = settings_for(server, page_size=10)
    proof = Proof("refresh token refused mid load")
    run_pipeline(settings, store, "night-1", picklists=False)
    server.catalog.update_products(80)
    server.clear_log()
    with AkeneoClient(settings) as client:
        plan = client.plan_watermark(None)
        store.load_incremental("products", forget_tokens_after(client.iter_products(), server, 3), run_id="night-2",
                               next_cursor=plan.next_watermark.isoformat(), identifier_attribute="sku")
        tokens = client._transport.tokens
        assert (tokens.logins, tokens.refreshes) == (2, 0)  # the refresh was refused: logged in again
    assert token_calls(server) == [200, 422, 200]  # login, refused refresh, login: no storm
    proof.runs += 2
    proof.faults["tokens revoked"] += 1
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

    # During a run: Akeneo drops the tokens and the password changes; the load stops with the same
    # clear error after one refresh and one login attempt, and the cursor stays.
    server.catalog.change_password("sandbox_password")
    server.clear_log()
    with AkeneoClient(settings) as client:
        plan = client.plan_watermark(datetime.fromisoformat(cursor))
        pages = forget_tokens_after(client.iter_products(updated_after=plan.updated_after), server, 1,
                                    new_password="rotated-again-9d2")
        with pytest.raises(AkeneoAuthError, match="AKENEO_PASSWORD"):
            store.load_incremental("products", pages, run_id="night-3", next_cursor=plan.next_watermark.isoformat(),
                                   identifier_attribute="sku")
    assert token_calls(server) == [200, 422, 422]  # login, refused refresh, refused login
    assert store.get_cursor("products") == cursor
    proof.runs += 3
    proof.faults["password changes"] += 2

    # The operator sets the new password: the next run recovers and is exact.
    fixed = settings_for(server, page_size=10, password=server.credentials["password"])
    run_pipeline(fixed, store, "night-4")
    proof.runs += 1
    proof.rows_compared += assert_matches_sandbox(store, server.catalog)
    assert store.get_cursor("products") > cursor
    proof.report()

