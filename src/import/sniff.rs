//! Content sniffing, as the importer registry asks each kind: what a sniffer sees and how
//! sure it is.

/// What a sniffer sees of the content.
pub(crate) struct Sniffed<'a> {
    pub(crate) text: &'a str,
    /// The first line that is neither empty nor a `#` comment.
    pub(crate) first: Option<&'a str>,
}

/// How sure a sniffer is that the content is its kind.
pub(crate) enum Sniff {
    No,
    Sure,
    /// This many markers of the language are present.
    Markers(usize),
}

/// How many of `markers` the text holds.
pub(crate) fn markers(text: &str, markers: &[&str]) -> usize {
    markers.iter().filter(|m| text.contains(**m)).count()
}
