"""Reaching a workspace, or saying in seconds why not.

databricks-sdk and databricks-sql-connector retry for minutes by default (the SDK 300 s per call, the
connector 900 s), which is right for a warehouse that is starting and wrong for a mistyped host: a user
waited 19 minutes for `query` to say nothing useful. So the host is probed once, with short timeouts
and no retry, before either client is made; both clients get limits; and a failure is one line that
names the host, where its value came from and what to change. Tokens are never part of a message.
"""

from __future__ import annotations

import configparser
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runner.config import Target
from runner.errors import LakehouseError

# How long a command waits for a workspace that does not answer, in seconds; every limit below is a share
# of it. LAKEHOUSE_WORKSPACE_TIMEOUT sets it (a slow network may need more; the tests of these limits, less).
WORKSPACE_TIMEOUT_ENV = "LAKEHOUSE_WORKSPACE_TIMEOUT"
DEFAULT_WORKSPACE_TIMEOUT = 20.0


@dataclass(frozen=True)
class Limits:
    """The clients' limits for one workspace timeout T (the defaults of the clients: 300 s per SDK call,
    30 connector attempts over 900 s).

    - the reachability probe: T/4 to connect, then T/2 for the first answer; never retried;
    - databricks-sdk, once the host answered the probe: one call retries for at most T, each request
      waiting at most T, so a call the workspace never answers gives up after one request;
    - databricks-sql-connector (Thrift): a socket waits 3T/4; retries stop after 2 attempts or once the
      next wait would pass 3T/5, so a refused connection fails in about 6 s (T = 20) and a host that
      never answers after one socket timeout.
    """

    timeout: float = DEFAULT_WORKSPACE_TIMEOUT

    @property
    def probe(self) -> tuple[float, float]:
        return (self.timeout / 4, self.timeout / 2)

    @property
    def sdk(self) -> dict[str, float]:
        return {"retry_timeout_seconds": self.timeout, "http_timeout_seconds": self.timeout}

    @property
    def connector(self) -> dict[str, float]:
        return {
            "_socket_timeout": self.timeout * 3 / 4,
            "_retry_stop_after_attempts_count": 2,
            "_retry_stop_after_attempts_duration": self.timeout * 3 / 5,
            "_retry_delay_max": self.timeout / 4,
        }


def limits() -> Limits:
    """The limits of LAKEHOUSE_WORKSPACE_TIMEOUT, else of the default timeout."""
    value = os.environ.get(WORKSPACE_TIMEOUT_ENV, "").strip()
    if not value:
        return Limits()
    try:
        timeout = float(value)
    except ValueError:
        timeout = 0.0
    if not timeout >= 1:
        raise LakehouseError(f"{WORKSPACE_TIMEOUT_ENV} must be a number of seconds, at least 1 (it is {value!r}).")
    return Limits(timeout)


_reached: set[str] = set()


def quiet_client_logs() -> None:
    """The clients log retries and an import-time pyarrow note to stderr when the application configures
    no logging; what went wrong is reported here, once. Configured logging still receives the records."""
    for name in ("databricks.sql", "databricks.sdk", "thrift", "urllib3"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())


@dataclass(frozen=True)
class HostSetting:
    host: str | None
    source: str  # where the value was read, to name in messages: the setting a user edits


def configured_host(profile: str | None = None) -> HostSetting:
    """The workspace host as databricks-sdk resolves it: DATABRICKS_HOST, else the profile's `host` in
    ~/.databrickscfg (or $DATABRICKS_CONFIG_FILE). Read without any request."""
    if os.environ.get("DATABRICKS_HOST"):
        return HostSetting(_with_scheme(os.environ["DATABRICKS_HOST"]), "DATABRICKS_HOST")
    name = profile or os.environ.get("DATABRICKS_CONFIG_PROFILE") or "DEFAULT"
    path = Path(os.environ.get("DATABRICKS_CONFIG_FILE") or "~/.databrickscfg").expanduser()
    where = f"host of profile {name} in {path}"
    if not path.is_file():
        return HostSetting(None, where)
    parser = configparser.ConfigParser()
    try:
        parser.read(path)
    except configparser.Error:
        return HostSetting(None, where)
    section = parser.defaults() if name == "DEFAULT" else (parser[name] if parser.has_section(name) else {})
    host = section.get("host")
    return HostSetting(_with_scheme(host) if host else None, where)


