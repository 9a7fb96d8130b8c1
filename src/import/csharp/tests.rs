use super::*;

const ID: &str = "0b1e5c3a-1111-4222-8333-444455556666";

fn import(src: &str) -> ImportedRequest {
    let env = |k: &str| (k == "GC_ID").then(|| ID.to_string());
    parse(src, "t.cs", &env).unwrap_or_else(|e| panic!("{e}"))
}

fn header<'a>(imp: &'a ImportedRequest, name: &str) -> Option<&'a str> {
    imp.request
        .headers
        .iter()
        .find(|h| h.0.eq_ignore_ascii_case(name))
        .map(|h| h.1.as_str())
}

#[test]
fn http_client_with_form_content_and_basic() {
    let imp = import(
        "var id = Environment.GetEnvironmentVariable(\"GC_ID\");\nvar secret = @\"a+b\"\"c\";\n\
         var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($\"{id}:{secret}\"));\n\
         using var client = new HttpClient { BaseAddress = new Uri(\"https://login.mypurecloud.ie/\") };\n\
         client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(\"Basic\", basic);\n\
         var form = new FormUrlEncodedContent(new Dictionary<string, string> { [\"grant_type\"] = \"client_credentials\" });\n\
         var r = await client.PostAsync(\"oauth/token\", form);\n",
    );
    assert_eq!(imp.request.url, "https://login.mypurecloud.ie/oauth/token");
    assert_eq!(imp.request.method, "POST");
    assert_eq!(
        String::from_utf8_lossy(&imp.request.body),
        "grant_type=client_credentials"
    );
    assert_eq!(header(&imp, "content-type"), Some(crate::request::FORM));
    assert_eq!(imp.client_id.as_ref().unwrap().value, ID);
    assert_eq!(imp.client_secret.as_ref().unwrap().value, "a+b\"c");
}

#[test]
fn string_content_and_key_value_pairs() {
    let imp = import(
        "class P { const string Url = \"https://login.mypurecloud.com/oauth/token\";\n\
         static async Task Main() {\n\
         var pairs = new List<KeyValuePair<string, string>>();\n\
         pairs.Add(new KeyValuePair<string, string>(\"grant_type\", \"client_credentials\"));\n\
         var http = new HttpClient();\n\
         var msg = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new StringContent(\"{\\\"grant_type\\\":\\\"client_credentials\\\"}\", Encoding.UTF8, \"application/json\") };\n\
         await http.SendAsync(msg);\n} }\n",
    );
    assert_eq!(imp.request.url, "https://login.mypurecloud.com/oauth/token");
    assert_eq!(
        String::from_utf8_lossy(&imp.request.body),
        "{\"grant_type\":\"client_credentials\"}"
    );
    assert_eq!(
        header(&imp, "content-type"),
        Some("application/json; charset=utf-8")
    );
}

#[test]
fn restsharp_parameters_and_authenticator() {
    let imp = import(
        "var options = new RestClientOptions(\"https://login.mypurecloud.de\") { Authenticator = new HttpBasicAuthenticator(Make(\"x\"), \"s3cr3t-value\") };\n\
         var client = new RestClient(options);\n\
         var request = new RestRequest(\"/oauth/token\", Method.Post);\n\
         request.AddParameter(\"grant_type\", \"client_credentials\");\n\
         var response = await client.ExecuteAsync(request);\n\
         static string Make(string a) => a + \"y\";\n",
    );
    assert_eq!(imp.request.url, "https://login.mypurecloud.de/oauth/token");
    assert_eq!(
        String::from_utf8_lossy(&imp.request.body),
        "grant_type=client_credentials"
    );
    assert_eq!(imp.client_id.as_ref().unwrap().value, "xy");
    assert_eq!(imp.client_secret.as_ref().unwrap().value, "s3cr3t-value");
}

#[test]
fn sdk_default_and_base_path() {
    let imp = import(
        "using PureCloudPlatform.Client.V2.Client;\nvar t = Configuration.Default.ApiClient.PostToken(\"id\", \"secret\");\n",
    );
    assert_eq!(imp.request.url, "https://login.mypurecloud.com/oauth/token");
    let sdk = imp.sdk.as_ref().unwrap();
    assert_eq!(sdk.host, crate::request::SdkHost::Default);
    assert_eq!(sdk.target, "Configuration.Default.ApiClient.setBasePath");
    let imp = import(
        "Configuration.Default.ApiClient.setBasePath(PureCloudRegionHosts.eu_central_1);\nvar t = Configuration.Default.ApiClient.PostToken(\"id\", \"s\");\n",
    );
    assert_eq!(imp.request.url, "https://login.mypurecloud.de/oauth/token");
    assert_eq!(
        imp.sdk.as_ref().unwrap().expr,
        "PureCloudRegionHosts.eu_central_1"
    );
    let imp =
        import("var c = new ApiClient(\"https://mypurecloud.jp\");\nc.PostToken(\"id\", \"s\");\n");
    assert_eq!(
        imp.request.url, "https://mypurecloud.jp/oauth/token",
        "no api. to replace"
    );
}

#[test]
fn env_default_and_format() {
    let imp = import(
        "var s = Environment.GetEnvironmentVariable(\"NOPE\") ?? \"fallback-secret\";\n\
         var body = string.Format(\"grant_type={0}&client_secret={1}\", \"client_credentials\", s);\n\
         await new HttpClient().PostAsync(\"https://login.mypurecloud.com/oauth/token\", new StringContent(body));\n",
    );
    assert_eq!(
        String::from_utf8_lossy(&imp.request.body),
        "grant_type=client_credentials&client_secret=fallback-secret"
    );
    assert_eq!(
        header(&imp, "content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert!(
        imp.notes.iter().any(|n| n.contains("NOPE is not set here")),
        "{:?}",
        imp.notes
    );
}
