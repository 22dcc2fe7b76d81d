"""The whole OpenAPI document, as served, is valid OpenAPI 3: every operation any app adds is checked."""

import pytest
import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

pytestmark = pytest.mark.django_db


def test_the_served_document_validates_against_the_openapi_specification(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert document["openapi"].startswith("3.")
    validate(document)  # raises on the first error, naming the field


def test_a_default_that_contradicts_its_pattern_is_caught():
    """The validator catches the kind of fault the document once had: a slug whose default is ''."""
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "S": {
                    "type": "object",
                    "properties": {"slug": {"type": "string", "pattern": "^[a-z]+$", "default": ""}},
                }
            }
        },
    }
    with pytest.raises(OpenAPIValidationError, match="does not match"):
        validate(document)
