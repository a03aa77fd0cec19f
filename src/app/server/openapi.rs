//! The OpenAPI 3.1 document, made from the same table the router is made from
//! (so it lists every route, and only those) and from the Rust types' JSON
//! Schemas (so it describes exactly what is sent and returned).

use schemars::generate::SchemaSettings;
use schemars::{Schema, SchemaGenerator};
use serde_json::{json, Map, Value};

/// A JSON Schema made by the generator (a `$ref` into `components/schemas`
/// for named types).
pub type SchemaFn = fn(&mut SchemaGenerator) -> Schema;

/// One query or path parameter.
pub struct Param {
    pub name: &'static str,
    pub location: &'static str,
    pub description: &'static str,
    pub schema: fn() -> Value,
    pub required: bool,
}

/// One route, as documented.
pub struct Endpoint {
    pub method: &'static str,
    pub path: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    pub params: Vec<Param>,
    pub body: Option<(&'static str, SchemaFn)>,
    /// Status, description, and the schema of a JSON body.
    pub responses: Vec<(u16, &'static str, Option<SchemaFn>)>,
    /// Whether the bearer token is required (when the server has one).
    pub authenticated: bool,
    /// The media type of a 200 answer that is a file, not JSON (a workbook,
    /// a report).
    pub produces: Option<&'static str>,
    /// Whether the body, a scenario, may also be sent as a workbook
    /// (`.xlsx`, `.ods`, `.xls`) with its media type.
    pub accepts_workbooks: bool,
}

/// The media types a scenario may be sent as besides JSON.
pub const WORKBOOK_MEDIA_TYPES: [&str; 3] = [
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.ms-excel",
];

pub fn query(name: &'static str, description: &'static str, schema: fn() -> Value) -> Param {
    Param {
        name,
        location: "query",
        description,
        schema,
        required: false,
    }
}

/// The media type of a scenario sent as CSV sheets: a JSON object of file
/// names (`trainees.csv`) and their text, as read from a folder of them.
pub const CSV_SHEETS_MEDIA_TYPE: &str = "application/vnd.palim.csv-sheets+json";

/// An endpoint's request body: its JSON schema, and the workbooks a
/// scenario may also be sent as.
fn request_body(e: &Endpoint, generator: &mut SchemaGenerator) -> Option<Value> {
    let (media, schema) = e.body?;
    let mut content = json!({ media: { "schema": schema(generator).to_value() } });
    if e.accepts_workbooks {
        for w in WORKBOOK_MEDIA_TYPES {
            content[w] = json!({ "schema": { "type": "string", "format": "binary" } });
        }
        content[CSV_SHEETS_MEDIA_TYPE] = json!({ "schema": {
            "type": "object", "additionalProperties": { "type": "string" },
            "description": "CSV files by name (`trainees.csv`), each with its text",
        } });
    }
    Some(json!({ "required": true, "content": content }))
}

/// The OpenAPI 3.1 document of these endpoints.
pub fn document(endpoints: &[Endpoint], problem: SchemaFn) -> Value {
    let mut generator = SchemaSettings::draft2020_12()
        .with(|s| s.definitions_path = "/components/schemas".into())
        .into_generator();
    let problem_ref = problem(&mut generator).to_value();
    let mut paths = Map::new();
    for e in endpoints {
        let mut op = Map::new();
        op.insert("summary".into(), json!(e.summary));
        op.insert("description".into(), json!(e.description));
        op.insert(
            "operationId".into(),
            json!(format!(
                "{}_{}",
                e.method,
                e.path
                    .trim_start_matches('/')
                    .replace(['/', '{', '}', '.'], "_")
                    .trim_end_matches('_')
            )),
        );
        if !e.params.is_empty() {
            op.insert(
                "parameters".into(),
                Value::Array(
                    e.params
                        .iter()
                        .map(|p| {
                            json!({
                                "name": p.name, "in": p.location, "description": p.description,
                                "required": p.required || p.location == "path", "schema": (p.schema)(),
                            })
                        })
                        .collect(),
                ),
            );
        }
        if let Some(body) = request_body(e, &mut generator) {
            op.insert("requestBody".into(), body);
        }
        let mut responses = Map::new();
        for (status, description, schema) in &e.responses {
            let mut r = json!({ "description": description });
            if let Some(schema) = schema {
                r["content"] =
                    json!({ "application/json": { "schema": schema(&mut generator).to_value() } });
            } else if let (200, Some(media)) = (status, e.produces) {
                r["content"] =
                    json!({ media: { "schema": { "type": "string", "format": "binary" } } });
            }
            responses.insert(status.to_string(), r);
        }
        let problem_response = |d: &str| json!({ "description": d, "content": { super::problem_details::CONTENT_TYPE: { "schema": problem_ref.clone() } } });
        if e.body.is_some() {
            responses.insert(
                "400".into(),
                problem_response("Malformed JSON or a bad parameter"),
            );
            responses.insert(
                "413".into(),
                problem_response(
                    "Too large: the body (`--max-body`), the scenario's eligible pairs \
                     (`too_large`, `--max-pairs`) or the answer (`response_too_large`, \
                     `--max-response`) is more than the server allows",
                ),
            );
            responses.insert(
                "415".into(),
                problem_response(
                    "The body is not application/json (or, for a scenario, a workbook)",
                ),
            );
            responses.insert(
                "422".into(),
                problem_response("Invalid input: every problem, with its JSON pointer"),
            );
            responses.insert(
                "503".into(),
                problem_response("Busy (see Retry-After) or the request took too long"),
            );
        }
        if e.params.iter().any(|p| p.location == "path") {
            responses.insert(
                "404".into(),
                problem_response("No such document: the path names one the server does not have"),
            );
        }
        if e.authenticated {
            responses.insert(
                "401".into(),
                problem_response("Missing or wrong bearer token"),
            );
            op.insert("security".into(), json!([{ "bearer": [] }]));
        }
        op.insert("responses".into(), Value::Object(responses));
        let entry = paths
            .entry(e.path.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        entry[e.method] = Value::Object(op);
    }
    let schemas: Map<String, Value> = generator.take_definitions(true).into_iter().collect();
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "palim",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Match trained migrant candidates to job vacancies under hard rules, optimally, and say why. \
                            The same operations and the same JSON documents as the palim command line.",
            "license": { "name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0" },
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "servers": [ { "url": "http://127.0.0.1:8080" } ],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
        },
    })
}
