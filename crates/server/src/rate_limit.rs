//! Sign-in throttling as OWASP's authentication guidance describes it: failed sign-ins are
//! counted, not attempts, per (account, client) and per client, and only the client that
//! has been failing is slowed down. Someone guessing an account's password from elsewhere
//! therefore never locks its owner out: a client that has not been failing gets the right
//! password accepted, however many wrong ones arrive for that account from other clients.
//!
//! Each count is a leaky bucket: a failure adds one, one drains away per interval, and an
//! attempt is refused while the bucket is full. Memory is bounded: at most
//! [`MAX_TRACKED`] keys of each kind are kept (the least used are forgotten first).
//!
//! Several servers: the buckets live in each process, so with N servers behind a balancer
//! each one is started with `--sign-in-servers N` and keeps 1/N of the budget (a bucket of
//! a 1/N of the size, rounded up, draining N times slower). However the balancer spreads a
//! client's attempts, all servers together allow the budget above (plus at most one per
//! server for the rounding), never N times it; the owner is never locked out either way,
//! because only the failing client's buckets fill.

use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use quick_cache::sync::Cache;

use crate::error::AppError;

/// How many failures a bucket holds, and how fast they drain.
#[derive(Debug, Clone, Copy)]
struct Policy {
    capacity: u32,
    drain_every: Duration,
}

/// One account from one client: five wrong passwords, then one more try a minute.
const PER_ACCOUNT_AND_CLIENT: Policy = Policy {
    capacity: 5,
    drain_every: Duration::from_secs(60),
};

/// One client over all accounts (credential stuffing): twenty, then four a minute. Several
/// people may share one address (an office behind NAT), hence the larger burst.
const PER_CLIENT: Policy = Policy {
    capacity: 20,
    drain_every: Duration::from_secs(15),
};

/// Keys of each kind kept at most (a few hundred bytes each).
pub const MAX_TRACKED: usize = 100_000;

/// Who is signing in, as far as throttling is concerned: an IPv4 address, or the /64 of an
/// IPv6 address (one subscriber usually holds a whole /64, so single IPv6 addresses are
/// free to anyone who wants more budget).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientKey(IpAddr);

impl ClientKey {
    /// The key of a client address.
    pub fn of(ip: IpAddr) -> Self {
        match ip.to_canonical() {
            IpAddr::V4(v4) => Self(IpAddr::V4(v4)),
            IpAddr::V6(v6) => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                Self(IpAddr::V6(Ipv6Addr::from(prefix)))
            }
        }
    }
}

/// Failures that drain over time.
#[derive(Debug)]
struct Bucket {
    level: f64,
    at: Instant,
}

impl Policy {
    /// This server's share of the budget when `servers` share it.
    fn share(self, servers: u32) -> Self {
        let servers = servers.max(1);
        Self {
            capacity: self.capacity.div_ceil(servers),
            drain_every: self.drain_every * servers,
        }
    }
}

impl Bucket {
    fn drained(&mut self, policy: Policy, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.level = (self.level - elapsed / policy.drain_every.as_secs_f64()).max(0.0);
        self.at = now;
        self.level
    }

    /// How long until one more failure fits, or `None` if it fits now.
    fn wait(&mut self, policy: Policy, now: Instant) -> Option<Duration> {
        let over = self.drained(policy, now) - f64::from(policy.capacity - 1);
        (over > 0.0).then(|| policy.drain_every.mul_f64(over))
    }
}

type Buckets<K> = Cache<K, Arc<Mutex<Bucket>>>;

fn bucket<K: Eq + std::hash::Hash + Clone>(buckets: &Buckets<K>, key: &K) -> Arc<Mutex<Bucket>> {
    buckets
        .get_or_insert_with(key, || {
            Ok::<_, std::convert::Infallible>(Arc::new(Mutex::new(Bucket {
                level: 0.0,
                at: Instant::now(),
            })))
        })
        .unwrap_or_else(|never| match never {})
}

fn wait_of<K: Eq + std::hash::Hash + Clone>(
    buckets: &Buckets<K>,
    key: &K,
    policy: Policy,
    now: Instant,
) -> Option<Duration> {
    let bucket = buckets.get(key)?;
    let mut bucket = bucket
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    bucket.wait(policy, now)
}

fn add_failure<K: Eq + std::hash::Hash + Clone>(
    buckets: &Buckets<K>,
    key: &K,
    policy: Policy,
    now: Instant,
) {
    let bucket = bucket(buckets, key);
    let mut bucket = bucket
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    bucket.drained(policy, now);
    bucket.level += 1.0;
}

