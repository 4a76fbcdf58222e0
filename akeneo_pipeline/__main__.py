"""`akeneo-pipeline` (or `python -m akeneo_pipeline`): the demo and set-up commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="akeneo-pipeline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="run the pipeline on the built-in sandbox Akeneo and DuckDB")
    demo.add_argument("--products", type=int, default=2000, help="products in the sandbox catalog")
    demo.add_argument("--data-dir", type=Path, default=Path("data/demo"), help="where Parquet and DuckDB land")
    demo.add_argument("--edition", choices=("community", "growth", "enterprise", "serenity"), default="community",
                      help="the Akeneo edition the sandbox plays (enterprise: reference entities, assets, tables)")
    demo.add_argument("--app-catalog", action="store_true",
                      help="connect as an Akeneo App and read only an App catalog's product selection")
    connect = commands.add_parser("connect-app", help="connect as an Akeneo App and save its access token")
    connect.add_argument("--env-file", type=Path, default=Path(".env"),
                         help="file to write AKENEO_ACCESS_TOKEN and AKENEO_APP_SCOPES to (mode 0600)")
    connect.add_argument("--port", type=int, default=8421, help="local port of the callback listener")
    connect.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for Akeneo's answer")
    browser = connect.add_mutually_exclusive_group()
    browser.add_argument("--open", dest="open_browser", action="store_true", default=None,
                         help="open the authorize URL in the browser without asking")
    browser.add_argument("--no-open", dest="open_browser", action="store_false", help="only print the URL")
    args = parser.parse_args(argv)

    if args.command == "demo" and args.app_catalog:
        from akeneo_pipeline.demo_app_catalog import run_app_catalog_demo

        run_app_catalog_demo(products=args.products, data_dir=args.data_dir)
    elif args.command == "demo":
        from akeneo_pipeline.demo import run_demo

        run_demo(products=args.products, data_dir=args.data_dir, edition=args.edition)
    elif args.command == "connect-app":
        from akeneo_pipeline.connect_app.command import run_connect_app

        return run_connect_app(args.env_file, args.port, args.timeout, args.open_browser)
    return 0


if __name__ == "__main__":
    sys.exit(main())
