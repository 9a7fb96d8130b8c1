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

/// `Markers` when the text holds at least two of `markers` (one alone proves little: `String `
/// or `fmt.` is in many languages' text), else `No`.
pub(crate) fn two_or_more(text: &str, list: &[&str]) -> Sniff {
    match markers(text, list) {
        0 | 1 => Sniff::No,
        n => Sniff::Markers(n),
    }
}
