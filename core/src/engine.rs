//! The engine: a compiled profile and, optionally, the seat's entity tree.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use crate::error::DirectoryError;
use crate::ids::id_type;
use crate::model::{Directory, EntityRef};
use crate::profile::{Profile, MAX_LEVELS};

id_type! {
    /// Index of an entity in the directory.
    pub struct NodeId;
}

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub entity: EntityRef,
    pub level: usize,
    pub parent: Option<NodeId>,
    pub children: Vec<NodeId>,
    pub name: Option<String>,
}

/// The directory compiled for lookups: entity -> node, node -> parent and children.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tree {
    pub nodes: Vec<Node>,
    /// One map per scope level: entity id -> node.
    index: Vec<HashMap<String, usize>>,
}

impl Tree {
    pub fn find(&self, level: usize, id: &str) -> Option<NodeId> {
        self.index.get(level)?.get(id).copied().map(NodeId::new)
    }

    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(id.index())
    }

    /// The node and its ancestors, nearest first. Every walk up the tree steps with
    /// `parent`; it ends because `build_tree` gives every parent a level above its child's.
    pub fn lineage(&self, node: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.node(node).map(|_| node), |n| self.parent(*n))
    }

    /// The parent of a node: the one step of every walk up the tree.
    pub fn parent(&self, node: NodeId) -> Option<NodeId> {
        self.node(node)?.parent
    }

    /// Is `ancestor` the node itself or one of its ancestors?
    pub fn covers(&self, ancestor: NodeId, node: NodeId) -> bool {
        self.lineage(node).any(|n| n == ancestor)
    }

    /// The entities at the top level (partners, organizations), in directory order.
    pub fn tops(&self) -> impl Iterator<Item = &EntityRef> {
        self.nodes
            .iter()
            .filter(|n| n.level == 0)
            .map(|n| &n.entity)
    }

    /// The node and every descendant, depth first, with the node first.
    pub fn subtree(&self, root: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut stack = vec![root];
        while let Some(n) = stack.pop() {
            out.push(n);
            if let Some(node) = self.nodes.get(n.index()) {
                stack.extend(node.children.iter().rev());
            }
        }
        out
    }
}

/// Where an entity sits: its level, and its directory node when the directory holds it.
pub(crate) type Place = (usize, Option<NodeId>);

/// Answers questions about users under one profile and, optionally, one directory.
#[derive(Debug, Clone)]
pub struct Engine {
    profile: Arc<Profile>,
    tree: Option<Tree>,
}

