"""The import structure of the apps (DESIGN §3), checked on the grimp import graph.

The contracts live in pyproject.toml ``[tool.importlinter]`` (``make lint`` runs
``lint-imports`` on them); this test reads the same layers and exceptions from there
and checks them with grimp, so the suite fails as soon as

(a) an app's modules import each other in a circle (function-level imports included:
    grimp reads every ``import`` statement, wherever it stands);
(b) a ``models`` module imports a ``services``, ``views``, ``forms``, ``selectors`` or
    ``tasks`` module;
(c) an app imports an app of a higher layer.

The layers, top to bottom, as the code has them::

    config                      settings, urls, celery
    evaluations                 (reads centers)
    centers                     meetings, publicity, designation (reads reviews, applications)
    reviews                     panels, scoring, visits (reads applications)
    applications                plans, versions, eligibility
    accounts                    users, organizations, departments, roles
    documents | workdays | notifications    independent of each other
    numbering                   the one sequence of application, center, document numbers
    audit                       the event log

The documented exceptions (the ``ignore_imports`` of the layers contract) are three:

- ``documents`` and ``workdays`` may import ``accounts.roles``, the role vocabulary
  (role names and has-role helpers), to decide who may issue a document or see a
  calendar warning. ``accounts.roles`` imports nothing of the
  project (checked below), so this adds no path upwards.
- ``applications`` and ``reviews`` may import ``centers.models``: IndustryField,
  StrategicArea and CenterKind are reference data that DESIGN §3 gives to centers, and
  plans and experts have foreign keys to them. Only that one module, nothing else of
  centers (``centers.models`` imports no other project module either, except its own
  ``centers.models_changes`` — the change-request models, Art. 15 — which imports only
  ``accounts.roles``; the language helpers ``documents.languages``, which import nothing of
  the project; and, lazily, ``applications.sections`` for the standard targets' labels,
  which imports only ``documents.languages``).
- ``accounts.services`` / ``accounts.registration`` (organization registration) use
  ``applications.files``, ``applications.models.OrganizationRegistration`` and
  ``applications.services.application_update_basics`` (moving an organization's drafts).
  Removing these needs OrganizationRegistration moved to accounts (a model move).
"""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path

import grimp
import pytest
from django.apps import apps as django_apps

ROOT = Path(__file__).resolve().parents[2]
UPPER_KINDS = {"services", "views", "forms", "selectors", "tasks"}


def _importlinter_config() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["tool"]["importlinter"]


def _contract(config: dict, contract_id: str) -> dict:
    return next(c for c in config["contracts"] if c["id"] == contract_id)


CONFIG = _importlinter_config()
PACKAGES = CONFIG["root_packages"]
LAYERS_CONTRACT = _contract(CONFIG, "layers")


def _expression(pattern: str) -> re.Pattern:
    """An import-linter module expression (``*`` one component, ``**`` any) as a regex."""
    parts = []
    for part in pattern.split("."):
        parts.append({"*": r"[^.]+", "**": r"[^.]+(?:\.[^.]+)*"}.get(part, re.escape(part)))
    return re.compile(r"\.".join(parts) + r"\Z")


def _ignored(importer: str, imported: str) -> bool:
    for rule in LAYERS_CONTRACT.get("ignore_imports", []):
        left, right = (s.strip() for s in rule.split("->"))
        if _expression(left).match(importer) and _expression(right).match(imported):
            return True
    return False


def _layers() -> list[grimp.Layer]:
    return [
        grimp.Layer(*(p.strip() for p in layer.split("|")), independent=True)
        for layer in LAYERS_CONTRACT["layers"]
    ]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, include_external_packages=False, cache_dir=None)


# --------------------------------------------------------------------------- checks


def import_cycles(graph: grimp.ImportGraph) -> dict[str, set]:
    """Per package of an app: the imports whose removal would break its cycles (none: ok)."""
    found = {}
    for package in sorted(graph.modules):
        if package.split(".")[0] == "config" or not graph.find_children(package):
            continue
        breakers = graph.nominate_cycle_breakers(package)
        if breakers:
            found[package] = breakers
    return found


