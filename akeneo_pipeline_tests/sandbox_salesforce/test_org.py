"""The sandbox Salesforce on its own, driven with hand-written Metadata API files (not the
target's builder, so a misreading in one is not hidden by the same misreading in the other):
each documented rule it enforces, its CLI, its errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from akeneo_pipeline.sandbox_salesforce import SandboxSalesforce

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"'


def manifest(**types: list[str]) -> str:
    body = "".join(f"<types>{''.join(f'<members>{m}</members>' for m in members)}<name>{name}</name></types>"
                   for name, members in types.items())
    return f"{HEAD}<Package {NS}>{body}<version>62.0</version></Package>"


def picklist_field(name: str, values: list[tuple[str, str, bool]], restricted: bool = True) -> str:
    items = "".join(f"<value><fullName>{f}</fullName><default>false</default><isActive>{str(a).lower()}</isActive>"
                    f"<label>{label}</label></value>" for f, label, a in values)
    return (f"<fields><fullName>{name}</fullName><label>{name}</label><type>Picklist</type><valueSet>"
            f"<restricted>{str(restricted).lower()}</restricted><valueSetDefinition><sorted>false</sorted>{items}"
            "</valueSetDefinition></valueSet></fields>")


def object_file(*children: str) -> str:
    return f"{HEAD}<CustomObject {NS}>{''.join(children)}</CustomObject>"


def zipped(files: dict[str, str], root: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(root + name, text)
    return buffer.getvalue()


class Org:
    def __init__(self, server: SandboxSalesforce) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.base_url, timeout=30)
        creds = server.credentials
        self.token = self.http.post("/services/oauth2/token", data={
            "grant_type": "client_credentials", "client_id": creds["client_id"],
            "client_secret": creds["client_secret"]}).json()["access_token"]

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def submit(self, data: bytes, **options: Any) -> httpx.Response:
        options = {"singlePackage": True, "rollbackOnError": True} | options
        return self.http.post("/services/data/v62.0/metadata/deployRequest", headers=self.auth(), files={
            "json": (None, json.dumps({"deployOptions": options}), "application/json"),
            "file": ("deploy.zip", data, "application/zip")})

    def deploy(self, files: dict[str, str], **options: Any) -> dict[str, Any]:
        response = self.submit(zipped(files), **options)
        assert response.status_code == 201, response.text
        deploy_id = response.json()["id"]
        assert response.json()["deployResult"]["status"] == "Pending"
        while True:
            result = self.http.get(f"/services/data/v62.0/metadata/deployRequest/{deploy_id}",
                                   params={"includeDetails": "true"}, headers=self.auth()).json()["deployResult"]
            if result["done"]:
                done: dict[str, Any] = result
                return done
            assert result["status"] == "InProgress"

    def values(self, name: str) -> list[tuple[str, str, bool]]:
        body = self.http.get(f"/_sandbox/fields/{name}").json()
        return [(v["fullName"], v["label"], v["isActive"]) for v in body["values"]]


@pytest.fixture
def org(salesforce: SandboxSalesforce) -> Iterator[Org]:
    client = Org(salesforce)
    yield client
    client.http.close()


def deploy_color(org: Org, values: list[tuple[str, str, bool]], restricted: bool = True) -> dict[str, Any]:
    return org.deploy({"package.xml": manifest(CustomField=["Product2.Color__c"]),
                       "objects/Product2.object": object_file(picklist_field("Color__c", values, restricted))})


def problems(result: dict[str, Any]) -> list[str]:
    return [f["problem"] for f in result["details"]["componentFailures"]]


def test_a_deploy_replaces_the_list_and_omitted_values_become_inactive(org: Org) -> None:
    assert deploy_color(org, [("red", "Red", True), ("blue", "Blue", True)])["status"] == "Succeeded"
    result = deploy_color(org, [("green", "Green", True), ("RED", "Red again", True)])
    assert (result["status"], result["success"], result["numberComponentsDeployed"]) == ("Succeeded", True, 1)
    # red matched RED (API names ignore case) and took the deployed spelling; blue, omitted, is kept inactive.
    assert org.values("Product2.Color__c") == [("green", "Green", True), ("RED", "Red again", True),
                                               ("blue", "Blue", False)]
    picklist = org.http.get("/services/data/v62.0/ui-api/object-info/Product2/picklist-values/012000000000000AAA/"
                            "Color__c", headers=org.auth()).json()
    assert [v["value"] for v in picklist["values"]] == ["green", "RED"]
    assert set(picklist) == {"controllerValues", "defaultValue", "eTag", "url", "values"}


def test_nothing_is_ever_deleted(org: Org) -> None:
    deploy_color(org, [("red", "Red", True)])
    result = org.deploy({"package.xml": manifest(),
                         "destructiveChanges.xml": manifest(CustomField=["Product2.Color__c"])})
    assert result["status"] == "Failed" and "deletes nothing" in result["errorMessage"]
    assert org.values("Product2.Color__c") == [("red", "Red", True)]


def test_value_limits_and_lengths(org: Org) -> None:
    many = [(f"v{i}", f"V {i}", i < 500) for i in range(1001)]
    result = deploy_color(org, many)
    assert result["status"] == "Failed" and "at most 1000 values, active and inactive" in problems(result)[0]
    assert org.http.get("/_sandbox/fields/Product2.Color__c").status_code == 404  # rolled back
    # Unrestricted too: 1,000 values, inactive ones included (the project's rule; see org.py).
    assert deploy_color(org, [(f"v{i}", f"V {i}", i < 500) for i in range(1000)], restricted=False)["success"]
    too_many = deploy_color(org, [(f"w{i}", f"W {i}", i < 900) for i in range(1001)], restricted=False)
    assert "unrestricted picklist can have at most 1000 values, active and inactive" in problems(too_many)[0]
    assert "longer than 255 characters" in problems(deploy_color(org, [("x" * 256, "X", True)]))[0]
    assert "longer than 255 characters" in problems(deploy_color(org, [("x", "X" * 256, True)]))[0]


def test_api_names_compare_without_case_or_width(org: Org) -> None:
    full_width_red = "\uff32\uff25\uff24"
    result = deploy_color(org, [("red", "Red", True), (full_width_red, "Red (full width)", True)])
    assert "Duplicate value" in problems(result)[0]


def test_translations_are_keyed_by_master_label_and_need_the_language(org: Org) -> None:
    deploy_color(org, [("red", "Red", True), ("crimson", "Crimson", True)])

    def translate(language: str, pairs: list[tuple[str, str]]) -> dict[str, Any]:
        entries = "".join(f"<picklistValues><masterLabel>{m}</masterLabel><translation>{t}</translation>"
                          "</picklistValues>" for m, t in pairs)
        return org.deploy({"package.xml": manifest(CustomObjectTranslation=[f"Product2-{language}"]),
                           f"objectTranslations/Product2-{language}.objectTranslation":
                               f"{HEAD}<CustomObjectTranslation {NS}><fields><name>Color__c</name>{entries}</fields>"
                               "</CustomObjectTranslation>"})

    assert translate("fr", [("Red", "Rouge")])["success"]
    assert "no picklist value has the master label 'red'" in problems(translate("fr", [("red", "Rouge")]))[0]
    assert "'xx' is not enabled" in problems(translate("xx", [("Red", "Rouge")]))[0]
    # The translation stays with its value when the master label changes.
    deploy_color(org, [("red", "Cherry", True), ("crimson", "Crimson", True)])
    assert org.http.get("/_sandbox/fields/Product2.Color__c").json()["translations"] == {"fr": {"red": "Rouge"}}


def test_record_types_offer_existing_active_values(org: Org) -> None:
    deploy_color(org, [("red", "Red", True), ("old", "Old", False)])

    def record_type(values: list[str]) -> dict[str, Any]:
        listed = "".join(f"<values><fullName>{v}</fullName><default>false</default></values>" for v in values)
        return org.deploy({"package.xml": manifest(RecordType=["Product2.Retail"]),
                           "objects/Product2.object": object_file(
                               f"<recordTypes><fullName>Retail</fullName><active>true</active><label>Retail</label>"
                               f"<picklistValues><picklist>Color__c</picklist>{listed}</picklistValues>"
                               "</recordTypes>")})

    assert record_type(["red"])["success"]
    assert "has no active value 'old'" in problems(record_type(["red", "old"]))[0]
    infos = org.http.get("/services/data/v62.0/ui-api/object-info/Product2", headers=org.auth()).json()
    retail = next(i["recordTypeId"] for i in infos["recordTypeInfos"].values() if i["name"] == "Retail")
    values = org.http.get(f"/services/data/v62.0/ui-api/object-info/Product2/picklist-values/{retail}/Color__c",
                          headers=org.auth()).json()["values"]
    assert [v["value"] for v in values] == ["red"]


def test_the_manifest_decides_what_deploys(org: Org) -> None:
    files = {"package.xml": manifest(CustomField=["Product2.Color__c", "Product2.Size__c"]),
             "objects/Product2.object": object_file(picklist_field("Color__c", [("red", "Red", True)]),
                                                    picklist_field("Other__c", [("x", "X", True)]))}
    result = org.deploy(files)
    assert result["status"] == "Failed"
    assert [f["fullName"] for f in result["details"]["componentFailures"]] == ["Product2.Size__c"]
    partial = org.deploy(files, rollbackOnError=False)
    assert partial["status"] == "SucceededPartial"
    assert org.values("Product2.Color__c") == [("red", "Red", True)]
    assert org.http.get("/_sandbox/fields/Product2.Other__c").status_code == 404  # not in package.xml
    # Without singlePackage the zip must hold one folder with the package inside.
    nested = org.deploy({"package.xml": manifest()}, singlePackage=False)
    assert (nested["status"], nested["errorMessage"]) == ("Failed", "No package.xml found")
    response = org.submit(zipped({"package.xml": manifest()}, root="pkg/"), singlePackage=False)
    assert response.status_code == 201


def test_an_unknown_object_fails_the_component(org: Org) -> None:
    result = org.deploy({"package.xml": manifest(CustomField=["Widget__c.Kind__c"]),
                         "objects/Widget__c.object": object_file(picklist_field("Kind__c", [("a", "A", True)]))})
    assert problems(result) == ["Entity 'Widget__c' not found: the org has no such object"]


def test_tokens_and_errors(org: Org, salesforce: SandboxSalesforce) -> None:
    token = org.http.post("/services/oauth2/token", data={"grant_type": "client_credentials",
                                                          "client_id": salesforce.config.client_id,
                                                          "client_secret": "wrong"})
    assert (token.status_code, token.json()) == (400, {"error": "invalid_client",
                                                       "error_description": "invalid client credentials"})
    password = org.http.post("/services/oauth2/token", data={"grant_type": "password"})
    assert password.json()["error"] == "unsupported_grant_type"
    granted = org.http.post("/services/oauth2/token", data={
        "grant_type": "client_credentials", "client_id": salesforce.config.client_id,
        "client_secret": salesforce.config.client_secret}).json()
    assert set(granted) == {"access_token", "signature", "scope", "instance_url", "id", "token_type", "issued_at"}
    assert granted["instance_url"] == salesforce.base_url and "refresh_token" not in granted
    no_token = org.http.get("/services/data/v62.0/metadata/deployRequest/0Af000000000000AAA")
    assert (no_token.status_code, no_token.json()[0]["errorCode"]) == (401, "INVALID_SESSION_ID")
    unknown = org.http.get("/services/data/v62.0/metadata/deployRequest/0Af000000000000AAA", headers=org.auth())
    assert (unknown.status_code, unknown.json()[0]["errorCode"]) == (404, "NOT_FOUND")
    not_multipart = org.http.post("/services/data/v62.0/metadata/deployRequest", headers=org.auth(), json={})
    assert not_multipart.status_code == 415
    salesforce.configure(fail_requests=1)
    assert org.http.get("/services/data/v62.0/ui-api/object-info/Product2", headers=org.auth()).status_code == 503
    assert org.http.get("/services/data/v62.0/ui-api/object-info/Product2", headers=org.auth()).status_code == 200
    assert salesforce.internal_errors == []


def test_serve_prints_its_credentials_and_answers() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "akeneo_pipeline.sandbox_salesforce", "serve", "--port", "0",
                             "--languages", "fr,de", "--polls-before-done", "0"], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        info = json.loads(proc.stdout.readline())
        assert set(info) == {"instance_url", "client_id", "client_secret"}
        token = httpx.post(f"{info['instance_url']}/services/oauth2/token", data={
            "grant_type": "client_credentials", "client_id": info["client_id"],
            "client_secret": info["client_secret"]}).json()["access_token"]
        answer = httpx.get(f"{info['instance_url']}/services/data/v62.0/ui-api/object-info/Account",
                           headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200 and answer.json()["defaultRecordTypeId"] == "012000000000000AAA"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    bad = subprocess.run([sys.executable, "-m", "akeneo_pipeline.sandbox_salesforce", "serve", "--fail-status", "404"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "fail_status must be a 5xx" in bad.stderr
