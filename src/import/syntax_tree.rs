//! What the tree-sitter importers (Python, JavaScript) share about their syntax trees: the
//! evaluation context of an expression (its function, position and call-site bindings) and
//! where a syntax error is reported.

pub(crate) struct Frame<'t> {
    pub(crate) func: tree_sitter::Node<'t>,
    pub(crate) call: tree_sitter::Node<'t>,
    pub(crate) caller: Ctx<'t>,
}

/// Where a script expression is evaluated: the enclosing function, the position (only
/// assignments before it count) and the call that bound the function's parameters.
#[derive(Clone)]
pub(crate) struct Ctx<'t> {
    pub(crate) func: Option<tree_sitter::Node<'t>>,
    pub(crate) pos: usize,
    pub(crate) frame: Option<std::rc::Rc<Frame<'t>>>,
}

/// The first ERROR or MISSING node of a tree-sitter parse, in source order: where a syntax
/// error is reported.
pub(crate) fn first_error(root: tree_sitter::Node<'_>) -> Option<tree_sitter::Node<'_>> {
    let mut node = root;
    'outer: loop {
        if node.is_error() || node.is_missing() {
            return Some(node);
        }
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            if child.is_error() || child.is_missing() {
                return Some(child);
            }
            if child.has_error() {
                node = child;
                continue 'outer;
            }
        }
        return (node.id() != root.id()).then_some(node);
    }
}
