"""The Salesforce client against the sandbox Salesforce: refused credentials, an org that is
down, server errors and expired sessions, failed and slow deploys. Each error names the
endpoint, the status, Salesforce's message and the setting to fix, never a secret, and none
records a position."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from akeneo_pipeline.salesforce import (
    JsonFilePositions,
    MetadataClient,
    SalesforceAuthError,
    SalesforceConnectionError,
    SalesforceDeployError,
    SalesforceDeployTimeout,
    SalesforceHTTPError,
    ValueListSpan,
    build_package,
    deploy_value_lists,
    parse_mapping,
)
from akeneo_pipeline.salesforce.settings import SalesforceSettings
from akeneo_pipeline.sandbox_salesforce import SandboxSalesforce
from akeneo_pipeline_tests.fixtures.salesforce import OrgReader, option, salesforce_settings_for, span, value_list

MAPPING = parse_mapping("master_locale: en_US\nattributes:\n  color: {field: Product2.Color__c}\n")
WRONG_SECRET = "not-the-secret-7c1e"


def colors(*codes: str, last: int = 5) -> ValueListSpan:
    return span(1, last, value_list("color", *(option(c, i, en_US=c.title()) for i, c in enumerate(codes))))


def test_a_wrong_client_secret_names_the_setting_not_the_secret(salesforce: SandboxSalesforce, tmp_path: Path) -> None:
    settings = salesforce_settings_for(salesforce, client_secret=SecretStr(WRONG_SECRET))
    positions = JsonFilePositions(tmp_path / "positions.json")
    with pytest.raises(SalesforceAuthError) as caught:
        deploy_value_lists(colors("red"), MAPPING, settings=settings, positions=positions)
    text = str(caught.value)
    assert "SALESFORCE_CLIENT_SECRET" in text and "invalid_client: invalid client credentials" in text
    assert caught.value.endpoint == "POST /services/oauth2/token" and caught.value.status == 400
    assert WRONG_SECRET not in text and WRONG_SECRET not in repr(settings)
    assert not (tmp_path / "positions.json").exists()
    with pytest.raises(SalesforceAuthError, match="check SALESFORCE_CLIENT_ID"):
        deploy_value_lists(colors("red"), MAPPING, settings=salesforce_settings_for(salesforce, client_id="nobody"),
                           positions=positions)


def test_salesforce_down_is_a_clear_error_after_the_retries(salesforce_factory: Callable[..., SandboxSalesforce],
                                                            tmp_path: Path,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    org = salesforce_factory()
    settings = salesforce_settings_for(org, max_attempts=3, connect_timeout=1.0)
    org.stop()
    with caplog.at_level(logging.WARNING, logger="akeneo_pipeline.salesforce"), \
            pytest.raises(SalesforceConnectionError) as caught:
        deploy_value_lists(colors("red"), MAPPING, settings=settings,
                           positions=JsonFilePositions(tmp_path / "positions.json"))
    text = str(caught.value)
    assert "no answer from Salesforce (ConnectError)" in text and "check SALESFORCE_INSTANCE_URL" in text
    assert caught.value.attempts == 3 and "after 3 attempts" in text
    assert sum("retrying" in r.getMessage() for r in caplog.records) == 2
    assert not (tmp_path / "positions.json").exists()


def test_server_errors_are_retried_and_a_lasting_one_gives_up(salesforce: SandboxSalesforce, tmp_path: Path) -> None:
    positions = JsonFilePositions(tmp_path / "positions.json")
    salesforce.configure(fail_requests=2, fail_status=503)
    result = deploy_value_lists(colors("red", "blue"), MAPPING, settings=salesforce_settings_for(salesforce),
                                positions=positions)
    assert [a.attribute_code for a in result.deployed] == ["color"]
    assert [(p, s) for _, p, s in salesforce.requests[:3]] == [("/services/oauth2/token", 503)] * 2 + \
        [("/services/oauth2/token", 200)]
    salesforce.configure(fail_requests=10, fail_status=500)
    with pytest.raises(SalesforceHTTPError) as caught:
        deploy_value_lists(colors("red", "blue", last=8), MAPPING,
                           settings=salesforce_settings_for(salesforce, max_attempts=2), positions=positions)
    assert "Salesforce kept answering 500; gave up" in str(caught.value) and caught.value.attempts == 2
    assert "SERVER_UNAVAILABLE" in str(caught.value)
    assert positions.read()[("color", "field:Product2.Color__c")].change_id == 5


def test_an_expired_session_gets_one_new_token(salesforce: SandboxSalesforce, org_reader: OrgReader) -> None:
    settings = salesforce_settings_for(salesforce)
    with MetadataClient(settings) as client:
        client.deploy_and_wait(build_package(colors("red"), MAPPING, "62.0").zip_bytes)
        assert salesforce.auth.revoke_all() == 2  # every session ends, as at a session timeout
        client.deploy_and_wait(build_package(colors("red", "blue"), MAPPING, "62.0").zip_bytes)
    assert len(salesforce.issued_tokens()) == 3  # the reader's, the client's first and its renewed one
    assert [s for _, p, s in salesforce.requests if p.endswith("/deployRequest")] == [201, 401, 201]
    assert [v["fullName"] for v in org_reader.field("Product2.Color__c")["values"]] == ["red", "blue"]


def test_a_failed_deploy_carries_salesforces_component_failures(salesforce: SandboxSalesforce) -> None:
    mapping = parse_mapping("master_locale: en_US\nattributes:\n  kind: {field: Widget__c.Kind__c}\n")
    zip_bytes = build_package(span(1, 1, value_list("kind", option("a", 1, en_US="A"))), mapping, "62.0").zip_bytes
    with MetadataClient(salesforce_settings_for(salesforce)) as client, \
            pytest.raises(SalesforceDeployError) as caught:
        client.deploy_and_wait(zip_bytes)
    [failure] = caught.value.failures
    assert (failure.component_type, failure.full_name, failure.file_name) == \
        ("CustomField", "Widget__c.Kind__c", "objects/Widget__c.object")
    assert caught.value.deploy_status == "Failed"
    assert "ended Failed: CustomField Widget__c.Kind__c: Entity 'Widget__c' not found" in str(caught.value)


def test_a_deploy_still_running_at_the_timeout_records_nothing(salesforce: SandboxSalesforce, tmp_path: Path) -> None:
    salesforce.configure(polls_before_done=10_000)
    positions = JsonFilePositions(tmp_path / "positions.json")
    with pytest.raises(SalesforceDeployTimeout, match=r"still InProgress .*SALESFORCE_DEPLOY_TIMEOUT"):
        deploy_value_lists(colors("red"), MAPPING, settings=salesforce_settings_for(salesforce, deploy_timeout=0.3),
                           positions=positions)
    assert positions.read() == {}


def test_settings_name_what_is_missing_and_refuse_plain_http() -> None:
    with pytest.raises(ValidationError, match=r"set SALESFORCE_INSTANCE_URL, SALESFORCE_CLIENT_SECRET"):
        SalesforceSettings.model_validate({"client_id": "app"})
    with pytest.raises(ValidationError, match=r"plain http:// to acme\.example\.com"):
        SalesforceSettings.model_validate({"instance_url": "http://acme.example.com", "client_id": "a",
                                           "client_secret": "b"})
    with pytest.raises(ValidationError, match=r"SALESFORCE_API_VERSION must look like 62\.0"):
        SalesforceSettings.model_validate({"api_version": "v62"})
    settings = SalesforceSettings.model_validate({"instance_url": "acme.my.salesforce.com/", "client_id": "a",
                                                  "client_secret": WRONG_SECRET})
    assert settings.instance_url == "https://acme.my.salesforce.com" and not settings.dry_run
    assert WRONG_SECRET not in repr(settings) and WRONG_SECRET not in str(settings.model_dump())


def test_env_example_documents_every_setting_and_means_a_dry_run() -> None:
    example = Path(__file__).resolve().parents[2] / ".env.example"
    text = example.read_text()
    for name in SalesforceSettings.model_fields:
        assert f"SALESFORCE_{name.upper()}=" in text, name
    assert SalesforceSettings(_env_file=example).dry_run
