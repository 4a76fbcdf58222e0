"""Answers shaped the way some servers, and the proxies in front of them, shape them.

Off by default (the sandbox then answers as the documentation says); each knob of
SandboxConfig turns one on, at start or at run time through `configure`:

- `omit_items_count`: no `items_count` although `with_count=true` was asked. The
  pagination documentation (docs/rest-api_pagination.md) calls the count optional
  and costly ("it can decrease performance in a significative way", Swagger
  `with_count`); a server or cache may leave it out.
- `measurement_families_paged`: `/measurement-families` as a list page
  (`_embedded.items`, `_links.next`) like every other list, instead of the plain
  JSON array the Swagger file describes.
- `relative_links`: `_links` hrefs as absolute paths (`/api/rest/v1/...?...`), as a
  proxy rewriting hosts writes them; Akeneo writes absolute URLs (pagination doc).
- `omit_null_fields`: items without their null fields (`parent`, `family`, a root
  category's `parent`): the Swagger definitions type them `string` without saying
  null, and serialisers that skip nulls drop them.
- `error_body`: REST API errors as Akeneo writes them (`{"code", "message"}`,
  docs/rest-api_responses.md) or as a proxy replaces them: nginx's HTML error
  page, `{"error": ...}`, plain text, an empty body, or a debug proxy's echo of
  the request (headers included, so a client must scrub what it shows).
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from akeneo_pipeline.sandbox.config import SandboxConfig
from akeneo_pipeline.sandbox.paging import offset_envelope, offset_slice, parse_page_request


def reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def error_answer(status: int, body: dict[str, Any], style: str, request_line: str,
                 headers: list[tuple[str, str]]) -> tuple[bytes, str]:
    """(bytes, content type) of an error answer in `style` (SandboxConfig.error_body)."""
    message = str(body.get("message", reason(status)))
    if style == "html":  # nginx's default error page (proxy_intercept_errors)
        title = f"{status} {reason(status)}"
        page = (f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n"
                "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
        return page.encode(), "text/html"
    if style == "error":
        return json.dumps({"error": message}).encode(), "application/json"
    if style == "text":
        return f"{status} {reason(status)}: {message}".encode(), "text/plain"
    if style == "empty":
        return b"", "application/json"
    if style == "echo":
        lines = [f"{status} {reason(status)}", request_line, *(f"{k}: {v}" for k, v in headers)]
        return "\n".join(lines).encode(), "text/plain"
    return json.dumps(body).encode(), "application/json"


def paged(base: str, path: str, items: list[dict[str, Any]], query: dict[str, list[str]]) -> dict[str, Any]:
    """A plain list served as offset pages instead (`measurement_families_paged`)."""
    req = parse_page_request(query, search_after_allowed=False)
    return offset_envelope(base, path, req, list(offset_slice(req, items, capped=False)),
                           len(items) if req.with_count else None)


def reshape(answer: Any, config: SandboxConfig) -> Any:
    """Apply the answer-shaping knobs to a REST API answer (a page, a plain list or one item)."""
    if isinstance(answer, list):
        return [_item(i, config) if isinstance(i, dict) else i for i in answer]
    if not isinstance(answer, dict):
        return answer
    embedded = answer.get("_embedded")
    if isinstance(embedded, dict) and isinstance(embedded.get("items"), list):
        if config.omit_items_count:
            answer.pop("items_count", None)
        embedded["items"] = [_item(i, config) if isinstance(i, dict) else i for i in embedded["items"]]
        if config.relative_links:
            _relative(answer.get("_links"))
        return answer
    return _item(answer, config)


def _item(item: dict[str, Any], config: SandboxConfig) -> dict[str, Any]:
    if config.omit_null_fields:
        item = {k: v for k, v in item.items() if v is not None}
    if config.relative_links:
        _relative(item.get("_links"))
    return item


def _relative(links: Any) -> None:
    """Absolute URLs -> absolute paths with their query: `/api/rest/v1/products-uuid?...`."""
    if not isinstance(links, dict):
        return
    for link in links.values():
        href = link.get("href") if isinstance(link, dict) else None
        if isinstance(href, str):
            parts = urlsplit(href)
            link["href"] = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
