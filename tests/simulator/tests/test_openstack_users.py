"""OpenStack users of a project, its regions, and the simulator's Keystone v3, through python-ovh and openstacksdk."""

import re
import time
import urllib.error

import ovh
import pytest

from shape_helpers import REGISTRY, assert_shape
from sim_helpers import DEMO_NIC, OTHER_NIC, raw

USER_OP = "/cloud/project/{serviceName}/user"


@pytest.fixture(name="project")
def project_fixture(control):
    """A project of the demo account, users created fast."""
    control.config(user_creating_delay=0.2, user_deleting_delay=0.2, user_updating_delay=0.2)
    return control.seed_projects(DEMO_NIC, [{"description": "users"}])[0]


def shape(value, method, template, response_type=None):
    """Check ``value`` against the responseType of the operation (or ``response_type``)."""
    op = [o for o in REGISTRY.operations("eu") if o.key == (method, template)][0]
    assert_shape(value, response_type or op.response_type, op.models, template)


def wait_user(client, project_id, user_id, status="ok", timeout=5.0):
    """Poll GET …/user/{userId} until ``status``; returns the user."""
    deadline = time.time() + timeout
    while True:
        user = client.get("/cloud/project/%s/user/%d" % (project_id, user_id))
        if user["status"] == status or time.time() > deadline:
            return user
        time.sleep(0.05)


def new_user(client, project_id, **body):
    """Create a user and wait until it is ok; returns the creation answer."""
    created = client.post("/cloud/project/%s/user" % project_id, **body)
    assert wait_user(client, project_id, created["id"])["status"] == "ok"
    return created


def parse_openrc(content):
    """``export NAME=value`` lines of an openrc -> {NAME: value}, quotes removed."""
    result = {}
    for match in re.finditer(r'^export (\w+)=(.*)$', content, re.M):
        result[match.group(1)] = match.group(2).strip('"')
    return result


def connect(control, username, password, project_id, **extra):
    """An openstacksdk connection to the simulator's Keystone (no clouds.yaml, no OS_* variables)."""
    openstack = pytest.importorskip("openstack")
    return openstack.connect(auth_url=control.keystone_url(), username=username, password=password, project_id=project_id,
                             user_domain_name="Default", project_domain_name="Default", region_name="GRA11",
                             load_yaml_config=False, load_envvars=False, **extra)


def test_create_creating_then_ok_and_the_password_only_in_the_creation_answer(demo, control, project):
    created = demo.post("/cloud/project/%s/user" % project, description="ci", roles=["compute_operator", "image_operator"])
    shape(created, "POST", USER_OP)
    assert created["status"] == "creating" and created["openstackId"] is None and created["description"] == "ci"
    assert re.fullmatch(r"user-[A-Za-z0-9]{12}", created["username"]) and re.fullmatch(r"[A-Za-z0-9]{32}", created["password"])
    assert [role["name"] for role in created["roles"]] == ["compute_operator", "image_operator"]
    read = demo.get("/cloud/project/%s/user/%d" % (project, created["id"]))
    shape(read, "GET", USER_OP + "/{userId}")
    assert "password" not in read and read["status"] == "creating"
    user = wait_user(demo, project, created["id"])
    assert user["status"] == "ok" and re.fullmatch(r"[0-9a-f]{32}", user["openstackId"])
    listed = demo.get("/cloud/project/%s/user" % project)
    shape(listed, "GET", USER_OP)
    assert listed == [user]
    seen = control.openstack_user(project, created["id"])
    assert seen["password"] == created["password"] and seen["roles"] == ["compute_operator", "image_operator"]
    assert control.state()["openstack_users"] == [seen]
    only = demo.post("/cloud/project/%s/user" % project, role="administrator", roles=["administrator", "volume_operator"])
    assert [role["name"] for role in only["roles"]] == ["administrator", "volume_operator"]
    assert demo.post("/cloud/project/%s/user" % project, description="no roles")["roles"] == []
    with pytest.raises(ovh.exceptions.BadParametersError, match="Missing request body"):
        demo.post("/cloud/project/%s/user" % project)  # python-ovh sends no body for no arguments: the body is required


