//! The values of the statement-order interpreter (`script/interp.rs`): strings with their
//! trace, maps, sequences, and the objects a library builds and the script changes in place
//! (a request, a form, a body, an SDK client). The request's library calls live in
//! `script/http.rs`, the SDKs' in `script/sdk_host.rs`; this file only holds the data, so
//! every one of them can use it without depending on another.

use super::short;
use super::value::{Entry, ScriptVal, View};
use crate::import::{Draft, Traced};
use std::cell::RefCell;
use std::rc::Rc;

/// A request being built.
#[derive(Clone, Debug)]
pub(crate) struct Req {
    pub(crate) draft: Draft,
    /// The library, as notes name it (`java.net.http`, `net/http`).
    pub(crate) lib: &'static str,
}

/// An object a library builds and the script changes in place.
pub(crate) type ObjRef = Rc<RefCell<Obj>>;

/// A script value, as far as it can be known offline.
#[derive(Clone, Debug)]
pub(crate) enum Val {
    /// A string (or the bytes of one: the scripts encode text as UTF-8).
    Str(Traced),
    /// A map literal (`Map.of`, `map[string]string{…}`), with its line.
    Map(Vec<Entry<Val>>, Option<usize>),
    Seq(Vec<Val>),
    /// A number or boolean, as the language prints it.
    Scalar(String),
    Null,
    Obj(ObjRef),
    /// A package, class or static member reached by name (`base64.StdEncoding`).
    Path(String),
    /// Cannot be known: the expression and its line.
    Unknown(String, Option<usize>),
}

/// What an object is.
#[derive(Clone, Debug)]
pub(crate) enum Obj {
    /// An HTTP request (or its builder).
    Request(Box<Req>),
    /// Form fields (`url.Values`, OkHttp's `FormBody`), with the line of each.
    Form(Vec<Entry<Val>>),
    /// A body with its media type (OkHttp's `RequestBody.create`).
    Body(Val, Option<Traced>),
    /// An official SDK client or configuration: its base path as set, with the line and the
    /// expression that set it.
    Sdk(Option<(Val, Option<usize>, String)>),
}

impl Val {
    pub(crate) fn obj(o: Obj) -> Val {
        Val::Obj(Rc::new(RefCell::new(o)))
    }

    pub(crate) fn as_str(&self) -> Option<&Traced> {
        match self {
            Val::Str(t) => Some(t),
            _ => None,
        }
    }

    /// The text as the script would print it: a string, number or path's value; else a
    /// marker for `expr`.
    pub(crate) fn traced(&self, expr: &str, line: Option<usize>) -> Traced {
        match self {
            Val::Str(t) => t.clone(),
            Val::Scalar(s) => Traced::literal(s.clone(), line),
            Val::Unknown(e, l) => Traced::unknown(e, format!("{{{e}}}"), *l).with_expr(e),
            _ => {
                let e = short(expr);
                Traced::unknown(&e, format!("{{{e}}}"), line).with_expr(&e)
            }
        }
    }
}

impl ScriptVal for Val {
    fn view(&self) -> View<'_, Val> {
        match self {
            Val::Str(t) => View::Str(t),
            Val::Map(es, l) => View::Map(es, *l),
            Val::Seq(items) => View::Seq(items),
            Val::Scalar(s) => View::Scalar(s.clone()),
            Val::Null => View::Null,
            Val::Unknown(e, l) => View::Unknown(e, *l),
            _ => View::Other,
        }
    }
}

/// An argument of a call: its value, expression and line.
#[derive(Clone, Debug)]
pub(crate) struct Arg {
    pub(crate) val: Val,
    pub(crate) expr: String,
    pub(crate) line: Option<usize>,
}

impl Arg {
    pub(crate) fn traced(&self) -> Traced {
        self.val
            .traced(&self.expr, self.line)
            .default_line(self.line)
    }
}

/// An SDK's client-credentials login: the client, the id and secret, the call's line.
pub(crate) struct Login {
    pub(crate) client: ObjRef,
    pub(crate) id: Arg,
    pub(crate) secret: Arg,
    pub(crate) line: Option<usize>,
    /// How the script names the client (`config`, `apiClient`).
    pub(crate) client_expr: String,
}
