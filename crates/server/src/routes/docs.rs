//! What the OpenAPI document says beyond each handler's own annotation: the answers every
//! operation of a kind can give (found missing by schemathesis), and the links between
//! operations that let a client, or a stateful test, follow one answer into the next call.

use serde_json::{Value, json};
use utoipa::openapi::path::Operation;
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, Response, ResponseBuilder};

/// Adds the shared error answers to the document the handlers describe.
pub(super) fn complete(doc: &mut OpenApi) {
    for item in doc.paths.paths.values_mut() {
        let mutating = [
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for operation in mutating.into_iter().flatten() {
            // The CSRF guard answers before any handler.
            add_error(
                operation,
                "403",
                "forbidden, or csrf: the X-Requested-With header is missing",
            );
        }
        if let Some(read) = item.get.as_mut()
            && read.responses.responses.contains_key("401")
        {
            // A "view as partner" session reads only the partner's workspaces.
            add_error(
                read,
                "403",
                "forbidden, or view_only: in a view as partner, this isn't part of the view",
            );
        }
        let all = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for operation in all.into_iter().flatten() {
            optional_body_is_an_object(operation);
            if operation.request_body.is_some() {
                // The JSON extractor answers these before the handler runs.
                add_error(operation, "400", "bad_request: the body isn't JSON");
                add_error(
                    operation,
                    "413",
                    "payload_too_large: the body is over 64 KiB",
                );
                add_error(
                    operation,
                    "415",
                    "unsupported_media_type: the body isn't application/json",
                );
                add_error(
                    operation,
                    "422",
                    "invalid: the JSON doesn't have the expected shape",
                );
            }
        }
    }
}

/// An optional body (`request_body(content = Option<T>)`) may be left out, but when sent it
/// is the object `T`: the `null` alternative utoipa derives from the `Option` goes.
fn optional_body_is_an_object(operation: &mut Operation) {
    use utoipa::openapi::schema::Schema;
    let Some(body) = operation.request_body.as_mut() else {
        return;
    };
    if body.required == Some(utoipa::openapi::Required::True) {
        return;
    }
    for content in body.content.values_mut() {
        if let Some(RefOr::T(Schema::OneOf(one_of))) = &content.schema {
            let mut others = one_of
                .items
                .iter()
                .filter(|item| serde_json::to_value(item).ok() != Some(json!({ "type": "null" })));
            if let (Some(only), None) = (others.next(), others.next()) {
                content.schema = Some(only.clone());
            }
        }
    }
}

fn error_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            Content::new(Some(Ref::from_schema_name("ErrorBody"))),
        )
        .build()
}

fn add_error(operation: &mut Operation, status: &str, description: &str) {
    operation
        .responses
        .responses
        .entry(status.to_owned())
        .or_insert_with(|| RefOr::T(error_response(description)));
}

/// The document as JSON, with links between operations: a client (or a stateful test)
/// can follow an answer into the next call. Written as JSON because utoipa 5 serialises
/// its `Link` with snake_case keys, which the OpenAPI schema refuses.
pub(super) fn to_json(doc: &OpenApi) -> Value {
    let mut json = serde_json::to_value(doc).expect("the OpenAPI document serialises");
    let links = [
        (
            ("/workspaces/{id}/partners", "post", "201"),
            &[
                ("change_partner_role", "The invited partner's role"),
                ("remove_partner", "Remove the invited partner"),
            ][..],
            &[
                ("id", "$request.path.id"),
                ("user_id", "$response.body#/user/id"),
            ][..],
        ),
        (
            ("/workspaces/{id}/access-requests", "post", "201"),
            &[
                ("approve_access_request", "Approve the request"),
                ("deny_access_request", "Deny the request"),
            ][..],
            &[("id", "$response.body#/id")][..],
        ),
        (
            ("/access-requests", "get", "200"),
            &[
                ("approve_access_request", "Approve the first request listed"),
                ("deny_access_request", "Deny the first request listed"),
            ][..],
            &[("id", "$response.body#/items/0/id")][..],
        ),
        (
            ("/partnerships", "get", "200"),
            &[
                ("partnership_detail", "The first partner team listed"),
                ("remove_partnership", "Remove the first partner team listed"),
            ][..],
            &[("team_id", "$response.body#/items/0/team/id")][..],
        ),
        (
            ("/workspaces", "get", "200"),
            &[
                ("get_workspace", "The first workspace listed"),
                ("list_members", "Its members"),
                ("update_settings", "Its settings"),
            ][..],
            &[("id", "$response.body#/items/0/id")][..],
        ),
    ];
    for ((path, method, status), targets, parameters) in links {
        let response = &mut json["paths"][path][method]["responses"][status];
        if !response.is_object() {
            continue;
        }
        let parameters: serde_json::Map<String, Value> = parameters
            .iter()
            .map(|(name, value)| ((*name).to_owned(), json!(value)))
            .collect();
        for (operation_id, description) in targets {
            response["links"][*operation_id] = json!({
                "operationId": operation_id,
                "parameters": parameters,
                "description": description,
            });
        }
    }
    json
}
