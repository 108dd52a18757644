//! Which key a request asks for.
//!
//! Shared keys 0..count follow a popularity law; optionally a share of requests ask for
//! the client's own session key (count + client address), which only a balancer that
//! keeps the client on one server can serve from a local cache.

use crate::alias::AliasTable;
use crate::rng::{below, chance, SimRng};
use crate::tagged::need;
use crate::zipf::Zipf;
use serde::{Deserialize, Serialize};

/// The key space and how requests spread over it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Keys {
    /// Number of shared keys.
    pub count: u64,
    /// How popular each shared key is.
    pub popularity: Popularity,
    /// Fraction of requests (0 to 1) for the client's own session key instead.
    #[serde(default)]
    pub session_share: f64,
}

/// A [`Popularity`] as the file writes it (see `crate::tagged`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PopularityFields {
    kind: PopularityKind,
    exponent: Option<f64>,
    hot_fraction: Option<f64>,
    hot_share: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum PopularityKind {
    Uniform,
    Zipf,
    HotSet,
}

impl TryFrom<PopularityFields> for Popularity {
    type Error = String;
    fn try_from(f: PopularityFields) -> Result<Self, String> {
        Ok(match f.kind {
            PopularityKind::Uniform => Popularity::Uniform,
            PopularityKind::Zipf => Popularity::Zipf {
                exponent: need(f.exponent, "exponent")?,
            },
            PopularityKind::HotSet => Popularity::HotSet {
                hot_fraction: need(f.hot_fraction, "hot_fraction")?,
                hot_share: need(f.hot_share, "hot_share")?,
            },
        })
    }
}

/// Popularity laws.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "PopularityFields")]
pub enum Popularity {
    /// Every key equally likely.
    Uniform,
    /// The k-th most popular key has weight 1 / k^exponent (web traffic: about 0.6–1).
    Zipf { exponent: f64 },
    /// `hot_share` of requests go to the first `hot_fraction` of keys, uniformly.
    HotSet { hot_fraction: f64, hot_share: f64 },
}

/// Draws keys for requests.
#[derive(Debug, Clone)]
pub struct KeySampler {
    keys: Keys,
    zipf: Option<ZipfDraw>,
}

/// Key spaces up to this size draw Zipf ranks from an alias table (built once, 12 bytes a
/// key); larger ones by rejection-inversion, which needs no table but an `exp` and a
/// `log1p` per draw (measured: 15 % of the full pipeline benchmark's time).
const ZIPF_TABLE_MAX_KEYS: u64 = 1 << 16;

/// How Zipf ranks are drawn: both exact, one fast and bounded in size.
#[derive(Debug, Clone)]
enum ZipfDraw {
    /// Rank − 1 from a table.
    Table(AliasTable),
    /// Rank by formula.
    Formula(Zipf),
}

impl ZipfDraw {
    fn new(count: u64, exponent: f64) -> Self {
        if count > ZIPF_TABLE_MAX_KEYS {
            return ZipfDraw::Formula(Zipf::new(count, exponent));
        }
        let weights: Vec<f64> = (1..=count)
            .map(|k| libm::pow(k as f64, -exponent))
            .collect();
        ZipfDraw::Table(AliasTable::new(&weights))
    }

    /// A key: rank − 1, so key 0 is the most popular.
    fn key(&self, rng: &mut SimRng) -> u64 {
        match self {
            ZipfDraw::Table(table) => table.sample(rng),
            ZipfDraw::Formula(zipf) => zipf.sample(rng) - 1,
        }
    }
}

impl KeySampler {
    /// A sampler for `keys` (already validated).
    pub fn new(keys: &Keys) -> Self {
        let zipf = match keys.popularity {
            Popularity::Zipf { exponent } => Some(ZipfDraw::new(keys.count, exponent)),
            _ => None,
        };
        Self {
            keys: keys.clone(),
            zipf,
        }
    }

    /// One key for a request from `client_ip`.
    pub fn sample(&self, rng: &mut SimRng, client_ip: u32) -> u64 {
        if self.keys.session_share > 0.0 && chance(rng, self.keys.session_share) {
            return self.keys.count + u64::from(client_ip);
        }
        match self.keys.popularity {
            Popularity::Uniform => uniform_below(rng, self.keys.count),
            Popularity::Zipf { .. } => self.zipf.as_ref().expect("built for zipf").key(rng),
            Popularity::HotSet {
                hot_fraction,
                hot_share,
            } => {
                let hot =
                    ((self.keys.count as f64 * hot_fraction) as u64).clamp(1, self.keys.count);
                if chance(rng, hot_share) || hot == self.keys.count {
                    uniform_below(rng, hot)
                } else {
                    hot + uniform_below(rng, self.keys.count - hot)
                }
            }
        }
    }
}

/// Uniform in 0..n for n up to 2^53 (key spaces are far smaller), portably.
fn uniform_below(rng: &mut SimRng, n: u64) -> u64 {
    match u32::try_from(n) {
        Ok(small) => u64::from(below(rng, small)),
        Err(_) => ((crate::rng::unit_open_below(rng) * n as f64) as u64).min(n - 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{stream, Stream};

    fn draws(keys: Keys, n: usize) -> Vec<u64> {
        let sampler = KeySampler::new(&keys);
        let mut rng = stream(3, Stream::Requests);
        (0..n)
            .map(|i| sampler.sample(&mut rng, (i % 10) as u32))
            .collect()
    }

    #[test]
    fn hot_set_sends_its_share_to_the_hot_keys() {
        let got = draws(
            Keys {
                count: 1000,
                popularity: Popularity::HotSet {
                    hot_fraction: 0.1,
                    hot_share: 0.9,
                },
                session_share: 0.0,
            },
            100_000,
        );
        let hot = got.iter().filter(|&&k| k < 100).count() as f64 / 100_000.0;
        assert!((hot - 0.9).abs() < 0.01, "{hot}");
        assert!(got.iter().all(|&k| k < 1000));
    }

    #[test]
    fn session_keys_belong_to_their_client() {
        let got = draws(
            Keys {
                count: 50,
                popularity: Popularity::Uniform,
                session_share: 0.3,
            },
            50_000,
        );
        let session: Vec<_> = got.iter().enumerate().filter(|(_, &k)| k >= 50).collect();
        let share = session.len() as f64 / 50_000.0;
        assert!((share - 0.3).abs() < 0.01, "{share}");
        assert!(session.iter().all(|(i, &k)| k == 50 + (*i % 10) as u64));
    }
}
