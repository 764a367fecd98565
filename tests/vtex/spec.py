"""VTEX's own OpenAPI description of the Customer Credit API (the file beside this one, as
VTEX publishes it), read as a client generator would: operations, example requests built
from the documented examples, and response schemas turned into JSON Schema."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema

SPEC_FILE = Path(__file__).with_name("customer-credit-api.openapi.json")
METHODS = ("get", "put", "post", "delete")


@cache
def spec() -> dict:
    return json.loads(SPEC_FILE.read_text(encoding="utf-8"))


def resolve(node: dict) -> dict:
    if "$ref" in node:
        name = node["$ref"].removeprefix("#/components/parameters/")
        return spec()["components"]["parameters"][name]
    return node


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    definition: dict

    def parameters(self, where: str) -> dict[str, object]:
        """The documented example of each parameter `in` path, query or header."""
        found = {}
        for parameter in map(resolve, self.definition.get("parameters", [])):
            if parameter["in"] == where:
                found[parameter["name"]] = parameter["schema"].get("example")
        return found

    def example_path(self, **overrides: str) -> str:
        values = {**self.parameters("path"), **overrides}
        return self.path.format(**values)

    def example_body(self) -> dict | None:
        """The request body VTEX documents: each property's example (no whole-body example
        is given), nested objects and arrays included."""
        body = self.definition.get("requestBody")
        if body is None:
            return None
        return example_of(body["content"]["application/json"]["schema"])

    def response_example(self) -> object:
        content = self.definition["responses"]["200"].get("content", {})
        return content.get("application/json", {}).get("example")

    def response_validator(self) -> jsonschema.Draft7Validator | None:
        content = self.definition["responses"]["200"].get("content")
        if not content:
            return None  # "This endpoint does not return any data in the response body."
        schema = json_schema(content["application/json"]["schema"])
        return jsonschema.Draft7Validator(schema)


def operations() -> list[Operation]:
    return [
        Operation(definition["operationId"], method.upper(), path, definition)
        for path, methods in spec()["paths"].items()
        for method, definition in methods.items()
        if method in METHODS
    ]


def example_of(schema: dict) -> object:
    if "example" in schema:
        return schema["example"]
    if schema.get("type") == "object" or "properties" in schema:
        return {name: example_of(sub) for name, sub in schema.get("properties", {}).items()}
    if schema.get("type") == "array":
        return [example_of(schema["items"])]
    return None


def json_schema(schema: dict) -> dict:
    """OpenAPI 3.0's schema dialect as JSON Schema: `nullable: true` becomes a null type
    (what every OpenAPI client generator does); other keys are kept as they are."""
    converted = {}
    for key, value in schema.items():
        if key == "properties":
            converted[key] = {name: json_schema(sub) for name, sub in value.items()}
        elif key == "items":
            converted[key] = json_schema(value)
        elif key != "nullable":
            converted[key] = value
    if schema.get("nullable") and "type" in schema:
        converted["type"] = [schema["type"], "null"]
    return converted
