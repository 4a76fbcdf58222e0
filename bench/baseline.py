"""The baseline the pipeline is measured against: the plainest correct reader.

One httpx client, one request at a time, `products-uuid?pagination_type=search_after
&limit=100` following `_links.next` to the end, as Akeneo's documentation shows.
It parses each page as JSON (any consumer must) and counts the items.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import httpx

from akeneo_pipeline.settings import AkeneoSettings

PRODUCTS_PATH = "/api/rest/v1/products-uuid"


@dataclass
class BaselineResult:
    items: int
    requests: int
    throttled: int


def password_token(settings: AkeneoSettings, http: httpx.Client) -> str:
    response = http.post(
        "/api/oauth/v1/token",
        auth=(settings.client_id or "", settings.client_secret.get_secret_value() if settings.client_secret else ""),
        json={"grant_type": "password", "username": settings.username,
              "password": settings.password.get_secret_value() if settings.password else ""},
    )
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


def read_sequentially(settings: AkeneoSettings) -> BaselineResult:
    """Every product once, one page after the other; a 429 is waited out and retried."""
    with httpx.Client(base_url=settings.base_url, timeout=httpx.Timeout(120.0, connect=5.0)) as http:
        headers = {"Authorization": f"Bearer {password_token(settings, http)}"}
        url: str = PRODUCTS_PATH
        params: dict[str, str | int] | None = {"pagination_type": "search_after", "limit": 100}
        result = BaselineResult(0, 0, 0)
        while True:
            response = http.get(url, params=params, headers=headers)
            result.requests += 1
            if response.status_code == 429:
                result.throttled += 1
                continue
            response.raise_for_status()
            body = json.loads(response.content)
            result.items += len(body["_embedded"]["items"])
            next_link = body["_links"].get("next")
            if next_link is None:
                return result
            url, params = next_link["href"], None