def test_regenerate_password_passes_through_updating(demo, control, project):
    control.config(user_updating_delay=0.3)
    created = new_user(demo, project, roles=["administrator"])
    answer = demo.post("/cloud/project/%s/user/%d/regeneratePassword" % (project, created["id"]))
    shape(answer, "POST", USER_OP + "/{userId}/regeneratePassword")
    assert answer["password"] != created["password"] and answer["status"] == "updating"
    assert control.openstack_user(project, created["id"])["password"] == answer["password"]
    read = demo.get("/cloud/project/%s/user/%d" % (project, created["id"]))
    assert "password" not in read and read["status"] == "updating"
    with pytest.raises(ovh.exceptions.BadParametersError, match="not ready"):  # changes wait for ok, as terraform does
        demo.post("/cloud/project/%s/user/%d/regeneratePassword" % (project, created["id"]))
    assert wait_user(demo, project, created["id"])["status"] == "ok"
    with pytest.raises(ovh.exceptions.BadParametersError, match="regeneratePassword"):
        demo.post("/cloud/project/%s/user/%d/regeneratePassword" % (project, created["id"]), force=True)


def test_roles_read_add_and_replace(demo, control, project):
    created = new_user(demo, project, role="compute_operator")
    path = "/cloud/project/%s/user/%d/role" % (project, created["id"])
    roles = demo.get(path)
    shape(roles, "GET", USER_OP + "/{userId}/role")
    ids = control.openstack_roles()
    assert [role["id"] for role in roles] == [ids["compute_operator"]] and len(set(ids.values())) == len(ids)
    added = demo.post(path, roleId=ids["network_operator"])
    assert [role["name"] for role in added["roles"]] == ["compute_operator", "network_operator"] and "password" not in added
    replaced = demo.put(path, rolesIds=[ids["objectstore_operator"], ids["administrator"]])
    assert [role["name"] for role in replaced["roles"]] == ["objectstore_operator", "administrator"] and "password" not in replaced
    assert [role["name"] for role in demo.get(path)] == ["objectstore_operator", "administrator"]
    assert control.openstack_user(project, created["id"])["roles"] == ["objectstore_operator", "administrator"]
    for call in (lambda: demo.put(path, rolesIds=["0" * 32]), lambda: demo.post(path, roleId="administrator"),
                 lambda: demo.put(path, rolesIds=ids["administrator"]), lambda: demo.put(path, roles=["administrator"]),
                 lambda: demo.put(path), lambda: demo.post(path, roleId=ids["administrator"], extra=1)):
        with pytest.raises(ovh.exceptions.BadParametersError):
            call()
    assert [role["name"] for role in demo.get(path)] == ["objectstore_operator", "administrator"]
    assert demo.put(path, rolesIds=[])["roles"] == []
    creating = demo.post("/cloud/project/%s/user" % project, roles=["administrator"])
    with pytest.raises(ovh.exceptions.BadParametersError, match="not ready"):
        demo.put("/cloud/project/%s/user/%d/role" % (project, creating["id"]), rolesIds=[ids["administrator"]])


def test_delete_goes_through_deleting_and_deleted_then_404(demo, control, project):
    control.config(user_deleted_delay=0.3)
    created = new_user(demo, project, roles=["administrator"])
    path = "/cloud/project/%s/user/%d" % (project, created["id"])
    assert demo.delete(path) is None
    assert demo.get(path)["status"] == "deleting"
    with pytest.raises(ovh.exceptions.BadParametersError):
        demo.delete(path)
    deleted = wait_user(demo, project, created["id"], status="deleted")
    shape(deleted, "GET", USER_OP + "/{userId}")
    assert deleted["status"] == "deleted" and [u["status"] for u in demo.get("/cloud/project/%s/user" % project)] == ["deleted"]
    time.sleep(0.4)  # kept: what is tested is the 0.3 s user_deleted_delay running out (then 404)
    with pytest.raises(ovh.exceptions.ResourceNotFoundError):
        demo.get(path)
    with pytest.raises(ovh.exceptions.ResourceNotFoundError):
        demo.delete(path)
    assert demo.get("/cloud/project/%s/user" % project) == [] and control.openstack_users() == []


