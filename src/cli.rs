//! The command line: every command, flag and environment variable of the contract (§1, §2).
//!
//! Help texts are written for someone whose token request just failed: each flag says what it
//! is for and where the value usually comes from.

use crate::completion::{Suggest, cause_values, region_values, scenario_values};
use crate::report::Format;
use crate::request::InputKind;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

const ABOUT: &str = "Finds why a Genesys Cloud OAuth client-credentials token request fails";

const LONG_ABOUT: &str = "\
Finds why a Genesys Cloud OAuth client-credentials token request fails.

Your script posts to /oauth/token and gets 400 or 401 (invalid_client, invalid_grant,
{\"error\":\"unauthorized\"}). The service gives the same answer for a wrong region, a wrong
secret, an unknown or disabled client and a malformed request, so guessing does not work.
gcdoctor sends a small set of probes to the real service, names the one cause that explains
the failure with the evidence, and prints a report you can paste into a forum post (secrets
are always redacted) or read in CI (--format json|junit, exit codes).";

const AFTER_HELP: &str = "\
Examples:
  gcdoctor demo                     # try it: no account needed
  gcdoctor diagnose --client-id 3f2a… --client-secret-file secret.txt \\
      --region eu-west-1
  gcdoctor diagnose --from-curl failing.sh  # exactly the request you send
  gcdoctor lint token.py            # offline: list the defects of a script
  gcdoctor explain GC103            # what a cause means and how to fix it

Exit codes: 0 healthy, 1 cause found, 2 bad usage or unreadable input, 3 inconclusive.";

#[derive(Debug, Parser)]
#[command(name = "gcdoctor", version, about = ABOUT, long_about = LONG_ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Never use colours (also: NO_COLOR set, or output not a terminal).
    #[arg(long, global = true)]
    pub no_color: bool,

    /// Print only the report: no progress, no notes on stderr.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Show every request and answer (redacted) in the report.
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Send probes to the service and name the cause of the failure.
    #[command(after_help = DIAGNOSE_HELP)]
    Diagnose(Box<DiagnoseArgs>),
    /// Offline: list every defect of a request (curl, raw HTTP, HAR, a script or program), sending
    /// nothing.
    #[command(after_help = LINT_HELP)]
    Lint(LintArgs),
    /// Print the catalogue page of a cause (GC103, wrong-region), or read a pasted error.
    #[command(after_help = EXPLAIN_HELP)]
    Explain(ExplainArgs),
    /// Run the built-in Genesys Cloud login/API simulator on a local port.
    #[command(after_help = SIMULATE_HELP)]
    Simulate(SimulateArgs),
    /// Diagnose a simulated broken client: the zero-setup first run.
    #[command(after_help = DEMO_HELP)]
    Demo(DemoArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(after_help = COMPLETIONS_HELP)]
    Completions {
        /// The shell to generate completions for.
        shell: clap_complete::Shell,
    },
}

const LINT_HELP: &str = "\
Examples:
  gcdoctor lint get_token.py                 # a Python script
  gcdoctor lint Get-Token.ps1                # a PowerShell script (Program.cs: C#)
  gcdoctor lint failing.sh                   # a curl command saved to a file
  gcdoctor lint --kind http - < request.txt  # a raw HTTP request on stdin
  gcdoctor lint --format json export.har     # a HAR export, for scripts";

const EXPLAIN_HELP: &str = "\
Examples:
  gcdoctor explain GC103           # by id
  gcdoctor explain wrong-region    # or by name
  gcdoctor explain --list          # every cause, one line each
  gcdoctor explain 'Auth Error: 401 - invalid_client (authentication failed)'
  gcdoctor explain - < error.log   # what a pasted error can and cannot mean";

const SIMULATE_HELP: &str = "\
Examples:
  gcdoctor simulate --list                      # the built-in scenarios
  gcdoctor simulate --scenario wrong-secret     # listens on 127.0.0.1:8089
  gcdoctor simulate --scenario my-org.toml --listen 127.0.0.1:0

Then, in another shell, with a client id and secret from the banner:
  GCDOCTOR_CONNECT_TO=127.0.0.1:8089 gcdoctor diagnose --client-id $ID \\
      --client-secret-file secret.txt --region eu-west-1";

const DEMO_HELP: &str = "\
Examples:
  gcdoctor demo                          # a client posting to the wrong region
  gcdoctor demo --scenario wrong-secret  # names: gcdoctor simulate --list
  gcdoctor demo --format markdown        # the report as you would paste it

Exits with the code of the report it shows, as `gcdoctor diagnose` would: 0 healthy,
1 cause found (most scenarios), 3 inconclusive.";

const COMPLETIONS_HELP: &str = "\
Examples:
  source <(gcdoctor completions bash)                 # bash, in ~/.bashrc
  gcdoctor completions zsh > ~/.zfunc/_gcdoctor       # zsh, ~/.zfunc in fpath
  gcdoctor completions fish > ~/.config/fish/completions/gcdoctor.fish";

const DIAGNOSE_HELP: &str = "\
Where credentials come from, first match wins:
  flags (--client-id, --client-secret-file, --client-secret-stdin); then your request file
  (--from-…), unless its values are template values like YOUR_CLIENT_ID; then the environment
  (GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET, GENESYSCLOUD_REGION); then the
  `gc` CLI's ~/.gc/config.toml, profile DEFAULT or the one named by --profile. With no secret
  anywhere, gcdoctor checks GENESYSCLOUD_ACCESS_TOKEN if it is set (on the API of the given
  region), else asks for the secret without echo when run on a terminal. The report lists
  where each value came from.

Where requests go:
  Your secret is sent only to login.<region domain> hosts of Genesys Cloud (and to the
  api.<domain> URL your own request already posts to). Nothing is ever changed in your org:
  gcdoctor sends only token requests and GETs.

Examples:
  gcdoctor diagnose --client-id $ID --client-secret-file secret.txt \\
      --region mypurecloud.ie
  GENESYSCLOUD_OAUTHCLIENT_SECRET=… gcdoctor diagnose --client-id $ID \\
      --token-url https://api.mypurecloud.com/oauth/token
  gcdoctor diagnose --from-python get_token.py \\
      --check-api 'GET /api/v2/routing/queues'
  gcdoctor diagnose --client-id $ID --client-secret-stdin \\
      --admin-client-id $ADMIN --admin-client-secret-file admin.txt";

/// Report output options, shared by `diagnose`, `lint` and `demo`.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// Report format: text (terminal, the default), markdown (forum post or ticket), json
    /// (scripts), junit (CI).
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Write the report to this file instead of stdout (written atomically; repeatable). Each
    /// file gets the format its extension names (.json, .xml = JUnit, .md, .txt), other names
    /// get --format; with one file an explicit --format wins. A one-line verdict goes to stderr.
    #[arg(long, short, value_name = "FILE")]
    pub output: Vec<PathBuf>,

    /// Mask the client id in the report too (it is not secret, but you may prefer it hidden).
    #[arg(long)]
    pub redact_id: bool,

    /// A short report (text and markdown): the outcome, its evidence and the fix, without
    /// the checks, requests and inputs.
    #[arg(long, conflicts_with = "verbose")]
    pub brief: bool,
}

