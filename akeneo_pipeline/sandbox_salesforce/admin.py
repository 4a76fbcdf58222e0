"""Admin routes under /_sandbox/ (no token): what a real org shows in Setup, for tests and the demo.

    GET  /_sandbox/fields/{Object.Field__c}       the whole value list: every value with its label,
                                                  isActive and default, translations by language,
                                                  and the values each record type offers
    GET  /_sandbox/global-value-sets/{Name}       the same for a global value set (no record types)
    GET  /_sandbox/deploys                        every deploy request: id, status, polls, components
    POST /_sandbox/configure {knob: value}        change SalesforceSandboxConfig fields while running
    POST /_sandbox/revoke-tokens                  end every session (the next API call answers 401)
    POST /_sandbox/reset                          an empty org again

A real org shows inactive values and translations only in Setup (or by retrieving the
metadata); the UI API's picklist-values resource answers active values alone. These routes
stand in for Setup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from akeneo_pipeline.sandbox_salesforce.org import Org, ValueSet, key

if TYPE_CHECKING:
    from akeneo_pipeline.sandbox_salesforce.server import SandboxSalesforce


def handle(sb: SandboxSalesforce, method: str, route: str, body: dict[str, Any]) -> Any:
    from akeneo_pipeline.sandbox_salesforce.handler import RestError

    if method == "GET" and route.startswith("fields/"):
        object_name, _, field_name = route[len("fields/"):].partition(".")
        with sb.org_lock:
            picklist = sb.org.field(object_name, field_name)
            if picklist is None:
                raise RestError(404, "NOT_FOUND", f"no picklist field {object_name}.{field_name}")
            record_types = {rt.name: rt.picklists.get(key(picklist.name), [])
                            for rt in sb.org.object_record_types(picklist.object_name)
                            if key(picklist.name) in rt.picklists}
            return {"object": picklist.object_name, "field": picklist.name, "label": picklist.label,
                    "type": picklist.type, **_value_set(picklist.value_set), "recordTypes": record_types}
    if method == "GET" and route.startswith("global-value-sets/"):
        with sb.org_lock:
            gvs = sb.org.global_value_sets.get(key(route[len("global-value-sets/"):]))
            if gvs is None:
                raise RestError(404, "NOT_FOUND", "no such global value set")
            return {"name": gvs.name, "masterLabel": gvs.master_label, **_value_set(gvs.value_set)}
    if method == "GET" and route == "deploys":
        return [{"id": job.deploy_id, "status": job.final_status(), "polls": job.polls,
                 "errorMessage": job.error_message,
                 "components": [{"type": r.component_type, "fullName": r.full_name, "problem": r.problem}
                                for r in job.results]}
                for job in sb.deploys.jobs.values()]
    if method == "POST" and route == "configure":
        try:
            sb.configure(**body)
        except (TypeError, ValueError) as exc:
            raise RestError(400, "INVALID_FIELD", str(exc)) from None
        return {"configured": sorted(body)}
    if method == "POST" and route == "revoke-tokens":
        return {"revoked": sb.auth.revoke_all()}
    if method == "POST" and route == "reset":
        with sb.org_lock:
            sb.org = Org(sb.config)
            sb.applied_deploys.clear()
        return {"reset": True}
    raise RestError(404, "NOT_FOUND", f"no admin route {method} /_sandbox/{route}")


def _value_set(value_set: ValueSet) -> dict[str, Any]:
    names = {key(v.full_name): v.full_name for v in value_set.values}
    return {"restricted": value_set.restricted, "sorted": value_set.sorted,
            "values": [{"fullName": v.full_name, "label": v.label, "isActive": v.active, "default": v.default}
                       for v in value_set.values],
            "translations": {language: {names[k]: text for k, text in sorted(texts.items()) if k in names}
                             for language, texts in sorted(value_set.translations.items())}}
