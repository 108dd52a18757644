//! The names the page shares with its style sheet and its tests, typed: a control
//! group or a chart misnamed in a lesson or a presenter rule fails to compile instead
//! of quietly hiding an element.

/// A control group (a panel) of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelId {
    Lessons,
    Time,
    Compare,
    Theory,
    Traffic,
    Balancer,
    Servers,
    Cache,
    Database,
    Protection,
    Share,
    Curves,
}

impl PanelId {
    /// The group's element id.
    pub const fn id(self) -> &'static str {
        match self {
            PanelId::Lessons => "lessons",
            PanelId::Time => "time",
            PanelId::Compare => "compare",
            PanelId::Theory => "theory",
            PanelId::Traffic => "traffic",
            // "balancer" is the algorithm's select inside it.
            PanelId::Balancer => "balancer-group",
            PanelId::Servers => "servers",
            PanelId::Cache => "cache",
            PanelId::Database => "database",
            PanelId::Protection => "protection",
            PanelId::Share => "share",
            PanelId::Curves => "curves",
        }
    }

    /// The groups a lesson can work with: the settings groups and the theory.
    pub const LESSON_GROUPS: [PanelId; 7] = [
        PanelId::Traffic,
        PanelId::Balancer,
        PanelId::Servers,
        PanelId::Cache,
        PanelId::Database,
        PanelId::Protection,
        PanelId::Theory,
    ];

    /// The group a course file names: one of [`Self::LESSON_GROUPS`].
    pub fn by_name(name: &str) -> Option<PanelId> {
        Some(match name {
            "traffic" => PanelId::Traffic,
            "balancer" => PanelId::Balancer,
            "servers" => PanelId::Servers,
            "cache" => PanelId::Cache,
            "database" => PanelId::Database,
            "protection" => PanelId::Protection,
            "theory" => PanelId::Theory,
            _ => return None,
        })
    }
}

/// A set of panels, one bit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Groups(u16);

impl Groups {
    /// The set of `panels`.
    pub fn of(panels: impl Iterator<Item = PanelId>) -> Self {
        Groups(panels.fold(0, |bits, p| bits | 1 << p as u16))
    }

    /// Whether `panel` is in the set.
    pub fn contains(self, panel: PanelId) -> bool {
        self.0 & 1 << panel as u16 != 0
    }
}

/// A live chart of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartId {
    Latency,
    Throughput,
    HitRate,
    Queues,
    Spread,
    DbNodes,
    DbTrouble,
}

impl ChartId {
    /// Every chart, in page order.
    pub const ALL: [ChartId; 7] = [
        ChartId::Latency,
        ChartId::Throughput,
        ChartId::HitRate,
        ChartId::Queues,
        ChartId::Spread,
        ChartId::DbNodes,
        ChartId::DbTrouble,
    ];

    /// The chart canvas's element id.
    pub const fn id(self) -> &'static str {
        match self {
            ChartId::Latency => "chart-latency",
            ChartId::Throughput => "chart-throughput",
            ChartId::HitRate => "chart-hit-rate",
            ChartId::Queues => "chart-queues",
            ChartId::Spread => "chart-spread",
            ChartId::DbNodes => "chart-db-nodes",
            ChartId::DbTrouble => "chart-db-trouble",
        }
    }
}

/// The class of a group or chart that presenter mode (and an embedded page) hides
/// (static/style.css): a class, because the page's Content-Security-Policy forbids
/// inline styles.
pub const PRESENTER_HIDDEN: &str = "presenter-hidden";