def test_openrc(demo, control, project):
    created = new_user(demo, project, roles=["administrator"])
    path = "/cloud/project/%s/user/%d/openrc" % (project, created["id"])
    answer = demo.get(path, region="SBG5", version="v3")
    shape(answer, "GET", USER_OP + "/{userId}/openrc")
    content = answer["content"]
    assert content.startswith("#!/bin/bash\n") and created["password"] not in content
    exported = parse_openrc(content)
    tenant = control.openstack_user(project, created["id"])["tenant_name"]
    assert exported == {"OS_AUTH_URL": control.keystone_url(), "OS_IDENTITY_API_VERSION": "3",
                        "OS_USER_DOMAIN_NAME": '${OS_USER_DOMAIN_NAME:-"Default"}', "OS_PROJECT_DOMAIN_NAME": '${OS_PROJECT_DOMAIN_NAME:-"Default"}',
                        "OS_TENANT_ID": project, "OS_TENANT_NAME": tenant, "OS_USERNAME": created["username"],
                        "OS_PASSWORD": "$OS_PASSWORD_INPUT", "OS_REGION_NAME": "SBG5"}
    assert re.fullmatch(r"\d{16}", tenant)
    assert parse_openrc(demo.get(path, region="GRA11")["content"])["OS_REGION_NAME"] == "GRA11"  # version defaults to v3
    older = parse_openrc(demo.get(path, region="GRA11", version="v2.0")["content"])
    assert older["OS_AUTH_URL"] == control.root_url + "/v2.0" and "OS_USER_DOMAIN_NAME" not in older
    assert parse_openrc(demo.get(path, region="to_be_overriden")["content"])["OS_REGION_NAME"] == "to_be_overriden"  # terraform does this
    for query in ({}, {"region": "GRA11", "version": "v4"}, {"region": "GRA11", "unknown": "1"}):
        with pytest.raises(ovh.exceptions.BadParametersError):
            demo.get(path, **query)


def test_regions(demo, control, project):
    path = "/cloud/project/%s/region" % project
    regions = demo.get(path)
    shape(regions, "GET", "/cloud/project/{serviceName}/region")
    assert regions == ["GRA11", "SBG5", "BHS5"]
    control.config(openstack_regions=["GRA9", "WAW1"])
    assert demo.get(path) == ["GRA9", "WAW1"]
    assert control.set_project_regions(project, ["DE1"]) == ["DE1"] and demo.get(path) == ["DE1"]
    assert control.set_project_regions(project, None) == ["GRA9", "WAW1"]
    with pytest.raises(ovh.exceptions.ResourceNotFoundError, match="not implemented"):
        demo.post(path, region="UK1")


def test_region_details_list_services_instance_only_where_instances_run(demo, control, project):
    control.set_project_regions(project, ["GRA", "GRA11", "US-EAST-VA-1"])
    template = "/cloud/project/{serviceName}/region/{regionName}"
    details = {}
    for name in ("GRA", "GRA11", "US-EAST-VA-1"):
        details[name] = demo.get("/cloud/project/%s/region/%s" % (project, name))
        shape(details[name], "GET", template)
        assert details[name]["name"] == name and details[name]["status"] == "UP"
    services = dict((name, [service["name"] for service in region["services"]]) for name, region in details.items())
    assert "instance" not in services["GRA"] and "storage" in services["GRA"]
    assert "instance" in services["GRA11"] and "instance" in services["US-EAST-VA-1"]
    with pytest.raises(ovh.exceptions.ResourceNotFoundError, match="regionName = SBG5"):
        demo.get("/cloud/project/%s/region/SBG5" % project)  # not one of this project's regions


def test_the_2025_roles_are_accepted_and_unknown_ones_refused_with_the_schema_message(demo, project):
    roles = ["key-manager_operator", "key-manager_read", "load-balancer_operator", "quantum_operator", "quantum_reader",
             "share_operator"]
    created = demo.post("/cloud/project/%s/user" % project, description="new roles", roles=roles)
    assert [role["name"] for role in created["roles"]] == roles
    listed = [role["name"] for role in demo.get("/cloud/project/%s/role" % project)["roles"]]
    assert set(roles) <= set(listed) and "admin" not in listed
    with pytest.raises(ovh.exceptions.BadParametersError,
                       match=r'\[roles\[0\]\] Given data \("admin"\) does not belong to the cloud.user.RoleEnum enumeration'):
        demo.post("/cloud/project/%s/user" % project, roles=["admin"])


def test_a_disabled_user_is_listed_disabled_and_keystone_refuses_it(demo, control, project):
    [seeded] = control.seed_openstack_users(project, {"description": "off", "status": "disabled"})
    user = demo.get("/cloud/project/%s/user/%d" % (project, seeded["id"]))
    shape(user, "GET", USER_OP + "/{userId}")
    assert user["status"] == "disabled"
    status, _headers, _body = raw(control.keystone_url() + "/auth/tokens", {"auth": {"identity": {"methods": ["password"], "password": {
        "user": {"name": seeded["username"], "domain": {"name": "Default"}, "password": seeded["password"]}}}}})
    assert status == 401


def test_bad_bodies_and_ids_are_refused(demo, project):
    path = "/cloud/project/%s/user" % project
    for body in ({"role": "superuser"}, {"roles": ["compute_operator", "root"]}, {"roles": "administrator"}, {"description": 3},
                 {"description": "x", "name": "y"}, {"password": "mine"}, {"roles": [None]}):
        with pytest.raises(ovh.exceptions.BadParametersError):
            demo.post(path, **body)
    assert demo.get(path) == []
    with pytest.raises(ovh.exceptions.BadParametersError):
        demo.get(path + "/abc")
    with pytest.raises(ovh.exceptions.ResourceNotFoundError):
        demo.get(path + "/424242")


