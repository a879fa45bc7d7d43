"""Every role's meta/argument_specs.yml describes exactly the variables of its defaults/main.yml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROLES = sorted(p.parent.parent for p in (Path(__file__).resolve().parents[2] / "roles").glob("*/meta/argument_specs.yml"))


def _load(path: Path):
    return yaml.safe_load(path.read_text()) or {}


def test_every_role_has_specs():
    roles_dir = Path(__file__).resolve().parents[2] / "roles"
    assert {p.name for p in ROLES} == {p.name for p in roles_dir.iterdir() if p.is_dir()}


@pytest.mark.parametrize("role", ROLES, ids=lambda p: p.name)
def test_main_options_equal_defaults(role: Path):
    defaults = set(_load(role / "defaults" / "main.yml"))
    options = set(_load(role / "meta" / "argument_specs.yml")["argument_specs"]["main"]["options"])
    assert options - defaults == set(), "options without a default"
    assert defaults - options == set(), "defaults without an option in meta/argument_specs.yml"


@pytest.mark.parametrize("role", ROLES, ids=lambda p: p.name)
def test_options_are_typed_and_described(role: Path):
    for entry, spec in _load(role / "meta" / "argument_specs.yml")["argument_specs"].items():
        for name, option in spec["options"].items():
            assert option.get("type"), f"{entry}.{name} has no type"
            assert option.get("description"), f"{entry}.{name} has no description"


@pytest.mark.parametrize("role", ROLES, ids=lambda p: p.name)
def test_preflight_entry_point_validates_the_same_options(role: Path):
    specs = _load(role / "meta" / "argument_specs.yml")["argument_specs"]
    assert specs["preflight"]["options"] == specs["main"]["options"]
    assert (role / "tasks" / "preflight.yml").is_file()


@pytest.mark.parametrize("role", ROLES, ids=lambda p: p.name)
def test_public_variables_carry_the_role_prefix(role: Path):
    prefix = f"{role.name}_"
    assert [v for v in _load(role / "defaults" / "main.yml") if not v.startswith(prefix)] == []