/// The sign-in throttle shared by all requests (cheap to clone).
#[derive(Clone)]
pub struct SignInLimiter {
    by_account_and_client: Arc<Buckets<(String, ClientKey)>>,
    by_client: Arc<Buckets<ClientKey>>,
    per_account_and_client: Policy,
    per_client: Policy,
}

impl Default for SignInLimiter {
    fn default() -> Self {
        Self::with_capacity(MAX_TRACKED)
    }
}

/// The account an email names, as the throttle keys it.
fn account_key(email: &str) -> String {
    email.trim().to_lowercase()
}

impl SignInLimiter {
    /// A throttle that tracks at most `keys` keys of each kind.
    pub fn with_capacity(keys: usize) -> Self {
        Self {
            by_account_and_client: Arc::new(Cache::new(keys)),
            by_client: Arc::new(Cache::new(keys)),
            per_account_and_client: PER_ACCOUNT_AND_CLIENT,
            per_client: PER_CLIENT,
        }
    }

    /// This server's share when `servers` servers share the budget (see the module).
    #[must_use]
    pub fn shared_by(mut self, servers: u32) -> Self {
        self.per_account_and_client = PER_ACCOUNT_AND_CLIENT.share(servers);
        self.per_client = PER_CLIENT.share(servers);
        self
    }

    /// Refuses (429, saying when to try again) an attempt from a client that has failed too
    /// often, on this account or overall. Counts nothing: only failures are counted.
    pub fn check(&self, email: &str, client: ClientKey) -> Result<(), AppError> {
        self.check_at(email, client, Instant::now())
    }

    /// Counts a failed sign-in (wrong password, or an address that has no account).
    pub fn failed(&self, email: &str, client: ClientKey) {
        self.failed_at(email, client, Instant::now());
    }

    /// A successful sign-in clears this client's failures on this account (not its
    /// failures overall: a stuffing client that guesses one right is still slowed).
    pub fn succeeded(&self, email: &str, client: ClientKey) {
        self.by_account_and_client
            .remove(&(account_key(email), client));
    }

    fn check_at(&self, email: &str, client: ClientKey, now: Instant) -> Result<(), AppError> {
        let waits = [
            wait_of(&self.by_client, &client, self.per_client, now),
            wait_of(
                &self.by_account_and_client,
                &(account_key(email), client),
                self.per_account_and_client,
                now,
            ),
        ];
        match waits.into_iter().flatten().max() {
            Some(wait) => Err(AppError::RateLimited {
                retry_after: wait.max(Duration::from_secs(1)),
            }),
            None => Ok(()),
        }
    }

    fn failed_at(&self, email: &str, client: ClientKey, now: Instant) {
        add_failure(&self.by_client, &client, self.per_client, now);
        add_failure(
            &self.by_account_and_client,
            &(account_key(email), client),
            self.per_account_and_client,
            now,
        );
    }
}

/// SSO sign-ins one client may start: each one writes a row and asks its identity
/// provider, so each counts, finished or not. 60 at once, then one every 2 s.
const SSO_STARTS_PER_CLIENT: Policy = Policy {
    capacity: 60,
    drain_every: Duration::from_secs(2),
};

/// A budget of actions per client, where every action counts (SSO sign-ins started).
#[derive(Clone)]
pub struct ClientBudget {
    buckets: Arc<Buckets<ClientKey>>,
    policy: Policy,
}

impl ClientBudget {
    /// The budget of SSO sign-ins started, this server's share of it when `servers`
    /// servers share it.
    pub fn sso_starts(servers: u32) -> Self {
        Self {
            buckets: Arc::new(Cache::new(MAX_TRACKED)),
            policy: SSO_STARTS_PER_CLIENT.share(servers),
        }
    }

    /// Spends one of `client`'s budget, or says (429) when it can try again.
    pub fn spend(&self, client: ClientKey) -> Result<(), AppError> {
        self.spend_at(client, Instant::now())
    }