def models_importing_upper_modules(graph: grimp.ImportGraph) -> list[tuple[str, str]]:
    bad = []
    for module in sorted(graph.modules):
        if "models" not in module.split(".")[1:]:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            if UPPER_KINDS & set(imported.split(".")[1:]):
                bad.append((module, imported))
    return bad


def layer_violations(graph: grimp.ImportGraph) -> list[str]:
    graph = copy.deepcopy(graph)
    for importer in list(graph.modules):
        for imported in graph.find_modules_directly_imported_by(importer):
            if _ignored(importer, imported):
                graph.remove_import(importer=importer, imported=imported)
    out = []
    for dependency in graph.find_illegal_dependencies_for_layers(layers=_layers()):
        for route in dependency.routes:
            chain = [*route.heads, *route.middle, *route.tails]
            out.append(f"{dependency.importer} -> {dependency.imported}: {' | '.join(chain)}")
    return sorted(out)


# --------------------------------------------------------------------------- the contracts


def test_every_app_of_the_project_is_in_the_layers():
    local = {
        cfg.name.split(".")[0]
        for cfg in django_apps.get_app_configs()
        if Path(cfg.path).resolve().is_relative_to(ROOT)
        # a virtualenv inside the checkout (make's .venv) holds third-party apps
        and not Path(cfg.path).resolve().is_relative_to(ROOT / ".venv")
    }
    layered = {name.strip() for layer in LAYERS_CONTRACT["layers"] for name in layer.split("|")}
    assert local <= set(PACKAGES), local - set(PACKAGES)
    assert local <= layered, local - layered
    assert set(_contract(CONFIG, "acyclic")["ancestors"]) == local


def test_no_app_imports_a_cycle_among_its_own_modules(graph):
    assert import_cycles(graph) == {}


def test_models_never_import_services_views_forms_selectors_or_tasks(graph):
    assert models_importing_upper_modules(graph) == []


def test_apps_import_only_the_layers_below_them(graph):
    assert layer_violations(graph) == []


def test_the_documented_exceptions_are_still_needed(graph):
    """An exception nobody uses any more is deleted from pyproject.toml, not kept 'just in case'."""
    used = set()
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            for rule in LAYERS_CONTRACT["ignore_imports"]:
                left, right = (s.strip() for s in rule.split("->"))
                if _expression(left).match(importer) and _expression(right).match(imported):
                    used.add(rule)
    assert set(LAYERS_CONTRACT["ignore_imports"]) == used


@pytest.mark.parametrize(
    ("module", "allowed"),
    [
        ("accounts.roles", set()),
        (
            "centers.models",
            {
                "centers.models_changes",
                "centers.models_profile",
                "centers.models_reports",
                "documents.languages",
                "applications.sections",
            },
        ),
        ("documents.languages", set()),
        ("applications.sections", {"documents.languages"}),
        ("centers.models_profile", set()),
        ("centers.models_reports", set()),
        ("centers.models_changes", {"accounts.roles"}),
    ],
)
def test_modules_every_layer_may_import_import_nothing_of_the_project(graph, module, allowed):
    """The exceptions stay harmless only while these modules import no other project module
    (centers.models: only its split-off model modules and the two pure modules above; the
    change-request ones need only the role vocabulary)."""
    imported = graph.find_modules_directly_imported_by(module)
    assert {m for m in imported if m.split(".")[0] in PACKAGES} == allowed


def test_the_checks_catch_a_planted_import(graph):
    """The checks are not vacuous: a model importing a service breaks all three."""
    planted = copy.deepcopy(graph)
    planted.add_import(importer="applications.models", imported="applications.services")
    planted.add_import(importer="accounts.models", imported="reviews.models")

    assert ("applications.models", "applications.services") in models_importing_upper_modules(
        planted
    )
    assert "applications" in import_cycles(planted)  # services imports models
    assert any(v.startswith("accounts -> reviews:") for v in layer_violations(planted))


def test_lint_imports_keeps_the_pyproject_contracts():
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0
