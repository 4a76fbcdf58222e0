"""A SQLAlchemy PostgreSQL URL as a libpq connection string, for drivers that take one (ADBC).

Built as keyword=value pairs by psycopg's `make_conninfo`, which quotes and escapes
each value, so a password with spaces, quotes, '@' or '/' reaches libpq intact
(in a URI it would need percent-encoding). Query parameters of the URL (sslmode,
sslrootcert, application_name, ...) are libpq keywords already and pass through.
https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING
"""

from __future__ import annotations

from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import URL


def libpq_conninfo(url: URL, connect_timeout: int) -> str:
    params: dict[str, str | int] = {"connect_timeout": connect_timeout}
    for key, value in url.query.items():
        params[key] = value if isinstance(value, str) else ",".join(value)  # host=a&host=b: a list for libpq
    fields = {"host": url.host, "port": url.port, "dbname": url.database, "user": url.username,
              "password": url.password}
    params.update({k: v for k, v in fields.items() if v not in (None, "")})
    return make_conninfo("", **params)