#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    /// The OAuth client id (a UUID, from Admin > Integrations > OAuth).
    #[arg(
        long,
        env = "GENESYSCLOUD_OAUTHCLIENT_ID",
        value_name = "ID",
        help_heading = "Credentials"
    )]
    pub client_id: Option<String>,

    /// Read the client secret from this file (`-` = stdin). One trailing newline is ignored.
    #[arg(long, value_name = "PATH", help_heading = "Credentials", conflicts_with_all = ["client_secret_stdin", "client_secret"])]
    pub client_secret_file: Option<String>,

    /// Read the client secret from stdin.
    #[arg(long, help_heading = "Credentials", conflicts_with = "client_secret")]
    pub client_secret_stdin: bool,

    /// The client secret itself. Avoid: it leaks into shell history and process lists.
    #[arg(long, value_name = "SECRET", help_heading = "Credentials")]
    pub client_secret: Option<String>,

    /// Use this profile of the `gc` CLI config (~/.gc/config.toml).
    #[arg(long, short = 'p', value_name = "NAME", help_heading = "Credentials")]
    pub profile: Option<String>,

    /// Read variables (GENESYSCLOUD_OAUTHCLIENT_ID, …) from a .env file.
    #[arg(long, value_name = "FILE", help_heading = "Credentials")]
    pub env_file: Option<PathBuf>,

    /// Region of the OAuth client: us-east-1, eu_west_1, mypurecloud.ie, login.mypurecloud.ie,
    /// https://api.mypurecloud.ie or prod-euw1.
    #[arg(
        long,
        env = "GENESYSCLOUD_REGION",
        value_name = "REGION",
        help_heading = "Where",
        value_parser = Suggest::new(region_values),
        hide_possible_values = true
    )]
    pub region: Option<String>,

    /// The exact URL your code posts the token request to.
    #[arg(long, value_name = "URL", help_heading = "Where")]
    pub token_url: Option<String>,

    /// Diagnose your own request or script of any kind gcdoctor reads, told from its name and
    /// content as `lint` does (`-` = stdin); the --from-KIND flags name the kind.
    #[arg(
        long = "from",
        id = "from_any",
        value_name = "FILE",
        help_heading = "Your request",
        group = "from"
    )]
    pub from_any: Option<String>,

    /// Diagnose the request of this curl command (`-` = stdin).
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Your request",
        group = "from"
    )]
    pub from_curl: Option<String>,

    /// Diagnose this raw HTTP/1.1 request, as pasted (`-` = stdin).
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Your request",
        group = "from"
    )]
    pub from_http: Option<String>,

    /// Diagnose the token request recorded in this HAR file (browser or Postman export).
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Your request",
        group = "from"
    )]
    pub from_har: Option<String>,

    /// Diagnose the token request of this Python script (requests, httpx, the Genesys SDK).
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Your request",
        group = "from"
    )]
    pub from_python: Option<String>,

    /// Diagnose the token request of this JavaScript file (axios, fetch, the Genesys SDK).
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Your request",
        group = "from"
    )]
    pub from_js: Option<String>,

    /// Diagnose the token request of this PowerShell script (Invoke-RestMethod,
    /// Invoke-WebRequest).
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Your request",
        group = "from"
    )]
    pub from_powershell: Option<String>,

    /// Diagnose the token request of this C# program (HttpClient, RestSharp, the .NET SDK).
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Your request",
        group = "from"
    )]
    pub from_csharp: Option<String>,

    /// Diagnose the token request of this Java file (java.net.http, OkHttp, the Genesys SDK).
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Your request",
        group = "from"
    )]
    pub from_java: Option<String>,

    /// Diagnose the token request of this Go file (net/http, the Genesys SDK).
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Your request",
        group = "from"
    )]
    pub from_go: Option<String>,

    /// Diagnose the token request of this Postman collection v2.1 export (a request posting to
    /// /oauth/token, or an OAuth 2.0 client-credentials auth).
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Your request",
        group = "from"
    )]
    pub from_postman: Option<String>,

    /// The Postman environment export whose values fill the collection's {{variables}}.
    #[arg(long, value_name = "FILE", help_heading = "Your request")]
    pub postman_env: Option<String>,

    /// Another OAuth client of the same org with oauth:client:view, to read your client's record.
    #[arg(
        long,
        env = "GCDOCTOR_ADMIN_CLIENT_ID",
        value_name = "ID",
        help_heading = "Admin access (tells a wrong secret from an unknown or disabled client)"
    )]
    pub admin_client_id: Option<String>,

    /// File with the admin client's secret (`-` = stdin); or set GCDOCTOR_ADMIN_CLIENT_SECRET.
    #[arg(
        long,
        value_name = "PATH",
        help_heading = "Admin access (tells a wrong secret from an unknown or disabled client)"
    )]
    pub admin_client_secret_file: Option<String>,

    /// File with an admin access token (oauth:client:view); or set GCDOCTOR_ADMIN_TOKEN.
    #[arg(
        long,
        value_name = "PATH",
        help_heading = "Admin access (tells a wrong secret from an unknown or disabled client)",
        conflicts_with = "admin_client_id"
    )]
    pub admin_token_file: Option<String>,

    /// Region of the admin client or token, if not the same as your client's.
    #[arg(
        long,
        value_name = "REGION",
        help_heading = "Admin access (tells a wrong secret from an unknown or disabled client)",
        value_parser = Suggest::new(region_values),
        hide_possible_values = true
    )]
    pub admin_region: Option<String>,

    /// After a token is obtained, call this API and explain a 401/403 (repeatable),
    /// e.g. 'GET /api/v2/routing/queues'.
    #[arg(long, value_name = "'GET /api/v2/…'", help_heading = "Checks")]
    pub check_api: Vec<String>,

    /// Per-request timeout in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300), help_heading = "Checks")]
    pub timeout: u64,

    /// Send nothing: only read and lint the inputs.
    #[arg(long, help_heading = "Checks")]
    pub offline: bool,

    /// Allow sending your credentials to this host, which is not a Genesys Cloud host (repeatable).
    #[arg(long, value_name = "HOST", help_heading = "Checks")]
    pub allow_host: Vec<String>,

    /// Diagnose many clients: one per line `ID [REGION]` or a JSON list (secrets from env or files).
    #[arg(long, value_name = "FILE", help_heading = "Checks")]
    pub clients: Option<PathBuf>,

    /// Send every request over plain HTTP/1.1 to HOST:PORT, keeping its Host header (the test
    /// seam used with `gcdoctor simulate`).
    #[arg(
        long,
        env = "GCDOCTOR_CONNECT_TO",
        value_name = "HOST:PORT",
        help_heading = "Checks"
    )]
    pub connect_to: Option<String>,

    /// Test-only: every request over TLS to HOST:PORT, trusting there only the CA of
    /// `--test-ca` (the benchmark's TLS seam; docs/performance.md).
    #[arg(
        long,
        env = "GCDOCTOR_CONNECT_TO_TLS",
        value_name = "HOST:PORT",
        hide = true
    )]
    pub connect_to_tls: Option<String>,

    /// Test-only: the certificate authority (PEM) trusted for `--connect-to-tls` connections.
    #[arg(long, env = "GCDOCTOR_TEST_CA", value_name = "FILE", hide = true)]
    pub test_ca: Option<PathBuf>,

    #[command(flatten)]
    pub output: OutputArgs,
}