def test_another_accounts_project_and_users_are_404(demo, other, control, project):
    created = new_user(demo, project, roles=["administrator"])
    user = "/cloud/project/%s/user/%d" % (project, created["id"])
    for call in (lambda: other.get("/cloud/project/%s/user" % project), lambda: other.post("/cloud/project/%s/user" % project, description="x"),
                 lambda: other.get(user), lambda: other.delete(user), lambda: other.post(user + "/regeneratePassword"),
                 lambda: other.get(user + "/role"), lambda: other.put(user + "/role", rolesIds=[]),
                 lambda: other.get(user + "/openrc", region="GRA11"), lambda: other.get("/cloud/project/%s/region" % project),
                 lambda: demo.get("/cloud/project/%s/user" % ("0" * 32))):
        with pytest.raises(ovh.exceptions.ResourceNotFoundError):
            call()
    assert demo.get(user)["status"] == "ok"
    other_project = control.seed_projects(OTHER_NIC, [{"description": "other"}])[0]
    assert other.get("/cloud/project/%s/user" % other_project) == []
    with pytest.raises(ovh.exceptions.ResourceNotFoundError):
        other.get("/cloud/project/%s/user/%d" % (other_project, created["id"]))  # a user id of another project


def test_openstacksdk_authenticates_with_a_created_users_password(demo, control, project):
    created = new_user(demo, project, roles=["compute_operator"])
    conn = connect(control, created["username"], created["password"], project)
    token = conn.authorize()
    assert token.startswith("gAAAAA")
    access = conn.session.auth.get_access(conn.session)
    assert access.project_id == project and access.role_names == ["compute_operator"]
    compute = access.service_catalog.url_for(service_type="compute", region_name="GRA11", interface="public")
    assert compute.startswith(control.root_url) and project in compute
    assert {entry["type"] for entry in access.service_catalog.catalog} >= {"identity", "compute", "network", "image", "volumev3"}
    exceptions = pytest.importorskip("openstack.exceptions")
    with pytest.raises(exceptions.SDKException, match="401"):
        connect(control, created["username"], created["password"] + "x", project).authorize()
    with pytest.raises(exceptions.SDKException, match="401"):
        connect(control, "user-nobody", created["password"], project).authorize()
    new = demo.post("/cloud/project/%s/user/%d/regeneratePassword" % (project, created["id"]))["password"]
    with pytest.raises(exceptions.SDKException, match="401"):
        connect(control, created["username"], created["password"], project).authorize()
    assert wait_user(demo, project, created["id"])["status"] == "ok"
    assert connect(control, created["username"], new, project).authorize()
    demo.delete("/cloud/project/%s/user/%d" % (project, created["id"]))
    with pytest.raises(exceptions.SDKException, match="401"):
        connect(control, created["username"], new, project).authorize()


def test_keystone_rules(demo, control, project):
    root = control.root_url
    status, headers, body = raw(root + "/")
    assert status == 300 and body["versions"]["values"][0]["id"].startswith("v3")
    status, headers, body = raw(root + "/v3")
    assert status == 200 and body["version"]["status"] == "stable" and body["version"]["links"][0]["href"] == root + "/v3/"
    roleless = new_user(demo, project, description="no roles")
    creating = demo.post("/cloud/project/%s/user" % project, roles=["administrator"])
    seeded = control.seed_openstack_users(project, {"password": "s3cret", "roles": ["network_operator"]})[0]
    assert seeded["status"] == "ok" and seeded["password"] == "s3cret"

    def auth(user, password, scope=True):
        identity = {"methods": ["password"], "password": {"user": {"name": user, "domain": {"name": "Default"}, "password": password}}}
        body = {"auth": {"identity": identity}}
        if scope:
            body["auth"]["scope"] = scope if isinstance(scope, dict) else {"project": {"id": project}}
        return raw(root + "/v3/auth/tokens", body)

    status, headers, body = auth(seeded["username"], "s3cret")
    assert status == 201 and headers["X-Subject-Token"].startswith("gAAAAA")
    token = body["token"]
    assert token["project"] == {"domain": {"id": "default", "name": "Default"}, "id": project, "name": seeded["tenant_name"]}
    assert token["user"]["name"] == seeded["username"] and token["user"]["id"] == seeded["openstack_id"]
    assert token["roles"] == [{"id": control.openstack_roles()["network_operator"], "name": "network_operator"}]
    assert token["methods"] == ["password"] and token["expires_at"].endswith("Z")
    by_name = {"project": {"name": seeded["tenant_name"], "domain": {"name": "Default"}}}
    assert auth(seeded["username"], "s3cret", by_name)[0] == 201
    status, headers, body = auth(seeded["username"], "s3cret", scope=False)
    assert status == 201 and "catalog" not in body["token"] and "project" not in body["token"]
    subject = headers["X-Subject-Token"]
    status, headers, shown = raw(root + "/v3/auth/tokens", headers={"X-Auth-Token": subject, "X-Subject-Token": subject})
    assert status == 200 and headers["X-Subject-Token"] == subject and shown["token"]["user"]["name"] == seeded["username"]
    refused = [auth(seeded["username"], "wrong"), auth(roleless["username"], roleless["password"]),
               auth(creating["username"], creating["password"]), auth(seeded["username"], "s3cret", {"project": {"id": "0" * 32}}),
               auth(seeded["username"], "s3cret", {"domain": {"id": "default"}})]
    for status, headers, body in refused:
        assert status == 401 and body == {"error": {"code": 401, "message": "The request you have made requires authentication.",
                                                    "title": "Unauthorized"}}
        assert headers["WWW-Authenticate"] == 'Keystone uri="%s/v3"' % root
    assert raw(root + "/v3/auth/tokens", b"{not json")[0] == 400
    assert raw(root + "/v3/auth/tokens", {"auth": {}})[0] == 400
    assert raw(root + "/v3/users")[0] == 404
    assert control.calls(path=r"/v3.*") == []  # Keystone calls are not OVH API calls


