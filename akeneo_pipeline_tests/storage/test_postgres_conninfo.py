"""The warehouse URL as the libpq connection string the staging (ADBC) connection opens."""

from __future__ import annotations

from urllib.parse import quote

from psycopg.conninfo import conninfo_to_dict
from sqlalchemy.engine import make_url

from akeneo_pipeline.storage.postgres_conninfo import libpq_conninfo


def test_every_part_of_the_url_reaches_libpq_unchanged() -> None:
    secret = "p@ss w'o\\rd/?#%=x"
    url = make_url(f"postgresql+psycopg://loader:{quote(secret, safe='')}@db.example:6543/wh"
                   "?sslmode=verify-full&sslrootcert=/etc/ca.pem&application_name=akeneo")
    assert conninfo_to_dict(libpq_conninfo(url, 10)) == {
        "host": "db.example", "port": "6543", "dbname": "wh", "user": "loader", "password": secret,
        "sslmode": "verify-full", "sslrootcert": "/etc/ca.pem", "application_name": "akeneo",
        "connect_timeout": "10",
    }


def test_parts_the_url_leaves_out_are_left_to_libpq_defaults() -> None:
    info = conninfo_to_dict(libpq_conninfo(make_url("postgresql+psycopg:///wh?host=/run/postgresql"), 5))
    assert info == {"dbname": "wh", "host": "/run/postgresql", "connect_timeout": "5"}
