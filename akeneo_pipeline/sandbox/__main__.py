"""`python -m akeneo_pipeline.sandbox serve --port 8765 --products 10000 --seed 1`: one flag per
SandboxConfig field, so every knob of the sandbox is reachable from the shell
(`--timezone America/New_York` plays an on-premise PIM whose php.ini date.timezone is New York)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from akeneo_pipeline.sandbox.config import FAULT_KINDS, SandboxConfig
from akeneo_pipeline.sandbox.server import SandboxServer


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m akeneo_pipeline.sandbox", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the sandbox Akeneo until interrupted")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    for f in dataclasses.fields(SandboxConfig):
        flag = "--" + f.name.replace("_", "-")
        if f.name == "fault_kinds":
            serve.add_argument(flag, default=",".join(FAULT_KINDS), help="comma-separated subset of the default")
        elif f.type in ("bool",):
            serve.add_argument(flag, action=argparse.BooleanOptionalAction, default=f.default)
        else:
            kind = {"int": int, "float": float, "int | None": int, "float | None": float}.get(str(f.type), str)
            serve.add_argument(flag, type=kind, default=f.default)
    return p


def main(argv: list[str] | None = None) -> int:
    args = vars(parser().parse_args(argv))
    host, port = args.pop("host"), args.pop("port")
    args.pop("command")
    args["fault_kinds"] = tuple(k for k in args["fault_kinds"].split(",") if k)
    try:
        config = SandboxConfig(**args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    # A real Akeneo answers concurrent calls in parallel. Here one interpreter serves
    # them all: a short GIL switch interval keeps a request whose latency sleep has
    # ended from queueing 5 ms behind another request's JSON rendering.
    sys.setswitchinterval(0.0005)
    server = SandboxServer(config, host=host, port=port).start()
    # The sandbox's own made-up credentials: printing them is how the demo is wired up.
    print(json.dumps({"base_url": server.base_url, **server.credentials}), flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
