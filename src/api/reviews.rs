//! Access reviews: `GET/POST /api/reviews`, one review's page of grants, the decisions on
//! them, and the results' CSV.

use gloo_net::http::Method;
use partner_api::ReviewId;
use partner_api::reviews::{
    Decide, NewReview, ReviewChoices, ReviewDetail, ReviewList, ReviewQuery, ReviewSummary,
};

use super::{ApiError, client};

/// The reviews' path.
const REVIEWS_PATH: &str = "/api/reviews";

/// The path of one review (ids are the server's own, URL-safe, but escaped all the same).
fn review_path(id: &ReviewId) -> String {
    format!("{REVIEWS_PATH}/{}", super::path::segment(id.as_str()))
}

/// The path and query of `GET /api/reviews/{id}` (absent values are left out).
pub fn detail_path(id: &ReviewId, query: &ReviewQuery) -> String {
    // Only booleans and numbers: serializing cannot fail.
    match serde_urlencoded::to_string(query).unwrap_or_default() {
        encoded if encoded.is_empty() => review_path(id),
        encoded => format!("{}?{encoded}", review_path(id)),
    }
}

/// Where "Download results (CSV)" links: every grant of the review with its decision.
pub fn csv_url(id: &ReviewId) -> String {
    format!("{}/results.csv", review_path(id))
}

/// The reviews the caller may see, and whether they may start one.
pub async fn list() -> Result<ReviewList, ApiError> {
    client::get(REVIEWS_PATH).await
}

/// What "Start a review" offers: who may review, partner teams, workspaces (Team Admins).
pub async fn choices() -> Result<ReviewChoices, ApiError> {
    client::get(&format!("{REVIEWS_PATH}/choices")).await
}

/// Starts a review; its reviewers are emailed.
pub async fn start(review: &NewReview) -> Result<ReviewSummary, ApiError> {
    client::send(Method::POST, REVIEWS_PATH, Some(review)).await
}

/// A review and one page of its grants.
pub async fn detail(id: &ReviewId, query: &ReviewQuery) -> Result<ReviewDetail, ApiError> {
    client::get(&detail_path(id, query)).await
}

/// One decision on some grants of a review; the answer is the review's new progress.
pub async fn decide(id: &ReviewId, decide: &Decide) -> Result<ReviewSummary, ApiError> {
    client::send(
        Method::POST,
        &format!("{}/decisions", review_path(id)),
        Some(decide),
    )
    .await
}

#[cfg(test)]
mod tests {
    use partner_api::external_access::GrantKey;
    use partner_api::reviews::{ReviewDecision, ReviewScope};

    use super::*;

    #[test]
    fn the_detail_query_leaves_out_what_is_absent() {
        let id = ReviewId::from("r_1");
        assert_eq!(
            detail_path(&id, &ReviewQuery::default()),
            "/api/reviews/r_1"
        );
        assert_eq!(
            detail_path(
                &id,
                &ReviewQuery {
                    undecided: Some(true),
                    page: Some(2),
                    per_page: Some(50),
                }
            ),
            "/api/reviews/r_1?undecided=true&page=2&per_page=50"
        );
        assert_eq!(
            detail_path(&ReviewId::from("a/b?c"), &ReviewQuery::default()),
            "/api/reviews/a%2Fb%3Fc"
        );
        assert_eq!(csv_url(&id), "/api/reviews/r_1/results.csv");
    }

    #[test]
    fn bodies_are_sent_as_the_contract_says() {
        let review = NewReview {
            scope: ReviewScope::Workspace {
                workspace_id: "w1".into(),
            },
            reviewers: vec!["u_paul".into()],
            due_on: "2026-02-01".to_owned(),
            undecided: ReviewDecision::Remove,
        };
        assert_eq!(
            serde_json::to_string(&review).unwrap(),
            r#"{"scope":{"kind":"workspace","workspace_id":"w1"},"reviewers":["u_paul"],"due_on":"2026-02-01","undecided":"remove"}"#
        );
        let decide = Decide {
            grants: vec![GrantKey {
                workspace_id: "w1".into(),
                user_id: "u1".into(),
            }],
            decision: ReviewDecision::Keep,
        };
        assert_eq!(
            serde_json::to_string(&decide).unwrap(),
            r#"{"grants":[{"workspace_id":"w1","user_id":"u1"}],"decision":"keep"}"#
        );
    }
}
