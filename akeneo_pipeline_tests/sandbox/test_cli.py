"""`python -m akeneo_pipeline.sandbox serve` starts a working sandbox with every knob as a flag."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx

from akeneo_pipeline.sandbox.__main__ import parser


def test_every_config_field_has_a_flag() -> None:
    import dataclasses

    from akeneo_pipeline.sandbox import SandboxConfig

    args = vars(parser().parse_args(["serve"]))
    assert {f.name for f in dataclasses.fields(SandboxConfig)} <= set(args)
    parsed = vars(parser().parse_args(["serve", "--products", "50", "--no-retry-after", "--rps-limit", "7.5",
                                       "--fault-kinds", "500,drop", "--fault-on-nth", "3"]))
    assert (parsed["products"], parsed["retry_after"], parsed["rps_limit"], parsed["fault_on_nth"]) == \
        (50, False, 7.5, 3)


def test_serve_prints_its_address_and_answers() -> None:
    """Also as an on-premise PIM at UTC-5 in winter (`--timezone`): stamps carry its offset."""
    proc = subprocess.Popen([sys.executable, "-m", "akeneo_pipeline.sandbox", "serve", "--port", "0",
                             "--products", "25", "--seed", "4", "--timezone", "America/New_York",
                             "--anchor", "1767225600"], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        info = json.loads(line)
        token = httpx.post(f"{info['base_url']}/api/oauth/v1/token", auth=(info["client_id"], info["client_secret"]),
                           json={"grant_type": "password", "username": info["username"],
                                 "password": info["password"]}).json()["access_token"]
        body = httpx.get(f"{info['base_url']}/api/rest/v1/products-uuid", params={"with_count": "true"},
                         headers={"Authorization": f"Bearer {token}"}).json()
        assert body["items_count"] == 25
        offsets = {item["updated"][19:] for item in body["_embedded"]["items"]}
        assert offsets <= {"-05:00", "-04:00"} and "-05:00" in offsets
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_bad_flag_value_is_a_clear_error() -> None:
    result = subprocess.run([sys.executable, "-m", "akeneo_pipeline.sandbox", "serve", "--fault-rate", "2"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "fault_rate must be between 0 and 1" in result.stderr
    result = subprocess.run([sys.executable, "-m", "akeneo_pipeline.sandbox", "serve", "--timezone", "Mars/Olympus"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "timezone must be an IANA time zone" in result.stderr
