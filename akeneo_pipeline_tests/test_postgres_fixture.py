import sqlalchemy as sa


def test_postgres_server_answers_on_loopback(postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url)
    with engine.connect() as conn:
        assert str(conn.execute(sa.text("select inet_server_addr()::text")).scalar()).startswith("127.0.0.1")
        assert str(conn.execute(sa.text("show server_version")).scalar()).startswith("15")
    engine.dispose()