impl DiagnoseArgs {
    /// The `--from-…` input given, if any: its kind (`None` for `--from`, to be detected) and
    /// path.
    pub fn from(&self) -> Option<(Option<InputKind>, &str)> {
        if let Some(p) = self.from_any.as_deref() {
            return Some((None, p));
        }
        [
            (InputKind::Curl, &self.from_curl),
            (InputKind::Http, &self.from_http),
            (InputKind::Har, &self.from_har),
            (InputKind::Python, &self.from_python),
            (InputKind::Js, &self.from_js),
            (InputKind::PowerShell, &self.from_powershell),
            (InputKind::CSharp, &self.from_csharp),
            (InputKind::Java, &self.from_java),
            (InputKind::Go, &self.from_go),
            (InputKind::Postman, &self.from_postman),
        ]
        .into_iter()
        .find_map(|(k, v)| v.as_deref().map(|p| (Some(k), p)))
    }
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// The file to lint (`-` = stdin): a curl command, a raw HTTP request, a HAR file, a Python,
    /// JavaScript or PowerShell script, a C# program, a Postman collection.
    pub file: String,

    /// What the file is, when it cannot be told from its name and content.
    #[arg(long, value_enum)]
    pub kind: Option<InputKind>,

    /// Count warnings as defects (exit 1), not only errors.
    #[arg(long)]
    pub strict: bool,

