"""The deployment files a district starts from: the JupyterHub configuration the hub tests
run (deploy/jupyterhub/jupyterhub_config.py), and the Zero to JupyterHub example
(deploy/z2jh/), which is not run here but must parse and keep the same service, role and
database settings."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from traitlets.config.loader import PyFileConfigLoader

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
Z2JH = ROOT / "deploy" / "z2jh"
DB_URL = "postgresql+psycopg://collab:secret-password@db.example/workbook"


@pytest.fixture
def hub_config(tmp_path, monkeypatch):
    monkeypatch.setenv("COLLAB_DB_URL", DB_URL)
    monkeypatch.setenv("COLLAB_HUB_STATE_DIR", str(tmp_path / "hub"))
    for name in ("COLLAB_HUB_TEST_AUTH", "COLLAB_HUB_SERVICES", "COLLAB_HUB_SERVE_ARGS"):
        monkeypatch.delenv(name, raising=False)
    return PyFileConfigLoader(CONFIG.name, path=str(CONFIG.parent)).load_config()


def _flags(command: list[str]) -> list[str]:
    return [part for part in command if part.startswith("--")]


def test_the_hub_configuration_runs_two_workbook_servers_that_require_its_sign_in(hub_config):
    services = hub_config.JupyterHub.services
    assert [s["name"] for s in services] == ["collab-a", "collab-b"]
    for service in services:
        assert service["command"][2:5] == ["collab_widgets.cli", "serve", "--require-hub"]
        assert DB_URL not in service["command"]  # a command line is visible to every user
        assert service["environment"]["COLLAB_DB_URL"] == DB_URL
        assert service["oauth_no_confirm"] is True
        assert service["url"].startswith("http://127.0.0.1:")
    roles = {role["name"]: role for role in hub_config.JupyterHub.load_roles}
    assert roles["collab-servers"]["scopes"] == ["read:users:name"]


def test_a_members_jupyterlab_gets_no_key_to_the_database(hub_config):
    """The spawner passes on only its short list of the hub's variables and its own
    environment; neither reaches the database."""
    from jupyterhub.spawner import Spawner

    spawner = Spawner(config=hub_config)
    kept = set(spawner.env_keep)
    assert not {"COLLAB_DB_URL", "DATABASE_URL", "PGPASSWORD"} & kept
    assert all(not k.startswith(("COLLAB_DB", "PG")) for k in kept)
    given = {**spawner.environment}
    assert DB_URL not in repr(given) and "secret-password" not in repr(given)
    assert given["COLLAB_SERVICE_URL"].endswith("/services/collab-a/")
    # its own token reaches the workbook's services, and nothing of anyone else's
    assert "access:services!service=collab-a" in spawner.server_token_scopes
    assert not any("admin" in scope or scope == "users" for scope in spawner.server_token_scopes)


def test_the_kubernetes_example_parses_and_keeps_the_tested_settings(hub_config):
    values = yaml.safe_load((Z2JH / "values.yaml").read_text())
    manifests = list(yaml.safe_load_all((Z2JH / "collab-servers.yaml").read_text()))
    tested = {s["name"]: s for s in hub_config.JupyterHub.services}
    example = values["hub"]["services"]
    assert set(example) == set(tested)
    for name, service in example.items():
        assert service["oauth_no_confirm"] is tested[name]["oauth_no_confirm"]
        assert service["oauth_redirect_uri"] == f"/services/{name}/oauth_callback"
    roles = {role["name"]: role for role in hub_config.JupyterHub.load_roles}
    for name, role in values["hub"]["loadRoles"].items():
        assert sorted(role["scopes"]) == sorted(roles[name]["scopes"])
    deployments = {m["metadata"]["name"]: m for m in manifests if m["kind"] == "Deployment"}
    assert set(deployments) == set(tested)
    for name, deployment in deployments.items():
        [container] = deployment["spec"]["template"]["spec"]["containers"]
        assert _flags(container["args"]) == _flags(tested[name]["command"])
        env = {e["name"]: e for e in container["env"]}
        assert env["COLLAB_DB_URL"]["valueFrom"]["secretKeyRef"]["key"] == "db-url"
        assert env["JUPYTERHUB_SERVICE_PREFIX"]["value"] == f"/services/{name}/"
        assert deployment["spec"]["replicas"] == 1  # the proxy routes one prefix to one pod
    assert values["hub"]["config"]["Spawner"]["server_token_scopes"] == list(
        hub_config.Spawner.server_token_scopes
    )
    assert values["hub"]["config"]["JupyterHub"]["subdomain_host"]  # users on their own origin
    single_user = values["singleuser"].get("extraEnv", {})
    assert not any("DB" in key or "PASSWORD" in key for key in single_user)
    assert "postgresql" not in yaml.safe_dump(values)
