"""HTTP routes of the sandbox Salesforce.

    POST /services/oauth2/token                                     client credentials (auth.py)
    POST /services/data/vXX.X/metadata/deployRequest                multipart: json + file (deploys.py)
    GET  /services/data/vXX.X/metadata/deployRequest/{id}[?includeDetails=true]
    GET  /services/data/vXX.X/ui-api/object-info/{object}           fields and recordTypeInfos
    GET  /services/data/vXX.X/ui-api/object-info/{object}/picklist-values/{recordTypeId}/{field}
    /_sandbox/...                                                   admin routes (admin.py)

The UI API answers as "Get Values for a Picklist Field" documents
(developer.salesforce.com/docs/atlas.en-us.uiapi.meta/uiapi/ui_api_resources_picklist_values.htm,
response "Picklist Values": controllerValues, defaultValue, eTag, url, values of
{attributes, label, validFor, value}): the active values a record type offers, in order,
labelled in the org's master language (a real org labels them in the user's language).
REST errors are `[{"errorCode", "message"}]` lists.
"""

from __future__ import annotations

import hashlib
import json
import re
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from akeneo_pipeline.sandbox_salesforce import admin
from akeneo_pipeline.sandbox_salesforce.auth import OAuthRefused, SessionInvalid
from akeneo_pipeline.sandbox_salesforce.metadata_zip import PackageInvalid, read_deploy_zip
from akeneo_pipeline.sandbox_salesforce.org import MASTER_RECORD_TYPE_ID, ComponentResult, key

if TYPE_CHECKING:
    from akeneo_pipeline.sandbox_salesforce.server import SandboxSalesforce

DATA = re.compile(r"^/services/data/v(\d+\.\d)(/.*)$")