    /// The Postman environment export whose values fill a collection's {{variables}}.
    #[arg(long, value_name = "FILE")]
    pub postman_env: Option<String>,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A cause id (GC103) or name (wrong-region); or a pasted error (an SDK exception, a raw
    /// token answer, a log line) in quotes, or `-` to read it from stdin.
    #[arg(
        required_unless_present = "list",
        value_parser = Suggest::new(cause_values),
        hide_possible_values = true
    )]
    pub cause: Option<String>,

    /// Output of a pasted error's reading: text or json.
    #[arg(long, value_enum, default_value_t = crate::explain::ExplainFormat::Text)]
    pub format: crate::explain::ExplainFormat,

    /// List every cause id with its meaning.
    #[arg(long)]
    pub list: bool,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8089", value_name = "ADDR")]
    pub listen: std::net::SocketAddr,

    /// A built-in scenario name (see --list) or a scenario file (TOML or JSON).
    #[arg(
        long,
        value_name = "NAME|FILE",
        value_parser = Suggest::new(scenario_values),
        hide_possible_values = true
    )]
    pub scenario: Option<String>,

    /// Delay every answer by this many milliseconds.
    #[arg(long, value_name = "MS")]
    pub latency: Option<u64>,

    /// List the built-in scenarios and exit.
    #[arg(long)]
    pub list: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The built-in scenario to diagnose.
    #[arg(
        long,
        default_value = "wrong-region",
        value_name = "NAME",
        value_parser = Suggest::new(scenario_values),
        hide_possible_values = true
    )]
    pub scenario: String,

    #[command(flatten)]
    pub output: OutputArgs,
}
