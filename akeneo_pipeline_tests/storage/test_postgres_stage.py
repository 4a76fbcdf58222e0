"""PostgreSQL staging by binary COPY (storage/postgres_stage.py): NUL text, leftover stages,
a merge that fails, and the password of the staging connection (its own libpq string)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy.engine import make_url

from akeneo_pipeline.storage import Store
from akeneo_pipeline.storage.errors import WarehouseError
from akeneo_pipeline.storage.postgres_stage import LEFTOVER_AFTER_SECONDS
from akeneo_pipeline_tests.fixtures.items import pages, product, product_uuid
from akeneo_pipeline_tests.fixtures.postgres import PostgresServer
from akeneo_pipeline_tests.fixtures.warehouse import execute, query

pytestmark = pytest.mark.postgres
STAGING = "akeneo_staging"
STAGES = "SELECT table_name FROM information_schema.tables WHERE table_schema = :s ORDER BY table_name"


def _stages(url: str) -> list[str]:
    return [r["table_name"] for r in query(url, STAGES, {"s": STAGING})]


def test_nul_in_text_and_json_becomes_the_replacement_character(postgres_url: str, tmp_path: Path) -> None:
    item = product(1)
    item["family"] = "t\x00shirt"  # a text column
    item["values"]["name"][0]["data"] = "nul \x00 byte"  # inside JSON, as `\u0000`
    item["values"]["k\x00ey"] = [{"locale": None, "scope": None, "data": 1}]  # a JSON key
    store = Store(tmp_path / "data", postgres_url)
    store.load_entities("products", [[item]], run_id="a", next_cursor="c1", identifier_attribute="sku")
    [row] = query(postgres_url, "SELECT family, CAST(raw AS TEXT) AS raw FROM akeneo.products")
    assert row["family"] == "t\ufffdshirt"
    raw = json.loads(row["raw"])
    assert raw["values"]["name"][0]["data"] == "nul \ufffd byte" and "k\ufffdey" in raw["values"]
    names = query(postgres_url, "SELECT CAST(data AS TEXT) AS data FROM akeneo.product_values "
                                "WHERE attribute_code = 'name' AND product_uuid = :u", {"u": product_uuid(1)})
    assert json.loads(names[0]["data"]) == "nul \ufffd byte"
    assert _stages(postgres_url) == []  # dropped once the load's transaction ended


def test_a_leftover_stage_is_dropped_at_start_and_a_fresh_one_kept(postgres_url: str, tmp_path: Path) -> None:
    old = f"stage_{int(time.time()) - LEFTOVER_AFTER_SECONDS - 60}_deadbeef0000"
    fresh = f"stage_{int(time.time())}_cafe00000000"  # another process may be merging it right now
    execute(postgres_url, f"CREATE SCHEMA {STAGING}")
    for name in (old, fresh):
        execute(postgres_url, f"CREATE UNLOGGED TABLE {STAGING}.{name} (x TEXT)")
    execute(postgres_url, f"CREATE TABLE {STAGING}.not_a_stage (x TEXT)")
    Store(tmp_path / "data", postgres_url).ensure_tables()
    assert _stages(postgres_url) == sorted([fresh, "not_a_stage"])


def test_a_merge_that_fails_changes_no_target_nor_cursor_and_leaves_no_stage(
    postgres_url: str, tmp_path: Path
) -> None:
    store = Store(tmp_path / "data", postgres_url, batch_rows=4)
    store.load_entities("products", pages([product(n) for n in range(1, 4)], 2), run_id="a", next_cursor="c1",
                        identifier_attribute="sku")
    before = query(postgres_url, "SELECT uuid, updated, run_id FROM akeneo.products ORDER BY uuid")
    # A DBA's trigger refuses every value row: the merge fails after the stage was committed.
    execute(postgres_url, "CREATE FUNCTION akeneo.refuse() RETURNS trigger LANGUAGE plpgsql AS "
                          "$$BEGIN RAISE EXCEPTION 'refused by trigger'; END$$")
    execute(postgres_url, "CREATE TRIGGER refuse BEFORE INSERT ON akeneo.product_values "
                          "FOR EACH ROW EXECUTE FUNCTION akeneo.refuse()")
    revised = [product(n, revision=1, updated="2020-01-01T00:00:00+00:00") for n in range(1, 4)]
    with pytest.raises(WarehouseError, match="refused by trigger"):
        store.load_entities("products", [revised], run_id="b", next_cursor="c2", identifier_attribute="sku")
    assert query(postgres_url, "SELECT uuid, updated, run_id FROM akeneo.products ORDER BY uuid") == before
    assert store.get_cursor("products") == "c1"
    assert _stages(postgres_url) == []


def test_a_password_with_special_characters_connects_and_never_shows(
    postgres_server: PostgresServer, postgres_url: str, tmp_path: Path
) -> None:
    secret = "p@ss w'o\\rd/?#%=x"
    parsed = make_url(postgres_url)
    role = f"loader_{parsed.database}"
    execute(postgres_url, f"CREATE ROLE {role} LOGIN PASSWORD '{secret.replace(chr(39), chr(39) * 2)}'")
    execute(postgres_url, f'GRANT CREATE ON DATABASE "{parsed.database}" TO {role}')
    url = f"postgresql+psycopg://{role}:{quote(secret, safe='')}@{parsed.host}:{parsed.port}/{parsed.database}"
    assert make_url(url).password == secret
    store = Store(tmp_path / "data", url)
    store.load_entities("products", [[product(1)]], run_id="a", next_cursor="c1", identifier_attribute="sku")
    assert store.table_rows("products") == 1  # the staging connection logged in with the same password
    # The staging schema's CREATE right taken away: the error comes from the ADBC connection.
    execute(postgres_url, f"ALTER SCHEMA {STAGING} OWNER TO {parsed.username}")
    execute(postgres_url, f"REVOKE CREATE ON SCHEMA {STAGING} FROM {role}")
    with pytest.raises(WarehouseError) as raised:
        store.load_entities("products", [[product(2)]], run_id="b", next_cursor="c2", identifier_attribute="sku")
    message = str(raised.value) + repr(raised.value)
    assert "permission denied" in message and "***" in message
    assert secret not in message and quote(secret, safe="") not in message and "w\\'o" not in message
    assert store.get_cursor("products") == "c1"
    store.close()
