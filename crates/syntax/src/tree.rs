//! Tree repairs on a heads array: the parser may leave several words on the root; a sentence
//! gets one.

/// Turns the parser's heads (`n` for the root) into `None` for the one root and word indices
/// otherwise. When several words took the root, the one with the largest subtree keeps it and
/// the others attach to it as `parataxis` (UD's relation for run-on clauses side by side).
pub(crate) fn single_root(
    heads: Vec<u32>,
    mut relations: Vec<u16>,
    names: &[String],
    root_relation: u16,
) -> (Vec<Option<usize>>, Vec<u16>) {
    let n = heads.len();
    let root_of = roots_of(&heads);
    let mut size = vec![0usize; n];
    root_of.iter().for_each(|&r| size[r] += 1);
    let keep = (0..n)
        .filter(|&i| heads[i] as usize >= n)
        .max_by_key(|&r| (size[r], std::cmp::Reverse(r)));
    let side = names
        .iter()
        .position(|r| r == "parataxis")
        .map_or(root_relation, |p| p as u16);
    let out = (0..n)
        .map(|i| {
            if heads[i] as usize >= n {
                if Some(i) == keep {
                    None
                } else {
                    relations[i] = side;
                    keep
                }
            } else {
                Some(heads[i] as usize)
            }
        })
        .collect();
    if let Some(k) = keep {
        relations[k] = root_relation;
    }
    (out, relations)
}

/// The root each word hangs from, with paths remembered so the walk is linear.
fn roots_of(heads: &[u32]) -> Vec<usize> {
    let n = heads.len();
    let mut root = vec![usize::MAX; n];
    let mut path = Vec::new();
    for i in 0..n {
        let mut at = i;
        while root[at] == usize::MAX && heads[at] as usize != n && path.len() <= n {
            path.push(at);
            at = heads[at] as usize;
        }
        let r = if root[at] == usize::MAX { at } else { root[at] };
        root[at] = r;
        for p in path.drain(..) {
            root[p] = r;
        }
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_roots_join_the_largest_subtree() {
        let names: Vec<String> = ["root", "parataxis", "nsubj"].map(String::from).to_vec();
        // Word 0 is a root alone; word 2 is a root with word 1 below it.
        let (heads, rels) = single_root(vec![3, 2, 3], vec![0, 2, 0], &names, 0);
        assert_eq!(heads, vec![Some(2), Some(2), None]);
        assert_eq!(rels, vec![1, 2, 0]);
    }
}
