//! Where each component sits on the topology canvas. Drawing, the dots and hovering
//! all use the same layout, so what you point at is what is drawn there.

use loadlab_sim::server::Lifecycle;
use loadlab_sim::Simulation;

/// A rectangle in canvas pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    /// Its centre.
    pub fn centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x && x <= self.x + self.w && y >= self.y && y <= self.y + self.h
    }
}

/// A component one can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Where requests come from.
    Clients,
    /// The load balancer.
    Balancer,
    /// A server, by index.
    Server(u32),
    /// The shared cache node.
    Cache,
    /// The rate limiter in front of the balancer.
    Limiter,
    /// The message queue in front of the database's primaries.
    WriteQueue,
    /// The database as a whole.
    Database,
    /// A database node, by its place in `Db::nodes` (shard by shard, primary first).
    DbNode(usize),
}

/// Positions of every component.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub clients: Rect,
    /// The rate limiter, if there is one (between the clients and the balancer).
    pub limiter: Option<Rect>,
    pub balancer: Rect,
    /// Servers that are not retired, by index.
    pub servers: Vec<(u32, Rect)>,
    /// The shared cache, if there is one.
    pub cache: Option<Rect>,
    /// The write queue, if writes go through one (beside the cache, above the database).
    pub write_queue: Option<Rect>,
    /// The database's frame, if there is one.
    pub database: Option<Rect>,
    /// Its nodes, in the order of `Db::nodes`: a row per shard, the primary first.
    pub db_nodes: Vec<Rect>,
}

impl Layout {
    /// Lays out `sim` on a canvas of `w` × `h`.
    pub fn of(sim: &Simulation, w: f64, h: f64) -> Self {
        let scenario = sim.scenario();
        let shared_cache = scenario
            .cache
            .as_ref()
            .is_some_and(|c| c.placement == loadlab_sim::cache::Placement::Shared);
        let column = |share: f64| w * share;
        let servers: Vec<u32> = sim
            .servers()
            .iter()
            .enumerate()
            .filter(|(_, s)| s.lifecycle() != Lifecycle::Retired)
            .map(|(i, _)| i as u32)
            .collect();
        let row = (h - 16.0) / servers.len().max(1) as f64;
        let box_h = (row - 6.0).clamp(18.0, 70.0);
        let mid = h / 2.0;
        Self {
            clients: Rect {
                x: 8.0,
                y: mid - 30.0,
                w: column(0.08),
                h: 60.0,
            },
            limiter: scenario.protection.rate_limit.map(|_| Rect {
                x: column(0.095),
                y: mid - 22.0,
                w: column(0.065),
                h: 44.0,
            }),
            balancer: Rect {
                x: column(0.17),
                y: mid - 30.0,
                w: column(0.1),
                h: 60.0,
            },
            servers: servers
                .iter()
                .enumerate()
                .map(|(row_i, &index)| {
                    let y = 8.0 + row * row_i as f64 + (row - box_h) / 2.0;
                    (
                        index,
                        Rect {
                            x: column(0.34),
                            y,
                            w: column(0.38),
                            h: box_h,
                        },
                    )
                })
                .collect(),
            cache: shared_cache.then(|| Rect {
                x: column(0.78),
                y: mid - 60.0,
                w: column(0.1),
                h: 50.0,
            }),
            write_queue: scenario
                .database
                .as_ref()
                .and_then(|d| d.write_queue)
                .map(|_| Rect {
                    x: column(0.89),
                    y: mid - 60.0,
                    w: column(0.105),
                    h: 50.0,
                }),
            database: database_frame(sim, w, h),
            db_nodes: database_frame(sim, w, h)
                .zip(scenario.database.as_ref())
                .map_or_else(Vec::new, |(frame, d)| {
                    node_rects(frame, d.shards, d.replicas)
                }),
        }
    }

    /// The component at (`x`, `y`), if any.
    pub fn hit(&self, x: f64, y: f64) -> Option<Part> {
        if self.clients.contains(x, y) {
            return Some(Part::Clients);
        }
        if self.balancer.contains(x, y) {
            return Some(Part::Balancer);
        }
        if self.limiter.is_some_and(|r| r.contains(x, y)) {
            return Some(Part::Limiter);
        }
        if self.write_queue.is_some_and(|r| r.contains(x, y)) {
            return Some(Part::WriteQueue);
        }
        if let Some(&(i, _)) = self.servers.iter().find(|(_, r)| r.contains(x, y)) {
            return Some(Part::Server(i));
        }
        if self.cache.is_some_and(|r| r.contains(x, y)) {
            return Some(Part::Cache);
        }
        if let Some(i) = self.db_nodes.iter().position(|r| r.contains(x, y)) {
            return Some(Part::DbNode(i));
        }
        self.database
            .filter(|r| r.contains(x, y))
            .map(|_| Part::Database)
    }

