"""`python -m akeneo_pipeline.sandbox_salesforce serve --port 8766`: the sandbox Salesforce until
interrupted, one flag per SalesforceSandboxConfig field (lists comma-separated). It prints its
address and made-up credentials as one JSON line, the SALESFORCE_* values to point the target at."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from akeneo_pipeline.sandbox_salesforce.config import SalesforceSandboxConfig
from akeneo_pipeline.sandbox_salesforce.server import SandboxSalesforce


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m akeneo_pipeline.sandbox_salesforce", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the sandbox Salesforce until interrupted")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8766)
    for f in dataclasses.fields(SalesforceSandboxConfig):
        flag = "--" + f.name.replace("_", "-")
        if str(f.type).startswith("tuple"):
            serve.add_argument(flag, default=",".join(getattr(SalesforceSandboxConfig(), f.name)),
                               help="comma-separated")
        else:
            kind = {"int": int, "float": float}.get(str(f.type), str)
            serve.add_argument(flag, type=kind, default=f.default)
    return p


def main(argv: list[str] | None = None) -> int:
    args = vars(parser().parse_args(argv))
    host, port = args.pop("host"), args.pop("port")
    args.pop("command")
    for f in dataclasses.fields(SalesforceSandboxConfig):
        if str(f.type).startswith("tuple"):
            args[f.name] = tuple(item for item in args[f.name].split(",") if item)
    try:
        config = SalesforceSandboxConfig(**args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    server = SandboxSalesforce(config, host=host, port=port).start()
    # The sandbox's own made-up credentials: printing them is how a demo is wired up.
    print(json.dumps(server.credentials), flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
