"""Features register navigation, landing pages, entry panels and reference seeders per app,
in declared order; nothing is shared between app instances or doubled by a second one."""

from __future__ import annotations

import pytest

from portfolio.registry import Registry, registry_of


def test_each_app_has_its_own_registry_in_declared_order(make_app):
    first, second = make_app(), make_app()
    one, two = registry_of(first), registry_of(second)
    assert one is not two
    assert [item.endpoint for item in one.nav_items] == [item.endpoint for item in two.nav_items]
    assert [item.label for item in one.nav_items] == [
        "My portfolio", "Shared with me", "My cohort", "Programme", "Frameworks", "Evidence",
        "Reviews", "Observations", "My progress", "My credentials", "Panels", "Showcases", "Reports", "Search",
        "Users"]
    assert [page.endpoint for page in one.landing_pages] == [
        "programmes.overview", "entries.home", "reviews.dashboard", "panels.index"]
    assert [panel.name for panel in one.entry_panels] == ["evidence", "reviews"]
    # pathways and specialisms; panel outcomes; default observation templates
    assert len(one.reference_seeders) == 3


def test_registering_the_same_thing_twice_is_a_mistake():
    registry = Registry()
    registry.add_nav_item("Home", "main.home", bool, order=1)
    with pytest.raises(ValueError, match="registered twice"):
        registry.add_nav_item("Home again", "main.home", bool, order=2)


def test_cli_groups_are_registered_on_the_app(make_app):
    app = make_app()
    for name in ("storage", "worker", "send-reminders", "backup", "mail", "seed-demo"):
        assert name in app.cli.commands, name