    /// The rectangle of server `index`, if shown.
    pub fn server(&self, index: u32) -> Option<Rect> {
        self.servers
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, r)| *r)
    }
}

impl Layout {
    /// Every part's box in whole CSS pixels (layout units × `scale`), as a JSON object
    /// keyed by part (`"balancer"`, `"server-2"`, `"db-node-0"`, ...) of `[x, y, w, h]`:
    /// published on the canvas for tests that point at a part, so they need not copy
    /// this layout's arithmetic.
    pub fn parts_json(&self, scale: f64) -> String {
        let named = [
            ("clients", Some(self.clients)),
            ("limiter", self.limiter),
            ("balancer", Some(self.balancer)),
            ("cache", self.cache),
            ("write-queue", self.write_queue),
            ("database", self.database),
        ];
        let mut json = vec![b'{'];
        for (name, rect) in named {
            if let Some(r) = rect {
                push_part(&mut json, name, None, r, scale);
            }
        }
        for &(i, r) in &self.servers {
            push_part(&mut json, "server-", Some(i), r, scale);
        }
        for (i, &r) in (0..).zip(&self.db_nodes) {
            push_part(&mut json, "db-node-", Some(i), r, scale);
        }
        // The last part's comma closes the object.
        json.pop();
        json.push(b'}');
        String::from_utf8(json).unwrap_or_default()
    }
}

/// Appends `"name[index]":[x,y,w,h],` to `json`, the box scaled to whole pixels. Bytes
/// and digits by hand: measured smaller in the download than formatting each number.
fn push_part(json: &mut Vec<u8>, name: &str, index: Option<u32>, r: Rect, scale: f64) {
    json.push(b'"');
    json.extend_from_slice(name.as_bytes());
    if let Some(i) = index {
        push_whole(json, i);
    }
    json.extend_from_slice(b"\":[");
    for v in [r.x, r.y, r.w, r.h] {
        push_whole(json, (v * scale) as u32);
        json.push(b',');
    }
    json.pop();
    json.extend_from_slice(b"],");
}

/// Appends `n` in decimal.
fn push_whole(json: &mut Vec<u8>, n: u32) {
    if n >= 10 {
        push_whole(json, n / 10);
    }
    json.push(b'0' + (n % 10) as u8);
}

/// Height of the database frame's title line.
pub const DB_TITLE: f64 = 18.0;

/// The database's frame: the lower right, under the shared cache.
fn database_frame(sim: &Simulation, w: f64, h: f64) -> Option<Rect> {
    let shards = sim.scenario().database.as_ref()?.shards;
    let top = h / 2.0 + 4.0;
    // As tall as its rows need (36 each at most), within the canvas.
    let wanted = DB_TITLE + 8.0 + 36.0 * f64::from(shards);
    Some(Rect {
        x: w * 0.76,
        y: top,
        w: w * 0.235,
        h: wanted.min(h - 6.0 - top).max(40.0),
    })
}

/// A row per shard: the primary on the left, its replicas side by side after it.
fn node_rects(frame: Rect, shards: u32, replicas: u32) -> Vec<Rect> {
    let inner = Rect {
        x: frame.x + 4.0,
        y: frame.y + DB_TITLE,
        w: frame.w - 8.0,
        h: frame.h - DB_TITLE - 4.0,
    };
    let row = (inner.h / f64::from(shards.max(1))).min(36.0);
    let primary_w = if replicas == 0 {
        inner.w
    } else {
        inner.w * 0.4
    };
    let replica_w = (inner.w - primary_w) / f64::from(replicas.max(1));
    let mut out = Vec::new();
    for shard in 0..shards {
        let y = inner.y + row * f64::from(shard);
        let h = (row - 3.0).max(4.0);
        out.push(Rect {
            x: inner.x,
            y,
            w: primary_w - 3.0,
            h,
        });
        for r in 0..replicas {
            out.push(Rect {
                x: inner.x + primary_w + replica_w * f64::from(r),
                y,
                w: (replica_w - 3.0).max(2.0),
                h,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use loadlab_sim::Scenario;

    /// The published parts are JSON with every part drawn, in whole CSS pixels.
    #[test]
    fn parts_are_published_as_json() {
        let sim = Simulation::new(Scenario::default()).unwrap();
        let layout = Layout::of(&sim, 800.0, 400.0);
        let json: serde_json::Value = serde_json::from_str(&layout.parts_json(2.0)).unwrap();
        let balancer: Vec<f64> = serde_json::from_value(json["balancer"].clone()).unwrap();
        let r = layout.balancer;
        let whole = |v: f64| (v * 2.0).trunc();
        assert_eq!(balancer, [r.x, r.y, r.w, r.h].map(whole));
        for i in 0..4 {
            assert!(json[format!("server-{i}")].is_array(), "server {i}");
        }
        assert!(json["database"].is_array() && json["db-node-0"].is_array());
        assert!(
            json.get("limiter").is_none(),
            "no rate limiter in the default"
        );
    }
}
