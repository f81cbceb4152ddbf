//! Whether an access request can still be decided as asked: what made it make sense may
//! have changed since it was asked, so this is checked inside the deciding transaction.

/// What the deciding transaction read about the request now.
#[derive(Debug, Clone, Copy)]
pub struct RequestNow<'a> {
    /// The requester's team, `None` when they have left it.
    pub requester_team: Option<&'a str>,
    /// The team that publishes the workspace.
    pub publisher: &'a str,
    /// Whether the workspace is still a partner workspace.
    pub partner_workspace: bool,
    /// Approving (granting access), not denying.
    pub approving: bool,
}

/// The team the grant would belong to, or why the request is moot (it is then dropped).
pub fn still_decidable<'a>(now: RequestNow<'a>) -> Result<&'a str, &'static str> {
    match now.requester_team {
        None => Err("The requester has left their team, so the request was dropped."),
        Some(team) if team == now.publisher => Err(
            "The requester has since joined your team, so they need no partner access; the \
             request was dropped. Give them a workspace role instead.",
        ),
        Some(_) if now.approving && !now.partner_workspace => Err(
            "This workspace is no longer shared with partners, so the request can't be \
             approved and was dropped. Make it a partner workspace again to invite them.",
        ),
        Some(team) => Ok(team),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now(
        requester_team: Option<&str>,
        partner_workspace: bool,
        approving: bool,
    ) -> RequestNow<'_> {
        RequestNow {
            requester_team,
            publisher: "acme",
            partner_workspace,
            approving,
        }
    }

    #[test]
    fn a_request_from_another_team_to_a_partner_workspace_can_be_decided() {
        assert_eq!(
            still_decidable(now(Some("globex"), true, true)),
            Ok("globex")
        );
        assert_eq!(
            still_decidable(now(Some("globex"), true, false)),
            Ok("globex")
        );
    }

    #[test]
    fn requests_that_became_moot_are_dropped_with_a_reason() {
        // Left their team; joined the publisher's team (a grant from a team to itself).
        for approving in [true, false] {
            assert!(still_decidable(now(None, true, approving)).is_err());
            assert!(still_decidable(now(Some("acme"), true, approving)).is_err());
        }
        // No longer a partner workspace: can't be approved, can still be denied.
        assert!(still_decidable(now(Some("globex"), false, true)).is_err());
        assert_eq!(
            still_decidable(now(Some("globex"), false, false)),
            Ok("globex")
        );
    }
}