impl Engine {
    /// An engine for `profile`, with the seat's entity tree when one is known.
    pub fn new(profile: Profile, directory: Option<&Directory>) -> Result<Engine, DirectoryError> {
        let tree = match directory {
            Some(d) => Some(build_tree(&profile, d)?),
            None => None,
        };
        Ok(Engine {
            profile: Arc::new(profile),
            tree,
        })
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    pub fn has_directory(&self) -> bool {
        self.tree.is_some()
    }

    /// Resolves an entity reference: its level index and, with a directory, its node.
    pub(crate) fn locate(&self, entity: &EntityRef) -> Located {
        let Some(level) = self.profile.level_index(&entity.level) else {
            return Located::UnknownLevel;
        };
        match &self.tree {
            None => Located::Known { level, node: None },
            Some(tree) => match tree.find(level, &entity.id) {
                Some(node) => Located::Known {
                    level,
                    node: Some(node),
                },
                None => Located::UnknownEntity { level },
            },
        }
    }

    /// Does an assignment on `holder` cover `target` (the same entity or an ancestor of it)?
    pub(crate) fn covers(&self, holder: &EntityRef, target: &EntityRef) -> Option<CoverKind> {
        if holder == target {
            return Some(CoverKind::Direct);
        }
        let (h, t) = (self.place(holder)?, self.place(target)?);
        self.covers_below(h, t).then_some(CoverKind::Inherited)
    }

    /// An entity's level, and its directory node when the directory holds it. `None` for a
    /// level the profile does not have.
    pub(crate) fn place(&self, entity: &EntityRef) -> Option<Place> {
        self.locate(entity).place()
    }

    /// Is the entity at `holder` an ancestor of the one at `target`, in the directory?
    pub(crate) fn covers_below(&self, (hl, h): Place, (tl, t): Place) -> bool {
        match (&self.tree, h, t) {
            (Some(tree), Some(h), Some(t)) => hl < tl && tree.covers(h, t),
            _ => false,
        }
    }

    /// The ancestors of a node, nearest first.
    pub(crate) fn ancestor_nodes(&self, node: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        let tree = self.tree.as_ref();
        let parent = tree.and_then(|t| t.parent(node));
        std::iter::successors(parent, move |n| tree?.parent(*n))
    }

    /// The directory, when the engine has one.
    pub(crate) fn tree(&self) -> Option<&Tree> {
        self.tree.as_ref()
    }

    /// A node of the directory.
    pub(crate) fn node(&self, node: NodeId) -> Option<&Node> {
        self.tree.as_ref()?.node(node)
    }

    /// How many entities the directory holds (0 without one): the keys below this number
    /// are directory nodes.
    pub(crate) fn directory_len(&self) -> usize {
        self.tree.as_ref().map_or(0, |t| t.nodes.len())
    }

    /// Display name of an entity, from the directory.
    pub fn entity_name(&self, entity: &EntityRef) -> Option<&str> {
        let (_, node) = self.place(entity)?;
        self.node(node?)?.name.as_deref()
    }

    /// `partner:1 (Acme)` when the directory knows a name.
    pub fn describe_entity(&self, entity: &EntityRef) -> String {
        match self.entity_name(entity) {
            Some(name) => format!("{entity} ({name})"),
            None => entity.to_string(),
        }
    }
}

/// An entity and its ancestors, nearest first, as (level index, id): what `can` compares
/// each assignment with, without hashing per assignment.
pub(crate) struct Chain<'a> {
    links: [(usize, &'a str); MAX_LEVELS],
    len: usize,
}

impl<'a> Chain<'a> {
    fn push(&mut self, level: usize, id: &'a str) -> bool {
        match self.links.get_mut(self.len) {
            Some(slot) => {
                *slot = (level, id);
                self.len += 1;
                true
            }
            None => false,
        }
    }

    /// How an assignment on `holder` (at level `level`) covers the chain's entity.
    pub fn covered_by(&self, level: usize, holder: &str) -> Option<CoverKind> {
        let links = self.links.get(..self.len)?;
        let i = links
            .iter()
            .position(|(l, id)| *l == level && *id == holder)?;
        Some(if i == 0 {
            CoverKind::Direct
        } else {
            CoverKind::Inherited
        })
    }
}

impl Engine {
    /// The chain of `entity`, or where it could not be placed.
    pub(crate) fn chain<'a>(&'a self, entity: &'a EntityRef) -> Result<Chain<'a>, Located> {
        let level = self
            .profile
            .level_index(&entity.level)
            .ok_or(Located::UnknownLevel)?;
        let mut chain = Chain {
            links: [(0, ""); MAX_LEVELS],
            len: 0,
        };
        let Some(tree) = &self.tree else {
            chain.push(level, &entity.id);
            return Ok(chain);
        };
        let node = tree
            .find(level, &entity.id)
            .ok_or(Located::UnknownEntity { level })?;
        for n in tree.lineage(node) {
            let Some(node) = tree.node(n) else { break };
            if !chain.push(node.level, &node.entity.id) {
                break;
            }
        }
        Ok(chain)
    }
}

/// Where an entity reference leads: the one lookup of an entity (`Engine::locate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Located {
    /// The profile has no such level.
    UnknownLevel,
    /// The directory does not hold the entity.
    UnknownEntity { level: usize },
    /// A known level; the node when there is a directory.
    Known { level: usize, node: Option<NodeId> },
}

impl Located {
    /// The level and, when the directory holds the entity, its node; `None` for an unknown
    /// level.
    pub fn place(self) -> Option<Place> {
        match self {
            Located::UnknownLevel => None,
            Located::UnknownEntity { level } => Some((level, None)),
            Located::Known { level, node } => Some((level, node)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CoverKind {
    Direct,
    Inherited,
}

fn build_tree(profile: &Profile, directory: &Directory) -> Result<Tree, DirectoryError> {
    let mut tree = Tree {
        nodes: Vec::with_capacity(directory.entities.len()),
        index: vec![HashMap::default(); profile.levels().len()],
    };
    for (i, e) in directory.entities.iter().enumerate() {
        let path = format!("entities[{i}]");
        let level = profile
            .level_index(&e.level)
            .ok_or_else(|| DirectoryError::UnknownLevel {
                path: format!("{path}.level"),
                level: e.level.clone(),
                known: profile.levels().join(", "),
            })?;
        let next = NodeId::new(tree.nodes.len());
        let Some(map) = tree.index.get_mut(level) else {
            continue;
        };
        if map.insert(e.id.clone(), next.index()).is_some() {
            return Err(DirectoryError::Duplicate {
                path,
                entity: format!("{}:{}", e.level, e.id),
            });
        }
        tree.nodes.push(Node {
            entity: EntityRef::new(e.level.clone(), e.id.clone()),
            level,
            parent: None,
            children: Vec::new(),
            name: e.name.clone(),
        });
    }
    for (i, e) in directory.entities.iter().enumerate() {
        let path = format!("entities[{i}].parent");
        let Some(node) = tree.nodes.get(i) else {
            continue;
        };
        let level = node.level;
        match (&e.parent, level) {
            (None, 0) => {}
            (None, _) => {
                return Err(DirectoryError::BadParent {
                    path,
                    message: format!(
                        "`{}:{}` needs a parent at level `{}`",
                        e.level,
                        e.id,
                        profile.levels().get(level - 1).map_or("", String::as_str)
                    ),
                })
            }
            (Some(p), 0) => {
                return Err(DirectoryError::BadParent {
                    path,
                    message: format!(
                        "`{}:{}` is at the top level and cannot have parent `{p}`",
                        e.level, e.id
                    ),
                })
            }
            (Some(p), _) => {
                let parent_level = level - 1;
                let parent =
                    tree.find(parent_level, p)
                        .ok_or_else(|| DirectoryError::BadParent {
                            path: path.clone(),
                            message: format!(
                                "parent `{}:{p}` of `{}:{}` is not in the directory",
                                profile
                                    .levels()
                                    .get(parent_level)
                                    .map_or("", String::as_str),
                                e.level,
                                e.id
                            ),
                        })?;
                if let Some(n) = tree.nodes.get_mut(i) {
                    n.parent = Some(parent);
                }
                if let Some(pn) = tree.nodes.get_mut(parent.index()) {
                    pn.children.push(NodeId::new(i));
                }
            }
        }
    }
    Ok(tree)
}
