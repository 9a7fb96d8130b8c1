//! Checks of the values themselves that are no request dimension (nothing to flip): a
//! template value (GC208), id and secret swapped (GC207), a client id that is not
//! UUID-shaped (GC206).

use super::{Ctx, Defect, Dim};
use crate::catalogue::CauseId;
use crate::finding::{Finding, Severity};
use crate::request::clean_value;
use crate::secret::placeholder::is_placeholder;
use crate::secret::{describe_shape, is_uuid_shaped, mask};

/// Lists the value checks' findings.
pub(super) fn detect(cx: &Ctx, out: &mut Vec<Defect>) {
    let mut push = |dim: Option<Dim>, f: Finding| out.push(Defect { dim, finding: f });
    let (id_value, secret_value) = cx.values();
    let id_line = cx.intended.id.as_ref().and_then(|v| v.line);
    let secret_line = cx.intended.secret.as_ref().and_then(|v| v.line);
    let auth_line = cx.auth_line();
    let id_placeholder = id_value.as_deref().is_some_and(is_placeholder);
    let secret_placeholder = secret_value.as_deref().is_some_and(is_placeholder);
    if id_placeholder || secret_placeholder {
        let which = match (id_placeholder, secret_placeholder) {
            (true, true) => "the client id and the secret are",
            (true, false) => "the client id is",
            _ => "the client secret is",
        };
        let mut f = Finding::new(
            CauseId::PlaceholderCredentials,
            Severity::Error,
            format!("{which} a template value, not real credentials"),
        )
        .at_line(if id_placeholder { id_line } else { secret_line }.or(auth_line));
        if id_placeholder && let Some(id) = &id_value {
            // Not UUID-shaped, so shown by shape only (contract §4).
            f = f.evidence(format!("client id: {}", mask(id)));
        }
        if secret_placeholder && let Some(s) = &secret_value {
            f = f.evidence(format!("client secret: {}", mask(s)));
        }
        push(None, f);
    }
    if let (Some(id), Some(secret)) = (&id_value, &secret_value) {
        let (id, secret) = (clean_value(id), clean_value(secret));
        if !id_placeholder && !is_uuid_shaped(&id) && is_uuid_shaped(&secret) {
            push(
                None,
                Finding::new(
                    CauseId::IdSecretSwapped,
                    Severity::Error,
                    "the \"client id\" is not a UUID but the \"secret\" is: they look swapped",
                )
                .at_line(id_line.or(auth_line)),
            );
        } else if !id_placeholder && !id.is_empty() && !is_uuid_shaped(&id) {
            push(
                None,
                Finding::new(
                    CauseId::UnknownClient,
                    Severity::Warning,
                    format!("the client id is not UUID-shaped ({}); Genesys client ids look like 3f2a9c1e-0b7d-4e5f-9a8b-1c2d3e4f5a6b", describe_shape(&id)),
                )
                .at_line(id_line.or(auth_line)),
            );
        }
    }
}