def test_keystone_faults_and_the_journal_of_password_attempts(demo, control, project):
    """A wrong password: 401 with Keystone's error body, recorded; fault rules on /v3 make Keystone fail or drop the
    connection (recorded too), and never reach the OVH API, as API rules never reach Keystone."""
    seeded = control.seed_openstack_users(project, {"password": "s3cret"})[0]
    url = control.keystone_url() + "/auth/tokens?nocatalog"

    def auth(password):
        user = {"name": seeded["username"], "domain": {"name": "Default"}, "password": password}
        return raw(url, {"auth": {"identity": {"methods": ["password"], "password": {"user": user}},
                                  "scope": {"project": {"id": project}}}})

    assert auth("wrong")[0::2] == (401, {"error": {"code": 401, "message": "The request you have made requires authentication.",
                                                   "title": "Unauthorized"}})
    assert auth("s3cret")[0] == 201
    control.fault(path=".*", status=500)  # an OVH API rule: Keystone answers as usual
    assert auth("s3cret")[0] == 201
    control.clear_faults()
    control.fault(path="^/v3/auth/tokens$", method="POST", status=503, body={"error": {"code": 503, "message": "down",
                                                                                       "title": "Service Unavailable"}})
    assert auth("s3cret")[0] == 503
    listed = demo.get("/cloud/project/%s/user" % project)  # a Keystone rule leaves the OVH API alone
    assert [u["username"] for u in listed] == [seeded["username"]]
    control.fault(path="/v3/auth/tokens", kind="drop")
    with pytest.raises((urllib.error.URLError, ConnectionError)):
        auth("s3cret")
    assert auth("s3cret")[0] == 201 and control.faults() == []
    calls = control.openstack_calls("identity", "POST", "/v3/auth/tokens")
    assert [call["status"] for call in calls] == [401, 201, 201, 503, None, 201]
    assert [call["body"]["auth"]["identity"]["password"]["user"]["password"] for call in calls] == ["wrong"] + ["s3cret"] * 5
    assert calls[0]["query"] == {"nocatalog": ""}


def test_project_roles_list_every_role_with_the_ids_role_changes_take(demo, control, project):
    answer = demo.get("/cloud/project/%s/role" % project)
    shape(answer, "GET", "/cloud/project/{serviceName}/role")
    ids = control.openstack_roles()
    assert {role["name"]: role["id"] for role in answer["roles"]} == ids
    assert answer["services"] and all(set(p["roles"]) <= set(ids.values()) for s in answer["services"] for p in s["permissions"])
    created = new_user(demo, project, roles=["administrator"])
    by_name = {role["name"]: role["id"] for role in answer["roles"]}
    changed = demo.put("/cloud/project/%s/user/%d/role" % (project, created["id"]), rolesIds=[by_name["compute_operator"]])
    assert [role["name"] for role in changed["roles"]] == ["compute_operator"]
    with pytest.raises(ovh.exceptions.ResourceNotFoundError, match="does not exist"):
        demo.get("/cloud/project/%s/role" % ("0" * 32))