class RestError(Exception):
    def __init__(self, status: int, error_code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.body = status, [{"errorCode": error_code, "message": message}]


class SalesforceHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 120
    disable_nagle_algorithm = True
    server_version = "SalesforceSandbox/1.0"
    sandbox: SandboxSalesforce  # set on the subclass the server builds

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        status = 500
        try:
            status = self._route(method, url.path, query, raw)
        except RestError as exc:
            status = self._json(exc.status, exc.body)
        except OAuthRefused as exc:
            status = self._json(400, exc.body)
        except SessionInvalid:
            status = self._json(401, [{"errorCode": "INVALID_SESSION_ID", "message": "Session expired or invalid"}])
        except (BrokenPipeError, ConnectionResetError):
            status = 0
        except Exception as exc:  # a sandbox bug: answer 500 and keep it for tests to see
            self.sandbox.internal_errors.append(f"{method} {self.path}: {exc!r}")
            status = self._json(500, [{"errorCode": "UNKNOWN_EXCEPTION", "message": f"sandbox error: {exc!r}"}])
        finally:
            self.sandbox.log_request(method, url.path, status)

    def _route(self, method: str, path: str, query: dict[str, str], raw: bytes) -> int:
        sb = self.sandbox
        if path.startswith("/_sandbox/"):
            body = json.loads(raw) if raw else {}
            return self._json(200, admin.handle(sb, method, path[len("/_sandbox/"):], body))
        cfg = sb.config
        if cfg.fail_requests > 0:
            sb.configure(fail_requests=cfg.fail_requests - 1)
            return self._json(cfg.fail_status, [{"errorCode": "SERVER_UNAVAILABLE",
                                                 "message": "the sandbox answers an injected error"}])
        if path == "/services/oauth2/token" and method == "POST":
            if "application/x-www-form-urlencoded" not in (self.headers.get("Content-Type") or ""):
                raise OAuthRefused("invalid_request", "the token request must be form-encoded")
            form = {k: v[-1] for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()}
            return self._json(200, sb.auth.grant(form, sb.base_url))
        match = DATA.match(path)
        if match is None:
            raise RestError(404, "NOT_FOUND", "The requested resource does not exist")
        sb.auth.check(self.headers.get("Authorization"))
        version, rest = match.group(1), match.group(2).rstrip("/")
        if rest == "/metadata/deployRequest" and method == "POST":
            return self._json(201, self._deploy(version, raw))
        if rest.startswith("/metadata/deployRequest/") and method == "GET":
            return self._json(200, self._status(version, rest.rsplit("/", 1)[1], query))
        parts = [unquote(p) for p in rest.split("/")[1:]]
        if method == "GET" and parts[:2] == ["ui-api", "object-info"] and len(parts) == 3:
            return self._json(200, self._object_info(version, parts[2]))
        if method == "GET" and parts[:2] == ["ui-api", "object-info"] and len(parts) == 6 and \
                parts[3] == "picklist-values":
            return self._json(200, self._picklist_values(version, parts[2], parts[4], parts[5]))
        raise RestError(404, "NOT_FOUND", "The requested resource does not exist")

    # ---- Metadata API -------------------------------------------------------------------
    def _deploy(self, version: str, raw: bytes) -> dict[str, Any]:
        parts = _multipart(self.headers.get("Content-Type") or "", raw)
        if "json" not in parts or "file" not in parts:
            raise RestError(400, "INVALID_MULTIPART_REQUEST",
                            "a deploy request needs a 'json' part (deployOptions) and a 'file' part (the .zip)")
        try:
            options = json.loads(parts["json"]).get("deployOptions") or {}
        except (ValueError, AttributeError):
            raise RestError(400, "JSON_PARSER_ERROR", "the json part is not a JSON object") from None
        sb = self.sandbox
        job = sb.deploys.new(options)
        try:
            contents = read_deploy_zip(parts["file"], bool(options.get("singlePackage", False)))
        except PackageInvalid as exc:
            job.error_message = str(exc)
        else:
            with sb.org_lock:
                org, results = sb.org.deploy(contents.components, bool(options.get("rollbackOnError", True)))
                results += [ComponentResult(kind, name, "package.xml",
                                            f"An object '{name}' of type {kind} was named in package.xml, but was "
                                            "not found in zipped directory") for kind, name in contents.missing]
                if contents.missing and options.get("rollbackOnError", True):
                    org = sb.org
                if not options.get("checkOnly", False):
                    sb.org = org
                job.results = results
                if not job.failed and not options.get("checkOnly", False):
                    sb.applied_deploys.append(job.deploy_id)
        return {"id": job.deploy_id, "url": self._deploy_url(version, job.deploy_id), "deployOptions": options,
                "deployResult": job.result(done=False, include_details=False) | {"status": "Pending"}}

    def _status(self, version: str, deploy_id: str, query: dict[str, str]) -> dict[str, Any]:
        sb = self.sandbox
        job = sb.deploys.get(deploy_id)
        if job is None:
            raise RestError(404, "NOT_FOUND", "The requested resource does not exist")
        done = sb.deploys.poll(job, sb.config.polls_before_done)
        details = query.get("includeDetails", "false").lower() == "true"
        return {"id": deploy_id, "url": self._deploy_url(version, deploy_id), "deployOptions": job.options,
                "deployResult": job.result(done, details)}

    def _deploy_url(self, version: str, deploy_id: str) -> str:
        return f"{self.sandbox.base_url}/services/data/v{version}/metadata/deployRequest/{deploy_id}"

    # ---- UI API --------------------------------------------------------------------------
    def _object_info(self, version: str, object_name: str) -> dict[str, Any]:
        sb = self.sandbox
        with sb.org_lock:
            org = sb.org
            if not any(key(o) == key(object_name) for o in sb.config.objects):
                raise RestError(404, "NOT_FOUND", f"The requested resource does not exist: {object_name}")
            fields = {f.name: {"apiName": f.name, "label": f.label, "custom": True,
                               "dataType": "MultiPicklist" if f.type == "MultiselectPicklist" else "Picklist"}
                      for f in org.fields.values() if key(f.object_name) == key(object_name)}
            infos = {MASTER_RECORD_TYPE_ID: {"available": True, "defaultRecordTypeMapping": True, "master": True,
                                             "name": "Master", "recordTypeId": MASTER_RECORD_TYPE_ID}}
            for rt in org.object_record_types(object_name):
                infos[rt.record_type_id] = {"available": rt.active, "defaultRecordTypeMapping": False,
                                            "master": False, "name": rt.label, "recordTypeId": rt.record_type_id}
        return {"apiName": object_name, "defaultRecordTypeId": MASTER_RECORD_TYPE_ID, "fields": fields,
                "recordTypeInfos": infos,
                "url": f"/services/data/v{version}/ui-api/object-info/{object_name}"}

    def _picklist_values(self, version: str, object_name: str, record_type_id: str, field_name: str) -> dict[str, Any]:
        sb = self.sandbox
        with sb.org_lock:
            org = sb.org
            picklist = org.field(object_name, field_name)
            if picklist is None:
                raise RestError(404, "NOT_FOUND", f"{object_name}.{field_name} is not a picklist field")
            values = [v for v in picklist.value_set.values if v.active]
            if record_type_id != MASTER_RECORD_TYPE_ID:
                record_type = org.record_type_by_id(object_name, record_type_id)
                if record_type is None:
                    raise RestError(404, "NOT_FOUND", f"no record type {record_type_id} on {object_name}")
                keep = {key(name) for name in record_type.picklists.get(key(field_name), [])}
                values = [v for v in values if key(v.full_name) in keep]
            body: list[dict[str, Any]] = [
                {"attributes": None, "label": v.label, "validFor": [], "value": v.full_name} for v in values]
        default: dict[str, Any] | None = next(
            ({"attributes": None, "label": v.label, "validFor": [], "value": v.full_name} for v in values if v.default),
            None)
        etag = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:32]
        return {"controllerValues": {}, "defaultValue": default, "eTag": etag, "values": body,
                "url": f"/services/data/v{version}/ui-api/object-info/{object_name}/picklist-values/"
                       f"{record_type_id}/{field_name}"}

    # ---- answers ---------------------------------------------------------------------------
    def _json(self, status: int, body: Any) -> int:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        return status


def _multipart(content_type: str, raw: bytes) -> dict[str, bytes]:
    """The named parts of a multipart/form-data body (name -> bytes)."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not content_type.startswith("multipart/form-data") or match is None:
        raise RestError(415, "UNSUPPORTED_MEDIA_TYPE", "a deploy request must be multipart/form-data")
    delimiter = b"--" + match.group(1).encode()
    parts: dict[str, bytes] = {}
    for chunk in raw.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        head, sep, body = chunk.partition(b"\r\n\r\n")
        if not sep:
            continue
        name = re.search(rb'name="([^"]*)"', head)
        if name is not None:
            parts[name.group(1).decode()] = body[:-2] if body.endswith(b"\r\n") else body
    return parts