    fn spend_at(&self, client: ClientKey, now: Instant) -> Result<(), AppError> {
        if let Some(retry_after) = wait_of(&self.buckets, &client, self.policy, now) {
            return Err(AppError::RateLimited { retry_after });
        }
        add_failure(&self.buckets, &client, self.policy, now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_starts_sixty_sso_sign_ins_then_one_every_two_seconds() {
        let budget = ClientBudget::sso_starts(1);
        let (one, other) = (client("203.0.113.7"), client("198.51.100.1"));
        let now = Instant::now();
        for _ in 0..60 {
            budget.spend_at(one, now).unwrap();
        }
        assert!(matches!(
            budget.spend_at(one, now),
            Err(AppError::RateLimited { .. })
        ));
        budget.spend_at(other, now).unwrap();
        budget.spend_at(one, now + Duration::from_secs(2)).unwrap();
    }

    fn client(ip: &str) -> ClientKey {
        ClientKey::of(ip.parse().unwrap())
    }

    fn fail(limiter: &SignInLimiter, email: &str, from: ClientKey, now: Instant, times: u32) {
        for _ in 0..times {
            limiter.check_at(email, from, now).unwrap();
            limiter.failed_at(email, from, now);
        }
    }

    #[test]
    fn failures_from_one_client_never_lock_the_owner_out() {
        let limiter = SignInLimiter::default();
        let now = Instant::now();
        let attacker = client("203.0.113.9");
        fail(&limiter, "gina@globex.test", attacker, now, 5);
        assert!(
            limiter
                .check_at("GINA@globex.test ", attacker, now)
                .is_err()
        );
        // The owner, from where she always signs in, is not affected.
        limiter
            .check_at("gina@globex.test", client("198.51.100.7"), now)
            .unwrap();
    }

    #[test]
    fn a_full_bucket_says_how_long_to_wait_and_drains() {
        let limiter = SignInLimiter::default();
        let now = Instant::now();
        let from = client("203.0.113.9");
        fail(&limiter, "gina@globex.test", from, now, 5);
        let Err(AppError::RateLimited { retry_after }) =
            limiter.check_at("gina@globex.test", from, now)
        else {
            panic!("the sixth failure in a row is refused");
        };
        assert_eq!(retry_after, PER_ACCOUNT_AND_CLIENT.drain_every);
        limiter
            .check_at("gina@globex.test", from, now + retry_after)
            .unwrap();
    }

    #[test]
    fn a_client_failing_across_accounts_is_slowed_everywhere() {
        let limiter = SignInLimiter::default();
        let now = Instant::now();
        let stuffer = client("203.0.113.9");
        for n in 0..PER_CLIENT.capacity {
            fail(
                &limiter,
                &format!("person{n}@example.test"),
                stuffer,
                now,
                1,
            );
        }
        assert!(limiter.check_at("new@example.test", stuffer, now).is_err());
        limiter
            .check_at("new@example.test", client("198.51.100.7"), now)
            .unwrap();
    }

    #[test]
    fn success_clears_the_accounts_failures_from_that_client() {
        let limiter = SignInLimiter::default();
        let now = Instant::now();
        let owner = client("198.51.100.7");
        fail(&limiter, "gina@globex.test", owner, now, 4);
        limiter.succeeded("gina@globex.test", owner);
        fail(&limiter, "gina@globex.test", owner, now, 4);
    }

    #[test]
    fn servers_sharing_the_budget_allow_no_more_than_one_server_did() {
        let now = Instant::now();
        let from = client("203.0.113.9");
        for servers in [2_u32, 3, 4] {
            let limiters: Vec<_> = (0..servers)
                .map(|_| SignInLimiter::default().shared_by(servers))
                .collect();
            // A balancer that sends each attempt to whichever server still lets it in.
            let mut allowed = 0;
            for _ in 0..100 {
                let Some(open) = limiters
                    .iter()
                    .find(|l| l.check_at("gina@globex.test", from, now).is_ok())
                else {
                    break;
                };
                open.failed_at("gina@globex.test", from, now);
                allowed += 1;
            }
            assert!(
                allowed <= PER_ACCOUNT_AND_CLIENT.capacity + servers,
                "{servers} servers allowed {allowed}"
            );
            assert!(
                allowed >= PER_ACCOUNT_AND_CLIENT.capacity,
                "{servers}: {allowed}"
            );
            // And the drain over all of them is the single server's rate.
            let later = now + PER_ACCOUNT_AND_CLIENT.drain_every * servers;
            let reopened = limiters
                .iter()
                .filter(|l| l.check_at("gina@globex.test", from, later).is_ok())
                .count();
            assert!(reopened as u32 <= servers);
        }
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64() {
        assert_eq!(client("2001:db8:1:2::1"), client("2001:db8:1:2:ffff::9"));
        assert_ne!(client("2001:db8:1:2::1"), client("2001:db8:1:3::1"));
        assert_eq!(client("::ffff:192.0.2.1"), client("192.0.2.1"));
        assert_ne!(client("192.0.2.1"), client("192.0.2.2"));
    }

    #[test]
    fn memory_is_bounded() {
        let limiter = SignInLimiter::with_capacity(1000);
        let now = Instant::now();
        for n in 0..20_000u32 {
            let ip = IpAddr::from(n.to_be_bytes());
            limiter.failed_at("gina@globex.test", ClientKey::of(ip), now);
        }
        assert!(limiter.by_client.len() <= 1000);
        assert!(limiter.by_account_and_client.len() <= 1000);
    }
}
