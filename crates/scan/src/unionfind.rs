//! The one union-find of the crate: dedup clusters, candidate clusters of story variants and
//! derivation trees all group documents with it, so there is one implementation to trust.

/// Union-find over `0..n` with path halving and union by size; grows as documents arrive.
#[derive(Debug, Clone, Default)]
pub struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    /// `n` singletons.
    pub fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.parent.len()
    }

    /// True when there is no element.
    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    /// Adds singletons until there are `n` elements (never shrinks).
    pub fn grow(&mut self, n: usize) {
        let from = self.parent.len();
        if n > from {
            self.parent.extend(from as u32..n as u32);
            self.size.resize(n, 1);
        }
    }

    /// Root of `x`'s set.
    pub fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] as usize != x {
            let p = self.parent[x] as usize;
            self.parent[x] = self.parent[p];
            x = self.parent[x] as usize;
        }
        x
    }

    /// Root of `x`'s set, without shortening paths (for readers holding `&self`).
    pub fn root(&self, mut x: usize) -> usize {
        while self.parent[x] as usize != x {
            x = self.parent[x] as usize;
        }
        x
    }

    /// Merges the sets of `a` and `b`; true if they were apart.
    pub fn union(&mut self, a: usize, b: usize) -> bool {
        let (mut ra, mut rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        if self.size[ra] < self.size[rb] {
            std::mem::swap(&mut ra, &mut rb);
        }
        self.parent[rb] = ra as u32;
        self.size[ra] += self.size[rb];
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unions_join_sets_and_growth_adds_singletons() {
        let mut u = UnionFind::new(5);
        assert!(u.union(0, 1));
        assert!(u.union(3, 4));
        assert!(!u.union(1, 0));
        assert!(u.union(1, 4));
        assert_eq!(u.find(0), u.find(3));
        assert_ne!(u.find(2), u.find(0));
        u.grow(7);
        assert_eq!(u.len(), 7);
        assert_eq!(u.find(6), 6);
        assert!(u.union(6, 2));
        assert_eq!(u.find(2), u.find(6));
        assert_ne!(u.find(6), u.find(0));
        u.grow(3);
        assert_eq!(u.len(), 7);
    }
}
