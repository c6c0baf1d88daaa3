"""Tokens for tests: a personal token for any person, a registered client and its token."""

from __future__ import annotations

from portfolio.api import services
from portfolio.api.scopes import CLIENT_RESOURCES, RESOURCES


def personal_token(user, access="write", resources=tuple(RESOURCES), days=30) -> str:
    _, secret = services.create_personal_token(user, "test token", access, list(resources), days)
    return secret


def client_token(lead, year_ids, resources=CLIENT_RESOURCES) -> tuple[object, str, str]:
    """(client, client secret, bearer token) for a client granted `year_ids`."""
    client, secret = services.register_client(lead, "Learning management system",
                                               list(resources), list(year_ids))
    _, bearer = services.issue_client_token(client.client_id, secret, None)
    return client, secret, bearer


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def walk(client, path, headers, limit=2, **params) -> list[dict]:
    """Every item of a list, page by page; fails on a repeated id."""
    items, cursor = [], None
    for _ in range(1000):
        query = {"limit": limit, **params} | ({"cursor": cursor} if cursor else {})
        response = client.get(path, headers=headers, query_string=query)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)), f"{path}: an item came twice"
    return items
