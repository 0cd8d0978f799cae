//! The entities of a run: the gazetteer's, then the ones `--discover` finds
//! while the workers tag (ids `new:person:...`, `new:organization:...`).
//!
//! Discovered entities get indices in the order workers first meet them, which
//! depends on the threads; every table sorts by id, so the output does not.
//! A discovered id may be met with several spellings of one name (the id is a
//! slug); its display name is the smallest in byte order, the same whatever
//! the order of the documents. A gazetteer may list an id of that form (a
//! list made from an earlier run's discoveries): the listed entity is the
//! one a discovery of that id names.

use std::sync::Mutex;

use rustc_hash::FxHashMap;

use crate::discover::is_discovered_id;
use crate::gazetteer::Entity;

/// Names a discovered entity met as `name` again: `current` becomes the
/// smaller of the two in byte order, so that the name does not depend on
/// the order the spellings were met in (threads, shards). `cotag merge`
/// applies the same rule to the parts' names.
pub fn keep_smallest_name(current: &mut String, name: &str) {
    if name < current.as_str() {
        name.clone_into(current);
    }
}

/// The gazetteer's entities, fixed, and the discovered ones, growing.
#[derive(Debug)]
pub struct Registry {
    fixed: Vec<Entity>,
    /// The fixed entities whose ids have the form of discovered ones.
    fixed_discovered_ids: FxHashMap<String, u32>,
    discovered: Mutex<Discovered>,
}

#[derive(Debug, Default)]
struct Discovered {
    entities: Vec<Entity>,
    by_id: FxHashMap<String, u32>,
}

impl Registry {
    /// A registry over the gazetteer's entities (indices `0..fixed.len()`).
    pub fn new(fixed: Vec<Entity>) -> Registry {
        let fixed_discovered_ids = fixed
            .iter()
            .enumerate()
            .filter(|(_, e)| is_discovered_id(&e.id))
            .map(|(i, e)| (e.id.clone(), i as u32))
            .collect();
        Registry { fixed, fixed_discovered_ids, discovered: Mutex::new(Discovered::default()) }
    }

    /// The index of a discovered entity, added if new (the listed entity
    /// when the gazetteer has its id).
    pub fn intern(&self, id: &str, etype: &str, name: &str) -> u32 {
        if let Some(&i) = self.fixed_discovered_ids.get(id) {
            return i;
        }
        let mut d = self.discovered.lock().expect("no thread panics while holding the registry");
        let base = self.fixed.len() as u32;
        if let Some(&i) = d.by_id.get(id) {
            keep_smallest_name(&mut d.entities[(i - base) as usize].name, name);
            return i;
        }
        let i = base + d.entities.len() as u32;
        d.entities.push(Entity { id: id.to_string(), etype: etype.to_string(), name: name.to_string() });
        d.by_id.insert(id.to_string(), i);
        i
    }

    /// Calls `f` with the entity at `index`.
    pub fn with<R>(&self, index: u32, f: impl FnOnce(&Entity) -> R) -> R {
        match self.fixed.get(index as usize) {
            Some(e) => f(e),
            None => {
                let d = self.discovered.lock().expect("no thread panics while holding the registry");
                f(&d.entities[index as usize - self.fixed.len()])
            }
        }
    }

    /// Every entity, indexed as in mentions and counts.
    pub fn entities(&self) -> Vec<Entity> {
        let d = self.discovered.lock().expect("no thread panics while holding the registry");
        self.fixed.iter().chain(d.entities.iter()).cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovered_entities_follow_the_fixed_ones_and_keep_the_smallest_name() {
        let fixed = vec![Entity { id: "ISR".into(), etype: "country".into(), name: "Israel".into() }];
        let r = Registry::new(fixed);
        let a = r.intern("new:person:jane-doe", "person", "Jane Doe");
        assert_eq!(a, 1);
        assert_eq!(r.intern("new:person:jane-doe", "person", "JANE DOE"), 1);
        assert_eq!(r.intern("new:organization:acme", "organization", "Acme"), 2);
        assert_eq!(r.with(1, |e| e.name.clone()), "JANE DOE");
        assert_eq!(r.with(0, |e| e.id.clone()), "ISR");
        assert_eq!(r.entities().len(), 3);
    }

    #[test]
    fn a_listed_entity_with_a_discovered_id_is_the_one_discovered() {
        let fixed = vec![Entity { id: "new:person:jane-doe".into(), etype: "person".into(), name: "Jane Doe".into() }];
        let r = Registry::new(fixed);
        assert_eq!(r.intern("new:person:jane-doe", "person", "JANE-DOE"), 0);
        assert_eq!(r.intern("new:person:john-roe", "person", "John Roe"), 1);
        let ids: Vec<String> = r.entities().into_iter().map(|e| e.id).collect();
        assert_eq!(ids, ["new:person:jane-doe", "new:person:john-roe"]);
        assert_eq!(r.with(0, |e| e.name.clone()), "Jane Doe", "the list's name stays");
    }
}