def _with_scheme(host: str) -> str:
    host = host.strip().rstrip("/")
    return host if host.startswith(("https://", "http://")) else f"https://{host}"


def probe(setting: HostSetting) -> None:
    """One request to the host, no retry: any HTTP answer means it is reachable."""
    import requests

    assert setting.host is not None
    if setting.host in _reached:
        return
    connect, answer = limits().probe
    try:
        requests.get(f"{setting.host}/api/2.0/preview/scim/v2/Me", timeout=(connect, answer), allow_redirects=False)
    except requests.exceptions.ConnectTimeout:
        reason = f"no connection within {connect:g} s"
    except requests.exceptions.Timeout:
        reason = f"connected, but no answer within {answer:g} s"
    except requests.exceptions.RequestException as exc:
        reason = _short_reason(exc)
    else:
        _reached.add(setting.host)
        return
    raise LakehouseError(
        f"cannot reach the Databricks workspace {setting.host} (from {setting.source}): {reason}. "
        f"Check {setting.source} (it must be your workspace URL), the network or VPN, and any proxy."
    )


def _short_reason(exc: BaseException) -> str:
    text = str(exc)
    for known, said in (
        ("Name or service not known", "the name does not resolve"),
        ("nodename nor servname", "the name does not resolve"),
        ("Temporary failure in name resolution", "the name does not resolve"),
        ("NameResolutionError", "the name does not resolve"),
        ("Connection refused", "connection refused"),
        ("CERTIFICATE_VERIFY_FAILED", "its TLS certificate is not trusted"),
    ):
        if known in text:
            return said
    first = text.splitlines()[0] if text else type(exc).__name__
    return first if len(first) <= 160 else first[:157] + "..."


def sdk_config(target: Target) -> Any:
    """databricks-sdk unified auth for the target, with retry limits, after the host answered a probe."""
    from databricks.sdk.core import Config

    quiet_client_logs()
    setting = configured_host(target.profile)
    if setting.host is None and not _other_auth_configured():
        raise LakehouseError(
            "no Databricks workspace is configured: set DATABRICKS_HOST (https://<workspace>.cloud.databricks.com) "
            "and DATABRICKS_TOKEN, or DATABRICKS_CONFIG_PROFILE naming a profile of ~/.databrickscfg."
        )
    if setting.host is not None:
        probe(setting)
    sdk_limits = limits().sdk
    try:
        return Config(profile=target.profile, **sdk_limits) if target.profile else Config(**sdk_limits)
    except Exception as exc:  # the SDK raises ValueError subclasses with its own advice
        raise LakehouseError(
            f"Databricks authentication is not configured for {setting.host or 'the workspace'}: set "
            "DATABRICKS_TOKEN (or another method of databricks-sdk unified auth), or name a profile with "
            f"DATABRICKS_CONFIG_PROFILE. The SDK said: {_short_reason(exc)}"
        ) from exc


def _other_auth_configured() -> bool:
    """Azure resource ids and the like name a workspace without DATABRICKS_HOST; let the SDK resolve those."""
    return any(os.environ.get(name) for name in ("DATABRICKS_AZURE_RESOURCE_ID", "ARM_CLIENT_ID"))


def workspace_client(target: Target) -> Any:
    from databricks.sdk import WorkspaceClient

    return WorkspaceClient(config=sdk_config(target))


def connection_error(host: str, http_path: str, exc: BaseException) -> LakehouseError:
    """One line for a failed session on the warehouse (the connector's own text is many lines)."""
    return LakehouseError(
        f"cannot open a session on the SQL warehouse {http_path} at {host}: {_short_reason(exc)}. "
        "Check DATABRICKS_WAREHOUSE_ID (or warehouse_id in lakehouse.toml) and that your identity may use it; "
        "`lakehouse debug --target databricks` checks each setting."
    )
