"""The OpenAPI schema and the documentation pages, served without any outside resource."""

import pytest
import yaml

pytestmark = pytest.mark.django_db

CONTRACT = {
    ("post", "/api/v1/auth/signup/"),
    ("post", "/api/v1/auth/token/"),
    ("get", "/api/v1/businesses/"),
    ("post", "/api/v1/businesses/"),
    ("post", "/api/v1/businesses/{slug}/representatives/"),
    ("get", "/api/v1/businesses/{slug}/"),
    ("get", "/api/v1/businesses/{slug}/complaints/"),
    ("post", "/api/v1/complaints/"),
    ("get", "/api/v1/complaints/"),
    ("get", "/api/v1/complaints/{number}/"),
    ("post", "/api/v1/complaints/{number}/responses/"),
    ("post", "/api/v1/complaints/{number}/answers/"),
    ("post", "/api/v1/complaints/{number}/withdraw/"),
    ("post", "/api/v1/complaints/{number}/transitions/"),
    ("get", "/api/v1/businesses/{slug}/webhooks/"),
    ("post", "/api/v1/businesses/{slug}/webhooks/"),
    ("get", "/api/v1/businesses/{slug}/webhooks/{endpoint_id}/deliveries/"),
    ("post", "/api/v1/businesses/{slug}/webhooks/{endpoint_id}/deliveries/{delivery_id}/redeliver/"),
}


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_schema_lists_every_endpoint_of_the_contract(schema):
    served = {(method, path) for path, item in schema["paths"].items() for method in item}
    assert served >= CONTRACT


def test_every_field_of_every_component_is_described(schema):
    undescribed = [
        f"{name}.{field}"
        for name, component in schema["components"]["schemas"].items()
        for field, spec in component.get("properties", {}).items()
        if not spec.get("description") and "$ref" not in spec and "allOf" not in spec
    ]
    assert undescribed == []


def test_machine_values_match_the_contract(schema):
    components = schema["components"]["schemas"]
    assert set(components["ComplaintFileRequest"]["required"]) == {
        "type",
        "description",
        "affirm_true",
        "affirm_not_in_court",
    }
    enums = {name: set(spec.get("enum", [])) for name, spec in components.items()}
    assert {"advertising_sales", "account_suspension", "service_repair"} <= enums["TypeEnum"]
    assert {"refund", "cancel", "reinstatement", "release_funds"} <= enums["DesiredOutcomeEnum"]
    assert enums["VerdictEnum"] == {"accept", "reject", "none"}
    assert "tokenAuth" in schema["components"]["securitySchemes"]


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_docs_pages_load_nothing_from_outside(client, path):
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn." not in page and "unpkg" not in page


def test_the_schema_documents_information_from_the_business(schema):
    operation = schema["paths"]["/api/v1/complaints/{number}/business-information/"]["post"]
    assert operation["summary"] == "Add information as the business (representative), where no response is due"
    assert set(operation["responses"]) == {"201", "400", "401", "403", "404", "409", "429"}
    components = schema["components"]["schemas"]
    assert components["BusinessInformationCreateRequest"]["required"] == ["text"]
    kinds = {name: set(spec.get("enum", [])) for name, spec in components.items() if "enum" in spec}
    assert {"response", "answer", "information"} in kinds.values()


def test_the_schema_documents_the_outcome_figures(schema):
    components = schema["components"]["schemas"]
    figures = components["Figures"]["properties"]
    assert figures["by_outcome"]["type"] == "object"
    assert figures["by_outcome"]["additionalProperties"] == {"type": "integer"}
    assert figures["relief_totals"]["additionalProperties"]["type"] == "string"
    assert figures["relief_totals"]["additionalProperties"]["format"] == "decimal"
    assert {"by_outcome", "relief_totals"} <= set(components["Figures"]["required"])
    profile = components["BusinessProfile"]["properties"]
    assert profile["outcome_definitions"]["items"] == {"$ref": "#/components/schemas/OutcomeDefinition"}
    assert components["OutcomeDefinitionOutcomeEnum"]["enum"] == [
        "monetary_relief",
        "non_monetary_relief",
        "explanation",
        "in_progress",
        "none",
    ]
