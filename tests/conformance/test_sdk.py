"""The official Genesys Cloud Python SDK against the gcdoctor simulator.

The SDK is pointed at the real hosts (``http://api.mypurecloud.ie``) with the simulator as
its HTTP proxy, so it builds exactly the requests it sends to Genesys Cloud: absolute-form
``POST http://login.mypurecloud.ie/oauth/token`` with ``Authorization: Basic …`` and the
form body ``grant_type=client_credentials``. The simulator must answer them the way the
real service does (``genesys-facts.md`` §2, §3): a token in the client's region, and
``400 invalid_client`` / "authentication failed" for a wrong secret *and* for the wrong
region, indistinguishably.

Run through ``run.sh``, which starts the simulator (scenario ``healthy``) and sets
``GCDOCTOR_SIM_PROXY``.
"""

import json
import os

import pytest
import PureCloudPlatformClientV2 as gc
from PureCloudPlatformClientV2.rest import ApiException

PROXY = os.environ["GCDOCTOR_SIM_PROXY"]

# The `healthy` scenario's clients (docs/simulator.md).
CLIENT_ID = "7c3f9a2e-5b14-4d8e-9f06-1e2a3b4c5d61"
CLIENT_SECRET = "s8B8Dq65NERzuWc78TLlI8IipDKO-u2TO9G6kAj3FJE"
ADMIN_ID = "e4a1b2c3-d5e6-4f70-8a91-b2c3d4e5f607"
ADMIN_SECRET = "oNBGy0sxXFlm6P7o2nuEdMlbt3yfF8XOOc_tuaZRPq7"
EU = "http://api.mypurecloud.ie"
US = "http://api.mypurecloud.com"

AUTH_FAILED = {
    "error": "invalid_client",
    "description": "authentication failed",
    "error_description": "authentication failed",
}


@pytest.fixture(scope="session", autouse=True)
def sdk_through_the_simulator():
    """Configures the SDK's singleton Configuration once: the simulator as proxy."""
    conf = gc.Configuration()
    conf.proxy = PROXY
    conf.host = EU
    yield conf


def api_client(host):
    """A fresh SDK client for a region's API host (the SDK derives login.<domain>)."""
    return gc.ApiClient(host=host)


def text(body):
    return body.decode() if isinstance(body, bytes) else body


def test_token_then_organizations_me():
    client = api_client(EU).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    assert client.access_token
    org = gc.OrganizationApi(client).get_organizations_me()
    assert org.id
    assert org.name
    assert org.default_language == "en-us"
    assert org.state == "active"


def test_wrong_secret_is_400_invalid_client():
    with pytest.raises(ApiException) as caught:
        api_client(EU).get_client_credentials_token(CLIENT_ID, "not-the-secret")
    err = caught.value
    assert err.status == 400
    assert json.loads(text(err.body)) == AUTH_FAILED
    assert text(err.body) == json.dumps(AUTH_FAILED, separators=(",", ":"))
    assert err.headers.get("Content-Type") == "application/json"
    assert err.headers.get("ININ-Correlation-Id")


def test_wrong_region_looks_exactly_like_a_wrong_secret():
    with pytest.raises(ApiException) as caught:
        api_client(US).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    err = caught.value
    assert err.status == 400
    assert json.loads(text(err.body)) == AUTH_FAILED


def test_token_is_refused_by_another_regions_api():
    eu_token = api_client(EU).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET).access_token
    us = api_client(US)
    us.access_token = eu_token
    with pytest.raises(ApiException) as caught:
        gc.OrganizationApi(us).get_organizations_me()
    assert caught.value.status == 401
    assert json.loads(text(caught.value.body))["code"] == "bad.credentials"


def test_users_me_needs_a_user_context():
    client = api_client(EU).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    with pytest.raises(ApiException) as caught:
        gc.UsersApi(client).get_users_me()
    body = json.loads(text(caught.value.body))
    assert caught.value.status == 400
    assert body["message"] == (
        "This request requires a user context. "
        "Client credentials cannot be used for requests to this resource."
    )


def test_admin_inspects_the_client_through_the_sdk_model():
    admin = api_client(EU).get_client_credentials_token(ADMIN_ID, ADMIN_SECRET)
    oauth_client = gc.OAuthApi(admin).get_oauth_client(CLIENT_ID)
    assert oauth_client.id == CLIENT_ID
    assert oauth_client.authorized_grant_type == "CLIENT-CREDENTIALS"
    assert oauth_client.state == "active"
    assert oauth_client.access_token_validity_seconds == 86400
    assert len(oauth_client.role_divisions) == 1
    assert not oauth_client.secret


def test_missing_permission_is_403():
    client = api_client(EU).get_client_credentials_token(CLIENT_ID, CLIENT_SECRET)
    with pytest.raises(ApiException) as caught:
        gc.OAuthApi(client).get_oauth_client(CLIENT_ID)
    assert caught.value.status == 403
    assert json.loads(text(caught.value.body))["code"] == "missing.any.permissions"
