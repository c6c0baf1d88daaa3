"""A real OpenID Connect provider (the `oidc-provider` npm package) run by the tests themselves.

`start_provider` installs the provider's locked packages on first use (npm ci into
tests/sso/provider), starts `server.mjs` on free loopback ports and returns once it has printed
its issuers; `sign_in_at_provider` plays the person at the provider's own sign-in and consent
pages with plain HTTP. Without node and npm the tests skip, except in CI (CI=true), where the
run fails instead.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

FOLDER = Path(__file__).parent / "provider"
CLIENT_ID = "portfolio"
CLIENT_SECRET = "portfolio-test-client-secret-0123456789"  # noqa: S105 - a test provider's
CALLBACK = "http://portfolio.test/sso/callback"  # tests' BASE_URL + the callback route
STARTUP_SECONDS = 60

ACCOUNTS = {
    "ada": {"email": "ada@example.test", "email_verified": True, "name": "Ada Linked"},
    "newt": {"email": "newt@example.test", "email_verified": True, "name": "Newt Newcomer"},
    "una": {"email": "una@example.test", "email_verified": False, "name": "Una Unverified"},
    "ivy": {"email": "ivy@example.test", "email_verified": True, "name": "Ivy Invited"},
    "dee": {"email": "dee@example.test", "email_verified": True, "name": "Dee Deactivated"},
    # Claims the address of Ada's portfolio account with a different subject.
    "ada-again": {"email": "ada@example.test", "email_verified": True, "name": "Ada Twice"},
}


def _tools_or_skip() -> tuple[str, str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node and npm:
        return node, npm
    message = "node and npm are needed to run the OpenID Connect provider for the SSO tests"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI must not skip them)")
    pytest.skip(message)


def install_packages(npm: str) -> None:
    """npm ci once; a lock keeps two test runs sharing the checkout from installing together."""
    lock_path = Path(tempfile.gettempdir()) / f"portfolio-sso-npm-{os.getuid()}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (FOLDER / "node_modules" / "oidc-provider" / "package.json").exists():
            return
        subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=FOLDER,
                       check=True, timeout=300)


@dataclass
class RunningProvider:
    process: subprocess.Popen
    issuers: dict[str, str]
    log: list[str]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_provider(*, issuers=("main",), clock_offset: int = 0,
                   id_token_ttl: int = 600) -> RunningProvider:
    node, npm = _tools_or_skip()
    install_packages(npm)
    settings = {"issuers": list(issuers), "clockOffset": clock_offset, "idTokenTtl": id_token_ttl,
                "redirectUris": [CALLBACK], "accounts": ACCOUNTS,
                "client": {"id": CLIENT_ID, "secret": CLIENT_SECRET}}
    process = subprocess.Popen(
        [node, "server.mjs"], cwd=FOLDER, text=True, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, env={**os.environ, "PROVIDER_SETTINGS": json.dumps(settings)})
    log: list[str] = []
    # Keep reading the provider's warnings so a full pipe never blocks it.
    threading.Thread(target=lambda: log.extend(process.stderr), daemon=True).start()
    ready: list[str] = []
    reader = threading.Thread(target=lambda: ready.append(process.stdout.readline()),
                              daemon=True)
    reader.start()
    reader.join(STARTUP_SECONDS)
    if not ready or not ready[0].strip():
        process.kill()
        raise RuntimeError("the OpenID Connect provider did not start:\n" + "".join(log))
    return RunningProvider(process, json.loads(ready[0]), log)


def sign_in_at_provider(authorization_url: str, account: str) -> str:
    """Sign in as `account` and consent at the provider; return the callback URL it sends back."""
    browser = requests.Session()
    url = authorization_url
    for _ in range(12):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            if url.startswith(CALLBACK):
                return url
            continue
        response.raise_for_status()
        prompt = re.search(r'name="prompt" value="(\w+)"', response.text)
        action = re.search(r'<form[^>]*action="([^"]+)"', response.text)
        assert prompt and action, response.text[:500]
        answer = browser.post(urljoin(url, action.group(1)), allow_redirects=False, timeout=10,
                              data={"prompt": prompt.group(1), "login": account,
                                    "password": "any"})
        assert answer.is_redirect, answer.text[:500]
        url = urljoin(url, answer.headers["Location"])
        if url.startswith(CALLBACK):
            return url
    raise AssertionError("the provider never sent the browser back")
